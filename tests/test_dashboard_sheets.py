"""The dashboard on Google Sheets (gspread over HTTP to the local stand-in): the tables are read in
ONE batchGet and the figures equal those the DuckDB store computes from the same records."""
from __future__ import annotations

import datetime as dt

import pytest

from data_access import analytics
from data_access.repository import prepare_insert
from data_access.sheets_store import SheetsRepository
from tests.sheets_standin import SheetsStandIn, make_client, write_service_account_file
from tests.test_dashboard import CAL, NOW, RECORDS
from tests.test_dashboard_parity import assert_same

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def sheets_repo(tmp_path_factory):
    with SheetsStandIn() as standin:
        sa = tmp_path_factory.mktemp("sa") / "service_account.json"
        write_service_account_file(sa, standin)
        client = make_client(standin, sa, backoff=False, timeout=10)
        repo = SheetsRepository(client, standin.create_spreadsheet("SOP Tracker"), backoff=0.01)
        repo.init()
        at = dt.datetime(2026, 3, 11, tzinfo=dt.UTC)
        for table, rows in RECORDS.items():
            repo.import_rows(table, [prepare_insert(table, r, "uji", at) for r in rows])
        yield repo, standin


@pytest.mark.parametrize("year,org", [(2026, None), (2025, None), (2026, "ORG-A")])
def test_the_sheets_dashboard_reads_once_and_equals_the_duckdb_figures(sheets_repo, duckdb_repo, year, org):
    repo, standin = sheets_repo
    at = dt.datetime(2026, 3, 11, tzinfo=dt.UTC)
    for table, rows in RECORDS.items():
        duckdb_repo.import_rows(table, [prepare_insert(table, r, "uji", at) for r in rows])
    standin.reset_counts()
    on_sheets = analytics.dashboard(repo, year, CAL, NOW, org)
    assert standin.count() == 1 and standin.count("batchGet") == 1
    assert_same(on_sheets, analytics.dashboard(duckdb_repo, year, CAL, NOW, org))
    if (year, org) == (2026, None):
        assert on_sheets.headline.cases_open == 4 and len(on_sheets.units) == 4
