"""Benchmark: the code before #21 against this checkout, interleaved (#21's before/after).

Not a test: it prints figures. Two measurements, each on both checkouts in the same run, one after the
other in turns, so that other load on the machine hurts both sides alike:

1. **Warm pages** in Chromium (bench_browser's way: one read-only server per checkout and tracker,
   started once and warmed, then each page opened in a fresh 1,440 x 900 context; the clock stops when
   the page shows what it is for and Streamlit's run is over). Each checkout serves its own bundled
   `data/recommendations.yaml` (the two schemas differ: neither reads the other's file) and 1,000
   synthetic recommendations made by its own `bench/bench_core.py` generator and written by its own
   code. Pages: the Overview, a recommendation, All recommendations; at 1,000 the Overview and All
   recommendations. Median of --repeats after one warm-up round.
2. **The AppTest rerun**: each checkout's own `bench/bench_dashboard.py --sizes 20 --no-profile` (a
   filter change's rerun of the dashboard against a bare app, in one process), run --apptest-runs times
   per checkout, alternating; the dashboard's median rerun for a view new to the page and a revisited
   one, in seconds and against the bare app of the same run.

It prints every figure and the ratios after / before (below 1.00x: the branch is faster).

    .venv/bin/python bench/bench_before_after.py                          # about 10 min on 2 cores
    .venv/bin/python bench/bench_before_after.py --before /path/to/checkout --repeats 5 --apptest-runs 2

Both checkouts run with this interpreter (the same libraries). Files go to a temporary folder outside
either repository.
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the repo

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench", ROOT / "tests"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import bench_browser  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

DEFAULT_BEFORE = Path("/work/wt-before")
DAY = re.compile(r"\b(20\d\d-[01]\d-[0-3]\d)\b")
SYNTHETIC_TODAY = date(2026, 11, 27)  # bench_core.TODAY in both checkouts
# (name, path, charts, marker): bench_browser's pages, whose markers both checkouts show.
PAGES = {name: (path, charts, marker) for name, path, charts, marker, _ in bench_browser.PAGES}
# What the checkout before #21 (DEFAULT_BEFORE, 4473073) draws where the current pages draw otherwise: its All
# recommendations still has the two charts by category and addressee (since 7 Dec 2026 they are the Overview's).
CHARTS_BEFORE = {"all recommendations": 2}
MEASURED = [
    ("bundled", "overview"),
    ("bundled", "recommendation"),
    ("bundled", "all recommendations"),
    ("1,000", "overview"),
    ("1,000", "all recommendations"),
]
RECS = {"bundled": "export-controls", "1,000": "rec-00007"}
WRITE_SYNTHETIC = (
    "import sys; sys.path[:0] = ['bench', '.']; import bench_core; "
    "from tracker.validation import validate_data; from tracker.yaml_text import dump_tracker; "
    "open(sys.argv[1], 'w', encoding='utf-8').write("
    "dump_tracker(validate_data(bench_core.build_data(1000), today=bench_core.TODAY)))"
)
VERDICT = re.compile(r"^\s+20 recommendations: new view ([\d.]+)x, revisited view ([\d.]+)x", re.M)
# bench_dashboard's table row of the dashboard: ... new view s, revisit s, compile s last.
DASHBOARD_ROW = re.compile(r"^\s+20\s+[\d.]+\s+dashboard\s.*$", re.M)


def git_state(checkout: Path) -> str:
    run = subprocess.run(["git", "-C", str(checkout), "describe", "--always", "--dirty"], capture_output=True,
                         text=True, check=False)  # fmt: skip
    return run.stdout.strip() or "?"


def latest_day(path: Path) -> date:
    """A today on which none of the file's dates is in the future."""
    return max(date.fromisoformat(day) for day in DAY.findall(path.read_text(encoding="utf-8")))


