"""The static site (tracker/site.py, `python -m tracker site`): what it holds, that it answers like the API,
that every link resolves and every page parses, that no editor's data reaches it, and that builds are
deterministic, incremental and safe. Built from the tests' own trackers on fixed moments."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import html5lib
import jsonschema
import pandas as pd
import pytest
import vl_convert as vlc
from conftest import RECORDED, ROOT, TODAY, make_data, make_demo_data, new_recommendation
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import analysis, api, collection, feed, site
from tracker.edition import as_published, record_times
from tracker.edits import insert_update
from tracker.errors import TrackerError
from tracker.language import words
from tracker.model import Update
from tracker.records import list_records
from tracker.validation import validate_data
from tracker.view import View
from tracker.yaml_text import dump_tracker

BASE = "https://tracker.example/sub/path"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
LATER = datetime(2026, 11, 28, 9, 30, tzinfo=timezone.utc)
SCHEMA = json.loads((ROOT / "docs" / "api-schema.json").read_text(encoding="utf-8"))
OPTIONS = site.Options(base_url=BASE)


def demo():
    return validate_data(make_demo_data(), today=TODAY)


def build(tracker, folder: Path, *, now=NOW, options=OPTIONS) -> site.Report:
    return site.build_site(tracker, folder, now=now, options=options)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def updated(tracker, rec_id: str, status: str, note: str, recorded: str = "2026-11-28T09:30:00Z"):
    """The tracker after one sourced update of one recommendation, recorded after NOW."""
    update = Update(
        date="2026-11-20",
        status=status,
        note=note,
        sources=[{"url": "https://example.org/new", "title": "New source", "kind": "news"}],
        author="Second analyst",
        recorded=recorded,
    )
    return insert_update(tracker, rec_id, update, today=TODAY)


def inputs_of(tracker) -> site.Inputs:
    """A lone tracker's `site.Inputs` at NOW, with no previous build's caches."""
    part = site.Part("", tracker, site.Edition(NOW, "f"), site.place_of("", 0, False),
                     site.recommendation_keys(tracker), {}, {})  # fmt: skip
    return site.Inputs(part, OPTIONS)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The demo tracker's site, with an address, built once for the read-only tests."""
    folder = tmp_path_factory.mktemp("site") / "public"
    build(demo(), folder)
    return folder


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids, self.meta, self.scripts = [], set(), {}, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "meta" and (attrs.get("name") or attrs.get("property")):
            self.meta.setdefault(attrs.get("name") or attrs.get("property"), []).append(attrs.get("content"))


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# ---------------------------------------------------------------- what it holds


def test_the_site_holds_every_kind_of_file(built):
    tracker = demo()
    expected = {
        "index.html", "404.html", "sitemap.xml", "edition.json", "feed.atom",
        "badge/progress.svg", "api/v1/recommendations.json", "api/v1/events.json",
        *(site.page_path(name, lang=lang) for name, _, _ in site.PAGES for lang in site.LANGUAGES),
    }  # fmt: skip
    for rec in tracker.recommendations:
        expected |= {f"feed/{rec.id}.atom", f"badge/{rec.id}.svg"}
        expected |= {site.page_path("recommendation", rec.id, lang=lang) for lang in site.LANGUAGES}
    assert site.LANGUAGES == ("en", "ko", "ja")  # every page in each, by default; feeds, badges and API once
    assert set(files_of(built)) == expected
    # The private state (manifest, the data's canonical text with editors' names) is beside it, never in it.
    assert (built.parent / ".public.state" / "manifest.json").is_file()
    assert not any(name.startswith(".") for name in files_of(built))


def test_pages_answer_like_the_api(built):
    """The numbers and statuses of the pages are the API's (the one in the site and one asked directly)."""
    tracker = demo()
    answer = json.loads((built / "api/v1/recommendations.json").read_text(encoding="utf-8"))
    query = api.Query(view=View(as_of=NOW.date()))
    direct = json.loads(api.to_json(api.recommendations_payload(tracker, query, site.SiteLinks(BASE))))
    assert {**answer, "published": None} == direct
    assert answer["published"] == "2026-11-27T12:00:00Z"
    overview = (built / site.page_path("index")).read_text(encoding="utf-8")
    counts = dict(re.findall(r'<li data-status="([a-z_]+)">.*?data-count="(\d+)"', overview))
    assert counts == {row["status"]: str(row["count"]) for row in answer["progress"]["by_status"]}
    assert f'data-score="{answer["progress"]["score"]}"' in overview
    listing = (built / site.page_path("recommendations")).read_text(encoding="utf-8")
    assert re.findall(r'<tr id="rec-([a-z0-9-]+)" data-status="([a-z_]+)"', listing) == [
        (item["id"], item["status"]["id"]) for item in answer["recommendations"]
    ]
    for item in answer["recommendations"]:
        page = (built / site.page_path("recommendation", item["id"])).read_text(encoding="utf-8")
        assert f'data-status="{item["status"]["id"]}"' in page
        assert f'<span data-label="status">{item["status"]["label"]}</span>' in page
        assert f'data-since="{item["status_since"]}"' in page
        assert f'data-last-update="{item["last_update"]}"' in page
        assert item["links"]["page"] == f"{BASE}/{site.page_path('recommendation', item['id'])}"


def test_every_recommendation_page_shows_every_source_of_every_update(built):
    for rec in demo().recommendations:
        page = (built / site.page_path("recommendation", rec.id)).read_text(encoding="utf-8")
        for update in rec.updates:
            assert update.note in page
            for source in update.sources:
                assert f'href="{source.url}"' in page
        assert rec.assessment.text in page and rec.criteria in page and rec.quote in page
        assert f"../../../feed/{rec.id}.atom" in page and f"../../../badge/{rec.id}.svg" in page


def test_a_pages_history_is_the_apps():
    tracker = demo()
    for rec in tracker.recommendations:
        for as_of in (TODAY, datetime(2023, 3, 31).date()):
            expected = analysis.history_of(tracker, rec.id, as_of).drop(columns=["author", "recorded"])
            shown = [
                {k: v for k, v in item.items() if k != "sources"}
                for item in site.history_of(rec, tracker.settings, as_of)
            ]
            assert shown == [
                {k: v for k, v in row.items() if k != "sources"} for row in expected.to_dict(orient="records")
            ]
            assert [
                [{k: v for k, v in s.items() if k != "kind_label"} for s in item["sources"]]
                for item in site.history_of(rec, tracker.settings, as_of)
            ] == list(expected["sources"])


def test_the_timeline_numbers_every_context_event_with_its_sources(built):
    page = (built / site.page_path("timeline")).read_text(encoding="utf-8")
    assert page.count("<svg") == 2  # status over time and the timeline per recommendation
    assert '<li value="1"><strong>16 Mar 2023</strong> — Tokyo summit (Summit)' in page
    assert 'href="https://example.org/summit"' in page


def test_the_api_files_follow_the_schema_and_the_feeds_parse(built):
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for name in ("api/v1/recommendations.json", "api/v1/events.json"):
        validator.validate(json.loads((built / name).read_text(encoding="utf-8")))
    events = json.loads((built / "api/v1/events.json").read_text(encoding="utf-8"))
    assert events["total"] == events["count"] and events["next"] is None
    parsed = feedparser.parse((built / "feed.atom").read_bytes())
    assert not parsed.bozo and parsed.entries
    assert parsed.entries[0].link.startswith(f"{BASE}/en/article/recommendation/")
    assert feedparser.parse((built / "feed/whitelist.atom").read_bytes()).feed.link.endswith("whitelist.html")


