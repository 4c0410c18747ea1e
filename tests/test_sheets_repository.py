"""What only the Google Sheets store has (a real gspread client over HTTP to the local stand-in):
call counts, hand-edited sheets, RAW values, retries and faults. The contract suites run in
tests/test_on_sheets.py."""
from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest

from data_access.repository import Insert, Log, Update
from data_access.schema import columns
from data_access.sheets_store import CLAIMS, SheetLayoutError, SheetsRepository
from domain.errors import StaleWriteError, StoreUnavailableError, ValidationError
from tests.contracts.repository import case, unit
from tests.sheets_standin import SheetsStandIn, make_client, write_service_account_file

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def client(standin, sa_file):
    return make_client(standin, sa_file, backoff=False, timeout=5)


def new_repo(standin, client, **kw) -> tuple[SheetsRepository, str]:
    sid = standin.create_spreadsheet("SOP Tracker")
    kw.setdefault("backoff", 0.01)
    repo = SheetsRepository(client, sid, **kw)
    repo.init()
    return repo, sid


@pytest.fixture
def sheet(standin, client):
    standin.clear_faults()
    repo, sid = new_repo(standin, client)
    standin.reset_counts()
    return repo, sid


def data_rows(standin, sid, title):
    return standin.rows(sid, title)[1:]


# ---- layout ------------------------------------------------------------------------------------

def test_each_table_is_a_worksheet_whose_header_row_is_its_columns(standin, sheet):
    _, sid = sheet
    for table in ("cases", "audit", "sequences"):
        assert standin.rows(sid, table)[0] == columns(table)
    assert standin.sheet(sid, CLAIMS)["hidden"] is True


def test_a_renamed_column_stops_the_store_with_a_message_naming_it(standin, client):
    repo, sid = new_repo(standin, client)
    repo.apply([Insert("units", unit())], actor="a")
    with standin.lock:
        standin.sheet(sid, "units")["rows"][0][2] = "nama_unit"  # 'name' renamed by hand
    before = standin.rows(sid, "units")
    with pytest.raises(SheetLayoutError) as err:
        repo.apply([Insert("units", unit("U2"))], actor="a")
    assert "'name'" in str(err.value) and "'nama_unit'" in str(err.value)
    with pytest.raises(SheetLayoutError):
        SheetsRepository(client, sid).init()
    assert standin.rows(sid, "units") == before


def test_a_sheet_with_data_but_no_header_is_never_written_to(standin, client):
    sid = standin.create_spreadsheet("x", ["units"])
    standin.set_rows(sid, "units", [[], ["U1", "ORG1", "Biro Umum"]])
    with pytest.raises(SheetLayoutError) as err:
        SheetsRepository(client, sid).init()
    assert "units" in str(err.value)
    assert standin.rows(sid, "units") == [[], ["U1", "ORG1", "Biro Umum"]]


def test_columns_moved_and_added_by_hand_are_respected(standin, client):
    repo, sid = new_repo(standin, client)
    repo.apply([Insert("units", unit("U1"))], actor="a")
    with standin.lock:
        rows = standin.sheet(sid, "units")["rows"]
        for r in rows:  # move 'name' to the end and add a hand-kept column
            r.append(r.pop(2))
            r.append(None)
        rows[0][-1] = "catatan manual"
        rows[1][-1] = "jangan dihapus"
        standin.sheet(sid, "units")["columnCount"] = len(rows[0]) + 1
    repo.apply([Update("units", "U1", {"name": "Biro Umum Baru"}, 1), Insert("units", unit("U2", "Biro Dua"))],
               actor="b")
    assert repo.get("units", "U1")["name"] == "Biro Umum Baru"
    assert repo.get("units", "U2")["name"] == "Biro Dua"
    header, first = standin.rows(sid, "units")[:2]
    assert first[header.index("catatan manual")] == "jangan dihapus"
    assert first[header.index("name")] == "Biro Umum Baru"


