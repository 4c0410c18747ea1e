"""Google Sheets calls per page view, counted on the local stand-in (demo data loaded): the case
detail and the complaint inbox read everything they show in ONE values:batchGet on a cold view
(as the case list does per table set), make no call on a rerun with nothing changed, and after a
save on the page the next view shows the new data. The read-only snapshot the pages read from
gives exactly what the store gives."""
from __future__ import annotations

from collections import Counter

import pytest
import streamlit as st

from domain import complaints as cp
from domain import tracker as trk
from domain.models import ACTIVE, C_FOLLOW_UP, C_RECEIVED, DONE, RUNNING
from tests.apptest_helpers import ACTORS, readable, run_page, texts
from tests.sheets_standin import SheetsStandIn, write_service_account_file
from data_access.snapshot import Snapshot
from ui.snapshot import CASE_DETAIL_TABLES, INBOX_TABLES

pytestmark = pytest.mark.timeout(300)
MPD = 510


@pytest.fixture(scope="module")
def sheets_app(tmp_path_factory):
    """The app pointed at a stand-in spreadsheet with the demo data (loaded by the app on first use)."""
    from ui import context

    tmp = tmp_path_factory.mktemp("sheets_app")
    with SheetsStandIn() as standin, pytest.MonkeyPatch.context() as mp:
        sa = tmp / "service_account.json"
        write_service_account_file(sa, standin)
        sid = standin.create_spreadsheet("SOP Tracker")
        for var, value in {"SOP_BACKEND": "sheets", "SOP_SHEETS_KEY": sid, "SOP_SHEETS_ENDPOINT": standin.url,
                           "SOP_SERVICE_ACCOUNT_FILE": str(sa), "SOP_DEMO_DATA": "true",
                           "SOP_SECRETS_FILE": str(tmp / "no-secrets.toml"),
                           "SOP_ATTACHMENTS_DIR": str(tmp / "lampiran")}.items():
            mp.setenv(var, value)
        st.cache_resource.clear()
        st.cache_data.clear()
        try:
            yield context.repo(), standin  # opens the store and loads the demo data
        finally:
            st.cache_resource.clear()
            st.cache_data.clear()
        assert standin.errors == [], "the stand-in crashed while handling a request"


@pytest.fixture
def cold(sheets_app):
    """No cached reads and no counted calls: the next page run is a cold view."""
    st.cache_data.clear()
    sheets_app[1].reset_counts()
    return sheets_app


def calls(standin) -> dict:
    return dict(Counter(r.kind for r in standin.requests))


def rerun_calls(at, standin) -> dict:
    standin.reset_counts()
    at.run()
    assert not at.exception
    return calls(standin)


def button(at, label: str):
    return next(b for b in at.button if readable(b.label) == label)


def running_case(repo) -> str:
    for case in repo.list("cases", {"status": ACTIVE}):
        view = trk.load_case(repo, case["id"], MPD)
        code = view.current_code()
        if code and view.status_of(code) == RUNNING:
            return case["id"]
    raise AssertionError("the demo data has no active case with a running step")


def complaint_in(repo, status: str) -> dict:
    return next(c for c in repo.list("complaints") if c["status"] == status)


# ---- the reference: the case list ---------------------------------------------------------------

def test_a_cold_case_list_view_is_one_batch_read_and_a_rerun_reads_nothing(cold):
    _, standin = cold
    at = run_page("cases", "karo")
    assert not at.exception
    assert calls(standin) == {"batchGet": 1}  # the summary, the case picker and the labels: one batch read
    assert rerun_calls(at, standin) == {}


# ---- the case detail ----------------------------------------------------------------------------

def test_a_cold_case_detail_view_is_one_batch_read_and_a_rerun_reads_nothing(cold):
    repo, standin = cold
    cid = running_case(repo)
    standin.reset_counts()
    at = run_page("case_detail", "staf1", query={"id": cid})
    assert not at.exception and "tidak ditemukan" not in texts(at)
    assert calls(standin) == {"batchGet": 1}
    assert repo.get("cases", cid)["number"] in readable(at.title[0].value)
    assert rerun_calls(at, standin) == {}
    at.selectbox(key="trk_hist_code").set_value(at.selectbox(key="trk_hist_code").options[-1])
    assert rerun_calls(at, standin) == {}  # the step history comes from the same read


