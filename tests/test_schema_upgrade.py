"""Schema upgrades on stores made by earlier versions: version 2 (complaints.case_ref and
complaints.assigned_to), version 4 (step_events.party), version 5 (the flood_counts table), the evaluation's
records and the sessions table. The DuckDB
migration adds the columns and tables, Google Sheets appends the columns to the existing header row and
adds the worksheets, and the rows already there read back whole."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from data_access.duckdb_store import DuckDBRepository
from data_access.repository import Insert, Update
from data_access.schema import ADDED_COLUMNS, ADDED_TABLES, SCHEMA_VERSION, columns
from data_access.sheets_store import SheetLayoutError, SheetsRepository
from domain.calendar import JAKARTA

AT = dt.datetime(2026, 11, 2, 9, 0, tzinfo=JAKARTA)
NEW = ADDED_COLUMNS[2]["complaints"]
OLD_ROW = {"id": "ADU-1", "receipt_no": "ADU-2026-0001", "kind": "pengaduan", "unit_id": "U1", "name": "Ani",
           "email": "ani@setneg.go.id", "subject": "Draf", "description": "Uraian", "status": "didelegasikan",
           "handler": "Kabag"}


def test_version_2_adds_exactly_the_two_complaint_columns():
    assert SCHEMA_VERSION >= 2 and NEW == ("case_ref", "assigned_to")
    assert all(c in columns("complaints") for c in NEW)


# ---- version 6: the evaluation's records ------------------------------------------------------

EVALUATION_TABLES = ("evaluation_years", "evaluation_conclusions", "evaluation_notes", "evaluation_sanctions")
# The version that added them, found rather than written: renumbering the migration changes one line.
EVALUATION_VERSION = next(v for v, tables in ADDED_TABLES.items() if "evaluation_years" in tables)


def test_the_evaluation_s_records_come_with_their_own_schema_version():
    assert EVALUATION_VERSION > 5 and SCHEMA_VERSION >= EVALUATION_VERSION
    assert ADDED_TABLES[EVALUATION_VERSION] == EVALUATION_TABLES
    assert columns("evaluation_conclusions")[:3] == ["id", "year", "document_no"]


def test_an_older_duckdb_file_gets_the_evaluation_tables_and_keeps_its_conclusions(tmp_path):
    path = tmp_path / "v5.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    repo.apply([Insert("settings", {"id": "evaluation_conclusions_2026", "value": "Ditulis dahulu."})],
               actor="seed", at=AT)
    repo.close()
    with duckdb.connect(str(path)) as con:  # make it what the version before wrote
        for table in EVALUATION_TABLES:
            con.execute(f"DROP TABLE {table}")
        con.execute("DELETE FROM schema_version WHERE version >= ?", [EVALUATION_VERSION])
    repo = DuckDBRepository(path)
    repo.init()
    assert repo.schema_version() == SCHEMA_VERSION and all(repo.count(t) == 0 for t in EVALUATION_TABLES)
    repo.apply([Insert("evaluation_years", {"id": "2026", "year": 2026, "on_time_target": 80.0})], actor="karo", at=AT)
    assert repo.get("evaluation_years", "2026")["on_time_target"] == 80.0
    assert repo.get("settings", "evaluation_conclusions_2026")["value"] == "Ditulis dahulu."
    repo.close()


def test_an_older_spreadsheet_gets_the_evaluation_worksheets_on_first_use(standin, sheets_client):
    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(sheets_client, sid, backoff=0.01)
    repo.init()
    with standin.lock:  # what the version before made: no evaluation worksheets
        sheets = standin.spreadsheets[sid]["sheets"]
        sheets[:] = [sh for sh in sheets if sh["title"] not in EVALUATION_TABLES]
    again = SheetsRepository(sheets_client, sid, backoff=0.01)
    again.init()
    for table in EVALUATION_TABLES:
        assert standin.rows(sid, table)[0] == columns(table)
    again.apply([Insert("evaluation_sanctions", {"id": "SKS-1", "executor_id": "EX-1", "kind": "teguran_lisan",
                                                 "decided_on": dt.date(2026, 4, 1), "reason": "Terlambat",
                                                 "withdrawn": False})], actor="karo", at=AT)
    assert again.get("evaluation_sanctions", "SKS-1")["decided_on"] == dt.date(2026, 4, 1)


# ---- version 5: the flood_counts table ---------------------------------------------------------

def test_version_5_adds_the_flood_counts_table():
    assert SCHEMA_VERSION >= 5 and ADDED_TABLES[5] == ("flood_counts",)
    assert columns("flood_counts")[:5] == ["id", "kind", "scope", "key", "hits"]


def test_a_version_4_duckdb_file_gets_the_flood_counts_table_and_keeps_its_rows(tmp_path):
    path = tmp_path / "v4.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    repo.apply([Insert("complaints", OLD_ROW)], actor="seed", at=AT)
    repo.close()
    with duckdb.connect(str(path)) as con:  # make it what version 4 wrote
        con.execute("DROP TABLE flood_counts")
        for table in EVALUATION_TABLES:
            con.execute(f"DROP TABLE {table}")
        con.execute("DELETE FROM schema_version WHERE version > 4")

    repo = DuckDBRepository(path)
    repo.init()
    assert repo.schema_version() == SCHEMA_VERSION and repo.count("flood_counts") == 0
    assert repo.get("complaints", "ADU-1")["subject"] == "Draf"
    repo.apply([Insert("flood_counts", {"id": "flood:x", "kind": "complaint_address", "scope": "alamat",
                                        "key": "10.0.0.1", "hits": [AT.isoformat()]})], actor="anonim", at=AT)
    assert repo.get("flood_counts", "flood:x")["hits"] == [AT.isoformat()]
    repo.close()


def test_a_version_4_spreadsheet_gets_a_flood_counts_worksheet_on_first_use(standin, sheets_client):
    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(sheets_client, sid, backoff=0.01)
    repo.init()
    repo.apply([Insert("complaints", OLD_ROW)], actor="seed", at=AT)
    with standin.lock:  # what version 4 made: no flood_counts worksheet
        sheets = standin.spreadsheets[sid]["sheets"]
        sheets[:] = [sh for sh in sheets if sh["title"] != "flood_counts"]
    again = SheetsRepository(sheets_client, sid, backoff=0.01)
    again.init()
    assert standin.rows(sid, "flood_counts")[0] == columns("flood_counts")
    assert again.get("complaints", "ADU-1")["subject"] == "Draf"
    again.apply([Insert("flood_counts", {"id": "flood:x", "kind": "lookup_receipt", "scope": "nomor",
                                         "key": "ADU-2026-0001", "hits": [AT.isoformat()]})], actor="anonim", at=AT)
    assert again.get("flood_counts", "flood:x")["hits"] == [AT.isoformat()]


# ---- version 9: the sessions table -------------------------------------------------------------

SESSION = {"id": "ses-1", "account_id": "acc-1", "token_hash": "ab" * 32, "started_at": AT, "last_seen": AT}


def test_version_9_adds_the_sessions_table():
    assert SCHEMA_VERSION >= 9 and ADDED_TABLES[9] == ("sessions",)
    assert columns("sessions")[:5] == ["id", "account_id", "token_hash", "started_at", "last_seen"]


def test_a_version_8_duckdb_file_gets_the_sessions_table_and_keeps_its_rows(tmp_path):
    path = tmp_path / "v5.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    repo.apply([Insert("complaints", OLD_ROW)], actor="seed", at=AT)
    repo.close()
    with duckdb.connect(str(path)) as con:  # make it what version 8 wrote
        con.execute("DROP TABLE sessions")
        con.execute("DELETE FROM schema_version WHERE version > 8")

    repo = DuckDBRepository(path)
    repo.init()
    assert repo.schema_version() == SCHEMA_VERSION and repo.count("sessions") == 0
    assert repo.get("complaints", "ADU-1")["subject"] == "Draf"
    repo.apply([Insert("sessions", SESSION)], actor="staf1", at=AT)
    assert repo.get("sessions", "ses-1")["last_seen"] == AT
    repo.close()


def test_a_version_8_spreadsheet_gets_a_sessions_worksheet_on_first_use(standin, sheets_client):
    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(sheets_client, sid, backoff=0.01)
    repo.init()
    repo.apply([Insert("complaints", OLD_ROW)], actor="seed", at=AT)
    with standin.lock:  # what version 8 made: no sessions worksheet
        sheets = standin.spreadsheets[sid]["sheets"]
        sheets[:] = [sh for sh in sheets if sh["title"] != "sessions"]
    again = SheetsRepository(sheets_client, sid, backoff=0.01)
    again.init()
    assert standin.rows(sid, "sessions")[0] == columns("sessions")
    assert again.get("complaints", "ADU-1")["subject"] == "Draf"
    again.apply([Insert("sessions", SESSION)], actor="staf1", at=AT)
    assert again.get("sessions", "ses-1")["last_seen"] == AT


def test_a_version_1_duckdb_file_is_migrated_and_its_complaints_read_back(tmp_path):
    path = tmp_path / "old.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    repo.apply([Insert("complaints", OLD_ROW)], actor="seed", at=AT)
    repo.close()
    with duckdb.connect(str(path)) as con:  # make it what version 1 wrote
        for col in NEW:
            con.execute(f'ALTER TABLE complaints DROP COLUMN "{col}"')
        con.execute("DELETE FROM schema_version WHERE version > 1")

    repo = DuckDBRepository(path)
    repo.init()
    assert repo.schema_version() == SCHEMA_VERSION
    row = repo.get("complaints", "ADU-1")
    assert row["subject"] == "Draf" and row["case_ref"] is None and row["assigned_to"] is None
    repo.apply([Update("complaints", "ADU-1", {"assigned_to": ["EX-STAF1", "EX-STAF2"]}, 1)], actor="kabag", at=AT)
    assert repo.get("complaints", "ADU-1")["assigned_to"] == ["EX-STAF1", "EX-STAF2"]
    assert list(repo.frames(["complaints"])["complaints"]["assigned_to"]) == [["EX-STAF1", "EX-STAF2"]]
    repo.init()  # running again changes nothing
    assert repo.schema_version() == SCHEMA_VERSION
    repo.close()


def old_sheet(standin, sheets_client) -> str:
    """A spreadsheet whose complaints sheet has version 1's header and one row."""
    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(sheets_client, sid, backoff=0.01)
    repo.init()
    repo.apply([Insert("complaints", OLD_ROW)], actor="seed", at=AT)
    with standin.lock:
        rows = standin.sheet(sid, "complaints")["rows"]
        drop = sorted((rows[0].index(c) for c in NEW), reverse=True)
        for r in rows:
            for i in drop:
                if i < len(r):
                    del r[i]
    assert not set(NEW) & set(standin.rows(sid, "complaints")[0])
    return sid


