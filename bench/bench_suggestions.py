"""Benchmark of readers' suggestions: what a reader and an editor wait for.

Not a test: it prints figures. On a synthetic tracker (bench_core's generator; default 20 and 1,000
recommendations) in a YAML file, in one process, it times:

* a reader's send (`submit`) with the queue empty and with 199 suggestions pending, against one
  ordinary update appended through the same store (`append_update`), the baseline;
* an editor's accept (the update and the decision, under both locks), against the same baseline;
* the Edit page's rerun under AppTest (the editor's name retyped) with no suggestion pending and with
  200 pending: the queue draws the forms of one suggestion at a time, so the two should be alike.

Targets (this benchmark's own, after #2's "one append at 1,000 recommendations under 0.5 s"): a send
with 199 pending and an accept at 1,000 recommendations each under 0.5 s (the ratio to one append
is printed too: they read and write the suggestions file as well); the Edit page rerun at 200
pending within 1.5x its rerun at none.

    .venv/bin/python bench/bench_suggestions.py
    .venv/bin/python bench/bench_suggestions.py --sizes 20 --repeats 3

Files go to a temporary folder outside the repository, removed at the end.
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the repo

import argparse  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests"), str(ROOT)]

import bench_core  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from tracker.decisions import accept_suggestion  # noqa: E402
from tracker.model import Source  # noqa: E402
from tracker.storage.yaml_files import YamlStore  # noqa: E402
from tracker.suggestion import Limits, client_key, new_reference, validate_suggestion  # noqa: E402
from tracker.validation import validate_data  # noqa: E402
from tracker.yaml_text import dump_tracker  # noqa: E402

TODAY = bench_core.TODAY
NOW = datetime.combine(TODAY, datetime.min.time(), tzinfo=timezone.utc)
ROOMY = Limits(per_client=10_000, max_pending=10_000)  # the benchmark measures work, not refusals


def _suggestion(tracker, rec_id: str, n: int):
    form = {
        "rec_id": rec_id,
        "note": f"Benchmark suggestion {n}: the ministry announced the measure.",
        "date": TODAY.isoformat(),
        "status": None,
        "sources": [{"url": f"https://news.example.org/suggested/{n}", "title": f"Suggested report {n}"}],
        "contact": "bench@example.org",
    }
    return validate_suggestion(
        tracker,
        form,
        reference=new_reference(),
        client=client_key(f"198.51.100.{n % 250}", "bench"),
        submitted=f"{TODAY.isoformat()}T00:00:00Z",
        today=TODAY,
    )


def _median(times: list[float]) -> float:
    return statistics.median(times)


def measure_store(folder: Path, size: int, repeats: int) -> dict[str, float]:
    path = folder / f"tracker-{size}.yaml"
    path.write_text(dump_tracker(validate_data(bench_core.build_data(size), today=TODAY)), encoding="utf-8")
    store = YamlStore(path)
    tracker = store.load(today=TODAY)
    recs = [rec.id for rec in tracker.recommendations]
    suggestions = store.suggestions
    figures: dict[str, list[float]] = {"append": [], "send, none pending": [], "send, 199 pending": [], "accept": []}
    counter = 0
    for round_ in range(repeats):
        rec_id = recs[round_ % len(recs)]
        current = store.load(today=TODAY)
        status = next(rec for rec in current.recommendations if rec.id == rec_id).updates[-1].status
        started = time.perf_counter()
        store.append_update(rec_id, bench_core.appended_update(round_, rec_id, status), today=TODAY)
        figures["append"].append(time.perf_counter() - started)

        suggestions.replace_all([])
        counter += 1
        item = _suggestion(store.load(today=TODAY), rec_id, counter)
        started = time.perf_counter()
        suggestions.submit(item, tracker=store.load(today=TODAY), now=NOW, limits=ROOMY)
        figures["send, none pending"].append(time.perf_counter() - started)

        suggestions.replace_all([_suggestion(tracker, recs[n % len(recs)], 10_000 + n) for n in range(199)])
        counter += 1
        item = _suggestion(store.load(today=TODAY), rec_id, counter)
        started = time.perf_counter()
        suggestions.submit(item, tracker=store.load(today=TODAY), now=NOW, limits=ROOMY)
        figures["send, 199 pending"].append(time.perf_counter() - started)

        started = time.perf_counter()
        accept_suggestion(
            store,
            item.reference,
            editor="Benchmark editor",
            note=None,
            sources=[Source(url=item.sources[0].url, title=item.sources[0].title, kind="news")],
            now=NOW,
            today=TODAY,
        )
        figures["accept"].append(time.perf_counter() - started)
    return {name: _median(times) for name, times in figures.items()}


def measure_edit_page(folder: Path, repeats: int) -> dict[str, float]:
    """The Edit page's rerun (the editor's name retyped) with 0 and with 200 suggestions pending."""
    path = folder / "tracker-page.yaml"
    path.write_text(dump_tracker(validate_data(bench_core.build_data(20), today=TODAY)), encoding="utf-8")
    os.environ["TRACKER_DATA"] = str(path)
    os.environ["TRACKER_TODAY"] = TODAY.isoformat()
    for name in ("TRACKER_EDITOR_PASSCODE", "TRACKER_READ_ONLY", "TRACKER_SUGGESTIONS", "TRACKER_DATABASE_URL"):
        os.environ.pop(name, None)
    store = YamlStore(path)
    tracker = store.load(today=TODAY)
    recs = [rec.id for rec in tracker.recommendations]
    figures = {}
    for pending in (0, 200):
        store.suggestions.replace_all([_suggestion(tracker, recs[n % len(recs)], 20_000 + n) for n in range(pending)])
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
        at.switch_page("ui/pages/edit.py").run()  # AppTest's public way to open a page
        times = []
        for n in range(repeats * 2):
            at.text_input(key="editor_name")
            started = time.perf_counter()
            at.text_input(key="editor_name").input(f"Editor {n}").run()
            times.append(time.perf_counter() - started)
            assert not at.exception, at.exception
        figures[f"Edit page rerun, {pending} pending"] = _median(times)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20,1000", help="tracker sizes (recommendations), comma-separated")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs; median of {args.repeats}")
    folder = Path(tempfile.mkdtemp(prefix="bench-suggestions-"))
    try:
        for size in (int(value) for value in args.sizes.split(",")):
            figures = measure_store(folder, size, args.repeats)
            base = figures["append"]
            print(f"\n{size:,} recommendations (YAML)")
            for name, seconds in figures.items():
                ratio = "" if name == "append" else f"  {seconds / base:.2f}x one append"
                verdict = "" if name == "append" else ("  (holds: < 0.5 s)" if seconds < 0.5 else "  (over 0.5 s)")
                print(f"  {name:<22} {seconds * 1000:8.1f} ms{ratio}{verdict}")
        page = measure_edit_page(folder, args.repeats)
        none, full = page["Edit page rerun, 0 pending"], page["Edit page rerun, 200 pending"]
        print("\nThe Edit page (AppTest, 20 recommendations)")
        for name, seconds in page.items():
            print(f"  {name:<32} {seconds * 1000:8.1f} ms")
        print(f"  200 pending / none: {full / none:.2f}x (target 1.5x)")
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
