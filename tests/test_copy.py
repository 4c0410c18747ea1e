"""Copying a whole store between DuckDB, Google Sheets (the local stand-in) and PostgreSQL (a real
server) loses nothing."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from data_access.config import Settings
from cli.copy import EXIT_MISMATCH, EXIT_OK, EXIT_REFUSED, main
from data_access.copy import checksum
from data_access.demo import load_demo
from data_access.duckdb_store import DuckDBRepository
from data_access.postgres_store import PostgresRepository
from data_access.repository import Insert, Log, Update
from data_access.schema import TABLES
from data_access.sheets_store import SheetsRepository
from domain.calendar import WorkCalendar
from tests.contracts.repository import JKT, case, unit
from tests.sheets_standin import SheetsStandIn, make_client, write_service_account_file

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def standin():
    with SheetsStandIn() as s:
        yield s
    assert s.errors == []


@pytest.fixture(scope="module")
def sa(standin, tmp_path_factory):
    path = tmp_path_factory.mktemp("sa") / "sa.json"
    return path, write_service_account_file(path, standin)


@pytest.fixture
def settings(standin, sa):
    return Settings(backend="duckdb", sheets_endpoint=standin.url, service_account=sa[1])


def filled_duckdb(path) -> DuckDBRepository:
    """Demo data, then edits, odd values and numbers taken, as a store looks after some use."""
    repo = DuckDBRepository(path)
    repo.init()
    load_demo(repo, WorkCalendar(), today=dt.datetime(2026, 11, 27, 9, 0, tzinfo=JKT))
    repo.apply([Insert("cases", case("CX", notes="=SUM(A1) ✅ \"kutip\"\nbaris",
                                     started_at=dt.datetime(2026, 3, 2, 8, 15, 30, 123456, tzinfo=JKT))),
                Insert("units", unit("UX", "   ")), Log("export", "cases", "CX", "uji")], actor="ani")
    repo.apply([Update("cases", "CX", {"drafts": 0, "target_date": dt.date(2027, 1, 4)}, 1)], actor="budi")
    # The register and the Bureau's calendar, with text a spreadsheet would take for a formula.
    repo.apply([Insert("outputs", {"id": "OUT-X", "case_id": "CX", "kind": "SOP", "title": "=HYPERLINK(\"x\") SOP",
                                   "unit_id": "UX", "doc_number": "-12/2026", "doc_date": dt.date(2026, 11, 2),
                                   "web_link": "https://setneg.example.go.id/sop/x", "archive_ref": "@ARS-1",
                                   "attachment_id": "ATT-X"}),
                Insert("calendar_entries", {"id": "CAL-X", "kind": "libur", "first_day": dt.date(2026, 12, 28),
                                            "last_day": dt.date(2026, 12, 29), "reason": "+SKB 3 Menteri ✅",
                                            "active": True}),
                Insert("calendar_entries", {"id": "CAL-HARI-4", "kind": "jam_hari", "weekday": 4, "opens": "07:30",
                                            "closes": "16:30", "active": False})], actor="admin")
    for _ in range(3):
        repo.last_taken = repo.next_number("ADU-2026", "sistem")
    return repo


def snapshot(repo) -> dict:
    return {t: checksum(t, repo.list(t)) for t in TABLES}


def test_duckdb_to_sheets_and_back_loses_nothing(tmp_path, standin, settings, capsys):
    original = filled_duckdb(tmp_path / "a.duckdb")
    before = snapshot(original)
    cases = {c["id"]: c for c in original.list("cases")}
    original.close()
    sid = standin.create_spreadsheet("tujuan")

    assert main(["--from", f"duckdb:{tmp_path / 'a.duckdb'}", "--to", f"sheets:{sid}"], settings) == EXIT_OK
    printed = capsys.readouterr().out
    assert "step_events" in printed and "semua cocok" in printed and "BEDA" not in printed
    assert standin.formula_cells(sid) == set()

    assert main(["--from", f"sheets:https://docs.google.com/spreadsheets/d/{sid}/edit", "--to",
                 f"duckdb:{tmp_path / 'b.duckdb'}"], settings) == EXIT_OK
    back = DuckDBRepository(tmp_path / "b.duckdb")
    assert snapshot(back) == before
    assert {c["id"]: c for c in back.list("cases")} == cases  # every value, exactly
    assert back.count("outputs") > 100 and back.get("outputs", "OUT-X")["title"] == "=HYPERLINK(\"x\") SOP"
    assert back.get("calendar_entries", "CAL-X")["first_day"] == dt.date(2026, 12, 28)
    assert back.get("calendar_entries", "CAL-HARI-4")["active"] is False
    assert back.get("cases", "CX")["started_at"].microsecond == 123456
    assert back.next_number("ADU-2026", "sistem") == original.last_taken + 1  # counters continue, no number reused


def test_numbers_taken_on_sheets_are_carried_over(tmp_path, standin, settings, sa):
    sid = standin.create_spreadsheet("nomor")
    repo = SheetsRepository(make_client(standin, sa[0], backoff=False), sid)
    repo.init()
    repo.apply([Insert("units", unit())], actor="a")
    assert [repo.next_number("USL-2026", "a") for _ in range(2)] == [1, 2]
    assert main(["--from", f"sheets:{sid}", "--to", f"duckdb:{tmp_path / 'n.duckdb'}"], settings) == EXIT_OK
    assert DuckDBRepository(tmp_path / "n.duckdb").next_number("USL-2026", "a") == 3


def test_a_target_with_data_is_refused_and_left_unchanged(tmp_path, standin, settings, capsys):
    filled_duckdb(tmp_path / "a.duckdb").close()
    target = DuckDBRepository(tmp_path / "t.duckdb")
    target.init()
    target.apply([Insert("units", unit("MINE", "Punya saya"))], actor="a")
    target.close()
    code = main(["--from", f"duckdb:{tmp_path / 'a.duckdb'}", "--to", f"duckdb:{tmp_path / 't.duckdb'}"], settings)
    assert code == EXIT_REFUSED
    assert "--force" in capsys.readouterr().err
    again = DuckDBRepository(tmp_path / "t.duckdb")
    assert [u["id"] for u in again.list("units")] == ["MINE"] and again.count("cases") == 0


def test_force_sets_old_data_aside_instead_of_deleting_it(tmp_path, standin, settings, sa):
    source = filled_duckdb(tmp_path / "a.duckdb")
    before = snapshot(source)
    source.close()
    sid = standin.create_spreadsheet("penuh")
    old = SheetsRepository(make_client(standin, sa[0], backoff=False), sid)
    old.init()
    old.apply([Insert("units", unit("MINE", "Punya saya"))], actor="a")
    assert main(["--from", f"duckdb:{tmp_path / 'a.duckdb'}", "--to", f"sheets:{sid}"], settings) == EXIT_REFUSED
    assert main(["--from", f"duckdb:{tmp_path / 'a.duckdb'}", "--to", f"sheets:{sid}", "--force"], settings) == EXIT_OK
    titles = [s["title"] for s in standin.spreadsheets[sid]["sheets"]]
    kept = next(t for t in titles if t.startswith("units (cadangan "))
    assert standin.rows(sid, kept)[1][:3] == ["MINE", "ORG1", "Punya saya"]
    fresh = SheetsRepository(make_client(standin, sa[0], backoff=False), sid)
    assert snapshot(fresh) == before

    target = tmp_path / "t.duckdb"
    DuckDBRepository(target).init()
    DuckDBRepository(target).apply([Insert("units", unit("MINE"))], actor="a")
    assert main(["--from", f"sheets:{sid}", "--to", f"duckdb:{target}", "--force"], settings) == EXIT_OK
    assert snapshot(DuckDBRepository(target)) == before
    backups = list(tmp_path.glob("t.duckdb.cadangan-*"))
    assert len(backups) == 1 and DuckDBRepository(backups[0]).get("units", "MINE") is not None


def test_the_command_runs_as_a_module_with_the_configured_service_account(tmp_path, standin, sa):
    source = DuckDBRepository(tmp_path / "a.duckdb")
    source.init()
    source.apply([Insert("units", unit())], actor="a")
    source.close()
    sid = standin.create_spreadsheet("cli")
    env = {**os.environ, "SOP_SECRETS_FILE": str(tmp_path / "none.toml"), "SOP_SERVICE_ACCOUNT_FILE": str(sa[0]),
           "SOP_SHEETS_ENDPOINT": standin.url, "SOP_SHEETS_KEY": sid}
    out = subprocess.run([sys.executable, "-m", "cli.copy", "--from", f"duckdb:{tmp_path / 'a.duckdb'}",
                          "--to", "sheets"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "units" in out.stdout and "semua cocok" in out.stdout
    assert standin.rows(sid, "units")[1][0] == "U1"
    assert len(standin.rows(sid, "audit")) == 2  # header + the one audit entry, copied as stored


def test_both_backends_give_the_same_frames_for_the_same_store_empty_text_being_blank(tmp_path, standin,
                                                                                      settings, sa):
    import pandas as pd

    filled_duckdb(tmp_path / "a.duckdb").close()
    sid = standin.create_spreadsheet("frames")
    assert main(["--from", f"duckdb:{tmp_path / 'a.duckdb'}", "--to", f"sheets:{sid}"], settings) == EXIT_OK
    duck = DuckDBRepository(tmp_path / "a.duckdb").frames(list(TABLES))
    sheets = SheetsRepository(make_client(standin, sa[0], backoff=False), sid).frames(list(TABLES))
    for table in TABLES:
        a = duck[table].sort_values("id").reset_index(drop=True)
        for col, kind in TABLES[table]:
            if kind == "str":  # Sheets keeps no empty text: '' reads back as a blank cell (None)
                a[col] = pd.Series([None if v == "" else v for v in a[col]], dtype=object)
        b = sheets[table].sort_values("id").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, obj=table)


def test_a_copy_not_found_whole_on_reading_back_fails_loudly(tmp_path, standin, settings, capsys):
    filled_duckdb(tmp_path / "a.duckdb").close()
    sid = standin.create_spreadsheet("hilang")
    lines: list[str] = []

    def out(line: str) -> None:
        if line.startswith("tabel"):  # written, not yet read back: rows go missing from the target
            with standin.lock:
                rows = standin.sheet(sid, "cases")["rows"]
                del rows[2:5]
        lines.append(line)

    code = main(["--from", f"duckdb:{tmp_path / 'a.duckdb'}", "--to", f"sheets:{sid}"], settings, out=out)
    assert code == EXIT_MISMATCH
    [cases] = [line for line in lines if line.startswith("cases ")]
    assert "BEDA" in cases and lines[-1].startswith("GAGAL")
    assert "Gagal:" in capsys.readouterr().err


# ---- PostgreSQL (a real server started by the tests) --------------------------------------------------

def test_duckdb_to_postgresql_and_back_loses_nothing(tmp_path, settings, pg_url, capsys):
    original = filled_duckdb(tmp_path / "a.duckdb")
    before = snapshot(original)
    cases = {c["id"]: c for c in original.list("cases")}
    original.close()

    assert main(["--from", f"duckdb:{tmp_path / 'a.duckdb'}", "--to", f"postgres:{pg_url}"], settings) == EXIT_OK
    printed = capsys.readouterr().out
    assert "step_events" in printed and "semua cocok" in printed and "BEDA" not in printed
    on_server = PostgresRepository(pg_url)
    assert snapshot(on_server) == before
    assert on_server.get("outputs", "OUT-X")["doc_date"] == dt.date(2026, 11, 2)
    assert on_server.get("calendar_entries", "CAL-HARI-4")["weekday"] == 4
    assert {c["id"]: c for c in on_server.list("cases")} == cases
    assert on_server.next_number("ADU-2026", "sistem") == original.last_taken + 1
    on_server.close()

    assert main(["--from", f"postgres:{pg_url}", "--to", f"duckdb:{tmp_path / 'b.duckdb'}"], settings) == EXIT_OK
    back = DuckDBRepository(tmp_path / "b.duckdb")
    assert {t: v for t, v in snapshot(back).items() if t != "sequences"} == {
        t: v for t, v in before.items() if t != "sequences"}
    assert {c["id"]: c for c in back.list("cases")} == cases  # every value, exactly
    assert back.get("cases", "CX")["started_at"].microsecond == 123456
    assert back.next_number("ADU-2026", "sistem") == original.last_taken + 2  # the one taken on the server too


def test_force_on_postgresql_moves_the_old_tables_to_a_backup_schema(tmp_path, settings, pg_url):
    source = filled_duckdb(tmp_path / "a.duckdb")
    before = snapshot(source)
    source.close()
    old = PostgresRepository(pg_url)
    old.init()
    old.apply([Insert("units", unit("MINE", "Punya saya"))], actor="a")
    schema = old.schema
    old.close()
    target = f"postgres:{pg_url}"
    assert main(["--from", f"duckdb:{tmp_path / 'a.duckdb'}", "--to", target], settings) == EXIT_REFUSED
    assert main(["--from", f"duckdb:{tmp_path / 'a.duckdb'}", "--to", target, "--force"], settings) == EXIT_OK
    fresh = PostgresRepository(pg_url)
    assert snapshot(fresh) == before and fresh.get("units", "MINE") is None
    fresh.close()
    with psycopg.connect(pg_url) as con:
        (kept,) = con.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                              [f"{schema}_cadangan_%"]).fetchone()
        assert con.execute(f'SELECT name FROM "{kept}".units').fetchall() == [("Punya saya",)]
        con.execute(f'DROP SCHEMA "{kept}" CASCADE')


def test_postgresql_gives_the_same_frames_as_duckdb_for_the_same_store(tmp_path, settings, pg_url):
    import pandas as pd

    filled_duckdb(tmp_path / "a.duckdb").close()
    assert main(["--from", f"duckdb:{tmp_path / 'a.duckdb'}", "--to", f"postgres:{pg_url}"], settings) == EXIT_OK
    duck = DuckDBRepository(tmp_path / "a.duckdb").frames(list(TABLES))
    server = PostgresRepository(pg_url)
    on_server = server.frames(list(TABLES))
    server.close()
    for table in TABLES:
        a = duck[table].sort_values("id").reset_index(drop=True)
        b = on_server[table].sort_values("id").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, obj=table)
