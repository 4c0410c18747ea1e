"""Backup and restore: the whole store out to Parquet and back into an empty store, unchanged, on
DuckDB, Google Sheets and PostgreSQL."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from data_access.backup import export_store, restore_store
from data_access.checksums import store_summary, table_checksum
from data_access.demo import load_demo
from data_access.duckdb_store import DuckDBRepository
from data_access.postgres_store import PostgresRepository
from data_access.repository import Insert
from data_access.schema import TABLES
from domain.calendar import WorkCalendar
from domain.errors import DomainError
from tests.postgres_server import fresh_schema

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def filled(duckdb_repo):
    load_demo(duckdb_repo, WorkCalendar())
    duckdb_repo.apply([Insert("units", {"id": "U-odd", "name": "=HYPERLINK(\"x\") ✅ ‏שלום", "active": True})],
                      actor="ani")
    return duckdb_repo


def test_export_then_restore_gives_identical_counts_and_checksums(filled, tmp_path):
    before = store_summary(filled, TABLES)
    manifest = export_store(filled, tmp_path / "backup")
    assert manifest["tables"] == before
    assert (tmp_path / "backup" / "cases.parquet").exists()
    target = DuckDBRepository(tmp_path / "restored.duckdb")
    target.init()
    after = restore_store(target, tmp_path / "backup")
    assert after == before
    assert target.get("units", "U-odd")["name"] == "=HYPERLINK(\"x\") ✅ ‏שלום"


def test_restore_refuses_a_store_that_is_not_empty(filled, tmp_path):
    export_store(filled, tmp_path / "b")
    with pytest.raises(DomainError, match="tidak kosong"):
        restore_store(filled, tmp_path / "b")


def test_a_tampered_backup_is_refused_and_restores_nothing(filled, tmp_path):
    export_store(filled, tmp_path / "b")
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    manifest["tables"]["cases"]["rows"] += 1
    (tmp_path / "b" / "manifest.json").write_text(json.dumps(manifest))
    target = DuckDBRepository(tmp_path / "t.duckdb")
    target.init()
    with pytest.raises(DomainError, match="cases"):
        restore_store(target, tmp_path / "b")
    assert target.count("cases") == 0


def test_checksums_do_not_depend_on_row_order():
    rows = [{"id": "a", "name": "x"}, {"id": "b", "name": "y"}]
    assert table_checksum("units", rows) == table_checksum("units", rows[::-1])
    assert table_checksum("units", rows) != table_checksum("units", [rows[0]])


def test_the_backup_command_exports_and_restores(tmp_path):
    env = {**os.environ, "SOP_SECRETS_FILE": str(tmp_path / "none.toml")}
    src = DuckDBRepository(tmp_path / "src.duckdb")
    src.init()
    load_demo(src, WorkCalendar())
    src.close()
    run = lambda *a, path: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "cli.backup", *a], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**env, "SOP_DUCKDB_PATH": str(path)})
    out = run("export", "--out", str(tmp_path / "bk"), path=tmp_path / "src.duckdb")
    assert out.returncode == 0 and "cases" in out.stdout, out.stderr
    back = run("restore", "--from", str(tmp_path / "bk"), path=tmp_path / "dst.duckdb")
    assert back.returncode == 0 and "Selesai" in back.stdout, back.stderr
    again = run("restore", "--from", str(tmp_path / "bk"), path=tmp_path / "dst.duckdb")
    assert again.returncode == 2 and "tidak kosong" in again.stderr


# ---- Google Sheets (a real gspread client over HTTP to the local stand-in) -----------------------------

def new_sheets_repo(standin, client, title: str):
    from data_access.sheets_store import SheetsRepository

    sid = standin.create_spreadsheet(title)
    repo = SheetsRepository(client, sid, backoff=0.01)
    repo.init()
    return repo, sid


@pytest.mark.timeout(180)
def test_a_sheets_store_exports_and_restores_into_empty_sheets_and_duckdb_unchanged(standin, sheets_client, tmp_path):
    source, _ = new_sheets_repo(standin, sheets_client, "sumber")
    load_demo(source, WorkCalendar())
    source.apply([Insert("units", {"id": "U-odd", "name": "=HYPERLINK(\"x\") ✅ ‏שלום", "active": True})],
                 actor="ani")
    assert [source.next_number("UJI-CADANGAN", "sistem") for _ in range(2)] == [1, 2]  # value + claim rows
    before = store_summary(source, TABLES)
    assert all(before[t]["rows"] > 0 for t in ("cases", "step_events", "accounts", "sequences", "audit"))

    manifest = export_store(source, tmp_path / "backup")
    assert manifest["backend"] == "sheets" and manifest["tables"] == before
    assert json.loads((tmp_path / "backup" / "manifest.json").read_text())["tables"] == before
    assert sorted(p.stem for p in (tmp_path / "backup").glob("*.parquet")) == sorted(TABLES)

    target, target_sid = new_sheets_repo(standin, sheets_client, "pulih")
    assert all(target.count(t) == 0 for t in TABLES)
    assert restore_store(target, tmp_path / "backup") == before
    duck = DuckDBRepository(tmp_path / "restored.duckdb")
    duck.init()
    assert restore_store(duck, tmp_path / "backup") == before

    # independently of the summary the restore returned: read each table back and compare records
    by_id = {t: {r["id"]: r for r in source.list(t)} for t in ("cases", "accounts", "step_events")}
    for restored in (target, duck):
        summary = store_summary(restored, TABLES)
        assert {t: v for t, v in summary.items() if t != "audit"} == {t: v for t, v in before.items() if t != "audit"}
        assert summary["audit"]["rows"] == before["audit"]["rows"] + 1  # the restore's own entry, after its check
        assert restored.audit("store")[-1]["action"] == "backup_restore"
        assert restored.get("units", "U-odd")["name"] == "=HYPERLINK(\"x\") ✅ ‏שלום"
        for table, rows in by_id.items():
            for rid in sorted(rows)[:3]:
                assert restored.get(table, rid) == rows[rid], (restored.backend, table, rid)
        assert restored.next_number("UJI-CADANGAN", "sistem") == 3, restored.backend
    assert standin.formula_cells(target_sid) == set()
    duck.close()


# ---- PostgreSQL (a real server started by the tests) --------------------------------------------------

def test_a_postgresql_store_exports_and_restores_into_empty_postgresql_and_duckdb_unchanged(pg_server, pg_repo,
                                                                                           tmp_path):
    load_demo(pg_repo, WorkCalendar())
    pg_repo.apply([Insert("units", {"id": "U-odd", "name": "=HYPERLINK(\"x\") ✅ ‏שלום", "active": True})],
                  actor="ani")
    assert [pg_repo.next_number("UJI-CADANGAN", "sistem") for _ in range(2)] == [1, 2]
    before = store_summary(pg_repo, TABLES)
    manifest = export_store(pg_repo, tmp_path / "backup")
    assert manifest["backend"] == "postgres" and manifest["tables"] == before
    assert sorted(p.stem for p in (tmp_path / "backup").glob("*.parquet")) == sorted(TABLES)

    duck = DuckDBRepository(tmp_path / "restored.duckdb")
    duck.init()
    with fresh_schema(pg_server) as url:
        target = PostgresRepository(url)
        target.init()
        by_id = {t: {r["id"]: r for r in pg_repo.list(t)} for t in ("cases", "accounts", "step_events")}
        for restored in (target, duck):
            restore_store(restored, tmp_path / "backup")
            summary = store_summary(restored, TABLES)
            assert {t: v for t, v in summary.items() if t != "audit"} == {
                t: v for t, v in before.items() if t != "audit"}
            assert summary["audit"]["rows"] == before["audit"]["rows"] + 1  # the restore's own entry
            for table, rows in by_id.items():
                for rid in sorted(rows)[:3]:
                    assert restored.get(table, rid) == rows[rid], (restored.backend, table, rid)
            assert restored.next_number("UJI-CADANGAN", "sistem") == 3, restored.backend
        target.close()
    duck.close()


def test_a_duckdb_backup_restores_into_postgresql_through_the_command(filled, pg_url, tmp_path):
    before = store_summary(filled, TABLES)
    export_store(filled, tmp_path / "bk")
    env = {**os.environ, "SOP_SECRETS_FILE": str(tmp_path / "none.toml"), "SOP_BACKEND": "postgres",
           "SOP_POSTGRES_URL": pg_url}
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "cli.backup", *a], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=env)
    back = run("restore", "--from", str(tmp_path / "bk"))
    assert back.returncode == 0 and "Selesai" in back.stdout, back.stderr
    restored = PostgresRepository(pg_url)
    after = store_summary(restored, TABLES)
    assert {t: v for t, v in after.items() if t != "audit"} == {t: v for t, v in before.items() if t != "audit"}
    restored.close()
    again = run("restore", "--from", str(tmp_path / "bk"))
    assert again.returncode == 2 and "tidak kosong" in again.stderr
    out = run("export", "--out", str(tmp_path / "dari-server"))
    assert out.returncode == 0 and "cases" in out.stdout, out.stderr