def test_a_version_1_sheet_gets_the_new_columns_appended_and_keeps_its_rows(standin, sheets_client):
    sid = old_sheet(standin, sheets_client)
    repo = SheetsRepository(sheets_client, sid, backoff=0.01)
    repo.init()
    header = standin.rows(sid, "complaints")[0]
    assert header[-2:] == list(NEW) and header[:-2] == [c for c in columns("complaints") if c not in NEW]
    row = repo.get("complaints", "ADU-1")
    assert row["subject"] == "Draf" and row["assigned_to"] is None
    repo.apply([Update("complaints", "ADU-1", {"assigned_to": ["EX-STAF1"], "case_ref": "K-2026-0001"}, 1)],
               actor="kabag", at=AT)
    again = SheetsRepository(sheets_client, sid, backoff=0.01)
    again.init()
    assert again.get("complaints", "ADU-1")["assigned_to"] == ["EX-STAF1"]
    assert again.get("complaints", "ADU-1")["case_ref"] == "K-2026-0001"
    assert standin.rows(sid, "complaints")[0] == header  # appended once only


def test_a_sheet_missing_another_column_is_still_refused_and_not_written(standin, sheets_client):
    sid = old_sheet(standin, sheets_client)
    with standin.lock:
        standin.sheet(sid, "complaints")["rows"][0][2] = "jenis"  # 'kind' renamed by hand
    before = standin.rows(sid, "complaints")
    with pytest.raises(SheetLayoutError) as err:
        SheetsRepository(sheets_client, sid, backoff=0.01).init()
    assert "'kind'" in str(err.value)
    assert standin.rows(sid, "complaints") == before


