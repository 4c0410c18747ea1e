"""The real app on Google Sheets (the local stand-in, counting every request) through real page loads
in Chromium with the sign-in cookie: a page opened by its address costs one read cold and none within
the cache window, sign-in restore included; filing a complaint costs the claim, one read and one
write; during an outage a signed-in person stays signed in, sees that Google Sheets cannot be
reached after one bounded round of retries, and no refusal is audited; a hand-typed date never takes
a page down."""
from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

import pytest

from tests.browser.conftest import assert_no_exception, login, sheets_server, wait_for_app, warm_up
from ui.context import READ_CACHE_SECONDS
from ui.navigation import PAGES
from ui.page_reads import SETTINGS_TABLES

RETRIES, BACKOFF = 3, 0.3  # this server's retry settings: 3 retries after 0.3, 0.6 and 1.2 s
UNREACHABLE = "Google Sheets tidak dapat dihubungi"


@pytest.fixture(scope="module")
def app(tmp_path_factory, browser):
    server = sheets_server(tmp_path_factory.mktemp("sheets-budget"),
                           f"sheets_retries = {RETRIES}\nsheets_backoff_seconds = {BACKOFF}\n")
    try:
        server.start()
        warm_up(browser, server.url)
        yield server
    finally:
        server.stop()
        server.standin.stop()
    assert server.standin.errors == []


def api_calls(standin) -> dict:
    """Sheets API requests since the last reset, by kind (the service account's token aside)."""
    return dict(Counter(r.kind for r in standin.requests if r.kind != "token"))


def settle(pg, text: str | None = None) -> None:
    wait_for_app(pg, text)
    pg.wait_for_timeout(700)  # a rerun Streamlit may start after the first paint is counted too


