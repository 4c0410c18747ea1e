"""DuckDB schema migrations: run once, in order, keep the data; a newer file is refused plainly.

Written against whatever SCHEMA_VERSION the code has now: the extra migration is always "the next one".
"""
import duckdb
import pytest

from data_access import duckdb_store
from data_access.duckdb_store import DuckDBRepository
from data_access.repository import Insert
from domain.errors import StoreUnavailableError
from tests.contracts.repository import unit

CURRENT = duckdb_store.SCHEMA_VERSION
NEXT = CURRENT + 1


def _tables(repo) -> set[str]:
    return set(repo.sql("SELECT table_name FROM information_schema.tables").table_name)


def _columns(repo, table) -> set[str]:
    return set(repo.sql("SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table])
               .column_name)


def _recorded(repo) -> list[int]:
    return sorted(repo.sql("SELECT version FROM schema_version").version)


def _store_at(path, version, monkeypatch) -> None:
    """A file whose schema stops at ``version``, holding one unit."""
    with monkeypatch.context() as m:
        m.setattr(duckdb_store, "SCHEMA_VERSION", version)
        repo = DuckDBRepository(path)
        repo.init()
        repo.apply([Insert("units", unit())], actor="a")
        assert repo.schema_version() == version
        repo.close()


@pytest.fixture
def next_migration(monkeypatch):
    """Register migration NEXT (a new table and a new column); returns the list of versions run."""
    ran: list[int] = []

    def add_notes(cur):
        ran.append(NEXT)
        cur.execute("CREATE TABLE notes (id VARCHAR PRIMARY KEY, text VARCHAR)")
        cur.execute("ALTER TABLE units ADD COLUMN note_id VARCHAR")

    monkeypatch.setitem(duckdb_store.MIGRATIONS, NEXT, add_notes)
    monkeypatch.setattr(duckdb_store, "SCHEMA_VERSION", NEXT)
    return ran


def test_a_new_migration_runs_once_on_an_existing_file_and_keeps_its_rows(tmp_path, monkeypatch, next_migration):
    path = tmp_path / "s.duckdb"
    _store_at(path, CURRENT, monkeypatch)

    repo = DuckDBRepository(path)
    repo.init()
    assert next_migration == [NEXT]
    assert repo.schema_version() == NEXT and _recorded(repo) == list(range(1, NEXT + 1))
    assert "notes" in _tables(repo) and "note_id" in _columns(repo, "units")
    assert repo.get("units", "U1")["name"] == "Biro Umum" and repo.count("units") == 1
    repo.close()

    again = DuckDBRepository(path)
    again.init()
    assert next_migration == [NEXT], "a migration already recorded must not run again"
    assert again.schema_version() == NEXT and _recorded(again) == list(range(1, NEXT + 1))
    assert again.get("units", "U1")["name"] == "Biro Umum"


def test_a_version_1_file_runs_every_later_migration_in_order(tmp_path, monkeypatch, next_migration):
    path = tmp_path / "s.duckdb"
    _store_at(path, 1, monkeypatch)
    ran: list[int] = []
    for version in range(2, NEXT + 1):
        original = duckdb_store.MIGRATIONS[version]

        def wrapped(cur, version=version, original=original):
            ran.append(version)
            original(cur)

        monkeypatch.setitem(duckdb_store.MIGRATIONS, version, wrapped)

    repo = DuckDBRepository(path)
    repo.init()
    assert ran == list(range(2, NEXT + 1)) and next_migration == [NEXT]
    assert _recorded(repo) == list(range(1, NEXT + 1))
    assert repo.get("units", "U1")["name"] == "Biro Umum"
    repo.init()
    assert ran == list(range(2, NEXT + 1))


def test_a_fresh_file_is_built_by_all_migrations(tmp_path, next_migration):
    repo = DuckDBRepository(tmp_path / "new.duckdb")
    repo.init()
    assert next_migration == [NEXT] and _recorded(repo) == list(range(1, NEXT + 1))
    assert {"units", "cases", "notes"} <= _tables(repo)


def test_a_failing_migration_changes_nothing_and_can_be_retried(tmp_path, monkeypatch):
    path = tmp_path / "s.duckdb"
    _store_at(path, CURRENT, monkeypatch)

    def half_done(cur):
        cur.execute("CREATE TABLE notes (id VARCHAR)")
        cur.execute("ALTER TABLE units ADD COLUMN note_id VARCHAR")
        raise RuntimeError("migrasi gagal di tengah jalan")

    monkeypatch.setattr(duckdb_store, "SCHEMA_VERSION", NEXT)
    monkeypatch.setitem(duckdb_store.MIGRATIONS, NEXT, half_done)
    repo = DuckDBRepository(path)
    with pytest.raises(RuntimeError):
        repo.init()
    assert repo.schema_version() == CURRENT
    assert "notes" not in _tables(repo) and "note_id" not in _columns(repo, "units")
    assert repo.get("units", "U1")["name"] == "Biro Umum"

    monkeypatch.setitem(duckdb_store.MIGRATIONS, NEXT, lambda cur: cur.execute("CREATE TABLE notes (id VARCHAR)"))
    repo.init()
    assert repo.schema_version() == NEXT and "notes" in _tables(repo)


def _newer_file(path) -> None:
    repo = DuckDBRepository(path)
    repo.init()
    repo.apply([Insert("units", unit())], actor="a")
    repo.close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version VALUES (99)")
    con.close()


def test_a_file_from_a_newer_app_is_refused_with_a_plain_message(tmp_path):
    path = tmp_path / "s.duckdb"
    _newer_file(path)
    repo = DuckDBRepository(path)
    with pytest.raises(StoreUnavailableError) as err:
        repo.init()
    text = err.value.message
    assert "versi 99" in text and f"({CURRENT})" in text and "Perbarui aplikasi" in text
    assert "Traceback" not in text
    repo.close()
    con = duckdb.connect(str(path), read_only=True)  # refused without touching it, and not left locked
    assert con.execute("SELECT max(version), count(*) FROM schema_version").fetchone() == (99, CURRENT + 1)
    assert con.execute("SELECT name FROM units").fetchall() == [("Biro Umum",)]
    con.close()


def test_the_console_commands_report_a_newer_file_as_a_failure(tmp_path, monkeypatch, capsys):
    from cli import accounts as accounts_cli
    from cli import demo as demo_cli

    path = tmp_path / "s.duckdb"
    _newer_file(path)
    monkeypatch.setenv("SOP_DUCKDB_PATH", str(path))
    monkeypatch.setenv("SOP_BACKEND", "duckdb")
    monkeypatch.setenv("SOP_SECRETS_FILE", str(tmp_path / "x.toml"))
    assert demo_cli.main(["--empty"]) == 2
    assert accounts_cli.main(["list"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith("Gagal: ") and "versi 99" in line for line in err)
