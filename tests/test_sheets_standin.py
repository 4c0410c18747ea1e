"""The Sheets stand-in behaves like the parts of Google Sheets v4 that gspread 6 uses.

Every test drives a REAL gspread client over HTTP (google-auth service-account
sign-in -> requests -> gspread) against tests/sheets_standin.py.
"""

from __future__ import annotations

import threading
import time
import types

import gspread
import pytest
import requests
from google.auth.exceptions import RefreshError
from gspread.utils import ValueInputOption, ValueRenderOption

from data_access.sheets_http import make_http_client_class, rewrite_google_url
from tests.sheets_standin import (
    col_to_letters,
    letters_to_col,
    make_client,
    parse_a1,
    sheet_ref,
    write_service_account_file,
)

pytestmark = pytest.mark.timeout(30)


@pytest.fixture(scope="module")
def gc(standin, sa_file):
    """Client without back-off: errors surface immediately."""
    return make_client(standin, sa_file, backoff=False, timeout=5)


@pytest.fixture
def sid(standin):
    standin.clear_faults()
    standin.reset_counts()
    return standin.create_spreadsheet("SOP Tracker")


# --------------------------------------------------------------------------- sign-in

def test_a_service_account_signs_in_through_the_token_endpoint_and_uses_the_bearer_token(
        standin, sa_file):
    standin.reset_counts()
    sid = standin.create_spreadsheet("Sign-in")
    client = make_client(standin, sa_file, backoff=False)

    client.open_by_key(sid)

    assert standin.count("token") == 1
    token_request = standin.requests_of("token")[0]
    assert token_request.body["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert standin.count("spreadsheetGet") == 1
    assert standin.errors == []


def test_a_request_without_a_valid_bearer_token_is_refused_with_googles_401_shape(standin, sid):
    url = f"{standin.url}/v4/spreadsheets/{sid}"

    bad = requests.get(url, headers={"Authorization": "Bearer ya29.not-a-real-token"}, timeout=5)
    missing = requests.get(url, timeout=5)

    for response in (bad, missing):
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["code"] == 401
        assert error["status"] == "UNAUTHENTICATED"
        assert "authentication credential" in error["message"]


def test_a_token_with_only_readonly_scope_cannot_write(standin, sid):
    token = standin.issue_token(scopes=["https://www.googleapis.com/auth/spreadsheets.readonly"])
    headers = {"Authorization": f"Bearer {token}"}
    base = f"{standin.url}/v4/spreadsheets/{sid}"

    assert requests.get(base, headers=headers, timeout=5).status_code == 200
    write = requests.put(f"{base}/values/A1", params={"valueInputOption": "RAW"},
                         json={"values": [["x"]]}, headers=headers, timeout=5)

    assert write.status_code == 403
    assert write.json()["error"]["status"] == "PERMISSION_DENIED"


def test_a_service_account_key_the_stand_in_does_not_know_cannot_sign_in(standin, tmp_path, sid):
    path = tmp_path / "stranger.json"
    write_service_account_file(path, standin, client_email="stranger@x.iam.gserviceaccount.com",
                               register=False)
    client = make_client(standin, path, backoff=False)

    with pytest.raises(RefreshError):
        client.open_by_key(sid)


def test_revoked_tokens_make_google_auth_sign_in_again_transparently(standin, sa_file, sid):
    client = make_client(standin, sa_file, backoff=False)
    client.open_by_key(sid)
    before = standin.count("token")

    standin.revoke_tokens()
    client.open_by_key(sid)

    assert standin.count("token") == before + 1


# --------------------------------------------------------------------------- spreadsheets

def test_open_by_key_reads_title_and_worksheets_from_one_spreadsheet_get(standin, gc, sid):
    sh = gc.open_by_key(sid)

    assert sh.title == "SOP Tracker"
    assert standin.count("spreadsheetGet") == 1
    assert standin.count("drive") == 0
    ws = sh.sheet1
    assert (ws.title, ws.id, ws.row_count, ws.col_count) == ("Sheet1", 0, 1000, 26)


def test_an_unknown_spreadsheet_key_raises_spreadsheet_not_found(gc):
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        gc.open_by_key("does-not-exist")


def test_add_worksheet_creates_a_sheet_with_the_requested_grid(standin, gc, sid):
    sh = gc.open_by_key(sid)

    ws = sh.add_worksheet("Audit log", rows=20, cols=4)

    assert [w.title for w in sh.worksheets()] == ["Sheet1", "Audit log"]
    assert (ws.row_count, ws.col_count, ws.index) == (20, 4, 1)
    assert standin.sheet(sid, "Audit log")["sheetId"] == ws.id
    with pytest.raises(gspread.exceptions.APIError, match="already exists"):
        sh.add_worksheet("audit LOG", rows=1, cols=1)


def test_open_by_title_and_last_update_time_use_the_minimal_drive_endpoints(standin, gc):
    sid = standin.create_spreadsheet("Uniquely titled register")
    assert gc.open("Uniquely titled register").id == sid
    assert gc.open_by_key(sid).get_lastUpdateTime().endswith("Z")
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        gc.open("No such spreadsheet")


# --------------------------------------------------------------------------- values

def test_append_rows_with_raw_keeps_a_formula_looking_string_as_plain_text(standin, gc, sid):
    ws = gc.open_by_key(sid).sheet1
    standin.formula_log.clear()

    ws.append_rows([["=1+1", "+2", "@x", "-3"]], value_input_option=ValueInputOption.raw)

    assert ws.get_all_values() == [["=1+1", "+2", "@x", "-3"]]
    assert standin.formula_cells(sid) == set()
    assert standin.formula_log == []
    assert standin.requests_of("append")[0].query["valueInputOption"] == ["RAW"]


def test_append_rows_with_user_entered_records_a_formula_and_converts_numbers(standin, gc, sid):
    ws = gc.open_by_key(sid).sheet1
    standin.formula_log.clear()

    ws.append_rows([["=1+1", "007", "TRUE", "2024-03-01", "hello"]],
                   value_input_option=ValueInputOption.user_entered)

    assert standin.formula_cells(sid) == {(sid, "Sheet1", "A1")}
    assert [entry[2:] for entry in standin.formula_log] == [("A1", "=1+1")]
    assert ws.get("A1:E1", value_render_option=ValueRenderOption.unformatted)[0] == [
        "=1+1", 7, True, 45352, "hello"]
    assert ws.row_values(1) == ["=1+1", "7", "TRUE", "2024-03-01", "hello"]


def test_append_goes_after_the_table_and_insert_rows_pushes_data_down(standin, gc, sid):
    ws = gc.open_by_key(sid).sheet1
    ws.update([["id", "name"], ["1", "a"]], "A1")

    overwrite = ws.append_rows([["2", "b"]])
    inserted = ws.append_rows([["3", "c"]], insert_data_option="INSERT_ROWS")

    assert overwrite["tableRange"] == "Sheet1!A1:B2"
    assert overwrite["updates"]["updatedRange"] == "Sheet1!A3:B3"
    assert inserted["updates"]["updatedRange"] == "Sheet1!A4:B4"
    assert standin.sheet(sid, "Sheet1")["rowCount"] == 1001
    assert ws.get_all_values() == [["id", "name"], ["1", "a"], ["2", "b"], ["3", "c"]]


def test_batch_get_of_two_ranges_is_one_http_request(standin, gc, sid):
    ws = gc.open_by_key(sid).sheet1
    ws.update([["a", "b"], ["c", "d"], ["e", "f"]], "A1")
    standin.reset_counts()

    first, second = ws.batch_get(["A1:A2", "B2:B3"])

    assert standin.count() == 1
    assert standin.count("batchGet") == 1
    assert standin.requests_of("batchGet")[0].query["ranges"] == ["'Sheet1'!A1:A2", "'Sheet1'!B2:B3"]
    assert (first.range, list(first)) == ("Sheet1!A1:A2", [["a"], ["c"]])
    assert (second.range, list(second)) == ("Sheet1!B2:B3", [["d"], ["f"]])


def test_update_of_a_range_writes_inside_it_and_refuses_to_spill_out(standin, gc, sid):
    ws = gc.open_by_key(sid).sheet1

    result = ws.update([["x", 1], ["y", 2]], "B2:C3")

    assert result["updatedRange"] == "Sheet1!B2:C3"
    assert (result["updatedRows"], result["updatedColumns"], result["updatedCells"]) == (2, 2, 4)
    assert standin.rows(sid, "Sheet1") == [[], ["", "x", 1], ["", "y", 2]]
    with pytest.raises(gspread.exceptions.APIError, match="tried writing to row"):
        ws.update([["1"], ["2"], ["3"]], "A1:A2")
    with pytest.raises(gspread.exceptions.APIError, match="exceeds grid limits"):
        ws.update([["late"]], "A1001")


def test_values_round_trip_unicode_emoji_and_numbers(standin, gc, sid):
    ws = gc.open_by_key(sid).sheet1
    rows = [["Crème brûlée ✓", "日本語", "emoji 🧪🚀"], [3, 2.5, -0.125], [True, "0042", ""]]

    ws.update(rows, "A1")

    assert ws.get("A1:C3", value_render_option=ValueRenderOption.unformatted) == [
        ["Crème brûlée ✓", "日本語", "emoji 🧪🚀"], [3, 2.5, -0.125], [True, "0042"]]
    assert ws.get_all_values() == [
        ["Crème brûlée ✓", "日本語", "emoji 🧪🚀"], ["3", "2.5", "-0.125"], ["TRUE", "0042", ""]]


def test_trailing_empty_cells_and_rows_are_trimmed_like_google(standin, gc, sid):
    ws = gc.open_by_key(sid).sheet1
    ws.update([["", "b", ""], ["", "", ""], ["c", "", ""]], "A2")

    response = gc.open_by_key(sid).values_get("Sheet1!A1:D10")
    empty = gc.open_by_key(sid).values_get("Sheet1!F1:G2")

    assert response["range"] == "Sheet1!A1:D10"
    assert response["values"] == [[], ["", "b"], [], ["c"]]
    assert "values" not in empty


def test_quoted_sheet_names_with_spaces_and_apostrophes_parse(standin, gc, sid):
    sh = gc.open_by_key(sid)
    ws = sh.add_worksheet("Bob's 'QA' log", rows=5, cols=3)

    ws.update([["ok"]], "B2")
    raw = sh.values_get("'Bob''s ''QA'' log'!A1:C3")

    assert standin.rows(sid, "Bob's 'QA' log") == [[], ["", "ok"]]
    assert raw["range"] == "'Bob''s ''QA'' log'!A1:C3"
    assert raw["values"] == [[], ["", "ok"]]


def test_an_unknown_sheet_is_a_400_unable_to_parse_range(standin, gc, sid):
    sh = gc.open_by_key(sid)

    with pytest.raises(gspread.exceptions.APIError) as info:
        sh.values_get("Nope!A1:B2")

    assert info.value.code == 400
    assert info.value.error == {"code": 400, "message": "Unable to parse range: Nope!A1:B2",
                                "status": "INVALID_ARGUMENT"}


def test_clear_and_batch_clear_empty_the_cells_and_forget_formulas(standin, gc, sid):
    ws = gc.open_by_key(sid).sheet1
    ws.update([["=A2", "b"], ["c", "d"]], "A1", value_input_option=ValueInputOption.user_entered)

    ws.batch_clear(["A1", "B2"])
    assert standin.rows(sid, "Sheet1") == [["", "b"], ["c"]]
    assert standin.formula_cells(sid) == set()
    assert standin.formula_log  # history is kept on purpose

    ws.clear()
    assert standin.rows(sid, "Sheet1") == []


def test_rows_can_be_inserted_deleted_and_the_grid_resized(standin, gc, sid):
    ws = gc.open_by_key(sid).sheet1
    ws.update([["1"], ["2"], ["3"]], "A1")

    ws.insert_rows([["1.5"]], row=2)
    ws.delete_rows(1)
    ws.resize(rows=2, cols=2)

    assert standin.rows(sid, "Sheet1") == [["1.5"], ["2"]]
    sheet = standin.sheet(sid, "Sheet1")
    assert (sheet["rowCount"], sheet["columnCount"]) == (2, 2)


def test_spreadsheet_batch_update_cells_requests_and_atomicity(standin, gc, sid):
    sh = gc.open_by_key(sid)
    cell = lambda **v: {"userEnteredValue": v}  # noqa: E731
    sh.batch_update({"requests": [
        {"updateCells": {"start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                         "rows": [{"values": [cell(stringValue="=not a formula"), cell(numberValue=2)]}],
                         "fields": "userEnteredValue"}},
        {"appendCells": {"sheetId": 0, "rows": [{"values": [cell(boolValue=False)]}],
                         "fields": "userEnteredValue"}},
        {"appendDimension": {"sheetId": 0, "dimension": "COLUMNS", "length": 2}},
    ]})
    assert standin.rows(sid, "Sheet1") == [["=not a formula", 2], [False]]
    assert standin.formula_cells(sid) == set()
    assert standin.sheet(sid, "Sheet1")["columnCount"] == 28

    with pytest.raises(gspread.exceptions.APIError, match="No grid with id"):
        sh.batch_update({"requests": [
            {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 5}},
            {"deleteSheet": {"sheetId": 12345}},
        ]})
    assert standin.sheet(sid, "Sheet1")["rowCount"] == 1000  # first request rolled back