def test_an_id_column_moved_by_hand_still_guards_against_duplicate_ids(standin, client):
    repo, sid = new_repo(standin, client)
    repo.apply([Insert("units", unit("U1"))], actor="a")
    with standin.lock:
        for r in standin.sheet(sid, "units")["rows"]:
            r.insert(0, r.pop(2))  # 'name' first, 'id' now in column B
    with pytest.raises(ValidationError):
        repo.apply([Insert("units", unit("U1", "dupe"))], actor="a")
    repo.apply([Insert("units", unit("U2"))], actor="a")
    assert {u["id"]: u["name"] for u in repo.list("units")} == {"U1": "Biro Umum", "U2": "Biro Umum"}


# ---- call counts ---------------------------------------------------------------------------------

def test_a_cold_page_view_reads_every_table_with_one_batch_get(standin, sheet):
    repo, _ = sheet
    repo.apply([Insert("cases", case()), Insert("units", unit())], actor="a")
    standin.reset_counts()
    frames = repo.frames(["cases", "step_events", "units", "organisations", "executors", "holds", "sequences"])
    assert standin.count() == 1 and standin.count("batchGet") == 1
    assert len(frames["cases"]) == 1 and len(frames["units"]) == 1


def test_a_save_with_its_audit_entries_is_one_read_and_one_write(standin, sheet):
    repo, sid = sheet
    repo.apply([Insert("cases", case())], actor="a")
    standin.reset_counts()
    repo.apply([Update("cases", "C1", {"status": "ditunda", "notes": "menunggu"}, 1),
                Insert("step_events", {"id": "E1", "case_id": "C1", "step_code": "1.a"})], actor="budi")
    assert standin.count() == 2
    assert standin.count("batchGet") == 1 and standin.count("batchUpdate") == 1
    (write,) = standin.requests_of("batchUpdate")
    kinds = [next(iter(r)) for r in write.body["requests"]]
    assert "updateCells" in kinds and kinds.count("appendCells") == 2  # step event + audit entries
    (read,) = standin.requests_of("batchGet")
    # whole rows of the case updated; of step_events (new rows only) just the header and the IDs
    assert read.query["ranges"] == ["'cases'", "'step_events'!1:1", "'step_events'!A:A", "'audit'!1:1"]
    assert len(repo.audit("cases", "C1")) == 3


def test_an_audit_only_entry_is_a_single_write(standin, sheet):
    repo, _ = sheet
    repo.apply([Log("login", "accounts", "A1")], actor="ani")
    standin.reset_counts()
    repo.apply([Log("login", "accounts", "A1")], actor="ani")
    assert standin.count() == 1 and standin.count("batchUpdate") == 1


def test_a_sequence_number_costs_one_append_and_one_read(standin, sheet):
    repo, _ = sheet
    repo.next_number("ADU-2026", "a")
    standin.reset_counts()
    assert repo.next_number("ADU-2026", "a") == 2
    assert standin.count() == 2 and standin.count("batchGet") == 1


def test_init_on_an_existing_store_is_two_calls_and_writes_nothing(standin, sheet):
    repo, _ = sheet
    repo.init()
    assert standin.count() == 2 and standin.count("batchUpdate") == 0


# ---- hand-edited sheets --------------------------------------------------------------------------

def test_rows_sorted_and_inserted_by_hand_are_still_found_by_id(standin, sheet):
    repo, sid = sheet
    repo.apply([Insert("units", unit(f"U{i}", f"Unit {i}")) for i in range(5)], actor="a")
    with standin.lock:
        rows = standin.sheet(sid, "units")["rows"]
        rows[1:] = sorted(rows[1:], key=lambda r: r[2], reverse=True)  # sorted Z-A by name
        rows.insert(3, [])  # a blank row typed in the middle
        rows.insert(1, [None, None, "catatan tanpa ID"])
        standin.sheet(sid, "units")["rowCount"] += 2
    repo.apply([Update("units", "U2", {"name": "Unit Dua"}, 1)], actor="b")
    by_id = {u["id"]: u["name"] for u in repo.list("units")}
    assert by_id == {"U0": "Unit 0", "U1": "Unit 1", "U2": "Unit Dua", "U3": "Unit 3", "U4": "Unit 4"}
    assert ["", "", "catatan tanpa ID"] in standin.rows(sid, "units")
    repo.apply([Insert("units", unit("U9"))], actor="b")
    assert repo.count("units") == 6


