"""Exports and the self-contained HTML brief, on the small tracker and the real bundled data."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timezone

import altair as alt
import pandas as pd
import pytest
from conftest import RECORDED, ROOT, TODAY, make_demo_data
from markupsafe import escape

from tracker.brief import render_brief
from tracker.charts import CHART_NAMES, build_charts
from tracker.edition import data_fingerprint, fingerprint
from tracker.edits import build_update
from tracker.exports import export_chart, export_table, stamp_chart
from tracker.model import format_date
from tracker.validation import validate_data
from tracker.view import View, build_link
from tracker.yaml_text import dump_tracker

GENERATED = datetime(2026, 11, 27, 12, 30, tzinfo=timezone.utc)
BASE = "https://tracker.example.org/app"
NOTE = "<script>alert(1)</script>"


def row_of(page: str, rec_id: str) -> str:
    """The recommendations-table row of one recommendation."""
    match = re.search(rf'<tr id="rec-{re.escape(rec_id)}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, f"no row for {rec_id}"
    return match.group(0)


def brief(tracker, as_of: date, **view_fields) -> tuple[str, str]:
    view = View(as_of=as_of, **view_fields)
    permalink = build_link(BASE, view, TODAY, freeze_at=GENERATED)
    page = render_brief(tracker, view, since=view.changes_since(), permalink=permalink, generated=GENERATED)
    return page, permalink


@pytest.fixture(scope="module")
def bundled():
    """The demo tracker (eight recommendations), built by the tests."""
    return validate_data(make_demo_data(), today=TODAY)


@pytest.fixture(scope="module")
def bundled_brief(bundled):
    return brief(bundled, TODAY)


# --- The brief ----------------------------------------------------------------


def test_brief_of_a_whole_tracker_is_complete_and_self_contained(bundled, bundled_brief):
    page, permalink = bundled_brief
    as_of = TODAY
    assert page.startswith("<!DOCTYPE html>")
    assert f"As of {format_date(as_of.isoformat())}" in page and as_of.isoformat() in page
    assert fingerprint(bundled) in page
    assert f'href="{escape(permalink)}"' in page and "frozen=1" in permalink
    assert "2026-11-27 12:30 UTC" in page
    assert escape(bundled.settings.title) in page
    for rec in bundled.recommendations:
        assert escape(rec.title) in page
    assert page.count("<svg") >= 4
    for name in CHART_NAMES:
        assert f'<figure id="chart-{name}"><svg' in page
    # Nothing is fetched or run: no script, no CDN, no external style, image or font.
    lowered = page.lower()
    assert "<script" not in lowered and "<script src" not in lowered
    assert "cdn." not in lowered
    assert "<link" not in lowered and "@import" not in lowered and "<iframe" not in lowered
    assert not re.search(r"""\bsrc\s*=""", lowered)
    assert all(re.match(r"https?://", href) for href in re.findall(r'href="([^"]*)"', page))
    # Headline numbers, with the score's formula.
    assert "Progress score" in page and "Progress score = the average" in page
    assert "Stale" in page and "Changed since" in page and "What changed since" in page


def test_the_as_of_date_decides_what_the_brief_shows(bundled, bundled_brief):
    today, _ = bundled_brief
    row = row_of(today, "export-controls")
    assert 'data-status="implemented"' in row and ">Implemented</span>" in row
    before, permalink = brief(bundled, date(2022, 12, 31))
    row = row_of(before, "export-controls")
    assert 'data-status="not_started"' in row and ">No step found</span>" in row
    assert "Implemented</span>" not in row
    assert "As of 31 Dec 2022" in before and "as_of=2022-12-31" in permalink
    assert escape(permalink) in before


def test_text_from_the_data_is_escaped_never_executed(store, tmp_path):
    store.append_update(
        "joint-fund",
        build_update({"date": "2026-11-20", "status": "partial", "note": NOTE, "author": "A", "recorded": RECORDED}),
        today=TODAY,
    )
    tracker = store.edit_recommendation(
        "trilateral-talks",
        {"title": 'Talks <img src=x onerror="alert(2)"> & more'},
        expected={},
        author="A",
        recorded=RECORDED,
        today=TODAY,
    )
    view = View(as_of=TODAY, filters={"category": ("history", "security")})
    page = render_brief(tracker, view, since=date(2026, 11, 1), permalink="javascript:alert(3)", generated=GENERATED)
    assert escape(NOTE) in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Talks &lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; more" in page
    lowered = page.lower()
    assert "<script" not in lowered and "<img" not in lowered
    # Only http(s) becomes a link: the permalink is shown, not followed.
    assert 'href="javascript' not in lowered and "javascript:alert(3)" in page
    assert "Category: History, Security" in page
    assert "Lift export controls" not in page  # filtered out (trade)


# --- Charts -------------------------------------------------------------------


def test_build_charts_follows_the_view(tracker):
    built = build_charts(tracker, View(as_of=TODAY, filters={"status": ("partial",)}))
    assert tuple(built) == CHART_NAMES
    by_category = built["status_by_category"].data
    drawn = by_category[by_category["count"] > 0]  # the chart leaves out empty slices
    assert set(drawn["status"]) == {"partial"} and drawn["count"].sum() == 1
    periods = built["timeline"].layer[0].data
    assert set(periods["rec_id"]) == {"joint-fund"}
    assert set(built["status_over_time"].layer[0].data["status"]) >= {"partial"}


def test_stamped_exports_say_what_they_show(tracker):
    view = View(as_of=date(2023, 3, 10), filters={"status": ("in_progress",), "addressee": ("japan",)})
    built = build_charts(tracker, view)
    stamped = stamp_chart(built["status_by_category"], view, tracker)
    title = stamped.to_dict()["title"]
    assert title["text"] == "Status by category"
    subtitle = " ".join(title["subtitle"])
    assert "As of 10 Mar 2023" in subtitle
    assert "Status: In progress" in subtitle and "Addressee: Japan" in subtitle
    layered = stamp_chart(built["timeline"], view, tracker).to_dict()["title"]
    assert layered["text"] == "Timeline per recommendation" and "As of 10 Mar 2023" in layered["subtitle"][0]

    png = export_chart(stamped, "png")
    assert png.startswith(b"\x89PNG")
    svg = export_chart(stamped, "svg")
    assert b"<svg" in svg and b"As of 10 Mar 2023" in svg and b"Addressee: Japan" in svg
    with pytest.raises(ValueError):
        export_chart(stamped, "pdf")


def test_export_has_no_row_limit():
    many = alt.Chart(pd.DataFrame({"x": range(5001)})).mark_bar().encode(x="count():Q")
    assert b"<svg" in export_chart(many, "svg")


def test_data_fingerprint_is_the_sha256_of_the_canonical_text(tracker, data_file):
    text = dump_tracker(tracker)
    full = data_fingerprint(text)
    assert full == hashlib.sha256(text.encode("utf-8")).hexdigest() and len(full) == 64
    assert data_fingerprint(text.encode("utf-8")) == full == data_fingerprint(data_file.read_bytes())
    assert data_fingerprint(text.replace("Baseline.", "Baseline!", 1)) != full


def test_export_table_still_works(tracker):
    assert export_table(tracker, what="recommendations", fmt="csv", as_of=TODAY).startswith('"id","title",')


# --- The command line ---------------------------------------------------------


def run(*args):
    env = {**os.environ, "TRACKER_TODAY": TODAY.isoformat()}
    return subprocess.run([sys.executable, "-m", "tracker", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_report_command_writes_the_brief(data_file, tracker, tmp_path):
    out = tmp_path / "brief.html"
    result = run("report", "--data", str(data_file), "--out", str(out), "--as-of", "2026-11-01", "--link", BASE)
    assert result.returncode == 0, result.stderr
    short = data_fingerprint(dump_tracker(tracker))[:12]
    assert result.stdout == f"Wrote the brief for 2026-11-01 to {out} (3 recommendations, data {short}).\n"
    page = out.read_text(encoding="utf-8")
    assert "As of 1 Nov 2026" in page and page.count("<svg") >= 4
    # The permalink pins both clocks: the as-of day and the moment the brief was made.
    assert f'href="{BASE}/?as_of=2026-11-01&amp;frozen=1&amp;published={TODAY.isoformat()}T23:59:59Z"' in page
    assert "What changed since 3 Aug 2026" in page  # default: 90 days before the as-of date


def test_report_as_published_leaves_out_later_records(store, tracker, data_file, tmp_path):
    later = {"date": "2024-01-01", "status": "in_progress", "note": "Back-dated.", "author": "A"}
    sources = [{"url": "https://example.org/later", "title": "Later", "kind": "news"}]
    store.append_update(
        "trilateral-talks", build_update({**later, "sources": sources, "recorded": "2026-11-27T12:30:00Z"}), today=TODAY
    )
    out = tmp_path / "brief.html"
    pinned = ("--published", "2026-11-27T12:10:00Z", "--link", BASE)
    result = run("report", "--data", str(data_file), "--out", str(out), *pinned)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert data_fingerprint(dump_tracker(tracker)) in page  # what was recorded by then, not the file as it is now
    assert "Back-dated." not in page
    assert f'href="{BASE}/?as_of={TODAY.isoformat()}&amp;frozen=1&amp;published=2026-11-27T12:10:00Z"' in page
    bad = run("report", "--data", str(data_file), "--out", str(out), "--published", "soon")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "'--published'" in bad.stderr and "is not a publication time" in bad.stderr


@pytest.mark.parametrize("as_of", ["31/12/2022", "2999-01-01"])
def test_report_command_refuses_a_bad_date_in_one_line(data_file, tmp_path, as_of):
    out = tmp_path / "brief.html"
    result = run("report", "--data", str(data_file), "--out", str(out), "--as-of", as_of)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "--as-of" in result.stderr and as_of in result.stderr
    assert not out.exists()


def test_json_export_is_strict_json(tracker):
    text = export_table(tracker, what="recommendations", fmt="json", as_of=TODAY)
    rows = json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    talks = next(row for row in rows if row["id"] == "trilateral-talks")
    assert talks["last_event"] is None


def test_the_brief_keys_the_numbered_context_events(tracker):
    page, _ = brief(tracker, TODAY)
    key = re.search(r'<ol class="events">(.*?)</ol>', page, re.S)
    assert key, "no key to the context events"
    assert '<li value="1">16 Mar 2023: Tokyo summit (Summit), <a href="https://example.org/summit"' in key.group(1)


def test_the_brief_shows_every_source_of_a_context_event_and_an_unverified_address(data):
    data["context_events"][0]["sources"].append(
        {"url": "https://example.org/second", "title": "[A second report]", "kind": "news", "publisher": "Outlet"}
    )
    page, _ = brief(validate_data(data, today=TODAY), TODAY)
    key = re.search(r'<ol class="events">(.*?)</ol>', page, re.S).group(1)
    assert '<a href="https://example.org/summit"' in key
    assert '; <a href="https://example.org/second" rel="noopener noreferrer">[A second report]</a> (Outlet)' in key
    # The article's address is empty: the brief says it is not verified rather than leave a blank.
    assert "Source article: A test article (web address not verified)." in page


def test_the_brief_says_how_sure_each_status_is_and_how_to_cite_it(bundled, bundled_brief):
    """Beside each status, the evidence it rests on; at the end, a ready citation (APA 7) and the BibTeX and
    RIS records, which the libraries reference managers rely on read back, pointing at the frozen link."""
    import html as html_module

    import bibtexparser
    import rispy

    page, permalink = bundled_brief
    row = row_of(page, "whitelist")
    assert "<td>News sources (latest 21 Jul 2023)</td>" in row
    assert "<td>No evidence found since Jul 2022</td>" in row_of(page, "liaison-offices")
    assert "<p><strong>Evidence:</strong> News sources (latest 21 Jul 2023)</p>" in page
    cite = page[page.index('<section id="cite">') : page.index("</section>", page.index('<section id="cite">'))]
    assert "<em>Test tracker</em> [Offline brief, as of 27 Nov 2026; as published on 27 Nov 2026 at 12:30 UTC]" in cite
    blocks = [html_module.unescape(block) for block in re.findall(r"<pre>(.*?)</pre>", cite, re.DOTALL)]
    [entry] = bibtexparser.parse_string(blocks[0]).entries
    assert entry.entry_type == "online" and entry["url"] == permalink and entry["urldate"] == "2026-11-27"
    [record] = rispy.loads(blocks[1])
    assert record["type_of_reference"] == "ELEC" and record["urls"] == [permalink]
    assert record["authors"] == [permalink.split("/")[2].split(":")[0]]  # published by the site it names


# --- In Korean and Japanese (#27) -----------------------------------------------


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_the_brief_in_a_language_says_so_and_reads_in_it(bundled, bundled_brief, lang):
    from tracker.language import LANGUAGES, words
    from tracker.translation import add_translation

    title = {"ko": "정보 공유 정상화", "ja": "情報共有の正常化"}[lang]
    fields = {"lang": lang, "target": "recommendation", "id": "gsomia", "field": "title", "text": title}
    translated = add_translation(bundled, fields, author="Tracker project", recorded="2026-11-27T12:00:00Z")
    page, _ = brief(translated, TODAY, lang=lang)
    english, _ = brief(translated, TODAY)
    assert page.startswith("<!DOCTYPE html>\n<html lang=") and f'<html lang="{lang}">' in page
    assert 'lang="en"' in english and title not in english
    assert f"<h3>{title}</h3>" in page and f"<td>{title}</td>" in row_of(page, "gsomia")  # the data in the language
    w = words(lang)
    assert f"<h2>{w.t('Headline numbers')}</h2>" in page and f"<h2>{w.t('Cite this brief')}</h2>" in page
    assert LANGUAGES[lang].fonts in page  # a font stack that has its glyphs offline
    assert w.date(TODAY.isoformat()) in page  # dates as the language writes them
    # The same data: its fingerprint is that of the data as stored, whatever the language.
    assert re.search(r"sha256 <code[^>]*>([0-9a-f]{64})</code>", page).group(1) == re.search(
        r"sha256 <code[^>]*>([0-9a-f]{64})</code>", english
    ).group(1)


def test_each_template_is_compiled_once_per_process_for_every_language(bundled, monkeypatch, request):
    """The languages' environments share the templates' compiled code (`brief.COMPILED`): the brief in three
    languages compiles each template once, and reads exactly as when each language compiles its own."""
    import jinja2

    from tracker import brief as brief_module

    def briefs() -> dict[str, str]:
        return {lang: brief(bundled, TODAY, lang=lang)[0] for lang in ("en", "ko", "ja")}

    compiled: list[str] = []
    plain_compile = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return plain_compile(self, source, name, filename, raw, defer_init)

    # Whatever happens here, the next tests make their environments afresh, with the shared code restored.
    request.addfinalizer(brief_module.template_environment.cache_clear)
    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    brief_module.template_environment.cache_clear()
    monkeypatch.setattr(brief_module, "COMPILED", brief_module.CompiledTemplates())
    shared = briefs()
    assert compiled and len(compiled) == len(set(compiled))  # none compiled twice, whatever the language
    compiled.clear()
    brief_module.template_environment.cache_clear()
    monkeypatch.setattr(brief_module, "COMPILED", None)  # each environment compiles its own
    own = briefs()
    assert len(compiled) > len(set(compiled))
    assert own == shared
