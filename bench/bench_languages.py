"""Benchmark: a reader's warm page load in Korean and Japanese against the same page in English (#27).

Not a test: it prints figures. One `streamlit run` server on a copy of the bundled data (read-only,
TRACKER_TODAY fixed at the data's latest day), warmed by opening every page once in each language.
Then, interleaved --repeats times (default 7), a fresh Chromium context of 1,440 x 900 opens each page
with ?lang=en, ?lang=ko and ?lang=ja, and the clock stops when the page is complete (bench_browser's
rule: its title shown, every chart drawn and Streamlit's run over). The ratio of each language's median
to English's is the figure; the target is 1.1x.

    .venv/bin/python bench/bench_languages.py                # about 4 minutes on 2 cores
    .venv/bin/python bench/bench_languages.py --repeats 3
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the repo

import argparse  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from playwright.sync_api import sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests"), str(ROOT)]
import bench_browser  # noqa: E402 - needs the path above

BUNDLED = ROOT / "data" / "recommendations.yaml"
LANGUAGES = ("en", "ko", "ja")
TARGET = 1.1
# (name, path, charts drawn): the title (h1) marks that the page holds its content in every language.
PAGES = [
    ("overview", "/", 2),
    ("recommendation", "/recommendation?rec=export-controls", 0),
    ("all recommendations", "/recommendations", 0),
    ("timeline", "/timeline", 2),
    ("methodology", "/methodology", 0),
]


def address(url: str, path: str, lang: str) -> str:
    return f"{url}{path}{'&' if '?' in path else '?'}lang={lang}"


def open_page(browser, url: str, charts: int, pid: int) -> dict:
    """bench_browser's open_and_wait, naming the page when it never completes."""
    try:
        return bench_browser.open_and_wait(browser, url, charts, "h1", pid)
    except Exception as error:
        raise RuntimeError(f"{url} never completed ({charts} charts expected)") from error


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-languages-") as folder_name, sync_playwright() as play:
        folder = Path(folder_name)
        data = folder / "recommendations.yaml"
        shutil.copy(BUNDLED, data)
        day = bench_browser.latest_day(data)
        port = bench_browser.free_port()
        log = folder / "server.log"
        env = {"TRACKER_TODAY": day.isoformat(), "TRACKER_READ_ONLY": "1"}
        server = bench_browser.start_server(bench_browser.DASHBOARD, port, data, log, env)
        url = f"http://127.0.0.1:{port}"
        runs: dict[tuple[str, str], list[float]] = {(name, lang): [] for name, _, _ in PAGES for lang in LANGUAGES}
        try:
            bench_browser.wait_healthy(server, url, log)
            browser = play.chromium.launch(executable_path=bench_browser.CHROMIUM, args=bench_browser.CHROMIUM_ARGS)
            for _ in range(2):  # warm-up: every page loaded, translated and cached in every language
                for _name, path, charts in PAGES:
                    for lang in LANGUAGES:
                        open_page(browser, address(url, path, lang), charts, server.pid)
            for _ in range(args.repeats):
                for name, path, charts in PAGES:
                    for lang in LANGUAGES:  # interleaved: other load on the machine hurts every language alike
                        done = open_page(browser, address(url, path, lang), charts, server.pid)
                        runs[name, lang].append(done["seconds"])
            browser.close()
        finally:
            bench_browser.stop_server(server)
    print("load average (1, 5, 15 min) at end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"\nMedians of {args.repeats} warm page loads, seconds (a fresh browser context each)")
    print("| Page | English | Korean | Japanese | Korean vs English | Japanese vs English |")
    print("|---|---:|---:|---:|---:|---:|")
    worst = 0.0
    for name, _, _ in PAGES:
        med = {lang: statistics.median(runs[name, lang]) for lang in LANGUAGES}
        ratios = {lang: med[lang] / med["en"] for lang in ("ko", "ja")}
        worst = max(worst, *ratios.values())
        print(
            f"| {name} | {med['en']:.3f} | {med['ko']:.3f} | {med['ja']:.3f} | "
            f"{ratios['ko']:.2f}x | {ratios['ja']:.2f}x |"
        )
    verdict = "holds" if worst <= TARGET else "DOES NOT HOLD"
    print(f"\nTarget: every page in Korean and Japanese within {TARGET}x English: worst {worst:.2f}x -> {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
