"""Forwarded headers (X-Forwarded-For) are believed from nobody unless the deployment says so.

Real servers: a probe app (an st.App with one route that answers the client address the server
believes) started the way scripts/dashboard starts the tracker, and directly with `streamlit run`.
It shows where the default has to be set to take effect: uvicorn reads FORWARDED_ALLOW_IPS before it
imports app.py, so scripts/dashboard sets it and app.py cannot."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT
from helpers import free_port, stop_server

FORGED = "203.0.113.9"
PROBE = """
import os

import streamlit as st
from starlette.responses import PlainTextResponse
from starlette.routing import Route
{before}

async def whoami(request):
    return PlainTextResponse(request.client.host if request.client else "")


app = st.App("page.py", routes=[Route("/whoami", whoami)])
"""


def probe_project(folder: Path, before: str = "") -> Path:
    """A copy of scripts/dashboard beside a probe app.py, with a .venv whose python and streamlit are the
    tests' own and whose pip does nothing (the tests' packages are already there)."""
    (folder / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "dashboard", folder / "scripts" / "dashboard")
    (folder / "requirements.txt").write_text("", encoding="utf-8")
    (folder / "app.py").write_text(PROBE.format(before=before), encoding="utf-8")
    (folder / "page.py").write_text("import streamlit as st\n\nst.write('probe')\n", encoding="utf-8")
    bin_folder = folder / ".venv" / "bin"
    bin_folder.mkdir(parents=True)
    real = Path(sys.executable).parent
    (bin_folder / "python").symlink_to(sys.executable)
    (bin_folder / "streamlit").symlink_to(real / "streamlit")
    (bin_folder / "pip").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    (bin_folder / "pip").chmod(0o755)
    return folder


@contextlib.contextmanager
def running(command: list[str], folder: Path, env: dict, port: int):
    log = folder / f"server-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/_stcore/health", timeout=2).text == "ok":
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"no answer from /_stcore/health in 60 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield url
    finally:
        stop_server(proc)


def believed(url: str) -> str:
    """The client address the server believes for a request from 127.0.0.1 that claims another one."""
    return httpx.get(url + "/whoami", headers={"X-Forwarded-For": FORGED}, timeout=10).text


def environment(**settings: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    env.pop("FORWARDED_ALLOW_IPS", None)
    env["TRACKER_READ_ONLY"] = "1"
    return {**env, **settings}


SERVER = ["--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (None, "127.0.0.1"),  # unset: nobody's forwarded headers are believed
        ("", "127.0.0.1"),  # set empty: the same
        ("127.0.0.1", FORGED),  # the deployment names its proxy: that proxy's header is believed
    ],
    ids=["unset", "empty", "proxy-named"],
)
def test_scripts_dashboard_believes_forwarded_headers_only_from_a_named_proxy(tmp_path, setting, expected):
    folder = probe_project(tmp_path / "project")
    port = free_port()
    env = environment() if setting is None else environment(FORWARDED_ALLOW_IPS=setting)
    # On 127.0.0.1, as README advises behind a proxy (listening on every address, a local proxy connects
    # from ::ffff:127.0.0.1, which FORWARDED_ALLOW_IPS must then name).
    command = ["scripts/dashboard", "--server.port", str(port), "--server.address", "127.0.0.1", *SERVER]
    with running(command, folder, env, port) as url:
        assert believed(url) == expected


@pytest.mark.parametrize(
    "before",
    ["", 'os.environ.setdefault("FORWARDED_ALLOW_IPS", "")'],
    ids=["plain-streamlit-run", "set-in-app-py-too-late"],
)
def test_streamlit_run_alone_believes_loopback_whatever_app_py_sets(tmp_path, before):
    # Why the default lives in scripts/dashboard: started directly, uvicorn believes 127.0.0.1, and
    # app.py is imported after uvicorn has read FORWARDED_ALLOW_IPS. README says to set it then.
    folder = probe_project(tmp_path / "project", before)
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    with running([*command, "--server.address", "127.0.0.1", *SERVER], folder, environment(), port) as url:
        assert believed(url) == FORGED
