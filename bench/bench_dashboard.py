"""Benchmark of the dashboard under AppTest: first run and filter-change rerun.

Not a test: it prints figures. For each size (default 20 and 1,000 synthetic
recommendations of 10 updates each, from bench/bench_core.py's generator) it runs,
in the same process and on the same file (named by the TRACKER_DATA env var):

* dashboard.py, and
* bench/apps/bare_app.py, a bare Streamlit app that parses the same YAML with libyaml
  on every run (no cache), builds one DataFrame and shows one st.dataframe plus one
  st.selectbox filter.

First run: a new AppTest after st.cache_data / st.cache_resource were cleared (median
of 3). Filter-change rerun: the status filter changed on that session to each current
status in turn, then to each pair of them (statuses no recommendation holds are
skipped, so the page is never empty), for --rounds rounds. In the first round every
view is new to the page (its caches miss); in the later rounds it revisits them. The
bare app's selectbox takes the first status of each; it caches nothing, so all its
reruns are alike.
Target: the dashboard's rerun within 2x the bare app's at every size, judged twice:
the median new view and the median revisited view must each be within 2x the bare
app's median rerun. When it does not hold (or with --profile) the dashboard's rerun
is profiled: wall time of every tracker/ call and chart/table element, then cProfile
of the whole script run.

Run from the repository root:

    .venv/bin/python bench/bench_dashboard.py                 # 20 and 1,000
    .venv/bin/python bench/bench_dashboard.py --sizes 20      # one size
    .venv/bin/python bench/bench_dashboard.py --profile       # always profile

Files are written to a temporary folder outside the repository and removed at the end.
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the repo

import argparse  # noqa: E402
import cProfile  # noqa: E402
import functools  # noqa: E402
import gc  # noqa: E402
import hashlib  # noqa: E402
import inspect  # noqa: E402
import io  # noqa: E402
import itertools  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
for folder in (ROOT, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import streamlit as st  # noqa: E402

# The synthetic generator of bench/bench_core.py (10 updates per recommendation), not a copy.
from bench_core import TODAY, UPDATES_PER_REC, build_data  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from tracker.validation import validate_data  # noqa: E402
from tracker.yaml_text import dump_tracker  # noqa: E402

DASHBOARD = ROOT / "dashboard.py"
BARE = BENCH / "apps" / "bare_app.py"
SIZES = (20, 1_000)
TARGET = 2.0  # dashboard rerun / bare-app rerun
TIMEOUT = 600  # seconds, per AppTest run


# --------------------------------------------------------------------------- helpers


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def timed_run(action) -> float:
    return timed_both(action)[0]


def timed_both(action) -> tuple[float, float]:
    """Wall time and CPU time of the whole process (every thread, so AppTest's script thread too)."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - cpu


def write_tracker(size: int, folder: Path) -> tuple[Path, list[str], Counter]:
    """A synthetic tracker file; returns it and its statuses, most common current status first."""
    tracker = validate_data(build_data(size), today=TODAY)
    path = folder / f"tracker-{size}.yaml"
    path.write_text(dump_tracker(tracker), encoding="utf-8")
    # Each recommendation's status: its latest update that sets one (a review carries none).
    current = Counter(
        next(update.status for update in reversed(rec.updates) if update.status) for rec in tracker.recommendations
    )
    return path, [status for status, _ in current.most_common()], current


def open_app(script: Path) -> AppTest:
    """A new session of an app; the dashboard's on its All recommendations page (the filters and the
    table), as a reader following the sidebar's link (AppTest.switch_page, once the first run has
    registered the pages)."""
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
    if script == DASHBOARD:
        at.run()
        at.switch_page("ui/pages/recommendations.py")
    return at


def check(at: AppTest, label: str) -> None:
    if at.exception:
        raise RuntimeError(f"{label}: the app raised {at.exception[0].message}")


def shown_count(at: AppTest, app: str) -> int:
    """Rows the page shows after a filter change, to prove the filter was applied."""
    if app == "dashboard":
        shown = next(md.value for md in at.markdown if md.value.startswith("**Showing "))  # "**Showing N of M** · …"
        return int(shown.split()[1])
    return len(at.dataframe[0].value)


def set_filter(at: AppTest, app: str, statuses: str | tuple[str, ...]) -> AppTest:
    """The status filter set to some statuses (the bare app's selectbox takes the first)."""
    chosen = (statuses,) if isinstance(statuses, str) else statuses
    if app == "dashboard":
        return at.sidebar.multiselect(key="f_status").set_value(list(chosen))
    return at.selectbox(key="status").set_value(chosen[0])


def list_views(statuses: list[str]) -> list[tuple[str, ...]]:
    """The filters a round visits: each status alone, then each pair (more views new to the page)."""
    return [(status,) for status in statuses] + list(itertools.combinations(statuses, 2))


def compile_cost(path: Path, repeats: int = 5) -> float:
    """What AppTest pays on every run and `streamlit run` only once: reading, magic and compiling the script.

    AppTest builds a new ScriptCache for every run() (streamlit/testing/v1/app_test.py), so each
    of its reruns recompiles the page; a real server keeps the bytecode between reruns.
    """
    times = []
    for _ in range(repeats):
        times.append(timed_run(lambda: ScriptCache().get_bytecode(str(path))))
    return statistics.median(times)


def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "dashboard.py", "tracker"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return "git state unknown"
    changed = [line[3:] for line in dirty if line.strip()]
    digest = hashlib.sha256(DASHBOARD.read_bytes()).hexdigest()[:12]
    note = f"uncommitted changes in {', '.join(changed)}" if changed else "no uncommitted changes"
    return f"HEAD {head}, {note}; dashboard.py sha256 {digest}, {len(DASHBOARD.read_text().splitlines())} lines"


# --------------------------------------------------------------------------- measuring


def measure_app(app: str, path: Path, statuses: list[str], first_runs: int, rounds: int, expected: dict) -> dict:
    script = DASHBOARD if app == "dashboard" else BARE
    os.environ["TRACKER_DATA"] = str(path)
    firsts, first_cpu = [], []
    at = None
    for _ in range(first_runs):
        clear_caches()
        at = open_app(script)
        wall, cpu = timed_both(at.run)
        firsts.append(wall)
        first_cpu.append(cpu)
        check(at, f"{app} first run")
    reruns = {"new": [], "revisit": [], "new_cpu": [], "revisit_cpu": []}
    for round_ in range(rounds):
        kind = "new" if round_ == 0 else "revisit"
        for view in list_views(statuses):
            widget = set_filter(at, app, view)
            wall, cpu = timed_both(widget.run)
            reruns[kind].append(wall)
            reruns[f"{kind}_cpu"].append(cpu)
            check(at, f"{app} rerun")
            applied = view if app == "dashboard" else view[:1]
            if (shown := shown_count(at, app)) != (wanted := sum(expected[status] for status in applied)):
                raise RuntimeError(f"{app}: filter {applied} shows {shown} rows, not {wanted}")
    return {
        "first": firsts,
        "first_cpu": first_cpu,
        **reruns,
        "rerun": reruns["new"] + reruns["revisit"],
        "rerun_cpu": reruns["new_cpu"] + reruns["revisit_cpu"],
        "compile": compile_cost(script),
    }


def warm_up(folder: Path) -> None:
    """One discarded run of each app, so the first size's first run is not charged for imports."""
    path, _, _ = write_tracker(3, folder)
    os.environ["TRACKER_DATA"] = str(path)
    for script in (DASHBOARD, BARE):
        clear_caches()
        check(open_app(script).run(), f"warm-up of {script.name}")


# --------------------------------------------------------------------------- profiling


def profiled(action) -> tuple[float, cProfile.Profile]:
    """Time `action` (an AppTest run) and profile the thread AppTest runs the page in: a profile function
    for new threads (threading.setprofile, public API) starts the profiler in that thread at its first call."""
    profiler = cProfile.Profile()

    def start(*_):
        threading.setprofile(None)
        profiler.enable()

    threading.setprofile(start)
    try:
        seconds = timed_run(action)
    finally:
        threading.setprofile(None)
    profiler.create_stats()
    return seconds, profiler


@contextmanager
def wall_times():
    """Inclusive wall time of each tracker/ call and of chart, table and download elements, per name."""
    from streamlit.delta_generator import DeltaGenerator

    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    depth = threading.local()
    patched: list[tuple[object, str, object]] = []

    def wrap(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            outer = getattr(depth, label, 0)
            setattr(depth, label, outer + 1)
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                setattr(depth, label, outer)
                if not outer:  # count a recursive or nested call of the same name once
                    entry = totals[label]
                    entry[0] += 1
                    entry[1] += time.perf_counter() - start

        patched.append((owner, name, original))
        setattr(owner, name, timed)

    # every tracker/ module the page has imported (it has run once before this)
    modules = [module for name, module in sorted(sys.modules.items()) if name.startswith("tracker.") and module]
    for module in modules:
        for name, value in list(vars(module).items()):
            home = getattr(value, "__module__", None) or ""
            if inspect.isfunction(value) and home.startswith("tracker.") and not name.startswith("_"):
                # also where one tracker module imported another's function by name
                wrap(module, name, f"{home.split('.')[-1]}.{name}")
    for name in (
        "altair_chart",
        "vega_lite_chart",
        "dataframe",
        "data_editor",
        "download_button",
        "html",
        "markdown",
        "multiselect",
    ):
        wrap(DeltaGenerator, name, f"st.{name}")  # columns, sidebar, tabs ...
        wrap(st, name, f"st.{name}")  # st.x was bound before the patch
    try:
        yield totals
    finally:
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)


def profile_rerun(size: int, path: Path, statuses: list[str], top: int) -> None:
    os.environ["TRACKER_DATA"] = str(path)
    clear_caches()
    at = open_app(DASHBOARD).run()
    set_filter(at, "dashboard", statuses[0]).run()
    print(f"\n==== Profile of the dashboard's filter-change rerun to a new view at {size:,} recommendations ====")

    # 1. where the time of one rerun goes, without a profiler
    with wall_times() as totals:
        widget = set_filter(at, "dashboard", statuses[1])
        total = timed_run(widget.run)
    check(at, "profiled rerun")
    compiled = compile_cost(DASHBOARD)
    print(
        f"AppTest.run() {total:.3f} s, of which re-reading + magic + compiling dashboard.py {compiled:.3f} s "
        "(paid on every AppTest run, once per server under streamlit run)"
    )
    print("Inclusive wall time per call name (a call nested in one of the same name counts once):")
    rows = sorted(totals.items(), key=lambda item: -item[1][1])
    for label, (calls, seconds) in rows:
        if seconds >= 0.0005:
            print(f"  {label:<40} {calls:>4} call(s) {seconds:8.3f} s  {100 * seconds / total:5.1f}%")

    # 2. cProfile of a second rerun, a view also new to the page when there is a third status
    widget = set_filter(at, "dashboard", statuses[2 if len(statuses) > 2 else 0])
    profiled_time, profiler = profiled(widget.run)
    check(at, "profiled rerun")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    ours = r"dashboard\.py|ui/|tracker/|vega_charts|arrow|dataframe|data_editor"
    stats.sort_stats("cumulative").print_stats(ours, top)
    stats.sort_stats("tottime").print_stats(top // 2)
    print(f"\n---- cProfile of one rerun ({profiled_time:.3f} s under the profiler) ----")
    root = str(ROOT) + os.sep
    site = str(Path(st.__file__).parents[1]) + os.sep
    for line in out.getvalue().splitlines():
        if line.strip():
            print(line.replace(root, "").replace(site, ""))


# --------------------------------------------------------------------------- report


def _med(times: list[float]) -> float:
    return statistics.median(times)


def _span(times: list[float]) -> str:
    return f"{min(times):.3f}-{max(times):.3f}"


def print_table(results: list[dict]) -> list[dict]:
    head = (
        f"{'recs':>6} {'file MB':>8} {'app':<10} {'first run s':>11} {'(range)':>13} "
        f"{'rerun s':>8} {'(range)':>13} {'CPU s':>7} {'new view s':>10} {'revisit s':>9} {'compile s':>9}"
    )
    print("\n" + head)
    print("-" * len(head))
    verdicts = []
    for r in results:
        for app in ("dashboard", "bare"):
            m = r[app]
            print(
                f"{r['size']:>6,} {r['file_mb']:>8.2f} {app:<10} {_med(m['first']):>11.3f} {_span(m['first']):>13} "
                f"{_med(m['rerun']):>8.3f} {_span(m['rerun']):>13} {_med(m['rerun_cpu']):>7.3f} "
                f"{_med(m['new']):>10.3f} {_med(m['revisit'] or m['new']):>9.3f} {m['compile']:>9.3f}"
            )
        dash, bare = r["dashboard"], r["bare"]
        base = _med(bare["rerun"])
        verdicts.append(
            {
                "size": r["size"],
                "ratio": _med(dash["rerun"]) / base,
                "new_view_ratio": _med(dash["new"]) / base,
                "revisit_ratio": _med(dash["revisit"] or dash["new"]) / base,
                "worst_new_ratio": max(dash["new"]) / base,
                "cpu_ratio": _med(dash["rerun_cpu"]) / _med(bare["rerun_cpu"]),
                "adjusted": (_med(dash["rerun"]) - dash["compile"]) / (base - bare["compile"]),
                "first_ratio": _med(dash["first"]) / _med(bare["first"]),
            }
        )
    print(
        "first run: median (range) of new AppTest sessions after clearing st.cache_data/st.cache_resource;\n"
        "rerun: median (range) of every status-filter change on one session; CPU s: their median CPU time\n"
        "(less sensitive to other load on the machine than wall time); new view: median of the first round,\n"
        "views the page had not shown before; revisit: median of the later rounds; compile: time to read,\n"
        "apply magic to and compile the entry script, which AppTest repeats on every run (new ScriptCache\n"
        "per run) but `streamlit run` does once per server."
    )
    print(
        f"\nTarget: the dashboard's filter-change rerun within {TARGET:g}x the bare app's median rerun, "
        "for new and revisited views alike, at every size"
    )
    for v in verdicts:
        v["holds"] = v["new_view_ratio"] <= TARGET and v["revisit_ratio"] <= TARGET
        print(
            f"  {v['size']:>6,} recommendations: new view {v['new_view_ratio']:.2f}x, "
            f"revisited view {v['revisit_ratio']:.2f}x -> {'HOLDS' if v['holds'] else 'DOES NOT HOLD'} "
            f"(all reruns {v['ratio']:.2f}x, CPU time {v['cpu_ratio']:.2f}x, without the per-run compile "
            f"{v['adjusted']:.2f}x; slowest new view {v['worst_new_ratio']:.2f}x; first run {v['first_ratio']:.2f}x)"
        )
    overall = all(v["holds"] for v in verdicts)
    print(f"  overall: {'HOLDS' if overall else 'DOES NOT HOLD'}")
    return verdicts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES), help="comma-separated, e.g. 20,1000")
    parser.add_argument("--first-runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of filter changes (the first shows new views)")
    parser.add_argument("--profile", action="store_true", help="profile the dashboard rerun even if the target holds")
    parser.add_argument("--no-profile", action="store_true", help="never profile")
    parser.add_argument("--top", type=int, default=40, help="lines of cProfile output")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # AppTest outside a server warns "No runtime found" on every run
    sizes = [int(part.replace("_", "").replace(",", "")) for part in args.sizes.split(",") if part.strip()]

    import altair
    import pandas
    import yaml

    print(
        f"bench_dashboard: Python {platform.python_version()}, streamlit {st.__version__}, "
        f"altair {altair.__version__}, "
        f"pandas {pandas.__version__}, PyYAML {yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'}), "
        f"{os.cpu_count()} CPUs, {platform.platform()}"
    )
    print(f"dashboard: {git_state()}")
    editing = {k: os.environ[k] for k in ("TRACKER_READ_ONLY", "TRACKER_EDITOR_PASSCODE") if k in os.environ}
    print(f"editing env: {editing or 'none set (the dashboard runs in its local mode)'}")
    print(f"{UPDATES_PER_REC} updates per recommendation; first runs x{args.first_runs}, rounds x{args.rounds}")
    print("load average (1, 5, 15 min) at start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        warm_up(folder)
        print(f"warm-up (imports, one discarded run of each app): {time.perf_counter() - start:.1f} s", flush=True)
        files = {}
        for size in sizes:
            path, statuses, current = write_tracker(size, folder)
            files[size] = (path, statuses)
            mb = path.stat().st_size / 1_048_576
            print(
                f"\n[{size:,} recommendations] file {mb:.2f} MB; the filter visits each of, then each pair of: "
                + ", ".join(f"{status} ({current[status]})" for status in statuses),
                flush=True,
            )
            row = {"size": size, "file_mb": mb}
            for app in ("dashboard", "bare"):
                row[app] = measure_app(app, path, statuses, args.first_runs, args.rounds, current)
                m = row[app]
                print(
                    f"  {app:<10} first runs {', '.join(f'{t:.3f}' for t in m['first'])}; "
                    f"new views {', '.join(f'{t:.3f}' for t in m['new'])}; "
                    f"revisits {', '.join(f'{t:.3f}' for t in m['revisit'])}",
                    flush=True,
                )
            results.append(row)
        print("load average (1, 5, 15 min) at end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
        verdicts = print_table(results)
        if not args.no_profile:
            for v in verdicts:
                if args.profile or not v["holds"]:
                    path, statuses = files[v["size"]]
                    profile_rerun(v["size"], path, statuses, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
