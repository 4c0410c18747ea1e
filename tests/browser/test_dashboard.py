"""The leadership dashboard in Chromium: signed in as 'pimpinan', every chart draws its marks, a click
on a unit's bar shows that unit's cases, and projector mode enlarges the type."""
from __future__ import annotations

from tests.browser.conftest import assert_no_exception, login, wait_for_app

CHARTS = '[data-testid="stVegaLiteChart"]'

# Per chart: how many data marks (bars, lines, points, ticks) Vega drew, in an SVG or on a canvas.
DRAWN_MARKS = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].map(el => {
  const svg = el.querySelector('svg');
  if (svg) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return 0;
    return [...svg.querySelectorAll('g.role-mark')].reduce((n, g) => n + g.childElementCount, 0);
  }
  const canvas = el.querySelector('canvas');
  if (!canvas || !canvas.width || !canvas.height) return 0;
  const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i] > 0) inked++;
  return inked;
})"""


def open_dashboard(app, page) -> None:
    page.goto(app.url)  # the first visit prepares the store; sign in after it
    wait_for_app(page, "Prosedur")
    login(page, app.url, "pimpinan")
    page.goto(f"{app.url}/dasbor")
    wait_for_app(page, "Dasbor Pimpinan")
    page.locator(CHARTS).nth(5).wait_for()
    page.wait_for_function(f"() => ({DRAWN_MARKS})().every(n => n > 0)")


def test_every_chart_of_the_dashboard_draws_its_marks(duckdb_app, page, tmp_path):
    open_dashboard(duckdb_app, page)
    marks = page.evaluate(DRAWN_MARKS)
    assert len(marks) == 6 and all(n > 0 for n in marks), marks
    # The organisation chart has a bar and a label for each of the 8 organisations of the demo data.
    organisations = page.locator(CHARTS).first
    assert organisations.locator("g.mark-rect.role-mark path").count() == 8
    assert page.get_by_text("Kasus berjalan").count() == 1
    page.screenshot(path=str(tmp_path / "dasbor.png"), full_page=True)
    assert_no_exception(page)


def test_clicking_a_units_bar_shows_that_units_cases(duckdb_app, page):
    open_dashboard(duckdb_app, page)
    units = page.locator(CHARTS).nth(1)
    names = units.evaluate("""el => [...el.querySelectorAll('g.role-axis-label')]
        .map(g => [...g.querySelectorAll('text')].map(t => t.textContent))
        .find(texts => !texts.every(t => t.endsWith('%')))""")  # the unit axis, most done first
    chosen = page.get_by_label("Lihat kasus unit kerja")
    assert chosen.input_value() == names[0]
    units.locator("g.mark-rect.role-mark path").nth(2).click()
    page.wait_for_function(
        "name => document.querySelector('input[aria-label=\"Lihat kasus unit kerja\"]').value === name", arg=names[2])
    wait_for_app(page)
    assert_no_exception(page)


def test_projector_mode_enlarges_the_headline_figures(duckdb_app, page):
    open_dashboard(duckdb_app, page)
    value = page.locator('[data-testid="stMetricValue"]').first
    before = float(value.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
    page.get_by_text("Mode proyektor").click()
    page.wait_for_function("""before => parseFloat(getComputedStyle(
        document.querySelector('[data-testid="stMetricValue"]')).fontSize) > before""", arg=before)
    after = float(value.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
    assert after >= 1.5 * before
    assert_no_exception(page)


def test_the_dashboard_draws_on_google_sheets_reading_its_tables_in_one_batch(sheets_app, page):
    standin = sheets_app.standin
    page.goto(sheets_app.url)
    wait_for_app(page, "Prosedur")
    login(page, sheets_app.url, "pimpinan")
    standin.reset_counts()
    page.goto(f"{sheets_app.url}/dasbor")
    wait_for_app(page, "Dasbor Pimpinan")
    page.locator(CHARTS).nth(5).wait_for()
    page.wait_for_function(f"() => ({DRAWN_MARKS})().every(n => n > 0)")
    assert {r.kind for r in standin.requests} <= {"batchGet", "batchUpdate", "token"}
    dashboard_reads = [r for r in standin.requests_of("batchGet")
                       if any("step_events" in str(x) for x in r.query.get("ranges", []))]
    assert len(dashboard_reads) == 1  # every table the figures need, in one call
    assert_no_exception(page)
