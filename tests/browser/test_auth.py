"""Sign-in in Chromium: a unit user cannot reach the tracker by URL, a sign-in survives opening
another address until sign-out, and guessing passwords locks the account."""
import time

from tests.browser.conftest import DEMO_PASSWORD, assert_no_exception, login, wait_for_app

REFUSED = "Anda tidak berhak membuka halaman ini"


def test_a_unit_user_cannot_reach_the_tracker_by_url_and_sees_the_refusal(duckdb_app, page):
    login(page, duckdb_app.url, "unit1")
    page.goto(f"{duckdb_app.url}/kasus")
    wait_for_app(page, REFUSED)
    assert page.get_by_text("Masuk sebagai").count() == 1, "still signed in, yet refused"
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("Daftar Kasus").count() == 0 and sidebar.get_by_text("Usulan SP/SOP").count() == 1
    assert page.get_by_text("Daftar Kasus").count() == 0
    assert_no_exception(page)


def test_a_sign_in_survives_opening_another_address_until_sign_out(duckdb_app, page):
    login(page, duckdb_app.url, "karo")
    page.goto(f"{duckdb_app.url}/kasus")
    wait_for_app(page, "Masuk sebagai")
    assert page.get_by_text(REFUSED).count() == 0
    cookie = [c for c in page.context.cookies() if c["name"] == "sop_sesi"]
    assert cookie and cookie[0]["sameSite"] == "Strict" and len(cookie[0]["value"]) >= 40
    page.get_by_role("button", name="Keluar").first.click()
    wait_for_app(page, "Anda telah keluar.")
    page.goto(f"{duckdb_app.url}/kasus")
    wait_for_app(page, REFUSED)
    assert page.get_by_text("Belum masuk").count() == 1
    page.context.add_cookies([{**cookie[0]}])  # the old token, replayed after sign-out, opens nothing
    page.goto(f"{duckdb_app.url}/kasus")
    wait_for_app(page, REFUSED)
    assert page.get_by_text("Masuk sebagai").count() == 0
    assert_no_exception(page)


def failures(app, username: str) -> int:
    """The account's failure count as stored (the app holds the DuckDB file only while it works)."""
    from data_access.duckdb_store import DuckDBRepository

    repo = DuckDBRepository(app.env["SOP_DUCKDB_PATH"])
    try:
        return repo.list("accounts", {"username": username})[0]["failed_attempts"]
    finally:
        repo.close()


def test_guessing_passwords_locks_the_account_against_the_right_one(duckdb_app, page):
    page.goto(f"{duckdb_app.url}/masuk")
    wait_for_app(page, "Nama pengguna")
    for i in range(5):
        page.get_by_label("Nama pengguna").fill("staf2")
        page.get_by_label("Kata sandi").fill(f"tebakan-{i}-salah")
        page.get_by_role("button", name="Masuk").click()
        deadline = time.monotonic() + 30
        while failures(duckdb_app, "staf2") < i + 1 and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        wait_for_app(page, "Nama pengguna atau kata sandi salah, atau akun sedang dikunci")
    answer = page.get_by_text("atau akun sedang dikunci").first.inner_text()
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_timeout(2500)  # the answer comes after the delay for a fifth failure
    wait_for_app(page, "atau akun sedang dikunci")
    assert page.get_by_text("atau akun sedang dikunci").first.inner_text() == answer  # locked: the same answer
    assert page.get_by_text("Masuk sebagai").count() == 0
    assert failures(duckdb_app, "staf2") == 5
    assert_no_exception(page)
