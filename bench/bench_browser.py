"""Benchmark: the dashboard in headless Debian chromium against a trivial one-chart app.

Not a test: it prints figures. Two measurements:

**Warm navigation (the default; the target of #14)**: what a reader waits for on a running server.
One `streamlit run` server per app, started once and warmed (every page opened once, so the data is
loaded and cached): the dashboard on a copy of the bundled data, the dashboard on a synthetic
tracker of 1,000 recommendations (bench_core's generator) and bench/apps/trivial_app.py (a title
and one tiny chart), all read-only, on a fixed today. Then, interleaved, --repeats times (default 7):
a fresh browser context, 1,440 x 900 px, opens a page and the clock stops when the page is complete:
the marker of its content present, every chart drawn AND Streamlit's script run over (the app's
`data-test-script-state` is "notRunning" and the running indicator, `stStatusWidget`, is gone), so a
page that draws its charts early but keeps running is not counted as done. All of it is tested in the page on
every animation frame, so the clock stops at the frame where the page is complete (`--compare-waits` also
times each page the way this benchmark did before 7 Dec 2026: the marker waited for as a Playwright locator,
which polls every 500 ms after its first few tries, then the rest frame by frame):

* Overview (`/`): its two charts drawn (by the server, as images: loaded) and the one-sentence answer shown;
* a recommendation's page (`/recommendation?rec=...`): its assessment shown;
* All recommendations (`/recommendations`): the table shown (its charts are the Overview's since 7 Dec 2026);
* Timeline (`/timeline`): its two charts drawn (status over time as the server's image, the timeline per
  recommendation as HTML rows) and its list of context events shown;
* Changes (`/changes`) and Methodology (`/methodology`): their title shown;
* the trivial app: its one chart drawn.

Targets (#24): the Overview within 1.2x the trivial app, every other page within 1.3x; at 1,000
recommendations the Overview and All recommendations within 1.3x of their time on the bundled data
(the 1,000-recommendation tracker is measured on the Overview, a recommendation and the list).
With each time it notes what the page cost: the streamlit process's CPU time, the browser's
main-thread task time (CDP Performance metrics) and how many files the page loaded.

**Cold start (`--cold`; the target of #5)**: for the dashboard (its Overview) and the trivial app,
in the same run and interleaved, 3 times each: start `streamlit run` in a subprocess on a free
localhost port, poll /_stcore/health until it answers "ok" ("server start -> health"), then open
the page in a fresh context (one browser launched before the first server) and wait until it holds
the app's number of charts: `[data-testid="stVegaLiteChart"]` containers, each with an svg (holding
drawn paths) or a canvas of non-zero size, and the server's drawings (`figure.drawn-chart`, one of its
SVGs shown) ("server start -> all charts"). The server process's CPU time
at that moment is read from /proc. An init script also notes (ms since navigation start) each
websocket message from the server, when the app's title (h1) appears and when each chart is
drawn, to split the server's script run from the browser's drawing. Target: the dashboard within
1.5x the trivial app.

Every server is stopped at the end (try/finally). Run from the repository root (needs the
`chromium` Debian package and playwright):

    .venv/bin/python bench/bench_browser.py                      # warm navigation, 7 rounds (about 3 min)
    .venv/bin/python bench/bench_browser.py --repeats 11
    .venv/bin/python bench/bench_browser.py --cold               # cold start, 3 repetitions per app
    .venv/bin/python bench/bench_browser.py --cold --read-only-too   # also the dashboard without editing
    .venv/bin/python bench/bench_browser.py --cold --js-profile      # then where the page's JavaScript time goes
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
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests"), str(ROOT)]
import bench_core  # noqa: E402 - needs the path above
import helpers  # noqa: E402

from tracker.validation import validate_data  # noqa: E402
from tracker.yaml_text import dump_tracker  # noqa: E402

DASHBOARD = ROOT / "dashboard.py"
TRIVIAL = ROOT / "bench" / "apps" / "trivial_app.py"
BUNDLED = ROOT / "data" / "recommendations.yaml"
# The browser tests' Chromium, its flags and their free-port helper, not copies.
CHROMIUM, CHROMIUM_ARGS, free_port, stop_server = helpers.CHROMIUM, helpers.ARGS, helpers.free_port, helpers.stop_server
# --cold: name -> (script, charts it draws, extra environment). The dashboard opens on its Overview (two charts).
APPS = {"dashboard": (DASHBOARD, 2, {}), "trivial": (TRIVIAL, 1, {})}
# --cold --read-only-too: the dashboard without its editing section, to see what that section costs
READ_ONLY = {"dashboard-ro": (DASHBOARD, 2, {"TRACKER_READ_ONLY": "1"})}
COLD_TARGET = 1.5
TIMEOUT_S = 120

# Warm navigation: (name, path, charts drawn, its mark: what is present once the page holds its content, target).
# A mark is (CSS selector, pattern): an element the selector finds whose text the pattern (a JavaScript regular
# expression, "" for any) matches. The page tests it on every animation frame, so the clock stops at the frame
# where the page is complete. Until 7 Dec 2026 (sixth session) marks were Playwright locators waited for first;
# a locator's wait polls at 0, 20, 50, 100 and 100 ms, then every 500 ms, so a page whose mark came last (the
# list's table, a recommendation's assessment) was clocked up to half a second late, while the trivial app's
# mark (its title) came first and its chart was then waited for frame by frame (docs/benchmarks.md).
PAGES = [
    ("overview", "/", 2, ("strong", r"^\d[\d,]* of \d[\d,]* implemented"), 1.2),
    ("recommendation", "/recommendation?rec={rec}", 0, ("strong", "^Assessment$"), 1.3),
    ("all recommendations", "/recommendations", 0, (".st-key-table table", ""), 1.3),
    ("timeline", "/timeline", 2, ("h2", "^Context events$"), 1.3),
    ("changes", "/changes", 0, ("h1", "Changes"), 1.3),
    ("methodology", "/methodology", 0, ("h1", "Methodology"), 1.3),
]
SCALED = ("overview", "recommendation", "all recommendations")  # the pages also measured at 1,000
LOCATOR = " (locator wait)"  # --compare-waits: the rows timed the older way
TRIVIAL_PAGE = ("trivial", "/", 1, ("h1", ""))
SCALING_TARGET = 1.3  # at 1,000 recommendations, against the bundled data
RECS = {"bundled": "export-controls", "1,000": "rec-00007"}

# A chart is the browser's (Streamlit's Vega-Lite element, drawn once its SVG or canvas has marks), the
# server's (a figure of SVG drawings, drawn once one of them shows) or the Timeline's rows of bands (HTML,
# drawn once its first row has its size).
CHARTS = '[data-testid="stVegaLiteChart"], figure.drawn-chart, section.tl'
DRAWN_CHARTS = f"""
() => Array.from(document.querySelectorAll('{CHARTS}')).filter((chart) => {{
  const kind = chart.tagName.toLowerCase();
  const drawn = kind === 'figure'
    ? Array.from(chart.querySelectorAll(':scope > div > img')).find((image) => image.getBoundingClientRect().width > 0)
    : kind === 'section' ? chart.querySelector('.tl-track') : chart.querySelector('svg, canvas');
  if (!drawn) return false;
  const box = drawn.getBoundingClientRect();
  // An image of a drawing is drawn once it is loaded; Vega's SVG once it has marks.
  if (drawn.tagName.toLowerCase() === 'img' && !(drawn.complete && drawn.naturalWidth > 0)) return false;
  const marks = drawn.tagName.toLowerCase() !== 'svg' || drawn.querySelector('path') !== null;
  return box.width > 0 && box.height > 0 && marks;
}}).length
"""
CHARTS_RENDERED = f"""
(expected) => document.querySelectorAll('{CHARTS}').length === expected
  && ({DRAWN_CHARTS})() === expected
