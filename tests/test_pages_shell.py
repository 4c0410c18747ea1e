"""The app shell and home page through AppTest."""
from tests.apptest_helpers import readable, run_page, texts


def test_the_home_page_shows_the_procedure_with_demo_data(app_store):
    at = run_page("home")
    assert not at.exception
    assert "Prosedur" in texts(at) and "Data demo" in texts(at)
    assert app_store.exists()


def test_a_page_refuses_an_anonymous_visitor_opened_directly_and_audits_it(app_store):
    at = run_page("dashboard")
    assert not at.exception
    assert any("tidak berhak" in readable(e.value) for e in at.error)
    from data_access.duckdb_store import DuckDBRepository

    entries = DuckDBRepository(app_store).audit("page")
    assert any(e["action"] == "permission_refused" and e["actor"] == "anonim" for e in entries)


def test_english_is_available(app_store):
    at = run_page("home", session={"lang": "en"})
    assert "The procedure" in texts(at)
