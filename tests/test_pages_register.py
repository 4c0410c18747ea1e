"""The output of a case and the register of finished SP/SOP through AppTest on a real DuckDB file: the
last step is refused until the output is recorded (the page names what is missing), the Keluaran tab
records a document with its signed PDF, the register lists, counts and exports it (formula-safe,
audited), a unit user sees their own unit's only, and the PDF comes back as uploaded."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from data_access.duckdb_store import DuckDBRepository
from domain.models import FINISHED, RUNNING
from domain.permissions import Actor
from tests.apptest_helpers import readable, run_page, texts
from tests.tracker_world import MONDAY, SIGNED_PDF, finish_current, open_at, populate, view


def reopen(path) -> DuckDBRepository:
    repo = DuckDBRepository(path)
    repo.init()
    return repo


@pytest.fixture
def at_last_step(empty_app_store):
    """A case of Biro Tata Usaha (intern, one SOP) whose last step, 9.d, is running."""
    repo = reopen(empty_app_store)
    populate(repo)
    with repo.session():
        case = open_at(repo, title="SOP Persuratan", track="intern", drafts=1, doc_kind="SOP")
        at = MONDAY
        v = view(repo, case["id"])
        while v.current_code() != "9.d":
            at += dt.timedelta(minutes=20)
            v = finish_current(repo, case["id"], at)
    repo.close()
    return {"path": empty_app_store, "case": case}


def button(at, label: str):
    return next(b for b in at.button if readable(b.label) == label)


def record_through_the_page(at, title: str) -> None:
    at.text_input(key="out_new_0_title").input(title)
    at.text_input(key="out_new_0_number").input("ND-45/OTA/2026")
    at.date_input(key="out_new_0_date").set_value(dt.date(2026, 11, 30))
    at.text_input(key="out_new_0_archive").input("ARS/OTA/2026/045")
    at.file_uploader(key="out_new_0_pdf").upload("SOP persuratan ttd.pdf", SIGNED_PDF, "application/pdf")
    button(at, "Simpan dokumen").click().run()


def test_the_last_step_is_refused_until_the_output_is_recorded_then_the_case_finishes(at_last_step):
    case = at_last_step["case"]
    at = run_page("case_detail", "staf1", query={"id": case["id"]})
    assert not at.exception
    assert "Dicatat 0 dari 1 dokumen." in texts(at) and "Belum lengkap: dicatat 0 dari 1 dokumen" in texts(at)
    button(at, "Selesaikan langkah 9.d").click().run()
    refusal = [readable(e.value) for e in at.error]
    assert any("Kasus belum dapat diselesaikan: keluaran belum tercatat lengkap — dicatat 0 dari 1 dokumen" in m
               for m in refusal), refusal
    repo = reopen(at_last_step["path"])
    assert view(repo, case["id"]).events["9.d"]["status"] == RUNNING
    repo.close()

    at = run_page("case_detail", "staf1", query={"id": case["id"]})
    record_through_the_page(at, "=SOP Persuratan Dinas")
    assert not at.exception
    assert 'Dokumen "=SOP Persuratan Dinas" tersimpan.' in texts(at)
    assert "Keluaran lengkap: kasus dapat diselesaikan." in texts(at)
    button(at, "Selesaikan langkah 9.d").click().run()
    assert not at.exception
    repo = reopen(at_last_step["path"])
    try:
        assert repo.get("cases", case["id"])["status"] == FINISHED
        doc = repo.list("outputs", {"case_id": case["id"]})[0]
        assert doc["doc_number"] == "ND-45/OTA/2026" and doc["unit_id"] == "UNIT-SETMEN-1"
        assert repo.get("attachments", doc["attachment_id"])["name"] == "SOP persuratan ttd.pdf"
    finally:
        repo.close()


def test_a_file_that_is_not_a_pdf_is_refused_and_the_form_keeps_its_text(at_last_step):
    at = run_page("case_detail", "staf1", query={"id": at_last_step["case"]["id"]})
    at.text_input(key="out_new_0_title").input("SOP Arsip")
    at.text_input(key="out_new_0_number").input("ND-46/OTA/2026")
    at.date_input(key="out_new_0_date").set_value(dt.date(2026, 11, 30))
    at.text_input(key="out_new_0_archive").input("ARS/OTA/2026/046")
    at.file_uploader(key="out_new_0_pdf").upload("ttd.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 40, "application/pdf")
    button(at, "Simpan dokumen").click().run()
    assert any("PDF bertanda tangan harus berkas PDF" in readable(e.value) for e in at.error)
    assert at.text_input(key="out_new_0_title").value == "SOP Arsip"
    repo = reopen(at_last_step["path"])
    assert repo.count("outputs") == 0
    repo.close()


@pytest.fixture
def recorded(at_last_step):
    """The case's document recorded through the page, with a title a spreadsheet would run."""
    at = run_page("case_detail", "staf1", query={"id": at_last_step["case"]["id"]})
    record_through_the_page(at, "=HYPERLINK(\"http://x\") SOP Persuratan")
    assert not at.exception
    return at_last_step


