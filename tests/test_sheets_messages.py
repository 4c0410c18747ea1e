"""What the Google Sheets store says when it cannot do its work, on the local stand-in: "cannot
reach", "refused access", "not found", "a header was renamed" and "a cell cannot be read" are told
apart, worded from the text catalogue in Indonesian and English, and only the first invites trying
again. One user action waits for one bounded round of retries, as the README says."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from data_access.repository import Insert, Update
from data_access.schema import columns
from data_access.sheets_store import SheetsRepository
from domain.errors import (
    StoreAccessRefused, StoreLayoutError, StoreNotFoundError, StoreUnavailableError, StoreUnreachable,
    UnreadableCellError,
)
from domain.texts import TEXTS
from tests.contracts.repository import unit
from tests.sheets_standin import make_client

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.timeout(120)
RETRY_WORDS = {"id": "coba lagi", "en": "try again"}


@pytest.fixture(scope="module")
def client(standin, sa_file):
    return make_client(standin, sa_file, backoff=False, timeout=5)


@pytest.fixture
def store(standin, client):
    standin.clear_faults()
    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(client, sid, backoff=0.01)
    repo.init()
    standin.reset_counts()
    return repo, sid


def caught(fn) -> StoreUnavailableError:
    with pytest.raises(StoreUnavailableError) as err:
        fn()
    return err.value


def assert_worded(error: StoreUnavailableError, *, retry: bool, words: tuple[str, ...] = ()) -> None:
    """Keyed, worded in both languages, naming what it must, inviting a retry only if ``retry``."""
    assert error.keyed and error.key in TEXTS
    assert error.retry is retry
    for lang, invite in RETRY_WORDS.items():
        text = error.text(lang)
        assert (invite in text) is retry, (lang, text)
        for word in words:
            assert word in text, (lang, text)
    assert error.text("id") != error.text("en")
    assert error.message == error.text("id")  # what logs and the command-line tools print


def test_an_unreachable_sheet_says_so_and_invites_trying_again(standin, store):
    repo, _ = store
    standin.fail_next(50, 503, kind="batchGet")
    error = caught(lambda: repo.list("units"))
    assert isinstance(error, StoreUnreachable)
    assert_worded(error, retry=True, words=("Google Sheets", "503"))
    assert error.text("id").startswith("Google Sheets tidak dapat dihubungi")
    assert error.text("en").startswith("Google Sheets cannot be reached")


def test_a_sheet_not_shared_is_refused_access_naming_the_account_and_no_retry_is_offered(standin, client):
    sid = standin.create_spreadsheet("private")
    standin.fail_next(1, 403, kind="spreadsheetGet")
    error = caught(lambda: SheetsRepository(client, sid).init())
    assert isinstance(error, StoreAccessRefused)
    assert_worded(error, retry=False, words=("sop-tracker-tests@standin-project.iam.gserviceaccount.com", sid))


def test_a_wrong_spreadsheet_key_is_not_found_and_no_retry_is_offered(standin, client):
    error = caught(lambda: SheetsRepository(client, "no-such-spreadsheet").init())
    assert isinstance(error, StoreNotFoundError)
    assert_worded(error, retry=False, words=("no-such-spreadsheet", "sheets_key"))


def test_a_renamed_header_names_the_column_and_no_retry_is_offered(standin, store):
    repo, sid = store
    with standin.lock:
        standin.sheet(sid, "units")["rows"][0][2] = "nama_unit"
    error = caught(lambda: repo.list("units"))
    assert isinstance(error, StoreLayoutError)
    assert_worded(error, retry=False, words=("'name'", "'nama_unit'"))


def test_a_version_cell_that_cannot_be_read_stops_that_save_naming_the_cell_and_changes_nothing(standin, store):
    repo, sid = store
    repo.apply([Insert("units", unit())], actor="a")
    with standin.lock:
        standin.sheet(sid, "units")["rows"][1][columns("units").index("version")] = "satu"
    before = standin.rows(sid, "units")
    error = caught(lambda: repo.apply([Update("units", "U1", {"name": "Baru"}, 1)], actor="a"))
    assert isinstance(error, UnreadableCellError)
    assert_worded(error, retry=False, words=("units", "2", "'version'", "satu"))
    assert standin.rows(sid, "units") == before


def test_the_stores_messages_live_in_the_text_catalogue_not_in_the_store():
    """No Indonesian sentence is written in data_access/sheets_store.py: errors carry a key."""
    tree = ast.parse((ROOT / "data_access" / "sheets_store.py").read_text())
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    words = re.compile(r"\b(tidak|Lembar|Periksa|baris|kolom|Bagikan|dihubungi|sudah ada|diisi)\b")
    inline = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
              and id(n) not in docstrings and words.search(n.value)]
    assert inline == []


# ---- one round of retries per user action ----------------------------------------------------------

def test_a_user_action_waits_for_one_bounded_round_of_retries_then_calls_no_more(standin, client):
    waited: list[float] = []
    sid = standin.create_spreadsheet("outage")
    repo = SheetsRepository(client, sid, sleep=waited.append)  # the defaults, as the app runs
    repo.init()
    standin.reset_counts()
    standin.fail_next(10_000, 503)
    try:
        repo.begin_action()
        caught(lambda: repo.frames(["accounts", "cases"]))
        assert standin.count("batchGet") == repo.retries + 1
        assert len(waited) == repo.retries and sum(waited) <= repo.max_retry_wait()
        assert all(w >= repo.backoff * 2 ** i for i, w in enumerate(waited))
        # The rest of the action (a refusal audited, another read) does not try again.
        calls, waits = standin.count(), len(waited)
        assert isinstance(caught(lambda: repo.apply([Insert("units", unit())], actor="a")), StoreUnreachable)
        assert isinstance(caught(lambda: repo.list("units")), StoreUnreachable)
        assert standin.count() == calls and len(waited) == waits
        # The next action tries again.
        repo.begin_action()
        caught(lambda: repo.list("units"))
        assert standin.count("batchGet") == 2 * (repo.retries + 1)
    finally:
        standin.clear_faults()


def test_retry_after_cannot_stretch_an_actions_wait_beyond_its_budget(standin, client):
    waited: list[float] = []
    sid = standin.create_spreadsheet("busy")
    repo = SheetsRepository(client, sid, sleep=waited.append, retry_seconds=20.0)
    repo.init()
    standin.fail_next(10_000, 429, headers={"Retry-After": "120"})
    try:
        repo.begin_action()
        caught(lambda: repo.list("units"))
    finally:
        standin.clear_faults()
    assert sum(waited) <= 20.0 and max(waited) <= repo.max_backoff * 1.25


def test_the_readme_states_the_wait_the_code_allows(client):
    readme = (ROOT / "README.md").read_text()
    repo = SheetsRepository(client, "any")  # the defaults, as the app runs without sheets_* settings
    assert (repo.retries, repo.backoff, repo.max_backoff, repo.retry_seconds) == (4, 1.0, 8.0, 20.0)
    assert f"{repo.max_retry_wait():g} s" in readme  # 18.75 s
    assert "4 retries" in readme and "1, 2, 4 and 8 s" in readme and "20 s" in readme


def test_a_failing_write_shares_the_actions_budget_and_lands_once_when_google_recovers(standin, store):
    repo, sid = store
    standin.fail_next(2, 503, kind="batchUpdate")
    repo.begin_action()
    repo.apply([Insert("units", unit())], actor="a")
    assert len(standin.rows(sid, "units")) == 2 and standin.count("batchUpdate") == 3
