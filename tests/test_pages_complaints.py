"""The complaint pages through Streamlit's AppTest on a real DuckDB file (demo data loaded):
the intake form (refusals with messages and the input kept; receipt shown; form cleared), the
status lookup, and the inbox moves from delegation to closing."""
from __future__ import annotations

import re

import pytest

from data_access.duckdb_store import DuckDBRepository
from tests.apptest_helpers import readable, run_page, texts

UNIT = "UNIT-SETMEN-2"
RECEIPT = re.compile(r"ADU-\d{4}-\d{4}")


def button(at, label):
    return next(b for b in at.button if readable(b.label) == label)


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
    assert any("Kontak: isi paling sedikit satu dari NIP, email, atau telepon" in readable(e.value) for e in at.error)
    assert at.text_input(key="cf_subject_0").value == GOOD["subject"]  # the input stays
    assert at.text_area(key="cf_description_0").value == GOOD["description"]
    assert stored(app_store) == []


def test_an_empty_form_shows_every_problem_at_once_and_files_nothing(app_store):
    at = run_page("complaint_form")
    button(at, "Kirim").click().run()
    assert not at.exception
    [message] = [readable(e.value) for e in at.error]
    assert message.startswith("Periksa 5 isian berikut")
    for problem in ("Unit kerja: pilih unit kerja Anda", "Nama: wajib diisi.", "Kontak: isi paling sedikit satu",
                    "Pokok masalah: wajib diisi.", "Uraian: wajib diisi."):
        assert problem in message
    assert stored(app_store) == []


def test_several_problems_are_named_together_and_what_was_typed_stays(app_store):
    at = fill(run_page("complaint_form"), name="Ani Wijaya", email="ani@", phone="12", subject="",
              description="Draf kami kirim bulan lalu.")
    button(at, "Kirim").click().run()
    [message] = [readable(e.value) for e in at.error]
    assert "Periksa 3 isian berikut" in message
    assert "Email: alamat tidak sah" in message and "Telepon: nomor tidak sah" in message
    assert "Pokok masalah: wajib diisi." in message and "Kontak:" not in message
    assert at.text_input(key="cf_name_0").value == "Ani Wijaya" and at.text_input(key="cf_email_0").value == "ani@"
    assert at.text_area(key="cf_description_0").value == "Draf kami kirim bulan lalu."
    assert stored(app_store) == []


def test_in_english_the_problems_are_worded_in_english(app_store):
    at = run_page("complaint_form", session={"lang": "en"})
    next(b for b in at.button if readable(b.label) == "Send").click().run()
    [message] = [readable(e.value) for e in at.error]
    assert message.startswith("Check these 5 fields") and "Name: required." in message
    assert "wajib" not in message and "Isian" not in message


def test_the_form_refuses_over_long_text_with_the_limit_named(app_store):
    at = fill(run_page("complaint_form"), **{**GOOD, "description": "x" * 10_001})
    button(at, "Kirim").click().run()
    assert any("Uraian: paling banyak 10.000 karakter" in readable(e.value) for e in at.error)
    assert len(at.text_area(key="cf_description_0").value) == 10_001
    assert stored(app_store) == []


def test_the_form_refuses_a_bad_nip_naming_the_field(app_store):
    at = fill(run_page("complaint_form"), **{**GOOD, "email": "", "nip": "1234"})
    button(at, "Kirim").click().run()
    assert any(readable(e.value).startswith("NIP: harus 18 angka") for e in at.error)
    assert stored(app_store) == []


def test_the_form_refuses_an_attachment_whose_content_is_not_an_accepted_kind(app_store):
    at = fill(run_page("complaint_form"), **GOOD)
    at.file_uploader(key="cf_file_0").upload("laporan.pdf", b"MZ\x90\x00 a program, not a pdf", "application/pdf")
    button(at, "Kirim").click().run()
    assert any("Lampiran: jenis berkas tidak diterima" in readable(e.value) for e in at.error)
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


def demo_cases(app_store) -> list[dict]:
    repo = DuckDBRepository(app_store)
    try:
        return repo.list("cases")
    finally:
        repo.close()


def shown_options(at) -> str:
    """Every option any selectbox on the page offers, as drawn, plus the page's texts."""
    return "\n".join([*(str(o) for sb in at.selectbox for o in sb.options), texts(at)])