def test_leadership_sees_counts_per_unit_and_exports_formula_safe_and_audited(recorded, downloads):
    at = run_page("register", "pimpinan")
    assert not at.exception
    assert [m.value for m in at.metric][:2] == ["1", "0"]  # one document, no SP
    per_unit = at.dataframe[0].value
    assert list(per_unit["Unit kerja"]) == ["Biro Tata Usaha"] and list(per_unit["Jumlah"]) == [1]
    listed = at.dataframe[1].value
    assert list(listed["Judul"]) == ['=HYPERLINK("http://x") SOP Persuratan']
    file = downloads(at.download_button(key="reg_export_csv"))
    rows = list(csv.reader(io.StringIO(file.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Jenis", "Judul", "Unit kerja"]
    assert rows[1][1] == "'=HYPERLINK(\"http://x\") SOP Persuratan"  # never a formula
    book = load_workbook(io.BytesIO(downloads(at.download_button(key="reg_export_xlsx")).content))
    cell = book.worksheets[0]["B2"]
    assert cell.value == "'=HYPERLINK(\"http://x\") SOP Persuratan" and cell.data_type == "s"
    pdf = downloads(at.download_button(key=f"reg_pdf_{recorded_output_id(recorded)}"))
    assert pdf.content == SIGNED_PDF and pdf.mimetype == "application/pdf"
    repo = reopen(recorded["path"])
    logged = [e for e in repo.audit() if e["action"] == "register.export"]
    repo.close()
    assert [e["actor"] for e in logged] == ["pimpinan", "pimpinan"] and "1 baris (CSV)" in logged[0]["new"]


def recorded_output_id(store) -> str:
    repo = reopen(store["path"])
    try:
        return repo.list("outputs")[0]["id"]
    finally:
        repo.close()


def test_a_unit_user_sees_their_own_units_documents_only(recorded):
    mine = run_page("register", "unit1")  # Biro Umum: not the case's unit
    assert not mine.exception and "Tidak ada dokumen yang cocok." in texts(mine)
    tu = Actor(id="acc-tu", username="tu", roles=frozenset({"Unit"}), unit_id="UNIT-SETMEN-1")
    theirs = run_page("register", tu)
    assert list(theirs.dataframe[0].value["Judul"]) == ['=HYPERLINK("http://x") SOP Persuratan']
    assert "Jumlah per unit kerja" not in texts(theirs)
    refused = run_page("register", "admin")
    assert any("tidak berhak" in readable(e.value) for e in refused.error)


def test_the_public_standard_page_lists_the_document_once_its_website_link_is_recorded(recorded):
    at = run_page("service_standard")
    assert "Belum ada dokumen yang tercatat terbit." in texts(at)
    case_id = recorded["case"]["id"]
    page = run_page("case_detail", "staf1", query={"id": case_id})
    doc_id = recorded_output_id(recorded)
    page.text_input(key=f"out_edit_{doc_id}_link").input("https://setneg.example.go.id/sop/persuratan")
    button(page, "Simpan dokumen").click().run()
    assert not page.exception
    at = run_page("service_standard")
    listed = at.dataframe[0].value
    assert list(listed["Tautan situs"]) == ["https://setneg.example.go.id/sop/persuratan"]
