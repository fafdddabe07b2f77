"""Benchmark: the PostgreSQL store against the YAML store, in the same run (not a test).

For 20, 1,000 and 10,000 recommendations (10 updates each, synthetic) it times
- a cold load: a new store object, so no cache; split into reading (YAML parse, or the
  SELECTs) and validation, which both stores share;
- a warm load: the same store again, the database unchanged (what the dashboard pays per page);
- one append on a store that has already loaded (the dashboard's case), split into the
  `edits` step (which re-validates the whole tracker) and the storage work;
- the import (YAML -> PostgreSQL) that sets each size up.

Run from the repository root, with a PostgreSQL server (scripts/postgres starts one):

    eval "$(scripts/postgres)"; .venv/bin/python bench/bench_database.py
    .venv/bin/python bench/bench_database.py --sizes 20,1000 --url postgresql://user@host/db

It works in a database of its own (`tracker_bench`, created next to the given one) and a
temporary folder, and removes both tables and files at the end.
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the repo

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from tests.conftest import RECORDED, TODAY, make_data  # noqa: E402
from tracker import edits  # noqa: E402
from tracker.edits import build_update  # noqa: E402
from tracker.location import normalise_database_url  # noqa: E402
from tracker.storage import sql  # noqa: E402
from tracker.storage.sql import SqlStore  # noqa: E402
from tracker.storage.yaml_files import YamlStore  # noqa: E402
from tracker.validation import validate_data  # noqa: E402
from tracker.yaml_text import dump_tracker, gc_paused, parse_yaml  # noqa: E402

SIZES = (20, 1_000, 10_000)
UPDATES_PER_REC = 10
BENCH_DATABASE = "tracker_bench"
STATUSES = ("not_started", "in_progress", "partial", "implemented", "stalled", "reversed")
WORDS = (
    "talks ministers agreed summit statement review court ruling fund export controls visit "
    "delegation security dialogue exchange students trade forum announced plan delayed"
).split()


def drop_tables(url: str) -> None:
    """Remove every table from the benchmark's database (through SQLAlchemy's public API)."""
    from sqlalchemy import MetaData, create_engine

    engine = create_engine(normalise_database_url(url))
    tables = MetaData()
    tables.reflect(engine)
    tables.drop_all(engine)
    engine.dispose()


def build_data(size: int, seed: int = 2022) -> dict:
    """make_data's vocabularies with `size` recommendations of 10 dated, sourced updates each."""
    rng = random.Random(seed)
    data = make_data()
    template = data["recommendations"][0]
    start = date(2022, 8, 1)

    def sentence(low: int, high: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."

    recs = []
    for n in range(size):
        rec_id = f"rec-{n:05d}"
        days = sorted(rng.sample(range(1500), UPDATES_PER_REC - 1))
        updates = [
            {
                "date": "2022-07",
                "status": "not_started",
                "note": "Baseline.",
                "sources": [],
                "author": "Bench",
                "recorded": RECORDED,
            }
        ]
        status = "not_started"
        for k, day in enumerate(days):
            status = rng.choice(STATUSES)
            updates.append(
                {
                    "date": (start + timedelta(days=day)).isoformat(),
                    "status": status,
                    "note": sentence(12, 40),
                    # Every update cites a source, so any status change is allowed.
                    "sources": [{"url": f"https://example.org/{rec_id}/{k}", "title": sentence(3, 8), "kind": "news"}],
                    "author": "Bench analyst",
                    "recorded": RECORDED,
                }
            )
        recs.append(
            {
                **template,
                "id": rec_id,
                "title": sentence(4, 10),
                "quote": sentence(20, 60),
                "addressees": rng.sample(["japan", "south_korea", "united_states"], rng.randint(1, 3)),
                "category": rng.choice(["trade", "history", "security"]),
                "priority": rng.choice(["high", "low"]),
                "updates": updates,
            }
        )
    data["recommendations"] = recs
    return data


def new_update(n: int):
    return build_update(
        {
            "date": "2026-11-01",
            "status": "partial",
            "note": f"Benchmark append {n}.",
            "sources": [{"url": f"https://example.org/bench/{n}", "title": "Evidence", "kind": "news"}],
            "author": "Bench",
            "recorded": RECORDED,
        }
    )


def timed(fn, repeats: int) -> tuple[float, object]:
    """(best of `repeats` in seconds, last result): the least disturbed by other work on the machine."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def bench_database(url: str) -> str:
    """A database of our own on the same server, so the tests' tables are never touched."""
    server = make_url(normalise_database_url(url))
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": BENCH_DATABASE}).first() is None:
            conn.execute(text(f"CREATE DATABASE {BENCH_DATABASE}"))
    admin.dispose()
    return server.set(database=BENCH_DATABASE).render_as_string(hide_password=False)


def find_url(given: str | None) -> str:
    url = given or os.environ.get("TRACKER_TEST_DATABASE_URL", "")
    if not url:
        started = subprocess.run([str(ROOT / "scripts" / "postgres")], capture_output=True, text=True)
        url = started.stdout.strip().partition("=")[2]
    if not url:
        sys.exit('No PostgreSQL: run `eval "$(scripts/postgres)"` or pass --url.')
    return url


def measure(size: int, url: str, folder: Path) -> dict:
    repeats = 3 if size <= 1_000 else 2  # a 10,000 YAML load takes half a minute
    tracker = validate_data(build_data(size), today=TODAY)
    row = {"size": size, "updates": sum(len(r.updates) for r in tracker.recommendations)}

    # YAML store
    path = folder / f"tracker-{size}.yaml"
    start = time.perf_counter()
    payload = dump_tracker(tracker).encode("utf-8")
    path.write_bytes(payload)
    row["yaml_write"] = time.perf_counter() - start
    row["yaml_mb"] = len(payload) / 1_048_576
    row["yaml_parse"], (plain, _node) = timed(lambda: parse_yaml(path.read_bytes(), path.name), repeats)
    row["yaml_load"], _ = timed(lambda: YamlStore(path).load(today=TODAY), repeats)

    def yaml_load_gc_paused():
        # Both stores now pause the collector themselves; this row checks that nothing more is gained.
        with gc_paused():
            return YamlStore(path).load(today=TODAY)

    row["yaml_load_gc"], _ = timed(yaml_load_gc_paused, repeats)
    yaml_store = YamlStore(path)
    yaml_store.load(today=TODAY)
    row["yaml_warm"], _ = timed(lambda: yaml_store.load(today=TODAY), 20)
    row["yaml_append"], _ = timed(lambda: yaml_store.append_update("rec-00001", new_update(0), today=TODAY), 1)

    # PostgreSQL store: the import sets it up.
    drop_tables(url)
    setup = SqlStore(url)
    start = time.perf_counter()
    setup.replace(tracker, today=TODAY)
    row["pg_import"] = time.perf_counter() - start
    setup.dispose()

    def cold_load():
        store = SqlStore(url)
        try:
            return store.load(today=TODAY)
        finally:
            store.dispose()

    cold_load()  # the server's own caches warm up once, as they would in service
    row["pg_load"], loaded = timed(cold_load, repeats)
    assert loaded == tracker
    reader = SqlStore(url)
    reader.load(today=TODAY)

    def fetch_only():
        with gc_paused(), reader.engine.connect() as conn, conn.begin():
            return sql._fetch(conn, sql.FIRST_DOCUMENT)  # the one document an import into an empty database makes

    row["pg_fetch"], data = timed(fetch_only, repeats)

    def validate_only():
        with gc_paused():
            return validate_data(data, today=TODAY)

    row["validate"], _ = timed(validate_only, repeats)
    row["pg_warm"], _ = timed(lambda: reader.load(today=TODAY), 50)
    row["pg_revision"], _ = timed(reader.revision, 50)

    # One append on a store that has loaded already (the median of 5), and within each the
    # time spent in edits.insert_update, which re-validates the whole tracker.
    writer = SqlStore(url)
    writer.load(today=TODAY)
    totals, edit_steps = [], []
    for n in range(1, 6):
        update = new_update(n)

        def apply(current, update=update):
            start = time.perf_counter()
            try:
                return edits.insert_update(current, "rec-00001", update, today=TODAY)
            finally:
                edit_steps.append(time.perf_counter() - start)

        start = time.perf_counter()
        after = writer.change(apply, today=TODAY)  # exactly what append_update does, with the timer inside
        totals.append(time.perf_counter() - start)
    assert after.recommendations[1].updates[-1].note == "Benchmark append 5."
    row["pg_append"] = statistics.median(totals)
    row["edits_step"] = statistics.median(edit_steps)
    row["pg_storage"] = statistics.median(total - step for total, step in zip(totals, edit_steps, strict=True))
    for store in (reader, writer):
        store.dispose()
    return row


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def print_report(rows: list[dict]) -> None:
    def line(label, key, formatter=fmt):
        print(f"| {label} | " + " | ".join(formatter(row[key]) for row in rows) + " |")

    print("| | " + " | ".join(f"{row['size']:,} recs ({row['updates']:,} updates)" for row in rows) + " |")
    print("|---|" + "---|" * len(rows))
    line("YAML file size", "yaml_mb", lambda v: f"{v:.1f} MB")
    line("YAML cold load (new store)", "yaml_load")
    line("  YAML parse alone (outside the store, collector running)", "yaml_parse")
    line("PostgreSQL cold load (new store)", "pg_load")
    line("  of which SELECTs + building the data", "pg_fetch")
    line("  of which validation (validate_data; the YAML store runs the same)", "validate")
    print(
        "| **Cold load: YAML / PostgreSQL** | "
        + " | ".join(f"**{row['yaml_load'] / row['pg_load']:.1f}x**" for row in rows)
        + " |"
    )
    line("YAML cold load inside an extra collector pause (the store pauses it itself)", "yaml_load_gc")
    print(
        "| Cold load, both with the collector paused: YAML / PostgreSQL | "
        + " | ".join(f"{row['yaml_load_gc'] / row['pg_load']:.1f}x" for row in rows)
        + " |"
    )
    print(
        "| Reading only: YAML parse / SELECTs | "
        + " | ".join(f"{row['yaml_parse'] / row['pg_fetch']:.1f}x" for row in rows)
        + " |"
    )
    line("YAML warm load (file unchanged)", "yaml_warm")
    line("PostgreSQL warm load (revision unchanged)", "pg_warm")
    line("PostgreSQL revision()", "pg_revision")
    line("YAML one append", "yaml_append")
    line("**PostgreSQL one append**", "pg_append")
    line("  of which edits.insert_update (checks the changed recommendation)", "edits_step")
    line("  of which storage (lock, insert, bump, commit)", "pg_storage")
    line("Import YAML -> PostgreSQL (save)", "pg_import")
    line("YAML write (dump_tracker)", "yaml_write")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES), help="comma-separated sizes")
    parser.add_argument("--url", default=None, help="a PostgreSQL URL (default: $TRACKER_TEST_DATABASE_URL)")
    args = parser.parse_args(argv)
    sizes = [int(part) for part in args.sizes.split(",") if part]
    url = bench_database(find_url(args.url))
    cores = os.cpu_count()
    with create_engine(normalise_database_url(url)).connect() as conn:
        server = conn.execute(text("SHOW server_version")).scalar()
    print(f"# bench_database.py, {date.today().isoformat()}")
    print(
        f"# {platform.platform()}, {cores} cores, Python {platform.python_version()}, PostgreSQL {server} "
        f"on the same machine, load average before: {os.getloadavg()[0]:.1f}"
    )
    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    rows = []
    try:
        for size in sizes:
            print(f"# measuring {size:,} recommendations ...", file=sys.stderr, flush=True)
            rows.append(measure(size, url, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        drop_tables(url)
    print(f"# load average after: {os.getloadavg()[0]:.1f}")
    print()
    print_report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
