"""The Karo gets the year's evaluation PDF in two clicks in the real app; a staff member gets
their own one-page sheet."""
from __future__ import annotations

import io

from pypdf import PdfReader

from tests.browser.conftest import assert_no_exception, login, wait_for_app


def signed_in(page, url: str, username: str) -> None:
    page.goto(url)  # let a fresh app finish preparing its store before the sign-in form is used
    wait_for_app(page, "Prosedur")
    login(page, url, username)


def test_the_karo_downloads_the_yearly_pdf_in_two_clicks(duckdb_app, page):
    signed_in(page, duckdb_app.url, "karo")
    page.goto(f"{duckdb_app.url}/evaluasi")
    wait_for_app(page, "Tahun evaluasi")
    assert_no_exception(page)
    # The preview's charts: the browser draws the four altair charts below the tables.
    charts = page.locator("[data-testid='stExpander'] .vega-embed")
    charts.nth(3).wait_for(timeout=30000)
    assert charts.count() == 4
    page.get_by_role("button", name="Siapkan PDF tahunan").click()  # click 1
    link = page.get_by_role("button", name="Unduh PDF tahunan")
    link.wait_for(timeout=60000)
    with page.expect_download() as download:
        link.click()  # click 2
    data = open(download.value.path(), "rb").read()
    reader = PdfReader(io.BytesIO(data))
    n = len(reader.pages)
    assert n > 5 and f"Halaman 1 dari {n}" in reader.pages[0].extract_text()
    assert download.value.suggested_filename.startswith("evaluasi-kinerja-pelaksana-")
    assert_no_exception(page)


def test_a_staff_member_downloads_their_own_sheet(duckdb_app, page):
    signed_in(page, duckdb_app.url, "staf1")
    page.goto(f"{duckdb_app.url}/evaluasi")
    wait_for_app(page, "Lembar evaluasi saya")
    assert page.get_by_role("button", name="Siapkan PDF tahunan").count() == 0
    page.get_by_role("button", name="Siapkan lembar saya").click()
    link = page.get_by_role("button", name="Unduh lembar")
    link.wait_for(timeout=60000)
    with page.expect_download() as download:
        link.click()
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    assert len(reader.pages) == 1 and "Halaman 1 dari 1" in reader.pages[0].extract_text()
    assert_no_exception(page)
