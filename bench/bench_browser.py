"""Benchmark: from `streamlit run` to every chart rendered in headless chromium.

Not a test: it prints figures. For the dashboard (on a temporary copy of the bundled
data/recommendations.yaml, named by TRACKER_DATA) and for bench/apps/trivial_app.py
(a title and one tiny Altair chart), in the same run and interleaved, 3 times each:

1. start `streamlit run` in a subprocess on a free localhost port (headless, no usage stats);
2. poll /_stcore/health until it answers "ok"            -> "server start -> health";
3. open the page in headless Debian chromium (Playwright, one browser launched before
   the first server, a fresh context per repetition) and wait until the page holds the
   app's number of `[data-testid="stVegaLiteChart"]` containers (4 for the dashboard,
   1 for the trivial app), each with an svg (holding drawn paths) or a canvas of non-zero size
                                                          -> "server start -> all charts".
   The server process's CPU time at that moment is read from /proc.
   Inside the page, an init script also notes (ms since navigation start) each websocket
   message from the server, when the app's title (h1) appears and when each chart is drawn,
   to split the server's script run from the browser's drawing.

Target: the dashboard's median "server start -> all charts" within 1.5x the trivial app's.
Every server is stopped after its repetition, and again at the end (try/finally).

Run from the repository root (needs the `chromium` Debian package and playwright):

    .venv/bin/python bench/bench_browser.py
    .venv/bin/python bench/bench_browser.py --repeats 5
    .venv/bin/python bench/bench_browser.py --read-only-too   # also the dashboard without editing
    .venv/bin/python bench/bench_browser.py --js-profile      # then where the page's JavaScript time goes
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the repo

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]
import helpers  # noqa: E402 - needs the path above

DASHBOARD = ROOT / "dashboard.py"
TRIVIAL = ROOT / "bench" / "apps" / "trivial_app.py"
BUNDLED = ROOT / "data" / "recommendations.yaml"
# The browser tests' Chromium, its flags and their free-port helper, not copies.
CHROMIUM, CHROMIUM_ARGS, free_port, stop_server = helpers.CHROMIUM, helpers.ARGS, helpers.free_port, helpers.stop_server
# name: (script, charts it draws, extra environment)
# The dashboard opens on its Overview, which draws two charts.
APPS = {"dashboard": (DASHBOARD, 2, {}), "trivial": (TRIVIAL, 1, {})}
# --read-only-too: the dashboard without its editing section, to see what that section costs
READ_ONLY = {"dashboard-ro": (DASHBOARD, 2, {"TRACKER_READ_ONLY": "1"})}
TARGET = 1.5
TIMEOUT_S = 120

DRAWN_CHARTS = """
() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]')).filter((chart) => {
  const drawn = chart.querySelector('svg, canvas');
  if (!drawn) return false;
  const box = drawn.getBoundingClientRect();
  const marks = drawn.tagName.toLowerCase() !== 'svg' || drawn.querySelector('path') !== null;
  return box.width > 0 && box.height > 0 && marks;
}).length
"""
CHARTS_RENDERED = f"""
(expected) => document.querySelectorAll('[data-testid="stVegaLiteChart"]').length === expected
  && ({DRAWN_CHARTS})() === expected
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--js-profile",
        action="store_true",
        help="after the timed repetitions, one more per app with the page's JavaScript sampled (CDP Profiler)",
    )
    parser.add_argument(
        "--read-only-too",
        action="store_true",
        help="also time the dashboard with TRACKER_READ_ONLY=1 (no editing section)",
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
    print(
        f"bench_browser: Python {platform.python_version()}, streamlit {streamlit.__version__}, "
        f"playwright {version('playwright')}, {chromium_version}, {os.cpu_count()} CPUs, {platform.platform()}"
    )
    print("load average (1, 5, 15 min) at start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
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
                    for n in range(args.repeats):
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
        f"medians of {args.repeats} repetitions; a new server and a fresh browser context for each; server CPU:\n"
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
    verdict = "HOLDS" if ratio <= TARGET else "DOES NOT HOLD"
    print(f"\nTarget: dashboard start->all charts within {TARGET:g}x the trivial app's: {ratio:.2f}x -> {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
