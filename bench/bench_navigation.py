"""Benchmark: what a reader waits for on a running server (#14): warm navigation to a page.

Not a test: it prints figures. One `streamlit run` server per app, started once and warmed
(every page opened once, so the data is loaded and cached): the dashboard on the bundled data,
the dashboard on a synthetic tracker of 1,000 recommendations (bench_core's generator), and
bench/apps/trivial_app.py (a title and one tiny chart). Then, interleaved, --repeats times:
a fresh browser context opens a page and the clock stops when the page shows what it is for
(its charts drawn, and the marker of its content):

* Overview (`/`): its two charts drawn and the one-sentence answer shown;
* a recommendation's page (`/recommendation?rec=…`): its assessment shown;
* All recommendations (`/recommendations`): its two charts drawn and the table shown;
* the trivial app: its one chart drawn.

Targets: Overview within 1.3x the trivial app, the other pages within 1.5x; at 1,000
recommendations the Overview and All recommendations within 1.3x of their time on the bundled data.

    .venv/bin/python bench/bench_navigation.py
    .venv/bin/python bench/bench_navigation.py --repeats 9
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the repo

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests"), str(ROOT)]
import bench_browser  # noqa: E402 - the browser benchmark's server start and chart test, not copies
import bench_core  # noqa: E402
import helpers  # noqa: E402

from tracker.validation import validate_data  # noqa: E402
from tracker.yaml_text import dump_tracker  # noqa: E402

TIMEOUT_MS = 120_000
# (name, path, charts drawn, a CSS selector that must be present once the page holds its content)
PAGES = [
    ("overview", "/", 2, "text=/^\\d[\\d,]* of \\d[\\d,]* implemented/"),
    ("recommendation", "/recommendation?rec={rec}", 0, "text=Assessment"),
    ("all recommendations", "/recommendations", 2, '[data-testid="stDataFrame"]'),
]
TRIVIAL = ("trivial", "/", 1, "h1")


def open_and_wait(browser, url: str, charts: int, marker: str) -> float:
    """Seconds from navigation to the page showing what it is for, in a fresh context."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.locator(marker).first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_function(bench_browser.CHARTS_RENDERED, arg=charts, timeout=TIMEOUT_MS, polling="raf")
        elapsed = time.perf_counter() - start
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"{url}: the page shows an exception")
        return elapsed
    finally:
        context.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"bench_navigation: load average at start {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder_name, sync_playwright() as play:
        folder = Path(folder_name)
        synthetic = folder / "synthetic.yaml"
        synthetic.write_text(
            dump_tracker(validate_data(bench_core.build_data(1000), today=bench_core.TODAY)), encoding="utf-8"
        )
        bundled = folder / "bundled.yaml"
        bundled.write_bytes(bench_browser.BUNDLED.read_bytes())
        day = _latest_day(bundled)
        servers, urls = [], {}
        try:
            for name, script, data, today in (
                ("bundled", bench_browser.DASHBOARD, bundled, day),
                ("1,000", bench_browser.DASHBOARD, synthetic, bench_core.TODAY),
                ("trivial", bench_browser.TRIVIAL, bundled, day),
            ):
                port = helpers.free_port()
                log = folder / f"{name}.log"
                env = {"TRACKER_TODAY": today.isoformat(), "TRACKER_READ_ONLY": "1"}
                proc = bench_browser.start_server(script, port, data, log, env)
                servers.append(proc)
                bench_browser.wait_healthy(proc, f"http://127.0.0.1:{port}", log)
                urls[name] = f"http://127.0.0.1:{port}"
            browser = play.chromium.launch(executable_path=helpers.CHROMIUM, args=helpers.ARGS)
            recs = {"bundled": "export-controls", "1,000": "rec-00007"}
            targets = [("trivial", *TRIVIAL)] + [
                (tracker, name, path.format(rec=recs[tracker]), charts, marker)
                for tracker in ("bundled", "1,000")
                for name, path, charts, marker in PAGES
            ]
            for tracker, _name, path, charts, marker in targets:  # warm-up: load, validate, cache
                open_and_wait(browser, urls[tracker] + path, charts, marker)
            times: dict[tuple, list[float]] = {(t[0], t[1]): [] for t in targets}
            for _ in range(args.repeats):
                for tracker, name, path, charts, marker in targets:
                    times[tracker, name].append(open_and_wait(browser, urls[tracker] + path, charts, marker))
            browser.close()
        finally:
            for proc in servers:
                helpers.stop_server(proc)
    median = {key: statistics.median(values) for key, values in times.items()}
    trivial = median["trivial", "trivial"]
    print(f"\nMedians of {args.repeats} warm navigations, seconds (fresh browser context each)")
    print("| Tracker | Page | Median | Range | vs trivial app | vs the bundled data |\n|---|---|---:|---:|---:|---:|")
    for (tracker, name), values in times.items():
        versus = median[tracker, name] / median["bundled", name] if tracker == "1,000" else None
        print(
            f"| {tracker} | {name} | {median[tracker, name]:.3f} | {min(values):.3f}–{max(values):.3f} | "
            f"{median[tracker, name] / trivial:.2f}x | {f'{versus:.2f}x' if versus else ''} |"
        )
    print("\nTargets:")
    for name, _path, _charts, _marker in PAGES:
        limit = 1.3 if name == "overview" else 1.5
        ratio = median["bundled", name] / trivial
        verdict = "holds" if ratio <= limit else "DOES NOT HOLD"
        print(f"  {name} within {limit}x the trivial app: {ratio:.2f}x -> {verdict}")
    for name in ("overview", "all recommendations"):
        ratio = median["1,000", name] / median["bundled", name]
        verdict = "holds" if ratio <= 1.3 else "DOES NOT HOLD"
        print(f"  {name} at 1,000 within 1.3x the bundled data: {ratio:.2f}x -> {verdict}")
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    return 0


def _latest_day(path: Path):
    """The bundled data's latest date: a today on which none of its dates is in the future."""
    import yaml

    from tracker.model import start_of

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    dates = [u["date"] for rec in data["recommendations"] for u in rec["updates"]]
    dates += [event["date"] for event in data["context_events"]]
    return max(start_of(str(value)) for value in dates)


if __name__ == "__main__":
    sys.exit(main())
