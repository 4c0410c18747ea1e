"""One notice run at a time per store: the lock file the scheduler's command
(``python -m cli.send_notices``) takes before sending."""
from __future__ import annotations

import fcntl
import hashlib
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from data_access.config import ROOT, Settings


def lock_path(settings: Settings) -> Path | None:
    """One lock file per store: beside the DuckDB file, or in data/ for a spreadsheet."""
    if settings.backend == "duckdb":
        if settings.duckdb_path == ":memory:":
            return None
        return settings.resolve(settings.duckdb_path).with_name(
            settings.resolve(settings.duckdb_path).name + ".notices.lock")
    key = hashlib.sha256((settings.sheets_key or "").encode()).hexdigest()[:12]
    return ROOT / "data" / f"notices-{key}.lock"


@contextmanager
def single_run(path: Path | None) -> Iterator[bool]:
    """True while this process holds the run lock; False when another run holds it. The lock goes
    with the process, however it ends."""
    if path is None:
        yield True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield True
    finally:
        os.close(fd)
