"""The evaluation on Google Sheets (gspread over HTTP to the local stand-in) equals the evaluation
the DuckDB store gives from the same records, read in one batch, and prints the same PDF text."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from data_access.repository import prepare_insert
from data_access.sheets_store import SheetsRepository
from domain.evaluation import evaluation_for_year, save_conclusions
from reports.evaluation import build_executor_pdf
from tests.apptest_helpers import ACTORS
from tests.sheets_standin import SheetsStandIn, make_client, write_service_account_file
from tests.test_evaluation import ACCOUNTS, ACTIONS, CAL, CASES, COMPLAINTS, EXECUTORS, HOLDS, NOW, STEP_EVENTS, \
    build_store

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def sheets_repo(tmp_path_factory):
    with SheetsStandIn() as standin:
        sa = tmp_path_factory.mktemp("sa") / "service_account.json"
        write_service_account_file(sa, standin)
        client = make_client(standin, sa, backoff=False, timeout=10)
        repo = SheetsRepository(client, standin.create_spreadsheet("SOP Tracker"), backoff=0.01)
        repo.init()
        at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        tables = {"units": [{"id": "U1", "org_id": "O1", "name": "Biro Umum", "active": True}],
                  "executors": EXECUTORS, "cases": CASES, "step_events": STEP_EVENTS, "holds": HOLDS,
                  "complaints": COMPLAINTS, "complaint_actions": ACTIONS, "accounts": ACCOUNTS}
        for table, rows in tables.items():
            repo.import_rows(table, [prepare_insert(table, dict(r), "fixture", at) for r in rows])
        yield repo, standin


def test_the_sheets_evaluation_equals_the_duckdb_one_and_reads_in_one_batch(sheets_repo, tmp_path):
    repo, standin = sheets_repo
    duck = build_store(tmp_path / "store.duckdb")
    standin.reset_counts()
    on_sheets = evaluation_for_year(repo, 2026, CAL, NOW)
    assert standin.count() == standin.count("batchGet") == 2  # the tables in one, the conclusions
    assert on_sheets == evaluation_for_year(duck, 2026, CAL, NOW)
    duck.close()


def test_conclusions_saved_on_sheets_reach_the_executor_sheet(sheets_repo):
    repo, _ = sheets_repo
    save_conclusions(repo, ACTORS["karo"], 2026, "Baik", "Pelatihan", expected_version=0)
    ev = evaluation_for_year(repo, 2026, CAL, NOW)
    assert (ev.conclusions.text, ev.conclusions.version) == ("Baik", 1)
    text = PdfReader(io.BytesIO(build_executor_pdf(ev, "EX-2"))).pages[0].extract_text()
    assert "Σοφία Юлия Đặng" in text and "Halaman 1 dari 1" in text
