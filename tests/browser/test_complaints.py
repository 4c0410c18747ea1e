"""In Chromium, the whole path of a complaint: someone without an account files it and gets a
receipt number; the Karo delegates it to the Kabag; the Kabag logs what was done and answers; the
Karo closes it; the complainant sees 'Ditutup' by receipt number and contact."""
from __future__ import annotations

import re

import pytest

from data_access.duckdb_store import DuckDBRepository
from tests.browser.conftest import assert_no_exception, login, wait_for_app

RECEIPT = re.compile(r"ADU-\d{4}-\d{4}")
CONTACT = "ani.browser@setneg.go.id"


def fresh(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    pg = context.new_page()
    pg.set_default_timeout(30000)
    return context, pg


def click_and_wait(pg, button: str, done_text: str) -> None:
    pg.get_by_role("button", name=button, exact=True).click()
    pg.get_by_text(done_text).first.wait_for()
    wait_for_app(pg)
    assert_no_exception(pg)


def fill_form(pg, base: str, subject: str = "Draf SOP belum dikembalikan (uji browser)") -> None:
    pg.goto(f"{base}/pengaduan")
    wait_for_app(pg, "Sampaikan Pengaduan")
    pg.get_by_label("Unit kerja").click()
    pg.keyboard.type("Biro Umum")
    pg.get_by_role("option", name=re.compile("^Biro Umum")).first.click()
    wait_for_app(pg)
    pg.get_by_role("textbox", name="Nama", exact=True).fill("Ani (uji browser)")
    pg.get_by_role("textbox", name="Email", exact=True).fill(CONTACT)
    pg.get_by_role("textbox", name="Pokok masalah").fill(subject)
    pg.get_by_role("textbox", name="Uraian").fill("Draf kami kirim bulan lalu.\nMohon kabar. <b>bukan markup</b>")


def file_complaint(pg, base: str) -> str:
    fill_form(pg, base)
    click_and_wait(pg, "Kirim", "Terima kasih")
    return RECEIPT.search(pg.get_by_text("Terima kasih").first.inner_text()).group(0)


def open_inbox(pg, base: str, number: str) -> None:
    pg.goto(f"{base}/kotak-pengaduan?nomor={number}")
    wait_for_app(pg, f"Pengaduan {number}")
    assert_no_exception(pg)


@pytest.mark.parametrize("backend", ["duckdb_app", "sheets_app"])
def test_a_complaint_goes_from_filing_to_closed_and_the_complainant_sees_it(backend, request, browser):
    base = request.getfixturevalue(backend).url
    anon, pg = fresh(browser)
    pg.goto(base)  # the first start loads the demo data; let it finish before opening a page by URL
    wait_for_app(pg, "Prosedur")
    number = file_complaint(pg, base)
    pg.get_by_role("button", name="Unduh tanda terima").wait_for()

    karo_ctx, karo = fresh(browser)
    login(karo, base, "karo")
    open_inbox(karo, base, number)
    karo.get_by_text("BARU").first.wait_for()
    # The complainant's text shown as typed (the detail is drawn after the list: wait for it).
    karo.get_by_text("<b>bukan markup</b>").first.wait_for(timeout=30_000)
    assert "<b>bukan markup</b>" in karo.inner_text("body")
    karo.get_by_role("textbox", name="Arahan kepada Kabag").fill("Hubungi unit dan kirim ulang draf (uji browser).")
    click_and_wait(karo, "Delegasikan ke Kabag", "Delegasikan ke Kabag: tersimpan")

    kabag_ctx, kabag = fresh(browser)
    login(kabag, base, "kabag")
    open_inbox(kabag, base, number)
    kabag.get_by_role("textbox", name="Uraian tindak lanjut").fill("Menelepon Bu Ani; draf dikirim ulang.")
    click_and_wait(kabag, "Catat tindak lanjut", "Catat tindak lanjut: tersimpan")
    kabag.get_by_role("textbox", name="Jawaban kepada pengadu").fill("Draf sudah kami kirim ulang hari ini.")
    click_and_wait(kabag, "Kirim jawaban", "Kirim jawaban: tersimpan")

    open_inbox(karo, base, number)
    click_and_wait(karo, "Tutup pengaduan", "Tutup pengaduan: tersimpan")

    pg.goto(f"{base}/status-pengaduan")
    wait_for_app(pg, "Status Pengaduan")
    pg.get_by_role("textbox", name="Nomor tanda terima").fill(number)
    pg.get_by_role("textbox", name="Email, telepon, atau NIP").fill(CONTACT)
    click_and_wait(pg, "Cek status", f"Status pengaduan {number}")
    pg.get_by_text("Draf sudah kami kirim ulang hari ini.").wait_for()  # the answer is shown
    body = pg.inner_text("body")
    assert f"Status pengaduan {number}: Ditutup" in body and "Ditutup pada" in body
    assert "Hubungi unit" not in body and "Menelepon" not in body  # internal notes stay internal
    for ctx in (anon, karo_ctx, kabag_ctx):
        ctx.close()


def test_an_attachment_over_the_limit_is_refused_in_indonesian_and_the_form_keeps_its_text(duckdb_app, browser,
                                                                                             tmp_path):
    subject = "Lampiran terlalu besar (uji browser)"
    big = tmp_path / "laporan-besar.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024))  # the limit is 5 MB, the server takes 25
    anon, pg = fresh(browser)
    pg.goto(duckdb_app.url)
    wait_for_app(pg, "Prosedur")
    fill_form(pg, duckdb_app.url, subject)
    pg.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(big))
    pg.locator('[data-testid="stFileChipName"]').filter(has_text="laporan-besar.pdf").first.wait_for()
    wait_for_app(pg)
    pg.get_by_role("button", name="Kirim", exact=True).click()
    refusal = pg.get_by_text("terlalu besar").first
    refusal.wait_for()
    wait_for_app(pg)
    assert_no_exception(pg)
    shown = refusal.inner_text().replace("\u2060", "")  # the word joiner ui.safe_text puts after a colon
    assert "Lampiran: berkas 6,0 MB terlalu besar" in shown and "paling besar 5 MB" in shown
    assert "must be" not in pg.locator("body").inner_text()  # no English message from the uploader
    assert pg.get_by_role("textbox", name="Pokok masalah").input_value() == subject  # the form keeps its text
    store = DuckDBRepository(duckdb_app.env["SOP_DUCKDB_PATH"], lock_timeout=30)
    assert [c for c in store.list("complaints") if c["subject"] == subject] == []  # nothing was filed
    store.close()
    anon.close()


def test_an_empty_complaint_form_shows_all_its_problems_at_once_and_keeps_what_was_typed(duckdb_app, page):
    page.goto(f"{duckdb_app.url}/pengaduan")
    wait_for_app(page, "Sampaikan Pengaduan")
    page.get_by_label("Nama", exact=True).fill("Ani Wijaya")
    page.get_by_role("button", name="Kirim", exact=True).click()
    alert = page.locator('[data-testid="stAlertContentError"]').filter(has_text="Periksa")
    alert.wait_for()
    text = alert.inner_text()
    assert "Periksa 4 isian berikut" in text
    for problem in ("Unit kerja:", "Kontak:", "Pokok masalah: wajib diisi.", "Uraian: wajib diisi."):
        assert problem in text, problem
    assert "Nama:" not in text
    assert page.get_by_label("Nama", exact=True).input_value() == "Ani Wijaya"
    assert_no_exception(page)
