"""What a detail page reads, in ONE store read on Google Sheets.

``Snapshot`` is a read-only stand-in for the Repository built from the DataFrames of one
``repo.frames([...])`` call (``ui.context.cached_frames``: one ``values:batchGet``, kept
READ_CACHE_SECONDS, dropped by every write through ``clear_read_caches``). The domain read functions
(``tracker.load_case``, ``case_history``, ``complaints.inbox``, ``complaint_detail`` ...) take it in
place of the store and call ``get``/``list``/``audit`` on it exactly as on the store, so they stay
pure and a rerun with nothing changed costs no call. It has no ``apply``: writes always go to the
real repository (``Page.repo``).

On DuckDB the pages keep reading from the store itself (filtered local queries), as before.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd

from data_access.repository import Repository, audit_where, normalise_value
from data_access.schema import TYPES, columns
from ui import tracker_views as tv
from ui.context import cached_frames, repo

log = logging.getLogger("sop_tracker")

_FLOOR = dt.datetime.min.replace(tzinfo=dt.UTC)

LOOKUP_TABLES = ("organisations", "units", "executors")
CASE_DETAIL_TABLES = ("cases", "step_events", "holds", "audit", *LOOKUP_TABLES)
INBOX_TABLES = ("complaints", "complaint_actions", "accounts", "attachments", "units", "cases", "executors")


def _value(table: str, column: str, kind: str, value: Any) -> Any:
    """A DataFrame cell back to the column's canonical Python value (as ``Repository.get`` gives)."""
    if kind == "list":  # an empty list cell: None, as the store reads a cell never set
        return [str(v) for v in value] if isinstance(value, (list, tuple)) and len(value) else None
    if value is None or pd.isna(value):
        return None
    return normalise_value(table, column, value)


class Snapshot:
    """Read-only ``get``/``list``/``audit``/``frames``/``count`` over tables already read.

    A table the snapshot was not built with is read from ``fallback`` (the store) with a warning,
    so a page that forgot a table stays correct, only slower; without a fallback it is an error."""

    backend = "snapshot"

    def __init__(self, frames: dict[str, pd.DataFrame], fallback: Repository | None = None):
        self._frames = dict(frames)
        self._fallback = fallback

    def has(self, table: str) -> bool:
        return table in self._frames

    def _missing(self, table: str) -> Repository:
        columns(table)  # an unknown table is refused as by the store
        if self._fallback is None:
            raise KeyError(f"snapshot has no table {table!r}")
        log.warning("page snapshot has no table %s; reading it from the store", table)
        return self._fallback

    def _records(self, table: str, df: pd.DataFrame) -> list[dict]:
        kinds = TYPES[table]
        return [{c: _value(table, c, kinds[c], v) for c, v in row.items()} for row in df.to_dict("records")]

    def _match(self, table: str, df: pd.DataFrame, where: dict) -> pd.DataFrame:
        for col, value in where.items():
            if col not in TYPES[table]:
                from domain.errors import ValidationError

                raise ValidationError(col, f"Kolom tidak dikenal: {col}")
            wanted = normalise_value(table, col, value)
            kind = TYPES[table][col]
            if wanted is None:
                mask = df[col].isna() if kind != "list" else df[col].map(lambda v: not v)
            elif kind == "str":
                mask = df[col] == wanted
            else:
                mask = df[col].map(lambda v, c=col, k=kind, w=wanted: _value(table, c, k, v) == w)
            df = df[mask.fillna(False).astype(bool)]
        return df

    @staticmethod
    def _order(table: str, records: list[dict]) -> list[dict]:
        """The store's order: audit by (at, id), tables with created_at by (created_at, id), else id."""
        key = ("at", "id") if table == "audit" else (("created_at", "id") if "created_at" in TYPES[table] else ("id",))
        return sorted(records, key=lambda r: tuple(
            (r[k] is not None, r[k] if r[k] is not None else (_FLOOR if k in ("at", "created_at") else ""))
            for k in key))

    def get(self, table: str, id: str) -> dict | None:
        if table not in self._frames:
            return self._missing(table).get(table, id)
        df = self._frames[table]
        found = df[df["id"] == id]
        return self._records(table, found.head(1))[0] if len(found) else None

    def list(self, table: str, where: dict | None = None) -> list[dict]:
        if table not in self._frames:
            return self._missing(table).list(table, where)
        df = self._match(table, self._frames[table], where or {})
        return self._order(table, self._records(table, df))

    def audit(self, entity: str | None = None, entity_id: str | None = None) -> list[dict]:
        return self.list("audit", audit_where(entity, entity_id))

    def frames(self, tables: Sequence[str]) -> dict[str, pd.DataFrame]:
        missing = [t for t in dict.fromkeys(tables) if t not in self._frames]
        got = self._missing(missing[0]).frames(missing) if missing else {}
        return {t: self._frames[t] if t in self._frames else got[t] for t in dict.fromkeys(tables)}  # read-only

    def count(self, table: str) -> int:
        if table not in self._frames:
            return self._missing(table).count(table)
        return len(self._frames[table])