def signed_in(browser, app, username: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    login(pg, app.url, username)
    settle(pg)
    return pg


def open_by_address(pg, app, path: str) -> dict:
    """Open ``path`` as a link, a reload or a new tab does (a new browser session with the cookie)."""
    app.standin.reset_counts()
    pg.goto(f"{app.url}/{path}")
    settle(pg, "Masuk sebagai")  # the sign-in was restored from the cookie
    assert_no_exception(pg)
    return api_calls(app.standin)


def test_a_page_opened_by_its_address_costs_one_read_cold_and_none_within_the_cache_window(app, browser):
    seen = {}
    for spec in PAGES:
        username = "admin" if spec.url == "admin" else "karo"
        # Signing in writes the account, which every page's one read holds: each page below is cold.
        pg = signed_in(browser, app, username)
        try:
            if spec.reads == SETTINGS_TABLES:
                # The sign-in page itself just read the same tables: let that read expire.
                pg.wait_for_timeout((READ_CACHE_SECONDS + 1) * 1000)
            cold = open_by_address(pg, app, spec.url)
            warm = open_by_address(pg, app, spec.url)
            main = pg.locator('[data-testid="stMain"]').inner_text()
        finally:
            pg.context.close()
        assert "Anda tidak berhak" not in main and UNREACHABLE not in main, (spec.url, main[:500])
        seen[spec.url] = (cold, warm)
    assert seen == {spec.url: ({"batchGet": 1}, {}) for spec in PAGES}


def test_filing_a_complaint_costs_the_claim_one_read_and_one_write(app, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    try:
        pg.goto(f"{app.url}/pengaduan")
        settle(pg, "Sampaikan Pengaduan")
        pg.get_by_label("Unit kerja").click()
        pg.keyboard.type("Biro Umum")
        pg.get_by_role("option", name=re.compile("^Biro Umum")).first.click()
        settle(pg)
        pg.get_by_role("textbox", name="Nama", exact=True).fill("Ani (uji jumlah panggilan)")
        pg.get_by_role("textbox", name="Email", exact=True).fill("ani.panggilan@setneg.go.id")
        pg.get_by_role("textbox", name="Pokok masalah").fill("Jumlah panggilan Google Sheets")
        pg.get_by_role("textbox", name="Uraian").fill("Satu pengaduan, tiga panggilan.")
        settle(pg)
        app.standin.reset_counts()
        pg.get_by_role("button", name="Kirim", exact=True).click()
        settle(pg, "Terima kasih")
        assert_no_exception(pg)
        calls = api_calls(app.standin)
        number = re.search(r"ADU-\d{4}-\d{4}", pg.get_by_text("Terima kasih").first.inner_text()).group(0)
    finally:
        context.close()
    # The claim of the receipt number, one read (the claim's rank, the versions) and one write; the
    # form shown again with the receipt reads nothing (filing wrote none of the tables it shows).
    assert calls == {"batchUpdate": 2, "batchGet": 1}, calls
    receipt_numbers = [row[1] for row in app.standin.rows(app.spreadsheet_id, "complaints")[1:]]
    assert receipt_numbers.count(number) == 1


def refusals(app) -> int:
    rows = app.standin.rows(app.spreadsheet_id, "audit")
    action = rows[0].index("action")
    return sum(1 for r in rows[1:] if len(r) > action and r[action] == "permission_refused")


def test_during_an_outage_a_signed_in_person_stays_signed_in_and_is_told_sheets_cannot_be_reached(app, browser):
    pg = signed_in(browser, app, "karo")
    standin = app.standin
    try:
        open_by_address(pg, app, "kasus")
        before = refusals(app)
        # Signing in again elsewhere writes the account: the next view must read, and Google is down.
        signed_in(browser, app, "kabag").context.close()
        standin.reset_counts()
        standin.fail_next(10_000, 503)  # every Sheets request (the service account's sign-in aside)
        try:
            pg.reload()
            pg.get_by_text(UNREACHABLE).first.wait_for(timeout=60_000)
            settle(pg)
            attempts = standin.requests_of("batchGet")
            others = {k: n for k, n in api_calls(standin).items() if k != "batchGet"}
            main = pg.locator('[data-testid="stMain"]').inner_text()
            sidebar = pg.locator('[data-testid="stSidebar"]').inner_text()
        finally:
            standin.clear_faults()
        assert "Masuk sebagai" in sidebar and "Belum masuk" not in sidebar
        assert "Anda tidak berhak" not in main and "coba lagi" in main
        assert_no_exception(pg)
        # One round of retries for the whole page view (the sign-in check shares the page's read),
        # each after at least its configured back-off; nothing else was sent.
        assert len(attempts) == RETRIES + 1 and others == {}
        waits = [b.time - a.time for a, b in pairwise(attempts)]
        assert all(wait >= BACKOFF * 2 ** i for i, wait in enumerate(waits)), waits
        assert refusals(app) == before  # no false refusal audited
        # Google is back: the same person, still signed in, sees the page.
        pg.reload()
        settle(pg, "Daftar Kasus")
        assert UNREACHABLE not in pg.locator('[data-testid="stMain"]').inner_text()
        assert "Masuk sebagai" in pg.locator('[data-testid="stSidebar"]').inner_text()
    finally:
        pg.context.close()


def test_hand_typed_dates_never_take_a_page_down(app, browser):
    standin, sid = app.standin, app.spreadsheet_id
    with standin.lock:
        rows = standin.sheet(sid, "cases")["rows"]
        header = rows[0]
        first, second = rows[1], rows[2]
        first[header.index("target_date")] = "5/12/2026"  # day first: 5 December 2026
        second[header.index("target_date")] = "5/13/2026"  # no 13th month: cannot be read
        readable, unreadable = first[header.index("id")], second[header.index("id")]
    pg = signed_in(browser, app, "karo")  # the sign-in drops the app's cached reads
    try:
        for path in ("kasus", f"detail-kasus?id={readable}", f"detail-kasus?id={unreadable}", "dasbor"):
            open_by_address(pg, app, path)
            main = pg.locator('[data-testid="stMain"]').inner_text()
            assert UNREACHABLE not in main and "tak terduga" not in main, (path, main[:600])
            if path.endswith(readable):
                assert "5 Desember 2026" in main
            if path.endswith(unreadable):
                assert "5/13/2026" in main and "tidak dapat dibaca" in main
    finally:
        pg.context.close()
        with standin.lock:
            first[header.index("target_date")] = second[header.index("target_date")] = None
