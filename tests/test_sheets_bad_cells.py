"""A value typed by hand into Google Sheets never takes a page down (on the local stand-in, real
HTTP): hand-typed dates are read day first as Indonesians write them; a cell no one can read leaves
its row visible with that field empty and marked, is listed for the Admin (sheet, row, column,
value), and a save to that row works and never overwrites the cell the person did not touch."""
from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st

from data_access.repository import Insert, Update
from data_access.schema import columns
from data_access.sheets_store import SheetsRepository
from domain import tracker as trk
from domain.calendar import JAKARTA
from domain.models import ACTIVE
from tests.apptest_helpers import readable, run_page, texts
from tests.contracts.repository import case
from tests.sheets_standin import SheetsStandIn, make_client, write_service_account_file

pytestmark = pytest.mark.timeout(300)


# ---- the store ------------------------------------------------------------------------------------

@pytest.fixture
def store(standin, sa_file):
    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(make_client(standin, sa_file, backoff=False, timeout=5), sid, backoff=0.01)
    repo.init()
    repo.apply([Insert("cases", case("C1")), Insert("cases", case("C2", number="K-2026-0002"))], actor="a")
    return repo, standin, sid


def type_by_hand(standin, sid: str, table: str, row: int, column: str, value) -> None:
    with standin.lock:
        standin.sheet(sid, table)["rows"][row - 1][columns(table).index(column)] = value


@pytest.mark.parametrize("typed", ["5/12/2026", "05-12-2026", "5 Desember 2026", "5 Des 2026", "5 December 2026"])
def test_a_date_typed_by_hand_is_read_day_first_by_every_read(store, typed):
    repo, standin, sid = store
    type_by_hand(standin, sid, "cases", 2, "target_date", typed)
    assert repo.get("cases", "C1")["target_date"] == dt.date(2026, 12, 5)
    assert repo.frames(["cases"])["cases"].set_index("id").loc["C1", "target_date"].date() == dt.date(2026, 12, 5)
    assert repo.unreadable_cells() == []


def test_a_time_typed_by_hand_is_read_in_jakarta(store):
    repo, standin, sid = store
    type_by_hand(standin, sid, "cases", 2, "started_at", "5/12/2026 14.30")
    assert repo.get("cases", "C1")["started_at"] == dt.datetime(2026, 12, 5, 14, 30, tzinfo=JAKARTA)


def test_a_cell_that_cannot_be_read_leaves_its_row_with_the_field_empty_and_is_listed(store):
    repo, standin, sid = store
    type_by_hand(standin, sid, "cases", 3, "target_date", "5/13/2026")
    frame = repo.frames(["cases"])["cases"].set_index("id")
    assert list(frame.index) == ["C1", "C2"]  # both rows are there
    assert frame.loc["C1", "target_date"].date() == dt.date(2026, 12, 31)
    assert frame.loc["C2", "target_date"] is None or str(frame.loc["C2", "target_date"]) == "NaT"
    assert frame.loc["C2", "title"] == "SOP Pelayanan Tamu"
    [cell] = repo.unreadable_cells()
    assert (cell.sheet, cell.row, cell.column, cell.value, cell.record_id) == ("cases", 3, "target_date", "5/13/2026",
                                                                                "C2")
    assert cell.reason == "store.cell.reason.date"
    assert [(c.record_id, c.column) for c in repo.frames(["cases"])["cases"].attrs["unreadable"]] == [("C2",
                                                                                                      "target_date")]
    assert repo.list("cases", {"status": "aktif"})[1]["target_date"] is None


def test_a_save_to_a_row_with_an_unreadable_cell_works_and_leaves_that_cell_as_typed(store):
    repo, standin, sid = store
    type_by_hand(standin, sid, "cases", 3, "target_date", "5/13/2026")
    repo.apply([Update("cases", "C2", {"notes": "disimpan"}, 1)], actor="staf1")
    row = standin.rows(sid, "cases")[2]
    assert row[columns("cases").index("target_date")] == "5/13/2026"
    assert repo.get("cases", "C2")["notes"] == "disimpan" and repo.get("cases", "C2")["version"] == 2
    # The person who does set the date replaces the cell.
    repo.apply([Update("cases", "C2", {"target_date": dt.date(2027, 1, 4)}, 2)], actor="staf1")
    assert repo.get("cases", "C2")["target_date"] == dt.date(2027, 1, 4)
    repo.frames(["cases"])
    assert repo.unreadable_cells() == []  # fixed: the next whole read lists it no more


