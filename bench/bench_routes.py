"""Benchmark of the feeds and the API on a running server (`streamlit run app.py`).

Not a test: it prints figures. For each size (synthetic trackers from bench_core.build_data,
10 updates per recommendation) it starts one server on a free localhost port and measures
the median wall time, client side, of one request on a new connection (as a feed reader
or an embed polls; http.client, so the client's own cost is small) of:

- `/_stcore/health`, Streamlit's own health check (the yardstick), before and after;
- each route **cold**: its answer not built yet (the tracker already loaded). Every cold
  sample uses a new Host header, which is part of the answer's cache key, so the server
  builds the same body again without any other difference;
- each route **warm**: the same request again (the kept answer), uncompressed and gzip;
- a **304**: the same request with its ETag in If-None-Match.

The first request of all also loads and validates the tracker; it is reported on its own.
Why new connections: on a reused keep-alive connection this server (uvicorn as Streamlit
starts it) answered every small response, /_stcore/health included, about 40 ms late
(a delayed-ACK stall), which would hide the differences being measured. `--keep-alive`
measures that way instead.
Targets (issue #15): a 304 within 2x the health check; a warm full response at 10,000
recommendations within 100 ms.

    .venv/bin/python bench/bench_routes.py                 # 20 and 10,000 recommendations
    .venv/bin/python bench/bench_routes.py --sizes 20      # quick
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the repo

import argparse  # noqa: E402
import gzip  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from http.client import HTTPConnection  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "tests", ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_core import build_data  # noqa: E402
from helpers import app_server  # noqa: E402

from tests.conftest import TODAY  # noqa: E402
from tracker.validation import validate_data  # noqa: E402
from tracker.yaml_text import dump_tracker  # noqa: E402

SIZES = (20, 10_000)
ROUTES = (
    "api/v1/recommendations.json",
    "api/v1/events.json",
    "api/v1/events.json?since=2026-10-01",
    "feed.atom",
    "feed/rec-00007.atom",
    "badge/rec-00007.svg",
)
TARGET_304 = 2.0  # x the health check
TARGET_WARM_S = 0.100  # a warm full response at 10,000


@dataclass
class Answer:
    status_code: int
    headers: dict
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


class Client:
    """GET requests to one server, each on a new connection (or all on one with keep_alive)."""

    def __init__(self, url: str, keep_alive: bool = False):
        parts = urlsplit(url)
        self.host, self.port, self.prefix = parts.hostname, parts.port, parts.path.rstrip("/")
        self.keep_alive = keep_alive
        self.connection = None

    def get(self, path: str, headers: dict) -> Answer:
        connection = self.connection if self.keep_alive and self.connection else HTTPConnection(self.host, self.port)
        connection.request("GET", f"{self.prefix}/{path}", headers=headers)
        response = connection.getresponse()
        answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        if self.keep_alive:
            self.connection = connection
        else:
            connection.close()
        return answer


def timed(client: Client, path: str, **headers) -> tuple[float, Answer]:
    headers = {key.replace("_", "-"): value for key, value in headers.items()}
    start = time.perf_counter()
    response = client.get(path, headers)
    return time.perf_counter() - start, response


def median(client, path, repeats, **headers) -> tuple[float, Answer]:
    times, response = [], None
    for _ in range(repeats):
        elapsed, response = timed(client, path, **headers)
        times.append(elapsed)
    return statistics.median(times), response


def measure(size: int, folder: Path, repeats: int, cold_repeats: int, keep_alive: bool) -> dict:
    data_file = folder / f"bench-{size}.yaml"
    started = time.perf_counter()
    data_file.write_text(dump_tracker(validate_data(build_data(size), today=TODAY)), encoding="utf-8")
    print(f"\n{size:,} recommendations: data file {data_file.stat().st_size / 1e6:.1f} MB "
          f"written in {time.perf_counter() - started:.1f} s")  # fmt: skip
    rows = {"size": size, "routes": {}}
    with app_server(folder, data_file=data_file) as url:
        client = Client(url, keep_alive)
        identity = {"Accept-Encoding": "identity"}
        rows["health_before"], _ = median(client, "_stcore/health", repeats * 2)
        first, response = timed(client, "badge/progress.svg", **identity)
        assert response.status_code == 200, response.text
        rows["first_request"] = first
        for path in ROUTES:
            colds = []
            for n in range(cold_repeats):
                elapsed, response = timed(client, path, Host=f"cold-{n}.bench.localhost", **identity)
                assert response.status_code == 200, (path, response.status_code, response.text[:200])
                colds.append(elapsed)
            warm, response = median(client, path, repeats, **identity)
            warm_gzip, packed = median(client, path, repeats, **{"Accept-Encoding": "gzip"})
            etag = response.headers["etag"]
            decode_start = time.perf_counter()
            if packed.headers.get("content-encoding") == "gzip":
                assert gzip.decompress(packed.content) == response.content
            decode = time.perf_counter() - decode_start
            not_modified, check = median(client, path, repeats * 2, **{"If-None-Match": etag}, **identity)
            assert check.status_code == 304
            rows["routes"][path] = {
                "cold": statistics.median(colds),
                "warm": warm,
                "warm_gzip": warm_gzip,
                "warm_gzip_decoded": warm_gzip + decode,
                "not_modified": not_modified,
                "bytes": len(response.content),
                "gzip_bytes": len(packed.content),
            }
        rows["health_after"], _ = median(client, "_stcore/health", repeats * 2)
    return rows


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def print_table(results: list[dict]) -> None:
    print("\nMedian wall time in ms (client side, loopback)")
    print("| Recs | Route | Cold | Warm | Warm gzip | Warm gzip + client decode | 304 | 304 / health | Body (gzip) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        health = (result["health_before"] + result["health_after"]) / 2
        for path, row in result["routes"].items():
            size = f"{row['bytes'] / 1e3:,.0f} kB ({row['gzip_bytes'] / 1e3:,.0f} kB)"
            print(
                f"| {result['size']:,} | `/{path}` | {ms(row['cold'])} | {ms(row['warm'])} | {ms(row['warm_gzip'])} "
                f"| {ms(row['warm_gzip_decoded'])} "
                f"| {ms(row['not_modified'])} | {row['not_modified'] / health:.2f}x | {size} |"
            )
        print(
            f"| {result['size']:,} | `/_stcore/health` | | {ms(result['health_before'])} before, "
            f"{ms(result['health_after'])} after | | | | | |"
        )
        print(
            f"| {result['size']:,} | first request (loads and validates the tracker) "
            f"| {ms(result['first_request'])} | | | | | | |"
        )
    print("\nTargets:")
    for result in results:
        health = (result["health_before"] + result["health_after"]) / 2
        worst = max(row["not_modified"] for row in result["routes"].values())
        print(f"  {result['size']:,}: slowest 304 {ms(worst)} ms = {worst / health:.2f}x health "
              f"({'holds' if worst <= TARGET_304 * health else 'does NOT hold'}, target {TARGET_304}x)")  # fmt: skip
        if result["size"] >= 10_000:
            for path, row in result["routes"].items():
                verdicts = [
                    f"{name} {ms(row[key])} ms {'holds' if row[key] <= TARGET_WARM_S else 'does NOT hold'}"
                    for name, key in (
                        ("uncompressed", "warm"),
                        ("gzip", "warm_gzip"),
                        ("gzip + client decode", "warm_gzip_decoded"),
                    )
                ]
                print(f"  {result['size']:,}: warm /{path}: {', '.join(verdicts)} (target {ms(TARGET_WARM_S)} ms)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--repeats", type=int, default=15, help="warm and 304 samples per route (health: twice)")
    parser.add_argument("--cold", type=int, default=3, help="cold samples per route")
    parser.add_argument("--keep-alive", action="store_true", help="all requests on one connection")
    args = parser.parse_args(argv)
    sizes = [int(part.replace("_", "")) for part in args.sizes.split(",") if part.strip()]
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print(f"bench_routes: Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}, "
          f"commit {head.stdout.strip() or 'unknown'}, today={TODAY}")  # fmt: skip
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="bench-routes-") as folder:
        results = [measure(size, Path(folder), args.repeats, args.cold, args.keep_alive) for size in sizes]
    print_table(results)
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