def test_a_duplicated_row_is_refused_for_writes_with_a_message(standin, sheet):
    repo, sid = sheet
    repo.apply([Insert("units", unit("U1"))], actor="a")
    with standin.lock:
        rows = standin.sheet(sid, "units")["rows"]
        rows.append(list(rows[1]))
        standin.sheet(sid, "units")["rowCount"] += 1
    with pytest.raises(StoreUnavailableError) as err:
        repo.apply([Update("units", "U1", {"name": "x"}, 1)], actor="a")
    assert "lebih dari satu baris" in str(err.value)


def test_a_value_typed_by_hand_in_a_number_column_reads_as_empty_and_is_listed_with_its_place(standin, sheet):
    repo, sid = sheet
    repo.apply([Insert("cases", case())], actor="a")
    with standin.lock:
        sh = standin.sheet(sid, "cases")
        sh["rows"][1][columns("cases").index("drafts")] = "dua belas"
    assert repo.get("cases", "C1")["drafts"] is None
    [cell] = repo.unreadable_cells()
    assert (cell.sheet, cell.row, cell.column, cell.value, cell.record_id) == ("cases", 2, "drafts", "dua belas", "C1")


def test_dates_typed_by_hand_are_read_as_the_sheet_shows_them(standin, sheet):
    repo, sid = sheet
    repo.apply([Insert("cases", case())], actor="a")
    with standin.lock:
        sh = standin.sheet(sid, "cases")
        sh["rows"][1][columns("cases").index("target_date")] = 46387  # serial of 2026-12-31
    assert repo.get("cases", "C1")["target_date"] == dt.date(2026, 12, 31)


# ---- RAW values ----------------------------------------------------------------------------------

def test_formula_looking_input_is_stored_as_text_never_as_a_formula(standin, sheet):
    repo, sid = sheet
    texts = ["=HYPERLINK(\"http://evil\",\"klik\")", "=1+1", "+SUM(A1:A9)", "-2+3", "@A1", "'0012", "0012",
             "TRUE", "2026-01-02", "1,234"]
    repo.apply([Insert("units", unit(f"U{i}", t)) for i, t in enumerate(texts)], actor="a")
    repo.apply([Update("units", "U0", {"name": "=IMPORTXML(\"x\")"}, 1)], actor="a")
    assert standin.formula_log == [] and standin.formula_cells(sid) == set()
    names = {u["id"]: u["name"] for u in repo.list("units")}
    assert names == {f"U{i}": t for i, t in enumerate(texts)} | {"U0": "=IMPORTXML(\"x\")"}
    for write in standin.requests_of("batchUpdate"):
        assert "formulaValue" not in repr(write.body)


def test_numbers_dates_and_lists_are_stored_as_typed_cells(standin, sheet):
    repo, sid = sheet
    repo.apply([Insert("cases", case(drafts=7))], actor="a")
    header, row = standin.rows(sid, "cases")[:2]
    got = dict(zip(header, row, strict=False))
    assert got["drafts"] == 7 and got["version"] == 1
    assert got["target_date"] == "2026-12-31"
    assert got["started_at"] == "2026-03-02T01:15:30.123456+00:00"
    assert got["unit_ids"] == '["U1", "U2"]'


def test_text_longer_than_a_sheets_cell_is_refused_before_anything_is_sent(standin, sheet):
    repo, _ = sheet
    standin.reset_counts()
    with pytest.raises(ValidationError) as err:
        repo.apply([Insert("units", unit(name="x" * 50_001))], actor="a")
    assert err.value.field == "name" and standin.count() == 0


# ---- concurrency ---------------------------------------------------------------------------------

def test_fifty_concurrent_callers_from_separate_clients_get_unique_consecutive_numbers(standin, sheet,
                                                                                        sa_file):
    _, sid = sheet
    got, lock, errors = [], threading.Lock(), []

    def take():
        try:
            # Own client, own lock: as if each caller were a separate process.
            repo = SheetsRepository(make_client(standin, sa_file, backoff=False, timeout=30), sid,
                                    lock=threading.RLock(), backoff=0.01)
            n = repo.next_number("ADU-2026", "a")
            with lock:
                got.append(n)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=take) for _ in range(50)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    assert sorted(got) == list(range(1, 51))


