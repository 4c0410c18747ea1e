"""A store's tables already read, answering the Repository's reads without another request.

``Snapshot`` is a read-only stand-in for the Repository built from the DataFrames of one
``repo.frames([...])`` call. The domain read functions (``tracker.load_case``, ``case_history``,
``complaints.inbox``, ``complaint_detail`` ...) take it in place of the store and call
``get``/``list``/``audit`` on it exactly as on the store, with the store's values, filters and order.
A table it was not built with is read from the store with a warning, so a caller that forgot a
table stays correct, only slower; without a store it is an error.

``SnapshotStore`` adds the writes, which go to the store: a save is prepared from what was read and
the store's ``apply`` checks every update's expected version against the rows as they are now, so
a save prepared from an out-of-date snapshot is refused as stale, never written over newer data.
"""
from __future__ import annotations

import logging
from typing import Any, Sequence

import pandas as pd

from data_access.repository import (
    ApplyResult, Repository, Write, audit_where, normalise_value, store_order, where_values,
)
from data_access.schema import TYPES, columns

log = logging.getLogger(__name__)


def _value(table: str, column: str, kind: str, value: Any) -> Any:
    """A DataFrame cell back to the column's canonical Python value (as ``Repository.get`` gives)."""
    if kind == "list":  # an empty list cell: None, as the store reads a cell never set
        return [str(v) for v in value] if isinstance(value, (list, tuple)) and len(value) else None
    if value is None or pd.isna(value):
        return None
    return normalise_value(table, column, value)


class Snapshot:
    """Read-only ``get``/``list``/``audit``/``frames``/``count`` over tables already read."""

    backend = "snapshot"

    def __init__(self, frames: dict[str, pd.DataFrame], fallback: Repository | None = None):
        self._frames = dict(frames)
        self._fallback = fallback

    def _missing(self, table: str) -> Repository:
        columns(table)  # an unknown table is refused as by the store
        if self._fallback is None:
            raise KeyError(f"snapshot has no table {table!r}")
        log.warning("snapshot has no table %s; reading it from the store", table)
        return self._fallback

    def _records(self, table: str, df: pd.DataFrame) -> list[dict]:
        kinds = TYPES[table]
        return [{c: _value(table, c, kinds[c], v) for c, v in row.items()} for row in df.to_dict("records")]

    def _match(self, table: str, df: pd.DataFrame, wanted: dict) -> pd.DataFrame:
        """Rows equal to ``wanted`` (normalised values), on the frame: only the matches become records."""
        for col, value in wanted.items():
            kind = TYPES[table][col]
            if value is None:
                mask = df[col].isna() if kind != "list" else df[col].map(lambda v: not v)
            elif kind == "str":
                mask = df[col] == value
            else:
                mask = df[col].map(lambda v, c=col, k=kind, w=value: _value(table, c, k, v) == w)
            df = df[mask.fillna(False).astype(bool)]
        return df

    def get(self, table: str, id: str) -> dict | None:
        if table not in self._frames:
            return self._missing(table).get(table, id)
        df = self._frames[table]
        found = df[df["id"] == id]
        return self._records(table, found.head(1))[0] if len(found) else None

    def list(self, table: str, where: dict | None = None) -> list[dict]:
        if table not in self._frames:
            return self._missing(table).list(table, where)
        df = self._match(table, self._frames[table], where_values(table, where))
        return store_order(table, self._records(table, df))

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


class SnapshotStore(Snapshot):
    """Reads from the snapshot, writes through ``store`` (see the module's docstring): on Google
    Sheets a save then costs the store's two calls and no read of its own."""

    def __init__(self, frames: dict[str, pd.DataFrame], store: Repository):
        super().__init__(frames, fallback=store)
        self._store = store

    def apply(self, writes: Sequence[Write], actor: str, at=None) -> ApplyResult:
        return self._store.apply(writes, actor, at)

    def next_number(self, sequence: str, actor: str) -> int:
        return self._store.next_number(sequence, actor)

    def fresh(self) -> Repository:
        """The store itself, for a read that must not come from the snapshot."""
        return self._store
