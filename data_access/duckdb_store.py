"""The embedded default store: one DuckDB file.

DuckDB lets only one process open a file at a time. So that command-line tools (evaluation PDF,
backup, copy) can run while the app is up, the app does not hold the file between units of work:
the connection is opened when the first thread needs it and closed when the last one is done.
Threads of one process share that connection, each with its own cursor. A file held by another
process is waited for briefly, then reported plainly.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import threading
import time
from functools import partial
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

import duckdb
import pyarrow as pa

from domain.errors import NotFoundError, StaleWriteError, StoreUnavailableError, ValidationError
from domain.models import ACTIVE, ON_HOLD
from data_access.frames import typed_frame
from data_access.repository import (
    UTC, ApplyResult, Update, Write, audit_for_insert, audit_for_log, audit_for_update, audit_where,
    normalise_record, normalise_value, numbered_in, numbers_by_claiming, prepare_writes, stale_details, utcnow,
    where_values,
)
from data_access.schema import ADDED_COLUMNS, ADDED_TABLES, SCHEMA_VERSION, TABLES, TYPES, columns

log = logging.getLogger(__name__)

SQL_TYPES = {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN", "date": "DATE",
             "datetime": "TIMESTAMP", "list": "VARCHAR"}


def _q(table: str) -> str:
    """The table's columns, quoted: some names (``at``) are SQL keywords."""
    return ", ".join(f'"{c}"' for c in columns(table))


def _create_table_sql(table: str) -> str:
    cols = ", ".join(f'"{c}" {SQL_TYPES[k]}' + (" PRIMARY KEY" if c == "id" else "") for c, k in TABLES[table])
    return f"CREATE TABLE IF NOT EXISTS {table} ({cols})"


def _migration_1(cur) -> None:
    for table in TABLES:
        cur.execute(_create_table_sql(table))


def _added(cur, version: int) -> None:
    """What schema ``version`` added to an existing file: its tables and its columns (2: the complaint's
    typed case number and assigned executors; 3: the e-mail notices and each account's choices; 4: who
    did a step the seed lets more than one party do)."""
    for table in ADDED_TABLES.get(version, ()):
        cur.execute(_create_table_sql(table))
    for table, cols in ADDED_COLUMNS.get(version, {}).items():
        for col in cols:
            cur.execute(f'ALTER TABLE {table} ADD COLUMN IF NOT EXISTS "{col}" {SQL_TYPES[TYPES[table][col]]}')


# Forward migrations: version -> function. Version 1 creates every table as it is now; each later
# version adds what ``schema.ADDED_TABLES`` and ``schema.ADDED_COLUMNS`` say it added.
MIGRATIONS = {1: _migration_1, **{v: partial(_added, version=v) for v in range(2, SCHEMA_VERSION + 1)}}