# ---- the pages ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sheets_app(tmp_path_factory):
    """The app pointed at a stand-in spreadsheet with the demo data (loaded by the app on first use)."""
    from ui import context

    tmp = tmp_path_factory.mktemp("sheets_bad_cells")
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
            yield context.repo(), standin, sid
        finally:
            st.cache_resource.clear()
            st.cache_data.clear()
        assert standin.errors == []


@pytest.fixture
def hand_typed(sheets_app):
    """Two active cases: one target date typed '5/12/2026' (readable), one '5/13/2026' (not)."""
    repo, standin, sid = sheets_app
    active = [c["id"] for c in repo.list("cases", {"status": ACTIVE})][:2]
    rows = standin.rows(sid, "cases")
    ids = [r[0] for r in rows]
    placed = []
    for cid, typed in zip(active, ("5/12/2026", "5/13/2026"), strict=True):
        type_by_hand(standin, sid, "cases", ids.index(cid) + 1, "target_date", typed)
        placed.append((cid, ids.index(cid) + 1))
    st.cache_data.clear()
    yield repo, standin, sid, placed
    for _, row in placed:
        type_by_hand(standin, sid, "cases", row, "target_date", None)
    st.cache_data.clear()


def test_the_case_list_shows_every_case_the_readable_date_read_and_the_other_marked(hand_typed):
    repo, _, _, [(readable, _), (unreadable, _)] = hand_typed
    at = run_page("cases", "karo")
    assert not at.exception and not at.error, [e.value for e in at.error]
    shown = at.dataframe[0].value
    numbers = {repo.get("cases", c)["number"]: c for c in (readable, unreadable)}
    rows = {numbers[n]: r for n, r in shown.set_index("Nomor").iterrows() if n in numbers}
    assert rows[readable]["Target selesai"] == "5 Desember 2026"
    assert rows[unreadable]["Target selesai"] == "⚠ tidak dapat dibaca: «5/13/2026»"
    assert len(shown) == len(repo.list("cases"))


def failures(at) -> list[str]:
    """The page's error messages but a late step's banner (which depends on the case, not the cell)."""
    return [e.value for e in at.error if "keterlambatan dicatat pada" not in e.value]


def test_the_case_detail_and_the_dashboard_stay_up_and_mark_the_unreadable_field(hand_typed):
    _, _, _, [(readable, _), (unreadable, _)] = hand_typed
    at = run_page("case_detail", "karo", query={"id": unreadable})
    assert not at.exception and not failures(at), failures(at)
    assert "⚠ tidak dapat dibaca: «5/13/2026»" in texts(at)  # the typed text as data
    assert "Target selesai di Google Sheets tidak dapat dibaca" in texts(at)
    at = run_page("case_detail", "karo", query={"id": readable})
    assert not at.exception and "5 Desember 2026" in texts(at)
    at = run_page("dashboard", "karo")
    assert not at.exception and not at.error, [e.value for e in at.error]


def test_a_save_on_the_case_detail_leaves_the_unreadable_cell_as_typed(hand_typed):
    repo, standin, sid, [_, (unreadable, row)] = hand_typed
    at = run_page("case_detail", "karo", query={"id": unreadable})
    at.text_area(key=f"trk_case_notes_{unreadable}").input("Catatan baru, tanggal tidak disentuh")
    next(b for b in at.button if readable(b.label) == "Simpan data kasus").click().run()
    assert not at.exception and not failures(at), failures(at)
    assert repo.get("cases", unreadable)["notes"] == "Catatan baru, tanggal tidak disentuh"
    assert standin.rows(sid, "cases")[row - 1][columns("cases").index("target_date")] == "5/13/2026"


def test_the_admin_sees_the_unreadable_cell_with_its_sheet_row_column_and_value(hand_typed):
    _, _, _, [_, (_, row)] = hand_typed
    at = run_page("admin", "admin")
    assert not at.exception
    next(b for b in at.button if readable(b.label) == "Periksa semua lembar sekarang").click().run()
    assert not at.exception and any("sel di Google Sheets tidak dapat dibaca" in w.value for w in at.warning)
    listed = at.dataframe[-1].value
    assert [tuple(r) for r in listed[["Lembar", "Baris", "Kolom", "Isi sel"]].itertuples(index=False)] == [
        ("cases", row, "target_date", "5/13/2026")]


def test_the_loaded_demo_has_no_case_the_tracker_cannot_read(sheets_app):
    repo, _, _ = sheets_app
    assert all(trk.load_case(repo, c["id"], 510) for c in repo.list("cases")[:3])
