"""Benchmark of the tracker core: load, validate, analyse, append.

Not a test: it builds synthetic trackers, times the core steps and prints the
figures. Run from the repository root:

    .venv/bin/python bench/bench_core.py                  # 20, 1,000 and 10,000 recommendations
    .venv/bin/python bench/bench_core.py --sizes 20,1000  # fewer sizes
    .venv/bin/python bench/bench_core.py --sizes 1000 --profile   # also cProfile the steps

Every file it writes lives in a temporary folder outside the repository and is
removed at the end; no bytecode is written either.
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the repo

import argparse  # noqa: E402
import cProfile  # noqa: E402
import functools  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pydantic  # noqa: E402
import yaml  # noqa: E402

from tests.conftest import RECORDED, TODAY, make_data  # noqa: E402
from tracker import analysis  # noqa: E402
from tracker.model import Update  # noqa: E402
from tracker.storage.yaml_files import YamlStore  # noqa: E402
from tracker.validation import validate_data  # noqa: E402
from tracker.yaml_text import dump_tracker  # noqa: E402

SIZES = (20, 1_000, 10_000)
UPDATES_PER_REC = 10  # a baseline plus 9 later updates
FIRST_DAY = date(2022, 8, 1)  # later updates fall between these two days
LAST_DAY = date(2026, 10, 31)
OVER_TIME_START = date(2022, 7, 1)  # publication month of the article
CHANGES_START = TODAY - timedelta(days=90)  # "changed recently", as analysis.summarise uses
APPENDS = 5
TARGET_RATIO = 1.3  # load+validate+analysis / raw parse at 10,000
TARGET_APPEND_S = 0.5  # one append at 1,000
MB = 1_048_576  # as tracker.validation reports sizes

WORDS = (
    "ministry officials agreed to resume talks on the export control list after the summit while the "
    "court ruling on compensation for wartime labour remained contested and parliament debated a joint "
    "fund for victims with business groups from both countries pledging contributions to youth exchanges "
    "defence ministers discussed information sharing missile warnings and trilateral exercises near the "
    "peninsula as public opinion polls showed cautious support for the new approach to history issues"
).split()


# --------------------------------------------------------------------------- synthetic data


def _text(rng: random.Random, low: int, high: int) -> str:
    """Plain prose of a length between low and high characters."""
    target = rng.randint(low, high)
    words: list[str] = []
    length = 0
    while length < target:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    text = " ".join(words)[: target - 1].rstrip()
    return text[0].upper() + text[1:] + "."


def _sources(rng: random.Random, rec_id: str, position: int, when: date, count: int) -> list[dict]:
    return [
        {
            "url": f"https://news.example.org/{when.year}/{when.month:02d}/{rec_id}-{position}-{n}.html",
            "title": _text(rng, 50, 90).rstrip(".") + " (Example News)",
            "kind": "news",
        }
        for n in range(count)
    ]


def _recorded(rng: random.Random, when: date) -> str:
    day = min(when + timedelta(days=rng.randint(0, 3)), TODAY)
    return f"{day.isoformat()}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"


def build_data(size: int, seed: int = 20221) -> dict:
    """A valid tracker dict with `size` recommendations of UPDATES_PER_REC updates each.

    Settings and vocabularies are those of tests.conftest.make_data(); dates run from a
    2022-07 baseline to 2026-10 in order; every status change cites a source; notes are
    about 150 characters; about one later update in 20 has a month-only date.
    """
    rng = random.Random(seed + size)
    data = make_data()
    settings = data["tracker"]
    statuses = [s["id"] for s in settings["statuses"]]
    addressees = [t["id"] for t in settings["addressees"]]
    categories = [t["id"] for t in settings["categories"]]
    priorities = [t["id"] for t in settings["priorities"]]
    kinds = [t["id"] for t in settings["event_kinds"]]
    span = (LAST_DAY - FIRST_DAY).days

    events = data["context_events"]
    for n in range(max(5, size // 50)):
        when = FIRST_DAY + timedelta(days=rng.randint(0, span))
        events.append(
            {
                "id": f"event-{n:05d}",
                "date": when.isoformat(),
                "kind": rng.choice(kinds),
                "title": _text(rng, 30, 80),
                "note": _text(rng, 100, 200),
                "sources": _sources(rng, f"event-{n:05d}", 0, when, 1),
            }
        )
    events.sort(key=lambda e: e["date"])

    recs = []
    for i in range(size):
        rec_id = f"rec-{i:05d}"
        status = rng.choice(statuses[:2] + ["not_started"] * 3 + ["stalled"])
        updates = [
            {
                "date": "2022-07",
                "status": status,
                "note": _text(rng, 120, 180),
                "sources": _sources(rng, rec_id, 0, date(2022, 7, 1), 1) if rng.random() < 0.3 else [],
                "author": "Benchmark analyst",
                "recorded": RECORDED,
            }
        ]
        days = sorted(FIRST_DAY + timedelta(days=rng.randint(0, span)) for _ in range(UPDATES_PER_REC - 1))
        previous_start = date(2022, 7, 1)
        last_recorded = ""  # record times follow the dates: a status is read in the order it was recorded
        for position, day in enumerate(days, start=1):
            written = day.isoformat()
            month_start = day.replace(day=1)
            if rng.random() < 0.05 and month_start >= previous_start:
                written = day.isoformat()[:7]  # the source gives only the month
            previous_start = month_start if len(written) == 7 else day
            if rng.random() < 0.6:
                status = rng.choice([s for s in statuses if s != status])
                sources = _sources(rng, rec_id, position, day, rng.choice((1, 1, 2)))
            else:  # a review with no change; half of them still cite something
                sources = _sources(rng, rec_id, position, day, 1) if rng.random() < 0.5 else []
            updates.append(
                {
                    "date": written,
                    # A review citing nothing states no status (a restated one could read as an unsourced
                    # change once a month-only date sorts before it).
                    "status": status if sources or position == 0 else None,
                    "note": _text(rng, 120, 180),
                    "sources": sources,
                    "author": rng.choice(("Benchmark analyst", "Second analyst", "Reviewer")),
                    "recorded": max(_recorded(rng, day), last_recorded),
                }
            )
            last_recorded = updates[-1]["recorded"]
        rec = {
            "id": rec_id,
            "title": _text(rng, 30, 90).rstrip("."),
            "quote": _text(rng, 150, 350),
            "addressees": rng.sample(addressees, rng.choice((1, 1, 2, 3))),
            "category": rng.choice(categories),
            "priority": rng.choice(priorities),
            "implied": rng.random() < 0.05,
            "assessment": {"date": "2026-10-31", "text": _text(rng, 120, 300)},
            "criteria": _text(rng, 60, 160),
            "updates": updates,
        }
        if rng.random() < 0.1:
            rec["review_interval_days"] = rng.choice((30, 90, 365))
        recs.append(rec)
    data["recommendations"] = recs
    return data


def appended_update(n: int, rec_id: str, current_status: str) -> Update:
    """The n-th update appended during the append step: a dated change that cites a source."""
    when = date(2026, 11, 1) + timedelta(days=n)
    new_status = "implemented" if current_status != "implemented" else "partial"
    return Update(
        date=when.isoformat(),
        status=new_status,
        note=f"Benchmark append {n}: " + "the measure was announced by the ministry and took effect. " * 2,
        sources=[
            {
                "url": f"https://news.example.org/2026/11/{rec_id}-append-{n}.html",
                "title": "Append source",
                "kind": "news",
            }
        ],
        author="Benchmark analyst",
        recorded=f"{when.isoformat()}T09:00:00Z",
    )


# --------------------------------------------------------------------------- measured steps


def raw_parse(path: Path):
    """The floor: read bytes, decode, and let libyaml-backed PyYAML build plain data."""
    text = path.read_bytes().decode("utf-8")
    return yaml.load(text, Loader=yaml.CSafeLoader)


def raw_parse_gc_paused(path: Path):
    """The same raw parse with the cyclic garbage collector paused, as YamlStore.load may do.

    Shown for reference only; the target compares against raw_parse."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return raw_parse(path)
    finally:
        if enabled:
            gc.enable()


