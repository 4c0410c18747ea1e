"""Text cells that a spreadsheet would run as a formula, made harmless before any export.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or with a tab or carriage return, which
some spreadsheets strip before reading the rest) is opened as a formula by Excel, LibreOffice and
Google Sheets: a complaint subject such as ``=HYPERLINK(...)`` would then act on the reader's
machine. A leading apostrophe makes the spreadsheet show the text as text. Only text is changed;
numbers, dates and empty cells pass through unchanged.
"""
from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value with a leading apostrophe if it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(df):
    """A copy of a DataFrame with every text cell neutralised (for CSV/XLSX exports)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = df.copy()
    for col in out.columns:
        if is_object_dtype(out[col]) or is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out