def test_an_anonymous_visitor_sees_no_case_titles_only_a_free_text_case_number(app_store):
    at = fill(run_page("complaint_form"), **GOOD)
    assert not at.exception
    cases = demo_cases(app_store)
    own = [c for c in cases if UNIT in (c.get("unit_ids") or [])]
    assert own, "the demo data should have cases of the unit"
    shown = shown_options(at)
    assert not [c["title"] for c in cases if c["title"] in shown]
    assert not [c["number"] for c in cases if c["number"] in shown]
    assert not any(sb.key == "cf_case_0" for sb in at.selectbox)
    at.text_input(key="cf_case_ref_0").set_value(own[0]["number"])
    button(at, "Kirim").click().run()
    assert not at.error, [readable(e.value) for e in at.error]
    row = stored(app_store)[0]
    assert row["case_ref"] == own[0]["number"] and row["case_id"] is None
    assert own[0]["title"] not in texts(at)  # the receipt names no case either


def test_a_signed_in_unit_user_sees_only_their_own_units_cases(app_store):
    at = run_page("complaint_form", "unit1")
    assert not at.exception
    cases = demo_cases(app_store)
    own = {c["id"] for c in cases if UNIT in (c.get("unit_ids") or [])}
    others = [c for c in cases if c["id"] not in own]
    offered = [o for o in at.selectbox(key="cf_case_0").options if o != "Tidak ada / tidak tahu"]
    assert own and sorted(offered) == sorted(f"{c['number']} — {c['title']}" for c in cases if c["id"] in own)
    shown = shown_options(at)
    assert not [c["number"] for c in others if c["number"] in shown]  # numbers are unique
    # Another unit picked: no list, only the free-text number.
    other_unit = next(u for c in others for u in (c.get("unit_ids") or []) if u != UNIT)
    at.selectbox(key="cf_unit_0").set_value(other_unit).run()
    assert not any(sb.key == "cf_case_0" for sb in at.selectbox)
    assert at.text_input(key="cf_case_ref_0") is not None


def test_the_complaint_limit_of_an_address_survives_a_reload(app_store, monkeypatch):
    monkeypatch.setenv("SOP_COMPLAINTS_PER_ADDRESS", "2")
    for i in range(2):  # each run_page is a new browser session, as after a reload
        at = fill(run_page("complaint_form"), **{**GOOD, "subject": f"Pengaduan ke-{i + 1}"})
        button(at, "Kirim").click().run()
        assert not at.error, [readable(e.value) for e in at.error]
    at = fill(run_page("complaint_form"), **{**GOOD, "subject": "Pengaduan ketiga"})
    button(at, "Kirim").click().run()
    assert any(readable(e.value).startswith("Pengaduan: dari alamat jaringan Anda sudah masuk 2 pengaduan")
               for e in at.error)
    assert at.text_input(key="cf_subject_0").value == "Pengaduan ketiga"  # the form keeps its text
    assert sorted(c["subject"] for c in stored(app_store)) == ["Pengaduan ke-1", "Pengaduan ke-2"]
    repo = DuckDBRepository(app_store)
    assert [e["action"] for e in repo.audit("flood_counts") if e["action"] == "flood_refused"] == ["flood_refused"]
    repo.close()


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
    assert [readable(e.value) for e in wrong_contact.error] == [readable(e.value) for e in wrong_number.error]
    assert "Pengaduan tidak ditemukan" in readable(wrong_contact.error[0].value)
    assert "Status pengaduan" not in texts(wrong_contact)


def test_failed_look_ups_are_refused_after_the_limit_even_after_a_reload(app_store, monkeypatch):
    monkeypatch.setenv("SOP_LOOKUP_FAILURES_PER_ADDRESS", "2")
    number = file_one(app_store)
    for guess in ("ADU-2026-9998", "ADU-2026-9999"):  # each lookup() is a new browser session
        assert "Pengaduan tidak ditemukan" in texts(lookup(guess, "ani@setneg.go.id"))
    refused = lookup(number, "+62 812-3456-7890")  # even the right number and contact
    assert any(readable(e.value).startswith("Nomor tanda terima: terlalu banyak pencarian") for e in refused.error)
    assert "Status pengaduan " + number not in texts(refused)


