"""A link straight to a page works on the first visit after the server starts, and an address that
names no page opens the home page with the app's own Indonesian notice, never Streamlit's English
"Page not found"."""
import pytest

from tests.browser.conftest import DEMO_PASSWORD, AppServer, assert_no_exception, wait_for_app

NOT_FOUND = "Page not found"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, browser):
    """A DuckDB store with the demo data, made by one earlier run of the app (then stopped)."""
    tmp = tmp_path_factory.mktemp("addresses")
    server = AppServer(env_for(tmp), tmp).start()
    try:
        pg = browser.new_page()
        pg.goto(server.url)
        wait_for_app(pg, "Prosedur")
        pg.close()
    finally:
        server.stop()
    return tmp


def env_for(tmp) -> dict[str, str]:
    return {"SOP_BACKEND": "duckdb", "SOP_DUCKDB_PATH": str(tmp / "store.duckdb"),
            "SOP_ATTACHMENTS_DIR": str(tmp / "lampiran"), "SOP_DEMO_PASSWORD": DEMO_PASSWORD}


@pytest.fixture
def fresh_server(store_dir):
    """A server just started: no browser has run the app in it yet."""
    server = AppServer(env_for(store_dir), store_dir).start()
    yield server
    server.stop()


@pytest.mark.parametrize("address, heading", [("pengaduan", "Sampaikan Pengaduan"),
                                              ("status-pengaduan", "Status Pengaduan")])
def test_the_first_visit_after_a_start_straight_to_a_public_page_shows_it_without_page_not_found(
        fresh_server, page, address, heading):
    page.goto(f"{fresh_server.url}/{address}")
    wait_for_app(page)
    page.locator("h1").filter(has_text=heading).wait_for()
    page.wait_for_timeout(1500)  # Streamlit's notice, when it comes, comes with the first run
    assert page.get_by_text(NOT_FOUND).count() == 0
    assert page.get_by_role("dialog").count() == 0
    assert page.url.endswith(f"/{address}")
    assert_no_exception(page)


def test_an_address_that_names_no_page_opens_the_home_page_with_an_indonesian_notice(duckdb_app, page):
    page.goto(f"{duckdb_app.url}/tidak-ada-halaman")
    wait_for_app(page, "Prosedur")
    page.get_by_text("Alamat /tidak-ada-halaman tidak ada di aplikasi ini").wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_text(NOT_FOUND).count() == 0 and page.get_by_role("dialog").count() == 0
    assert_no_exception(page)


def test_the_home_page_opened_by_its_own_name_shows_no_notice(duckdb_app, page):
    page.goto(f"{duckdb_app.url}/beranda")
    wait_for_app(page, "Prosedur")
    page.wait_for_timeout(500)
    assert page.get_by_text(NOT_FOUND).count() == 0 and page.get_by_text("tidak ada di aplikasi ini").count() == 0
    assert_no_exception(page)
