"""Charts drawn by vl-convert in a second process, kept warm between builds (`Drawer`), so that a build
draws its charts on the other core while it renders its other files (vl-convert draws one chart at a time
in a process: threads do not run its drawings side by side).

The process runs `vl_convert.vega_to_svg` and nothing else: it is sent a Vega spec's JSON text and sends
back the SVG text, the same library on the same machine drawing the same text, so the same bytes as
drawing it in the build's own process (tests/test_site.py compares them). Where it cannot be started or
stops answering, the build draws in its own process (`Drawer.draw` then raises `DrawerGone`, and the caller
draws the chart itself).
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor

# The second process's whole program: length-prefixed UTF-8 texts in on stdin, a status byte and a
# length-prefixed text out on stdout; it ends when its stdin does (the build's process ended).
_PROGRAM = r"""
import struct, sys
import vl_convert as vlc
take, give = sys.stdin.buffer, sys.stdout.buffer
def read(n):
    data = take.read(n)
    if len(data) < n:
        raise SystemExit(0)
    return data
while True:
    (size,) = struct.unpack("<Q", read(8))
    text = read(size).decode("utf-8")
    try:
        answer, status = vlc.vega_to_svg(text).encode("utf-8"), b"+"
    except Exception as error:
        answer, status = repr(error).encode("utf-8"), b"!"
    give.write(status + struct.pack("<Q", len(answer)) + answer)
    give.flush()
"""


class DrawerGone(Exception):
    """The drawing process could not be started or stopped answering: draw in this process instead."""


class Drawer:
    """One warm drawing process and the thread that talks to it (writing a spec, reading its SVG, one at a
    time), so that the caller is never blocked but by `Future.result`."""

    def __init__(self):
        self._process: subprocess.Popen | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="site-draw")
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _PROGRAM],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
        return self._process

    def _draw_now(self, text: str) -> str:
        with self._lock:
            try:
                process = self._start()
                data = text.encode("utf-8")
                process.stdin.write(struct.pack("<Q", len(data)) + data)
                process.stdin.flush()
                head = process.stdout.read(9)
                if len(head) < 9:
                    raise DrawerGone("the drawing process ended")
                (size,) = struct.unpack("<Q", head[1:])
                answer = process.stdout.read(size)
                if len(answer) < size:
                    raise DrawerGone("the drawing process ended")
            except (OSError, ValueError) as error:
                self.stop()
                raise DrawerGone(str(error)) from error
        if head[:1] != b"+":
            raise DrawerGone(answer.decode("utf-8", "replace"))  # drawn here again, where it raises as it would
        return answer.decode("utf-8")

    def draw(self, text: str) -> Future:
        """`vl_convert.vega_to_svg(text)` in the drawing process, started now; its result when asked for
        (`DrawerGone` where the process cannot draw it)."""
        return self._pool.submit(self._draw_now, text)

    def warm(self) -> None:
        """Start the process now (its first drawing also starts vl-convert's JavaScript engine)."""
        self._pool.submit(self._start)

    def cpu_seconds(self) -> float:
        """The CPU time the drawing process has used so far (Linux's /proc; 0 elsewhere or when none runs):
        what a benchmark adds to the build's own."""
        process = self._process
        try:
            fields = open(f"/proc/{process.pid}/stat").read().rsplit(")", 1)[1].split()
        except (AttributeError, OSError):
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            try:
                process.stdin.close()
            except OSError:
                pass
            process.kill()
            process.wait()


_DRAWER: Drawer | None = None


def drawer() -> Drawer:
    """This process's drawing process (one, started when first needed and kept warm)."""
    global _DRAWER
    if _DRAWER is None:
        _DRAWER = Drawer()
    return _DRAWER