def test_the_event_log_is_paged_into_files_that_link_each_other(tmp_path, monkeypatch):
    monkeypatch.setattr(api, "EVENTS_PER_PAGE", 5)
    folder = tmp_path / "public"
    build(demo(), folder)
    seen, address, pages = [], f"{BASE}/api/v1/events.json", 0
    while address:
        page = json.loads((folder / address.removeprefix(BASE + "/")).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(SCHEMA).validate(page)
        assert page["offset"] == len(seen) and page["limit"] == 5
        seen += [event["id"] for event in page["events"]]
        address, pages = page["next"], pages + 1
    assert len(seen) == len(set(seen)) == page["total"] and pages == -(-page["total"] // 5) > 1
    # Each file is the API's own answer for that page, byte for byte.
    tracker, links = demo(), site.SiteLinks(BASE)
    for number in range(1, pages + 1):
        query = api.Query(view=View(as_of=NOW.date()), published=NOW, limit=5, offset=(number - 1) * 5)
        expected = api.events_payload(tracker, query, links)
        expected["next"] = f"{BASE}/{site.events_path(number + 1)}" if number < pages else None
        assert (folder / site.events_path(number)).read_bytes() == api.to_json(expected) + b"\n"


def test_the_event_log_leaves_out_what_is_dated_after_the_day_shown_until_that_day(tmp_path):
    """An update recorded before the edition's moment but dated after its day is in no file of the event log
    (the API leaves it out), until an edition on or after its day; each file the API's answer."""
    update = Update(
        date="2026-11-30", status="reversed", note="Announced for the 30th.", author="Second analyst",
        sources=[{"url": "https://example.org/new", "title": "New source", "kind": "news"}],
        recorded="2026-11-28T09:30:00Z",
    )  # fmt: skip
    later_today = (LATER + timedelta(days=3)).date()
    tracker, links, folder = (
        insert_update(demo(), "gsomia", update, today=later_today),
        site.SiteLinks(BASE),
        tmp_path / "p",
    )
    for moment, shown in ((LATER, False), (LATER + timedelta(days=2), True), (LATER, False)):
        build(tracker, folder, now=moment)
        query = api.Query(view=View(as_of=moment.date()), published=moment, limit=api.EVENTS_PER_PAGE)
        expected = api.events_payload(tracker, query, links)
        assert (folder / "api/v1/events.json").read_bytes() == api.to_json(expected) + b"\n"
        notes = [event["note"] for event in json.loads((folder / "api/v1/events.json").read_bytes())["events"]]
        assert ("Announced for the 30th." in notes) is shown


def test_the_log_kept_between_builds_is_in_the_apis_order(tmp_path):
    """The event log's entries, each recommendation's kept between builds, come in `list_records`' order,
    with ties (same record time and date, here every baseline) broken as it breaks them; the feeds too."""
    tracker = updated(demo(), "gsomia", "reversed", "Suspended again.")
    links = site.SiteLinks(BASE)
    keys = site.recommendation_keys(tracker)
    entries, cache, latest = site.log_entries(tracker, links, "k", keys, {})
    assert latest == max(place[1] for place, _, _ in entries)
    expected = [api.to_json(api.record_payload(record, tracker.settings, links)) for record in list_records(tracker)]
    assert [payload for _, _, payload in entries] == expected
    site._LOG.clear()
    again, _, _ = site.log_entries(tracker, links, "k", keys, cache)  # from the cache alone
    assert again == entries
    # After an update, from the log this process made last, with the changed recommendation's entries put in
    # (and from the cache alone): the API's order either way.
    later = updated(tracker, "whitelist", "reversed", "Back again.", recorded="2026-11-28T10:00:00Z")
    keys = site.recommendation_keys(later)
    expected = [api.to_json(api.record_payload(record, later.settings, links)) for record in list_records(later)]
    patched, cache, _ = site.log_entries(later, links, "k", keys, cache)
    assert [payload for _, _, payload in patched] == expected and len(expected) == len(entries) + 1
    site._LOG.clear()
    assert site.log_entries(later, links, "k", keys, cache)[0] == patched
    # And back (the update taken out again: its entry found by its place and removed), as a fresh log.
    back, _, _ = site.log_entries(tracker, links, "k", site.recommendation_keys(tracker), cache)
    assert back == entries
    folder = tmp_path / "public"
    build(tracker, folder, now=LATER)
    made = feed.build_feed(
        tracker, list_records(tracker)[: feed.PAGE_SIZE], base_url=links, feed_url=links.feed(),
        title=tracker.settings.title, feed_key="feed", alternate=links.page(),
    )  # fmt: skip
    assert (folder / "feed.atom").read_bytes() == made


def test_citation_and_open_graph_tags(built):
    meta = parse(built / site.page_path("recommendation", "whitelist")).meta
    assert meta["citation_title"] == ["Restore each other to the trade whitelist"]
    assert meta["citation_author"] == ["Test Institute"]
    assert meta["citation_publication_date"] == ["2026/11/27"]  # its own last record
    assert meta["citation_public_url"] == [f"{BASE}/en/article/recommendation/whitelist.html"]
    assert meta["og:title"] == meta["citation_title"]
    assert meta["og:description"][0].startswith("Implemented since 21 Jul 2023.")
    assert meta["og:url"] == meta["citation_public_url"]
    overview = parse(built / site.page_path("index")).meta
    assert overview["og:description"][0].startswith("3 of 8 implemented")


# ---------------------------------------------------------------- valid, linked, private


def test_every_page_parses_as_valid_html_and_needs_no_script(built):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        parser.parse(page.read_bytes())  # raises on any parse error
        assert parse(page).scripts == 0, page


def _resolve(folder: Path, page: Path, link: str) -> Path | None:
    """The file a link of `page` opens, or None for an address outside the site."""
    if link.startswith(BASE + "/"):
        return folder / unquote(urlsplit(link).path).removeprefix(urlsplit(BASE).path + "/")
    if urlsplit(link).scheme or link.startswith("//"):
        return None
    target = urljoin(page.relative_to(folder).as_posix(), link)
    return folder / unquote(urlsplit(target).path) if urlsplit(target).path else page


def crawl(folder: Path) -> list[str]:
    """Every internal link of every page, feed, JSON file and the sitemap that does not resolve (to a file,
    and to an element for a #fragment)."""
    broken = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".html":
            parsed = parse(path)
            links = [(link, urlsplit(link).fragment) for link in parsed.links]
        elif path.suffix in (".atom", ".xml"):
            links = [(link, "") for link in re.findall(r'(?:href="|<loc>)([^"<]+)', path.read_text(encoding="utf-8"))]
        elif path.suffix == ".json":
            links = [(link, "") for link in re.findall(r'"(https?://[^"]+)"', path.read_text(encoding="utf-8"))]
        else:
            continue
        for link, fragment in links:
            target = _resolve(folder, path, link)
            if target is None:
                continue
            if target.is_dir():  # a folder's address opens its index.html, on any web server
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(folder)}: {link}")
            elif fragment and target.suffix == ".html" and fragment not in parse(target).ids:
                broken.append(f"{path.relative_to(folder)}: {link} (no #{fragment})")
    return broken


def test_every_internal_link_resolves(built):
    assert crawl(built) == []


def test_no_editors_data_reaches_the_site(tmp_path, monkeypatch):
    """Authors (of updates, of years and of edits), a reader's contact, a passcode: none in any file of the
    site the command builds from an index of two documents (every one of them)."""
    index = tmp_path / "documents.yaml"
    index.write_text(f"documents:\n- id: {FIRST}\n  file: first.yaml\n- id: {SECOND}\n  file: second.yaml\n")
    for name, data in (("first", make_demo_data()), ("second", second_data())):
        for rec in data["recommendations"]:
            for item in rec["updates"] + rec.get("periods", []):
                item["author"] = "Canary Editor-Name"
        tracker = validate_data(data, today=TODAY)
        (tmp_path / f"{name}.yaml").write_text(dump_tracker(tracker), encoding="utf-8")
        suggestions = tmp_path / f"{name}.suggestions.yaml"
        suggestions.write_text("- contact: leak-canary@private-reader.example\n", encoding="utf-8")
    env = {**os.environ, "TRACKER_TODAY": TODAY.isoformat(), "TRACKER_EDITOR_PASSCODE": "opal-canary-passcode"}
    env.pop("TRACKER_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "site", "--data", str(index), "--out", str(tmp_path / "public"),
         "--base-url", BASE, "--edition"],
        cwd=ROOT, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    site_files = files_of(tmp_path / "public")
    assert any("editions/" in name for name in site_files)
    assert {f"en/{FIRST}/index.html", f"en/{SECOND}/index.html", f"doc/{SECOND}/feed.atom"} <= set(site_files)
    for secret in ("Canary Editor-Name", "Canary", "Test analyst", "leak-canary", "private-reader", "opal-canary"):
        for name, body in site_files.items():
            assert secret.encode() not in body, f"{secret!r} in {name}"
    assert b"Canary Editor-Name" in (tmp_path / ".public.state" / site.TABLES).read_bytes()  # kept privately


# ---------------------------------------------------------------- deterministic, incremental, safe


def test_the_same_data_and_moment_give_the_same_bytes(tmp_path):
    first, second = tmp_path / "a" / "public", tmp_path / "b" / "public"
    build(demo(), first)
    build(demo(), second)
    assert files_of(first) == files_of(second)
    edition = json.loads((first / "edition.json").read_text(encoding="utf-8"))
    assert edition["edition"] == "2026-11-27T12:00:00Z"
    assert edition["fingerprint"] == hashlib.sha256(dump_tracker(demo()).encode("utf-8")).hexdigest()


def test_the_moment_defaults_to_the_newest_record_time(tmp_path):
    tracker = updated(demo(), "gsomia", "reversed", "Suspended again.")
    report = site.build_site(tracker, tmp_path / "public", options=OPTIONS)
    assert report.edition.stamp == "2026-11-28T09:30:00Z"
    # A moment before a record leaves it out: the site is the tracker as published then.
    report = build(tracker, tmp_path / "public")
    page = (tmp_path / "public" / site.page_path("recommendation", "gsomia")).read_text(encoding="utf-8")
    assert "Suspended again." not in page and report.edition.stamp == "2026-11-27T12:00:00Z"


def test_a_rebuild_after_one_update_rewrites_only_what_changed(tmp_path):
    folder = tmp_path / "public"
    first = build(demo(), folder)
    assert first.written == first.files
    before = {name: (folder / name).stat().st_ino for name in files_of(folder)}
    again = build(demo(), folder)
    assert again.written == 0 and again.rendered < again.files  # unchanged inputs: not even rendered
    report = build(updated(demo(), "gsomia", "reversed", "Suspended again."), folder, now=LATER)
    after = {name: (folder / name).stat().st_ino for name in files_of(folder)}
    changed = {name for name in after if before.get(name) != after[name]}
    mine = {"feed/gsomia.atom", "badge/gsomia.svg"}
    mine |= {site.page_path("recommendation", "gsomia", lang=lang) for lang in site.LANGUAGES}
    tracker_wide = {
        *(site.page_path(name, lang=lang) for name, _, _ in site.PAGES for lang in site.LANGUAGES),
        "feed.atom", "badge/progress.svg", "edition.json",
        "api/v1/recommendations.json", "api/v1/events.json", "sitemap.xml",
    }  # fmt: skip
    assert mine <= changed <= mine | tracker_wide
    assert report.written == len(changed)
    # What was not rewritten is what a fresh build of the new data writes.
    fresh = tmp_path / "fresh" / "public"
    build(updated(demo(), "gsomia", "reversed", "Suspended again."), fresh, now=LATER)
    assert files_of(fresh) == files_of(folder)


def test_a_failed_build_leaves_the_previous_site_whole(tmp_path, monkeypatch):
    folder = tmp_path / "public"
    build(demo(), folder)
    before = files_of(folder)

    def broken(self, path, cited):
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(site.Pages, "timeline", broken)
    with pytest.raises(RuntimeError):
        build(updated(demo(), "gsomia", "reversed", "Suspended again."), folder, now=LATER)
    assert files_of(folder) == before
    monkeypatch.undo()
    report = build(updated(demo(), "gsomia", "reversed", "Suspended again."), folder, now=LATER)
    assert report.written and not (tmp_path / ".public.next").exists()


def test_a_build_killed_midway_leaves_a_whole_site(tmp_path, demo_file):
    """SIGKILL at several moments of a build: the live folder is always a whole site, the previous one or the
    new one, never a mix; the next build finishes the job."""
    out, fresh = tmp_path / "public", tmp_path / "fresh" / "public"
    args = ("--out", str(out), "--base-url", BASE)
    assert run("site", "--data", str(demo_file), *args).returncode == 0
    before = files_of(out)
    tracker = updated(validate_data(make_demo_data(), today=TODAY), "gsomia", "reversed", "Suspended again.")
    demo_file.write_text(dump_tracker(tracker), encoding="utf-8")
    assert run("site", "--data", str(demo_file), "--out", str(fresh), "--base-url", BASE).returncode == 0
    after = files_of(fresh)
    env = {**os.environ, "TRACKER_TODAY": TODAY.isoformat()}
    for delay in (0.4, 0.9, 1.6, 2.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tracker", "site", "--data", str(demo_file), *args], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            proc.wait(delay)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        assert files_of(out) in (before, after), f"a mixed site after a kill at {delay} s"
    assert run("site", "--data", str(demo_file), *args).returncode == 0
    assert files_of(out) == after


def test_a_swap_stopped_between_its_renames_is_put_back(tmp_path):
    """Where folders cannot be exchanged in one step, a build killed between the two renames leaves the
    previous site aside; the next build puts it back before anything else."""
    folder = tmp_path / "public"
    build(demo(), folder)
    before = files_of(folder)
    folders = site.Folders(folder)
    folder.rename(folders.old)
    (folders.staging / "en").mkdir(parents=True)  # a half-built new tree
    site.recover(folders)
    assert files_of(folder) == before and not folders.old.exists() and not folders.staging.exists()


def test_a_manifest_in_doubt_is_not_trusted(tmp_path):
    folder = tmp_path / "public"
    build(demo(), folder)
    state = tmp_path / ".public.state"
    (state / "manifest.pending.json").write_text("{}", encoding="utf-8")  # killed between manifest and swap
    report = build(demo(), folder)
    assert report.rendered == report.files and not (state / "manifest.pending.json").exists()


def test_editions_are_kept_under_their_own_address(tmp_path):
    folder = tmp_path / "public"
    options = site.Options(base_url=BASE, keep_edition=True)
    build(demo(), folder, options=options)
    first = {name: body for name, body in files_of(folder).items() if not name.startswith("editions/")}
    build(updated(demo(), "gsomia", "reversed", "Suspended again."), folder, now=LATER, options=options)
    kept = folder / "editions" / "20261127T120000Z"
    assert sorted((folder / "editions").iterdir()) == [
        folder / "editions" / "20261127T120000Z", folder / "editions" / "20261128T093000Z",
        folder / "editions" / "index.html",
    ]  # fmt: skip
    # The first edition is exactly the first build, for good.
    assert files_of(kept) == first
    unchanged = parse(folder / site.page_path("recommendation", "whitelist")).meta["citation_public_url"]
    changed = parse(folder / site.page_path("recommendation", "gsomia")).meta["citation_public_url"]
    assert unchanged == [f"{BASE}/editions/20261127T120000Z/en/article/recommendation/whitelist.html"]
    assert changed == [f"{BASE}/editions/20261128T093000Z/en/article/recommendation/gsomia.html"]
    listing = (folder / "editions" / "index.html").read_text(encoding="utf-8")
    assert "2026-11-27T12:00:00Z" in listing and "2026-11-28T09:30:00Z" in listing
    assert crawl(folder) == []


def test_without_an_address_the_site_leaves_out_what_needs_one(tmp_path):
    folder = tmp_path / "public"
    report = build(demo(), folder, options=site.Options())
    names = set(files_of(folder))
    assert not {"feed.atom", "sitemap.xml", "api/v1/recommendations.json"} & names
    assert site.page_path("recommendation", "gsomia") in names and "badge/gsomia.svg" in names
    assert "absolute addresses" in report.notes[0]
    assert crawl(folder) == []


# ---------------------------------------------------------------- the command and the app's links


def run(*args, env=None):
    env = {**os.environ, "TRACKER_TODAY": TODAY.isoformat(), **(env or {})}
    return subprocess.run([sys.executable, "-m", "tracker", *args], cwd=ROOT, capture_output=True, text=True, env=env)


def test_the_site_command(tmp_path, demo_file):
    out = tmp_path / "public"
    result = run("site", "--data", str(demo_file), "--out", str(out), "--base-url", BASE + "/", "--now", RECORDED)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Wrote the site to {out}: edition 2026-11-27T12:00:00Z, data ")
    assert "files, " in result.stdout and (out / "sitemap.xml").is_file()
    assert f"<loc>{BASE}/en/article/index.html</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")
    again = run("site", "--data", str(demo_file), "--out", str(out), "--base-url", BASE, "--now", RECORDED)
    assert " 0 written," in again.stdout
    bad = run("site", "--data", str(demo_file), "--out", str(out), "--now", "yesterday")
    assert bad.returncode == 2 and "'yesterday' is not a publication time" in bad.stderr


def test_a_bad_data_file_stops_the_build_with_validates_message(tmp_path, demo_file):
    out = tmp_path / "public"
    assert run("site", "--data", str(demo_file), "--out", str(out), "--base-url", BASE).returncode == 0
    before = files_of(out)
    text = demo_file.read_text(encoding="utf-8").replace("status: implemented", "status: done", 1)
    demo_file.write_text(text, encoding="utf-8")
    validate = run("validate", str(demo_file))
    result = run("site", "--data", str(demo_file), "--out", str(out), "--base-url", BASE)
    assert validate.returncode == result.returncode == 1
    assert result.stderr == validate.stderr and "nothing was changed" in result.stderr
    assert files_of(out) == before


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path):
    folder = tmp_path / "documents"
    (folder / "thesis.txt").parent.mkdir()
    (folder / "thesis.txt").write_text("years of work", encoding="utf-8")
    with pytest.raises(TrackerError, match="not a site built by this command"):
        build(demo(), folder)
    assert (folder / "thesis.txt").read_text(encoding="utf-8") == "years of work"
    (tmp_path / "empty").mkdir()
    assert build(demo(), tmp_path / "empty").written