def _to_db(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return value.astimezone(UTC).replace(tzinfo=None)
    if kind == "list":
        return json.dumps(value, ensure_ascii=False)
    return value


def _from_db(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return value.replace(tzinfo=UTC)
    if kind == "list":
        return json.loads(value)
    return value


class DuckDBRepository:
    backend = "duckdb"
    sql_dialect = "duckdb"  # the dashboard's SQL runs here (domain.ports.RunsSql)

    def __init__(self, path: str | os.PathLike = "data/sop_tracker.duckdb", *, keep_open: bool | None = None,
                 lock_timeout: float = 10.0, read_only: bool = False, linger: float = 0.0):
        self.path = str(path)
        self.memory = self.path == ":memory:"
        self.keep_open = self.memory if keep_open is None else keep_open or self.memory
        self.lock_timeout = lock_timeout
        self.read_only = read_only
        # Seconds the file stays open after its last use: opening it (its catalogue read, its log
        # replayed) costs more than most reads, so the app keeps it for the next request that comes
        # soon, and lets it go once idle so that the command-line tools can open it.
        self.linger = linger
        self._lock = threading.RLock()
        self._conn: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._idle_since = 0.0
        self._closer: threading.Thread | None = None
        if not self.memory and not read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.upgraded_from: int | None = None  # set by init for a store of an earlier schema

    # ---- connection lifetime ------------------------------------------------------------------

    def _open(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        while True:
            try:
                return duckdb.connect(self.path, read_only=self.read_only)
            except duckdb.IOException as exc:
                text = str(exc)
                if "lock" not in text.lower() or time.monotonic() >= deadline:
                    raise StoreUnavailableError(self._unavailable_message(text)) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def _unavailable_message(self, text: str) -> str:
        pid = re.search(r"PID (\d+)", text)
        if "lock" in text.lower():
            who = f" (PID {pid.group(1)})" if pid else ""
            return (f"Berkas basis data {self.path} sedang dipakai proses lain{who}. Tunggu proses itu "
                    "selesai atau hentikan, lalu coba lagi. Lihat README, bagian 'Berkas DuckDB tidak dapat dibuka'.")
        return (f"Berkas basis data {self.path} tidak dapat dibuka: {text.splitlines()[0] if text else ''}. "
                "Lihat README, bagian 'Berkas DuckDB tidak dapat dibuka'.")

    def _write_failed_message(self, exc: Exception) -> str:
        text = str(exc)
        lower = text.lower()
        if "read-only" in lower or "read only" in lower:
            return (f"Penyimpanan {self.path} hanya-baca: perubahan tidak disimpan. Periksa izin berkas "
                    "atau jalankan aplikasi dengan akun yang berhak menulis.")
        if "too large" in lower or "no space" in lower or "disk" in lower:
            return (f"Disk penyimpanan penuh: perubahan tidak disimpan ({self.path}). Kosongkan ruang disk, "
                    "lalu coba lagi; data yang sudah tersimpan tetap utuh.")
        return f"Perubahan tidak dapat disimpan ke {self.path}: {text.splitlines()[0] if text else exc!r}"

    def checkpoint(self) -> None:
        """Write the WAL into the file now (backups, tests of a full disk)."""
        try:
            with self._cursor() as cur:
                cur.execute("CHECKPOINT")
        except duckdb.Error as exc:
            raise StoreUnavailableError(self._write_failed_message(exc)) from exc

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            if self._conn is None:
                self._conn = self._open()
            self._users += 1
            conn = self._conn
        try:
            cur = conn.cursor()
            try:
                yield cur
            finally:
                cur.close()
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and not self.keep_open and self._conn is not None:
                    if self.linger > 0:
                        self._idle_since = time.monotonic()
                        if self._closer is None:
                            self._closer = threading.Thread(target=self._close_when_idle, daemon=True,
                                                            name="duckdb-close-when-idle")
                            self._closer.start()
                    else:
                        self._close_now()

    def _close_now(self) -> None:
        """Close the file (called with the lock held, no one using it)."""
        conn, self._conn = self._conn, None
        try:
            conn.close()
        except duckdb.Error:
            # Closing checkpoints the WAL into the file. If that fails (disk full) the
            # committed work is still in the WAL and is replayed on the next open.
            log.warning("DuckDB checkpoint on close failed for %s", self.path, exc_info=True)

    def _close_when_idle(self) -> None:
        while True:
            with self._lock:
                if self._conn is None:
                    self._closer = None
                    return
                idle = time.monotonic() - self._idle_since
                if self._users == 0 and idle >= self.linger:
                    self._close_now()
                    self._closer = None
                    return
                wait = self.linger - idle if self._users == 0 else self.linger
            time.sleep(max(wait, 0.05))

    @contextmanager
    def session(self) -> Iterator[None]:
        """Hold the file open across several calls (a page view, a bulk job)."""
        with self._cursor():
            yield

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._users == 0:
                self._conn.close()
                self._conn = None

    # ---- schema -------------------------------------------------------------------------------

    def init(self) -> None:
        with self._cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
            row = cur.execute("SELECT max(version) FROM schema_version").fetchone()
            current = row[0] or 0
            # A store made by an earlier version (not a new one): what it was, for upgrades of its data.
            self.upgraded_from = current if 0 < current < SCHEMA_VERSION else None
            if current > SCHEMA_VERSION:
                raise StoreUnavailableError(
                    f"Berkas basis data berskema versi {current}, lebih baru dari aplikasi ini ({SCHEMA_VERSION}). "
                    "Perbarui aplikasi.")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                cur.execute("BEGIN TRANSACTION")
                MIGRATIONS[version](cur)
                cur.execute("INSERT INTO schema_version VALUES (?)", [version])
                cur.execute("COMMIT")

    def schema_version(self) -> int:
        with self._cursor() as cur:
            return cur.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0

    # ---- reads --------------------------------------------------------------------------------

    def _row(self, table: str, values: Sequence[Any]) -> dict:
        return {c: _from_db(k, v) for (c, k), v in zip(TABLES[table], values, strict=True)}

    def get(self, table: str, id: str) -> dict | None:
        with self._cursor() as cur:
            row = cur.execute(f"SELECT {_q(table)} FROM {table} WHERE id = ?", [id]).fetchone()
        return self._row(table, row) if row else None

    def list(self, table: str, where: dict | None = None) -> list[dict]:
        sql = f"SELECT {_q(table)} FROM {table}"
        params: list[Any] = []
        clauses = []
        for col, value in where_values(table, where).items():
            if value is None:
                clauses.append(f'"{col}" IS NULL')
            else:
                clauses.append(f'"{col}" = ?')
                params.append(_to_db(TYPES[table][col], value))
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        order = '"at", id' if table == "audit" else ("created_at, id" if "created_at" in TYPES[table] else "id")
        sql += f" ORDER BY {order}"
        with self._cursor() as cur:
            rows = cur.execute(sql, params).fetchall()
        return [self._row(table, r) for r in rows]

    def frames(self, tables: Sequence[str]):
        out = {}
        with self._cursor() as cur:
            for table in tables:
                columns(table)  # refuses unknown tables before any SQL is built
                df = cur.execute(f"SELECT * FROM {table}").df()
                for col, kind in TABLES[table]:
                    if kind == "list":
                        df[col] = df[col].map(lambda v: json.loads(v) if isinstance(v, str) else [])
                    elif kind == "datetime" and len(df):
                        df[col] = df[col].dt.tz_localize("UTC")
                out[table] = typed_frame(table, df)
        return out

    def open_case_events(self):
        """The step events of the open cases (active or on hold), typed as ``frames`` gives them: what
        the case list judges, without the events of the many finished cases."""
        cols = ", ".join(f'e."{c}"' for c in columns("step_events"))
        with self._cursor() as cur:
            df = cur.execute(f"SELECT {cols} FROM step_events e JOIN cases c ON c.id = e.case_id "
                             "WHERE c.status IN (?, ?)", [ACTIVE, ON_HOLD]).df()
        for col, kind in TABLES["step_events"]:
            if kind == "datetime" and len(df):
                df[col] = df[col].dt.tz_localize("UTC")
        return typed_frame("step_events", df)

    def count(self, table: str) -> int:
        columns(table)
        with self._cursor() as cur:
            return cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def audit(self, entity: str | None = None, entity_id: str | None = None) -> list[dict]:
        return self.list("audit", audit_where(entity, entity_id))

    def sql(self, query: str, params: Sequence[Any] | None = None):
        """Read-only analytical SQL for data_access modules (dashboard, evaluation); returns a DataFrame."""
        with self._cursor() as cur:
            # Through Arrow, streamed: ``execute(...).df()`` first copies the whole result into
            # DuckDB's own rows and then converts; for the 600,000 step events of a large store
            # that took three times the memory and eight times the time.
            table = cur.sql(query, params=list(params or [])).to_arrow_table()
            # The system allocator, not Arrow's own pool, which keeps what it freed for reuse and so
            # would hold on to the conversion's memory after the frame is built.
            return table.to_pandas(memory_pool=pa.system_memory_pool())

    # ---- writes -------------------------------------------------------------------------------

    def apply(self, writes: Sequence[Write], actor: str, at: dt.datetime | None = None) -> ApplyResult:
        if not actor:
            raise ValidationError("actor", "Setiap perubahan harus mencatat siapa yang melakukannya")
        at = normalise_value("audit", "at", at or utcnow())
        if numbered_in(writes):
            writes = numbers_by_claiming(self, writes, actor)
        prepared = prepare_writes(writes, actor, at)
        attempts = 0
        while True:
            attempts += 1
            try:
                return self._apply_once(prepared, actor, at)
            except duckdb.TransactionException as exc:
                if "constraint violation" in str(exc).lower():  # two saves inserted one ID at once
                    raise ValidationError("id", f"Data dengan ID yang sama sudah ada: {str(exc).splitlines()[0]}") \
                        from exc
                if "conflict" not in str(exc).lower():  # e.g. the commit could not be written
                    raise StoreUnavailableError(self._write_failed_message(exc)) from exc
                # Another thread of this process wrote the same row at the same moment. Retry: the
                # version check then refuses the save if that other write got there first.
                if attempts >= 8:
                    raise StoreUnavailableError(f"Penyimpanan sibuk, coba lagi ({exc})") from exc
                time.sleep(0.01 * attempts)
            except (duckdb.IOException, duckdb.InvalidInputException, duckdb.FatalException,
                    duckdb.PermissionException) as exc:
                raise StoreUnavailableError(self._write_failed_message(exc)) from exc
            except _Stale as stale:
                who, when, changed = stale_details(self, stale.table, stale.id, stale.expected)
                raise StaleWriteError(stale.table, stale.id, stale.expected, stale.actual, who, when,
                                      changed) from None

    def _apply_once(self, prepared, actor: str, at: dt.datetime) -> ApplyResult:
        result = ApplyResult()
        with self._cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                for kind, item in prepared:
                    if kind == "insert":
                        table, row = item
                        self._insert(cur, table, row)
                        result.records.append(row)
                        result.audit.extend(audit_for_insert(table, row, actor, at))
                    elif kind == "update":
                        w, changes = item
                        before, after = self._update(cur, w, changes, actor, at)
                        result.records.append(after)
                        result.audit.extend(audit_for_update(w.table, before, after, changes, actor, at))
                    else:
                        result.audit.append(audit_for_log(item, actor, at))
                for entry in result.audit:
                    self._insert(cur, "audit", normalise_record("audit", entry))
                cur.execute("COMMIT")
            except BaseException:
                try:
                    cur.execute("ROLLBACK")
                except duckdb.Error:
                    pass
                raise
        return result

    def _insert(self, cur, table: str, row: dict) -> None:
        cols = columns(table)
        try:
            cur.execute(f"INSERT INTO {table} ({_q(table)}) VALUES ({', '.join('?' * len(cols))})",
                        [_to_db(TYPES[table][c], row[c]) for c in cols])
        except duckdb.ConstraintException as exc:
            raise ValidationError("id", f"{table} dengan ID {row['id']} sudah ada") from exc

    def _update(self, cur, w: Update, changes: dict, actor: str, at: dt.datetime) -> tuple[dict, dict]:
        found = cur.execute(f"SELECT {_q(w.table)} FROM {w.table} WHERE id = ?", [w.id]).fetchone()
        if found is None:
            raise NotFoundError(w.table, w.id)
        before = self._row(w.table, found)
        if before["version"] != w.expected_version:
            raise _Stale(w.table, w.id, w.expected_version, before["version"])
        full = {**changes, "updated_at": at, "updated_by": actor}
        sets = ", ".join(f'"{c}" = ?' for c in full) + ", version = version + 1"
        params = [_to_db(TYPES[w.table][c], v) for c, v in full.items()] + [w.id, w.expected_version]
        row = cur.execute(f"UPDATE {w.table} SET {sets} WHERE id = ? AND version = ? RETURNING {_q(w.table)}",
                          params).fetchone()
        if row is None:
            raise _Stale(w.table, w.id, w.expected_version, None)
        return before, self._row(w.table, row)

    def next_number(self, sequence: str, actor: str) -> int:
        """The next number of a named counter (receipt numbers); unique under concurrency."""
        at = _to_db("datetime", utcnow())
        for attempt in range(50):
            try:
                with self._cursor() as cur:
                    cur.execute("BEGIN TRANSACTION")
                    try:
                        row = cur.execute("SELECT value FROM sequences WHERE id = ?", [sequence]).fetchone()
                        value = (row[0] if row else 0) + 1
                        if row:
                            cur.execute("UPDATE sequences SET value = ?, updated_at = ?, updated_by = ?, "
                                        "version = version + 1 WHERE id = ?", [value, at, actor, sequence])
                        else:
                            cur.execute("INSERT INTO sequences VALUES (?, ?, ?, ?, ?, ?, 1)",
                                        [sequence, value, at, actor, at, actor])
                        cur.execute("COMMIT")
                        return value
                    except BaseException:
                        try:
                            cur.execute("ROLLBACK")
                        except duckdb.Error:
                            pass
                        raise
            except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
                if "conflict" not in str(exc).lower() and "constraint" not in str(exc).lower():
                    raise StoreUnavailableError(self._write_failed_message(exc)) from exc
                time.sleep(0.005 * (attempt + 1))
        raise StoreUnavailableError("Penomoran sibuk, coba lagi")

    def import_rows(self, table: str, rows: Sequence[dict] | Any) -> int:
        """Bulk load already-stamped rows (restore, copy between backends, demo, bench); not audited.

        Accepts a list of dicts or a DataFrame with the table's columns."""
        import pandas as pd

        df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(
            [normalise_record(table, r) for r in rows], columns=columns(table))
        if df.empty:
            return 0
        df = df.reindex(columns=columns(table))  # a column added since the rows were made is blank
        for col, kind in TABLES[table]:
            if kind == "datetime":
                df[col] = pd.to_datetime(df[col], utc=True).dt.tz_convert("UTC").dt.tz_localize(None)
            elif kind == "list":
                df[col] = df[col].map(lambda v: json.dumps(list(v), ensure_ascii=False) if v is not None else None)
        with self._cursor() as cur:
            cur.register("_incoming", df)
            try:
                cur.execute(f"INSERT INTO {table} ({_q(table)}) SELECT {_q(table)} FROM _incoming")
            finally:
                cur.unregister("_incoming")
        return len(df)


class _Stale(Exception):
    def __init__(self, table, id, expected, actual):
        self.table, self.id, self.expected, self.actual = table, id, expected, actual
