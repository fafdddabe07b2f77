"""Benchmark: one document of a PostgreSQL database of many, against the same document alone (not a test).

It builds two databases on the same server: one of 100 documents of 100 recommendations each (10 dated,
sourced updates per recommendation, synthetic, a different seed per document), and one holding only
the 50th of them (same id, same content). Then, interleaving the two so that other load on the
machine disturbs both alike, it times
- a cold load of that document: a new store (no cache), best of --repeats;
- the SELECTs alone (`sql._fetch` on an open connection, no validation), best of --repeats;
- one append on a store that has loaded already (the dashboard's case), the median of --repeats;
and prints each pair and its ratio (many / alone: 1.0x means the other 99 documents cost nothing).
It checks that the appends bumped only that document's revision, and prints PostgreSQL's plan of
each SELECT of a load in the big database (EXPLAIN ANALYZE: the index used and the rows read).
Last, the whole first read of all 100: list the documents, then a cold load of each (a new store each).

Run from the repository root, with a PostgreSQL server (scripts/postgres starts one):

    eval "$(scripts/postgres)"; .venv/bin/python bench/bench_documents_sql.py
    .venv/bin/python bench/bench_documents_sql.py --documents 20 --recs 100 --url postgresql://user@host/db

It works in two databases of its own (`tracker_bench_documents`, `tracker_bench_alone`, created next
to the given one) and removes their tables at the end.
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the repo

import argparse  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_database import build_data, drop_tables, find_url, new_update  # noqa: E402
from sqlalchemy import create_engine, event, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from tests.conftest import TODAY  # noqa: E402
from tracker.location import normalise_database_url  # noqa: E402
from tracker.storage import sql  # noqa: E402
from tracker.storage.sql import SqlStore, list_documents  # noqa: E402
from tracker.validation import validate_data  # noqa: E402
from tracker.yaml_text import gc_paused  # noqa: E402

DATABASES = ("tracker_bench_documents", "tracker_bench_alone")


def own_database(url: str, name: str) -> str:
    """A database of the benchmark's own on the same server (created when missing), emptied of tables."""
    server = make_url(normalise_database_url(url))
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    found = server.set(database=name).render_as_string(hide_password=False)
    drop_tables(found)
    return found


def doc_id(n: int) -> str:
    return f"doc-{n:03d}"


def build(url: str, trackers: dict, today=TODAY) -> float:
    """Import every tracker as a document of its own, in order, checked as of `today` (the bundled data's
    dates pass the synthetic data's day); returns the seconds it took."""
    start = time.perf_counter()
    for name, tracker in trackers.items():
        store = SqlStore(url, document=name)
        store.replace(tracker, today=today)
        store.dispose()
    seconds = time.perf_counter() - start
    engine = create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))  # what autovacuum does soon after an import
    engine.dispose()
    return seconds


def cold_load(url: str, name: str):
    store = SqlStore(url, document=name)
    try:
        return store.load(today=TODAY)
    finally:
        store.dispose()


def fetch_only(store: SqlStore, name: str):
    with gc_paused(), store.engine.connect() as conn, conn.begin():
        return sql._fetch(conn, name)


def revisions(url: str) -> dict:
    engine = create_engine(normalise_database_url(url))
    with engine.connect() as conn:
        found = dict(conn.execute(select(sql.documents.c.id, sql.documents.c.revision)).all())
    engine.dispose()
    return found