def test_sequence_values_read_back_include_numbers_taken(standin, sheet):
    repo, _ = sheet
    assert [repo.next_number("USL-2026", "ani") for _ in range(3)] == [1, 2, 3]
    (usl,) = repo.list("sequences")
    assert usl["id"] == "USL-2026" and usl["value"] == 3 and usl["created_by"] == "ani"
    assert repo.count("sequences") == 1
    repo.import_rows("sequences", [{"id": "ADU-2026", "value": 40, "version": 1}])
    assert repo.next_number("ADU-2026", "a") == 41
    assert repo.next_number("ADU-2026", "a") == 42
    assert repo.get("sequences", "ADU-2026")["value"] == 42
    assert int(repo.frames(["sequences"])["sequences"]["value"].iloc[0]) == 42


# ---- faults --------------------------------------------------------------------------------------

def test_a_read_answered_429_then_500_is_retried(standin, sheet):
    repo, _ = sheet
    repo.apply([Insert("units", unit())], actor="a")
    standin.fail_next(1, 429, kind="batchGet")
    standin.fail_next(1, 500, kind="batchGet")
    assert repo.get("units", "U1")["name"] == "Biro Umum"
    assert standin.count("batchGet") >= 3


def test_a_write_answered_429_is_retried_and_lands_once(standin, sheet):
    repo, sid = sheet
    standin.fail_next(2, 429, kind="batchUpdate")
    repo.apply([Insert("units", unit())], actor="a")
    assert len(data_rows(standin, sid, "units")) == 1 and len(repo.audit()) == 1


def test_a_write_whose_reply_is_lost_is_not_appended_twice(standin, sheet):
    repo, sid = sheet
    standin.fail_next(1, 500, kind="batchUpdate", apply_first=True)
    repo.apply([Insert("units", unit())], actor="a")
    assert len(data_rows(standin, sid, "units")) == 1
    assert len(data_rows(standin, sid, "audit")) == 1


def test_a_dropped_connection_after_the_write_landed_does_not_duplicate(standin, sheet):
    repo, sid = sheet
    repo.apply([Insert("cases", case())], actor="a")
    standin.drop_next(1, kind="batchUpdate", apply_first=True)
    repo.apply([Update("cases", "C1", {"notes": "x"}, 1)], actor="a")
    assert repo.get("cases", "C1")["version"] == 2
    assert len([e for e in repo.audit("cases", "C1") if e["action"] == "update"]) == 1


def test_an_update_whose_reply_is_lost_is_not_applied_twice(standin, sheet):
    repo, _ = sheet
    repo.apply([Insert("sequences", {"id": "c", "value": 1})], actor="a")
    standin.fail_next(1, 503, kind="batchUpdate", apply_first=True)
    repo.apply([Update("sequences", "c", {"value": 2}, 1)], actor="a")
    got = repo.get("sequences", "c")
    assert got["value"] == 2 and got["version"] == 2


def test_a_retried_sequence_claim_is_not_counted_twice(standin, sheet):
    repo, _ = sheet
    assert repo.next_number("S", "a") == 1
    standin.fail_next(1, 500, kind="batchUpdate", apply_first=True)
    assert repo.next_number("S", "a") == 2
    assert repo.next_number("S", "a") == 3


def test_a_bulk_import_chunk_whose_reply_is_lost_is_not_loaded_twice(standin, sheet):
    repo, sid = sheet
    standin.fail_next(1, 502, kind="batchUpdate", apply_first=True)
    assert repo.import_rows("units", [unit(f"U{i}") | {"version": 1} for i in range(30)]) == 30
    assert len(data_rows(standin, sid, "units")) == 30 and repo.audit() == []


def test_persistent_server_errors_surface_as_a_plain_message_and_change_nothing(standin, sheet):
    repo, sid = sheet
    standin.fail_next(50, 503, kind="batchUpdate")
    with pytest.raises(StoreUnavailableError) as err:
        repo.apply([Insert("units", unit())], actor="a")
    assert str(err.value).startswith("Google Sheets tidak dapat dihubungi")
    standin.clear_faults()
    assert repo.count("units") == 0 and data_rows(standin, sid, "audit") == []


