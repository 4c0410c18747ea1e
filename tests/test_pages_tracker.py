"""The tracker pages through AppTest on a real DuckDB file: filtering the list, finishing a step,
refusing bad input with its message, two people saving the same case, bulk edit, proposals."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from data_access.duckdb_store import DuckDBRepository
from domain import tracker as trk
from domain.models import ACTIVE, CANCELLED, DONE, RUNNING
from tests.apptest_helpers import ACTORS, readable, run_page, texts
from tests.tracker_world import MONDAY, open_at, populate

RECENT = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def store(empty_app_store):
    """The app's store with the small test world (no demo data) and three cases."""
    repo = DuckDBRepository(empty_app_store)
    repo.init()
    populate(repo)
    with repo.session():
        a = open_at(repo, title="SOP Persuratan", unit_ids=["UNIT-SETMEN-1"], start=RECENT)
        b = open_at(repo, title="SOP Harmonisasi", unit_ids=["UNIT-HUKUM-1"], track="permen", pic_id="EX-STAF2")
        c = open_at(repo, title="SOP Arsip Lama", unit_ids=["UNIT-SETMEN-2"], start=MONDAY - dt.timedelta(days=300))
        trk.edit_case(repo, ACTORS["kabag"], c["id"], expected_version=c["version"], changes={"status": CANCELLED})
    repo.close()
    yield {"path": empty_app_store, "a": a, "b": b, "c": c}


def reopen(store) -> DuckDBRepository:
    repo = DuckDBRepository(store["path"])
    repo.init()
    return repo


def button(at, label: str):
    return next(b for b in at.button if readable(b.label) == label)


# ---- case list ---------------------------------------------------------------------------------

def test_the_case_list_shows_every_case_and_filters_by_status_and_search(store):
    at = run_page("cases", "staf1")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 3 and "Jam berjalan pada" in table.columns and "Rencana selesai" in table.columns
    assert at.metric[0].value == "3"
    at.multiselect(key="trk_f_status").set_value([CANCELLED]).run()
    assert list(at.dataframe[0].value["Judul"]) == ["SOP Arsip Lama"]
    at.multiselect(key="trk_f_status").set_value([]).run()
    at.text_input(key="trk_f_text").input("hukum").run()
    assert list(at.dataframe[0].value["Judul"]) == ["SOP Harmonisasi"]
    at.text_input(key="trk_f_text").input("").run()
    at.selectbox(key="trk_f_timing").set_value("late").run()
    shown = at.dataframe[0].value
    assert set(shown["Judul"]) == {"SOP Persuratan", "SOP Harmonisasi"}  # 1.a (30 minutes) long overdue
    assert all(v.startswith("Terlambat") for v in shown["Ketepatan waktu"])
    assert set(shown["Jam berjalan pada"]) == {"Karo"}


def test_the_export_holds_exactly_the_filtered_cases_and_is_logged(store, downloads):
    at = run_page("cases", "karo")
    assert not at.exception
    at.multiselect(key="trk_f_status").set_value([ACTIVE]).run()
    assert not at.exception
    wanted = sorted([store["a"]["number"], store["b"]["number"]])
    assert list(at.dataframe[0].value["Nomor"]) == wanted  # the cancelled case c is filtered out
    assert "2 baris" in texts(at)
    repo = reopen(store)
    assert not [e for e in repo.audit() if e["action"] == "case.export"]  # showing the buttons logs nothing
    repo.close()

    file = downloads(at.download_button(key="trk_export_csv"))
    assert file.mimetype == "text/csv" and file.filename.startswith("daftar-kasus-") and file.filename.endswith(".csv")
    lines = list(csv.reader(io.StringIO(file.content.decode("utf-8-sig")), delimiter=";"))
    header, rows = lines[0], lines[1:]
    assert header[:2] == ["Nomor", "Judul"]
    assert [r[0] for r in rows] == wanted
    assert [r[header.index("Judul")] for r in rows] == ["SOP Persuratan", "SOP Harmonisasi"]
    assert {r[header.index("Status")] for r in rows} == {ACTIVE}

    book = load_workbook(io.BytesIO(downloads(at.download_button(key="trk_export_xlsx")).content), read_only=True)
    values = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(values[0]) == header and [r[0] for r in values[1:]] == wanted

    repo = reopen(store)
    logged = sorted((e for e in repo.audit() if e["action"] == "case.export"), key=lambda e: e["at"])
    repo.close()
    assert [e["actor"] for e in logged] == ["karo", "karo"]
    assert logged[0]["new"].startswith("Ekspor daftar kasus: 2 baris, CSV") and "status=" in logged[0]["new"]
    assert logged[1]["new"].startswith("Ekspor daftar kasus: 2 baris, XLSX")


def test_the_case_list_is_refused_to_a_unit_user(store):
    at = run_page("cases", "unit1")
    assert "tidak berhak" in texts(at)
    assert not at.dataframe


