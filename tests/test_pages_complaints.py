"""The complaint pages through Streamlit's AppTest on a real DuckDB file (demo data loaded):
the intake form (refusals with messages and the input kept; receipt shown; form cleared), the
status lookup, and the inbox moves from delegation to closing."""
from __future__ import annotations

import re

import pytest

from data_access.duckdb_store import DuckDBRepository
from tests.apptest_helpers import run_page, texts

UNIT = "UNIT-SETMEN-2"
RECEIPT = re.compile(r"ADU-\d{4}-\d{4}")


def button(at, label):
    return next(b for b in at.button if b.label == label)


def fill(at, gen=0, **values):
    at.selectbox(key=f"cf_unit_{gen}").set_value(values.pop("unit", UNIT)).run()
    for name, value in values.items():
        widgets = at.text_area if name == "description" else at.text_input
        widgets(key=f"cf_{name}_{gen}").set_value(value)
    return at


GOOD = dict(name="Ani Wijaya", email="ani@setneg.go.id", subject="Draf SOP belum kembali",
            description="Draf kami kirim bulan lalu.")


def stored(app_store) -> list[dict]:
    repo = DuckDBRepository(app_store)
    try:
        return [c for c in repo.list("complaints") if not c["id"].startswith("ADU-DEMO")]
    finally:
        repo.close()


def test_the_form_refuses_a_filing_without_any_contact_and_keeps_the_text(app_store):
    at = fill(run_page("complaint_form"), **{**GOOD, "email": ""})
    button(at, "Kirim").click().run()
    assert not at.exception
    assert any("Kontak: isi paling sedikit satu dari NIP, email, atau telepon" in e.value for e in at.error)
    assert at.text_input(key="cf_subject_0").value == GOOD["subject"]  # the input stays
    assert at.text_area(key="cf_description_0").value == GOOD["description"]
    assert stored(app_store) == []


def test_the_form_refuses_over_long_text_with_the_limit_named(app_store):
    at = fill(run_page("complaint_form"), **{**GOOD, "description": "x" * 10_001})
    button(at, "Kirim").click().run()
    assert any("Uraian: paling banyak 10.000 karakter" in e.value for e in at.error)
    assert len(at.text_area(key="cf_description_0").value) == 10_001
    assert stored(app_store) == []


def test_the_form_refuses_a_bad_nip_naming_the_field(app_store):
    at = fill(run_page("complaint_form"), **{**GOOD, "email": "", "nip": "1234"})
    button(at, "Kirim").click().run()
    assert any(e.value.startswith("NIP: harus 18 angka") for e in at.error)
    assert stored(app_store) == []


def test_the_form_refuses_an_attachment_whose_content_is_not_an_accepted_kind(app_store):
    at = fill(run_page("complaint_form"), **GOOD)
    at.file_uploader(key="cf_file_0").upload("laporan.pdf", b"MZ\x90\x00 a program, not a pdf", "application/pdf")
    button(at, "Kirim").click().run()
    assert any("Lampiran: jenis berkas tidak diterima" in e.value for e in at.error)
    assert at.text_input(key="cf_subject_0").value == GOOD["subject"]
    assert stored(app_store) == []
    assert not list((app_store.parent / "lampiran").rglob("*.bin"))


