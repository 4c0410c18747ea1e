"""Exports of the dashboard: formula-like text is neutralised before it reaches a spreadsheet."""
import pandas as pd
import pytest

from domain.spreadsheet_safety import neutralise, neutralise_frame


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
