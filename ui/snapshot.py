"""What the detail pages read, in ONE store read on Google Sheets (``ui.context.page_source``):
the case detail and the complaint inbox, with the labels and pickers they show. The reads are
cached READ_CACHE_SECONDS and dropped by every write (``clear_read_caches``); the pages' saves go
through the same source (``data_access.snapshot.SnapshotStore``). On DuckDB the pages read from the
store itself, as before.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from data_access.repository import Repository
from data_access.snapshot import Snapshot
from ui import tracker_views as tv
from ui.context import page_source
from ui.page_reads import CASE_DETAIL_TABLES, INBOX_TABLES

__all__ = ["CASE_DETAIL_TABLES", "INBOX_TABLES", "CaseDetailReads", "case_detail_reads", "inbox_reads"]


@dataclass
class CaseDetailReads:
    source: Repository | Snapshot  # what load_case / case_history / step_history read, and saves go through
    index: pd.DataFrame  # the case picker
    names: dict  # lookups
    unreadable: dict = field(default_factory=dict)  # case cells that could not be read: (id, column) -> cell


def case_detail_reads() -> CaseDetailReads:
    """Everything /kasus-detail reads: ONE batchGet on Google Sheets (cached); DuckDB as before."""
    source = page_source(*CASE_DETAIL_TABLES)
    if not isinstance(source, Snapshot):
        return CaseDetailReads(source, tv.case_index(), tv.lookups())
    frames = source.frames(CASE_DETAIL_TABLES)
    return CaseDetailReads(source, tv.case_index_from_frame(frames["cases"]), tv.lookups_from_frames(frames),
                           tv.unreadable_cells("cases"))


def inbox_reads() -> tuple[Repository | Snapshot, dict]:
    """What the complaint inbox reads, and unit names: ONE batchGet on Google Sheets (cached)."""
    source = page_source(*INBOX_TABLES)
    if not isinstance(source, Snapshot):
        return source, tv.lookups()["units"]
    units = source.frames(["units"])["units"]
    return source, dict(zip(units["id"], units["name"], strict=True))
