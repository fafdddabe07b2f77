"""Benchmark of the static site (tracker/site.py): how fast it builds, and how fast a reader's page opens.

Not a test: it prints figures (recorded in docs/benchmarks.md). Run from the repository root:

    .venv/bin/python bench/bench_site.py                   # builds (bundled data, 10,000) and page loads
    .venv/bin/python bench/bench_site.py --size 2000       # a smaller generated tracker
    .venv/bin/python bench/bench_site.py --skip-browser    # the builds only
    .venv/bin/python bench/bench_site.py --skip-builds --repeats 11   # the page loads only

**Builds.** On the bundled data and on a tracker of --size recommendations from bench_core's generator
(10 updates each), with an address (so feeds, API files and the sitemap are written): a full build into a
new folder (median of --build-repeats on the bundled data, one at the large size), then a rebuild after one
update of one recommendation (each a different one, recorded later; the median of 3 for each kind: a status
change, and a review that keeps the status, taking turns), with the tracker already in memory, as right after
a save; `--profile` adds a cProfile listing (CPU clock) of the last status change's rebuild. Reading the
YAML file of the large tracker (`YamlStore.load`, which the command line adds before the build) is timed
apart, in the same run. Pages per second counts HTML
pages; files per second every file (pages, feeds, badges, JSON).

**Page loads.** In headless Chromium (a fresh context of 1,440 x 900 for each navigation), interleaved,
--repeats times: the overview and a recommendation's page of the bundled data's site served by a plain
static server (`python -m http.server`, a subprocess), the same two pages in the Streamlit app (dashboard.py,
read-only, warmed: data loaded and cached), and a bare static HTML page (a heading and a paragraph) from the
same static server. The clock runs from the navigation to the page showing what it is for: for the static
pages the load event with the heading (and the overview's charts) there; for the app, bench_browser's
markers (its charts drawn, the answer or the assessment shown). Targets: a static page within 1.2x the bare
page; the app against the static site is reported as a ratio.

Every server is stopped at the end; every file lives in a temporary folder.
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the repo

import argparse  # noqa: E402
import cProfile  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests"), str(ROOT)]
import bench_browser  # noqa: E402 - needs the path above
import bench_core  # noqa: E402

from tracker import site  # noqa: E402
from tracker.edits import insert_update  # noqa: E402
from tracker.model import Update, start_of  # noqa: E402
from tracker.storage.yaml_files import YamlStore  # noqa: E402
from tracker.validation import validate_data  # noqa: E402
from tracker.yaml_text import dump_tracker  # noqa: E402

BUNDLED = ROOT / "data" / "recommendations.yaml"
BASE = "https://tracker.example/site"
OPTIONS = site.Options(base_url=BASE)
BARE_TARGET = 1.2
LOAD_EVENTS: dict[str, list[float]] = {}  # url -> the browser's own navigation-to-load-event times, seconds
TASKS: dict[str, list[float]] = {}  # url -> the page's main-thread task time (CDP), seconds: less hurt by load
INCREMENTAL_TARGET_S = 2.0
BARE_PAGE = "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Bare</title></head>" \
    "<body><h1>Bare page</h1><p>A heading and a paragraph.</p></body></html>\n"  # fmt: skip


def one_update(tracker, n: int):
    """The tracker after one sourced status change of its n-th recommendation, recorded a minute after the
    newest record (so the edition moves on, as after a real save)."""
    rec = tracker.recommendations[n % len(tracker.recommendations)]
    newest = site.newest_record(tracker)
    moment = newest + timedelta(minutes=1)
    status = "implemented" if rec.updates[-1].status != "implemented" else "partial"
    day = max(start_of(rec.updates[-1].date), moment.date() - timedelta(days=1))
    update = Update(
        date=day.isoformat(),
        status=status,
        note=f"Benchmark update {n}.",
        sources=[{"url": f"https://news.example.org/bench/{n}.html", "title": "Bench source", "kind": "news"}],
        author="Benchmark analyst",
        recorded=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return insert_update(tracker, rec.id, update, today=moment.date())


def one_review(tracker, n: int):
    """The tracker after one review of its n-th recommendation that keeps its status (an analyst checked, nothing
    changed), recorded a minute after the newest record: no status moves, so no chart of statuses changes."""
    rec = tracker.recommendations[n % len(tracker.recommendations)]
    moment = site.newest_record(tracker) + timedelta(minutes=1)
    day = max(start_of(rec.updates[-1].date), moment.date() - timedelta(days=1))
    update = Update(
        date=day.isoformat(),
        status=rec.updates[-1].status,
        note=f"Benchmark review {n}: no change.",
        sources=[],
        author="Benchmark analyst",
        recorded=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return insert_update(tracker, rec.id, update, today=moment.date())


UPDATES = {"status change": one_update, "review": one_review}
PROFILE: dict = {}  # --profile: where the last rebuild at the large size spent its time


def timed_build(tracker, folder: Path, profile: bool = False) -> tuple[float, site.Report]:
    profiler = cProfile.Profile(time.process_time) if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    report = site.build_site(tracker, folder, options=OPTIONS)
    if profiler:
        profiler.disable()
        PROFILE["stats"] = profiler
    return time.perf_counter() - start, report


def pages_in(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*.html"))


def build_figures(name: str, tracker, folder: Path, repeats: int, profile: bool = False) -> dict:
    """A full build (median of `repeats`, each into a new folder) and three rebuilds after each kind of update
    (a status change, a review keeping the status), taking turns."""
    fulls = []
    for n in range(repeats):
        seconds, report = timed_build(tracker, folder / f"full-{n}" / "public")
        fulls.append(seconds)
        print(f"  {name}: full build {n + 1}: {seconds:.2f} s ({report.files} files)", flush=True)
    live = folder / f"full-{repeats - 1}" / "public"
    html, files = pages_in(live), report.files
    kinds = {kind: [] for kind in UPDATES}
    current = tracker
    for n in range(3):
        for kind, update in UPDATES.items():
            current = update(current, 7 + n)
            cpu = time.process_time()
            seconds, report = timed_build(current, live, profile and n == 2 and kind == "status change")
            kinds[kind].append((seconds, report))
            print(
                f"  {name}: after one {kind}: {seconds:.2f} s (CPU {time.process_time() - cpu:.2f} s; "
                f"{report.rendered} rendered, {report.written} written, {report.reused} unchanged)",
                flush=True,
            )
    incremental, reviews = kinds["status change"], kinds["review"]
    full = statistics.median(fulls)
    return {
        "name": name,
        "recommendations": len(tracker.recommendations),
        "full": full,
        "full_range": (min(fulls), max(fulls)),
        "html": html,
        "files": files,
        "incremental": statistics.median(seconds for seconds, _ in incremental),
        "incremental_range": (min(s for s, _ in incremental), max(s for s, _ in incremental)),
        "written": statistics.median(report.written for _, report in incremental),
        "review": statistics.median(seconds for seconds, _ in reviews),
        "review_range": (min(s for s, _ in reviews), max(s for s, _ in reviews)),
        "review_written": statistics.median(report.written for _, report in reviews),
    }


def builds_main(args, folder: Path) -> list[dict]:
    results = []
    bundled = YamlStore(BUNDLED).load(today=bench_browser.latest_day(BUNDLED))
    results.append(build_figures("bundled", bundled, folder / "bundled", args.build_repeats))
    print(f"Generating {args.size:,} recommendations ...", flush=True)
    data = bench_core.build_data(args.size)
    large = validate_data(data, today=bench_core.TODAY)
    path = folder / "large.yaml"
    path.write_text(dump_tracker(large), encoding="utf-8")
    start = time.perf_counter()
    YamlStore(path).load(today=bench_core.TODAY)
    load = time.perf_counter() - start
    print(f"  {args.size:,}: reading the YAML file (YamlStore.load): {load:.2f} s", flush=True)
    figures = build_figures(f"{args.size:,}", large, folder / "large", 1, args.profile)
    figures["load"] = load
    results.append(figures)
    return results


LOAD_EVENT = "performance.getEntriesByType('navigation')[0].loadEventEnd / 1000"


def open_static(browser, url: str, marker: str, charts: int) -> float:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="load")
        # Static: once loaded, the heading and the inline charts are there (checked in one call, no polling).
        shown = page.evaluate(
            "([marker, n]) => document.querySelector(marker) !== null"
            " && document.querySelectorAll('figure svg').length >= n",
            [marker, charts],
        )
        elapsed = time.perf_counter() - start
        if not shown:
            raise RuntimeError(f"{url}: the page does not show its content")
        LOAD_EVENTS.setdefault(url, []).append(page.evaluate(LOAD_EVENT))
        metrics = {item["name"]: item["value"] for item in cdp.send("Performance.getMetrics")["metrics"]}
        TASKS.setdefault(url, []).append(metrics["TaskDuration"])
        return elapsed
    finally:
        context.close()


def browser_main(args, folder: Path) -> dict:
    from playwright.sync_api import sync_playwright

    data = folder / "bundled.yaml"
    shutil.copy(BUNDLED, data)
    day = bench_browser.latest_day(data)
    public = folder / "served" / "public"
    tracker = YamlStore(data).load(today=day)
    site.build_site(tracker, public, options=OPTIONS)
    (public.parent / "bare.html").write_text(BARE_PAGE, encoding="utf-8")
    rec = bench_browser.RECS["bundled"]
    servers = []
    try:
        port = bench_browser.free_port()
        static = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(public.parent)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        servers.append(static)
        static_url = f"http://127.0.0.1:{port}"
        app_port = bench_browser.free_port()
        log = folder / "app.log"
        env = {"TRACKER_TODAY": day.isoformat(), "TRACKER_READ_ONLY": "1"}
        app = bench_browser.start_server(bench_browser.DASHBOARD, app_port, data, log, env)
        servers.append(app)
        app_url = f"http://127.0.0.1:{app_port}"
        bench_browser.wait_healthy(app, app_url, log)
        _wait_static(static_url + "/bare.html")
        overview, detail = bench_browser.PAGES[0], bench_browser.PAGES[1]
        targets = {
            "bare static page": lambda b: open_static(b, f"{static_url}/bare.html", "h1", 0),
            "static overview": lambda b: open_static(b, f"{static_url}/public/{site.page_path('index')}", "h1", 2),
            "static recommendation": lambda b: open_static(
                b, f"{static_url}/public/{site.page_path('recommendation', rec)}", "h1", 0
            ),
            "app overview": lambda b: bench_browser.open_and_wait(
                b, app_url + overview[1], overview[2], overview[3], app.pid
            )["seconds"],
            "app recommendation": lambda b: bench_browser.open_and_wait(
                b, app_url + detail[1].format(rec=rec), detail[2], detail[3], app.pid
            )["seconds"],
        }
        with sync_playwright() as play:
            browser = play.chromium.launch(executable_path=bench_browser.CHROMIUM, args=bench_browser.CHROMIUM_ARGS)
            for measure in targets.values():  # warm-up: the app loads and caches its data, the browser its code
                measure(browser)
            runs = {name: [] for name in targets}
            for _ in range(args.repeats):
                for name, measure in targets.items():  # interleaved: load on the machine hurts all alike
                    runs[name].append(measure(browser))
            browser.close()
    finally:
        for proc in servers:
            bench_browser.stop_server(proc)
    return runs


def _wait_static(url: str) -> None:
    import urllib.request

    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="recommendations of the generated tracker")
    parser.add_argument("--build-repeats", type=int, default=3, help="full builds of the bundled data")
    parser.add_argument("--repeats", type=int, default=7, help="rounds of page loads")
    parser.add_argument("--skip-builds", action="store_true")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile of the last status change's rebuild")
    args = parser.parse_args(argv)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    print(
        f"bench_site: {platform.python_version()}, {os.cpu_count()} CPUs, commit {commit.stdout.strip()}, "
        f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-site-") as name:
        folder = Path(name)
        builds = [] if args.skip_builds else builds_main(args, folder)
        runs = {} if args.skip_browser else browser_main(args, folder)
    print(f"\nload average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if builds:
        print(
            "\n| Tracker | Full build | HTML pages | Files | Pages/s | Files/s | After a status change | Written "
            "| After a review | Written |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for row in builds:
            print(
                f"| {row['name']} | {row['full']:.2f} s | {row['html']:,} | {row['files']:,} | "
                f"{row['html'] / row['full']:.0f} | {row['files'] / row['full']:.0f} | "
                f"{row['incremental']:.2f} s ({row['incremental_range'][0]:.2f}–{row['incremental_range'][1]:.2f}) | "
                f"{row['written']:.0f} | {row['review']:.2f} s ({row['review_range'][0]:.2f}–"
                f"{row['review_range'][1]:.2f}) | {row['review_written']:.0f} |"
            )
        large = builds[-1]
        print(f"\nReading the {large['name']} tracker's YAML file first (the command line does): {large['load']:.2f} s")
        verdict = "holds" if large["incremental"] <= INCREMENTAL_TARGET_S else "DOES NOT HOLD"
        print(
            f"Target: a rebuild after one update at {large['name']} within {INCREMENTAL_TARGET_S:g} s: "
            f"{large['incremental']:.2f} s after a status change -> {verdict}"
        )
        verdict = "holds" if large["review"] <= INCREMENTAL_TARGET_S else "DOES NOT HOLD"
        print(f"  after a review that keeps the status: {large['review']:.2f} s -> {verdict}")
        if PROFILE:
            pstats.Stats(PROFILE["stats"]).sort_stats("cumulative").print_stats(45)
    if runs:
        med = {name: statistics.median(values) for name, values in runs.items()}
        print(f"\nPage loads, medians of {args.repeats} (a fresh browser context each), seconds")
        print("| Page | Median | Range | vs bare static page |")
        print("|---|---:|---:|---:|")
        for name, values in runs.items():
            print(
                f"| {name} | {med[name]:.3f} | {min(values):.3f}–{max(values):.3f} | "
                f"{med[name] / med['bare static page']:.2f}x |"
            )
        print("In the browser's own clock (navigation start to the load event), medians:")
        for url, values in LOAD_EVENTS.items():
            tasks = statistics.median(TASKS[url]) * 1000
            name = url.rsplit("/", 1)[-1]
            print(f"  {name}: {statistics.median(values) * 1000:.1f} ms (main-thread tasks {tasks:.1f} ms)")
        for page in ("overview", "recommendation"):
            ratio = med[f"static {page}"] / med["bare static page"]
            verdict = "holds" if ratio <= BARE_TARGET else "DOES NOT HOLD"
            print(f"Target: the static {page} within {BARE_TARGET}x the bare page: {ratio:.2f}x -> {verdict}")
            print(f"The app's {page} against the static one: {med[f'app {page}'] / med[f'static {page}']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