def test_a_timeout_surfaces_as_a_plain_message(standin, client, sa_file):
    sid = standin.create_spreadsheet("slow")
    repo = SheetsRepository(make_client(standin, sa_file, backoff=False, timeout=0.5), sid, backoff=0.01)
    repo.init()
    standin.delay_next(1, 2.0, kind="batchGet")
    with pytest.raises(StoreUnavailableError) as err:
        repo.list("units")
    assert str(err.value).startswith("Google Sheets tidak dapat dihubungi")


def test_a_write_timeout_says_the_change_may_have_landed_and_is_not_resent(standin, client, sa_file):
    sid = standin.create_spreadsheet("slow")
    repo = SheetsRepository(make_client(standin, sa_file, backoff=False, timeout=0.5), sid, backoff=0.01)
    repo.init()
    standin.reset_counts()
    standin.delay_next(1, 1.5, kind="batchUpdate")
    with pytest.raises(StoreUnavailableError) as err:
        repo.apply([Insert("units", unit())], actor="a")
    assert str(err.value).startswith("Google Sheets tidak dapat dihubungi")
    assert "mungkin tetap tersimpan" in str(err.value)
    time.sleep(1.5)  # the delayed request is still applied by the server after the client gave up
    assert standin.count("batchUpdate") == 1 and len(data_rows(standin, sid, "units")) == 1


def test_a_refused_connection_surfaces_as_a_plain_message(tmp_path):
    with SheetsStandIn() as down:
        sa = tmp_path / "sa.json"
        write_service_account_file(sa, down)
        sid = down.create_spreadsheet("x")
        repo = SheetsRepository(make_client(down, sa, backoff=False, timeout=2), sid, backoff=0.01)
        repo.init()
    with pytest.raises(StoreUnavailableError) as err:  # the server is gone
        repo.count("units")
    assert str(err.value).startswith("Google Sheets tidak dapat dihubungi")


def test_retries_are_bounded(standin, sheet):
    repo, _ = sheet
    standin.fail_next(100, 500, kind="batchGet")
    try:
        with pytest.raises(StoreUnavailableError) as err:
            repo.list("units")
    finally:
        standin.clear_faults()
    assert standin.count("batchGet") == repo.retries + 1
    assert "HTTP 500" in str(err.value) and str(err.value).startswith("Google Sheets tidak dapat dihubungi")


def test_a_revoked_service_account_key_gives_a_message_naming_the_secret(tmp_path):
    with SheetsStandIn() as own:
        write_service_account_file(tmp_path / "sa.json", own)
        sid = own.create_spreadsheet("x")
        repo = SheetsRepository(make_client(own, tmp_path / "sa.json", backoff=False), sid, backoff=0.01)
        repo.init()
        own.forget_service_accounts()  # the key was deleted in the Cloud console
        own.revoke_tokens()
        with pytest.raises(StoreUnavailableError) as err:
            repo.count("units")
    assert "gcp_service_account" in str(err.value)


def test_a_sheet_not_shared_with_the_service_account_names_the_account(standin, client):
    sid = standin.create_spreadsheet("private")
    standin.fail_next(1, 403, kind="spreadsheetGet", message="The caller does not have permission")
    with pytest.raises(StoreUnavailableError) as err:
        SheetsRepository(client, sid).init()
    assert "sop-tracker-tests@standin-project.iam.gserviceaccount.com" in str(err.value)
    assert "Bagikan" in str(err.value)


def test_a_stale_save_reports_who_saved_first_like_duckdb(standin, sheet):
    repo, _ = sheet
    repo.apply([Insert("cases", case())], actor="a")
    repo.apply([Update("cases", "C1", {"notes": "pertama"}, 1)], actor="ani")
    with pytest.raises(StaleWriteError) as err:
        repo.apply([Update("cases", "C1", {"notes": "kedua"}, 1)], actor="budi")
    assert err.value.saved_by == "ani" and err.value.changed == {"notes": "pertama"}
    assert err.value.actual == 2


