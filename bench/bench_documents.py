"""Benchmark: a tracker of 100 documents x 100 recommendations against the bundled two documents (#26).

Not a test: it prints figures. It builds, in a temporary folder outside the repository, from synthetic
and clearly fake text (bench_database's generator, a seed per document, each titled "Synthetic document
NNN (fake data)"):
- an index of --documents YAML files of --recs recommendations each (10 dated, sourced updates per
  recommendation), a copy of the bundled index of two documents, and the 50th document alone as one
  tracker file;
- with a PostgreSQL server (scripts/postgres), the same three as databases of their own.
The servers run `streamlit run app.py`, what scripts/dashboard and Community Cloud run (the page, its
routes, and the first page prepared before the health check answers: ui/startup.py), read-only, with
TRACKER_TODAY fixed and the persistent cache of YAML documents in a folder of the run's own
(TRACKER_CACHE_DIR); it measures, interleaved so that other load on the machine hurts both sides alike:

1. **Saves** (in this process, through the store API as the Edit page does: `append_update` on a store
   that has loaded already): one save to the 50th document of the index against the same save to that
   document alone, median of --repeats, for each backend.
2. **Warm pages** in Chromium (a fresh context of 1,440 x 900 each time; the clock stops when the page
   shows what it is for: bench_browser's markers): All documents (`/documents`, its search box drawn
   after every document's summary) and the first document's Overview (`/`, its answer and two charts),
   on the 100-document tracker against the bundled two documents; median of --repeats after two
   warm-up rounds. Then the server's memory (VmRSS and its peak, VmHWM), also after a search across
   every document on All documents.
3. **The first page after a restart**: a new server, then `/` opened at once; from the process start to
   the health check answering, and from then to the page's answer shown (its first content: "N of M
   implemented") and to the page complete (charts drawn, run over); then `/` once more on the same server
   (a second reader, in a fresh context), the same two clocks; for YAML with the cache folder filled
   by the servers above ("read before") and with an empty one ("very first read"), and for PostgreSQL;
   the bundled two documents alongside. Median of --restarts.

Targets (#26): warm pages within 1.3x, a save within 1.2x, the first page after a restart within 2 s on
PostgreSQL and within 5 s on YAML read before, the server under 500 MB at 10,000 recommendations.

Run from the repository root (needs the `chromium` Debian package and playwright):

    eval "$(scripts/postgres)"; .venv/bin/python bench/bench_documents.py        # about 15 min on 2 cores
    .venv/bin/python bench/bench_documents.py --no-postgres --repeats 3 --restarts 1
    .venv/bin/python bench/bench_documents.py --documents 20                       # a smaller portfolio
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
from bench_database import build_data, drop_tables, find_url, new_update  # noqa: E402
from bench_documents_sql import build, own_database  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.conftest import TODAY as SYNTHETIC_TODAY  # noqa: E402
from tracker import storage  # noqa: E402
from tracker.storage.portfolio import dump_index, read_index  # noqa: E402
from tracker.validation import find_problems, validate_data  # noqa: E402
from tracker.yaml_text import dump_tracker  # noqa: E402

BUNDLED = ROOT / "data"
OVERVIEW = ("Overview", "/", 2, bench_browser.PAGES[0][3])
ALL_DOCUMENTS = ("All documents", "/documents", 0, ".st-key-all_docs_query input")
DAY = re.compile(r"\b(20\d\d-[01]\d-[0-3]\d)\b")
SEARCH_WORDS = "summit"  # a word of the generator's vocabulary: the search finds items in every document
TARGETS = {"page": 1.3, "save": 1.2, "restart postgresql": 2.0, "restart yaml": 5.0, "memory_mb": 500}
# Settings a benchmark server never inherits from the shell that runs it.
CONFIGURED = ("TRACKER_EDITOR_PASSCODE", "TRACKER_EDITORS", "TRACKER_DATABASE_URL", "TRACKER_SUGGESTIONS",
              "TRACKER_CACHE_DIR")  # fmt: skip


def doc_id(n: int) -> str:
    return f"doc-{n:03d}"


def synthetic(n: int, recs: int):
    """The n-th fake document: bench_database's tracker, with a title that says what it is."""
    data = build_data(recs, seed=2022 + n)
    data["tracker"]["title"] = f"Synthetic document {n:03d} (fake data)"
    data["tracker"]["article"]["description"] = f"A made-up document number {n} for a benchmark; nothing in it is real."
    return validate_data(data, today=SYNTHETIC_TODAY)