def load_validate(path: Path):
    """What the dashboard does on a cold start: a fresh store (no cache), parse and validate."""
    return YamlStore(path).load(today=TODAY)


def analyse(tracker) -> None:
    """The dashboard's tables, computed as the dashboard does: the event log once, then shared."""
    settings = tracker.settings
    log = analysis.list_updates(tracker)
    frame = analysis.statuses_as_of(tracker, TODAY, log)
    analysis.count_by_status(frame, settings)
    analysis.count_by(frame, "category", settings)
    analysis.count_status_over_time(tracker, OVER_TIME_START, TODAY, log)
    analysis.list_changes(tracker, CHANGES_START, TODAY, log)


def timed(fn, repeats: int) -> tuple[float, float, list[float], object]:
    """Median wall time of `repeats` calls, median CPU time of this process, all the wall
    times, and the last result. CPU time shows how much of the wall time other load on
    the machine added."""
    times, cpu = [], []
    result = None
    for _ in range(repeats):
        result = None
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu), times, result


def peak_mb(fn) -> float:
    """Peak of Python allocations made during one call, in MB (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / MB


def measure(size: int, folder: Path, repeats: int, profile: bool) -> dict:
    t0 = time.perf_counter()
    data = build_data(size)
    tracker = validate_data(data, today=TODAY)
    text = dump_tracker(tracker)
    path = folder / f"tracker-{size}.yaml"
    path.write_text(text, encoding="utf-8")
    del data, tracker, text
    print(
        f"\n[{size:,} recommendations] file {path.stat().st_size / MB:.2f} MB, built in "
        f"{time.perf_counter() - t0:.1f} s; {repeats} repeat(s) per step",
        flush=True,
    )
    row: dict = {"size": size, "file_mb": path.stat().st_size / MB, "repeats": repeats}

    # 1. baseline: the raw YAML parse of the same file, and
    # 2. load+validate on a fresh store, then the analysis tables.
    # The steps take turns within each repeat, so that load from other processes on the
    # machine falls on the baseline and on the steps compared with it alike.
    wall: dict[str, list[float]] = {"parse": [], "parse_nogc": [], "load": [], "analysis": []}
    cpu: dict[str, list[float]] = {"parse": [], "parse_nogc": [], "load": [], "analysis": []}
    tracker = None

    def record(step, wall_time, cpu_time):
        wall[step].append(wall_time)
        cpu[step].append(cpu_time)

    for _ in range(repeats):
        tracker = None
        wall_time, cpu_time, _, parsed = timed(lambda: raw_parse(path), 1)
        assert len(parsed["recommendations"]) == size
        del parsed
        record("parse", wall_time, cpu_time)
        wall_time, cpu_time, _, parsed = timed(lambda: raw_parse_gc_paused(path), 1)
        del parsed
        record("parse_nogc", wall_time, cpu_time)
        wall_time, cpu_time, _, tracker = timed(lambda: load_validate(path), 1)
        record("load", wall_time, cpu_time)
        wall_time, cpu_time, _, _ = timed(functools.partial(analyse, tracker), 1)
        record("analysis", wall_time, cpu_time)
    for step, label in (
        ("parse", "raw parse"),
        ("parse_nogc", "(gc paused)"),
        ("load", "load+validate"),
        ("analysis", "analysis"),
    ):
        row[step], row[f"{step}_cpu"] = statistics.median(wall[step]), statistics.median(cpu[step])
        print(f"  {label:<16} {_fmt_times(wall[step], row[f'{step}_cpu'])}", flush=True)
    row["combined"] = row["load"] + row["analysis"]
    row["ratio"] = row["combined"] / row["parse"]
    row["ratio_cpu"] = (row["load_cpu"] + row["analysis_cpu"]) / row["parse_cpu"]
    row["ratio_nogc"] = row["combined"] / row["parse_nogc"]

    # 3. appends, on a copy, through a store that has loaded the file once (a running dashboard)
    copy = folder / f"append-{size}.yaml"
    shutil.copy(path, copy)
    store = YamlStore(copy)
    loaded = store.load(today=TODAY)
    targets = [loaded.recommendations[(k * 7919) % size] for k in range(APPENDS + 2)]
    pending = [appended_update(k, rec.id, rec.updates[-1].status) for k, rec in enumerate(targets)]
    del loaded
    times, cpu = [], []
    for k in range(APPENDS):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        store.append_update(targets[k].id, pending[k], today=TODAY)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    row["append"], row["append_cpu"] = statistics.median(times), statistics.median(cpu)
    print(f"  append           {_fmt_times(times, row['append_cpu'])}", flush=True)

    # 4. peak memory of each step, in separate runs (tracemalloc slows the code it watches)
    row["parse_mb"] = peak_mb(lambda: raw_parse(path))
    row["load_mb"] = peak_mb(lambda: load_validate(path))
    row["analysis_mb"] = peak_mb(lambda: analyse(tracker))
    row["append_mb"] = peak_mb(lambda: store.append_update(targets[APPENDS].id, pending[APPENDS], today=TODAY))
    print(
        f"  peak MB          parse {row['parse_mb']:.1f}, load+validate {row['load_mb']:.1f}, "
        f"analysis {row['analysis_mb']:.1f}, append {row['append_mb']:.1f}",
        flush=True,
    )

    if profile:
        run_profiles(path, tracker, store, targets[APPENDS + 1].id, pending[APPENDS + 1])
    return row


# --------------------------------------------------------------------------- profiling


def _profile(label: str, fn, limit: int = 25) -> None:
    gc.collect()
    # CPU time as the clock, so that other load on the machine does not skew the shares.
    profiler = cProfile.Profile(time.process_time)
    start = time.process_time()
    profiler.runcall(fn)
    total = time.process_time() - start
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    print(f"\n---- cProfile: {label} ({total:.2f} s CPU under the profiler) ----")
    print(_trim_profile(out.getvalue()))


def _trim_profile(text: str) -> str:
    root = str(ROOT) + os.sep
    return "\n".join(line.replace(root, "") for line in text.splitlines() if line.strip())


def run_profiles(path: Path, tracker, store: YamlStore, rec_id: str, update: Update) -> None:
    """cProfile of load+validate, of each analysis call and of one append."""
    settings = tracker.settings
    print("\n  analysis, call by call (one run each):")
    frame = None
    calls = [
        ("list_updates (called inside the others)", lambda: analysis.list_updates(tracker)),
        ("statuses_as_of", lambda: analysis.statuses_as_of(tracker, TODAY)),
        ("count_by_status", lambda: analysis.count_by_status(frame, settings)),
        ("count_by category", lambda: analysis.count_by(frame, "category", settings)),
        ("count_status_over_time", lambda: analysis.count_status_over_time(tracker, OVER_TIME_START, TODAY)),
        ("list_changes", lambda: analysis.list_changes(tracker, CHANGES_START, TODAY)),
    ]
    for label, fn in calls:
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        print(f"    {label:<42} {wall:8.3f} s wall {cpu:8.3f} s CPU")
        if label == "statuses_as_of":
            frame = result
    print(f"    (the event log has {len(analysis.list_updates(tracker)):,} rows)")
    _profile("load+validate", lambda: load_validate(path))
    _profile("analysis", lambda: analyse(tracker))
    _profile("one append (store already loaded)", lambda: store.append_update(rec_id, update, today=TODAY))


# --------------------------------------------------------------------------- report


def _fmt_times(times: list[float], cpu: float) -> str:
    runs = ", ".join(f"{t:.3f}" for t in times)
    return f"median {statistics.median(times):.3f} s wall, {cpu:.3f} s CPU  (wall runs: {runs})"


def print_table(rows: list[dict]) -> None:
    head = (
        f"{'recs':>7} {'updates':>8} {'file MB':>8} {'rep':>4} {'parse s':>8} {'load+val s':>10} "
        f"{'analysis s':>10} {'combined s':>10} {'ratio':>6} {'append s':>9} | peak MB: "
        f"{'parse':>6} {'load':>6} {'anal.':>6} {'append':>6}"
    )
    print("\nWall time (time.perf_counter)")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['size']:>7,} {r['size'] * UPDATES_PER_REC:>8,} {r['file_mb']:>8.2f} {r['repeats']:>4} "
            f"{r['parse']:>8.3f} {r['load']:>10.3f} {r['analysis']:>10.3f} {r['combined']:>10.3f} "
            f"{r['ratio']:>5.2f}x {r['append']:>9.3f} |          "
            f"{r['parse_mb']:>6.1f} {r['load_mb']:>6.1f} {r['analysis_mb']:>6.1f} {r['append_mb']:>6.1f}"
        )
    print("\nRaw parse with the garbage collector paused (reference only; YamlStore.load may pause it)")
    head = f"{'recs':>7} {'parse s':>8} {'gc paused s':>11} {'ratio vs gc-paused parse':>25}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['size']:>7,} {r['parse']:>8.3f} {r['parse_nogc']:>11.3f} {r['ratio_nogc']:>24.2f}x")
    print("\nCPU time of this process (time.process_time), same runs")
    head = (
        f"{'recs':>7} {'parse s':>8} {'load+val s':>10} {'analysis s':>10} {'combined s':>10} "
        f"{'ratio':>6} {'append s':>9}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['size']:>7,} {r['parse_cpu']:>8.3f} {r['load_cpu']:>10.3f} {r['analysis_cpu']:>10.3f} "
            f"{r['load_cpu'] + r['analysis_cpu']:>10.3f} {r['ratio_cpu']:>5.2f}x {r['append_cpu']:>9.3f}"
        )
    print(
        "times: median of 'rep' runs (append: median of 5 appends); ratio = (load+validate + analysis) / raw parse;"
        "\npeak MB: tracemalloc peak of one separate run of the step, MB = 2^20 bytes"
    )
    by_size = {r["size"]: r for r in rows}
    print("\nTargets (wall time):")
    if 10_000 in by_size:
        r = by_size[10_000]
        verdict = "HOLDS" if r["ratio"] <= TARGET_RATIO else "DOES NOT HOLD"
        print(
            f"  load+validate+analysis within {TARGET_RATIO}x the raw parse at 10,000: {verdict} "
            f"({r['combined']:.2f} s vs {r['parse']:.2f} s = {r['ratio']:.2f}x; CPU {r['ratio_cpu']:.2f}x)"
        )
    else:
        print("  load+validate+analysis within 1.3x the raw parse at 10,000: not measured (size not run)")
    if 1_000 in by_size:
        r = by_size[1_000]
        verdict = "HOLDS" if r["append"] < TARGET_APPEND_S else "DOES NOT HOLD"
        print(
            f"  one append at 1,000 under {TARGET_APPEND_S} s: {verdict} "
            f"({r['append']:.3f} s; CPU {r['append_cpu']:.3f} s)"
        )
    else:
        print("  one append at 1,000 under 0.5 s: not measured (size not run)")


def _provenance() -> str:
    """The commit measured, and whether tracker/ differs from it in the working tree."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--short", "--", "tracker"], capture_output=True, text=True, check=True
        ).stdout.split("\n")
        changed = [line.strip() for line in dirty if line.strip()]
        return f"commit {head}" + (f", tracker/ changes not committed: {'; '.join(changed)}" if changed else "")
    except (OSError, subprocess.CalledProcessError):
        return "commit unknown"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES), help="comma-separated, e.g. 20,1000")
    parser.add_argument("--repeats", type=int, default=3, help="repeats per step below 10,000 (default 3)")
    parser.add_argument("--large-repeats", type=int, default=3, help="repeats per step at 10,000+ (default 3)")
    parser.add_argument("--profile", action="store_true", help="also cProfile load, analysis and append")
    args = parser.parse_args(argv)
    sizes = [int(part.replace("_", "")) for part in args.sizes.split(",") if part.strip()]

    print(
        f"bench_core: Python {platform.python_version()}, PyYAML {yaml.__version__} "
        f"(libyaml {'yes' if yaml.__with_libyaml__ else 'no'}), pydantic {pydantic.__version__}, "
        f"pandas {analysis.pd.__version__}, {os.cpu_count()} CPUs, {platform.platform()}"
    )
    print(f"today={TODAY}, {UPDATES_PER_REC} updates per recommendation, {_provenance()}")
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-core-") as folder:
        for size in sizes:
            repeats = args.large_repeats if size >= 10_000 else args.repeats
            rows.append(measure(size, Path(folder), repeats, args.profile))
    print_table(rows)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS over the whole run: {peak_rss:.0f} MB")
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