class SnapshotWriter(Snapshot):
    """A page's saves on Google Sheets: prepared from the page's snapshot (no read of their own),
    written by the store, whose ``apply`` reads the rows it touches afresh in its one batchGet and
    checks every update's expected version there before its one write request. A save prepared from
    an out-of-date snapshot is therefore refused as stale (and the page reads afresh), never written
    over a newer record; a save costs two calls. Everything else (counters, sessions) is the store's."""

    def __init__(self, snapshot: Snapshot, store: Repository):
        super().__init__(snapshot._frames, fallback=store)
        self._store = store

    def apply(self, *args, **kwargs):
        return self._store.apply(*args, **kwargs)

    def __getattr__(self, name: str):
        if name.startswith("_"):  # never recurse through a half-built instance
            raise AttributeError(name)
        return getattr(self._store, name)


def writer(source: Repository | Snapshot) -> Repository | SnapshotWriter:
    """What a page passes to domain writes: the store itself on DuckDB; on Sheets the snapshot the
    page already read, writing through the store (see SnapshotWriter)."""
    return SnapshotWriter(source, repo()) if isinstance(source, Snapshot) else source


def page_source(*tables: str) -> Repository | Snapshot:
    """What a page's domain reads read from: on Google Sheets a Snapshot of ``tables`` from ONE cached
    batch read; on DuckDB the store itself (cheap filtered local queries, unchanged)."""
    store = repo()
    if store.backend == "duckdb":
        return store
    return Snapshot(cached_frames(*tables), fallback=store)


@dataclass
class CaseDetailReads:
    source: Repository | Snapshot  # what load_case / case_history / step_history read from
    index: pd.DataFrame  # the case picker
    names: dict  # lookups

    @property
    def store(self) -> Repository | SnapshotWriter:
        """What the page's saves go through (see ``writer``)."""
        return writer(self.source)


def case_detail_reads() -> CaseDetailReads:
    """Everything /kasus-detail reads: ONE batchGet on Google Sheets (cached); DuckDB as before."""
    source = page_source(*CASE_DETAIL_TABLES)
    if not isinstance(source, Snapshot):
        return CaseDetailReads(source, tv.case_index(), tv.lookups())
    frames = source.frames(CASE_DETAIL_TABLES)
    return CaseDetailReads(source, tv.case_index_from_frame(frames["cases"]), tv.lookups_from_frames(frames))


def inbox_reads() -> tuple[Repository | Snapshot, dict]:
    """What the complaint inbox reads, and unit names: ONE batchGet on Google Sheets (cached)."""
    source = page_source(*INBOX_TABLES)
    if not isinstance(source, Snapshot):
        return source, tv.lookups()["units"]
    units = source.frames(["units"])["units"]
    return source, dict(zip(units["id"], units["name"], strict=True))
