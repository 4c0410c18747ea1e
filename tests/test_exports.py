"""Exports of the case list: Indonesian headers, and no cell that a spreadsheet could run."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from domain import tracker as trk
from domain.errors import PermissionDenied
from reports.exports import FORMULA_STARTS, neutralise, to_csv, to_xlsx
from tests.apptest_helpers import ACTORS
from tests.tracker_world import CAL, MONDAY, open_at, populated

DANGEROUS = ["=HYPERLINK(\"http://evil\",\"x\")", "+62 812 555", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def world(duckdb_repo):
    with populated(duckdb_repo) as repo:
        yield repo


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_a_spreadsheet_would_run_is_neutralised(text):
    assert neutralise(text) == "'" + text


def test_harmless_values_pass_unchanged():
    assert neutralise("SOP Persuratan = 3 draf") == "SOP Persuratan = 3 draf"
    assert neutralise(-5) == -5 and neutralise(None) is None


def test_the_xlsx_opens_with_string_cells_only_where_formulas_were_typed():
    headers = ["Nomor", "Catatan", "Mulai", "Hari"]
    rows = [[f"K-{i}", text, dt.date(2026, 11, 29), -1.5] for i, text in enumerate(DANGEROUS)]
    rows.append(["K-x", "bel\x07l", None, 0.0])
    ws = load_workbook(io.BytesIO(to_xlsx(headers, rows))).active
    assert [c.value for c in ws[1]] == headers
    for i, text in enumerate(DANGEROUS, start=2):
        cell = ws.cell(row=i, column=2)
        # XML reads a carriage return back as a line feed; the apostrophe is what matters.
        assert cell.data_type == "s" and cell.value == "'" + text.replace("\r", "\n")
        assert ws.cell(row=i, column=3).value.date() == dt.date(2026, 11, 29)
        assert ws.cell(row=i, column=4).value == -1.5  # numbers stay numbers
    formulas = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert ws.cell(row=len(rows) + 1, column=2).value == "bel\ufffdl"  # control characters cannot be stored


def test_the_csv_is_semicolon_separated_utf8_with_neutralised_cells():
    data = to_csv(["Nomor", "Catatan", "Hari"], [["K-1", text, 2.5] for text in DANGEROUS])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nomor", "Catatan", "Hari"]
    for row in rows[1:]:
        assert not row[1].startswith(FORMULA_STARTS) and row[1].startswith("'")
        assert row[2] == "2,50"


def test_a_full_width_formula_is_neutralised_in_the_csv_and_the_xlsx():
    rows = [["K-1", "\uff1d1+1"], ["K-2", "\uff20SUM(A1)"], ["K-3", "aman \uff1d 1"]]
    csv_rows = list(csv.reader(io.StringIO(to_csv(["Nomor", "Catatan"], rows).decode("utf-8-sig")), delimiter=";"))
    assert [r[1] for r in csv_rows[1:]] == ["'\uff1d1+1", "'\uff20SUM(A1)", "aman \uff1d 1"]
    ws = load_workbook(io.BytesIO(to_xlsx(["Nomor", "Catatan"], rows))).active
    assert [ws.cell(row=r, column=2).value for r in (2, 3, 4)] == ["'\uff1d1+1", "'\uff20SUM(A1)", "aman \uff1d 1"]


def test_the_exported_case_list_has_indonesian_headers_and_neutralised_user_text(world):
    case = open_at(world, title="=cmd|' /C calc'!A0")
    v = trk.load_case(world, case["id"], CAL.minutes_per_day)
    trk.edit_case(world, ACTORS["staf1"], case["id"], expected_version=v.version, changes={"notes": "@risiko"})
    summary = trk.load_summary(world, CAL, MONDAY + dt.timedelta(hours=2))
    headers, rows = trk.export_rows(summary)
    assert headers[:4] == ["Nomor", "Judul", "Satuan organisasi", "Unit kerja"]
    assert "Rencana selesai" in headers and "Jam berjalan pada" in headers and "Terlambat" in headers
    ws = load_workbook(io.BytesIO(to_xlsx(headers, rows))).active
    values = {h: ws.cell(row=2, column=i + 1) for i, h in enumerate(headers)}
    assert values["Judul"].value == "'=cmd|' /C calc'!A0" and values["Judul"].data_type == "s"
    assert values["Catatan"].value == "'@risiko"
    assert values["Satuan organisasi"].value == "Sekretariat Kementerian"
    assert values["Mulai"].value == dt.datetime(2026, 3, 2, 8, 0)  # Asia/Jakarta wall time
    assert values["Terlambat"].value == "Ya"
    english, _ = trk.export_rows(summary, "en")
    assert english[0] == "Number"


def test_an_export_is_logged_and_needs_the_export_permission(world):
    trk.record_export(world, ACTORS["pimpinan"], 12, "XLSX", "status=aktif")
    entry = [e for e in world.audit("cases") if e["action"] == "case.export"][-1]
    assert entry["actor"] == "pimpinan" and "12 baris" in entry["new"]
    with pytest.raises(PermissionDenied):
        trk.record_export(world, ACTORS["unit1"], 1, "CSV")