# ---- configuration -------------------------------------------------------------------------------

def test_the_app_opens_the_store_from_secrets_with_a_real_service_account_sign_in(standin, sa_file):
    from data_access.config import load_settings
    from data_access.factory import open_repository

    sid = standin.create_spreadsheet("app")
    info = json.loads(sa_file.read_text())
    info["private_key"] = info["private_key"].replace("\n", "\\n")  # pasted into a TOML literal string
    settings = load_settings(secrets={
        "sop_tracker": {"backend": "sheets", "sheets_key": f"https://docs.google.com/spreadsheets/d/{sid}/edit#gid=0",
                        "sheets_endpoint": standin.url},
        "gcp_service_account": info}, env={})
    standin.reset_counts()
    repo = open_repository(settings)
    assert repo.backend == "sheets" and standin.count("token") == 1
    assert standin.rows(sid, "cases")[0] == columns("cases")
    repo.apply([Insert("units", unit())], actor="a")
    assert repo.get("units", "U1")["name"] == "Biro Umum"


def test_the_environment_names_the_service_account_file_key_and_endpoint(standin, sa_file):
    from data_access.config import load_settings
    from data_access.sheets_store import open_sheets_repository

    sid = standin.create_spreadsheet("env")
    settings = load_settings(secrets={}, env={"SOP_BACKEND": "sheets", "SOP_SHEETS_KEY": sid,
                                              "SOP_SHEETS_ENDPOINT": standin.url,
                                              "SOP_SERVICE_ACCOUNT_FILE": str(sa_file)})
    repo = open_sheets_repository(settings)
    repo.init()
    assert repo.count("units") == 0 and "audit" in [s["title"] for s in standin.spreadsheets[sid]["sheets"]]


@pytest.mark.parametrize("missing, words", [("sheets_key", "sheets_key"), ("service_account", "gcp_service_account")])
def test_missing_sheets_settings_give_a_message_saying_what_to_fill_in(missing, words, sa_file):
    from data_access.config import Settings
    from data_access.sheets_store import open_sheets_repository

    settings = Settings(backend="sheets", sheets_key="abc", service_account=json.loads(sa_file.read_text()))
    setattr(settings, missing, None)
    with pytest.raises(StoreUnavailableError) as err:
        open_sheets_repository(settings)
    assert words in str(err.value) and "README" in str(err.value)


def test_a_damaged_service_account_secret_gives_a_message():
    from data_access.config import Settings
    from data_access.sheets_store import open_sheets_repository

    settings = Settings(backend="sheets", sheets_key="abc",
                        service_account={"type": "service_account", "client_email": "x@y"})
    with pytest.raises(StoreUnavailableError) as err:
        open_sheets_repository(settings)
    assert "gcp_service_account" in str(err.value)


# ---- the UI edge ---------------------------------------------------------------------------------

def test_page_reads_through_the_ui_cache_cost_one_call_cold_and_none_warm(standin, sa_file, tmp_path,
                                                                          monkeypatch):
    import streamlit as st

    from ui import context

    sid = standin.create_spreadsheet("ui")
    for var, value in {"SOP_BACKEND": "sheets", "SOP_SHEETS_KEY": sid, "SOP_SHEETS_ENDPOINT": standin.url,
                       "SOP_SERVICE_ACCOUNT_FILE": str(sa_file), "SOP_DEMO_DATA": "false",
                       "SOP_SECRETS_FILE": str(tmp_path / "none.toml")}.items():
        monkeypatch.setenv(var, value)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        context.repo().apply([Insert("units", unit())], actor="a")
        standin.reset_counts()
        first = context.cached_frames("cases", "units", "step_events")
        again = context.cached_frames("cases", "units", "step_events")
        assert standin.count() == 1 and len(first["units"]) == len(again["units"]) == 1
        context.repo().apply([Insert("units", unit("U2"))], actor="a")
        context.clear_read_caches()  # what every page does after a write
        assert len(context.cached_frames("cases", "units", "step_events")["units"]) == 2
        assert standin.count("batchGet") == 3  # cold read, the save's read, the read after the save
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