def test_staff_open_a_case_directly_and_a_missing_unit_is_named(store):
    at = run_page("cases", "staf1")
    at.text_input(key="trk_new_title").input("SOP Layanan Tamu")
    button(at, "Buka kasus").click().run()
    assert "Unit kerja: pilih paling sedikit satu unit kerja." in [readable(e.value) for e in at.error]
    assert at.text_input(key="trk_new_title").value == "SOP Layanan Tamu"  # the form keeps its input
    at.multiselect(key="trk_new_units").set_value(["UNIT-SETMEN-2"])
    button(at, "Buka kasus").click().run()
    assert any("dibuka pada langkah 1.a" in readable(s.value) for s in at.success)
    assert len(at.dataframe[0].value) == 4


# ---- case detail -------------------------------------------------------------------------------

def test_a_staff_member_finishes_the_current_step_and_the_next_one_starts(store):
    cid = store["a"]["id"]
    at = run_page("case_detail", "staf1", query={"id": cid})
    assert not at.exception
    assert "Langkah saat ini: 1.a" in texts(at)
    at.text_area(key="trk_fin_note_1.a").input("Arahan diterima")
    at.text_input(key="trk_fin_link_1.a").input("https://arsip.setneg.go.id/nd/1")
    button(at, "Selesaikan langkah 1.a").click().run()
    assert not at.exception
    assert any(readable(s.value) == "Langkah 1.a selesai." for s in at.success)
    assert "Langkah saat ini: 1.b" in texts(at)
    assert "Linimasa: 1 langkah selesai, 1 berjalan" in texts(at)
    repo = reopen(store)
    ev = repo.get("step_events", f"{cid}-1.a")
    assert ev["status"] == DONE and ev["note"] == "Arahan diterima" and ev["actor_id"] == "EX-STAF1"
    assert repo.get("step_events", f"{cid}-1.b")["status"] == RUNNING
    repo.close()


def test_a_bad_document_link_is_refused_with_its_message_and_nothing_changes(store):
    cid = store["a"]["id"]
    at = run_page("case_detail", "staf1", query={"id": cid})
    at.text_input(key="trk_fin_link_1.a").input("javascript:alert(1)")
    button(at, "Selesaikan langkah 1.a").click().run()
    assert [readable(e.value) for e in at.error if "Tautan" in e.value] == [
        "Tautan dokumen: alamat harus diawali http:// atau https://."]
    assert at.text_input(key="trk_fin_link_1.a").value == "javascript:alert(1)"
    repo = reopen(store)
    assert repo.get("step_events", f"{cid}-1.a")["status"] == RUNNING
    repo.close()


def test_the_detail_shows_checklist_by_stage_whose_clock_and_lateness(store):
    at = run_page("case_detail", "pimpinan", query={"id": store["b"]["id"]})
    assert not at.exception
    shown = texts(at)
    assert "keterlambatan dicatat pada **Karo**" in shown
    assert "Anda dapat melihat kasus ini, tetapi tidak mengubahnya." in shown
    assert not [b for b in at.button if b.label.startswith("Selesaikan")]  # read-only for leadership
    stages = {e.label.split(" —")[0]: e.proto.icon for e in at.expander if e.label.startswith("Tahap")}
    assert stages["Tahap 1"] == ":material/warning:" and stages["Tahap 9"] == ":material/checklist:"
    first_stage = at.dataframe[0].value
    assert list(first_stage["Kode"]) == ["1.a", "1.b"]
    assert first_stage["Ketepatan"].iloc[0].startswith("Terlambat")
    charts = at.get("vega_lite_chart")  # the timeline
    assert len(charts) == 1 and '"code"' in charts[0].proto.spec


def test_a_hold_with_its_reason_is_shown_and_a_blank_reason_is_refused(store):
    cid = store["a"]["id"]
    at = run_page("case_detail", "kabag", query={"id": cid})
    button(at, "Tunda").click().run()
    assert "Alasan penundaan: wajib diisi." in [readable(e.value) for e in at.error]
    at.text_input(key="trk_hold_reason").input("Pimpinan meminta menunggu *reorganisasi*")
    button(at, "Tunda").click().run()
    shown = texts(at)
    assert "Kasus ditunda sejak" in shown and "menunggu *reorganisasi*" in shown  # shown verbatim
    button(at, "Lanjutkan kasus").click().run()
    assert "Kasus ditunda sejak" not in texts(at)


def test_a_second_save_of_the_same_case_is_refused_naming_who_saved_first(store):
    cid = store["a"]["id"]
    first = run_page("case_detail", "kasubbag", query={"id": cid})
    second = run_page("case_detail", "staf1", query={"id": cid})
    first.selectbox(key=f"trk_case_pic_{cid}").set_value("EX-STAF2")
    button(first, "Simpan data kasus").click().run()
    assert any(readable(s.value) == "Tersimpan." for s in first.success)
    second.text_area(key=f"trk_case_notes_{cid}").input("Catatan dari browser kedua")
    button(second, "Simpan data kasus").click().run()
    errors = " ".join(readable(e.value) for e in second.error)
    assert "diubah oleh kasubbag" in errors and "PIC (penanggung jawab) → Staf Dua" in errors
    repo = reopen(store)
    case = repo.get("cases", cid)
    assert case["pic_id"] == "EX-STAF2" and case["notes"] is None  # the first save stands, untouched
    repo.close()


