"""Text cells that a spreadsheet would run as a formula, made harmless before any export.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or with a tab or carriage return, which
some spreadsheets strip before reading the rest) is opened as a formula by Excel, LibreOffice and
Google Sheets: a complaint subject such as ``=HYPERLINK(...)`` would then act on the reader's
machine. A leading apostrophe makes the spreadsheet show the text as text. Only text is changed;
numbers, dates and empty cells pass through unchanged.

The start is judged as typed and also after Unicode NFKC normalisation: spreadsheets fold the
full-width and small forms (``＝1+1``, ``＋``, ``－``, ``＠``, ``﹦``) to the ASCII characters and then
run the formula.

Text written to Google Sheets needs none of this: the store writes every text as a string value
(``userEnteredValue.stringValue``), which Sheets never parses as a formula, whatever it starts with.
"""
from __future__ import annotations

import unicodedata
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula, as typed or once normalised (NFKC)."""
    return text.startswith(FORMULA_STARTS) or unicodedata.normalize("NFKC", text[:8]).startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """The value with a leading apostrophe if it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and formula_like(value):
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