EVENT = {"id": "C1-1.a", "case_id": "C1", "step_code": "1.a", "status": "selesai", "started_at": AT,
         "finished_at": AT}


def test_version_4_adds_who_did_a_step_to_a_version_3_duckdb_file(tmp_path):
    assert ADDED_COLUMNS[4] == {"step_events": ("party",)} and "party" in columns("step_events")
    path = tmp_path / "v3.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    repo.apply([Insert("step_events", EVENT)], actor="seed", at=AT)
    repo.close()
    with duckdb.connect(str(path)) as con:  # make it what version 3 wrote
        con.execute('ALTER TABLE step_events DROP COLUMN "party"')
        con.execute("DELETE FROM schema_version WHERE version > 3")
    repo = DuckDBRepository(path)
    repo.init()
    assert repo.schema_version() == SCHEMA_VERSION
    assert repo.get("step_events", "C1-1.a")["party"] is None
    repo.apply([Update("step_events", "C1-1.a", {"party": "Deputi"}, 1)], actor="staf1", at=AT)
    assert repo.get("step_events", "C1-1.a")["party"] == "Deputi"
    repo.close()


def test_a_version_3_sheet_gets_who_did_a_step_appended(standin, sheets_client):
    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(sheets_client, sid, backoff=0.01)
    repo.init()
    repo.apply([Insert("step_events", EVENT)], actor="seed", at=AT)
    with standin.lock:
        rows = standin.sheet(sid, "step_events")["rows"]
        i = rows[0].index("party")
        for r in rows:
            if i < len(r):
                del r[i]
    again = SheetsRepository(sheets_client, sid, backoff=0.01)
    again.init()
    assert again.upgraded_from == 3  # its records were made under the earlier timing rule
    assert standin.rows(sid, "step_events")[0][-1] == "party"
    assert again.get("step_events", "C1-1.a")["status"] == "selesai"
    again.apply([Update("step_events", "C1-1.a", {"party": "Deputi"}, 1)], actor="staf1", at=AT)
    assert again.get("step_events", "C1-1.a")["party"] == "Deputi"