def test_concurrent_appends_from_several_threads_all_land_exactly_once(standin, gc, sid):
    ws = gc.open_by_key(sid).sheet1
    errors = []

    def worker(n):
        try:
            ws.append_rows([[f"row {n}"]])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)

    assert errors == []
    assert sorted(r[0] for r in standin.rows(sid, "Sheet1")) == [f"row {n}" for n in range(8)]


# --------------------------------------------------------------------------- faults

def test_an_injected_429_is_retried_by_gspreads_backoff_client(standin, sa_file, sid, monkeypatch):
    sleeps = []
    monkeypatch.setattr(gspread.http_client, "time", types.SimpleNamespace(sleep=sleeps.append))
    client = make_client(standin, sa_file, backoff=True)
    assert isinstance(client.http_client, gspread.http_client.BackOffHTTPClient)
    ws = client.open_by_key(sid).sheet1
    standin.fail_next(1, status=429, kind="append")

    ws.append_rows([["after retry"]])

    assert standin.count("append") == 2
    assert sleeps == [2]
    assert standin.rows(sid, "Sheet1") == [["after retry"]]


def test_a_500_surfaces_as_api_error_when_retries_are_off(standin, gc, sid):
    ws = gc.open_by_key(sid).sheet1
    standin.fail_next(1, status=500, method="GET", path="/values/")

    with pytest.raises(gspread.exceptions.APIError) as info:
        ws.get_all_values()

    assert info.value.code == 500
    assert info.value.error["status"] == "INTERNAL"
    assert ws.get_all_values() == [[]]  # the fault was used up (gspread's "no values" shape)
    assert standin.faults == []


