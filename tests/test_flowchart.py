"""The SOP AP flowchart: laid out from the catalogue for a track and its alternatives, drawn as a PDF in
the SOP AP layout (read back: lanes, step codes, mutu baku; turned into PNG and looked at) and as the
page's picture, with a chosen case's record beside the standard."""
from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from pypdf import PdfReader

from data_access.duckdb_store import DuckDBRepository
from domain import catalogue as cat
from domain import flowchart as fc
from domain import tracker as trk
from reports.flowchart_pdf import flowchart_pdf
from reports.flowchart_svg import flowchart_svg
from tests.apptest_helpers import readable, run_page, texts
from tests.tracker_world import CAL, MONDAY, finish_current, open_at, populate, view

PERMEN = cat.CaseParams()
INTERN_OUT = cat.CaseParams(cat.INTERN, meeting_location=cat.OUT_OF_TOWN, team_decree=cat.DECREE_DEPUTI)


@pytest.mark.parametrize("params", [PERMEN, INTERN_OUT], ids=["permen-in-town", "intern-out-of-town-deputi"])
def test_the_flowchart_has_a_row_per_step_of_the_checklist_in_its_executors_lane(params):
    chart = fc.build(params, CAL.minutes_per_day)
    assert chart.codes == [s.code for s in cat.steps_for(params)]
    assert [r.symbol for r in (chart.rows[0], chart.rows[-1])] == [fc.START, fc.END]
    assert {r.symbol for r in chart.rows[1:-1]} == {fc.ACTIVITY, fc.DECISION}
    assert all((r.symbol == fc.DECISION) == ("memeriksa" in r.activity) for r in chart.rows[1:-1])
    assert all(r.lane == cat.STEP_BY_CODE[r.code].responsible for r in chart.rows)
    assert chart.lanes[:4] == [cat.KARO, cat.KABAG, cat.KASUBBAG, cat.STAF]
    assert chart.rows[0].requirement == fc.FIRST_REQUIREMENT
    assert all(b.requirement == a.output for a, b in zip(chart.rows, chart.rows[1:], strict=False))
    by = {r.code: r for r in chart.rows}
    assert by["3.b"].time == "2 minggu" and by["3.b"].output == "Draf SP/SOP unit kerja"
    assert by["2.a.2"].output == "Konsep rencana kegiatan" and by["2.a.2"].time.startswith("bagian 2.a (1 hari)")
    if params.track == cat.PERMEN:
        assert cat.MENTERI in chart.lanes and by["7"].time == "–"
    else:
        assert cat.MENTERI not in chart.lanes and "2.b.2.fd" in by and "6" not in by
        assert any(c.startswith("4.b.1.2.") for c in by)  # out of town: the travel administration


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [" ".join(page.extract_text().split()) for page in reader.pages]  # lines wrap in cells


def test_the_flowchart_pdf_reads_back_with_its_lanes_step_codes_and_mutu_baku(tmp_path):
    chart = fc.build(PERMEN, CAL.minutes_per_day)
    data = flowchart_pdf(chart)
    reader, pages = pdf_text(data)
    assert len(pages) == 1 + len(chart.sheets) and len(chart.sheets) == 6
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages)  # landscape
    assert "Identitas SOP" in pages[0] and "Kualifikasi pelaksana" in pages[0] and "Penghubung" in pages[0]
    flow = "\n".join(pages[1:])
    for lane in ("Kepala Biro", "Kabag Tata", "Staf", "Menteri", "Deputi Hukum", "Biro Tata Usaha", "Tim Penyusun"):
        assert lane in flow, lane
    for sheet, text in zip(chart.sheets, pages[1:], strict=True):
        assert "Mutu Baku" in text and "Persyaratan/" in text and "Waktu" in text and "Output" in text
        assert "Pelaksana" in text and "Keterangan" in text
        for row in sheet:
            assert f"{row.code} " in text, row.code  # every step on its sheet, in order
    assert "Lembar 6 dari 6" in pages[-1] and "9.d Kepala Biro mengajukan permohonan unggah" in pages[-1]
    # Looked at as PNG: the sheets are drawn (lines and symbols), not blank.
    (tmp_path / "sop.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "2", "-l", "2", str(tmp_path / "sop.pdf"),
                    str(tmp_path / "sheet")], check=True)
    png = next(tmp_path.glob("sheet*.png")).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000


@pytest.fixture
def case_store(empty_app_store):
    repo = DuckDBRepository(empty_app_store)
    repo.init()
    populate(repo)
    with repo.session():
        case = open_at(repo, title="SOP Persuratan", track="intern")
        at = MONDAY
        for _ in range(8):  # 1.a to 2.b.1.b done, 2.b.1.c running
            at += dt.timedelta(minutes=20)
            finish_current(repo, case["id"], at)
        rows = trk.checklist(view(repo, case["id"]), CAL, at + dt.timedelta(days=30))
    repo.close()
    return {"path": empty_app_store, "case": case, "rows": rows}


def test_a_cases_flowchart_shows_its_record_beside_the_standard(case_store):
    case = case_store["case"]
    actual = fc.actual_from_rows(case_store["rows"])
    chart = fc.build(cat.CaseParams(cat.INTERN), CAL.minutes_per_day, actual=actual,
                     case_label=f"Kasus {case['number']} — SOP Persuratan")
    _, pages = pdf_text(flowchart_pdf(chart))
    first = pages[1]
    assert f"Kasus {case['number']}" in first and "Realisasi kasus" in first
    assert "02/03/26 08.00 – 02/03/26 08.20 · tepat waktu" in first  # 1.a as it was done
    assert "berjalan sejak" in first and "TERLAMBAT" in first  # 2.b.1.c a month later: its block is late
    assert actual["1.a"].late is False and actual["2.b.1.c"].status == "berjalan"


def test_the_picture_holds_every_step_symbol_and_lane_with_text_escaped():
    chart = fc.build(PERMEN, CAL.minutes_per_day, case_label="<script>alert(1)</script>")
    svg = flowchart_svg(chart)
    assert svg.startswith("<svg") and svg.count('data-code="') == len(chart.rows)
    assert svg.count('data-symbol="decision"') == sum(r.symbol == fc.DECISION for r in chart.rows)
    assert all(f'data-lane="{lane}"' in svg for lane in chart.lanes)
    assert "<script" not in svg


def test_the_public_page_draws_the_chosen_track_and_prepares_the_pdf(app_store):
    at = run_page("flowchart")  # no one signed in: no case picker
    assert not at.exception and not at.selectbox
    assert at.html and at.html[0].value.count('data-code="') == len(cat.steps_for(PERMEN))
    at.radio(key="flow_track").set_value(cat.INTERN).run()
    assert at.html[0].value.count('data-code="') == len(cat.steps_for(cat.CaseParams(cat.INTERN)))
    next(b for b in at.button if readable(b.label) == "Siapkan PDF bagan alir").click().run()
    assert not at.exception
    data = at.session_state[f"flow_pdf:{cat.CaseParams(cat.INTERN)}"]
    assert len(PdfReader(io.BytesIO(data)).pages) == 1 + len(fc.build(cat.CaseParams(cat.INTERN), 510).sheets)


def test_staff_pick_a_case_and_see_its_record(case_store):
    case = case_store["case"]
    at = run_page("flowchart", "staf1", query={"kasus": case["id"]})
    assert not at.exception
    assert f"Kasus {case['number']} — SOP Persuratan" in texts(at)
    assert "Realisasi kasus" in at.html[0].value and "berjalan sejak" in at.html[0].value
