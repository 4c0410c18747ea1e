"""Waiting for other processes and servers: poll for readiness until a generous deadline, and say
what was awaited and what was seen when it does not come.

The deadline is long because a loaded 2-core machine (two test workers, Chromium, a Streamlit
server) may take a minute to start a Python process that imports pandas and DuckDB; a wait that
succeeds returns as soon as the thing is ready, so the length costs nothing then."""
from __future__ import annotations

import selectors
import subprocess
import time
from typing import Callable, TypeVar

READY_SECONDS = 180.0
T = TypeVar("T")


def wait_until(check: Callable[[], T], *, what: str, seconds: float = READY_SECONDS, every: float = 0.1,
               seen: Callable[[], str] | None = None) -> T:
    """Call ``check`` until it returns something true; fail naming ``what`` (and ``seen()``)."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            detail = f"\n{seen()}" if seen else ""
            raise AssertionError(f"{what}: not ready after {seconds:.0f} s{detail}")
        time.sleep(every)


def read_line(proc: subprocess.Popen, *, what: str, seconds: float = READY_SECONDS,
              wanted: Callable[[str], bool] = lambda line: True) -> str:
    """The next line of ``proc``'s stdout (text mode) that ``wanted`` accepts, within ``seconds``;
    fails naming ``what`` when the process ends or stays silent (with what it wrote to stderr)."""
    deadline = time.monotonic() + seconds
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    lines: list[str] = []
    try:
        while (left := deadline - time.monotonic()) > 0:
            if not sel.select(timeout=min(left, 1.0)):
                if proc.poll() is not None:
                    break
                continue
            line = proc.stdout.readline()
            if line == "":  # end of output: the process ended
                break
            lines.append(line)
            if wanted(line.strip()):
                return line.strip()
    finally:
        sel.unregister(proc.stdout)
    err = ""
    if proc.poll() is not None and proc.stderr is not None:
        err = proc.stderr.read()[-2000:]
    raise AssertionError(f"{what}: no such line within {seconds:.0f} s (exit code {proc.poll()}); "
                         f"stdout so far: {''.join(lines)[-1000:]!r}; stderr: {err!r}")
