"""The dashboard as a real Streamlit app (AppTest) on real files."""

from __future__ import annotations

import re
from datetime import date

import pytest
import streamlit as st
from conftest import ROOT, TODAY, make_demo_data
from helpers import (
    drawn_charts,
    edit_sections,
    goto,
    headline,
    page_paths,
    plain,
    table_rows,
    timeline_rows,
    view_of,
)
from streamlit.testing.v1 import AppTest
from two_documents import FIRST_TITLE, SECOND_TITLE, write_two_documents

from tracker import analysis, charts
from tracker.model import format_date
from tracker.storage.yaml_files import YamlStore, parsed_cache
from tracker.validation import validate_data
from tracker.view import View, filter_recommendations
from tracker.yaml_text import dump_tracker

APP = str(ROOT / "dashboard.py")
FILTERED = ("recommendations", "timeline", "changes")


@pytest.fixture(autouse=True)
def fresh_caches():
    # AppTest instances share one process, so they would share Streamlit's caches.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture
def app(demo_file, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA", str(demo_file))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())

    def make(**params):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()

    return make


def table_titles(at) -> list[str]:
    return [row["Recommendation"] for row in table_rows(at)]


def expected_titles(demo_file, **filters) -> list[str]:
    """What the core says the table holds for some filters, today."""
    tracker = YamlStore(demo_file).load(today=TODAY)
    frame = analysis.statuses_as_of(tracker, filters.pop("as_of", TODAY))
    return list(filter_recommendations(frame, view_of(TODAY, **filters))["title"])


def test_page_renders_with_headline_numbers_from_the_core(app, demo_file):
    at = app()
    assert not at.exception
    tracker = YamlStore(demo_file).load(today=TODAY)
    frame = analysis.statuses_as_of(tracker, TODAY)
    counts = analysis.count_by_status(frame, tracker.settings)
    assert at.title[0].value == tracker.settings.title  # the overview
    log = analysis.list_updates(tracker)
    answer = analysis.describe_overview(
        frame, tracker.settings, analysis.latest_update(log, TODAY), analysis.latest_event(tracker, log, TODAY)
    )
    assert plain(at.markdown[1].value) == f"**{answer}**"  # after the as-of line with the feed links
    # The answer says when the data was last reviewed, so the as-of line above it does not repeat it.
    assert plain(at.markdown[0].value).startswith(f"**As of {format_date(TODAY.isoformat())}** · follow: ")
    goto(at, "recommendations")
    assert at.title[0].value == "All recommendations"
    shown = headline(at)
    for row in counts.itertuples():
        assert shown[row.label] == str(row.count)
    assert shown["Progress score"] == f"{analysis.score_progress(frame, tracker.settings):g} / 100"
    assert shown["Stale"] == str(int(frame["stale"].sum()))
    assert shown["Shown"] == f"{len(frame)} of {len(frame)}"
    assert len(table_titles(at)) == len(tracker.recommendations)
    goto(at, "methodology")
    methodology = " ".join(block.value for block in at.markdown)
    # The figure for weak sources is computed from the data shown, not typed into the methodology.
    assert f"In this edition {analysis.count_weakly_sourced(tracker)} " in methodology
    table = next(html.proto.body for html in at.get("html") if 'aria-label="Statuses"' in html.proto.body)
    for status in tracker.settings.statuses:  # each status with its swatch and definition, one click away
        assert f'background:{status.colour}"></span>{status.label}</td><td>{status.definition}</td>' in table
    visible = re.sub(r"<style>.*?</style>|<[^>]+>", "", table)
    assert "#" not in visible  # a swatch shows the colour: no hex code is written


def test_the_charts_are_drawn_on_the_server_and_the_timeline_is_a_list_of_links(app, demo_file):
    at = app()
    # The overview's summary charts are drawn on the server at a laptop's column width and a phone's.
    assert at.get("vega_lite_chart") == []
    drawn = drawn_charts(at)
    assert [chart["name"] for chart in drawn] == ["status_by_category", "scorecard"]
    assert [set(chart["svg"]) for chart in drawn] == [{520, 340}, {430, 340}]
    captions = [plain(c.value) for c in at.caption]
    for chart in drawn:
        (alt,) = chart["alt"]
        assert alt in captions  # the accessible name is the sentence shown under it
        for width, svg in chart["svg"].items():
            assert svg.startswith("<svg") and f'width="{width}"' in svg.split(">", 1)[0]
    # No page hands the browser a chart to draw: All recommendations has none, the Timeline's status over
    # time is drawn on the server and its timeline per recommendation is HTML rows.
    listed = goto(at, "recommendations")
    assert listed.get("vega_lite_chart") == [] and drawn_charts(listed) == []
    timeline = goto(at, "timeline")
    assert timeline.get("vega_lite_chart") == []
    assert [(chart["name"], set(chart["svg"])) for chart in drawn_charts(timeline)] == [
        ("status_over_time", {960, 340})
    ]
    tracker = YamlStore(demo_file).load(today=TODAY)
    assert [row["name"] for row in timeline_rows(timeline)] == [rec.title for rec in tracker.recommendations]
    # The specs drawn are the charts' own (tracker/charts.py), whose marks and colours are these.
    specs = charts.build_templates(tracker.settings)

    def marks(spec):
        layers = spec.get("layer", [spec])
        return [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in layers]

    assert marks(specs["status_by_category"]) == ["bar"]
    assert marks(specs["scorecard"]) == ["bar"] and specs["scorecard"]["encoding"]["xOffset"]["field"] == "status_label"
    assert marks(specs["status_over_time"]) == ["area", "rule", "text"]  # the text numbers the context events
    for spec in specs.values():  # chart text passes contrast (Streamlit's theme grey does not)
        assert spec["config"]["axis"]["labelColor"] == spec["config"]["legend"]["labelColor"] == "#3d3d3d"


def test_the_timeline_shows_the_rows_of_the_view(app, demo_file):
    """The timeline holds the filtered recommendations as of the day shown, each row its status periods up
    to that day, in words for a screen reader and as hover texts."""
    at = goto(app(status="implemented", as_of="2024-06-30"), "timeline", status="implemented", as_of="2024-06-30")
    tracker = YamlStore(demo_file).load(today=TODAY)
    view = View(as_of=date(2024, 6, 30), filters={"status": ("implemented",)})
    expected = filter_recommendations(analysis.statuses_as_of(tracker, view.as_of), view)
    rows = timeline_rows(at)
    assert [row["name"] for row in rows] == expected["title"].tolist()
    for row in rows:
        assert row["said"].split("; ")[-1].startswith("Implemented from ")
        bands = [tip for tip in row["tips"] if " – " in tip]
        assert bands[-1].startswith("Implemented: ") and bands[-1].endswith(" – 30 Jun 2024")
    (chart,) = drawn_charts(at)
    assert "Status of the " + str(len(expected)) + " recommendations" in next(iter(chart["alt"]))


def popover_labels(at) -> set[str]:
    return {box.proto.popover.label for box in at.get("popover")}


@pytest.mark.parametrize(
    "widget,value,field",
    [
        ("f_status", ["stalled"], "statuses"),
        ("f_addressee", ["united_states"], "addressees"),
        ("f_category", ["trade"], "categories"),
        ("f_priority", ["low"], "priorities"),
    ],
)
def test_each_multiselect_filter_changes_the_table(app, demo_file, widget, value, field):
    at = goto(app(), "recommendations")
    before = table_titles(at)
    assert popover_labels(at) >= {"Filter: none set"}
    at.sidebar.multiselect(key=widget).set_value(value).run()
    after = table_titles(at)
    assert after != before and after == expected_titles(demo_file, **{field: tuple(value)})
    assert at.query_params[widget[2:]] == ",".join(value)
    # The popover's label and the sentence above the table both say which filter is on.
    assert popover_labels(at) >= {f"Filtered by {widget[2:]}"}
    assert f"{widget[2:].capitalize()}: " in plain(at.markdown[0].value)


def test_search_filters_the_table(app, demo_file):
    at = goto(app(), "recommendations")
    at.sidebar.text_input(key="f_query").input("whitelist").run()
    titles = table_titles(at)
    assert titles == expected_titles(demo_file, query="whitelist") == ["Restore each other to the trade whitelist"]


def test_a_search_of_only_spaces_is_no_filter(app):
    at = goto(app(), "recommendations")
    at.sidebar.text_input(key="f_query").input("   ").run()
    assert popover_labels(at) >= {"Filter: none set"}
    assert not [button for button in at.sidebar.button if button.key == "clear_filters"]


def test_as_of_recomputes_the_page(app):
    at = goto(app(), "recommendations")
    at.sidebar.date_input(key="f_as_of").set_value(date(2022, 12, 31)).run()
    assert not at.exception
    row = next(row for row in table_rows(at) if "export controls" in row["Recommendation"].lower())
    assert row["Status"] != "Implemented"
    assert headline(at)["Implemented"] == "0"  # the first lifting came in March 2023
    assert at.query_params["as_of"] == "2022-12-31"


def test_export_controls_implemented_today(app):
    at = goto(app(), "recommendations")
    row = next(row for row in table_rows(at) if "export controls" in row["Recommendation"].lower())
    assert row["Status"] == "Implemented"


def test_deep_link_opens_that_view(app, demo_file):
    at = app(rec="export-controls", as_of="2023-03-10", category="trade")
    assert not at.exception and not at.warning
    # An older link to the single page lands on the recommendation's own page.
    assert at.title[0].value == "Lift export controls"
    assert at.selectbox(key="f_rec").value == "export-controls"
    assert at.sidebar.date_input(key="f_as_of").value == date(2023, 3, 10)
    badge = next(html.proto.body for html in at.get("html") if "<strong>Status:</strong>" in html.proto.body)
    assert ">In progress</span> since " in badge  # its status as things stood that day
    assert at.query_params == {"rec": "export-controls", "as_of": "2023-03-10"}
    # Its own dates as of that day, not the tracker's latest ones.
    row = analysis.statuses_as_of(YamlStore(demo_file).load(today=TODAY), date(2023, 3, 10)).set_index("id")
    row = row.loc["export-controls"]
    status = plain(next(md.value for md in at.markdown if md.value.startswith("**Last reviewed:**")))
    assert status.startswith(f"**Last reviewed:** {format_date(row['last_update'])} · **Latest event:** ")
    assert "last reviewed" not in plain(at.markdown[0].value)
    # Its filters stay with the session: the table shows them.
    goto(at, "recommendations")
    assert table_titles(at) == expected_titles(demo_file, as_of=date(2023, 3, 10), categories=("trade",))
    assert at.query_params == {"category": "trade", "as_of": "2023-03-10"}


@pytest.mark.parametrize(
    "params,warning",
    [
        (
            {"rec": "no-such-thing"},
            "The link points to a recommendation 'no-such-thing' that this tracker does not have.",
        ),
        (
            {"as_of": "31/12/2022"},
            "The link's as-of date '31/12/2022' is not a date (YYYY-MM-DD); showing the default instead.",
        ),
        ({"status": "done"}, "The link asks for the status 'done', which this tracker does not have; it was ignored."),
        ({"as_of": "2099-01-01"}, "The link's as-of date 2099-01-01 is in the future; showing today instead."),
    ],
)
def test_bad_link_parameters_warn_and_fall_back(app, demo_file, params, warning):
    at = app(**params)
    assert not at.exception
    assert at.title[0].value == "Test tracker"  # nothing valid to forward to: the overview
    assert [plain(w.value) for w in at.warning] == [warning]
    goto(at, "recommendations")
    assert table_titles(at) == expected_titles(demo_file)
    assert at.sidebar.date_input(key="f_as_of").value == TODAY


def test_filters_that_match_nothing_show_a_sentence(app):
    at = app(status="reversed")
    assert not at.exception
    assert at.title[0].value == "All recommendations"
    assert at.get("vega_lite_chart") == []
    assert "No recommendation matches these filters" in at.info[0].value


def test_invalid_data_file_lists_every_problem(tmp_path, monkeypatch):
    path = tmp_path / "recommendations.yaml"
    path.write_text("schema_version: 1\ntracker:\n  title: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("TRACKER_DATA", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        "The tracker data cannot be shown: 1 problem needs fixing in the data file.",
        "recommendations.yaml, line 3: a bracket ([ or {) is opened but never closed.",
    ]


def test_missing_data_file_is_explained(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA", str(tmp_path / "gone.yaml"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "does not exist; check the path" in at.error[0].value


def share_link(at) -> str:
    return next(md.value for md in at.sidebar.markdown if md.value.startswith("Link to this view")).split("](<")[1][:-2]


def test_a_bar_of_the_overview_opens_the_list_narrowed_to_what_it_counts(app, demo_file):
    at = app()
    everything = table_titles(goto(app(), "recommendations"))
    by_category, by_addressee = drawn_charts(at)
    for chart in (by_category, by_addressee):
        # The same bars are links at every width, one per bar drawn.
        assert len(set(map(len, chart["links"].values()))) == 1 and chart["links"][520 if chart is by_category else 430]
    links = dict((said, href) for href, said in by_category["links"][520])
    frame = analysis.statuses_as_of(YamlStore(demo_file).load(today=TODAY), TODAY)
    trade = frame[(frame["category"] == "trade") & (frame["status"] == "implemented")]
    said = f"Trade, Implemented: {len(trade)}: see {'it' if len(trade) == 1 else 'them'} in the list"
    assert links[said] == "http://localhost:8501/recommendations?status=implemented&category=trade"
    opened = app(status="implemented", category="trade")  # the overview forwards a filtered link to the list
    assert table_titles(opened) == expected_titles(demo_file, categories=("trade",), statuses=("implemented",))
    assert headline(opened)["Shown"] == f"{len(trade)} of {len(everything)}"
    # A bar of the scorecard narrows by its addressee and status alike; the counts add up to every row.
    for href, said in by_addressee["links"][430]:
        count = int(said.split(": ")[1])
        assert "addressee=" in href and "status=" in href and count > 0
    assert sum(int(said.split(": ")[1]) for _, said in by_category["links"][520]) == len(frame)


def test_table_matches_core_filtering(app, demo_file):
    at = app(addressee="south_korea")
    tracker = YamlStore(demo_file).load(today=TODAY)
    frame = analysis.statuses_as_of(tracker, TODAY)
    expected = filter_recommendations(frame, View(as_of=TODAY, filters={"addressee": ("south_korea",)}))
    assert table_titles(at) == list(expected["title"])


def test_share_link_and_frozen_permalink(app):
    at = app(status="implemented")
    link = share_link

    assert link(at).endswith("/recommendations?status=implemented")
    at.sidebar.checkbox(key="share_freeze").check().run()
    pinned = f"/recommendations?status=implemented&as_of={TODAY.isoformat()}&frozen=1&published={TODAY.isoformat()}T"
    assert pinned in link(at)
    frozen = app(as_of="2023-03-10", frozen="1")
    assert any("This is a frozen link" in info.value and "10 Mar 2023" in info.value for info in frozen.info)
    assert frozen.sidebar.date_input(key="f_as_of").disabled
    assert edit_sections(frozen) == []  # a frozen view is for reading, not editing
    assert "edit" not in page_paths(frozen) and "edit" in page_paths(app())


def test_one_picker_offers_every_download(app):
    at = app(category="trade")
    assert at.title[0].value == "All recommendations"
    picker = at.selectbox(key="download_what")
    labels = picker.options  # AppTest lists the labels a reader sees
    assert "Recommendations table (CSV)" in labels and "Data file (YAML)" in labels
    assert "Brief (HTML, works offline)" in labels
    assert sum(label.endswith("(PNG)") for label in labels) == 4
    assert at.download_button(key="download").label == "Download HTML"  # the brief is the default
    picker.select_index(labels.index("Recommendations table (CSV)")).run()
    assert at.download_button(key="download").label == "Download CSV"


def test_filter_reruns_do_not_reread_the_file(app, demo_file):
    import os

    at = goto(app(), "recommendations")
    implemented = expected_titles(demo_file, statuses=("implemented",))
    stat = demo_file.stat()
    raw = demo_file.read_bytes()
    # Same inode, size and modification time, but broken content: only a re-read would notice.
    with open(demo_file, "r+b") as handle:
        handle.write(b"\t" * 64)
    os.utime(demo_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    at.sidebar.multiselect(key="f_status").set_value(["implemented"]).run()
    assert not at.error and table_titles(at) == implemented
    # A real change of the file (new modification time) is picked up on the next rerun.
    os.utime(demo_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    at.sidebar.multiselect(key="f_status").set_value([]).run()
    assert "tab character is used for indentation" in at.error[1].value
    demo_file.write_bytes(raw)


def test_an_empty_tracker_says_so(tmp_path, monkeypatch, data):
    data["recommendations"] = []
    path = tmp_path / "recommendations.yaml"
    path.write_text(dump_tracker(validate_data(data, today=TODAY)), encoding="utf-8")
    monkeypatch.setenv("TRACKER_DATA", str(path))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.error
    assert [info.value for info in at.info] == [
        "This tracker holds no recommendations yet. Editors can add the first one with "
        "“Add a recommendation” on the Edit page."
    ]
    assert at.get("vega_lite_chart") == []


# -- the pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page,title,expect",
    [
        ("", "Test tracker", {"charts": 0, "drawn": 2, "headers": ["Latest changes", "Where things stand"]}),
        ("recommendations", "All recommendations", {"charts": 0, "table": True}),
        ("recommendation", "Lift export controls", {"charts": 0, "headers": ["History", "Share"]}),
        ("timeline", "Timeline", {"charts": 0, "drawn": 1, "headers": ["Context events"]}),
        ("changes", "Changes", {"charts": 0, "headers": ["What changed"]}),
        (
            "methodology",
            "Methodology",
            {"charts": 0, "headers": ["Statuses", "Progress score", "Several addressees, yearly commitments"]},
        ),
        ("edit", "Edit the tracker", {"charts": 0, "tabs": True}),
    ],
)
def test_each_page_has_its_address_title_and_content(app, page, title, expect):
    at = goto(app(), page)
    assert not at.exception
    assert [t.value for t in at.title] == [title]  # one h1 per page
    assert len(at.get("vega_lite_chart")) == expect["charts"]
    assert len(drawn_charts(at)) == expect.get("drawn", 0)
    headers = [h.value for h in at.header]
    assert headers[: len(expect.get("headers", []))] == expect.get("headers", [])
    assert at.subheader.len == 0 or headers  # never an h3 straight under the h1
    if expect.get("table"):
        assert len(table_titles(at)) == 8
    if expect.get("tabs"):
        assert edit_sections(at)[0] == "Record an update"
        assert at.text_input(key="editor_name")  # the form is at the top: the name first
    # Every chart has an accessible name, and its one-sentence summary is shown beside it.
    captions = [c.value for c in at.caption]
    for chart in at.get("vega_lite_chart"):
        assert chart.proto.alt and any(chart.proto.alt.rstrip(".") in plain(c) for c in captions)
    # The filters are offered where recommendations are listed.
    offered = [widget.key for widget in at.sidebar.multiselect]
    assert offered == (["f_status", "f_addressee", "f_category", "f_priority"] if page in FILTERED else [])


def test_the_overview_lists_the_latest_changes_with_links(app, demo_file):
    at = app()
    latest = next(html.proto.body for html in at.get("html") if 'aria-label="Latest changes"' in html.proto.body)
    items = latest.split("<li")[1:]
    assert len(items) == 5
    assert (
        'href="http://localhost:8501/recommendation?rec=trilateral-exercises" style="color:#1d4f91">'
        "1 Jun 2024: Resume trilateral exercises</a> — Implemented → Stalled "
        '(<a href="https://example.org/paused" title="Exercises paused again." '
        'aria-label="Source: Exercises paused again." style="color:#1d4f91">source</a>)</li>'
    ) in items[0]
    links = [(plain(link.proto.label), link.proto.page) for link in at.get("page_link")]
    assert sorted(links) == [
        ("Seen news? Suggest an update →", "suggest"),
        ("What changed in a period →", "changes"),
    ]
    strip = next(html.proto.body for html in at.get("html") if "<script>" not in html.proto.body)
    for label, count in (("Implemented", 3), ("Stalled", 2), ("Reversed", 0)):
        assert f"{label} <strong>{count}</strong>" in strip  # a count beside every colour


def test_timeline_numbers_the_context_events(app):
    at = goto(app(), "timeline")
    events = html_with(at, 'aria-label="Context events"')
    assert events.count("<li") == 1
    assert (
        '<li value="1"><strong>16 Mar 2023</strong> — Tokyo summit (Summit): '
        '<a href="https://example.org/summit" style="color:#1d4f91">Summit report</a> (Official)</li>'
    ) in events


@pytest.mark.parametrize(
    "params,title,address",
    [
        (
            {"rec": "forced-labor-joint-fund"},
            "Joint fund for forced-labor victims",
            {"rec": "forced-labor-joint-fund"},
        ),
        (
            {"rec": "gsomia", "as_of": "2023-06-01"},
            "Normalise intelligence sharing",
            {"rec": "gsomia", "as_of": "2023-06-01"},
        ),
        ({"status": "implemented"}, "All recommendations", {"status": "implemented"}),
        ({"category": "trade", "q": "lift"}, "All recommendations", {"category": "trade", "q": "lift"}),
        ({"since": "2026-01-01"}, "Changes", {"since": "2026-01-01"}),
        ({"as_of": "2023-06-01"}, "Test tracker", {"as_of": "2023-06-01"}),
    ],
)
def test_older_links_land_on_the_page_that_shows_them(app, params, title, address):
    at = app(**params)
    assert not at.exception and not at.warning
    assert plain(at.title[0].value) == title
    assert at.query_params == address


def test_a_title_or_a_timeline_band_opens_that_recommendation(app):
    at = app(category="trade", as_of="2024-01-01")
    row = next(row for row in table_rows(at) if row["Recommendation"] == "Restore each other to the trade whitelist")
    # The title links to its page with the view, so the filters stay with the visit.
    assert row["_links"][0] == "http://localhost:8501/recommendation?category=trade&as_of=2024-01-01&rec=whitelist"
    opened = app(category="trade", as_of="2024-01-01", rec="whitelist")
    assert opened.title[0].value == "Restore each other to the trade whitelist"
    assert opened.query_params == {"rec": "whitelist", "as_of": "2024-01-01"}
    assert table_titles(goto(opened, "recommendations")) == table_titles(at)
    # The Timeline's row of a recommendation links to its page the same way.
    rows = timeline_rows(goto(app(as_of="2024-01-01"), "timeline"))
    band = next(row for row in rows if row["name"] == "Normalise intelligence sharing")
    assert band["link"] == "http://localhost:8501/recommendation?as_of=2024-01-01&rec=gsomia"


def test_timeline_lists_every_source_of_a_context_event_and_the_header_says_the_address_is_unverified(
    demo_file, monkeypatch
):
    data = make_demo_data()
    data["context_events"][0]["sources"].append(
        {"url": "https://example.org/second", "title": "[A second report]", "kind": "news", "publisher": "Outlet"}
    )
    demo_file.write_text(dump_tracker(validate_data(data, today=TODAY)), encoding="utf-8")
    monkeypatch.setenv("TRACKER_DATA", str(demo_file))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "Web address not verified." in plain(" ".join(caption.value for caption in at.caption))
    events = html_with(goto(at, "timeline"), 'aria-label="Context events"')
    assert 'href="https://example.org/summit"' in events
    assert '<a href="https://example.org/second" style="color:#1d4f91">[A second report]</a> (Outlet, News)' in events


# -- the reader's trust (#24) ------------------------------------------------------------------------


def html_with(at, marker: str) -> str:
    """The body of the one st.html element holding `marker`."""
    bodies = [element.proto.body for element in at.get("html") if marker in element.proto.body]
    assert len(bodies) == 1, f"{len(bodies)} elements hold {marker!r}"
    return bodies[0]


@pytest.mark.parametrize("session", ["fresh", "visiting"])
def test_an_unknown_id_says_so_and_keeps_the_address(app, session):
    """A mistyped link never shows another recommendation: it says there is none, offers the closest ids and
    every recommendation as links, and the address keeps what was asked."""
    if session == "fresh":  # a link opened afresh: the page is the first the session runs
        at = AppTest.from_file(APP, default_timeout=60)
        at.switch_page("ui/pages/recommendation.py")
        at.query_params["rec"] = "export-control"
        at.run()
    else:  # reached from another page of a session that had shown a recommendation
        at = goto(goto(app(), "recommendation", rec="gsomia"), "recommendation", rec="export-control")
    assert not at.exception
    assert at.title[0].value == "No such recommendation"
    assert [plain(warning.value) for warning in at.warning] == [
        "No recommendation with the id export-control is in this tracker."
    ]
    closest = html_with(at, 'aria-label="Closest recommendations"')
    assert closest.count("<li>") == 1 and 'rec=export-controls"' in closest and "Lift export controls" in closest
    every = html_with(at, 'aria-label="All recommendations"')
    assert every.count("<li>") == 8 and 'rec=gsomia"' in every
    # Nothing of another recommendation: no status badge, no assessment, no history, no picker.
    assert not any("<strong>Status:</strong>" in element.proto.body for element in at.get("html"))
    assert not any(md.value.startswith("**Assessment**") for md in at.markdown)
    assert [h.value for h in at.main.header] == ["All recommendations"]
    assert at.query_params == {"rec": "export-control"}  # the address keeps what was asked
    # A link to a real one still opens it in the same session.
    assert goto(at, "recommendation", rec="whitelist").title[0].value == "Restore each other to the trade whitelist"


def test_an_id_like_no_other_lists_them_all(app):
    at = goto(app(as_of="2024-01-01"), "recommendation", rec="nonexistent")
    assert at.title[0].value == "No such recommendation"
    assert any(md.value == "No recommendation has a similar id." for md in at.markdown)
    assert html_with(at, 'aria-label="All recommendations"').count("<li>") == 8
    assert at.query_params == {"rec": "nonexistent", "as_of": "2024-01-01"}


@pytest.fixture
def media(monkeypatch):
    """The media file managers AppTest makes (one per run), so a test can take a deferred download: it is
    made on a click, which AppTest cannot send to the server."""
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.media_file_manager import MediaFileManager

    made = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    return made


def take_download(at, media, key: str) -> tuple[str, str]:
    """A download button's file name and text, made as a click would make it (the last run's manager)."""
    button = at.download_button(key=key)
    url = media[-1].execute_deferred(button.proto.deferred_file_id)
    return button.proto.file_name if hasattr(button.proto, "file_name") else "", media[-1]._storage.get_file(
        url.rsplit("/", 1)[1]
    ).content.decode("utf-8")


@pytest.mark.parametrize(
    "page,params,title,kind",
    [
        ("recommendation", {"rec": "gsomia"}, "Normalise intelligence sharing", "Recommendation page"),
        ("", {}, "Test tracker", "Tracker overview"),
        ("timeline", {"status": "stalled"}, "Timeline", "Timeline"),  # the view's filters stay in the link
    ],
)
def test_each_reader_page_offers_its_citation(app, media, monkeypatch, page, params, title, kind):
    """APA 7 on the page, BibTeX and RIS that the libraries read back, all pointing at the frozen link on the
    deployment's public address (never the server's own 127.0.0.1 or localhost)."""
    import bibtexparser
    import rispy

    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://tracker.example.org/sk-jp/")
    filters = {name: value for name, value in params.items() if name != "rec"}
    at = goto(app(**filters), page, **{name: value for name, value in params.items() if name == "rec"})
    assert not at.exception
    [box] = [box for box in at.get("popover") if box.proto.popover.label == "Cite this page"]
    apa = plain(next(md.value for md in at.sidebar.markdown if md.value.startswith("**Cite this page**")))
    assert apa.startswith("**Cite this page** (APA 7th edition):\ntracker.example.org. (2026, November 27). ")
    assert f"*{title}* [{kind}, as of 27 Nov 2026; as published on 27 Nov 2026 at 23:59 UTC]." in apa
    assert "Retrieved November 27, 2026, from [https://tracker.example.org/sk-jp/" in apa
    _, bibtex = take_download(at, media, "cite_bibtex")
    [entry] = bibtexparser.parse_string(bibtex).entries
    assert entry.entry_type == "online" and entry["title"] == "{" + title + "}" and entry["urldate"] == "2026-11-27"
    url = entry["url"]
    assert (
        url.startswith(f"https://tracker.example.org/sk-jp/{page}") and "frozen=1&published=2026-11-27T23:59:59Z" in url
    )
    assert all(f"{name}={value}" in url for name, value in params.items())
    _, ris = take_download(at, media, "cite_ris")
    [record] = rispy.loads(ris)
    assert record["type_of_reference"] == "ELEC" and record["title"] == title and record["urls"] == [url]
    assert record["notes"] == [f"{kind}, as of 27 Nov 2026; as published on 27 Nov 2026 at 23:59 UTC"]
    for text in (apa, bibtex, ris):
        assert "127.0.0.1" not in text and "localhost" not in text


def test_a_frozen_view_is_cited_as_published_then(app, media):
    at = goto(app(as_of="2024-01-01", frozen="1", published="2026-11-27T12:30:00Z"), "methodology")
    _, ris = take_download(at, media, "cite_ris")
    [record] = rispy_loads(ris)
    assert record["notes"] == ["Methodology, as of 1 Jan 2024; as published on 27 Nov 2026 at 12:30 UTC"]
    assert "published=2026-11-27T12:30:00Z" in record["urls"][0] and record["date"] == "2026/11/27"
    assert any(box.proto.popover.label == "Frozen: a citable link" for box in at.get("popover"))


def rispy_loads(text):
    import rispy

    return rispy.loads(text)


def test_how_sure_each_status_is_in_words(app):
    """A recommendation's page says, beside its status, what it rests on; the list names it in a few words;
    the Overview says once that evidence is thin after its latest sourced item."""
    at = goto(app(), "recommendation", rec="whitelist")
    badge = html_with(at, "<strong>Status:</strong>")
    assert "<strong>Evidence:</strong> News sources (latest 21 Jul 2023)" in badge
    at = goto(at, "recommendation", rec="liaison-offices")
    assert "<strong>Evidence:</strong> No evidence found since Jul 2022" in html_with(at, "<strong>Status:</strong>")
    rows = {row["Recommendation"]: row for row in table_rows(goto(at, "recommendations"))}
    assert rows["Restore each other to the trade whitelist"]["Evidence"] == "example.org, news"
    assert rows["Open liaison offices"]["Evidence"] == "None found since Jul 2022"
    assert rows["Open liaison offices"]["_why"] == "Judged from the updates below."
    overview = goto(at, "")
    strip = html_with(overview, 'aria-label="Recommendations per status"')
    assert strip.count("Evidence is thin") == 1  # said once, above the strip, under the answer
    assert (
        "Evidence is thin after Jun 2024: the latest sourced item is dated 1 Jun 2024, though the tracker was "
        "checked up to 1 Oct 2026, so a status unchanged since then reflects missing evidence, not confirmed inaction."
    ) in strip


def test_changes_answers_between_two_dates_with_a_readable_list(app):
    at = app(since="2023-03-01", as_of="2023-12-31")  # an older link: it opens Changes
    assert not at.exception and at.get("arrow_data_frame") == [] and at.dataframe == []  # no data grid
    answer = next(plain(md.value) for md in at.markdown if md.value.startswith("**Between"))
    assert answer == ("**Between 1 Mar and 31 Dec 2023: 7 status changes and 0 other updates, for 5 recommendations.**")
    listed = html_with(at, 'aria-label="What changed"')
    assert listed.count("<ul") == 1 + 5  # each recommendation with its own updates
    assert "Lift export controls</strong></a> — No step found → Implemented" in listed
    assert (
        "<strong>16 Mar 2023</strong> · status change: In progress → Implemented: The controls were lifted." in listed
    )
    # The 'from' date becomes the view's, and the address keeps it.
    at.date_input(key="changes_from_2023-03-01_2023-12-31").set_value(date(2023, 7, 1)).run()
    assert at.query_params == {"since": "2023-07-01", "as_of": "2023-12-31"}
    assert next(plain(md.value) for md in at.markdown if md.value.startswith("**Between")).startswith(
        "**Between 1 Jul and 31 Dec 2023: 2 status changes"
    )
    # The 'to' date is the view's as-of date: every page follows it.
    at.date_input(key="changes_to_2023-07-01_2023-12-31").set_value(date(2023, 9, 30)).run()
    assert at.query_params == {"since": "2023-07-01", "as_of": "2023-09-30"}
    assert at.sidebar.date_input(key="f_as_of").value == date(2023, 9, 30)


def test_the_methodology_opens_on_five_plain_lines(app):
    at = goto(app(), "methodology")
    summary = plain(at.markdown[0].value).split("\n")
    assert [line.split(":", 1)[0] for line in summary] == [
        "- What is tracked",
        "- What the statuses mean",
        "- Where the evidence comes from",
        "- Its limits",
        "- To suggest a correction",
    ]
    assert "the 8 recommendations of A. Writer's Jul 2022 article for Test Institute, and what" in summary[0]
    assert "No step found, In progress, Partially implemented, Implemented, Stalled, Reversed" in summary[1]
    assert "3 kinds (official, news, repost); a status changes only on official or news sources" in summary[2]
    assert "evidence is thin after Jun 2024" in summary[3]
    assert all(len(line) < 260 for line in summary)  # short lines, the detail after
    assert [h.value for h in at.main.header][-2:] == ["How the facts were gathered", "Limits of the data"]


def test_the_first_page_of_several_documents_names_them_all_and_loads_only_the_one_shown(tmp_path, monkeypatch):
    """The sidebar names every document by its title without loading them: after a restart the first page
    of a hundred documents would otherwise read all hundred. Each load keeps what it parsed in the cache
    folder, so the folder shows which documents were loaded."""
    first, index = write_two_documents(tmp_path / "documents")
    cache = tmp_path / "cache"
    monkeypatch.setenv("TRACKER_DATA", str(index))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    monkeypatch.setenv("TRACKER_CACHE_DIR", str(cache))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.sidebar.selectbox(key="f_doc").options == [FIRST_TITLE, SECOND_TITLE]
    kept = parsed_cache(str(cache))
    assert kept.entry(first).exists() and not kept.entry(first.with_name("second.yaml")).exists()


def test_all_documents_sums_up_each_document_with_a_link_to_it(tmp_path, monkeypatch):
    """Each document's card (drawn in one element): its title linking to its pages, what it is, and where its
    items stand, in the index's order."""
    _, index = write_two_documents(tmp_path / "documents")
    monkeypatch.setenv("TRACKER_DATA", str(index))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "documents")
    assert not at.exception
    cards = next(element.proto.body for element in at.get("html") if "<section" in element.proto.body)
    assert cards.index(FIRST_TITLE) < cards.index(SECOND_TITLE)
    assert '/?doc=usip-2022"' in cards and '/?doc=camp-david-2023"' in cards
    assert "8 recommendations: " in cards and "Progress score " in cards and "Latest evidence: " in cards


def test_the_header_names_a_sweep_in_one_short_line_with_its_whole_note_in_its_help(demo_file, app):
    data = make_demo_data()
    note = "Searched every archive for news of 2026 in English, Korean and Japanese, " + "page by page, " * 12
    note += "and found nothing new. The next sweep is due in March."
    data["reviews"] = [{"date": "2026-11-20", "note": note, "author": "Editor", "recorded": "2026-11-20T10:00:00Z"}]
    demo_file.write_text(dump_tracker(validate_data(data, today=TODAY)), encoding="utf-8")
    at = app()
    line = next(c for c in at.caption if "reviewed on" in plain(c.value))
    assert plain(line.value).startswith(f"All recommendations reviewed on {format_date('2026-11-20')}: Searched every")
    assert plain(line.value).endswith("…") and "next sweep" not in plain(line.value)
    assert plain(line.proto.help) == note


def test_a_short_sweep_note_is_said_whole_with_no_help(demo_file, app):
    data = make_demo_data()
    data["reviews"] = [
        {"date": "2026-11-20", "note": "Searched the news.", "author": "E", "recorded": "2026-11-20T10:00:00Z"}
    ]
    demo_file.write_text(dump_tracker(validate_data(data, today=TODAY)), encoding="utf-8")
    line = next(c for c in app().caption if "reviewed on" in plain(c.value))
    assert plain(line.value) == f"All recommendations reviewed on {format_date('2026-11-20')}: Searched the news."
    assert not line.proto.help


def test_a_long_timeline_shows_its_first_rows_and_says_how_many_are_left_out(app, monkeypatch):
    import ui.bands

    monkeypatch.setattr(ui.bands, "ROWS_SHOWN", 3)
    at = goto(app(), "timeline")
    assert len(timeline_rows(at)) == 3
    assert any(
        "The timeline shows the first 3 of 8; narrow them with the filters in the sidebar." in plain(c.value)
        for c in at.caption
    )
    monkeypatch.setattr(ui.bands, "ROWS_SHOWN", 100)
    at = goto(app(), "timeline")
    assert len(timeline_rows(at)) == 8 and not any("The timeline shows the first" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("item_word", "button", "label"),
    [
        ("recommendation", "Another recommendation", "Recommendation"),
        ("commitment", "Another commitment", "Commitment"),
    ],
)
def test_a_recommendations_page_offers_another_behind_a_button_named_by_its_item(
    tmp_path, monkeypatch, item_word, button, label
):
    """The choice of another item and Follow or embed are in popovers (the browser draws them only when
    opened); the button says what the document's items are."""
    data = make_demo_data()
    data["tracker"]["article"]["item_word"] = item_word
    path = tmp_path / "recommendations.yaml"
    path.write_text(dump_tracker(validate_data(data, today=TODAY)), encoding="utf-8")
    monkeypatch.setenv("TRACKER_DATA", str(path))
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    at = goto(AppTest.from_file(APP, default_timeout=60).run(), "recommendation", rec="export-controls")
    assert not at.exception
    assert {button, "Follow or embed this recommendation"} <= popover_labels(at)
    picker = at.selectbox(key="f_rec")
    assert picker.label == label and picker.value == "export-controls"
    picker.set_value("whitelist").run()
    assert at.title[0].value == next(rec["title"] for rec in data["recommendations"] if rec["id"] == "whitelist")
