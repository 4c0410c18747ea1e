"""The store as the domain sees it: the one Repository port every backend implements, and the
optional capabilities a backend may offer on top of it.

The domain speaks to a store only through this port (and the change words of ``domain.changes``);
``data_access`` implements it for DuckDB, Google Sheets and PostgreSQL. A capability is declared
here as a protocol and asked for with ``isinstance``, never by the backend's name, so a new backend
gains an optimised path by offering the method, and loses nothing by not offering it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ContextManager, Protocol, Sequence, runtime_checkable

from domain.changes import Write


@dataclass
class ApplyResult:
    records: list[dict] = field(default_factory=list)  # inserted/updated rows as stored
    audit: list[dict] = field(default_factory=list)


@runtime_checkable
class Repository(Protocol):
    """What every backend offers. ``frames`` returns a typed frame for every table asked for (an
    empty one with the schema's columns and dtypes for an empty table)."""

    backend: str

    def init(self) -> None: ...
    def get(self, table: str, id: str) -> dict | None: ...
    def list(self, table: str, where: dict | None = None) -> list[dict]: ...
    def frames(self, tables: Sequence[str]) -> dict[str, Any]: ...
    def apply(self, writes: Sequence[Write], actor: str, at: dt.datetime | None = None) -> ApplyResult: ...
    def count(self, table: str) -> int: ...
    def audit(self, entity: str | None = None, entity_id: str | None = None) -> list[dict]: ...
    def next_number(self, sequence: str, actor: str) -> int: ...
    def close(self) -> None: ...


# ---- optional capabilities ---------------------------------------------------------------------

@runtime_checkable
class HoldsSession(Protocol):
    """Keeps the store open across the several reads and the write of one action (an embedded file
    store would otherwise open and close it for each)."""

    def session(self) -> ContextManager[None]: ...


@runtime_checkable
class ReadsOpenCaseEvents(Protocol):
    """Reads only the step events of cases still open, instead of every event ever recorded."""

    def open_case_events(self) -> Any: ...


@runtime_checkable
class RunsSql(Protocol):
    """Runs the dashboard's SQL in the store itself; ``sql_dialect`` names the spelling it needs."""

    sql_dialect: str

    def sql(self, query: str, params: Any = None) -> Any: ...


@runtime_checkable
class HandsOverFresh(Protocol):
    """A read-only view of one earlier read (a page's snapshot) that can hand over the live store,
    for a retry that must see what another person has just saved."""

    def fresh(self) -> Repository: ...


@runtime_checkable
class RecordsUpgrade(Protocol):
    """Says from which schema version the store was brought up at this start (None: it was not)."""

    upgraded_from: int | None


def store_session(repo) -> ContextManager[None]:
    """The store held open for one action where it offers that; otherwise nothing to hold."""
    return repo.session() if isinstance(repo, HoldsSession) else contextlib.nullcontext()


def upgraded_from(repo) -> int | None:
    return repo.upgraded_from if isinstance(repo, RecordsUpgrade) else None


def live(repo) -> Repository:
    """The live store behind a page's snapshot, or the store itself."""
    return repo.fresh() if isinstance(repo, HandsOverFresh) else repo


def stale_details(repo: Repository, table: str, record_id: str, expected: int) -> tuple[str | None, Any, dict]:
    """Who saved after ``expected`` and what they changed, for the StaleWriteError message."""
    changed: dict = {}
    who, when = None, None
    for entry in repo.audit(table, record_id):
        if entry.get("version") is not None and entry["version"] > expected and entry["action"] == "update":
            changed[entry["field"]] = entry["new"]
            who, when = entry["actor"], entry["at"]
    return who, when, changed