"""
# A page is complete when its charts are drawn and Streamlit's run is over: the app says it is not
# running, and the running indicator (the status widget) is gone.
PAGE_COMPLETE = f"""
(expected) => ({CHARTS_RENDERED})(expected)
  && document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
  && document.querySelector('[data-testid="stStatusWidget"]') === null
"""
# Milestones inside the page, in ms since navigation start: every websocket message from the
# server (time, bytes), the app's title (st.title) and each chart as it becomes drawn (polled
# once per animation frame).
MILESTONES = f"""
window.__bench = {{ title: null, charts: [], messages: [] }};
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {{
  constructor(...args) {{
    super(...args);
    this.addEventListener('message', (event) => {{
      const data = event.data;
      const size = data.byteLength ?? data.size ?? data.length ?? 0;
      window.__bench.messages.push([performance.now(), size]);
    }});
  }}
}};
(function poll() {{
  const bench = window.__bench;
  if (bench.title === null && document.querySelector('h1')) bench.title = performance.now();
  const drawn = ({DRAWN_CHARTS})();
  while (bench.charts.length < drawn) bench.charts.push(performance.now());
  requestAnimationFrame(poll);
}})();
"""


def start_server(script: Path, port: int, data: Path, log: Path, extra_env: dict) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "TRACKER_DATA": str(data), "PYTHONDONTWRITEBYTECODE": "1", **extra_env}
    with open(log, "wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_healthy(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not become healthy; its log:\n{log.read_text(errors='replace')}")
        time.sleep(0.01)


def one_repetition(
    browser, apps: dict, app: str, data: Path, folder: Path, servers: list, js_profile: bool = False
) -> dict:
    script, expected, extra_env = apps[app]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(MILESTONES)
    page = context.new_page()
    cdp = None
    if js_profile:  # sample the page's JavaScript from navigation to the last chart drawn
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 500})
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / f"{app}-{port}.log"
    proc = None
    try:
        start = time.perf_counter()
        proc = start_server(script, port, data, log, extra_env)
        servers.append(proc)
        wait_healthy(proc, url, log)
        healthy = time.perf_counter()
        if cdp is not None:
            cdp.send("Profiler.start")
        page.goto(url, wait_until="commit")
        page.wait_for_function(CHARTS_RENDERED, arg=expected, timeout=TIMEOUT_S * 1000, polling="raf")
        rendered = time.perf_counter()
        if cdp is not None:
            print_js_profile(app, cdp.send("Profiler.stop")["profile"])
        server_cpu = cpu_seconds(proc.pid)
        errors = page.locator('[data-testid="stException"]').count()
        if errors:
            raise RuntimeError(f"{app}: the page shows {errors} exception(s)")
        marks = page.evaluate("() => window.__bench")
        last_chart = marks["charts"][-1] if marks["charts"] else float("inf")
        before = [(when, size) for when, size in marks["messages"] if when <= last_chart]
        return {
            "ws_first_ms": before[0][0] if before else None,
            "ws_last_ms": before[-1][0] if before else None,
            "ws_messages": len(before),
            "ws_kb": sum(size for _, size in before) / 1024,
            "server_cpu": server_cpu,
            "health": healthy - start,
            "charts": rendered - start,
            "page": rendered - healthy,
            "title_ms": marks["title"],
            "first_chart_ms": marks["charts"][0] if marks["charts"] else None,
            "last_chart_ms": marks["charts"][-1] if marks["charts"] else None,
        }
    finally:
        context.close()
        if proc is not None:
            stop_server(proc)


def print_js_profile(app: str, profile: dict, top: int = 12) -> None:
    """Self time of the page's JavaScript per script file (Streamlit's bundles are split per element)."""
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    by_file: dict[str, float] = {}
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[node_id]
        name = frame["url"].rsplit("/", 1)[-1] or frame["functionName"] or "(native)"
        by_file[name] = by_file.get(name, 0.0) + delta / 1000
    total = sum(by_file.values())
    busy = total - by_file.get("(idle)", 0.0)
    print(
        f"\n  JavaScript profile of the {app} page, navigation to last chart: {total / 1000:.2f} s sampled, "
        f"{busy / 1000:.2f} s busy; self time by script:"
    )
    for name, ms in sorted(by_file.items(), key=lambda item: -item[1])[:top]:
        print(f"    {ms:8.0f} ms  {name}")


# ---------------------------------------------------------------- warm navigation (#14)


# Whether the page shows its mark (see PAGES); the first frame it does is noted in the page's clock (tested on
# every frame from the navigation's commit on, with the rest of MARKED_AND_COMPLETE).
MARKED = """
([selector, pattern]) => {
  const matches = pattern ? new RegExp(pattern) : null;
  const shown = Array.from(document.querySelectorAll(selector))
    .some((e) => !matches || matches.test(e.textContent.trim()));
  if (shown && window.__marked === undefined) window.__marked = performance.now();
  return shown;
}
"""
# Complete (PAGE_COMPLETE) with its mark shown: the moment is noted in the page's clock.
MARKED_AND_COMPLETE = f"""
([charts, mark]) => {{
  const done = ({MARKED})(mark) && ({PAGE_COMPLETE})(charts);
  if (done) window.__complete = performance.now();
  return done;
}}
"""


def as_mark(marker) -> tuple[str, str]:
    """A mark (selector, pattern) from a PAGES entry, or from a bare CSS selector (any text)."""
    return (marker, "") if isinstance(marker, str) else tuple(marker)


def open_and_wait(browser, url: str, charts: int, marker, server_pid: int, locator_wait: bool = False) -> dict:
    """Open a page in a fresh context and wait until it shows what it is for; what that took. The clock stops
    at the animation frame where the page shows its mark and is complete; `locator_wait` waits the way this
    benchmark did until 7 Dec 2026 (the mark as a Playwright locator first: see PAGES), for comparison."""
    selector, pattern = as_mark(marker)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    try:
        cpu = cpu_seconds(server_pid)
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        if locator_wait:
            found = page.locator(selector)
            if pattern:
                found = found.filter(has_text=re.compile(pattern))
            found.first.wait_for(state="attached", timeout=TIMEOUT_S * 1000)
            answered = time.perf_counter() - start
            page.wait_for_function(PAGE_COMPLETE, arg=charts, timeout=TIMEOUT_S * 1000, polling="raf")
            elapsed = time.perf_counter() - start
        else:
            page.wait_for_function(
                MARKED_AND_COMPLETE, arg=[charts, [selector, pattern]], timeout=TIMEOUT_S * 1000, polling="raf"
            )
            elapsed = time.perf_counter() - start
            # The frame the mark came, as far before the end as the page's own clock says.
            marked, complete = page.evaluate("() => [window.__marked, window.__complete]")
            answered = elapsed - max(0.0, (complete - marked) / 1000)
        server_cpu = cpu_seconds(server_pid) - cpu
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"{url}: the page shows an exception")
        metrics = {item["name"]: item["value"] for item in cdp.send("Performance.getMetrics")["metrics"]}
        files = page.evaluate("() => performance.getEntriesByType('resource').length")
        return {"seconds": elapsed, "answered": answered, "server_cpu": server_cpu, "task": metrics["TaskDuration"],
                "files": files}  # fmt: skip
    finally:
        context.close()


def warm_main(args) -> int:
    """Warm navigation (#14): one server per app, each page opened in a fresh browser context."""
    repeats = args.repeats or 7
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as folder_name, sync_playwright() as play:
        folder = Path(folder_name)
        synthetic = folder / "synthetic.yaml"
        synthetic.write_text(
            dump_tracker(validate_data(bench_core.build_data(1000), today=bench_core.TODAY)), encoding="utf-8"
        )
        bundled = folder / "bundled.yaml"
        shutil.copy(BUNDLED, bundled)
        day = latest_day(bundled)
        servers, urls, pids = [], {}, {}
        try:
            for name, script, data, today in (
                ("bundled", DASHBOARD, bundled, day),
                ("1,000", DASHBOARD, synthetic, bench_core.TODAY),
                ("trivial", TRIVIAL, bundled, day),
            ):
                port = free_port()
                log = folder / f"{name}.log"
                env = {"TRACKER_TODAY": today.isoformat(), "TRACKER_READ_ONLY": "1"}
                proc = start_server(script, port, data, log, env)
                servers.append(proc)
                wait_healthy(proc, f"http://127.0.0.1:{port}", log)
                urls[name], pids[name] = f"http://127.0.0.1:{port}", proc.pid
            browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            targets = [("trivial", *TRIVIAL_PAGE)] + [
                (tracker, name, path.format(rec=RECS[tracker]), charts, marker)
                for tracker in ("bundled", "1,000")
                for name, path, charts, marker, _ in PAGES
                if tracker == "bundled" or name in SCALED
            ]
            for tracker, _name, path, charts, marker in targets:  # warm-up: load, validate, cache
                open_and_wait(browser, urls[tracker] + path, charts, marker, pids[tracker])
            # --compare-waits: each page also timed the way this benchmark did before 7 Dec 2026 (see PAGES).
            waits = (False, True) if args.compare_waits else (False,)
            runs: dict[tuple, list[dict]] = {(t[0], t[1] + LOCATOR * old): [] for t in targets for old in waits}
            for _ in range(repeats):
                for tracker, name, path, charts, marker in targets:  # interleaved: load hurts all alike
                    for old in waits:
                        runs[tracker, name + LOCATOR * old].append(
                            open_and_wait(browser, urls[tracker] + path, charts, marker, pids[tracker], old)
                        )
            browser.close()
        finally:
            for proc in servers:
                stop_server(proc)
    print("load average (1, 5, 15 min) at end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))

    def med(key, field="seconds"):
        return statistics.median(run[field] for run in runs[key])

    trivial = med(("trivial", "trivial"))
    trivial_locator = med(("trivial", "trivial" + LOCATOR)) if args.compare_waits else None
    print(f"\nMedians of {repeats} warm navigations, seconds (a fresh browser context each)")
    print(
        "| Tracker | Page | Median | Range | vs trivial app | vs the bundled data "
        "| Server CPU s | Browser main thread s | Files loaded |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for (tracker, name), values in runs.items():
        seconds = [run["seconds"] for run in values]
        versus = med((tracker, name)) / med(("bundled", name)) if tracker == "1,000" else None
        print(
            f"| {tracker} | {name} | {med((tracker, name)):.3f} | {min(seconds):.3f}–{max(seconds):.3f} | "
            f"{med((tracker, name)) / (trivial_locator if name.endswith(LOCATOR) else trivial):.2f}x | "
            f"{f'{versus:.2f}x' if versus else ''} | "
            f"{med((tracker, name), 'server_cpu'):.2f} | {med((tracker, name), 'task'):.2f} | "
            f"{med((tracker, name), 'files'):.0f} |"
        )
    print("\nTargets:")
    for name, _path, _charts, _marker, limit in PAGES:
        ratio = med(("bundled", name)) / trivial
        verdict = "holds" if ratio <= limit else "DOES NOT HOLD"
        print(f"  {name} within {limit}x the trivial app: {ratio:.2f}x -> {verdict}")
    for name in ("overview", "all recommendations"):
        ratio = med(("1,000", name)) / med(("bundled", name))
        verdict = "holds" if ratio <= SCALING_TARGET else "DOES NOT HOLD"
        print(f"  {name} at 1,000 within {SCALING_TARGET}x the bundled data: {ratio:.2f}x -> {verdict}")
    return 0


def latest_day(path: Path):
    """The bundled data's latest date: a today on which none of its dates is in the future."""
    import yaml

    from tracker.model import start_of

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    dates = [u["date"] for rec in data["recommendations"] for u in rec["updates"]]
    dates += [event["date"] for event in data["context_events"]]
    # Assessments and reviews are dated too: a today before them refuses the file.
    dates += [rec["assessment"]["date"] for rec in data["recommendations"] if rec.get("assessment")]
    dates += [review["date"] for review in data.get("reviews") or []]
    return max(start_of(str(value)) for value in dates)


# ---------------------------------------------------------------- cold start (#5)


def cold_main(args) -> int:
    """--cold (#5): a new `streamlit run` per repetition, to every chart of the Overview drawn."""
    apps = {**APPS, **(READ_ONLY if args.read_only_too else {})}
    results: dict[str, list[dict]] = {app: [] for app in apps}
    servers: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        folder = Path(tmp)
        data = folder / "recommendations.yaml"
        shutil.copy(BUNDLED, data)
        try:
            with sync_playwright() as pw:
                start = time.perf_counter()
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                print(f"chromium {browser.version} launched in {time.perf_counter() - start:.2f} s (not counted)")
                try:
                    for n in range(args.repeats or 3):
                        for app in apps:  # interleaved, so a busy moment hurts both apps alike
                            row = one_repetition(browser, apps, app, data, folder, servers)
                            results[app].append(row)
                            print(
                                f"  rep {n + 1} {app:<12} start->health {row['health']:.2f} s, "
                                f"health->charts {row['page']:.2f} s, start->all charts {row['charts']:.2f} s, "
                                f"server CPU {row['server_cpu']:.2f} s "
                                f"| in the page, from navigation: title {row['title_ms'] / 1000:.2f} s, "
                                f"first chart {row['first_chart_ms'] / 1000:.2f} s, "
                                f"last chart {row['last_chart_ms'] / 1000:.2f} s; websocket messages "
                                f"{row['ws_first_ms'] / 1000:.2f}-{row['ws_last_ms'] / 1000:.2f} s "
                                f"({row['ws_messages']}, {row['ws_kb']:.0f} kB)",
                                flush=True,
                            )
                    if args.js_profile:  # not counted in the figures: the profiler slows the page
                        for app in apps:
                            one_repetition(browser, apps, app, data, folder, servers, js_profile=True)
                finally:
                    browser.close()
        finally:
            for proc in servers:  # always, even after an error
                stop_server(proc)
    print("load average (1, 5, 15 min) at end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))

    def med(app: str, field: str) -> float:
        return statistics.median(row[field] for row in results[app])

    def span(app: str, field: str) -> str:
        values = [row[field] for row in results[app]]
        return f"{min(values):.2f}-{max(values):.2f}"

    head = (
        f"{'app':<12} {'charts':>6} {'start->health s':>15} {'(range)':>11} "
        f"{'health->charts s':>16} {'start->all charts s':>19} {'(range)':>11} {'server CPU s':>12}"
    )
    print("\n" + head)
    print("-" * len(head))
    for app, (_, expected, _) in apps.items():
        print(
            f"{app:<12} {expected:>6} {med(app, 'health'):>15.2f} {span(app, 'health'):>11} "
            f"{med(app, 'page'):>16.2f} {med(app, 'charts'):>19.2f} {span(app, 'charts'):>11} "
            f"{med(app, 'server_cpu'):>12.2f}"
        )
    print(
        f"medians of {args.repeats or 3} repetitions; a new server and a fresh browser context for each; server CPU:\n"
        "user+system CPU time the streamlit process had used when every chart was drawn (from /proc)"
    )
    print("\nIn the page, median seconds from navigation start (polled every animation frame):")
    for app in apps:
        title = statistics.median(row["title_ms"] for row in results[app]) / 1000
        first = statistics.median(row["first_chart_ms"] for row in results[app]) / 1000
        last = statistics.median(row["last_chart_ms"] for row in results[app]) / 1000
        ws_first = statistics.median(row["ws_first_ms"] for row in results[app]) / 1000
        ws_last = statistics.median(row["ws_last_ms"] for row in results[app]) / 1000
        kb = statistics.median(row["ws_kb"] for row in results[app])
        print(
            f"  {app:<12} server messages {ws_first:.2f}-{ws_last:.2f} s ({kb:.0f} kB), title {title:.2f} s, "
            f"first chart drawn {first:.2f} s, last chart drawn {last:.2f} s"
        )
    ratio = med("dashboard", "charts") / med("trivial", "charts")
    verdict = "HOLDS" if ratio <= COLD_TARGET else "DOES NOT HOLD"
    print(f"\nTarget: dashboard start->all charts within {COLD_TARGET:g}x the trivial app's: {ratio:.2f}x -> {verdict}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=None, help="rounds (default: 7 warm, 3 cold)")
    parser.add_argument("--cold", action="store_true", help="time a cold start (#5) instead of warm navigation")
    parser.add_argument(
        "--js-profile",
        action="store_true",
        help="--cold: after the timed repetitions, one more per app with the page's JavaScript sampled",
    )
    parser.add_argument(
        "--compare-waits",
        action="store_true",
        help="warm: also time each page the way this benchmark did before 7 Dec 2026 (a locator's wait first)",
    )
    parser.add_argument(
        "--read-only-too",
        action="store_true",
        help="--cold: also time the dashboard with TRACKER_READ_ONLY=1 (no editing section)",
    )
    args = parser.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        print(f"{CHROMIUM} not found: apt-get install chromium", file=sys.stderr)
        return 2

    from importlib.metadata import version

    import streamlit

    chromium_version = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(
        f"bench_browser ({'cold start' if args.cold else 'warm navigation'}) at {commit or 'unknown commit'}: "
        f"Python {platform.python_version()}, streamlit {streamlit.__version__}, playwright {version('playwright')}, "
        f"{chromium_version}, {os.cpu_count()} CPUs, {platform.platform()}"
    )
    print("load average (1, 5, 15 min) at start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    return cold_main(args) if args.cold else warm_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
