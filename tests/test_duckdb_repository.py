"""What only the DuckDB store has: the file, its schema, locks held by other processes (the
contract suites run in tests/test_on_duckdb.py)."""
import subprocess
import sys
import textwrap

import pytest

from data_access.duckdb_store import DuckDBRepository
from data_access.schema import SCHEMA_VERSION
from data_access.repository import Insert
from tests.locks import held_store
from domain.errors import StoreUnavailableError
from tests.contracts.repository import unit


def test_the_file_and_its_schema_are_created_on_first_use(tmp_path):
    path = tmp_path / "sub" / "store.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    assert path.exists() and repo.schema_version() == SCHEMA_VERSION


def test_committed_data_survive_reopening_the_file(tmp_path):
    path = tmp_path / "s.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    repo.apply([Insert("units", unit())], actor="a")
    repo.close()
    again = DuckDBRepository(path)
    again.init()
    assert again.get("units", "U1")["name"] == "Biro Umum"


def test_the_app_does_not_hold_the_file_between_units_of_work(tmp_path):
    path = tmp_path / "s.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    repo.apply([Insert("units", unit())], actor="a")
    code = textwrap.dedent(f"""
        import duckdb
        con = duckdb.connect({str(path)!r})
        print(con.execute("select count(*) from units").fetchone()[0])
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "1", out.stderr


def test_the_apps_store_keeps_the_file_open_briefly_after_a_read_then_lets_it_go(tmp_path):
    """The app's store (``linger``): the next request within the moment finds the file open; once
    idle, another process (a command-line tool) opens it."""
    from tests.waiting import wait_until

    path = tmp_path / "s.duckdb"
    repo = DuckDBRepository(path, linger=0.5)
    repo.init()
    repo.apply([Insert("units", unit())], actor="a")
    held = repo._conn
    assert held is not None and repo.get("units", "U1")["name"] == "Biro Umum"
    assert repo._conn is held, "a read within the moment reuses the open file"
    wait_until(lambda: repo._conn is None, what="the idle file let go", seconds=10)
    code = textwrap.dedent(f"""
        import duckdb
        con = duckdb.connect({str(path)!r})
        print(con.execute("select count(*) from units").fetchone()[0])
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "1", out.stderr
    assert repo.count("units") == 1, "and opened again at the next request"


def test_a_file_held_by_another_process_gives_a_plain_message(tmp_path):
    path = str(tmp_path / "s.duckdb")
    with held_store(path):
        repo = DuckDBRepository(path, lock_timeout=0.5)
        with pytest.raises(StoreUnavailableError) as err:
            repo.get("units", "U1")
        assert "sedang dipakai proses lain" in str(err.value)
        assert "Traceback" not in str(err.value)
    assert DuckDBRepository(path).count("units") == 0


def test_bulk_import_loads_rows_without_audit(duckdb_repo):
    rows = [unit(f"U{i}") | {"version": 1} for i in range(50)]
    assert duckdb_repo.import_rows("units", rows) == 50
    assert duckdb_repo.count("units") == 50 and duckdb_repo.audit() == []
