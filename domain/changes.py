"""The words of a change set, owned by the domain: what a domain function asks the store to write.

A save is a list of these, applied by ``Repository.apply`` in one transaction (one batch request on
Google Sheets) with their audit entries; an ``Update`` carries the version its author read and is
refused (``StaleWriteError``) if the record changed since. The store implements them
(``data_access.repository``); the domain imports nothing from there to speak them.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass


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
