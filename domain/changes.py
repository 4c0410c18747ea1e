"""The words of a change set, owned by the domain: what a domain function asks the store to write.

A save is a list of these, applied by ``Repository.apply`` in one transaction (one batch request on
Google Sheets) with their audit entries; an ``Update`` carries the version its author read and is
refused (``StaleWriteError``) if the record changed since. The store implements them
(``data_access.repository``); the domain imports nothing from there to speak them.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Insert:
    table: str
    record: dict


@dataclass(frozen=True)
class Update:
    table: str
    id: str
    changes: dict
    expected_version: int


@dataclass(frozen=True)
class Log:
    """An audit entry with no data change (sign-in, refused permission, export ...)."""

    action: str
    entity: str = ""
    entity_id: str = ""
    detail: str = ""


Write = Insert | Update | Log


def new_id(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:16]}"


@dataclass(frozen=True)
class Numbered:
    """A value the store fills in as it saves: ``template`` with the next number of ``sequence``,
    passing over numbers ``unique`` (table, column) already holds. A record and its number are then
    saved in one go (on Google Sheets: the claim, one read, one write), and numbers stay unique
    under concurrency as ``next_number``'s are. Used as a value in an Insert's record or a Log's
    detail; the same object in several places gets the same number."""

    sequence: str
    template: str  # e.g. "ADU-2026-{:04d}"
    unique: tuple[str, str] | None = None

    def format(self, number: int) -> str:
        return self.template.format(number)


def numbered_in(writes: Sequence[Write]) -> list[Numbered]:
    """The distinct Numbered values of ``writes``, in order of appearance."""
    found: dict[Numbered, None] = {}
    for w in writes:
        if isinstance(w, Insert):
            found.update((v, None) for v in w.record.values() if isinstance(v, Numbered))
        elif isinstance(w, Log) and isinstance(w.detail, Numbered):
            found[w.detail] = None
    return list(found)


def with_numbers(writes: Sequence[Write], values: dict[Numbered, str]) -> list[Write]:
    """``writes`` with every Numbered replaced by its value."""
    out: list[Write] = []
    for w in writes:
        if isinstance(w, Insert) and any(isinstance(v, Numbered) for v in w.record.values()):
            w = Insert(w.table, {k: values[v] if isinstance(v, Numbered) else v for k, v in w.record.items()})
        elif isinstance(w, Log) and isinstance(w.detail, Numbered):
            w = Log(w.action, w.entity, w.entity_id, values[w.detail])
        out.append(w)
    return out
