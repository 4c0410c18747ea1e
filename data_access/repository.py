"""What the backends share in implementing the domain's Repository port (``domain.ports``).

Writes go through ``apply``: a list of inserts and updates applied atomically together with their
audit entries (one transaction on DuckDB and PostgreSQL, one batch request on Google Sheets). An update carries
the version its author read; if the stored version differs the whole batch is refused with
``StaleWriteError`` and nothing changes.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any, Sequence

from domain.calendar import now as clock_now
from domain.changes import (  # noqa: F401 - the store speaks the domain's words
    Insert, Log, Numbered, Update, Write, new_id, numbered_in, with_numbers,
)
from domain.errors import NotFoundError, ValidationError
from domain.ports import ApplyResult, Repository, stale_details  # noqa: F401 - the port the stores implement
from data_access.schema import SENSITIVE, TABLES, TYPES, UNAUDITED, columns

UTC = dt.UTC


def numbers_by_claiming(repo: Repository, writes: Sequence[Write], actor: str) -> list[Write]:
    """Numbered values filled in one ``next_number`` at a time (a store whose counter is cheap)."""
    values: dict[Numbered, str] = {}
    for n in numbered_in(writes):
        for _ in range(MAX_NUMBER_SKIPS):
            text = n.format(repo.next_number(n.sequence, actor))
            if n.unique is None or not repo.list(n.unique[0], {n.unique[1]: text}):
                break
        else:
            raise ValidationError(n.sequence, key="store.sequence.exhausted", sequence=n.sequence)
        values[n] = text
    return with_numbers(writes, values)


MAX_NUMBER_SKIPS = 10_000


def utcnow() -> dt.datetime:
    """Stamps of writes: the app's one clock, in UTC."""
    return clock_now().astimezone(UTC)


# ---- values: one canonical Python form per column type, shared by every backend -----------------

def normalise_value(table: str, column: str, value: Any) -> Any:
    """Coerce a value to its column's canonical Python form; refuse what cannot be stored."""
    kind = TYPES[table].get(column)
    if kind is None:
        raise ValidationError(column, f"Kolom tidak dikenal: {table}.{column}")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind == "str":
        if not isinstance(value, str):
            value = str(value)
        if value == "":
            return None  # one blank on every backend: Google Sheets cannot hold an empty string
        if "\x00" in value:
            # NUL cannot be stored in every backend; refuse rather than silently change the text.
            raise ValidationError(column, "Teks mengandung karakter NUL yang tidak dapat disimpan")
        return value
    if kind == "int":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, float) and not value.is_integer():
            raise ValidationError(column, f"{column}: harus bilangan bulat")
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        if isinstance(value, str):
            return value.strip().upper() in ("TRUE", "1", "YA", "YES")
        return bool(value)
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if hasattr(value, "date"):  # pandas Timestamp
            return value.date()
        return dt.date.fromisoformat(str(value))
    if kind == "datetime":
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if hasattr(value, "to_pydatetime"):
            value = value.to_pydatetime()
        if not isinstance(value, dt.datetime):
            raise ValidationError(column, f"{column}: bukan waktu yang sah")
        if value.tzinfo is None:
            raise ValidationError(column, f"{column}: waktu tanpa zona waktu")
        # Microseconds are kept: both backends store them exactly.
        return value.astimezone(UTC)
    if kind == "list":
        if isinstance(value, str):
            value = json.loads(value) if value.startswith("[") else [v for v in value.split(",") if v]
        return [str(v) for v in value]
    raise AssertionError(kind)


def normalise_record(table: str, record: dict) -> dict:
    unknown = set(record) - set(TYPES[table])
    if unknown:
        raise ValidationError(sorted(unknown)[0], f"Kolom tidak dikenal: {', '.join(sorted(unknown))}")
    return {c: normalise_value(table, c, record.get(c)) for c in columns(table)}


