"""Exports of the dashboard: formula-like text is neutralised before it reaches a spreadsheet."""
import pandas as pd
import pytest

from domain.spreadsheet_safety import neutralise, neutralise_frame
from reports.exports import frame_to_csv


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+62812", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Biro Umum", "", "a=b", None, -3, 2.5, True])
def test_other_values_pass_unchanged(value):
    assert neutralise(value) == value


def test_a_frame_is_neutralised_in_text_cells_and_headers_but_numbers_stay_numbers():
    df = pd.DataFrame({"=judul": ["=1+1", "aman", None], "hari": [-1.5, 0.0, 2.0]})
    out = neutralise_frame(df)
    assert list(out.columns) == ["'=judul", "hari"]
    assert out["'=judul"].tolist()[:2] == ["'=1+1", "aman"]
    assert out["hari"].tolist() == [-1.5, 0.0, 2.0]
    assert df["=judul"].iloc[0] == "=1+1"  # the original is not changed


def test_every_dashboard_table_downloads_as_csv_with_formula_like_text_neutralised():
    import datetime as dt

    from data_access.frames import typed_frame
    from domain import dashboard as dash
    from domain.calendar import JAKARTA, WorkCalendar

    start = dt.datetime(2026, 3, 2, 8, tzinfo=JAKARTA)
    frames = {t: typed_frame(t, []) for t in dash.TABLES} | {  # as the store gives them: every table
        "organisations": typed_frame("organisations", [{"id": "O", "name": "@Satuan", "active": True}]),
        "units": typed_frame("units", [{"id": "U", "org_id": "O", "name": "+Biro", "active": True}]),
        "cases": typed_frame("cases", [{"id": "C", "number": "K-1", "title": "=HYPERLINK(\"http://x\",\"klik\")",
                                        "org_id": "O", "unit_ids": ["U"], "track": "permen", "drafts": 2,
                                        "status": "aktif", "started_at": start, "created_at": start}]),
        "step_events": typed_frame("step_events", [{"id": "E", "case_id": "C", "step_code": "1.a",
                                                    "status": "berjalan", "started_at": start,
                                                    "due_at": start + dt.timedelta(minutes=30)}]),
    }
    d = dash.compute(frames, 2026, WorkCalendar(), dt.datetime(2026, 3, 3, 9, tzinfo=JAKARTA))
    for name in dash.SPEC:
        data = frame_to_csv(dash.table(name, d.frame(name)))
        assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: spreadsheets read the accents right
    cases = frame_to_csv(dash.table("cases", d.cases)).decode("utf-8-sig")
    assert cases.splitlines()[0].startswith("Nomor kasus;Judul;Status;Tahap dicapai")
    assert "'=HYPERLINK" in cases and cases.splitlines()[1].endswith(";'+Biro")
    late = frame_to_csv(dash.table("late_steps", d.late_steps)).decode("utf-8-sig")
    assert "'=HYPERLINK" in late and "2 Maret 2026 08.30 WIB" in late
    units = frame_to_csv(dash.table("units", d.units)).decode("utf-8-sig")
    assert "'+Biro;'@Satuan" in units
    headline = frame_to_csv(dash.headline_table(d, "@Satuan")).decode("utf-8-sig")
    assert "'@Satuan" in headline and "Kasus terlambat;1" in headline


@pytest.mark.parametrize("text", ["\uff1d1+1", "\uff0b62812", "\uff0d1+2", "\uff20SUM(A1)", "\ufe66HYPERLINK(\"x\")",
                                  "\ufe62cmd", "\ufe63cmd", "\ufe6bSUM(A1)"])
def test_full_width_and_small_formula_signs_are_neutralised_too(text):
    assert neutralise(text) == "'" + text  # spreadsheets normalise them (NFKC) and run the formula


def test_the_dashboard_csv_neutralises_a_full_width_formula():

    lines = frame_to_csv(pd.DataFrame({"Judul": ["\uff1d1+1", "aman"]})).decode("utf-8-sig").splitlines()
    assert lines[1:] == ["'\uff1d1+1", "aman"]
