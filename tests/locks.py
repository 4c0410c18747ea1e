"""A DuckDB file held by another process, as a second app or a backup holding it would."""
import multiprocessing
from contextlib import contextmanager

from data_access.duckdb_store import DuckDBRepository
from tests.waiting import wait_until


def _hold(path, ready, release):  # runs in the other process
    import duckdb
    con = duckdb.connect(path)
    ready.set()
    release.wait(600)
    con.close()


@contextmanager
def held_store(path: str):
    """Create the store at ``path`` and hold it from another process; yields ``unlock()``."""
    DuckDBRepository(path).init()
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_hold, args=(path, ready, release))
    proc.start()

    def unlock():
        release.set()
        proc.join(30)

    try:
        def opened() -> bool:
            if ready.wait(0.5):
                return True
            assert proc.is_alive(), f"the other process ended (exit code {proc.exitcode}) before opening {path}"
            return False

        wait_until(opened, what=f"another process opening {path}")
        yield unlock
    finally:
        unlock()