def test_a_good_filing_shows_the_receipt_offers_it_for_download_and_clears_the_form(app_store):
    at = fill(run_page("complaint_form"), **GOOD)
    at.file_uploader(key="cf_file_0").upload("bukti.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    button(at, "Kirim").click().run()
    assert not at.exception and not at.error
    rows = stored(app_store)
    assert len(rows) == 1 and rows[0]["attachment_id"]
    number = rows[0]["receipt_no"]
    assert RECEIPT.fullmatch(number)
    assert number in texts(at) and "Terima kasih" in texts(at)
    assert at.download_button[0].label == "Unduh tanda terima"
    assert at.text_input(key="cf_subject_1").value == ""  # a fresh, empty form
    assert at.selectbox(key="cf_unit_1").value is None


def test_a_signed_in_unit_user_finds_the_form_prefilled(app_store):
    at = run_page("complaint_form", "unit1")
    assert at.selectbox(key="cf_unit_0").value == UNIT
    assert at.text_input(key="cf_name_0").value == "Petugas Biro Umum"
    assert "diambil dari akun Anda" in texts(at)


def test_the_session_limit_stops_further_filings_with_a_message(app_store):
    at = fill(run_page("complaint_form", session={"cf_count": 5}), **GOOD)
    button(at, "Kirim").click().run()
    assert any("paling banyak 5 pengaduan per sesi" in e.value for e in at.error)
    assert stored(app_store) == []


# ---- status lookup -----------------------------------------------------------------------------

def file_one(app_store) -> str:
    at = fill(run_page("complaint_form"), **{**GOOD, "phone": "0812 3456 7890"})
    button(at, "Kirim").click().run()
    return stored(app_store)[0]["receipt_no"]


def lookup(number: str, contact: str):
    at = run_page("complaint_status")
    at.text_input(key="cs_number").set_value(number)
    at.text_input(key="cs_contact").set_value(contact)
    return button(at, "Cek status").click().run()


def test_the_status_lookup_shows_the_status_for_the_right_contact_only(app_store):
    number = file_one(app_store)
    found = lookup(number, "+62 812-3456-7890")
    assert f"Status pengaduan {number}: Diterima" in texts(found)
    assert "ani@setneg.go.id" not in texts(found) and "Ani Wijaya" not in texts(found)
    wrong_contact = lookup(number, "budi@setneg.go.id")
    wrong_number = lookup("ADU-2026-9999", "ani@setneg.go.id")
    assert [e.value for e in wrong_contact.error] == [e.value for e in wrong_number.error]
    assert "Pengaduan tidak ditemukan" in wrong_contact.error[0].value
    assert "Status pengaduan" not in texts(wrong_contact)


# ---- the inbox ---------------------------------------------------------------------------------

def test_the_inbox_is_refused_to_someone_not_signed_in(app_store):
    at = run_page("complaint_inbox")
    assert "tidak berhak membuka halaman ini" in texts(at)
    assert not at.dataframe


def open_in_inbox(actor: str, number: str):
    return run_page("complaint_inbox", actor, query={"nomor": number})


def test_the_karo_delegates_the_kabag_follows_up_and_answers_and_the_karo_closes(app_store):
    number = file_one(app_store)
    at = open_in_inbox("karo", number)
    assert not at.exception
    assert "BARU" in at.dataframe[0].value.to_string()
    assert at.selectbox(key="ci_pick").value == number
    cid = stored(app_store)[0]["id"]
    at.text_area(key=f"ci_instruction_{cid}").set_value("Hubungi unit dan laporkan.")
    button(at, "Delegasikan ke Kabag").click().run()
    assert not at.error, [e.value for e in at.error]
    assert stored(app_store)[0]["status"] == "didelegasikan"
    assert "Delegasikan ke Kabag: tersimpan" in texts(at)

    kabag = open_in_inbox("kabag", number)
    assert not any(b.label == "Delegasikan ke Kabag" for b in kabag.button)  # not his move
    kabag.text_area(key=f"ci_fu_text_{cid}_0").set_value("Menelepon Bu Ani; draf dikirim ulang.")
    kabag.file_uploader(key=f"ci_fu_file_{cid}_0").upload("notulen.png", b"\x89PNG\r\n\x1a\n0000", "image/png")
    button(kabag, "Catat tindak lanjut").click().run()
    assert not kabag.error, [e.value for e in kabag.error]
    assert stored(app_store)[0]["status"] == "ditindaklanjuti"
    kabag.text_area(key=f"ci_answer_{cid}").set_value("Draf sudah dikirim ulang.")
    button(kabag, "Kirim jawaban").click().run()
    assert stored(app_store)[0]["status"] == "dijawab"

    karo = open_in_inbox("karo", number)
    log = karo.dataframe[1].value.to_string()
    assert "Menelepon Bu Ani" in log and "notulen.png" in log
    button(karo, "Tutup pengaduan").click().run()
    assert stored(app_store)[0]["status"] == "ditutup"
    assert "Status pengaduan " + number + ": Ditutup" in texts(lookup(number, "ani@setneg.go.id"))


def test_a_move_on_an_old_view_is_refused_and_names_who_changed_it(app_store):
    number = file_one(app_store)
    cid = stored(app_store)[0]["id"]
    first = open_in_inbox("karo", number)
    other = open_in_inbox("karo", number)
    button(other, "Tangani sendiri").click().run()
    assert stored(app_store)[0]["status"] == "ditindaklanjuti"
    first.text_area(key=f"ci_instruction_{cid}").set_value("Tolong ditangani.")
    button(first, "Delegasikan ke Kabag").click().run()
    assert any("sudah diubah oleh karo" in e.value for e in first.error)
    assert stored(app_store)[0]["status"] == "ditindaklanjuti"


@pytest.mark.parametrize("actor", ["kasubbag", "staf1"])
def test_the_kabags_team_may_log_but_not_answer(app_store, actor):
    number = file_one(app_store)
    karo = open_in_inbox("karo", number)
    cid = stored(app_store)[0]["id"]
    karo.text_area(key=f"ci_instruction_{cid}").set_value("Tindak lanjuti.")
    button(karo, "Delegasikan ke Kabag").click().run()
    at = open_in_inbox(actor, number)
    labels = {b.label for b in at.button}
    assert "Catat tindak lanjut" in labels and "Kirim jawaban" not in labels and "Tutup pengaduan" not in labels
