"""Every page the navigation offers renders in Chromium without an exception box."""
from tests.browser.conftest import assert_no_exception, wait_for_app
from ui.navigation import PAGES


def test_the_home_page_shows_the_procedure_and_demo_label(duckdb_app, page):
    page.goto(duckdb_app.url)
    wait_for_app(page, "Prosedur")
    assert page.get_by_text("Data demo").count() >= 1
    assert_no_exception(page)


def test_every_page_renders_without_an_exception_box(duckdb_app, page):
    for spec in PAGES:
        page.goto(f"{duckdb_app.url}/{spec.url}")
        wait_for_app(page)
        page.wait_for_timeout(300)
        assert_no_exception(page)
        assert "Traceback" not in page.content()