def audit_text(table: str, column: str, value: Any) -> str | None:
    if value is None:
        return None
    if (table, column) in SENSITIVE:
        return "***"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def prepare_insert(table: str, record: dict, actor: str, at: dt.datetime) -> dict:
    if table == "audit":
        raise ValidationError("audit", "Log audit hanya dapat ditambah oleh penyimpanan sendiri")
    if table not in TABLES:
        raise ValidationError("table", f"Tabel tidak dikenal: {table}")
    row = dict(record)
    row.setdefault("id", new_id())
    if not row.get("id"):
        raise ValidationError("id", "ID kosong")
    row.update(version=1, created_at=row.get("created_at") or at, created_by=row.get("created_by") or actor,
               updated_at=at, updated_by=actor)
    return normalise_record(table, row)


def prepare_changes(table: str, changes: dict) -> dict:
    if table == "audit":
        raise ValidationError("audit", "Log audit tidak dapat diubah")
    protected = {"id", "version", "created_at", "created_by"} & set(changes)
    if protected:
        raise ValidationError(sorted(protected)[0], f"Kolom {', '.join(sorted(protected))} tidak dapat diubah")
    return {c: normalise_value(table, c, v) for c, v in changes.items()}


def prepare_writes(writes: Sequence[Write], actor: str, at: dt.datetime) -> list[tuple[str, Any]]:
    """Every write validated and normalised before a store is touched: ("insert", (table, row)),
    ("update", (Update, changes)) or ("log", Log)."""
    prepared: list[tuple[str, Any]] = []
    for w in writes:
        if isinstance(w, Insert):
            prepared.append(("insert", (w.table, prepare_insert(w.table, w.record, actor, at))))
        elif isinstance(w, Update):
            prepared.append(("update", (w, prepare_changes(w.table, w.changes))))
        elif isinstance(w, Log):
            prepared.append(("log", w))
        else:
            raise TypeError(w)
    return prepared


def audit_for_insert(table: str, row: dict, actor: str, at: dt.datetime) -> list[dict]:
    if table in UNAUDITED:
        return []
    shown = {c: audit_text(table, c, v) for c, v in row.items() if v is not None}
    return [{"id": new_id("A"), "at": at, "actor": actor, "action": "create", "entity": table,
             "entity_id": row["id"], "field": "*", "old": None,
             "new": json.dumps(shown, ensure_ascii=False), "version": 1}]


def audit_for_update(table: str, before: dict, after: dict, changes: dict, actor: str,
                     at: dt.datetime) -> list[dict]:
    if table in UNAUDITED:
        return []
    entries = []
    for c in changes:
        if c in ("updated_at", "updated_by") or before.get(c) == after.get(c):
            continue
        entries.append({"id": new_id("A"), "at": at, "actor": actor, "action": "update", "entity": table,
                        "entity_id": before["id"], "field": c, "old": audit_text(table, c, before.get(c)),
                        "new": audit_text(table, c, after.get(c)), "version": after["version"]})
    return entries


def audit_for_log(log: Log, actor: str, at: dt.datetime) -> dict:
    return {"id": new_id("A"), "at": at, "actor": actor, "action": log.action, "entity": log.entity,
            "entity_id": log.entity_id, "field": "", "old": None, "new": log.detail or None, "version": None}


def where_values(table: str, where: dict | None) -> dict:
    """A ``list()`` filter with its values normalised as stored; an unknown column is refused."""
    wanted = {}
    for col, value in (where or {}).items():
        if col not in TYPES[table]:
            raise ValidationError(col, f"Kolom tidak dikenal: {col}")
        wanted[col] = normalise_value(table, col, value)
    return wanted


_FLOOR = dt.datetime.min.replace(tzinfo=UTC)


def store_order(table: str, records: list[dict]) -> list[dict]:
    """The order ``list()`` gives on every backend: audit by (at, id), tables with created_at by
    (created_at, id), others by id; missing values first."""
    key = ("at", "id") if table == "audit" else (("created_at", "id") if "created_at" in TYPES[table] else ("id",))
    return sorted(records, key=lambda r: tuple(
        (r[k] is not None, r[k] if r[k] is not None else (_FLOOR if k in ("at", "created_at") else "")) for k in key))


def audit_where(entity: str | None = None, entity_id: str | None = None) -> dict:
    """The equality filter of Repository.audit(), shared by every backend."""
    return {k: v for k, v in (("entity", entity), ("entity_id", entity_id)) if v}


def require(record: dict | None, table: str, record_id: str) -> dict:
    if record is None:
        raise NotFoundError(table, record_id)
    return record