def latest_day(folder: Path) -> date:
    """A today on which no date of the bundled documents is in the future: the latest day they write
    (updates, assessments, reviews, record times), checked by validating them on it."""
    files = [file for _, file in read_index(folder / "documents.yaml")]
    day = max(date.fromisoformat(found) for file in files for found in DAY.findall(file.read_text(encoding="utf-8")))
    for file in files:
        problems = find_problems(file, today=day)
        if problems:
            raise SystemExit(f"{file.name} is not valid on {day}: {problems[0]}")
    return day


def write_portfolio(folder: Path, trackers: dict) -> Path:
    """An index of documents, one tracker file each; returns the index."""
    folder.mkdir(parents=True)
    for name, tracker in trackers.items():
        (folder / f"{name}.yaml").write_text(dump_tracker(tracker), encoding="utf-8")
    index = folder / "documents.yaml"
    index.write_text(dump_index([(name, f"{name}.yaml") for name in trackers]), encoding="utf-8")
    return index


def copy_bundled(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for file in ("documents.yaml", *(path.name for _, path in read_index(BUNDLED / "documents.yaml"))):
        shutil.copy(BUNDLED / file, folder / file)
    return folder / "documents.yaml"


def bundled_trackers(index: Path, today: date) -> dict:
    return {doc.id: storage.open_store(doc.location).load(today=today) for doc in storage.list_documents(index)}


# ---------------------------------------------------------------- saves


def time_saves(pairs: dict, repeats: int, today: date) -> dict:
    """{backend: (many, alone)} locations -> {backend: (times many, times alone)}: one append each turn,
    on stores that have loaded already (the Edit page's case), the two taking turns."""
    results = {}
    for backend, (many, alone) in pairs.items():
        stores = {key: storage.open_store(location) for key, location in (("many", many), ("alone", alone))}
        times = {"many": [], "alone": []}
        for store in stores.values():
            store.load(today=today)
        for n in range(repeats):
            for key in ("many", "alone") if n % 2 == 0 else ("alone", "many"):
                start = time.perf_counter()
                stores[key].append_update("rec-00001", new_update(n), today=today)
                times[key].append(time.perf_counter() - start)
        for store in stores.values():
            getattr(store, "dispose", lambda: None)()
        results[backend] = (times["many"], times["alone"])
    return results


# ---------------------------------------------------------------- servers


def start(name: str, folder: Path, env_extra: dict, today: date) -> dict:
    """`streamlit run app.py` (read-only, empty secrets, no file watcher: as deployed) on a free port."""
    secrets = folder / "secrets.toml"
    if not secrets.exists():
        secrets.write_text("", encoding="utf-8")
    port = bench_browser.free_port()
    env = {key: value for key, value in os.environ.items() if key not in CONFIGURED}
    env.update({"TRACKER_TODAY": today.isoformat(), "TRACKER_READ_ONLY": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    env.update(env_extra)
    command = [
        *(sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true"),
        *("--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"),
        *("--secrets.files", str(secrets), "--server.fileWatcherType", "none"),
    ]
    log = folder / f"{name.replace(' ', '-').replace(',', '')}-{port}.log"
    began = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    bench_browser.wait_healthy(proc, url, log)
    return {"name": name, "proc": proc, "url": url, "began": began, "healthy": time.perf_counter(), "log": log}


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) MB of a process (VmRSS, VmHWM from /proc)."""
    found = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


def open_page(browser, server: dict, page: tuple, query: str = "") -> dict:
    _, path, charts, marker = page
    return bench_browser.open_and_wait(browser, server["url"] + path + query, charts, marker, server["proc"].pid)


def search_everything(browser, server: dict) -> None:
    """All documents, then words typed into its search: every document's items are read."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto(server["url"] + ALL_DOCUMENTS[1])
        box = page.locator(ALL_DOCUMENTS[3]).first
        box.wait_for(timeout=bench_browser.TIMEOUT_S * 1000)
        box.fill(SEARCH_WORDS)
        box.press("Enter")
        found = page.locator('[aria-label="Found in every document"]').or_(page.get_by_text("Nothing in any document"))
        found.first.wait_for(timeout=bench_browser.TIMEOUT_S * 1000)
    finally:
        context.close()


def warm_pages(browser, servers: dict, repeats: int) -> dict:
    """{(server, page): [runs]}, every page of every server taking turns."""
    targets = [(name, page) for name in servers for page in (ALL_DOCUMENTS, OVERVIEW)]
    for _ in range(2):  # warm-up: every document loaded, summed up and cached
        for name, page in targets:
            open_page(browser, servers[name], page)
    runs = {(name, page[0]): [] for name, page in targets}
    for n in range(repeats):
        for name, page in targets if n % 2 == 0 else targets[::-1]:
            runs[name, page[0]].append(open_page(browser, servers[name], page))
    return runs


def restarts(browser, cases: dict, folder: Path, repeats: int, today: date) -> dict:
    """{case: [runs]}: a new server per run, `/` opened as soon as it answers its health check."""
    runs = {case: [] for case in cases}
    for n in range(repeats):
        for case, env_of in cases.items():
            server = start(case, folder, env_of(n), today)
            try:
                opened = time.perf_counter()
                result = open_page(browser, server, OVERVIEW)
                done = time.perf_counter()
                result["to_health"] = server["healthy"] - server["began"]
                result["from_health"] = done - server["healthy"]
                result["to_answer"] = opened - server["healthy"] + result["answered"]
                result["again"] = open_page(browser, server, OVERVIEW)  # the next reader
                result["rss"], result["peak"] = memory_mb(server["proc"].pid)
                runs[case].append(result)
                print(
                    f"  restart {n + 1} {case}: start->health {result['to_health']:.2f} s, "
                    f"health->answer {result['to_answer']:.2f} s, health->page {result['from_health']:.2f} s, "
                    f"next reader {result['again']['answered']:.2f} / {result['again']['seconds']:.2f} s, "
                    f"peak {result['peak']:.0f} MB",
                    file=sys.stderr,
                    flush=True,
                )
            finally:
                bench_browser.stop_server(server["proc"])
    return runs


# ---------------------------------------------------------------- report


def med(values) -> float:
    return statistics.median(values)


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def verdict(ok: bool) -> str:
    return "holds" if ok else "DOES NOT HOLD"


def report(args, saves, warm, memory, restart_runs, labels) -> None:
    print(f"\n## Saves (append_update through the store, median of {args.repeats})\n")
    print(f"| Backend | {doc_id(args.documents // 2)} of {args.documents} documents | the same alone | ratio |")
    print("|---|---:|---:|---:|")
    for backend, (many, alone) in saves.items():
        ratio = med(many) / med(alone)
        print(f"| {backend} | {fmt(med(many))} | {fmt(med(alone))} | **{ratio:.2f}x** |")
    if warm:
        print(f"\n## Warm pages in Chromium (median of {args.repeats}, seconds; a fresh context each)\n")
        print("| Backend | Page | many | range | two (bundled) | range | ratio | server CPU s (many / two) |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for backend in labels:
            for page in (ALL_DOCUMENTS[0], OVERVIEW[0]):
                many, two = warm[f"{backend} many", page], warm[f"{backend} two", page]
                a = [run["seconds"] for run in many]
                b = [run["seconds"] for run in two]
                cpu_a = med(run["server_cpu"] for run in many)
                cpu_b = med(run["server_cpu"] for run in two)
                print(
                    f"| {backend} | {page} | {med(a):.3f} | {min(a):.2f}–{max(a):.2f} | {med(b):.3f} | "
                    f"{min(b):.2f}–{max(b):.2f} | **{med(a) / med(b):.2f}x** | {cpu_a:.2f} / {cpu_b:.2f} |"
                )
        print("\n## Server memory (MB; VmRSS now / VmHWM peak)\n")
        print("| Server | after the warm pages | after a search across every document |")
        print("|---|---:|---:|")
        for name, (before, after) in memory.items():
            print(f"| {name} | {before[0]:.0f} / {before[1]:.0f} | {after[0]:.0f} / {after[1]:.0f} |")
    if restart_runs:
        print(f"\n## The first page (`/`) after a restart (median of {args.restarts})\n")
        print("| Case | start -> health | health -> answer shown | health -> page complete | range | "
              "the next reader: answer / complete | peak MB |")  # fmt: skip
        print("|---|---:|---:|---:|---:|---:|---:|")
        for case, runs in restart_runs.items():
            after = [run["from_health"] for run in runs]
            print(
                f"| {case} | {med(run['to_health'] for run in runs):.2f} s | "
                f"**{med(run['to_answer'] for run in runs):.2f} s** | **{med(after):.2f} s** | "
                f"{min(after):.2f}–{max(after):.2f} | {med(run['again']['answered'] for run in runs):.2f} / "
                f"{med(run['again']['seconds'] for run in runs):.2f} s | {med(run['peak'] for run in runs):.0f} |"
            )
    print("\n## Targets\n")
    for backend, (many, alone) in saves.items():
        ratio = med(many) / med(alone)
        print(f"- a save ({backend}) within {TARGETS['save']}x: {ratio:.2f}x -> {verdict(ratio <= TARGETS['save'])}")
    for backend in labels if warm else ():
        for page in (ALL_DOCUMENTS[0], OVERVIEW[0]):
            ratio = med(run["seconds"] for run in warm[f"{backend} many", page]) / med(
                run["seconds"] for run in warm[f"{backend} two", page]
            )
            print(
                f"- {page} ({backend}) within {TARGETS['page']}x: {ratio:.2f}x -> {verdict(ratio <= TARGETS['page'])}"
            )
        peak = max(memory[f"{backend} many"][1][1], memory[f"{backend} many"][0][1])
        print(f"- server memory ({backend}, many) under {TARGETS['memory_mb']} MB: peak {peak:.0f} MB -> "
              f"{verdict(peak < TARGETS['memory_mb'])}")  # fmt: skip
    for case, runs in restart_runs.items():
        if "bundled" in case or "very first" in case:  # the targets are the large tracker's, read before
            continue
        limit = TARGETS["restart postgresql"] if "PostgreSQL" in case else TARGETS["restart yaml"]
        answer, seconds = med(run["to_answer"] for run in runs), med(run["from_health"] for run in runs)
        print(
            f"- first page after a restart ({case}) within {limit:g} s: answer shown {answer:.2f} s -> "
            f"{verdict(answer <= limit)}; page complete {seconds:.2f} s -> {verdict(seconds <= limit)}"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100, help="documents in the large tracker")
    parser.add_argument("--recs", type=int, default=100, help="recommendations per document")
    parser.add_argument("--repeats", type=int, default=7, help="saves and warm page loads of each kind")
    parser.add_argument("--restarts", type=int, default=3, help="restarts of each case")
    parser.add_argument("--no-postgres", action="store_true", help="YAML files only")
    parser.add_argument("--no-browser", action="store_true", help="the saves only")
    parser.add_argument("--restarts-only", action="store_true", help="no warm pages (the saves and restarts)")
    parser.add_argument("--url", default=None, help="a PostgreSQL URL (default: $TRACKER_TEST_DATABASE_URL)")
    args = parser.parse_args(argv)
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True,
                            text=True, check=False).stdout.strip()  # fmt: skip
    print(f"# bench_documents.py at {commit}, {date.today().isoformat()} {time.strftime('%H:%M', time.gmtime())} UTC")
    print(f"# {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("# load average (1, 5, 15 min) at start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    pg = None if args.no_postgres else find_url(args.url)
    databases = {}
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as tmp:
        folder = Path(tmp)
        cache = folder / "cache"
        os.environ["TRACKER_CACHE_DIR"] = str(cache)  # this process's stores (the saves) too
        print(f"# building {args.documents} documents x {args.recs} recommendations ...", file=sys.stderr, flush=True)
        trackers = {doc_id(n): synthetic(n, args.recs) for n in range(args.documents)}
        chosen = doc_id(args.documents // 2)
        many = write_portfolio(folder / "many", trackers)
        two = copy_bundled(folder / "two")
        today = max(latest_day(folder / "two"), SYNTHETIC_TODAY)
        alone = folder / "alone" / f"{chosen}.yaml"
        alone.parent.mkdir()
        shutil.copy(many.parent / f"{chosen}.yaml", alone)
        saves_copy = folder / "saves"  # the saves change a file: on a copy, so the pages read what was built
        shutil.copytree(many.parent, saves_copy)
        pairs = {"YAML files": (f"{saves_copy / 'documents.yaml'}#{chosen}", str(alone))}
        try:
            if pg:
                names = ("tracker_bench_docs_many", "tracker_bench_docs_two", "tracker_bench_docs_alone")
                databases = {name: own_database(pg, name) for name in names}
                print("# importing into PostgreSQL ...", file=sys.stderr, flush=True)
                build(databases[names[0]], trackers, today)
                build(databases[names[1]], bundled_trackers(two, today), today)
                build(databases[names[2]], {chosen: trackers[chosen]}, today)
                pairs["PostgreSQL"] = (f"{databases[names[0]]}#{chosen}", f"{databases[names[2]]}#{chosen}")
            recs = sum(len(tracker.recommendations) for tracker in trackers.values())
            print(f"# {args.documents} documents, {recs:,} recommendations; bundled: {len(read_index(two))} documents;"
                  f" TRACKER_TODAY {today}")  # fmt: skip
            del trackers
            print("# saves ...", file=sys.stderr, flush=True)
            saves = time_saves(pairs, args.repeats, today)
            warm, memory, restart_runs, labels = {}, {}, {}, ["YAML"] + (["PostgreSQL"] if pg else [])
            if not args.no_browser:
                envs = {
                    "YAML many": {"TRACKER_DATA": str(many), "TRACKER_CACHE_DIR": str(cache)},
                    "YAML two": {"TRACKER_DATA": str(two), "TRACKER_CACHE_DIR": str(cache)},
                }
                if pg:
                    envs["PostgreSQL many"] = {"TRACKER_DATABASE_URL": databases["tracker_bench_docs_many"]}
                    envs["PostgreSQL two"] = {"TRACKER_DATABASE_URL": databases["tracker_bench_docs_two"]}
                with sync_playwright() as play:
                    browser = play.chromium.launch(
                        executable_path=bench_browser.CHROMIUM, args=bench_browser.CHROMIUM_ARGS
                    )
                    servers = {}
                    try:
                        print("# warm pages ...", file=sys.stderr, flush=True)
                        for name, env in envs.items() if not args.restarts_only else ():
                            servers[name] = start(name, folder, env, today)
                        warm = warm_pages(browser, servers, args.repeats) if servers else {}
                        for name, server in servers.items():
                            before = memory_mb(server["proc"].pid)
                            search_everything(browser, server)
                            memory[name] = (before, memory_mb(server["proc"].pid))
                    finally:
                        for server in servers.values():
                            bench_browser.stop_server(server["proc"])
                    print("# restarts ...", file=sys.stderr, flush=True)
                    cases = {
                        "YAML, 100 documents, read before": lambda n: envs["YAML many"],
                        "YAML, 100 documents, very first read": lambda n: {
                            **envs["YAML many"],
                            "TRACKER_CACHE_DIR": str(folder / f"empty-cache-{n}"),
                        },
                        "YAML, bundled two, read before": lambda n: envs["YAML two"],
                    }
                    if pg:
                        cases["PostgreSQL, 100 documents"] = lambda n: envs["PostgreSQL many"]
                        cases["PostgreSQL, bundled two"] = lambda n: envs["PostgreSQL two"]
                    cases = {key.replace("100", str(args.documents)): value for key, value in cases.items()}
                    restart_runs = restarts(browser, cases, folder, args.restarts, today)
                    browser.close()
        finally:
            for url in databases.values():
                drop_tables(url)
    print("# load average (1, 5, 15 min) at end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    report(args, saves, warm, memory, restart_runs, labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