def test_a_unit_user_sees_their_units_complaints_on_the_status_page_and_not_another_units(app_store):
    from data_access.file_store import LocalFileStore
    from domain import complaints as cp
    from domain.calendar import WorkCalendar
    from domain.permissions import NOBODY

    run_page("complaint_status")  # loads the demo data
    repo = DuckDBRepository(app_store)
    try:
        other = next(u["id"] for u in repo.list("units") if u["id"] != UNIT and u.get("active") is not False)
        for unit_id, subject in ((UNIT, "Keluhan unit sendiri"), (other, "Keluhan unit lain")):
            cp.submit_complaint(repo, NOBODY, WorkCalendar(), cp.NewComplaint(
                unit_id=unit_id, name="Ani Wijaya", email="ani@setneg.go.id", phone="0812 3456 7890",
                subject=subject, description="Rahasia internal"), files=LocalFileStore(app_store.parent / "l"))
        own_numbers = {c["receipt_no"] for c in repo.list("complaints", {"unit_id": UNIT})}
        other_numbers = {c["receipt_no"] for c in repo.list("complaints", {"unit_id": other})}
    finally:
        repo.close()

    at = run_page("complaint_status", "unit1")
    assert not at.exception
    assert "Pengaduan untuk unit kerja Anda" in texts(at)
    table = at.dataframe[0].value
    shown = table.to_string()
    assert "Keluhan unit sendiri" in shown and "Keluhan unit lain" not in shown
    assert set(table["Nomor"]) == own_numbers and not other_numbers & set(table["Nomor"])
    for secret in ("ani@setneg.go.id", "Ani Wijaya", "0812", "Rahasia internal"):
        assert secret not in shown and secret not in texts(at)

    anonymous = run_page("complaint_status")
    assert "Pengaduan untuk unit kerja Anda" not in texts(anonymous) and not anonymous.dataframe
    karo = run_page("complaint_status", "karo")
    assert "Pengaduan untuk unit kerja Anda" not in texts(karo) and not karo.dataframe


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
    assert not at.error, [readable(e.value) for e in at.error]
    assert stored(app_store)[0]["status"] == "didelegasikan"
    assert "Delegasikan ke Kabag: tersimpan" in texts(at)

    kabag = open_in_inbox("kabag", number)
    assert not any(b.label == "Delegasikan ke Kabag" for b in kabag.button)  # not his move
    kabag.text_area(key=f"ci_fu_text_{cid}_0").set_value("Menelepon Bu Ani; draf dikirim ulang.")
    kabag.file_uploader(key=f"ci_fu_file_{cid}_0").upload("notulen.png", b"\x89PNG\r\n\x1a\n0000", "image/png")
    button(kabag, "Catat tindak lanjut").click().run()
    assert not kabag.error, [readable(e.value) for e in kabag.error]
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
    assert any("sudah diubah oleh karo" in readable(e.value) for e in first.error)
    assert stored(app_store)[0]["status"] == "ditindaklanjuti"


@pytest.mark.parametrize("actor", ["kasubbag", "staf1"])
def test_the_kabags_team_logs_only_once_the_kabag_assigns_them_and_never_answers(app_store, actor):
    number = file_one(app_store)
    karo = open_in_inbox("karo", number)
    cid = stored(app_store)[0]["id"]
    karo.text_area(key=f"ci_instruction_{cid}").set_value("Tindak lanjuti.")
    button(karo, "Delegasikan ke Kabag").click().run()
    before = open_in_inbox(actor, number)  # not assigned yet: may not log
    assert "Catat tindak lanjut" not in {b.label for b in before.button}
    assert "Belum ada pelaksana yang ditugaskan" in texts(before)
    assert not any(b.label == "Tugaskan pelaksana" for b in before.button)  # only the Kabag assigns

    kabag = open_in_inbox("kabag", number)
    executor = {"kasubbag": "EX-KASUBBAG", "staf1": "EX-STAF1"}[actor]
    kabag.multiselect(key=f"ci_assign_{cid}").set_value([executor])
    button(kabag, "Tugaskan pelaksana").click().run()
    assert not kabag.error, [readable(e.value) for e in kabag.error]
    assert stored(app_store)[0]["assigned_to"] == [executor]
    assert "Tugaskan pelaksana: tersimpan" in texts(kabag)

    at = open_in_inbox(actor, number)
    labels = {b.label for b in at.button}
    assert "Catat tindak lanjut" in labels and "Kirim jawaban" not in labels and "Tutup pengaduan" not in labels
    other = open_in_inbox("staf1" if actor == "kasubbag" else "kasubbag", number)  # the one not assigned
    assert "Catat tindak lanjut" not in {b.label for b in other.button}
    assert "Pelaksana yang ditugaskan" in texts(other)


def test_the_inbox_flag_column_is_wide_enough_for_its_longest_flag(app_store):
    import json

    at = run_page("complaint_inbox", "karo")
    assert not at.exception
    table = at.dataframe[0]
    flags = [readable(v) for v in table.value["Tanda"]]
    assert any("·" in f for f in flags)  # a complaint both overdue and new carries two flags
    config = json.loads(table.proto.columns)
    width = next(c["width"] for c in config.values() if c.get("label") == "Tanda")
    assert width >= 9 * max(len(f) for f in flags)