# ---- version 7: the language a person chose for the app ------------------------------------------

ACCOUNT = {"id": "acc-staf1", "username": "staf1", "display_name": "Staf Satu", "roles": ["Staf"], "active": True}


def test_version_7_adds_the_chosen_language_to_a_version_6_duckdb_file(tmp_path):
    assert ADDED_COLUMNS[7] == {"accounts": ("ui_lang",)} and "ui_lang" in columns("accounts")
    path = tmp_path / "v6.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    repo.apply([Insert("accounts", ACCOUNT)], actor="seed", at=AT)
    repo.close()
    with duckdb.connect(str(path)) as con:  # make it what version 6 wrote
        con.execute('ALTER TABLE accounts DROP COLUMN "ui_lang"')
        con.execute("DELETE FROM schema_version WHERE version > 6")
    repo = DuckDBRepository(path)
    repo.init()
    assert repo.schema_version() == SCHEMA_VERSION
    assert repo.get("accounts", "acc-staf1")["ui_lang"] is None
    repo.apply([Update("accounts", "acc-staf1", {"ui_lang": "en"}, 1)], actor="staf1", at=AT)
    assert repo.get("accounts", "acc-staf1")["ui_lang"] == "en"
    repo.close()


def test_a_version_6_sheet_gets_the_chosen_language_appended(standin, sheets_client):
    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(sheets_client, sid, backoff=0.01)
    repo.init()
    repo.apply([Insert("accounts", ACCOUNT)], actor="seed", at=AT)
    with standin.lock:
        rows = standin.sheet(sid, "accounts")["rows"]
        i = rows[0].index("ui_lang")
        for r in rows:
            if i < len(r):
                del r[i]
    again = SheetsRepository(sheets_client, sid, backoff=0.01)
    again.init()
    assert standin.rows(sid, "accounts")[0][-1] == "ui_lang"
    assert again.get("accounts", "acc-staf1")["ui_lang"] is None
    again.apply([Update("accounts", "acc-staf1", {"ui_lang": "en"}, 1)], actor="staf1", at=AT)
    assert again.get("accounts", "acc-staf1")["ui_lang"] == "en"
