"""ui/startup.py: what the server prepares before its health check answers (the first reader's page),
and app.py's lifespan that runs it. The proof that a cache was filled: the data file is removed after the
warm-up, and the first page's loads and charts still answer from the caches, which they could not do cold."""

from __future__ import annotations

import logging
import os

import pytest
import streamlit as st
from conftest import TODAY

from tracker.errors import TrackerError
from tracker.view import View
from ui import startup
from ui.data import chart_drawings, load_cached, statuses_cached
from ui.reader import DRAWN_SUMMARY


@pytest.fixture
def environ(monkeypatch, data_file):
    """A reader's server on the small tracker, caches empty."""
    for name in ("TRACKER_DATABASE_URL", "TRACKER_PUBLIC_URL", "TRACKER_EDITOR_PASSCODE", "TRACKER_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRACKER_DATA", str(data_file))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    monkeypatch.setenv("TRACKER_READ_ONLY", "1")
    st.cache_resource.clear()
    yield {"TRACKER_DATA": str(data_file), "TRACKER_TODAY": TODAY.isoformat()}
    st.cache_resource.clear()


def first_page_reads(location: str, revision: str) -> dict:
    """What the Overview of a first visit reads from the caches: the tracker and its two summary charts."""
    tracker, _, _ = load_cached(location, revision, TODAY)
    frame = statuses_cached(location, revision, TODAY, TODAY, None, "en")
    widths = tuple((name, tuple(sizes)) for name, sizes in DRAWN_SUMMARY.items())
    return {"tracker": tracker, "charts": chart_drawings(location, revision, TODAY, TODAY, tuple(frame["id"]), None,
                                                         widths, "en")}  # fmt: skip


def test_the_first_page_is_read_from_the_caches_after_the_warm_up(environ, data_file, tracker):
    warmed = startup.warm_first_page(environ)
    assert warmed.document is not None and warmed.revision and warmed.reason == ""
    data_file.unlink()  # nothing can be read from disk any more: only the caches can answer
    found = first_page_reads(str(data_file), warmed.revision)
    assert [rec.id for rec in found["tracker"].recommendations] == [rec.id for rec in tracker.recommendations]
    assert {name: set(drawn) for name, drawn in found["charts"].items()} == {
        name: set(sizes) for name, sizes in DRAWN_SUMMARY.items()
    }  # both charts drawn at every width the page shows


def test_the_warm_up_also_places_the_links_on_the_first_pages_bars(environ, data_file, monkeypatch):
    """Where the bars are and the charts' rows (for the links over the bars) come from the caches too: after
    the warm-up, nothing is laid out or counted again (each would raise here)."""
    from tracker import charts, drawing
    from ui.context import Context
    from ui.reader import BAR_FILTERS

    warmed = startup.warm_first_page(environ)
    tracker, log, _ = load_cached(str(data_file), warmed.revision, TODAY)

    def never(*args, **kwargs):
        raise AssertionError("computed again: the warm-up's cache was missed")

    monkeypatch.setattr(drawing, "place_marks", never)
    monkeypatch.setattr(charts, "chart_data", never)
    ctx = Context(tracker=tracker, log=log, view=View(as_of=TODAY), location=str(data_file), revision=warmed.revision,
                  today=TODAY, who=None, seen={}, pages={}, source=tracker)  # fmt: skip
    ids = ctx.frame["id"]
    marks = ctx.marks(ids, DRAWN_SUMMARY, {name: BAR_FILTERS[name][0] for name in DRAWN_SUMMARY})
    assert {name: set(placed) for name, placed in marks.items()} == {
        name: set(sizes) for name, sizes in DRAWN_SUMMARY.items()
    }
    assert all(placed for by_width in marks.values() for placed in by_width.values())
    assert set(ctx.chart_rows(ids, tuple(DRAWN_SUMMARY))) == {"category_counts", "addressee_counts"}


def test_without_the_warm_up_the_same_reads_need_the_file(environ, data_file):
    revision = startup.warm_first_page(environ).revision
    st.cache_resource.clear()
    data_file.unlink()
    with pytest.raises(TrackerError):
        first_page_reads(str(data_file), revision)


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("TRACKER_TODAY", "tomorrow", "TRACKER_TODAY"),  # the page says what is wrong with the setting
        ("TRACKER_DATA", "{missing}", "missing.yaml"),  # the page says the data cannot be found
        ("TRACKER_DATA", "{broken}", "broken.yaml"),
    ],
)
def test_data_that_cannot_be_read_prepares_nothing_and_raises_nothing(
    environ, monkeypatch, tmp_path, setting, value, expected
):
    broken = tmp_path / "broken.yaml"
    broken.write_text("recommendations: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv(setting, value.format(missing=tmp_path / "missing.yaml", broken=broken))
    warmed = startup.warm_first_page(os.environ)
    assert warmed.document is None
    assert expected in warmed.reason


def test_every_widget_module_is_imported_and_no_page_script_is_run():
    names = startup.import_widgets()
    assert "ui.reader" in names and "ui.data" in names
    assert not any(name.startswith("ui.pages") for name in names)


# Starlette's TestClient, the one public way to run an ASGI app's lifespan in-process, warns that it
# will move from httpx to another client; the test is about the lifespan, not the client.
@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_the_server_prepares_the_first_page_before_it_answers(environ, data_file):
    from starlette.testclient import TestClient

    import app

    with TestClient(app.app) as client:
        assert client.get("/_stcore/health").text == "ok"
        warmed = app.app.state["warmed"]
    assert warmed.document is not None
    data_file.unlink()
    assert first_page_reads(str(data_file), warmed.revision)["tracker"].recommendations


def test_streamlit_is_warmed_without_a_word_in_the_server_log(caplog):
    with caplog.at_level(logging.DEBUG):
        startup.warm_streamlit()
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []
