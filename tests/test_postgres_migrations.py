"""PostgreSQL schema migrations, as on DuckDB: run once, in order, in one transaction with their
record, keeping the data; a failed one changes nothing; a store from a newer app is refused plainly;
two app servers starting at once migrate once; version 2's complaint columns reach a version-1 store.

Written against whatever SCHEMA_VERSION the code has now: the extra migration is always "the next one".
"""
import datetime as dt
import threading

import psycopg
import pytest

from data_access import postgres_store
from data_access.postgres_store import PostgresRepository
from data_access.repository import Insert, Update
from data_access.schema import ADDED_COLUMNS, SCHEMA_VERSION
from domain.calendar import JAKARTA
from domain.errors import StoreUnavailableError
from tests.contracts.repository import unit

CURRENT = postgres_store.SCHEMA_VERSION
NEXT = CURRENT + 1


def _tables(url) -> set[str]:
    with psycopg.connect(url) as con:
        return {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}


def _columns(url, table) -> set[str]:
    with psycopg.connect(url) as con:
        return {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = %s", [table])}


def _recorded(url) -> list[int]:
    with psycopg.connect(url) as con:
        return sorted(r[0] for r in con.execute("SELECT version FROM schema_version"))


def _store_at(url, version, monkeypatch) -> None:
    """A store whose schema stops at ``version``, holding one unit."""
    with monkeypatch.context() as m:
        m.setattr(postgres_store, "SCHEMA_VERSION", version)
        repo = PostgresRepository(url)
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
        cur.execute("CREATE TABLE notes (id TEXT PRIMARY KEY, text TEXT)")
        cur.execute("ALTER TABLE units ADD COLUMN note_id TEXT")

    monkeypatch.setitem(postgres_store.MIGRATIONS, NEXT, add_notes)
    monkeypatch.setattr(postgres_store, "SCHEMA_VERSION", NEXT)
    return ran


def test_a_new_migration_runs_once_on_an_existing_store_and_keeps_its_rows(pg_url, monkeypatch, next_migration):
    _store_at(pg_url, CURRENT, monkeypatch)
    repo = PostgresRepository(pg_url)
    repo.init()
    assert next_migration == [NEXT]
    assert repo.schema_version() == NEXT and _recorded(pg_url) == list(range(1, NEXT + 1))
    assert "notes" in _tables(pg_url) and "note_id" in _columns(pg_url, "units")
    assert repo.get("units", "U1")["name"] == "Biro Umum" and repo.count("units") == 1
    repo.close()

    again = PostgresRepository(pg_url)
    again.init()
    assert next_migration == [NEXT], "a migration already recorded must not run again"
    assert _recorded(pg_url) == list(range(1, NEXT + 1))
    again.close()


def test_a_failing_migration_changes_nothing_and_can_be_retried(pg_url, monkeypatch):
    _store_at(pg_url, CURRENT, monkeypatch)

    def half_done(cur):
        cur.execute("CREATE TABLE notes (id TEXT)")
        cur.execute("ALTER TABLE units ADD COLUMN note_id TEXT")
        raise RuntimeError("migrasi gagal di tengah jalan")

    monkeypatch.setattr(postgres_store, "SCHEMA_VERSION", NEXT)
    monkeypatch.setitem(postgres_store.MIGRATIONS, NEXT, half_done)
    repo = PostgresRepository(pg_url)
    with pytest.raises(RuntimeError):
        repo.init()
    assert repo.schema_version() == CURRENT
    assert "notes" not in _tables(pg_url) and "note_id" not in _columns(pg_url, "units")
    assert repo.get("units", "U1")["name"] == "Biro Umum"

    monkeypatch.setitem(postgres_store.MIGRATIONS, NEXT, lambda cur: cur.execute("CREATE TABLE notes (id TEXT)"))
    repo.init()
    assert repo.schema_version() == NEXT and "notes" in _tables(pg_url)
    repo.close()


def test_two_servers_starting_at_once_migrate_once(pg_url, monkeypatch, next_migration):
    _store_at(pg_url, CURRENT, monkeypatch)
    errors: list[BaseException] = []

    def start():
        try:
            repo = PostgresRepository(pg_url)
            repo.init()
            repo.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == [] and next_migration == [NEXT] and _recorded(pg_url) == list(range(1, NEXT + 1))


def test_a_store_from_a_newer_app_is_refused_with_a_plain_message(pg_url):
    repo = PostgresRepository(pg_url)
    repo.init()
    repo.apply([Insert("units", unit())], actor="a")
    with psycopg.connect(pg_url) as con:
        con.execute("INSERT INTO schema_version VALUES (99)")
    with pytest.raises(StoreUnavailableError) as err:
        repo.init()
    text = err.value.message
    assert "versi 99" in text and f"({CURRENT})" in text and "Perbarui aplikasi" in text
    assert repo.get("units", "U1")["name"] == "Biro Umum"
    repo.close()


def test_a_search_path_naming_no_schema_is_a_plain_message(pg_server):
    from tests.postgres_server import with_search_path

    with pytest.raises(StoreUnavailableError) as err:
        PostgresRepository(with_search_path(pg_server, "tidak_ada")).init()
    assert "search_path" in err.value.message


def test_a_version_1_store_gets_the_complaint_columns_and_its_complaints_read_back(pg_url):
    at = dt.datetime(2026, 11, 2, 9, 0, tzinfo=JAKARTA)
    new = ADDED_COLUMNS[2]["complaints"]
    repo = PostgresRepository(pg_url)
    repo.init()
    repo.apply([Insert("complaints", {"id": "ADU-1", "receipt_no": "ADU-2026-0001", "kind": "pengaduan",
                                      "unit_id": "U1", "name": "Ani", "subject": "Draf", "status": "didelegasikan"})],
               actor="seed", at=at)
    with psycopg.connect(pg_url) as con:  # make it what version 1 wrote
        for col in new:
            con.execute(f'ALTER TABLE complaints DROP COLUMN "{col}"')
        con.execute("DELETE FROM schema_version WHERE version > 1")
    repo.close()

    repo = PostgresRepository(pg_url)
    repo.init()
    assert repo.schema_version() == SCHEMA_VERSION and set(new) <= _columns(pg_url, "complaints")
    row = repo.get("complaints", "ADU-1")
    assert row["subject"] == "Draf" and row["case_ref"] is None and row["assigned_to"] is None
    repo.apply([Update("complaints", "ADU-1", {"assigned_to": ["EX-STAF1", "EX-STAF2"]}, 1)], actor="kabag", at=at)
    assert repo.get("complaints", "ADU-1")["assigned_to"] == ["EX-STAF1", "EX-STAF2"]
    assert list(repo.frames(["complaints"])["complaints"]["assigned_to"]) == [["EX-STAF1", "EX-STAF2"]]
    repo.close()


def _indexes(url, table) -> set[str]:
    with psycopg.connect(url) as con:
        return {r[0] for r in con.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s", [table])}


def test_a_version_5_store_gets_the_sessions_table_with_its_lookups(pg_url):
    at = dt.datetime(2026, 11, 2, 9, 0, tzinfo=JAKARTA)
    repo = PostgresRepository(pg_url)
    repo.init()
    repo.apply([Insert("units", unit())], actor="a")
    with psycopg.connect(pg_url) as con:  # make it what version 5 wrote
        con.execute("DROP TABLE sessions")
        con.execute("DELETE FROM schema_version WHERE version > 5")
    repo.close()

    repo = PostgresRepository(pg_url)
    repo.init()
    assert repo.schema_version() == SCHEMA_VERSION and "sessions" in _tables(pg_url)
    assert {"sessions_token_hash", "sessions_account_id"} <= _indexes(pg_url, "sessions")
    repo.apply([Insert("sessions", {"id": "ses-1", "account_id": "acc-1", "token_hash": "ab" * 32,
                                    "started_at": at, "last_seen": at})], actor="staf1", at=at)
    assert repo.list("sessions", {"token_hash": "ab" * 32})[0]["last_seen"] == at
    assert repo.get("units", "U1")["name"] == "Biro Umum"
    repo.close()