def test_the_case_history_lists_who_changed_what(store):
    cid = store["c"]["id"]
    at = run_page("case_detail", "karo", query={"id": cid})
    frames = [d.value for d in at.dataframe if "Kolom" in d.value.columns and "Oleh" in d.value.columns]
    history = frames[0]
    status = history[history["Kolom"] == "Status"].iloc[0]
    assert (status["Oleh"], status["Lama"], status["Baru"]) == ("kabag", "aktif", "dibatalkan")
    assert (history["Tindakan"] == "case.open").any()


# ---- bulk edit ---------------------------------------------------------------------------------

def test_bulk_edit_shows_status_labels_and_saves_the_chosen_label_as_its_status(store):
    at = run_page("bulk_edit", "staf1")
    editor = at.data_editor[0]
    assert set(editor.value["status"]) <= {"Aktif", "Ditunda", "Selesai", "Dibatalkan"}
    row_a = list(editor.value["number"]).index(store["a"]["number"])
    at.session_state[editor.key] = {"edited_rows": {row_a: {"status": "Dibatalkan"}}, "added_rows": [],
                                    "deleted_rows": []}
    at.button(key="trk_b_save").click().run()
    assert not at.exception and "1 baris tersimpan" in texts(at)
    repo = reopen(store)
    assert repo.get("cases", store["a"]["id"])["status"] == "dibatalkan"
    repo.close()


def test_bulk_edit_saves_changed_rows_and_refuses_a_stale_one_per_row(store):
    at = run_page("bulk_edit", "staf1")
    assert not at.exception
    editor = at.data_editor[0]
    numbers = list(editor.value["number"])
    assert len(numbers) == 2  # the cancelled case is filtered out by default
    row_a, row_b = numbers.index(store["a"]["number"]), numbers.index(store["b"]["number"])
    # Someone else changes case b after this page was loaded.
    repo = reopen(store)
    b = repo.get("cases", store["b"]["id"])
    trk.edit_case(repo, ACTORS["kabag"], b["id"], expected_version=b["version"], changes={"notes": "oleh kabag"})
    repo.close()
    at.session_state[editor.key] = {"edited_rows": {row_a: {"notes": "=catatan massal", "pic": "Staf Dua"},
                                                    row_b: {"notes": "timpa"}},
                                    "added_rows": [], "deleted_rows": []}
    at.button(key="trk_b_save").click().run()
    assert not at.exception
    assert "1 baris tersimpan, 1 ditolak" in texts(at)
    result = at.dataframe[0].value.set_index("Nomor")
    assert result.loc[store["a"]["number"], "Hasil"] == "Tersimpan"
    assert result.loc[store["b"]["number"], "Hasil"] == "Ditolak"
    assert "diubah oleh kabag" in result.loc[store["b"]["number"], "Keterangan"]
    repo = reopen(store)
    assert repo.get("cases", store["a"]["id"])["pic_id"] == "EX-STAF2"
    assert repo.get("cases", store["a"]["id"])["notes"] == "=catatan massal"
    assert repo.get("cases", store["b"]["id"])["notes"] == "oleh kabag"
    repo.close()


# ---- proposals ---------------------------------------------------------------------------------

def test_a_unit_user_proposes_and_a_bad_contact_is_refused_with_its_message(store):
    at = run_page("proposals", "unit1")
    assert not at.exception and "Unit kerja: Biro Umum" in texts(at)
    at.text_area(key="prop_reason").input("Tugas unit berubah")
    at.text_input(key="prop_contact_name").input("Ani")
    at.text_input(key="prop_contact").input("nanti saja")
    button(at, "Kirim usulan").click().run()
    assert any("Surel atau telepon narahubung" in readable(e.value) for e in at.error)
    at.text_input(key="prop_contact").input("ani@setneg.go.id")
    button(at, "Kirim usulan").click().run()
    assert any("terkirim" in readable(s.value) for s in at.success)
    own = at.dataframe[0].value
    assert list(own["Status"]) == ["Menunggu keputusan"] and list(own["Unit kerja"]) == ["Biro Umum"]


def test_the_kabag_accepts_a_proposal_and_a_case_opens(store):
    unit = run_page("proposals", "unit1")
    unit.text_area(key="prop_reason").input("Tugas unit berubah")
    unit.text_input(key="prop_contact_name").input("Ani")
    unit.text_input(key="prop_contact").input("0812 3456 789")
    button(unit, "Kirim usulan").click().run()
    at = run_page("proposals", "kabag")
    assert not at.exception
    button(at, "Terima usulan").click().run()
    assert any("diterima; kasus K-" in readable(s.value) for s in at.success)
    repo = reopen(store)
    accepted = [c for c in repo.list("cases") if c["origin"] == "usulan_unit"]
    assert len(accepted) == 1 and accepted[0]["unit_ids"] == ["UNIT-SETMEN-2"]
    repo.close()
    again = run_page("proposals", "unit1")
    assert list(again.dataframe[0].value["Status"]) == ["Diterima"]
