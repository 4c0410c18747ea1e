"""The language a person picks is kept: for the browser (a reload, another address) and, signed in,
with the account (another browser after signing in); every label follows the choice at once."""
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, assert_no_exception, login, wait_for_app


def choose(pg, label: str, option: str) -> None:
    """Pick ``option`` in the sidebar's language box (labelled ``label`` in the current language)."""
    box = pg.locator('[data-testid="stSidebar"]').get_by_label(label, exact=True)
    box.scroll_into_view_if_needed()
    pg.wait_for_timeout(300)  # a box scrolled into view closes its list again on the first click
    box.click()
    pg.get_by_role("option", name=option).click()


def test_english_chosen_before_signing_in_survives_a_reload_and_another_address(duckdb_app, page):
    page.goto(duckdb_app.url)
    wait_for_app(page, "Prosedur")
    choose(page, "Bahasa", "English")
    wait_for_app(page, "The procedure")
    page.wait_for_function("() => document.cookie.includes('sop_bahasa=en')")
    page.reload()
    wait_for_app(page, "The procedure")
    assert page.get_by_text("Not signed in").count() == 1
    page.goto(f"{duckdb_app.url}/pengaduan")
    wait_for_app(page, "File a Complaint")
    assert page.get_by_text("Sampaikan Pengaduan").count() == 0
    assert_no_exception(page)


def test_a_choice_made_signed_in_follows_the_account_to_another_browser(duckdb_app, page, browser):
    login(page, duckdb_app.url, "kasubbag")
    page.goto(f"{duckdb_app.url}/kasus")
    wait_for_app(page, "Daftar Kasus")
    status = page.get_by_label("Status", exact=True).first
    status.click()
    page.get_by_role("option", name="Aktif").click()
    page.keyboard.press("Escape")
    wait_for_app(page, "kasus sesuai saringan")
    choose(page, "Bahasa", "English")
    wait_for_app(page, "cases match")
    # The filter's chosen option and every label follow in the same run, without navigating.
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Aktif", exact=True)).to_have_count(0)  # the chosen status, and the table's
    expect(main.get_by_label("Status", exact=True).locator("xpath=ancestor::*[4]")).to_contain_text("Active")
    expect(main.get_by_label("Timeliness", exact=True)).to_have_value("All")
    assert main.get_by_text("Organisation", exact=True).count() == 1

    other = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        pg = other.new_page()
        pg.set_default_timeout(30000)
        pg.goto(f"{duckdb_app.url}/masuk")
        wait_for_app(pg, "Nama pengguna")  # a new browser: Indonesian until the account is known
        pg.get_by_label("Nama pengguna").fill("kasubbag")
        pg.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
        pg.get_by_role("button", name="Masuk").click()
        wait_for_app(pg, "Signed in as")
        assert pg.get_by_text("Account", exact=True).count() >= 1  # the sign-in page is the account page now
        pg.reload()
        wait_for_app(pg, "Signed in as")
        assert_no_exception(pg)
    finally:
        other.close()


def test_a_signed_in_person_sees_their_account_page_named_account_in_the_menu(duckdb_app, page):
    page.goto(duckdb_app.url)
    wait_for_app(page, "Prosedur")
    nav = page.locator('[data-testid="stSidebarNav"]')
    assert nav.get_by_text("Masuk", exact=True).count() == 1 and nav.get_by_text("Akun", exact=True).count() == 0
    login(page, duckdb_app.url, "staf1")
    # Signed in, the Bureau's menu is long enough for Streamlit to fold its end behind "show more".
    more = nav.get_by_text("lagi", exact=False)
    more.first.wait_for()
    more.first.click()
    nav.get_by_text("Akun", exact=True).wait_for()
    assert nav.get_by_text("Masuk", exact=True).count() == 0
    assert page.locator("h1").filter(has_text="Akun").count() == 1


def test_streamlit_own_words_on_the_complaint_form_follow_the_chosen_language(duckdb_app, page):
    page.goto(f"{duckdb_app.url}/pengaduan")
    wait_for_app(page, "Sampaikan Pengaduan")
    main = page.locator('[data-testid="stMain"]')
    dropzone = main.locator('[data-testid="stFileUploaderDropzone"]')
    expect(dropzone).to_contain_text("per berkas")
    expect(dropzone.get_by_role("button", name="Unggah", exact=True)).to_have_count(1)
    assert main.locator('[aria-label^="Help for"]').count() == 0
    assert main.locator('[aria-label^="Bantuan untuk"]').count() >= 1
    for english in ("per file", "Drag and drop", "Browse files"):
        assert english not in dropzone.inner_text(), english
    assert dropzone.get_by_role("button", name="Upload", exact=True).count() == 0
    choose(page, "Bahasa", "English")
    wait_for_app(page, "File a Complaint")
    expect(dropzone).to_contain_text("per file")
    expect(dropzone.get_by_role("button", name="Upload", exact=True)).to_have_count(1)
    assert main.locator('[aria-label^="Help for"]').count() >= 1
    assert "berkas" not in dropzone.inner_text()
    assert_no_exception(page)
