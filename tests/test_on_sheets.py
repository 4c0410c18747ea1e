"""Every contract suite on Google Sheets: a real gspread client speaking HTTP to the local stand-in
of the Sheets v4 API, a new spreadsheet per test. Then what only a comparison of the backends shows:
the same list, evaluation and accounts as DuckDB gives, each read in one batch call."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from data_access.demo_accounts import load_demo_accounts
from data_access.repository import Insert
from data_access.sheets_store import SheetsRepository
from domain import tracker as trk
from domain.accounts import authenticate
from data_access.evaluation_data import evaluation_for_year
from domain.evaluation import save_conclusions
from reports.evaluation import build_executor_pdf
from tests.apptest_helpers import ACTORS
from tests.contracts.accounts import AccountsContract
from tests.contracts.calendar import CalendarContract
from tests.contracts.register import RegisterContract
from tests.contracts.complaints import ComplaintsContract
from tests.contracts.evaluation import EvaluationContract
from tests.contracts.repository import RepositoryContract
from tests.contracts.sessions import SessionsContract
from tests.contracts.tracker import TrackerContract
from tests.evaluation_world import CAL as EV_CAL
from tests.evaluation_world import NOW as EV_NOW
from tests.evaluation_world import build_store, fill
from tests.tracker_world import CAL, MONDAY, open_at, populated

pytestmark = pytest.mark.timeout(180)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def sheets_repo(standin, sheets_client):
    """An empty, initialised store in a new spreadsheet of the module's stand-in."""
    standin.clear_faults()
    repo = SheetsRepository(sheets_client, standin.create_spreadsheet("SOP Tracker"), backoff=0.01)
    repo.init()
    standin.reset_counts()
    return repo


class OnSheets:
    @pytest.fixture
    def repo(self, sheets_repo):
        return sheets_repo


class TestRepositoryOnSheets(OnSheets, RepositoryContract):
    pass


class TestComplaintsOnSheets(OnSheets, ComplaintsContract):
    concurrency = 4


class TestTrackerOnSheets(OnSheets, TrackerContract):
    pass


class TestCalendarOnSheets(OnSheets, CalendarContract):
    pass


class TestRegisterOnSheets(OnSheets, RegisterContract):
    pass


class TestSessionsOnSheets(OnSheets, SessionsContract):
    @pytest.fixture
    def twin(self, repo, standin, sa_file):
        """Another process on the same spreadsheet: its own client."""
        from tests.sheets_standin import make_client

        other = SheetsRepository(make_client(standin, sa_file, backoff=False, timeout=5), repo.key, backoff=0.01)
        other.init()
        return other


class TestAccountsOnSheets(OnSheets, AccountsContract):
    pass


class TestEvaluationOnSheets(OnSheets, EvaluationContract):
    pass


# ---- the same answers as DuckDB, in one read --------------------------------------------------------

def test_the_case_list_on_sheets_equals_duckdbs_and_is_one_batch_read(sheets_repo, standin, duckdb_repo):
    with populated(sheets_repo) as repo, populated(duckdb_repo) as duck:
        for store in (repo, duck):
            for title, track in (("SOP A", "intern"), ("SOP B", "permen")):
                c = open_at(store, title=title, track=track)
                if track == "permen":
                    trk.finish_step(store, ACTORS["staf1"], CAL, c["id"], "1.a", expected_version=c["version"],
                                    at=MONDAY + HOUR)
        now = MONDAY + dt.timedelta(days=1)
        standin.reset_counts()
        on_sheets = trk.load_summary(repo, CAL, now)
        assert standin.count() == standin.count("batchGet") == 1
        on_duck = trk.load_summary(duck, CAL, now)
    cols = ["title", "status", "current_step", "stage", "planned_finish", "forecast_finish", "late", "late_days",
            "clock_with", "units", "org", "pic"]
    a = on_sheets.sort_values("title")[cols].reset_index(drop=True)
    b = on_duck.sort_values("title")[cols].reset_index(drop=True)
    assert a.equals(b)


def test_the_evaluation_on_sheets_equals_duckdbs_and_reads_in_one_batch(sheets_repo, standin, tmp_path):
    fill(sheets_repo)
    duck = build_store(tmp_path / "store.duckdb")
    standin.reset_counts()
    on_sheets = evaluation_for_year(sheets_repo, 2026, EV_CAL, EV_NOW)
    assert standin.count() == standin.count("batchGet") == 1  # the tables and the Karo's records in one
    assert on_sheets == evaluation_for_year(duck, 2026, EV_CAL, EV_NOW)
    duck.close()
    save_conclusions(sheets_repo, ACTORS["karo"], 2026, "Baik", "Pelatihan", expected_version=0)
    ev = evaluation_for_year(sheets_repo, 2026, EV_CAL, EV_NOW)
    assert (ev.conclusions.text, ev.conclusions.version) == ("Baik", 1)
    text = PdfReader(io.BytesIO(build_executor_pdf(ev, "EX-2"))).pages[0].extract_text()
    assert "Σοφία Юлия Đặng" in text and "Halaman 1 dari 1" in text


def test_a_demo_account_signs_in_on_sheets_and_its_hash_is_kept_verbatim(sheets_repo, monkeypatch):
    sheets_repo.apply([Insert("organisations", {"id": "ORG-SETMEN", "name": "Sekretariat Kementerian",
                                                "active": True}),
                       Insert("units", {"id": "UNIT-SETMEN-2", "org_id": "ORG-SETMEN", "name": "Biro Umum",
                                        "active": True})], actor="uji")
    monkeypatch.setenv("SOP_DEMO_PASSWORD", "Uji-Demo-2026!")
    load_demo_accounts(sheets_repo)
    at = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
    result = authenticate(sheets_repo, "unit1", "Uji-Demo-2026!", at=at)
    assert result.actor.unit_id == "UNIT-SETMEN-2" and result.actor.roles == {"Unit"}
    stored = sheets_repo.get("accounts", "acc-unit1")
    assert stored["password_hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert stored["last_login_at"] == at and stored["roles"] == ["Unit"]
