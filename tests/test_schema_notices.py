"""Schema version 3 (the e-mail notices): the ``notices`` table and each account's choices
(``notices_off``, ``mail_lang``, ``calendar_token``), added to stores made by version 2 on DuckDB and Google Sheets
without touching the rows already there."""
from __future__ import annotations

import datetime as dt

import duckdb

from data_access.duckdb_store import DuckDBRepository
from data_access.repository import Insert, Update
from data_access.schema import ADDED_COLUMNS, ADDED_TABLES, SCHEMA_VERSION, columns
from data_access.sheets_store import SheetsRepository
from domain.calendar import JAKARTA

AT = dt.datetime(2026, 12, 7, 8, 0, tzinfo=JAKARTA)
NEW = ADDED_COLUMNS[3]["accounts"]
ACCOUNT = {"id": "acc-kabag", "username": "kabag", "display_name": "Kabag", "email": "kabag@setneg.go.id",
           "roles": ["Kabag"], "active": True}
NOTICE = {"id": "langkah_terlambat|CASE-1-3.b|2026-12-01T01:00:00+00:00|acc-kabag", "kind": "langkah_terlambat",
          "account_id": "acc-kabag", "recipient": "kabag@setneg.go.id", "subject": "Langkah terlambat",
          "entity": "cases", "entity_id": "CASE-1", "status": "klaim", "run_id": "R1", "claimed_at": AT}


def test_version_3_adds_the_notices_table_and_three_account_columns():
    assert SCHEMA_VERSION >= 3 and ADDED_TABLES[3] == ("notices",)
    assert NEW == ("notices_off", "mail_lang", "calendar_token")
    assert all(c in columns("accounts") for c in NEW)


def test_a_version_2_duckdb_file_gets_the_notices_table_and_keeps_its_accounts(tmp_path):
    path = tmp_path / "v2.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    repo.apply([Insert("accounts", ACCOUNT)], actor="seed", at=AT)
    repo.close()
    with duckdb.connect(str(path)) as con:  # make it what version 2 wrote
        con.execute("DROP TABLE notices")
        for col in NEW:
            con.execute(f'ALTER TABLE accounts DROP COLUMN "{col}"')
        con.execute("DELETE FROM schema_version WHERE version > 2")

    repo = DuckDBRepository(path)
    repo.init()
    assert repo.schema_version() == SCHEMA_VERSION
    account = repo.get("accounts", "acc-kabag")
    assert account["email"] == "kabag@setneg.go.id" and account["notices_off"] is None and account["mail_lang"] is None
    repo.apply([Update("accounts", "acc-kabag", {"notices_off": ["ringkasan_harian"], "mail_lang": "en"}, 1),
                Insert("notices", NOTICE)], actor="kabag", at=AT)
    assert repo.get("accounts", "acc-kabag")["notices_off"] == ["ringkasan_harian"]
    assert repo.get("notices", NOTICE["id"])["status"] == "klaim"
    repo.init()
    assert repo.schema_version() == SCHEMA_VERSION
    repo.close()


def test_a_version_2_spreadsheet_gets_the_notices_sheet_and_the_account_columns(standin, sheets_client):
    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(sheets_client, sid, backoff=0.01)
    repo.init()
    repo.apply([Insert("accounts", ACCOUNT)], actor="seed", at=AT)
    with standin.lock:  # make it what version 2 wrote: no notices sheet, accounts without the two columns
        rows = standin.sheet(sid, "accounts")["rows"]
        drop = sorted((rows[0].index(c) for c in NEW), reverse=True)
        for r in rows:
            for i in drop:
                if i < len(r):
                    del r[i]
        book = standin.spreadsheets[sid]
        book["sheets"] = [s for s in book["sheets"] if s["title"] != "notices"]
    assert not set(NEW) & set(standin.rows(sid, "accounts")[0])

    again = SheetsRepository(sheets_client, sid, backoff=0.01)
    again.init()
    assert standin.rows(sid, "accounts")[0][-3:] == list(NEW)
    assert standin.rows(sid, "notices")[0] == columns("notices")
    account = again.get("accounts", "acc-kabag")
    assert account["email"] == "kabag@setneg.go.id" and account["notices_off"] is None
    again.apply([Update("accounts", "acc-kabag", {"notices_off": ["ringkasan_harian"]}, 1),
                 Insert("notices", NOTICE)], actor="kabag", at=AT)
    assert again.get("accounts", "acc-kabag")["notices_off"] == ["ringkasan_harian"]
    assert again.get("notices", NOTICE["id"])["claimed_at"] == AT
