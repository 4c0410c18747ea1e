"""Order-independent checksums of tables, so a backup, restore or copy can prove nothing was lost
or changed: the same rows give the same checksum on every backend."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from data_access.repository import UTC, normalise_record


def _canonical(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def row_text(table: str, row: dict) -> str:
    clean = normalise_record(table, row)
    return json.dumps({k: _canonical(v) for k, v in clean.items()}, ensure_ascii=False, sort_keys=True)


def table_checksum(table: str, rows: list[dict]) -> str:
    digest = hashlib.sha256()
    for line in sorted(row_text(table, r) for r in rows):
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def table_summary(table: str, rows: list[dict]) -> dict:
    """Row count and checksum of one table's rows."""
    return {"rows": len(rows), "sha256": table_checksum(table, rows)}


def store_summary(repo, tables) -> dict[str, dict]:
    """Row count and checksum of each table of a store (read one table at a time)."""
    return {t: table_summary(t, repo.list(t)) for t in tables}