def test_after_finishing_a_step_on_the_detail_page_the_next_view_shows_it(cold):
    repo, standin = cold
    cid = running_case(repo)
    code = trk.load_case(repo, cid, MPD).current_code()
    at = run_page("case_detail", "staf1", query={"id": cid})
    assert f"Langkah saat ini: {code}" in texts(at)
    at.text_area(key=f"trk_fin_note_{code}").input("Diselesaikan dalam uji Sheets")
    standin.reset_counts()
    button(at, f"Selesaikan langkah {code}").click().run()
    assert not at.exception
    assert any(readable(s.value) == f"Langkah {code} selesai." for s in at.success), texts(at)
    # The save: its own fresh read for the version check and one write; then the fresh view.
    assert calls(standin) == {"batchGet": 2, "batchUpdate": 1}
    assert repo.get("step_events", f"{cid}-{code}")["status"] == DONE
    after = trk.load_case(repo, cid, MPD).current_code()
    assert f"Langkah saat ini: {code}" not in texts(at)  # the view after the save is fresh
    if after:
        assert f"Langkah saat ini: {after}" in texts(at)
    steps = "\n".join(df.value.to_string() for df in at.dataframe)
    assert "Diselesaikan dalam uji Sheets" in steps
    assert rerun_calls(at, standin) == {}


def test_a_save_prepared_from_an_out_of_date_view_is_refused_and_changes_nothing(cold):
    """The page prepares its save from its cached read; the store checks versions afresh, so a
    change made meanwhile elsewhere (another process, or a hand edit) is never overwritten."""
    repo, standin = cold
    cid = running_case(repo)
    code = trk.load_case(repo, cid, MPD).current_code()
    at = run_page("case_detail", "staf1", query={"id": cid})
    assert f"Langkah saat ini: {code}" in texts(at)
    before = repo.get("cases", cid)
    # Meanwhile, elsewhere: the Karo edits the case's notes (this page's cached read does not see it).
    trk.edit_case(repo, ACTORS["karo"], cid, expected_version=before["version"],
                  changes={"notes": "Diubah di tempat lain"})
    edited = repo.get("cases", cid)
    at.text_area(key=f"trk_fin_note_{code}").input("Disimpan dari tampilan lama")
    button(at, f"Selesaikan langkah {code}").click().run()
    assert not at.exception
    assert any("ditolak agar tidak menimpa" in readable(e.value) for e in at.error), texts(at)
    assert repo.get("step_events", f"{cid}-{code}")["status"] == RUNNING  # nothing written
    assert repo.get("cases", cid) == edited
    # The refusal dropped the cached read: the next view shows the other change.
    at.run()
    assert f"Langkah saat ini: {code}" in texts(at)
    assert repo.get("cases", cid)["notes"] == "Diubah di tempat lain"


# ---- the complaint inbox ------------------------------------------------------------------------

def test_a_cold_inbox_view_is_one_batch_read_and_a_rerun_reads_nothing(cold):
    repo, standin = cold
    number = complaint_in(repo, C_FOLLOW_UP)["receipt_no"]
    standin.reset_counts()
    at = run_page("complaint_inbox", "karo", query={"nomor": number})
    assert not at.exception
    assert calls(standin) == {"batchGet": 1}
    assert at.selectbox(key="ci_pick").value == number
    assert "Menghubungi unit melalui telepon" in at.dataframe[1].value.to_string()  # the follow-up log
    assert rerun_calls(at, standin) == {}
    at.toggle(key="ci_show_closed").set_value(True)
    assert rerun_calls(at, standin) == {}  # closed ones come from the same read
    other = next(n for n in at.selectbox(key="ci_pick").options if n != number)
    at.selectbox(key="ci_pick").set_value(other)
    assert rerun_calls(at, standin) == {}  # so does another complaint's detail


