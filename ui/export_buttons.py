"""The CSV/XLSX download pair every list page offers: the export is audited when it is built, and
both files come from ``reports.exports`` (the one CSV convention)."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from domain.calendar import now
from reports.exports import to_csv, to_xlsx

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_buttons(rows_of: Callable[[], tuple[list, list]], record: Callable[[int, str], None], *,
                   stem: str, sheet: str, key: str, labels: tuple[str, str], help_text: str) -> None:
    def export(fmt: str):
        def make() -> bytes:
            # Runs when the button is pressed (in its own thread): log, then build the file.
            headers, rows = rows_of()
            record(len(rows), fmt)
            return to_csv(headers, rows) if fmt == "CSV" else to_xlsx(headers, rows, sheet)
        return make

    stamp = now().strftime("%Y%m%d-%H%M")
    c1, c2, c3 = st.columns([1, 1, 4])
    c1.download_button(labels[0], data=export("CSV"), file_name=f"{stem}-{stamp}.csv", mime="text/csv",
                       key=f"{key}_csv", on_click="ignore")
    c2.download_button(labels[1], data=export("XLSX"), file_name=f"{stem}-{stamp}.xlsx", mime=XLSX_MIME,
                       key=f"{key}_xlsx", on_click="ignore")
    c3.caption(help_text)
