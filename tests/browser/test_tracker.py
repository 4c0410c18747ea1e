"""In Chromium: a staff member signs in, finishes the current step of a case and sees the
checklist and the timeline change."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_exception, login, wait_for_app

CAPTION = re.compile(r"Linimasa: (\d+) langkah selesai")
CHART = '[data-testid="stVegaLiteChart"]'


def timeline_done(pg) -> int:
    """Open the timeline tab: the chart is drawn, and its caption counts the steps done."""
    pg.get_by_role("tab", name="Linimasa").click()
    caption = pg.get_by_text(CAPTION).first
    caption.wait_for()
    pg.locator(CHART).first.wait_for()
    return int(CAPTION.search(caption.inner_text()).group(1))


def test_a_staff_member_finishes_a_step_and_sees_the_timeline_change(duckdb_app, page):
    page.goto(duckdb_app.url)  # a first visit to the home page, so the sign-in URL resolves on a fresh server
    wait_for_app(page, "Beranda")
    login(page, duckdb_app.url, "staf1")
    page.goto(f"{duckdb_app.url}/detail-kasus")
    wait_for_app(page, "Langkah saat ini:")
    assert_no_exception(page)
    heading = page.get_by_text(re.compile(r"^Langkah saat ini: \S+ — ")).first.inner_text()
    code = re.search(r"Langkah saat ini: (\S+) —", heading).group(1)
    before = timeline_done(page)

    page.get_by_role("tab", name="Daftar langkah").click()
    page.get_by_label("Catatan langkah").first.fill("Selesai diperiksa (uji browser)")
    page.get_by_role("button", name=f"Selesaikan langkah {code}").click()
    page.get_by_text(f"Langkah {code} selesai.").wait_for()
    wait_for_app(page)
    assert_no_exception(page)
    expect(page.get_by_text(f"Langkah saat ini: {code} —")).to_have_count(0)  # the next step is current

    after = timeline_done(page)
    assert after == before + 1