def test_after_a_move_in_the_inbox_the_next_view_shows_it(cold):
    repo, standin = cold
    row = complaint_in(repo, C_RECEIVED)
    at = run_page("complaint_inbox", "karo", query={"nomor": row["receipt_no"]})
    assert "Diterima" in texts(at)
    standin.reset_counts()
    button(at, "Tangani sendiri").click().run()
    assert not at.exception and "tersimpan" in texts(at), texts(at)
    # The move: its own fresh read for the version check and one write; then the fresh view.
    assert calls(standin) == {"batchGet": 2, "batchUpdate": 1}
    assert repo.get("complaints", row["id"])["status"] == C_FOLLOW_UP
    shown = at.selectbox(key="ci_pick").value
    assert shown == row["receipt_no"]
    assert "Ditindaklanjuti" in texts(at)  # the view after the save is fresh
    assert "ditangani_karo" not in at.dataframe[1].value.to_string()  # labelled, and logged
    assert len(at.dataframe[1].value) == 1
    assert rerun_calls(at, standin) == {}


# ---- the snapshot gives what the store gives ----------------------------------------------------

def _same_lists(record: dict | None) -> dict | None:
    """An empty list cell reads as None from the store and [] from a frame; both mean 'none'."""
    return None if record is None else {k: (v or None) if isinstance(v, list) or v is None else v
                                        for k, v in record.items()}


def test_the_snapshot_reads_what_the_store_reads(sheets_app):
    repo, _ = sheets_app
    snap = Snapshot(repo.frames(list(dict.fromkeys(CASE_DETAIL_TABLES + INBOX_TABLES))))
    assert not hasattr(snap, "apply")  # writes never go to a snapshot
    for case in repo.list("cases"):
        mine, theirs = trk.load_case(snap, case["id"], MPD), trk.load_case(repo, case["id"], MPD)
        assert _same_lists(mine.case) == _same_lists(theirs.case)
        assert mine.events == theirs.events and mine.holds == theirs.holds
        assert trk.case_history(snap, case["id"]) == trk.case_history(repo, case["id"])
        for ev in theirs.events.values():
            assert trk.step_history(snap, ev["id"]) == trk.step_history(repo, ev["id"])
    karo = ACTORS["karo"]
    assert cp.inbox(snap, karo, include_done=True) == cp.inbox(repo, karo, include_done=True)
    for c in repo.list("complaints"):
        assert cp.complaint_detail(snap, karo, c["id"]) == cp.complaint_detail(repo, karo, c["id"])
    assert snap.get("cases", "NO-SUCH-CASE") is None
    assert snap.list("complaints", {"status": C_RECEIVED}) == repo.list("complaints", {"status": C_RECEIVED})
    assert snap.list("complaints", {"handler": None}) == repo.list("complaints", {"handler": None})


def test_a_table_missing_from_the_snapshot_is_read_from_the_store(sheets_app):
    repo, standin = sheets_app
    snap = Snapshot(repo.frames(["cases"]), fallback=repo)
    standin.reset_counts()
    assert snap.list("units") == repo.list("units")
    assert standin.count("batchGet") == 2
    with pytest.raises(KeyError):
        Snapshot({}).get("units", "x")


# ---- filing a complaint -------------------------------------------------------------------------

def test_filing_a_complaint_costs_the_claim_one_read_and_one_write_and_the_receipt_view_none(cold):
    repo, standin = cold
    at = run_page("complaint_form")
    at.selectbox(key="cf_unit_0").set_value("UNIT-SETMEN-2").run()
    for name, value in {"name": "Ani Wijaya", "email": "ani.hitung@setneg.go.id",
                        "subject": "Jumlah panggilan"}.items():
        at.text_input(key=f"cf_{name}_0").set_value(value)
    at.text_area(key="cf_description_0").set_value("Satu pengaduan, tiga panggilan.")
    standin.reset_counts()
    button(at, "Kirim").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    # Claim the receipt number, read (the claim's rank, IDs, the audit header), write; the form shown
    # again with its receipt reads nothing: the filing wrote none of the tables it shows.
    assert calls(standin) == {"batchUpdate": 2, "batchGet": 1}
    [mine] = [c for c in repo.list("complaints") if c["email"] == "ani.hitung@setneg.go.id"]
    assert mine["receipt_no"] in texts(at)
    assert [c["receipt_no"] for c in repo.list("complaints")].count(mine["receipt_no"]) == 1
