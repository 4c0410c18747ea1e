"""Tables exported to CSV and XLSX in which no cell can run as a formula.

A spreadsheet program treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula. Every text cell that starts so gets a leading
apostrophe (``domain.spreadsheet_safety``) and is written as a string cell: it shows as typed and
never runs. Numbers and dates stay
numbers and dates. Input is plain data (headers and rows); nothing here reads a store.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any, Sequence

from domain.spreadsheet_safety import FORMULA_STARTS, neutralise

__all__ = ["CSV_DELIMITER", "FORMULA_STARTS", "frame_to_csv", "neutralise", "to_csv", "to_xlsx"]
# Characters XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CSV_DELIMITER = ";"  # the list separator of spreadsheet programs set to Indonesian


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(neutralise(str(value)))


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark (so spreadsheet programs read the accents), ';'-separated,
    decimal comma, dates as YYYY-MM-DD."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=CSV_DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def frame_to_csv(df) -> bytes:
    """A table (a pandas frame) by the same convention as ``to_csv``: the one CSV of every export."""
    values = df.astype(object).where(df.notna(), None)
    return to_csv([str(c) for c in df.columns], values.itertuples(index=False, name=None))


def to_xlsx(headers: Sequence[str], rows: Sequence[Sequence[Any]], sheet: str = "Data") -> bytes:
    """One sheet, bold frozen header, dates as real dates shown as '29 November 2026'. Every text
    cell is written as a string cell, never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31] or "Data")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: Any, header: bool = False):
        if isinstance(value, str):
            value = _ILLEGAL_XML.sub("\ufffd", str(neutralise(value)))
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # a string cell, whatever it starts with
        elif isinstance(value, dt.datetime):
            c.number_format = "d mmmm yyyy hh:mm"
        elif isinstance(value, dt.date):
            c.number_format = "d mmmm yyyy"
        if header:
            c.font = bold
        return c

    ws.append([cell(h, header=True) for h in headers])
    for row in rows:
        ws.append([cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
