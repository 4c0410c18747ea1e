"""The /dasbor page through AppTest on a real DuckDB file with the demo data."""
from __future__ import annotations

import re

from data_access.duckdb_store import DuckDBRepository
from tests.apptest_helpers import readable, run_page, texts


def elements(at, kind: str) -> list:
    found = []

    def walk(node):
        if getattr(node, "type", None) == kind:
            found.append(node)
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return found


def test_leadership_sees_the_headline_figures_and_every_chart(app_store):
    at = run_page("dashboard", "pimpinan")
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels == ["Kasus berjalan", "Kasus selesai", "SP/SOP Permensesneg", "SP/SOP intern",
                      "Langkah tepat waktu", "Kasus terlambat", "Pengaduan terbuka", "Pengaduan lewat tenggat"]
    assert int(at.metric[0].value) > 0
    # organisations, units, late share by role, bottlenecks, two trend charts
    assert len(elements(at, "vega_lite_chart")) == 6
    # headline, organisations, units, the unit's cases, late steps, roles, bottlenecks, trend
    assert len(elements(at, "download_button")) == 8
    assert "Keterlambatan" in texts(at) and "Tren bulanan" in texts(at)


def test_the_filters_narrow_the_figures_and_drill_down_from_organisation_to_unit_to_cases(app_store):
    at = run_page("dashboard", "pimpinan")
    year, org = at.selectbox(key="dash.year"), at.selectbox(key="dash.org")
    this_year = year.value
    assert this_year == int(year.options[0])  # the current year, listed first
    all_open = int(at.metric[0].value)
    at = org.set_value("ORG-HUKUM").run()
    assert not at.exception
    assert int(at.metric[0].value) <= all_open
    # One organisation chosen: no organisation chart, its units straight away.
    assert len(elements(at, "vega_lite_chart")) == 5
    unit = at.selectbox(key="dash.unit")
    assert set(unit.options) == {"Biro Peraturan Perundang-undangan (demo)", "Biro Hukum (demo)"}
    at = unit.set_value("UNIT-HUKUM-2").run()
    assert not at.exception and at.selectbox(key="dash.unit").value == "UNIT-HUKUM-2"
    at = at.selectbox(key="dash.year").set_value(this_year - 1).run()
    assert not at.exception
    assert f"Angka per 31 Desember {this_year - 1}" in texts(at)  # a past year is counted at its end


def test_all_organisations_drill_down_through_the_organisation_picker(app_store):
    at = run_page("dashboard", "pimpinan")
    drill = at.selectbox(key="dash.drill_org")
    at = drill.set_value("ORG-SETMEN").run()
    assert not at.exception
    assert "Biro Umum" in at.selectbox(key="dash.unit").options


def test_projector_mode_adds_our_large_type_stylesheet(app_store):
    at = run_page("dashboard", "pimpinan")
    assert not any("font-size" in str(getattr(h, "proto", "")) for h in elements(at, "html"))
    at = at.toggle(key="dash.projector").set_value(True).run()
    assert not at.exception
    styles = [str(h.proto) for h in elements(at, "html")]
    assert any("stMetricValue" in s and "font-size" in s for s in styles)
    assert any("stSidebar" in s and "display: none" in s for s in styles)  # every column on a 1366 px screen
    assert elements(at, "table")  # tables drawn as large-type HTML tables


def test_projector_tables_write_numbers_as_the_dashboard_does_and_keep_case_numbers_whole(app_store):
    at = run_page("dashboard", "pimpinan")
    at = at.toggle(key="dash.projector").set_value(True).run()
    assert not at.exception
    tables = [node.value for node in elements(at, "table")]
    cells = [str(v).replace("\\", "") for table in tables for v in table.to_numpy().ravel()]  # Markdown-escaped
    assert cells and not [c for c in cells if re.fullmatch(r"-?\d+\.\d+", c)]  # never "80.0000" nor "0.2000"
    assert any(re.fullmatch(r"\d+,\d", c) for c in cells)  # working days late: one decimal, decimal comma
    numbers = [str(v) for table in tables if "Nomor kasus" in table.columns for v in table["Nomor kasus"]]
    assert numbers and all("-" not in n for n in numbers)  # non-breaking hyphens: one line per number


def test_a_unit_user_is_refused_and_the_refusal_is_audited(app_store):
    at = run_page("dashboard", "unit1")
    assert not at.exception
    assert any("tidak berhak" in readable(e.value) for e in at.error)
    assert len(at.metric) == 0 and not elements(at, "vega_lite_chart")
    refusals = [e for e in DuckDBRepository(app_store).audit("page") if e["action"] == "permission_refused"]
    assert any(e["actor"] == "unit1" and e["new"] == "dashboard.view" for e in refusals)


def test_the_page_speaks_english_on_request(app_store):
    at = run_page("dashboard", "pimpinan", session={"lang": "en"})
    assert not at.exception
    assert at.metric[0].label == "Open cases" and "Monthly trend" in texts(at)


def test_an_empty_store_shows_the_page_with_zeros_and_no_error(empty_app_store):
    at = run_page("dashboard", "karo")
    assert not at.exception and not at.error
    assert [m.value for m in at.metric] == ["0", "0", "0", "0", "–", "0", "0", "0"]
    assert "Belum ada langkah yang selesai pada tahun ini." in texts(at)
