"""A DuckDB file held by another process, as a second app or a backup holding it would."""
import multiprocessing
from contextlib import contextmanager

from data_access.duckdb_store import DuckDBRepository


def _hold(path, ready, release):  # runs in the other process
    import duckdb
    con = duckdb.connect(path)
    ready.set()
    release.wait(60)
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
        assert ready.wait(30), "the other process did not open the store"
        yield unlock
    finally:
        unlock()