def test_a_delay_holds_the_reply_and_a_timed_out_write_still_lands(standin, gc, sa_file, sid):
    ws = gc.open_by_key(sid).sheet1
    standin.delay_next(1, 0.3, kind="get")
    started = time.monotonic()
    ws.get_all_values()
    assert time.monotonic() - started >= 0.3

    impatient = make_client(standin, sa_file, backoff=False, timeout=0.1)
    ws2 = impatient.open_by_key(sid).sheet1
    standin.delay_next(1, 0.4, kind="update")
    with pytest.raises(requests.exceptions.ReadTimeout):
        ws2.update([["late"]], "A1")
    deadline = time.monotonic() + 3
    while standin.rows(sid, "Sheet1") != [["late"]] and time.monotonic() < deadline:
        time.sleep(0.02)
    assert standin.rows(sid, "Sheet1") == [["late"]]


def test_a_dropped_connection_raises_connection_error_with_or_without_the_write(standin, gc, sid):
    ws = gc.open_by_key(sid).sheet1

    standin.drop_next(1, kind="append")
    with pytest.raises(requests.exceptions.ConnectionError):
        ws.append_rows([["lost"]])
    assert standin.rows(sid, "Sheet1") == []

    standin.drop_next(1, kind="append", apply_first=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        ws.append_rows([["applied, reply lost"]])
    assert standin.rows(sid, "Sheet1") == [["applied, reply lost"]]


# --------------------------------------------------------------------------- units

@pytest.mark.parametrize("text, expected", [
    ("Sheet1", ("Sheet1", 0, 0, None, None)),
    ("Sheet1!A1:C10", ("Sheet1", 0, 0, 9, 2)),
    ("Sheet1!A:C", ("Sheet1", 0, 0, None, 2)),
    ("Sheet1!2:5", ("Sheet1", 1, 0, 4, None)),
    ("Sheet1!B2:D", ("Sheet1", 1, 1, None, 3)),
    ("Sheet1!C3:A1", ("Sheet1", 0, 0, 2, 2)),
    ("'My ''sheet'''!A1", ("My 'sheet'", 0, 0, 0, 0)),
    ("'With space'", ("With space", 0, 0, None, None)),
    ("A1:B2", (None, 0, 0, 1, 1)),
    ("Data", ("Data", 0, 0, None, None)),
])
def test_a1_ranges_parse_into_zero_based_inclusive_bounds(text, expected):
    assert parse_a1(text).as_tuple() == expected


@pytest.mark.parametrize("bad", ["", "'unterminated", "Sheet1!", "Sheet1!A0", "Sheet1!A", "'x'y"])
def test_malformed_a1_ranges_are_rejected(bad):
    with pytest.raises(ValueError):
        parse_a1(bad)


def test_column_letters_and_sheet_references_round_trip():
    assert [col_to_letters(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert all(letters_to_col(col_to_letters(i)) == i for i in range(0, 2000, 37))
    assert sheet_ref("Sheet1") == "Sheet1"
    assert sheet_ref("A1") == "'A1'"
    assert sheet_ref("Bob's log") == "'Bob''s log'"


def test_the_endpoint_override_rewrites_google_origins_only():
    base = "http://127.0.0.1:9"
    assert rewrite_google_url("https://sheets.googleapis.com/v4/spreadsheets/x", base) == \
        base + "/v4/spreadsheets/x"
    assert rewrite_google_url("https://www.googleapis.com/drive/v3/files", base) == \
        base + "/drive/v3/files"
    assert rewrite_google_url(base + "/v4/spreadsheets/x", base) == base + "/v4/spreadsheets/x"
    assert make_http_client_class(None, backoff=False) is gspread.http_client.HTTPClient
    assert make_http_client_class(base + "/") is make_http_client_class(base)
    with pytest.raises(ValueError):
        make_http_client_class("127.0.0.1:9")