def plans(url: str, name: str) -> list[str]:
    """One line per SELECT of a cold load: PostgreSQL's plan (EXPLAIN ANALYZE) and the rows it read."""
    store = SqlStore(url, document=name)
    store.revision()
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("SELECT") and "tracker_" in statement:
            seen.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", record)
    store.load(today=TODAY)
    event.remove(store.engine, "before_cursor_execute", record)
    lines = []
    with store.engine.connect() as conn:
        for statement, parameters in seen:
            plan = [row[0] for row in conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)]
            table = re.search(r"\bFROM\s+(\S+)", statement).group(1)
            scans = [line.strip().lstrip("-> ").split("  (")[0] for line in plan if "Scan" in line]
            rows = [line.split("rows=")[2].split()[0] for line in plan if "Scan" in line and line.count("rows=") > 1]
            skipped = sum(int(line.split(":")[1]) for line in plan if "Rows Removed by Filter" in line)
            pages = re.search(r"Buffers: shared (?:hit=(\d+))?(?: read=(\d+))?", "\n".join(plan))
            touched = sum(int(n) for n in pages.groups() if n) if pages else 0
            lines.append(
                f"{table}: {'; '.join(scans)} (rows returned: {', '.join(rows)}; rows read and dropped: {skipped}; "
                f"pages: {touched})"
            )
    store.dispose()
    return lines


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100, help="documents in the big database")
    parser.add_argument("--recs", type=int, default=100, help="recommendations per document")
    parser.add_argument("--repeats", type=int, default=7, help="runs of each measurement")
    parser.add_argument("--url", default=None, help="a PostgreSQL URL (default: $TRACKER_TEST_DATABASE_URL)")
    args = parser.parse_args(argv)
    server = find_url(args.url)
    many, alone = (own_database(server, name) for name in DATABASES)
    with create_engine(normalise_database_url(many)).connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
    print(f"# bench_documents_sql.py, {date.today().isoformat()}")
    print(
        f"# {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL "
        f"{version} on the same machine, load average before: {os.getloadavg()[0]:.1f}"
    )
    chosen = doc_id(args.documents // 2)
    try:
        print(f"# building {args.documents} documents x {args.recs} recommendations ...", file=sys.stderr, flush=True)
        trackers = {
            doc_id(n): validate_data(build_data(args.recs, seed=2022 + n), today=TODAY) for n in range(args.documents)
        }
        updates = sum(len(rec.updates) for tracker in trackers.values() for rec in tracker.recommendations)
        build_many = build(many, trackers)
        build(alone, {chosen: trackers[chosen]})

        row = {"load": {}, "fetch": {}, "append": {}}
        for url in (many, alone):
            assert cold_load(url, chosen) == trackers[chosen]  # the server's caches warm up once, as in service
        readers = {url: SqlStore(url, document=chosen) for url in (many, alone)}
        writers = {url: SqlStore(url, document=chosen) for url in (many, alone)}
        for url in (many, alone):
            fetch_only(readers[url], chosen)
            writers[url].load(today=TODAY)
            row["load"][url], row["fetch"][url], row["append"][url] = [], [], []
        before = revisions(many)
        for n in range(args.repeats):
            for url in (many, alone) if n % 2 == 0 else (alone, many):
                start = time.perf_counter()
                cold_load(url, chosen)
                row["load"][url].append(time.perf_counter() - start)
                start = time.perf_counter()
                fetch_only(readers[url], chosen)
                row["fetch"][url].append(time.perf_counter() - start)
                start = time.perf_counter()
                writers[url].append_update("rec-00001", new_update(n), today=TODAY)
                row["append"][url].append(time.perf_counter() - start)
        after = revisions(many)
        bumped = {name for name in after if after[name] != before[name]}
        assert bumped == {chosen} and after[chosen] == before[chosen] + args.repeats, bumped
        for store in (*readers.values(), *writers.values()):
            store.dispose()

        print(f"# {args.documents} documents, {args.documents * args.recs:,} recommendations, {updates:,} updates")
        print(f"# import of the {args.documents} documents (one replace each): {fmt(build_many)}")
        print(f"# appends bumped only {chosen}'s revision (+{args.repeats}); the other {len(after) - 1} unchanged")
        print()
        print(f"| {chosen} ({args.recs} recs) | in a database of {args.documents} | alone | ratio |")
        print("|---|---|---|---|")
        for key, label, pick in (
            ("load", "cold load (new store), best", min),
            ("fetch", "  of which the SELECTs alone, best", min),
            ("append", "one append (store loaded), median", statistics.median),
        ):
            a, b = pick(row[key][many]), pick(row[key][alone])
            print(f"| {label} | {fmt(a)} | {fmt(b)} | {a / b:.2f}x |")
        print()
        print(f"Plans of a load of {chosen} in the database of {args.documents}:")
        for line in plans(many, chosen):
            print(f"- {line}")

        print("# the first read of every document ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        names = list_documents(many)
        listed = time.perf_counter() - start
        for name in names:
            cold_load(many, name)
        total = time.perf_counter() - start
        print()
        print(
            f"First read of all {len(names)} documents (list_documents, then a new store and a cold load each): "
            f"{fmt(total)}, {fmt((total - listed) / len(names))} per document (listing: {fmt(listed)})"
        )
    finally:
        for url in (many, alone):
            drop_tables(url)
    print(f"# load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
