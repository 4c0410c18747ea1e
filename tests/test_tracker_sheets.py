"""The tracker on Google Sheets (gspread over HTTP to the local stand-in) behaves as on DuckDB:
steps move, a stale save is refused naming who saved first, and the case list equals DuckDB's and is
read in one batch."""
from __future__ import annotations

import datetime as dt

import pytest

from data_access.sheets_store import SheetsRepository
from domain import tracker as trk
from domain.errors import StaleWriteError
from domain.models import DONE, RUNNING
from tests.apptest_helpers import ACTORS
from tests.sheets_standin import SheetsStandIn, make_client, write_service_account_file
from tests.tracker_world import CAL, MONDAY, open_at, populate, populated

pytestmark = pytest.mark.timeout(180)
HOUR = dt.timedelta(hours=1)


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    with SheetsStandIn() as standin:
        sa = tmp_path_factory.mktemp("sa") / "service_account.json"
        write_service_account_file(sa, standin)
        client = make_client(standin, sa, backoff=False, timeout=10)
        repo = SheetsRepository(client, standin.create_spreadsheet("SOP Tracker"), backoff=0.01)
        repo.init()
        populate(repo)
        yield repo, standin


def test_steps_move_and_a_stale_save_is_refused_on_sheets(sheets):
    repo, _ = sheets
    case = open_at(repo)
    read = trk.load_case(repo, case["id"], CAL.minutes_per_day).version
    trk.finish_step(repo, ACTORS["kasubbag"], CAL, case["id"], "1.a", expected_version=read, at=MONDAY + HOUR)
    with pytest.raises(StaleWriteError) as stale:
        trk.finish_step(repo, ACTORS["staf1"], CAL, case["id"], "1.a", expected_version=read, at=MONDAY + 2 * HOUR)
    assert stale.value.saved_by == "kasubbag"
    view = trk.load_case(repo, case["id"], CAL.minutes_per_day)
    assert view.events["1.a"]["status"] == DONE and view.events["1.a"]["finished_at"] == MONDAY + HOUR
    assert view.events["1.b"]["status"] == RUNNING and view.case["current_step"] == "1.b"


def test_the_case_list_on_sheets_equals_duckdbs_and_is_one_batch_read(sheets, duckdb_repo):
    repo, standin = sheets
    with populated(duckdb_repo) as duck:
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
    a = on_sheets[on_sheets["title"].isin(["SOP A", "SOP B"])].sort_values("title")[cols].reset_index(drop=True)
    b = on_duck.sort_values("title")[cols].reset_index(drop=True)
    assert a.equals(b)
