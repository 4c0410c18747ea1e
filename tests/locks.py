"""A DuckDB file held by another process, as a second app or a backup holding it would."""
import subprocess
import sys
from contextlib import contextmanager

from data_access.duckdb_store import DuckDBRepository
from tests.waiting import read_line

# A separate interpreter (not multiprocessing): a spawned child would re-import whatever module the
# test process runs as __main__, which AppTest may have pointed at a page file.
HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()  # holds the file until the test closes our stdin
con.close()
"""


@contextmanager
def held_store(path: str):
    """Create the store at ``path`` and hold it from another process; yields ``unlock()``."""
    DuckDBRepository(path).init()
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def unlock():
        if proc.poll() is None:
            proc.stdin.close()
            proc.wait(60)

    try:
        read_line(proc, what=f"another process opening {path}", wanted=lambda line: line == "ready")
        yield unlock
    finally:
        unlock()
