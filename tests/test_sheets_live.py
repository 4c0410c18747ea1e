"""Opt-in: the Sheets store against a real Google spreadsheet.

Runs only when both are set (skipped otherwise, and the skip says why):
  SOP_LIVE_SHEETS_KEY        key or URL of a spreadsheet shared with the service account as Editor
  SOP_SERVICE_ACCOUNT_FILE   the service account's JSON key file
Optional: SOP_SHEETS_ENDPOINT (a proxy), SOP_LIVE_SHEETS_CONTRACT=1 to also run the whole contract
suite (about 30 tests x a few requests each; slow under Google's per-minute quota).

Each test works on worksheets with a fresh prefix ('t1a2b3c_cases' ...) and deletes them after, so
the spreadsheet's own sheets are never touched.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import threading
import uuid
from pathlib import Path

import pytest

from data_access.repository import Insert, Update
from data_access.sheets_store import SCOPES, SheetsRepository, spreadsheet_key
from domain.errors import StaleWriteError
from tests.contracts.repository import JKT, RepositoryContract, case, unit

KEY = os.environ.get("SOP_LIVE_SHEETS_KEY")
SA_FILE = os.environ.get("SOP_SERVICE_ACCOUNT_FILE")
pytestmark = [
    pytest.mark.skipif(not (KEY and SA_FILE), reason="SOP_LIVE_SHEETS_KEY dan SOP_SERVICE_ACCOUNT_FILE tidak diisi: "
                                                     "uji terhadap Google Sheets sungguhan dilewati"),
    pytest.mark.timeout(600),
]


def live_client():
    from google.oauth2.service_account import Credentials

    from data_access.sheets_http import make_gspread_client

    creds = Credentials.from_service_account_info(json.loads(Path(SA_FILE).read_text()), scopes=SCOPES)
    return make_gspread_client(creds, api_base=os.environ.get("SOP_SHEETS_ENDPOINT") or None, backoff=False,
                               timeout=60)


class CountingClient:
    """Counts the HTTP requests a repository makes (Google has no counter to ask)."""

    def __init__(self, client):
        self.inner, self.calls = client, 0
        self.http_client = client.http_client
        request = self.http_client.request

        def counted(*args, **kwargs):
            self.calls += 1
            return request(*args, **kwargs)

        self.http_client.request = counted


def remove_prefixed(client, prefix: str) -> None:
    key = spreadsheet_key(KEY)
    meta = client.http_client.fetch_sheet_metadata(key)
    doomed = [s["properties"]["sheetId"] for s in meta["sheets"] if s["properties"]["title"].startswith(prefix)]
    if doomed:
        client.http_client.batch_update(key, {"requests": [{"deleteSheet": {"sheetId": i}} for i in doomed]})


@pytest.fixture
def live():
    client = CountingClient(live_client())
    prefix = f"t{uuid.uuid4().hex[:6]}_"
    repo = SheetsRepository(client, KEY, prefix=prefix, retries=8, max_backoff=32)
    repo.init()
    try:
        yield repo, client
    finally:
        remove_prefixed(client, prefix)


def test_a_record_round_trips_exactly_on_google(live):
    repo, _ = live
    started = dt.datetime(2026, 3, 2, 8, 15, 30, 123456, tzinfo=JKT)
    repo.apply([Insert("cases", case(started_at=started, notes="   ", drafts=0))], actor="live")
    got = repo.get("cases", "C1")
    assert got["started_at"] == started and got["notes"] == "   " and got["drafts"] == 0
    assert got["unit_ids"] == ["U1", "U2"] and got["target_date"] == dt.date(2026, 12, 31)


def test_formula_looking_text_stays_text_on_google(live):
    repo, client = live
    texts = ["=1+1", "+2", "=HYPERLINK(\"http://x\")", "0012", "TRUE"]
    repo.apply([Insert("units", unit(f"U{i}", t)) for i, t in enumerate(texts)], actor="live")
    got = client.http_client.values_get(repo.key, f"'{repo.title('units')}'!C2:C{len(texts) + 1}",
                                        params={"valueRenderOption": "UNFORMATTED_VALUE"})
    assert [r[0] for r in got["values"]] == texts  # a formula would have come back evaluated (2, 'http://x')
    assert [u["name"] for u in repo.list("units")] == texts


def test_a_page_view_is_one_call_and_a_save_two_on_google(live):
    repo, client = live
    repo.apply([Insert("cases", case())], actor="live")
    client.calls = 0
    repo.frames(["cases", "step_events", "units", "organisations", "executors", "holds"])
    assert client.calls == 1
    client.calls = 0
    repo.apply([Update("cases", "C1", {"status": "ditunda"}, 1),
                Insert("step_events", {"id": "E1", "case_id": "C1", "step_code": "1.a"})], actor="live")
    assert client.calls == 2
    with pytest.raises(StaleWriteError):
        repo.apply([Update("cases", "C1", {"status": "aktif"}, 1)], actor="other")


def test_concurrent_sequence_numbers_are_unique_on_google(live):
    repo, _ = live
    got, lock = [], threading.Lock()

    def take():
        n = repo.next_number("LIVE", "live")
        with lock:
            got.append(n)

    threads = [threading.Thread(target=take) for _ in range(5)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(got) == [1, 2, 3, 4, 5]


@pytest.mark.skipif(os.environ.get("SOP_LIVE_SHEETS_CONTRACT") != "1",
                    reason="SOP_LIVE_SHEETS_CONTRACT=1 tidak diisi: seluruh kontrak di Google Sheets dilewati")
class TestLiveContract(RepositoryContract):
    concurrency = 4

    @pytest.fixture
    def repo(self, live):
        return live[0]
