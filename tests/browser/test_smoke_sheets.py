"""The real app on Google Sheets (the local Sheets stand-in over HTTP) renders every page in Chromium,
reads with batch calls only, and shows an unreachable sheet as a message, never a traceback."""
from domain.permissions import KARO, Actor, allowed
from tests.browser.conftest import assert_no_exception, login, wait_for_app
from tests.browser.test_smoke import FAILED
from ui.navigation import PAGES


def test_the_home_page_runs_on_sheets_with_the_demo_data(sheets_app, page):
    page.goto(sheets_app.url)
    wait_for_app(page, "Prosedur")
    assert page.get_by_text("Data demo").count() >= 1
    # The backend is named in the caption under the procedure table, drawn after "Prosedur".
    page.get_by_text("sheets").first.wait_for(timeout=30_000)
    assert_no_exception(page)
    standin, sid = sheets_app.standin, sheets_app.spreadsheet_id
    assert len(standin.rows(sid, "cases")) > 1 and len(standin.rows(sid, "units")) > 1
    assert standin.formula_cells(sid) == set() and standin.errors == []


def test_every_page_renders_on_sheets_and_reads_only_in_batches(sheets_app, page):
    standin = sheets_app.standin
    standin.reset_counts()
    for spec in PAGES:
        page.goto(f"{sheets_app.url}/{spec.url}")
        wait_for_app(page)
        page.wait_for_timeout(300)
        assert_no_exception(page)
        assert "Traceback" not in page.content()
    kinds = {r.kind for r in standin.requests}
    assert kinds <= {"batchGet", "batchUpdate", "token"}, kinds
    assert standin.count("batchGet") >= 1


def test_an_unreachable_sheet_is_a_message_in_the_page_and_the_input_stays(sheets_app, page):
    # Page reads are cached for a short while, so the fault is met by a read that is never cached:
    # the status look-up. Its read and its quick retry both lose the connection.
    page.goto(f"{sheets_app.url}/status-pengaduan")
    wait_for_app(page, "Nomor tanda terima")
    page.get_by_label("Nomor tanda terima").fill("ADU-2026-0001")
    page.get_by_label("Email, telepon, atau NIP yang diisi saat mengirim").fill("ani@setneg.go.id")
    standin = sheets_app.standin
    standin.drop_next(2, kind="batchGet")
    try:
        page.get_by_role("button", name="Cek status").click()
        page.get_by_text("Google Sheets tidak dapat dihubungi").first.wait_for()
        assert_no_exception(page)
        assert "Traceback" not in page.content()
        assert page.get_by_label("Nomor tanda terima").input_value() == "ADU-2026-0001"
    finally:
        standin.clear_faults()
    page.goto(sheets_app.url)
    wait_for_app(page, "Prosedur")


def test_every_page_the_karo_may_open_does_its_work_on_sheets(sheets_app, page):
    login(page, sheets_app.url, "karo")
    actor = Actor(id="karo", username="karo", roles=frozenset({KARO}))  # signed in: an id
    for spec in PAGES:
        if spec.url == "masuk" or not allowed(actor, spec.action):
            continue
        page.goto(f"{sheets_app.url}/{spec.url}")
        wait_for_app(page)
        page.get_by_text("Masuk sebagai").first.wait_for()
        page.wait_for_timeout(300)
        assert_no_exception(page)
        text = page.locator('[data-testid="stMain"]').inner_text()
        for bad in FAILED:
            assert bad not in text, f"{spec.url}: {bad!r} in {text[:600]!r}"
    assert sheets_app.standin.formula_cells(sheets_app.spreadsheet_id) == set()
