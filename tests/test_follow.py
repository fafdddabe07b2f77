"""The page's Follow and Embed (AppTest): the feed link under the header, and on a
recommendation's detail its feed and the badge snippets (served by app.py)."""

from __future__ import annotations

import streamlit as st
from conftest import ROOT, TODAY
from streamlit.testing.v1 import AppTest

from tracker.validation import validate_data
from tracker.yaml_text import dump_tracker

APP = str(ROOT / "dashboard.py")


def test_follow_and_embed(tmp_path, monkeypatch, data):
    st.cache_data.clear()
    st.cache_resource.clear()
    path = tmp_path / "recommendations.yaml"
    path.write_text(dump_tracker(validate_data(data, today=TODAY)), encoding="utf-8")
    monkeypatch.setenv("TRACKER_DATA", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["rec"] = "joint-fund"
    at.run()
    assert not at.exception
    base = "http://localhost:8501"
    header = " ".join(block.value for block in at.markdown)
    assert f"[Atom feed](<{base}/feed.atom>)" in header
    # In a popover (drawn by the browser only when opened; AppTest holds its content all the same).
    follow = next(box for box in at.get("popover") if "Follow" in box.proto.popover.label)
    assert f"(<{base}/feed/joint-fund.atom>)" in " ".join(block.value for block in follow.markdown)
    snippets = [code.value for code in follow.code]
    assert snippets[0] == f"[![Status of Joint fund]({base}/badge/joint-fund.svg)]({base}/?rec=joint-fund)"
    assert snippets[1].startswith(f'<a href="{base}/?rec=joint-fund"><img src="{base}/badge/joint-fund.svg"')
    st.cache_resource.clear()


def test_reader_pages_link_their_static_twin_when_a_site_address_is_set(tmp_path, monkeypatch, data):
    st.cache_data.clear()
    st.cache_resource.clear()
    path = tmp_path / "recommendations.yaml"
    path.write_text(dump_tracker(validate_data(data, today=TODAY)), encoding="utf-8")
    monkeypatch.setenv("TRACKER_DATA", str(path))
    site = "https://static.example/tracker"
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["rec"] = "joint-fund"
    at.run()
    assert "static page" not in " ".join(block.value for block in at.markdown)  # no address: no link
    monkeypatch.setenv("TRACKER_SITE_URL", site + "/")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["rec"] = "joint-fund"
    at.run()
    assert not at.exception
    header = " ".join(block.value for block in at.markdown)
    assert f"[static page](<{site}/en/article/recommendation/joint-fund.html>)" in header
    from helpers import goto

    goto(at, "timeline")
    assert f"[static page](<{site}/en/article/timeline.html>)" in " ".join(block.value for block in at.markdown)
    st.cache_resource.clear()
