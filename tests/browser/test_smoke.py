"""Every page the navigation offers renders in Chromium without an exception box."""
import pytest

from domain.permissions import ADMIN, KABAG, KARO, UNIT_USER, Actor, allowed
from tests.browser.conftest import assert_no_exception, login, wait_for_app
from ui.navigation import PAGES

# Texts that mean a page did not do its work: a refusal, or an error the app shell caught and
# turned into a message (app.py shows any exception of a page as "kesalahan tak terduga").
FAILED = ("tak terduga", "Traceback", "Anda tidak berhak")


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


@pytest.mark.parametrize("username, role", [("karo", KARO), ("kabag", KABAG), ("unit1", UNIT_USER),
                                            ("admin", ADMIN)])
def test_every_page_a_role_may_open_does_its_work_when_signed_in(duckdb_app, page, username, role):
    login(page, duckdb_app.url, username)
    actor = Actor(id=username, username=username, roles=frozenset({role}))  # signed in: an id
    opened = 0
    for spec in PAGES:
        if spec.url == "masuk" or not allowed(actor, spec.action):
            continue
        page.goto(f"{duckdb_app.url}/{spec.url}")
        wait_for_app(page)
        page.get_by_text("Masuk sebagai").first.wait_for()  # still signed in on this address
        page.wait_for_timeout(300)
        assert_no_exception(page)
        text = page.locator('[data-testid="stMain"]').inner_text()
        for bad in FAILED:
            assert bad not in text, f"{spec.url} as {username}: {bad!r} in {text[:600]!r}"
        opened += 1
    assert opened >= 4  # the three public pages and at least one of the role's own