def start(checkout: Path, data: Path, today: date, folder: Path, label: str) -> dict:
    port = bench_browser.free_port()
    log = folder / f"{label}.log"
    command = [sys.executable, "-m", "streamlit", "run", str(checkout / "dashboard.py"), "--server.headless",
               "true", "--server.port", str(port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")},
        "TRACKER_DATA": str(data),
        "TRACKER_TODAY": today.isoformat(),
        "TRACKER_READ_ONLY": "1",
        "TRACKER_CACHE_DIR": str(folder / "cache"),  # the branch's cache of parsed files (the old code has none)
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=checkout, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    bench_browser.wait_healthy(proc, url, log)
    return {"proc": proc, "url": url}


def warm_pages(checkouts: dict[str, Path], repeats: int, folder: Path) -> dict:
    runs: dict[tuple, list[dict]] = {}
    servers = {}
    try:
        for side, checkout in checkouts.items():
            bundled = folder / f"{side}-bundled.yaml"
            shutil.copy(checkout / "data" / "recommendations.yaml", bundled)
            synthetic = folder / f"{side}-1000.yaml"
            subprocess.run([sys.executable, "-c", WRITE_SYNTHETIC, str(synthetic)], cwd=checkout, check=True,
                           env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})  # fmt: skip
            servers[side, "bundled"] = start(checkout, bundled, latest_day(bundled), folder, f"{side}-bundled")
            servers[side, "1,000"] = start(checkout, synthetic, SYNTHETIC_TODAY, folder, f"{side}-1000")
        with sync_playwright() as play:
            browser = play.chromium.launch(executable_path=bench_browser.CHROMIUM, args=bench_browser.CHROMIUM_ARGS)
            order = [(side, tracker, page) for tracker, page in MEASURED for side in checkouts]
            for round_ in range(repeats + 1):  # the first round warms every page up
                for side, tracker, page in order if round_ % 2 else order[::-1]:
                    path, charts, marker = PAGES[page]
                    if side == "before":
                        charts = CHARTS_BEFORE.get(page, charts)
                    server = servers[side, tracker]
                    url = server["url"] + path.format(rec=RECS[tracker])
                    run = bench_browser.open_and_wait(browser, url, charts, marker, server["proc"].pid)
                    if round_:
                        runs.setdefault((side, tracker, page), []).append(run)
            browser.close()
    finally:
        for server in servers.values():
            bench_browser.stop_server(server["proc"])
    return runs


def apptest_reruns(checkouts: dict[str, Path], times: int, folder: Path) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {side: [] for side in checkouts}
    for n in range(times):
        for side, checkout in checkouts.items() if n % 2 == 0 else reversed(checkouts.items()):
            env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env["TRACKER_CACHE_DIR"] = str(folder / "cache")
            run = subprocess.run(
                [sys.executable, "bench/bench_dashboard.py", "--sizes", "20", "--no-profile", "--first-runs", "2"],
                cwd=checkout, env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            (folder / f"apptest-{side}-{n}.txt").write_text(run.stdout + run.stderr, encoding="utf-8")
            verdict, row = VERDICT.search(run.stdout), DASHBOARD_ROW.search(run.stdout)
            if run.returncode or not verdict or not row:
                raise RuntimeError(
                    f"bench_dashboard.py failed in {checkout}:\n{run.stdout[-3000:]}{run.stderr[-3000:]}"
                )
            found[side].append(
                {
                    "new_ratio": float(verdict[1]),
                    "revisit_ratio": float(verdict[2]),
                    "new": float(row[0].split()[-3]),
                    "revisit": float(row[0].split()[-2]),
                }
            )
            print(f"# AppTest {side}: {found[side][-1]}", file=sys.stderr, flush=True)
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, default=DEFAULT_BEFORE, help="a checkout of the code before #21")
    parser.add_argument("--after", type=Path, default=ROOT, help="the checkout measured against it")
    parser.add_argument("--repeats", type=int, default=7, help="warm navigations of each page")
    parser.add_argument("--apptest-runs", type=int, default=3, help="bench_dashboard.py runs per checkout")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-apptest", action="store_true")
    args = parser.parse_args(argv)
    checkouts = {"before": args.before.resolve(), "after": args.after.resolve()}
    print(f"# bench_before_after.py, {date.today().isoformat()} {time.strftime('%H:%M', time.gmtime())} UTC")
    print(f"# {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for side, checkout in checkouts.items():
        print(f"# {side}: {checkout} at {git_state(checkout)}")
    print("# load average (1, 5, 15 min) at start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="bench-before-after-") as tmp:
        folder = Path(tmp)
        pages = {} if args.no_browser else warm_pages(checkouts, args.repeats, folder)
        reruns = {} if args.no_apptest else apptest_reruns(checkouts, args.apptest_runs, folder)
    print("# load average (1, 5, 15 min) at end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    med = statistics.median
    if pages:
        print(f"\n## Warm pages (seconds, median of {args.repeats}; a fresh browser context each)\n")
        print("| Tracker | Page | Before | (range) | After | (range) | After / before | Server CPU s before / after |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for tracker, page in MEASURED:
            before, after = (pages["before", tracker, page], pages["after", tracker, page])
            b, a = [run["seconds"] for run in before], [run["seconds"] for run in after]
            cpu_b, cpu_a = med(run["server_cpu"] for run in before), med(run["server_cpu"] for run in after)
            print(f"| {tracker} | {page} | {med(b):.3f} | {min(b):.2f}–{max(b):.2f} | {med(a):.3f} | "
                  f"{min(a):.2f}–{max(a):.2f} | **{med(a) / med(b):.2f}x** | {cpu_b:.2f} / {cpu_a:.2f} |")  # fmt: skip
    if reruns:
        runs = len(reruns["before"])
        print(f"\n## AppTest filter-change rerun, 20 recommendations (bench_dashboard.py; median of {runs} runs)\n")
        print("| | Before | After | After / before |")
        print("|---|---:|---:|---:|")
        for key, label in (("new", "new view, s"), ("revisit", "revisited view, s")):
            b, a = med(r[key] for r in reruns["before"]), med(r[key] for r in reruns["after"])
            print(f"| {label} | {b:.4f} | {a:.4f} | **{a / b:.2f}x** |")
        for key, label in (("new_ratio", "new view vs the bare app"), ("revisit_ratio", "revisited vs the bare app")):
            b, a = med(r[key] for r in reruns["before"]), med(r[key] for r in reruns["after"])
            print(f"| {label} | {b:.2f}x | {a:.2f}x | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