def test_the_apps_pages_have_static_twins():
    assert site.twin_address("", "") is None
    assert site.twin_address(BASE, "") == f"{BASE}/en/article/index.html"
    assert site.twin_address(BASE, "timeline") == f"{BASE}/en/article/timeline.html"
    assert site.twin_address(BASE, "recommendation", "gsomia") == f"{BASE}/en/article/recommendation/gsomia.html"
    assert site.twin_address(BASE, "changes") is None and site.twin_address(BASE, "recommendation") is None
    # A reader of the app in Korean is sent to the Korean page, where the site keeps the same addresses.
    assert site.twin_address(BASE, "timeline", lang="ko") == f"{BASE}/ko/article/timeline.html"
    assert site.twin_address(BASE, "documents", lang="ja") == f"{BASE}/ja/documents.html"


def test_the_publishing_workflow_rebuilds_on_data_changes_and_is_opt_in():
    """The CI workflow that publishes the site runs on a change of data/, and only where a deployer turned it
    on: this project's own CI (.ci/run) never runs it."""
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on") or workflow.get(True)  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["paths"] == ["data/**"]
    for job in workflow["jobs"].values():
        assert job["if"] == "vars.TRACKER_SITE_PUBLISH == 'true'"
        commands = " ".join(step.get("run", "") for step in job["steps"])
        assert "python -m tracker validate" in commands
        assert "python -m tracker site --out site" in commands and "--edition" in commands
    assert ".github" not in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


# ---------------------------------------------------------------- several documents

FIRST, SECOND = "first-doc", "second-doc"
SECOND_RECORDED = "2026-11-20T08:00:00Z"  # the second document's newest record: its own, earlier, edition


def _period(year: str, met, note: str) -> dict:
    return {"period": year, "met": met, "note": note, "author": "Test analyst", "recorded": SECOND_RECORDED,
            "sources": [{"url": f"https://example.org/year-{year}", "title": f"Meeting {year}", "kind": "news"}]}  # fmt: skip


def second_data() -> dict:
    """A joint statement whose commitments take up the first document's items: a paraphrase, words from a
    fact sheet and words a report quotes, a yearly commitment with its years, and Japan's own part."""
    data = make_data()
    data["tracker"]["title"] = "Joint statement tracker"
    data["tracker"]["article"].update({"kind": "joint_statement", "item_word": "commitment", "title": "A statement"})
    data["context_events"] = []
    baseline = {"date": "2023-08", "status": "not_started", "note": "Baseline.", "author": "Test analyst",
                "recorded": SECOND_RECORDED}  # fmt: skip
    source = [{"url": "https://example.org/japan-part", "title": "Japan pays in", "kind": "official"}]
    data["recommendations"] = [
        new_recommendation(
            "meet-yearly", recorded=SECOND_RECORDED, title="Meet every year", quote="The leaders said they would meet each year.",
            quote_kind="paraphrase", addressees=["japan", "south_korea", "united_states"], category="security",
            recurrence="yearly", periods=[_period("2023", True, "They met in August."), _period("2024", False, "No meeting found.")],
            links=[{"document": FIRST, "rec": "trilateral-exercises", "relation": "takes_up"}], updates=[baseline],
        ),
        new_recommendation(
            "fund-support", recorded=SECOND_RECORDED, title="Support the joint fund", quote="Both governments support the fund.",
            quote_kind="fact_sheet", quote_source={"url": "https://example.org/fact-sheet", "title": "Fact sheet"},
            addressees=["japan", "south_korea"], category="history",
            links=[{"document": FIRST, "rec": "forced-labor-joint-fund", "relation": "repeats"}],
            updates=[baseline, {"date": "2024-02-01", "status": "in_progress", "part": "japan", "note": "Japan paid in.",
                                "sources": source, "author": "Test analyst", "recorded": SECOND_RECORDED}],
        ),
        new_recommendation(
            "hotline", recorded=SECOND_RECORDED, title="Open a hotline", quote="We will open a hotline.", quote_kind="quoted",
            quote_source={"url": "https://example.org/report", "title": "A report"}, updates=[baseline],
        ),
    ]  # fmt: skip
    return data


def two_documents() -> dict:
    """The two documents by id, the demo tracker first, as an index lists them."""
    return {FIRST: demo(), SECOND: validate_data(second_data(), today=TODAY)}


SECOND_AT = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)


def places() -> dict[str, site.Place]:
    return {FIRST: site.place_of(FIRST, 0, True), SECOND: site.place_of(SECOND, 1, True)}


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The two documents' site, with an address, each published at its own newest record time."""
    folder = tmp_path_factory.mktemp("both") / "public"
    site.build_site(two_documents(), folder, options=OPTIONS)
    return folder


def test_each_document_has_its_own_folder_and_the_first_keeps_its_old_addresses(both):
    names = set(files_of(both))
    for doc_id, tracker in two_documents().items():
        place = places()[doc_id]
        assert {site.page_path(name, document=doc_id) for name, _, _ in site.PAGES} <= names
        for rec in tracker.recommendations:
            assert {site.page_path("recommendation", rec.id, document=doc_id), f"{place.files}feed/{rec.id}.atom",
                    f"{place.files}badge/{rec.id}.svg"} <= names  # fmt: skip
        assert {f"{place.files}feed.atom", f"{place.files}api/v1/recommendations.json",
                f"{place.files}api/v1/events.json", f"{place.files}badge/progress.svg"} <= names  # fmt: skip
    # The app's addresses: the first document's files without `doc=`, the others' as `doc/<id>/`.
    assert places()[FIRST].files == "" and places()[SECOND].files == f"doc/{SECOND}/"
    assert {"en/documents.html", "en/addressees.html", "en/addressees/japan.html", "api/v1/documents.json"} <= names
    # Every page the first document had at en/article/ is still there: the very same file as its new one.
    for name in names:
        if name.startswith(f"en/{FIRST}/"):
            old = both / name.replace(f"en/{FIRST}/", "en/article/", 1)
            assert old.stat().st_ino == (both / name).stat().st_ino
            assert f'<link rel="canonical" href="{BASE}/{name}">' in old.read_text(encoding="utf-8")
    assert not any(name.startswith("en/article/") and not name.endswith(".html") for name in names)
    root = (both / "index.html").read_text(encoding="utf-8")
    assert f'url=en/{FIRST}/index.html"' in root
    assert all(ord(char) < 128 for name in names for char in name)


def test_each_documents_numbers_and_statuses_are_the_apis(both):
    """For both documents: the API's answer as of the document's own day (its statuses, counts and score)
    is the site's JSON, its overview, its table and each item's page; the event log's first page and the feed
    are the app's, with the app's permanent ids (a document other than the first names itself in them)."""
    documents = two_documents()
    summary = json.loads((both / "api/v1/documents.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in summary["documents"]] == [FIRST, SECOND]
    for (doc_id, tracker), moment, listed in zip(
        documents.items(), (NOW, SECOND_AT), summary["documents"], strict=True
    ):
        place = places()[doc_id]
        links = site.SiteLinks(BASE, document=place.folder, files=place.files)
        query = api.Query(view=View(as_of=moment.date()))
        expected = json.loads(api.to_json(api.recommendations_payload(tracker, query, links)))
        answer = json.loads((both / place.files / "api/v1/recommendations.json").read_text(encoding="utf-8"))
        assert answer == {**expected, "published": moment.strftime("%Y-%m-%dT%H:%M:%SZ")}
        counts = {row["status"]: row["count"] for row in answer["progress"]["by_status"]}
        overview = (both / site.page_path("index", document=doc_id)).read_text(encoding="utf-8")
        assert dict(re.findall(r'<li data-status="([a-z_]+)">.*?data-count="(\d+)"', overview)) == {
            status: str(count) for status, count in counts.items()
        }
        assert f'data-score="{answer["progress"]["score"]}"' in overview
        listing = (both / site.page_path("recommendations", document=doc_id)).read_text(encoding="utf-8")
        assert re.findall(r'<tr id="rec-([a-z0-9-]+)" data-status="([a-z_]+)"', listing) == [
            (item["id"], item["status"]["id"]) for item in answer["recommendations"]
        ]
        for item in answer["recommendations"]:
            page = (both / site.page_path("recommendation", item["id"], document=doc_id)).read_text(encoding="utf-8")
            assert f'<span data-label="status">{item["status"]["label"]}</span>' in page
            assert f'data-since="{item["status_since"]}"' in page
        # All documents: the same counts and score, as of the document's own day.
        assert (listed["items"], listed["progress"]["score"], listed["as_of"]) == (
            answer["progress"]["recommendations"], answer["progress"]["score"], moment.date().isoformat(),
        )  # fmt: skip
        assert {row["status"]: row["count"] for row in listed["progress"]["by_status"]} == counts
        # The event log and the feed, as the app answers them for this document.
        records = list_records(tracker, place.document)
        paged = api.Query(view=View(as_of=moment.date()), limit=api.EVENTS_PER_PAGE)
        events = api.events_payload(tracker, paged, links, records=records)
        events["published"] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert (both / place.files / "api/v1/events.json").read_bytes() == api.to_json(events) + b"\n"
        feed_key = f"doc/{doc_id}/feed" if place.document else "feed"
        made = feed.build_feed(tracker, records[: feed.PAGE_SIZE], base_url=links, feed_url=links.feed(),
                               title=tracker.settings.title, feed_key=feed_key, alternate=links.page())  # fmt: skip
        assert (both / place.files / "feed.atom").read_bytes() == made
    documents_page = (both / "en/documents.html").read_text(encoding="utf-8")
    for listed in summary["documents"]:
        section = documents_page.split(f'data-document="{listed["id"]}"')[1].split("</section>")[0]
        assert f'data-score="{listed["progress"]["score"]}"' in section
        assert re.findall(r'data-count="(\d+)"', section) == [
            str(row["count"]) for row in listed["progress"]["by_status"]
        ]


def test_by_addressee_shows_what_each_did_with_its_own_part(both):
    """Japan's page lists everything asked of it in both documents, each with Japan's own status: its part
    where one is recorded, else the item's overall status (collection.list_asked_of, as of each one's day)."""
    documents = two_documents()
    page = (both / "en/addressees/japan.html").read_text(encoding="utf-8")
    for doc_id, tracker in documents.items():
        day = (NOW if doc_id == FIRST else SECOND_AT).date()
        asked = collection.list_asked_of({doc_id: tracker}, "japan", day)
        section = page.split(f'data-document="{doc_id}"')[1].split("</section>")[0]
        assert re.findall(r'<li data-status="([a-z_]+)"><a href="([^"]+)">', section) == [
            (row.status, f"../{doc_id}/recommendation/{row.id}.html") for row in asked.itertuples()
        ]
    second = page.split(f'data-document="{SECOND}"')[1]
    assert '<li data-status="in_progress"><a href="../second-doc/recommendation/fund-support.html">' in second
    korea = (both / "en/addressees/south_korea.html").read_text(encoding="utf-8")
    assert '<li data-status="not_started"><a href="../second-doc/recommendation/fund-support.html">' in korea
    listing = (both / "en/addressees.html").read_text(encoding="utf-8")
    assert '<a href="addressees/japan.html">Japan</a>' in listing


def test_an_items_page_says_what_its_words_are(both):
    """A paraphrase is labelled and never set as a quote (no blockquote, no quotation marks); words from a fact
    sheet or quoted by a report are a quote that says where they were read; the article's own are verbatim."""
    folder = both / "en" / SECOND / "recommendation"
    paraphrase = (folder / "meet-yearly.html").read_text(encoding="utf-8")
    words = "The leaders said they would meet each year."
    assert f'<p class="paraphrase"><strong>Paraphrase:</strong> {words}</p>' in paraphrase
    assert "<blockquote" not in paraphrase and "<q>" not in paraphrase
    assert not re.search(rf"[“\"«']\s*{re.escape(words)}", paraphrase)
    fact_sheet = (folder / "fund-support.html").read_text(encoding="utf-8")
    assert "<blockquote><p>Both governments support the fund.</p></blockquote>" in fact_sheet
    assert "<strong>From the fact sheet:</strong> the words of the fact sheet on the joint statement" in fact_sheet
    assert 'href="https://example.org/fact-sheet"' in fact_sheet
    quoted = (folder / "hotline.html").read_text(encoding="utf-8")
    assert "The words of the joint statement as a report quotes them" in quoted
    verbatim = (both / site.page_path("recommendation", "whitelist", document=FIRST)).read_text(encoding="utf-8")
    assert "Verbatim from the article." in verbatim and "Paraphrase" not in verbatim


def test_an_items_page_shows_the_parts_the_years_and_the_links_both_ways(both):
    folder = both / "en" / SECOND / "recommendation"
    parts = (folder / "fund-support.html").read_text(encoding="utf-8")
    section = parts.split('<h2 id="parts">')[1].split("</section>")[0]
    assert re.findall(r"<li>([^:]+): <span", section) == ["Japan", "South Korea"]
    assert "In progress</span></li>" in section  # Japan's own part
    assert "No step found</span> (the overall status: nothing recorded for it alone)</li>" in section
    assert analysis.PARTS_RULE.replace("'", "&#39;") in section
    years = (folder / "meet-yearly.html").read_text(encoding="utf-8")
    row = years.split('<ul class="years">')[1].split("</ul>")[0]
    assert re.findall(r"<strong>(\d{4})</strong> ([a-z ]+)</li>", row) == [("2023", "met"), ("2024", "not met")]
    assert analysis.RECURRENCE_RULE in years and 'href="https://example.org/year-2024"' in years
    # The link shows on both items, each with the other's status and latest evidence as its own page shows them.
    assert (
        '<li>This commitment takes up <a href="../../first-doc/recommendation/trilateral-exercises.html">'
        "Resume trilateral exercises</a> (Test tracker): Stalled; latest evidence 1 Jun 2024.</li>"
    ) in years
    back = (both / site.page_path("recommendation", "forced-labor-joint-fund", document=FIRST)).read_text("utf-8")
    assert (
        '<li>This recommendation is repeated by <a href="../../second-doc/recommendation/fund-support.html">'
        "Support the joint fund</a> (Joint statement tracker): No step found; latest evidence 1 Feb 2024.</li>"
    ) in back
    # The methodology states both rules where the data records parts and years.
    methodology = (both / site.page_path("methodology", document=SECOND)).read_text(encoding="utf-8")
    assert analysis.RECURRENCE_RULE in methodology


def test_the_documents_site_is_valid_linked_language_tagged_and_private(both):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    pages = sorted(both.rglob("*.html"))
    for page in pages:
        parser.parse(page.read_bytes())
        assert parse(page).scripts == 0, page
        first = page.relative_to(both).parts[0]
        lang = first if first in site.LANGUAGES else "en"  # the root, 404 and editions: once, in English
        assert page.read_text(encoding="utf-8").startswith(f'<!DOCTYPE html>\n<html lang="{lang}">'), page
    assert crawl(both) == []
    for name, body in files_of(both).items():
        assert b"Test analyst" not in body, name


def test_a_second_language_is_a_loop(tmp_path):
    """Every page is made for each language, under its own folder, in that language (the words are English
    until a catalog exists); feeds, badges and API files are made once."""
    folder = tmp_path / "public"
    site.build_site(two_documents(), folder, options=site.Options(base_url=BASE, languages=("en", "ko")))
    names = set(files_of(folder))
    english = {name for name in names if name.startswith("en/")}
    assert {"ko/" + name[3:] for name in english} == {name for name in names if name.startswith("ko/")}
    assert (
        (folder / "ko/second-doc/index.html")
        .read_text(encoding="utf-8")
        .startswith('<!DOCTYPE html>\n<html lang="ko">')
    )
    assert 'url=en/first-doc/index.html"' in (folder / "index.html").read_text(encoding="utf-8")
    assert crawl(folder) == []


def test_one_document_builds_as_a_lone_tracker(tmp_path):
    alone, named = tmp_path / "alone" / "public", tmp_path / "named" / "public"
    build(demo(), alone)
    site.build_site({FIRST: demo()}, named, now=NOW, options=OPTIONS)
    assert files_of(alone) == files_of(named)


def test_a_rebuild_after_an_update_in_one_document_rewrites_only_what_shows_it(tmp_path):
    """An update of the second document rewrites its own files, the pages about every document and the first
    document's item it is linked to (which shows its status); every other file of the first stays as it was."""
    folder = tmp_path / "public"
    site.build_site(two_documents(), folder, options=OPTIONS)
    before = {name: (folder / name).stat().st_ino for name in files_of(folder)}
    documents = two_documents()
    update = Update(date="2026-11-21", status="implemented", note="Done.", author="Test analyst",
                    sources=[{"url": "https://example.org/done", "title": "Done", "kind": "news"}],
                    recorded="2026-11-21T10:00:00Z")  # fmt: skip
    documents[SECOND] = insert_update(documents[SECOND], "fund-support", update, today=TODAY)
    report = site.build_site(documents, folder, options=OPTIONS)
    after = {name: (folder / name).stat().st_ino for name in files_of(folder)}
    changed = {name for name in after if before.get(name) != after[name]}
    langs = site.LANGUAGES
    linked = {f"{lang}/{folder_name}/recommendation/forced-labor-joint-fund.html"
              for folder_name in (FIRST, "article") for lang in langs}  # fmt: skip
    portfolio = {"api/v1/documents.json", "edition.json", "sitemap.xml",
                 *(f"{lang}/{name}.html" for name in ("documents", "addressees") for lang in langs),
                 *(f"{lang}/addressees/{addressee}.html" for addressee in ("japan", "south_korea", "united_states")
                   for lang in langs)}  # fmt: skip
    second = {name for name in after if name.startswith((*(f"{lang}/{SECOND}/" for lang in langs), f"doc/{SECOND}/"))}
    assert changed - second == linked | portfolio  # every addressee's page shows the second document
    assert {f"{lang}/{SECOND}/recommendation/fund-support.html" for lang in langs} <= changed
    assert report.written == len(changed)
    # The first document was not even rendered again, but for its linked item.
    assert report.rendered < len(second) + len(linked) + len(portfolio) + 1
    fresh = tmp_path / "fresh" / "public"
    site.build_site(documents, fresh, options=OPTIONS)
    assert files_of(fresh) == files_of(folder)


def test_a_documents_id_may_not_take_a_folder_the_site_uses(tmp_path):
    for ids in ((FIRST, "addressees"), (FIRST, "article")):
        documents = dict(zip(ids, two_documents().values(), strict=True))
        with pytest.raises(TrackerError, match=f"The document '{ids[1]}' cannot have a folder"):
            site.build_site(documents, tmp_path / "public", options=OPTIONS)
    assert not (tmp_path / "public").exists()


def test_the_tables_kept_between_builds_are_the_analyses(tmp_path):
    """The event log and the statuses table patched from the previous build's (changed, added and removed
    recommendations made again) equal the whole tables made at once; a new day makes the statuses again."""
    tracker = demo()
    settings_key, as_of = "k", NOW.date()
    keys = site.recommendation_keys(tracker)
    log, kept_log = site.kept_log(tracker, keys, settings_key, {})
    frame, _, kept_frame = site.kept_statuses(tracker, as_of, log, keys, "s", {})
    changed = updated(tracker, "gsomia", "reversed", "Suspended again.")
    changed = changed.model_copy(update={"recommendations": [
        *changed.recommendations[1:], tracker.recommendations[0].model_copy(update={"id": "moved-to-the-end"})]})  # fmt: skip
    for later, day in ((changed, as_of), (changed, TODAY.replace(day=28)), (tracker, as_of)):
        keys = site.recommendation_keys(later)
        cache = {"log": kept_log, "statuses": kept_frame}
        log, _ = site.kept_log(later, keys, settings_key, cache)
        pd.testing.assert_frame_equal(log, analysis.list_updates(later).drop(columns=["sources"]))
        frame, made, _ = site.kept_statuses(later, day, log, keys, "s" if day == as_of else "t", cache)
        pd.testing.assert_frame_equal(frame, analysis.statuses_as_of(later, day))
        assert (made < set(keys)) == (day == as_of)


def test_tables_patched_build_after_build_stay_the_analyses_and_are_taken_whole_again(monkeypatch):
    """Each patch puts slices of the previous table end to end (its text columns then made of more pieces);
    once they hold more than MAX_CHUNKS, the table is taken whole again (one piece). Build after build, every
    recommendation updated in turn, the patched tables equal the whole tables made at once."""
    monkeypatch.setattr(site, "MAX_CHUNKS", 6)
    tracker = demo()
    keys = site.recommendation_keys(tracker)
    log, kept = site.kept_log(tracker, keys, "k", {})
    pieces = []
    for n in range(12):
        rec = tracker.recommendations[n % len(tracker.recommendations)]
        status = "implemented" if rec.updates[-1].status != "implemented" else "partial"
        tracker = updated(tracker, rec.id, status, f"Update {n}.", recorded=f"2026-11-28T09:{n:02d}:00Z")
        keys = site.recommendation_keys(tracker)
        log, kept = site.kept_log(tracker, keys, "k", {"log": kept})
        pd.testing.assert_frame_equal(log, analysis.list_updates(tracker).drop(columns=["sources"]))
        pieces.append(site._chunks(log))
    assert max(pieces) <= 6 + 3  # never more than the bound and one patch's slices
    assert 1 in pieces[1:]  # taken whole again at least once
    assert any(count > 1 for count in pieces)  # and slices shared the rest of the time


def test_the_bundled_index_builds_and_every_link_resolves(tmp_path):
    """The bundled documents (the invariant only: whatever they hold, their site builds, parses and links)."""
    from tracker.storage import list_documents, open_store

    # A far day for validation only (no date of the data is then in the future); the site is built as of each
    # document's newest record.
    far = datetime(2100, 1, 1).date()
    index = ROOT / "data" / "documents.yaml"
    documents = {doc.id: open_store(doc.location).load(today=far) for doc in list_documents(index)}
    folder = tmp_path / "public"
    site.build_site(documents, folder, options=OPTIONS)
    assert crawl(folder) == []
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for page in sorted(folder.rglob("*.html")):
        parser.parse(page.read_bytes())


# ---------------------------------------------------------------- in English, Korean and Japanese (#27)

TRANSLATED = "2026-11-27T11:00:00Z"  # before NOW: the edition shows them
KO_TITLE = "수출 규제 해제"
KO_QUOTE = "수출 규제를 해제하라."
KO_ASSESSMENT = "아래 업데이트로 판단했다."
JA_STATUS = "実施済み"


def translated():
    """The demo tracker with a few Korean texts (a title; a quote, not reviewed; an assessment whose English
    changed since) and a Japanese status label; every other text missing."""
    from tracker.translation import add_translation

    tracker = demo()
    texts = [
        ("ko", "recommendation", "export-controls", "title", KO_TITLE),
        ("ko", "recommendation", "export-controls", "quote", KO_QUOTE),
        ("ko", "recommendation", "whitelist", "assessment", KO_ASSESSMENT),
        ("ja", "status", "implemented", "label", JA_STATUS),
    ]
    for lang, target, item_id, field_name, text in texts:
        fields = {"lang": lang, "target": target, "id": item_id, "field": field_name, "text": text}
        tracker = add_translation(tracker, fields, author="Tracker project", recorded=TRANSLATED)
    # The English of the whitelist's assessment changes after it was translated: the translation is outdated.
    recs = [
        rec.model_copy(update={"assessment": rec.assessment.model_copy(update={"text": "Rewritten since."})})
        if rec.id == "whitelist"
        else rec
        for rec in tracker.recommendations
    ]
    return tracker.model_copy(update={"recommendations": recs})


@pytest.fixture(scope="module")
def languages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("languages") / "public"
    build(translated(), folder)
    return folder


def read(folder: Path, path: str) -> str:
    return (folder / path).read_text(encoding="utf-8")


def test_every_page_is_made_in_english_korean_and_japanese(languages):
    names = set(files_of(languages))
    english = {name for name in names if name.startswith("en/")}
    for lang in ("ko", "ja"):
        assert {f"{lang}/{name[3:]}" for name in english} == {name for name in names if name.startswith(f"{lang}/")}
        page = read(languages, site.page_path("recommendation", "gsomia", lang=lang))
        assert page.startswith(f'<!DOCTYPE html>\n<html lang="{lang}">')
        assert f"body {{ font-family: {site.KNOWN_LANGUAGES[lang].fonts}; }}" in page  # its CJK font stack
    # Feeds, badges and API files once; the root still opens the English overview.
    assert not any(name.startswith(("ko/feed", "ja/feed", "ko/api", "ja/badge")) for name in names)
    assert 'url=en/article/index.html"' in read(languages, "index.html")
    assert "<style>body { font-family" not in read(languages, site.page_path("index"))  # base.css's fonts


def test_a_korean_page_shows_the_korean_of_the_data_and_marks_what_is_not(languages):
    t = words("ko").t  # the marks in the page's language (English where the catalog has no Korean yet)
    page = read(languages, site.page_path("recommendation", "export-controls", lang="ko"))
    assert f"<title>{KO_TITLE} · " in page and f"<h1>{KO_TITLE}</h1>" in page
    # The quote in its original words, tagged as English; its translation labelled as one, and by whom.
    assert '<blockquote lang="en"><p>Lift export controls.</p></blockquote>' in page
    label = page.split('<div class="quote-translation">')[1].split("</div>")[0]
    assert t("Translation by the tracker project, not yet reviewed") in label and KO_QUOTE in label
    # Its assessment has no Korean: the English, tagged, marked in the page's language (English words until
    # the Korean catalog has them).
    assessment = page.split('<section aria-labelledby="why">')[1].split("</p>")[0]
    assert '<span lang="en">' in assessment and 'data-translation="missing"' in assessment
    assert t("English: not yet translated") in assessment
    # Dates as Korean writes them.
    assert "년" in page.split('<dl class="facts">')[1].split("</dl>")[0]
    # A title with no Korean: the English, tagged and marked under the heading.
    other = read(languages, site.page_path("recommendation", "gsomia", lang="ko"))
    assert '<h1><span lang="en">Normalise intelligence sharing</span></h1>' in other
    assert f'data-translation="missing">({t("English: not yet translated")})' in other
    # The list shows the Korean title, the English one tagged.
    table = read(languages, site.page_path("recommendations", lang="ko"))
    assert f">{KO_TITLE}</a>" in table and '<span lang="en">Normalise intelligence sharing</span>' in table
    # The English page is the English.
    english = read(languages, site.page_path("recommendation", "export-controls"))
    assert KO_TITLE not in english and "translation-mark" not in english and "quote-translation" not in english


def test_an_outdated_translation_is_shown_marked(languages):
    page = read(languages, site.page_path("recommendation", "whitelist", lang="ko"))
    assessment = page.split('<section aria-labelledby="why">')[1].split("</p>")[0]
    assert KO_ASSESSMENT in assessment and "Rewritten since." not in assessment
    changed = words("ko").t("the English has changed since this translation")
    assert f'data-translation="outdated">({changed})' in assessment


def test_a_japanese_page_uses_the_japanese_label(languages):
    page = read(languages, site.page_path("recommendation", "export-controls", lang="ja"))
    assert f'<span data-label="status">{JA_STATUS}</span>' in page
    assert f"{JA_STATUS}</span>" in read(languages, site.page_path("index", lang="ja"))


def _alternates(folder: Path, path: str) -> dict[str, str]:
    """A page's hreflang links, as paths from the site's root."""
    found = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', read(folder, path))
    return {code: href.removeprefix(BASE + "/") for code, href in found}


def test_hreflang_alternates_are_reciprocal_and_the_switcher_links_them(languages):
    pages = [str(p.relative_to(languages)) for p in languages.rglob("*.html")]
    pages = [name for name in pages if name.split("/")[0] in site.LANGUAGES]
    assert len(pages) > 30
    for name in pages:
        alternates = _alternates(languages, name)
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', read(languages, name))[1]
        own = canonical.removeprefix(BASE + "/")
        assert set(alternates) == {*site.LANGUAGES, "x-default"}, name
        assert alternates[name.split("/")[0]] == own and alternates["x-default"] == alternates["en"]
        for code in site.LANGUAGES:
            assert _alternates(languages, alternates[code])[name.split("/")[0]] == own, (name, code)
    # A switcher of plain links, each language named in itself, the current one marked.
    page = read(languages, site.page_path("timeline", lang="ja"))
    switcher = page.split('<nav class="languages"')[1].split("</nav>")[0]
    assert '<a href="../../en/article/timeline.html" hreflang="en" lang="en">English</a>' in switcher
    assert '<a href="../../ko/article/timeline.html" hreflang="ko" lang="ko">한국어</a>' in switcher
    assert 'hreflang="ja" lang="ja" aria-current="page">日本語</a>' in switcher


def test_the_sitemap_lists_every_language_with_its_alternates(languages):
    sitemap = read(languages, "sitemap.xml")
    for lang in site.LANGUAGES:
        assert f"<loc>{BASE}/{lang}/article/recommendation/gsomia.html</loc>" in sitemap
    entry = sitemap.split(f"<loc>{BASE}/ko/article/index.html</loc>")[1].split("</url>")[0]
    for lang in site.LANGUAGES:
        assert f'<xhtml:link rel="alternate" hreflang="{lang}" href="{BASE}/{lang}/article/index.html" />' in entry
    html5lib.parse(sitemap)  # well formed enough; the crawl below follows every address
    import xml.etree.ElementTree as ET

    ET.fromstring(sitemap.encode("utf-8"))


def test_every_link_resolves_and_every_page_parses_in_every_language(languages):
    assert crawl(languages) == []
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for page in languages.rglob("*.html"):
        parser.parse(page.read_bytes())


def test_a_translation_rewrites_only_the_pages_in_its_language_that_show_it(tmp_path):
    from tracker.translation import add_translation

    folder = tmp_path / "public"
    build(translated(), folder)
    before = {name: (folder / name).stat().st_ino for name in files_of(folder)}
    fields = {"lang": "ja", "target": "recommendation", "id": "gsomia", "field": "title", "text": "情報共有の正常化"}
    tracker = add_translation(translated(), fields, author="Tracker project", recorded="2026-11-28T09:30:00Z")
    build(tracker, folder, now=LATER)
    after = {name: (folder / name).stat().st_ino for name in files_of(folder)}
    changed = {name for name in after if before.get(name) != after[name]}
    assert site.page_path("recommendation", "gsomia", lang="ja") in changed
    # Its other pages, and every other language's recommendation pages, stay as they were.
    assert not {name for name in changed if "/recommendation/" in name} - {
        site.page_path("recommendation", "gsomia", lang="ja")
    }
    assert "情報共有の正常化" in read(folder, site.page_path("recommendations", lang="ja"))
    fresh = tmp_path / "fresh" / "public"
    build(tracker, fresh, now=LATER)
    assert files_of(fresh) == files_of(folder)


def test_a_chart_is_drawn_as_the_exports_draw_it():
    """The site draws its charts without Altair's validation: the same SVG as `export_chart`'s."""
    from tracker import charts
    from tracker.exports import export_chart

    built = charts.build_charts(demo(), View(as_of=NOW.date()), names=(*site.SUMMARY, *site.OVER_TIME))
    for chart in built.values():
        svg = export_chart(chart, "svg").decode("utf-8")
        assert site.draw_svg(chart) == svg[svg.find("<svg") :]


@pytest.mark.parametrize("lang", site.LANGUAGES)
def test_a_chart_drawn_from_its_compiled_template_is_altairs_drawing(lang, monkeypatch):
    """The charts of statuses are drawn from a Vega template compiled once per chart, language and settings,
    with only their rows put in: byte for byte the SVG of the whole Altair chart, in every language, for the
    demo's rows and for others (the template kept from the first is used again, not compiled anew)."""
    from tracker import charts

    tracker = translated()
    reading = site.Reading(tracker, lang)
    settings = reading.settings
    w = reading.words
    changed = updated(tracker, "gsomia", "reversed", "Suspended again.")
    monkeypatch.setattr(site, "_COMPILED", {})
    for n, data in enumerate((tracker, changed)):
        data = data.model_copy(update={"settings": settings})
        rows = charts.chart_data(data, View(as_of=NOW.date()), names=site.FROM_TEMPLATE)
        for name in site.FROM_TEMPLATE:
            chart = charts.build_all(rows, settings, (name,), w)[name]
            if name in site.CHART_WIDTHS:
                chart = chart.properties(width=site.CHART_WIDTHS[name])
            assert site.draw_chart(name, rows, settings, w) == site.draw_svg(chart), (n, name)
            # Drawn without the tooltips Vega would work out for every row (an SVG never shows them).
            assert '"tooltip"' in json.dumps(vlc.vegalite_to_vega(chart.to_dict(), vl_version=site.VL_VERSION))
            assert '"tooltip"' not in "".join(site.compiled(name, settings, w)[0])
        assert len(site._COMPILED) == len(site.FROM_TEMPLATE)
    frame = pd.DataFrame({"share": [0.1, 0.2]})
    assert site.vega_values(frame) is None  # floats: drawn whole, never guessed


def test_the_rows_over_time_made_once_and_relabelled_are_those_made_in_each_language(tmp_path, monkeypatch):
    """The status-over-time chart's rows, and the summary charts' counts, are made once per build and given each
    language's labels: exactly the rows `chart_data` makes with that language's settings (a Japanese status
    label included); so are every chart's rows made from the first day and the log of the shown
    recommendations made once."""
    chart_data = site.charts.chart_data
    checked = []

    def checking(tracker, view, log=None, *, shown=None, names=site.charts.CHART_NAMES, given=None, **made):
        rows = chart_data(tracker, view, log, shown=shown, names=names, given=given, **made)
        fresh = chart_data(tracker, view, log, shown=shown, names=names)
        assert rows.keys() == fresh.keys()
        for dataset in rows:  # the first day and the log made once per build give the same rows
            pd.testing.assert_frame_equal(rows[dataset], fresh[dataset])
        for dataset in given or {}:
            pd.testing.assert_frame_equal(rows[dataset], fresh[dataset])
            labels = dict(zip(rows[dataset]["status"], rows[dataset]["status_label"], strict=True))
            checked.append((dataset, labels["implemented"]))
        return rows

    monkeypatch.setattr(site.charts, "chart_data", checking)
    build(translated(), tmp_path / "public")
    assert {dataset for dataset, _ in checked} == {"over_time", "category_counts", "addressee_counts"}
    # Their JSON, relabelled as text, is the JSON of the relabelled rows, in every language.
    tracker = translated()
    inputs = inputs_of(tracker)
    for lang in site.LANGUAGES:
        settings = inputs.reading(lang).settings
        assert inputs.over_time_values_in(settings) == site.vega_values(inputs.over_time_in(settings)), lang
    assert len({label for _, label in checked}) == 2  # the Japanese label and the English one (Korean's)


def test_a_chart_is_drawn_again_only_when_its_rows_change_and_a_rebuild_is_a_fresh_build(tmp_path, monkeypatch):
    """Charts are kept between builds by their rows, words and settings: a review that keeps the status draws
    again only the timeline (where it is a dot), a status change every chart of statuses, in every language.
    After each, the site is byte for byte what a fresh build of the same data makes, in every language."""
    drawn = []
    drawing = site.drawing

    def counting(name, rows, settings, w, values=None):
        drawn.append((name, w.code))
        return drawing(name, rows, settings, w, values)

    monkeypatch.setattr(site, "drawing", counting)
    folder = tmp_path / "public"
    first = translated()
    build(first, folder)
    every = {(name, lang) for name in (*site.SUMMARY, *site.OVER_TIME) for lang in site.LANGUAGES}
    assert sorted(drawn) == sorted(every)  # each chart once per language
    overview = {lang: read(folder, site.page_path("index", lang=lang)) for lang in site.LANGUAGES}

    drawn.clear()
    status = analysis.statuses_as_of(first, NOW.date()).set_index("id").loc["gsomia", "status"]
    same_day = datetime(2026, 11, 27, 12, 30, tzinfo=timezone.utc)
    reviewed = updated(first, "gsomia", status, "Checked again: no change.", recorded="2026-11-27T12:30:00Z")
    build(reviewed, folder, now=same_day)
    assert set(drawn) == {("timeline", lang) for lang in site.LANGUAGES}
    for lang in site.LANGUAGES:  # the overview's charts are the previous build's, byte for byte
        figures = re.findall(r"<figure.*?</figure>", read(folder, site.page_path("index", lang=lang)), re.S)
        assert figures and figures == re.findall(r"<figure.*?</figure>", overview[lang], re.S)
    fresh = tmp_path / "fresh-review" / "public"
    build(reviewed, fresh, now=same_day)
    assert files_of(fresh) == files_of(folder)

    drawn.clear()
    changed = updated(reviewed, "gsomia", "reversed", "Suspended again.")
    build(changed, folder, now=LATER)
    assert sorted(drawn) == sorted(every)
    for lang in site.LANGUAGES:
        chart = re.search(r'<figure id="chart-status_by_category".*?</figure>', overview[lang], re.S).group(0)
        assert chart not in read(folder, site.page_path("index", lang=lang))  # drawn with the new statuses
    fresh = tmp_path / "fresh-change" / "public"
    build(changed, fresh, now=LATER)
    assert files_of(fresh) == files_of(folder)


def test_pages_rendered_while_their_charts_are_drawn_are_the_pages_rendered_with_them(tmp_path, monkeypatch):
    """The pages that show charts are rendered while the charts are drawn, each chart's place held by a mark
    and filled in once it is drawn (`Held`): in every language, after a first build and after a status change,
    the site is byte for byte the one built with each page rendered once its charts are drawn, and no mark is
    left in any file."""
    first = translated()
    changed = updated(first, "gsomia", "reversed", "Suspended again.")
    held, at_once = tmp_path / "held" / "public", tmp_path / "at-once" / "public"
    for tracker, moment in ((first, NOW), (changed, LATER)):
        build(tracker, held, now=moment)
        with monkeypatch.context() as patched:
            patched.setattr(site.Inputs, "hold", lambda self, lang, render: render())
            build(tracker, at_once, now=moment)
        files = files_of(held)
        assert files == files_of(at_once)
        assert not [name for name, data in files.items() if b"<!--chart " in data]
        assert b"<svg" in files[site.page_path("timeline", lang="ko")]


def test_a_held_page_is_finished_with_each_chart_in_its_place():
    marks = {b"<!--chart en b-->": lambda: "<svg>B</svg>", b"<!--chart en a-->": lambda: "<svg>A</svg>"}
    page = site.Held(b"<p>1</p><!--chart en a--><p>2</p><!--chart en b--><p>3</p>", marks)
    assert page.finish() == b"<p>1</p><svg>A</svg><p>2</p><svg>B</svg><p>3</p>"


def test_charts_are_drawn_again_when_other_fonts_are_installed(tmp_path, monkeypatch):
    """A chart kept between builds was drawn with the fonts installed then (vl-convert measures its text
    with them): once others are installed (the CJK fonts, say), a rebuild of the same data draws every chart
    again, in every language."""
    from tracker import drawing

    drawn = []
    real = site.drawing
    monkeypatch.setattr(site, "drawing", lambda name, rows, settings, w, values=None: drawn.append(
        (name, w.code)) or real(name, rows, settings, w, values))  # fmt: skip
    folder = tmp_path / "public"
    build(demo(), folder)
    every = sorted(drawn)
    drawn.clear()
    build(demo(), folder)
    assert drawn == []  # the same data and fonts: every chart kept
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "New.ttf").write_bytes(b"a font")
    monkeypatch.setattr(drawing, "FONT_FOLDERS", (*drawing.FONT_FOLDERS, str(fonts)))
    drawing.fonts_key.cache_clear()
    try:
        build(demo(), folder)
    finally:
        monkeypatch.undo()
        drawing.fonts_key.cache_clear()
    assert sorted(drawn) == every


def test_charts_of_statuses_whose_inputs_are_unchanged_are_taken_without_their_rows(tmp_path, monkeypatch):
    """After a review that keeps the status, the charts of statuses and their sentences are what the previous
    build made: their rows are not worked out again (only the timeline's, where the review is a dot). A change
    they read other than a status (a category) works them out again. Each rebuild is a fresh build's bytes."""
    asked = []
    real = site.charts.chart_data
    monkeypatch.setattr(site.charts, "chart_data", lambda *args, **kwargs: asked.append(kwargs["names"]) or real(
        *args, **kwargs))  # fmt: skip
    folder = tmp_path / "public"
    first = translated()
    build(first, folder)
    status = analysis.statuses_as_of(first, NOW.date()).set_index("id").loc["gsomia", "status"]
    same_day = datetime(2026, 11, 27, 12, 30, tzinfo=timezone.utc)
    reviewed = updated(first, "gsomia", status, "Checked again: no change.", recorded="2026-11-27T12:30:00Z")
    asked.clear()
    build(reviewed, folder, now=same_day)
    assert asked and all(set(names) <= {"timeline"} for names in asked), asked
    fresh = tmp_path / "fresh-review" / "public"
    build(reviewed, fresh, now=same_day)
    assert files_of(fresh) == files_of(folder)

    rec = next(rec for rec in reviewed.recommendations if rec.id == "gsomia")
    other = next(c.id for c in reviewed.settings.categories if c.id != rec.category)
    moved = reviewed.model_copy(update={"recommendations": [
        r.model_copy(update={"category": other}) if r.id == "gsomia" else r for r in reviewed.recommendations]})  # fmt: skip
    asked.clear()
    build(moved, folder, now=same_day)
    assert any("status_by_category" in names for names in asked)
    fresh = tmp_path / "fresh-moved" / "public"
    build(moved, fresh, now=same_day)
    assert files_of(fresh) == files_of(folder)


def test_a_back_dated_update_rebuilds_as_a_fresh_build_in_every_language(tmp_path):
    """A status change dated before the recommendation's newest update (recorded now, inserted in its history)
    moves the charts' past: the rebuild draws them again and is byte for byte a fresh build, in all three
    languages."""
    first = translated()
    folder = tmp_path / "public"
    build(first, folder)
    before = {lang: read(folder, site.page_path("timeline", lang=lang)) for lang in site.LANGUAGES}
    update = Update(
        date="2022-12-01",
        status="in_progress",
        note="Found later: talks had started.",
        sources=[{"url": "https://example.org/later", "title": "Later source", "kind": "news"}],
        author="Second analyst",
        recorded="2026-11-28T09:30:00Z",
    )
    back_dated = insert_update(first, "gsomia", update, today=TODAY)
    assert [u.date for u in next(r for r in back_dated.recommendations if r.id == "gsomia").updates][1] == "2022-12-01"
    build(back_dated, folder, now=LATER)
    over_time = r'<figure id="chart-status_over_time".*?</figure>'
    for lang in site.LANGUAGES:
        drawn = re.search(over_time, before[lang], re.S).group(0)
        assert drawn not in read(folder, site.page_path("timeline", lang=lang))
    fresh = tmp_path / "fresh" / "public"
    build(back_dated, fresh, now=LATER)
    assert files_of(fresh) == files_of(folder)


def test_rebuilds_from_the_spare_tree_equal_fresh_builds(tmp_path, monkeypatch):
    """After a swap the previous site is kept aside (`.public.spare`; after a first build, one made of the
    site's own files) and the next build starts from it, replacing only the files that differ: across a status
    change, a recommendation removed and back, and a spare whose record is gone (not trusted: every file linked
    again), each rebuild is byte for byte a fresh build of the same data, and nothing but the site's files is
    left in it."""
    from datetime import timedelta

    links = []
    real_link = os.link
    monkeypatch.setattr(os, "link", lambda *args: links.append(args) or real_link(*args))

    folder = tmp_path / "public"
    first = demo()
    changed = updated(first, "gsomia", "reversed", "Suspended again.")
    fewer = changed.model_copy(update={"recommendations": changed.recommendations[1:]})
    steps = [(first, NOW), (changed, LATER), (fewer, LATER + timedelta(hours=1)), (changed, LATER + timedelta(hours=2))]
    steps.append((first, NOW))
    for n, (tracker, moment) in enumerate(steps):
        if n == 4:
            (tmp_path / ".public.state" / site.SPARE).unlink()
        links.clear()
        report = build(tracker, folder, now=moment)
        # The first rebuild starts from the spare made after the first build: no unchanged file is linked.
        assert (len(links) == 0) if n in (1, 3) else True, n
        assert (len(links) >= report.reused) if n == 4 else True
        fresh = tmp_path / f"fresh-{n}" / "public"
        build(tracker, fresh, now=moment)
        assert files_of(folder) == files_of(fresh), n
        assert sorted(p for p in folder.rglob("*") if p.is_dir()) == sorted(
            folder / p.relative_to(fresh) for p in fresh.rglob("*") if p.is_dir()
        )
        assert (tmp_path / ".public.spare").is_dir()
    assert not (tmp_path / ".public.next").exists()


def test_the_overviews_figures_made_once_per_build_are_the_analyses():
    """What the overview and the table page take from the build's shared figures (the latest changes from the
    log kept between builds, the latest review and event from a few columns, the counts relabelled per
    language) equals the analyses of the whole log and table in each language."""
    tracker = updated(demo(), "gsomia", "reversed", "Suspended again.")
    tracker = updated(tracker, "whitelist", "implemented", "Restored.", recorded="2026-11-28T10:00:00Z")
    part = site.Part("", tracker, site.Edition(LATER, "f"), site.Place(), site.recommendation_keys(tracker), {}, {})
    inputs = site.Inputs(part, OPTIONS)
    log, as_of = analysis.list_updates(tracker), LATER.date()
    assert inputs.latest == (analysis.latest_update(log, as_of), analysis.latest_event(tracker, log, as_of))
    for lang in site.LANGUAGES:
        reading = inputs.reading(lang)
        shown = tracker.model_copy(update={"settings": reading.settings})
        expected = analysis.list_latest_changes(shown, log, as_of, 3, reading.date)
        found = analysis.list_latest_changes(shown, inputs.log, as_of, 3, reading.date)
        pd.testing.assert_frame_equal(found, expected)
        assert len(found) == 3
        counts = analysis.count_by_status(analysis.statuses_as_of(tracker, as_of), reading.settings)
        pd.testing.assert_frame_equal(inputs.counts(reading.settings), counts)


def test_the_charts_sentences_in_each_language_are_the_analysis_of_the_relabelled_table():
    """The charts' sentences in each language are `describe_charts` of the whole statuses table with its
    categories in the language's words (the build hands it the three columns they read)."""
    from tracker.translation import add_translation

    tracker = updated(translated(), "gsomia", "reversed", "Suspended again.")
    category = tracker.settings.categories[0].id
    fields = {"lang": "ko", "target": "category", "id": category, "field": "label", "text": "무역"}
    tracker = add_translation(tracker, fields, author="Tracker project", recorded="2026-11-28T09:40:00Z")
    inputs = inputs_of(tracker)
    sentences = {}
    for lang in site.LANGUAGES:
        reading = inputs.reading(lang)
        frame = inputs.frame.assign(
            category_label=inputs.frame["category"]
            .map(reading.labels["categories"])
            .fillna(inputs.frame["category_label"])
        )
        expected = analysis.describe_charts(
            frame, reading.settings, inputs.start, inputs.as_of, len(inputs.events), reading.words
        )
        sentences[lang] = inputs.sentences_in(reading)
        assert sentences[lang] == expected
    assert "무역" in sentences["ko"]["status_by_category"]  # the translated category is the one named


def forget_the_process(monkeypatch) -> None:
    """A new process: nothing the last builds left in memory (what they wrote is read from disk)."""
    for name in ("_WRITTEN", "_LOG", "_SITEMAP", "_ENTRY_TEXTS", "_FACTS", "_FACTS_IN", "_HEAD", "_COMPILED"):
        monkeypatch.setattr(site, name, {})


def test_pieces_appended_and_cut_short_still_rebuild_as_a_fresh_build(tmp_path, monkeypatch):
    """Each recommendation's canonical text and log entries are appended to a file of pieces kept by content;
    a rebuild in the same process appends only the changed one's; read back by a new process, or cut short
    by a build killed while appending, what is there still gives the same bytes as a fresh build."""
    folder, state = tmp_path / "public", tmp_path / ".public.state"
    build(demo(), folder)
    first = (state / "pieces.pickle").stat().st_size
    same_day = datetime(2026, 11, 27, 12, 30, tzinfo=timezone.utc)  # a new day makes every row's key new
    one = updated(demo(), "gsomia", "reversed", "Suspended again.", recorded="2026-11-27T12:30:00Z")
    build(one, folder, now=same_day)
    grown = (state / "pieces.pickle").stat().st_size
    assert first < grown < first * 1.5  # appended: the changed recommendation's pieces only
    held = site._read_pieces(site.Folders(folder))[""]
    assert {"texts", "entries", "items", "table_rows"} <= held.keys()
    forget_the_process(monkeypatch)
    (state / "pieces.pickle").write_bytes((state / "pieces.pickle").read_bytes()[:-7])  # the append cut short
    two = updated(one, "whitelist", "implemented", "Restored.", recorded="2026-11-28T10:00:00Z")
    moment = datetime(2026, 11, 28, 10, 0, tzinfo=timezone.utc)
    report = build(two, folder, now=moment)
    assert report.rendered < report.files
    fresh = tmp_path / "fresh" / "public"
    build(two, fresh, now=moment)
    assert files_of(fresh) == files_of(folder)
    # A new process reads the pieces back from disk and renders nothing more than the build needs.
    forget_the_process(monkeypatch)
    assert site._read_pieces(site.Folders(folder))[""]["texts"]
    again = build(two, folder, now=moment)
    assert again.written == 0 and files_of(fresh) == files_of(folder)


def test_a_new_process_appends_to_the_pieces_it_read_to_the_end_and_writes_a_cut_file_whole(tmp_path, monkeypatch):
    """A new process that read the file of pieces to its end knows what it holds: its build appends only the
    changed recommendation's pieces, as a later build of one process does. One that found the file cut short
    writes it whole again, so nothing is ever appended after a broken pickle. Both give a fresh build's bytes."""
    folder, state = tmp_path / "public", tmp_path / ".public.state"
    pieces = state / "pieces.pickle"
    build(demo(), folder)
    forget_the_process(monkeypatch)
    before = pieces.read_bytes()
    same_day = datetime(2026, 11, 27, 12, 30, tzinfo=timezone.utc)
    one = updated(demo(), "gsomia", "reversed", "Suspended again.", recorded="2026-11-27T12:30:00Z")
    build(one, folder, now=same_day)
    after = pieces.read_bytes()
    assert after.startswith(before) and len(before) < len(after) < len(before) * 1.5  # appended, not rewritten
    fresh = tmp_path / "fresh" / "public"
    build(one, fresh, now=same_day)
    assert files_of(fresh) == files_of(folder)

    forget_the_process(monkeypatch)
    pieces.write_bytes(after[:-7])  # the last append cut short, as by a build killed while appending
    two = updated(one, "whitelist", "implemented", "Restored.", recorded="2026-11-28T10:00:00Z")
    moment = datetime(2026, 11, 28, 10, 0, tzinfo=timezone.utc)
    build(two, folder, now=moment)
    with open(pieces, "rb") as handle:  # written whole again: one pickle, read to the file's end
        assert pickle.load(handle)["format"] == site.CACHE_FORMAT and handle.read() == b""
    build(two, fresh, now=moment)
    assert files_of(fresh) == files_of(folder)


def test_a_process_that_built_other_sites_first_still_holds_all_it_wrote_for_the_last_one(tmp_path, monkeypatch):
    """What a build wrote to its state folder is held in memory for the next rebuild; a process that built
    other sites before (a benchmark, a builder of several) drops the least recently written first, never the
    files of the site it just built (once it dropped them all, and the next rebuild read them from disk)."""
    forget_the_process(monkeypatch)
    private = (site.MANIFEST, site.CACHES, site.TABLES, site.PIECES, site.COMPILED_FILE)
    folders = [tmp_path / name / "public" for name in "abcde"]
    for folder in folders:
        build(demo(), folder)
        state = site.Folders(folder).state
        assert all(site._recall(state / name) is not None for name in private), folder
    assert len(site._WRITTEN) <= site.WRITTEN_KEPT
    assert site._recall(site.Folders(folders[0]).state / site.MANIFEST) is None  # the oldest went first
    for folder in folders[1:]:
        state = site.Folders(folder).state
        assert all(site._recall(state / name) is not None for name in private), folder


def test_the_compiled_chart_templates_past_their_bound_drop_the_oldest_only(monkeypatch):
    """The charts' compiled templates kept in the process are bounded; past the bound the oldest is dropped and
    the ones just compiled stay (clearing all of them dropped what the build under way had just compiled)."""
    forget_the_process(monkeypatch)
    monkeypatch.setattr(site, "COMPILED_KEPT", 2)
    settings = demo().settings
    for lang in ("en", "ko", "ja"):
        site.compiled("scorecard", settings, words(lang))
    assert len(site._COMPILED) == 2
    compiling = []
    plain = site.vlc.vegalite_to_vega
    monkeypatch.setattr(site.vlc, "vegalite_to_vega", lambda *a, **k: compiling.append(1) or plain(*a, **k))
    site.compiled("scorecard", settings, words("ko"))
    site.compiled("scorecard", settings, words("ja"))
    assert compiling == []  # the two newest kept
    site.compiled("scorecard", settings, words("en"))
    assert compiling == [1]  # the oldest was the one dropped


def test_a_new_process_takes_the_charts_templates_an_earlier_build_kept(tmp_path, monkeypatch):
    """The charts' compiled Vega templates are kept beside the site: a new process's rebuild compiles none of
    them, and one that finds the file unreadable compiles them again. Either way, a fresh build's bytes."""
    folder, state = tmp_path / "public", tmp_path / ".public.state"
    build(demo(), folder)
    compiling = []
    plain = site.vlc.vegalite_to_vega

    def counted(spec, *args, **kwargs):
        compiling.append(spec)
        return plain(spec, *args, **kwargs)

    monkeypatch.setattr(site.vlc, "vegalite_to_vega", counted)
    fresh = tmp_path / "fresh" / "public"
    for n, (status, broken) in enumerate((("reversed", False), ("implemented", True))):
        forget_the_process(monkeypatch)
        if broken:
            (state / site.COMPILED_FILE).write_bytes(b"not a pickle")
        moment = datetime(2026, 11, 27, 12, 30 + n, tzinfo=timezone.utc)
        data = updated(demo(), "gsomia", status, "Changed.", recorded=moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
        compiling.clear()
        build(data, folder, now=moment)
        assert bool(compiling) == broken, n  # a status changed: the charts are drawn again, from kept templates
        build(data, fresh, now=moment)
        assert files_of(fresh) == files_of(folder)


def test_the_tables_are_written_again_only_when_stale_and_an_older_file_still_rebuilds_as_a_fresh_build(
    tmp_path, monkeypatch
):
    """The log and statuses tables are kept in a file of their own, written whole again only when it lacks more
    than `STALE_ROWS` of the rows a build kept; in between the process holds the newer tables. A new process
    (or one after a killed build) reading the older file makes the rows it lacks again: the same bytes as a
    fresh build."""
    monkeypatch.setattr(site, "STALE_ROWS", 0.5)
    # A new process: what earlier tests in this worker left in memory must not count as this folder's rows
    # (the file's fate, written or left, is what this test counts; a fresh build's bytes hold either way).
    forget_the_process(monkeypatch)
    folder, state = tmp_path / "public", tmp_path / ".public.state"
    folders = site.Folders(folder)
    build(demo(), folder)
    path = state / site.TABLES
    first = site._identity(path)
    same_day = datetime(2026, 11, 27, 12, 30, tzinfo=timezone.utc)  # a new day makes every row's key new
    one = updated(demo(), "gsomia", "reversed", "Suspended again.", recorded="2026-11-27T12:30:00Z")
    build(one, folder, now=same_day)
    assert site._identity(path) == first  # two rows of some forty out of date: the file is left as it was
    held = site._read_tables(folders)[""]
    assert held["log"]["recs"] == site.recommendation_keys(one) == held["statuses"]["recs"]
    forget_the_process(monkeypatch)
    on_disk = site._read_tables(folders)[""]
    assert on_disk["log"]["recs"] == site.recommendation_keys(demo())
    two = updated(one, "whitelist", "implemented", "Restored.", recorded="2026-11-27T13:00:00Z")
    later = datetime(2026, 11, 27, 13, 0, tzinfo=timezone.utc)
    build(two, folder, now=later)
    fresh = tmp_path / "fresh" / "public"
    build(two, fresh, now=later)
    assert files_of(fresh) == files_of(folder)
    # Past the bound, the file is written whole, with every row as this build made it.
    monkeypatch.setattr(site, "STALE_ROWS", 0.0)
    three = updated(two, "gsomia", "implemented", "Resumed.", recorded="2026-11-27T14:00:00Z")
    last = datetime(2026, 11, 27, 14, 0, tzinfo=timezone.utc)
    build(three, folder, now=last)
    assert site._identity(path) != first
    forget_the_process(monkeypatch)
    on_disk = site._read_tables(folders)[""]
    assert on_disk["log"]["recs"] == site.recommendation_keys(three) == on_disk["statuses"]["recs"]
    assert build(three, folder, now=last).written == 0
    build(three, fresh, now=last)
    assert files_of(fresh) == files_of(folder)


ENTRIES = st.fixed_dictionaries({"sha256": st.text(max_size=8), "key": st.text(max_size=8), "cited": st.booleans()})


@given(
    first=st.dictionaries(st.text(min_size=1, max_size=12), ENTRIES, max_size=6),
    edits=st.lists(st.dictionaries(st.text(min_size=1, max_size=12), st.none() | ENTRIES, max_size=4), max_size=3),
)
@settings(max_examples=60, deadline=None)
def test_the_manifest_text_is_json_dumps_sorted_whatever_was_written_before(first, edits):
    """The manifest's text is joined from each entry's text, kept between builds by the entry it is of: it
    must stay exactly what json.dumps(sort_keys=True) writes as builds keep (the same objects), change, add
    and drop entries, whatever the paths' text."""
    edition = site.Edition(moment=datetime(2026, 11, 27, 12, tzinfo=timezone.utc), fingerprint="f")
    manifest = first
    for edit in [{}, *edits]:
        manifest = {**manifest, **{path: entry for path, entry in edit.items() if entry is not None}}
        manifest = {path: entry for path, entry in manifest.items() if not (path in edit and edit[path] is None)}
        expected = json.dumps({"edition": edition.stamp, "files": manifest, "format": site.FORMAT}, sort_keys=True)
        assert site._manifest_text(edition, manifest) == expected.encode()


def test_the_site_finds_record_times_as_the_edition_module_does():
    """`site.newest_record` and `site.published_at` read the record stamps their own quicker way; they must
    agree with `edition.record_times` and `edition.as_published` whatever kind of record is the newest."""
    data = make_demo_data()
    data["reviews"] = [{"date": "2026-11-27", "note": "Checked.", "author": "A", "recorded": "2026-11-27T18:00:00Z"}]
    with_review = validate_data(data, today=TODAY)
    for tracker in (demo(), updated(demo(), "gsomia", "reversed", "Suspended again."), with_review):
        times = record_times(tracker)
        assert site.newest_record(tracker) == times[-1]
        before, after = times[0] - timedelta(seconds=1), times[-1] + timedelta(seconds=1)
        for moment in (before, *times, after):
            assert dump_tracker(site.published_at(tracker, moment)) == dump_tracker(as_published(tracker, moment))


def test_a_recommendations_own_files_are_planned_again_only_when_what_they_show_changed(tmp_path, monkeypatch):
    """Each recommendation's own files (its pages, badge and feed) are planned as one group: a rebuild in the
    same process makes the outputs and keys of the changed recommendation's group only, and keeps the others'
    files as the live site holds them; against a manifest this process did not write (another process's build)
    or after a build of another folder, every group is planned again. Each rebuild is a fresh build's bytes."""
    expanded = []
    rec_outputs = site._rec_outputs
    monkeypatch.setattr(site, "_rec_outputs", lambda inputs, everything, rec, *rest: expanded.append(rec.id) or
                        rec_outputs(inputs, everything, rec, *rest))  # fmt: skip
    folder = tmp_path / "public"
    first = demo()
    build(first, folder)
    every = sorted(rec.id for rec in first.recommendations)
    assert sorted(expanded) == every
    status = analysis.statuses_as_of(first, NOW.date()).set_index("id").loc["gsomia", "status"]
    same_day = datetime(2026, 11, 27, 12, 30, tzinfo=timezone.utc)
    steps = [
        (updated(first, "gsomia", status, "Checked again: no change.", recorded="2026-11-27T12:30:00Z"), same_day),
        (updated(first, "gsomia", "reversed", "Suspended again.", recorded="2026-11-27T12:40:00Z"), same_day),
    ]
    steps.append((steps[-1][0], same_day))
    sites = []
    for n, (tracker, moment) in enumerate(steps):
        expanded.clear()
        if n == 2:
            site._WRITTEN.clear()  # the manifest is read from disk, as a new process reads it
        report = build(tracker, folder, now=moment)
        assert sorted(expanded) == (every if n == 2 else ["gsomia"]), n
        sites.append(files_of(folder))
        assert report.files == len(sites[-1])  # every file counted, kept groups too
    for n, (tracker, moment) in enumerate(steps):  # fresh builds last: a build of another folder resets the groups
        fresh = tmp_path / f"fresh-{n}" / "public"
        build(tracker, fresh, now=moment)
        assert files_of(fresh) == sites[n], n
    expanded.clear()
    build(steps[-1][0], folder, now=same_day)  # the last build was of another folder: nothing is trusted
    assert sorted(expanded) == every


def test_a_chart_drawn_in_the_drawing_process_is_the_one_drawn_here(monkeypatch):
    """The charts of statuses are drawn by a second process kept warm (`site_draw`), overlapping the rest of
    the build: its SVG is what vl-convert draws of the same Vega text in the build's own process, in every
    language; where that process is gone (killed between builds) it is started again, and where it cannot
    draw, the chart is drawn here."""
    import vl_convert as vlc

    from tracker import site_draw

    tracker = translated()
    inputs = inputs_of(tracker)
    texts = []
    real = site_draw.Drawer.draw
    monkeypatch.setattr(site_draw.Drawer, "draw", lambda self, text: texts.append(text) or real(self, text))
    for lang in site.LANGUAGES:
        reading = inputs.reading(lang)
        for name in site.FROM_TEMPLATE:
            texts.clear()
            rows = inputs._svgs((name,), reading)
            svg = rows[name]()
            assert len(texts) == 1, (lang, name)
            expected = vlc.vega_to_svg(texts[0])
            assert svg == expected[expected.find("<svg") :], (lang, name)
    drawer = site_draw.drawer()
    drawer.stop()  # gone: started again at the next drawing
    assert drawer.draw(texts[0]).result() == vlc.vega_to_svg(texts[0])
    with pytest.raises(site_draw.DrawerGone):
        drawer.draw("{not vega").result()
    assert drawer.draw(texts[0]).result() == vlc.vega_to_svg(texts[0])  # it still draws after a failure


def test_a_build_never_hangs_on_a_drawing_process_that_stopped_answering(monkeypatch):
    """A drawing process that stops answering (here: stopped by a signal) is given up on after DRAW_WAIT_S:
    the chart is drawn here, the same SVG, and the next chart is drawn by a new process."""
    import signal

    import vl_convert as vlc

    from tracker import site_draw

    tracker = demo()
    inputs = inputs_of(tracker)
    texts = []
    real = site_draw.Drawer.draw
    monkeypatch.setattr(site_draw.Drawer, "draw", lambda self, text: texts.append(text) or real(self, text))
    inputs._svgs(("scorecard",), inputs.reading(site.LANGUAGE))["scorecard"]()  # the process started and warm
    drawer = site_draw.drawer()
    stuck = drawer._process
    monkeypatch.setattr(site, "DRAW_WAIT_S", 1.0)
    os.kill(stuck.pid, signal.SIGSTOP)
    try:
        started = site.Started(texts[0])
        expected = vlc.vega_to_svg(texts[0])
        assert started() == expected[expected.find("<svg") :]
        assert stuck.poll() is not None  # the stuck process was stopped for good
        assert drawer.draw(texts[0]).result(timeout=60) == expected  # and a new one draws
        assert drawer._process is not stuck
    finally:
        if stuck.poll() is None:
            os.kill(stuck.pid, signal.SIGCONT)


def test_charts_still_queued_for_the_drawing_process_are_drawn_here_as_it_draws_them():
    """Once the rest is rendered, the build draws the charts the drawing process has not begun yet itself, the
    last first, until it meets one begun there; each is the SVG vl-convert draws of its text, and is never
    drawn in the other process too."""
    import threading

    import vl_convert as vlc

    from tracker import site_draw

    tracker = translated()
    inputs = inputs_of(tracker)
    drawer, hold = site_draw.drawer(), threading.Event()
    busy = drawer._pool.submit(hold.wait)  # the drawing process's thread is busy: everything sent stays queued
    site._QUEUED.clear()
    for lang in site.LANGUAGES:
        inputs._svgs(site.FROM_TEMPLATE, inputs.reading(lang))
    queued = list(site._QUEUED)
    assert len(queued) == 3 * len(site.FROM_TEMPLATE)
    site.draw_queued_here()
    hold.set()
    busy.result()
    assert not site._QUEUED
    for one in queued:
        assert one.future.cancelled()
        expected = vlc.vega_to_svg(one.text)
        assert one.svg == one() == expected[expected.find("<svg") :]
    # Begun (or drawn) there: left to it, and the ones sent before it too.
    site._QUEUED.clear()
    inputs._started.clear()
    inputs._svgs(site.FROM_TEMPLATE[:2], inputs.reading("ko"))
    first, second = site._QUEUED
    first.future.result()
    second.future.result()
    site.draw_queued_here()
    assert first.svg is None and second.svg is None and not site._QUEUED
    assert second() == second.future.result()[second.future.result().find("<svg") :]


def test_the_charts_over_time_are_sent_to_the_drawing_process_first(tmp_path, monkeypatch):
    """A build sends the charts over time (the costliest to draw) of every language before any summary chart, so
    the build's own share of the queue at its end (`draw_queued_here`, the last first) is the summaries."""
    from tracker import site_draw

    sent = []
    real = site_draw.Drawer.draw
    monkeypatch.setattr(site_draw.Drawer, "draw", lambda self, text: sent.append(text) or real(self, text))
    build(translated(), tmp_path / "public")
    over_time = ['"name": "over_time"' in text for text in sent]
    assert over_time == [True] * len(site.LANGUAGES) + [False] * len(site.LANGUAGES) * len(site.SUMMARY)


def test_the_sitemap_kept_in_runs_is_a_fresh_builds_across_changes(tmp_path, monkeypatch):
    """The sitemap's entries are written in runs kept between builds in the process, a run written again only
    when its entries differ: across an update, a recommendation removed and put back, and a translation, the
    sitemap is byte for byte a fresh build's, in a new process too."""
    from datetime import timedelta

    from tracker.translation import add_translation

    monkeypatch.setattr(site, "SITEMAP_RUN", 3)  # many runs of the demo's entries
    folder = tmp_path / "public"
    first = translated()
    changed = updated(first, "gsomia", "reversed", "Suspended again.")
    fewer = changed.model_copy(update={"recommendations": changed.recommendations[1:]})
    steps = [(first, NOW), (changed, LATER), (fewer, LATER + timedelta(hours=1)), (changed, LATER + timedelta(hours=2))]
    steps += [(demo(), NOW), (changed, LATER + timedelta(hours=2))]
    # A recommendation's translation recorded after its newest update: its page in that language only is newer.
    fields = {"lang": "ko", "target": "recommendation", "id": "gsomia", "field": "title", "text": KO_TITLE}
    retitled = add_translation(changed, fields, author="Tracker project", recorded="2026-11-29T09:30:00Z")
    steps += [(retitled, LATER + timedelta(days=1)), (changed, LATER + timedelta(hours=2))]
    for n, (tracker, moment) in enumerate(steps):
        if n == 5:
            forget_the_process(monkeypatch)
        build(tracker, folder, now=moment)
        lastmod = re.search(
            r"/ko/article/recommendation/gsomia\.html</loc><lastmod>([^<]+)<", read(folder, "sitemap.xml")
        )
        assert (lastmod.group(1) == "2026-11-29") is (tracker is retitled), n
        kept = dict(site._SITEMAP)  # the live site's runs, which the next build starts from
        site._SITEMAP.clear()
        fresh = tmp_path / f"fresh-{n}" / "public"
        build(tracker, fresh, now=moment)
        assert (folder / "sitemap.xml").read_bytes() == (fresh / "sitemap.xml").read_bytes(), n
        site._SITEMAP.clear()
        site._SITEMAP.update(kept)


def test_the_fingerprint_fed_piece_by_piece_is_the_datas_fingerprint():
    """`fingerprint_of` hashes the head (its YAML kept while its content is the same), each recommendation's
    text and the tail in turn (each text's UTF-8 made once per object) rather than the joined text: the same
    bytes, hence `data_fingerprint(dump_tracker(...))`,
    whether each text is made, taken from the cache or kept with its object; and the first day and the
    methodology's rules found once per object are the tracker's."""
    from tracker.edition import data_fingerprint
    from tracker.view import earliest_date

    first = translated()
    trackers = [first, updated(first, "gsomia", "reversed", "Suspended again — 再び."), demo()]
    trackers.append(first.model_copy(update={"recommendations": []}))
    trackers.append(demo().model_copy(update={"context_events": []}))  # another head: its YAML written anew
    cache = {}
    for tracker in [*trackers, *trackers]:
        keys = site.recommendation_keys(tracker)
        fingerprint, texts = site.fingerprint_of(tracker, cache, keys)
        assert fingerprint == data_fingerprint(dump_tracker(tracker))
        assert all(texts[keys[rec.id]] in dump_tracker(tracker) for rec in tracker.recommendations)
        cache = texts
        if tracker.recommendations:
            inputs = site.Inputs(
                site.Part("", tracker, site.Edition(NOW, fingerprint), site.place_of("", 0, False), keys, {}, {}),
                OPTIONS,
            )
            recs = tracker.recommendations
            assert inputs.start == earliest_date(tracker)
            assert inputs.rules == (any(u.part for r in recs for u in r.updates), any(r.periods for r in recs))


def test_the_charts_rows_from_the_build_s_shortcuts_are_chart_datas():
    """The charts' rows are made from the statuses table with its counted columns as Python objects and, when
    every recommendation is shown, the whole log rather than a filtered copy: the same rows as `chart_data`
    makes from the table and the log themselves, before and after a recommendation is tracked."""
    from tracker import charts

    first = translated()
    later = first.recommendations[0].updates[0].date
    for tracker, day in ((first, NOW.date()), (first, start_of_day(later))):
        keys = site.recommendation_keys(tracker)
        edition = site.Edition(datetime.combine(day, datetime.min.time(), timezone.utc), "f")
        inputs = site.Inputs(site.Part("", tracker, edition, site.place_of("", 0, False), keys, {}, {}), OPTIONS)
        expected = inputs.log[inputs.log["rec_id"].isin(inputs.frame["id"])]
        pd.testing.assert_frame_equal(inputs.chart_log, expected)
        names = (*site.SUMMARY, "status_over_time")
        made = charts.chart_data(tracker, inputs.view, inputs.log, shown=inputs.chart_frame, names=names,
                                 start=inputs.start, subset=inputs.chart_log)  # fmt: skip
        plain = charts.chart_data(tracker, inputs.view, inputs.log, shown=inputs.frame, names=names)
        assert made.keys() == plain.keys()
        for dataset in made:
            pd.testing.assert_frame_equal(made[dataset], plain[dataset])


def start_of_day(value: str):
    from tracker.model import start_of

    return start_of(value)


def test_the_site_reads_the_same_whether_or_not_the_languages_share_compiled_templates(tmp_path, monkeypatch, request):
    """The three languages' environments share each template's compiled code (`brief.COMPILED`): every file of
    the site, in every language, is what it is when each language compiles its own (no language's filter or
    catalog is built into the shared code)."""
    from tracker import brief

    data = translated()
    # Whatever happens here, the next tests make their environments afresh, with the shared code restored.
    request.addfinalizer(brief.template_environment.cache_clear)
    brief.template_environment.cache_clear()
    monkeypatch.setattr(brief, "COMPILED", brief.CompiledTemplates())
    build(data, tmp_path / "shared" / "public")
    brief.template_environment.cache_clear()
    monkeypatch.setattr(brief, "COMPILED", None)
    build(data, tmp_path / "own" / "public")
    assert files_of(tmp_path / "shared" / "public") == files_of(tmp_path / "own" / "public")
