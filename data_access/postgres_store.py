"""The shared store for several app servers: one PostgreSQL database (psycopg 3).

Every app server opens its own connections (a few kept idle per process, one per thread at a
time), so any server serves any request. A save is one transaction: each updated row is locked
(``SELECT … FOR UPDATE``) and its version compared before it is written, and the audit entries are
inserted in that same transaction, so a save made on an old version is refused whichever server
made the other one. Receipt counters are one ``INSERT … ON CONFLICT DO UPDATE … RETURNING``: the
row lock makes every number unique across servers.

Text columns use the "C" collation (code-point order, as Python and DuckDB sort), timestamps are
``timestamptz`` (microseconds kept, read back in UTC), lists are ``jsonb`` arrays. The tables live in
the connection's current schema (the first of its ``search_path``), so one server can hold several
stores.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import threading
import time
from functools import partial
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Mapping, Sequence

import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict
from psycopg.pq import TransactionStatus
from psycopg.types.json import Jsonb

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

SQL_TYPES = {"str": 'TEXT COLLATE "C"', "int": "BIGINT", "float": "DOUBLE PRECISION", "bool": "BOOLEAN",
             "date": "DATE", "datetime": "TIMESTAMPTZ", "list": "JSONB"}

# Lookups every page makes: a case's steps, the running steps of the case list, a record's history.
INDEXES = {"step_events": (("case_id",), ("status",)), "audit": (("entity_id",),), "holds": (("case_id",),),
           "complaint_actions": (("complaint_id",),), "sessions": (("token_hash",), ("account_id",))}

MIGRATION_LOCK = "sop-tracker-schema"
STARTUP_LOCK = "sop-tracker-startup"

# Beside the tables of the schema, two of the store's own, made by init() whatever the version:
# - how many saves wrote each table (``change_counts``): each app server keeps its read caches per
#   process and drops those of a table whose count moved, so a save on one server is seen on the next
#   view on every other;
# - the bytes of complaint attachments (``DatabaseFileStore`` in data_access/file_store.py), so that
#   every app server reaches them without a shared folder.
CHANGES_TABLE = "table_changes"
FILES_TABLE = "attachment_files"
OWN_TABLES_SQL = (
    f"CREATE TABLE IF NOT EXISTS {CHANGES_TABLE} (name TEXT COLLATE \"C\" PRIMARY KEY, n BIGINT NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {FILES_TABLE} (id TEXT COLLATE \"C\" PRIMARY KEY, data BYTEA NOT NULL, "
    "created_at TIMESTAMPTZ NOT NULL DEFAULT now())",
)
# One statement for the counts of a save's tables, in the save's own transaction. Rows are locked in
# name order, after every row the save updates: two saves never wait on each other in a circle.
COUNT_CHANGES_SQL = (f"INSERT INTO {CHANGES_TABLE} (name, n) SELECT t, 1 FROM unnest(%s::text[]) AS t "
                     f"ON CONFLICT (name) DO UPDATE SET n = {CHANGES_TABLE}.n + 1")


def _q(table: str) -> str:
    """The table's columns, quoted: some names (``at``) are SQL keywords."""
    return ", ".join(f'"{c}"' for c in columns(table))


def _create_table_sql(table: str) -> str:
    cols = ", ".join(f'"{c}" {SQL_TYPES[k]}' + (" PRIMARY KEY" if c == "id" else "") for c, k in TABLES[table])
    return f"CREATE TABLE IF NOT EXISTS {table} ({cols})"


def _create_indexes(cur, table: str) -> None:
    for cols in INDEXES.get(table, ()):
        cur.execute(f"CREATE INDEX IF NOT EXISTS {table}_{'_'.join(cols)} ON {table} "
                    f"({', '.join(chr(34) + c + chr(34) for c in cols)})")


def _migration_1(cur) -> None:
    for table in TABLES:
        cur.execute(_create_table_sql(table))
        _create_indexes(cur, table)


def _added(cur, version: int) -> None:
    """What schema ``version`` added to an existing store: its tables (with their indexes) and its columns."""
    for table in ADDED_TABLES.get(version, ()):
        cur.execute(_create_table_sql(table))
        _create_indexes(cur, table)
    for table, cols in ADDED_COLUMNS.get(version, {}).items():
        for col in cols:
            cur.execute(f'ALTER TABLE {table} ADD COLUMN IF NOT EXISTS "{col}" {SQL_TYPES[TYPES[table][col]]}')


# Forward migrations: version -> function. Version 1 creates every table as it is now; each later
# version adds what ``schema.ADDED_TABLES`` and ``schema.ADDED_COLUMNS`` say it added.
MIGRATIONS = {1: _migration_1, **{v: partial(_added, version=v) for v in range(2, SCHEMA_VERSION + 1)}}


def _to_db(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "list":
        return Jsonb(list(value))
    return value


def _from_db(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return value.astimezone(UTC)
    if kind == "list":
        return [str(v) for v in value]
    return value


def describe(url: str) -> str:
    """The store named without its password: ``user@host:port/database``."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgres_url (tidak sah)"
    host = info.get("host") or "localhost"
    port = f":{info['port']}" if info.get("port") else ""
    user = f"{info['user']}@" if info.get("user") else ""
    return f"{user}{host}{port}/{info.get('dbname') or ''}"


class PostgresRepository:
    backend = "postgres"
    sql_dialect = "postgres"  # the dashboard's SQL runs here (domain.ports.RunsSql)

    def __init__(self, url: str, *, connect_timeout: int = 10, idle_connections: int = 4):
        if not url:
            raise StoreUnavailableError("postgres_url (SOP_POSTGRES_URL) belum diisi: alamat basis data PostgreSQL, "
                                        "mis. postgresql://sop:sandi@db.example.go.id/sop_tracker.")
        self.url = url
        self.label = describe(url)
        self.connect_timeout = connect_timeout
        self.idle_connections = idle_connections
        self._idle: list[psycopg.Connection] = []
        self._lock = threading.Lock()
        self._pinned = threading.local()
        self.schema: str | None = None  # the schema the tables live in, known after init()

    # ---- connections --------------------------------------------------------------------------

    def _connect(self) -> psycopg.Connection:
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=self.connect_timeout)
        except psycopg.Error as exc:
            raise StoreUnavailableError(self._unreachable_message(exc)) from None
        # Timestamps come back in UTC and the SQL's date arithmetic counts in UTC, whatever the
        # server's own time zone.
        conn.execute("SET TIME ZONE 'UTC'")
        return conn

    def _unreachable_message(self, exc: Exception) -> str:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (f"Basis data PostgreSQL {self.label} tidak dapat dihubungi: {text}. Periksa postgres_url "
                "(SOP_POSTGRES_URL), jaringan, dan bahwa server berjalan; lalu coba lagi.")

    def _failed_message(self, exc: Exception) -> str:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if isinstance(exc, pg_errors.DiskFull):
            return (f"Disk basis data penuh: perubahan tidak disimpan ({self.label}). Kosongkan ruang disk, "
                    "lalu coba lagi; data yang sudah tersimpan tetap utuh.")
        if isinstance(exc, (pg_errors.ReadOnlySqlTransaction, pg_errors.InsufficientPrivilege)):
            return (f"Basis data {self.label} menolak perubahan ({text}): tidak ada yang disimpan. Periksa hak "
                    "akun basis data atau apakah server dalam mode hanya-baca.")
        if isinstance(exc, psycopg.OperationalError):
            return self._unreachable_message(exc)
        return f"Basis data {self.label} menolak permintaan: {text}"

    @contextmanager
    def session(self) -> Iterator[None]:
        """Keep this thread on one connection across several calls (a page view, a bulk job)."""
        if getattr(self._pinned, "conn", None) is not None:
            yield
            return
        with self._connection() as conn:
            self._pinned.conn = conn
            try:
                yield
            finally:
                self._pinned.conn = None

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        pinned = getattr(self._pinned, "conn", None)
        if pinned is not None and not pinned.closed and not pinned.broken:
            yield pinned
            return
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._connect()
        try:
            yield conn
        finally:
            reusable = (not conn.closed and not conn.broken
                        and conn.info.transaction_status == TransactionStatus.IDLE)
            with self._lock:
                if reusable and len(self._idle) < self.idle_connections:
                    self._idle.append(conn)
                    conn = None
            if conn is not None and not conn.closed:
                conn.close()

    def _read(self, work: Callable[[psycopg.Connection], Any]) -> Any:
        """Run a read; a connection that died while idle (server restarted) is replaced once."""
        for attempt in (1, 2):
            try:
                with self._connection() as conn:
                    return work(conn)
            except psycopg.OperationalError as exc:
                if attempt == 2:
                    raise StoreUnavailableError(self._failed_message(exc)) from None
                self._drop_idle()
            except psycopg.Error as exc:
                raise StoreUnavailableError(self._failed_message(exc)) from None

    def _drop_idle(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            try:
                conn.close()
            except psycopg.Error:
                pass

    def close(self) -> None:
        self._drop_idle()

    # ---- schema -------------------------------------------------------------------------------

    def init(self) -> None:
        def migrate(conn):
            with conn.transaction():
                cur = conn.cursor()
                schema = self.schema = cur.execute("SELECT current_schema()").fetchone()[0]
                if schema is None:
                    raise StoreUnavailableError(
                        f"Basis data {self.label}: skema di search_path tidak ada. Buat skemanya dulu "
                        "(CREATE SCHEMA …) atau perbaiki options=-csearch_path=… di postgres_url.")
                # Two servers starting at once: the second waits and then finds the work done.
                cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{MIGRATION_LOCK}:{schema}"])
                cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
                current = cur.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
                if current > SCHEMA_VERSION:
                    raise StoreUnavailableError(
                        f"Basis data berskema versi {current}, lebih baru dari aplikasi ini ({SCHEMA_VERSION}). "
                        "Perbarui aplikasi.")
                for version in range(current + 1, SCHEMA_VERSION + 1):
                    MIGRATIONS[version](cur)
                    cur.execute("INSERT INTO schema_version VALUES (%s)", [version])
                for statement in OWN_TABLES_SQL:
                    cur.execute(statement)

        self._read(migrate)

    def schema_version(self) -> int:
        return self._read(lambda conn: conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0)

    @contextmanager
    def exclusive(self, name: str = STARTUP_LOCK) -> Iterator[None]:
        """Run a block on one app server at a time (every server's start: the demo data, the first
        administrator, records brought under the current rule): a lock held by this thread's
        connection (``pg_advisory_lock``) for as long as the block runs."""
        with self.session(), self._connection() as conn:
            try:
                conn.execute("SELECT pg_advisory_lock(hashtext(%s))", [f"{name}:{self.schema}"])
            except psycopg.Error as exc:
                raise StoreUnavailableError(self._failed_message(exc)) from None
            try:
                yield
            finally:
                try:
                    conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [f"{name}:{self.schema}"])
                except psycopg.Error:  # the connection is gone, and its lock with it
                    pass

    def change_counts(self) -> dict[str, int]:
        """How many saves have written each table so far (from every app server): what read caches
        are keyed on."""
        rows = self._read(lambda conn: conn.execute(f"SELECT name, n FROM {CHANGES_TABLE}").fetchall())
        return dict(rows)

    def set_aside(self, stamp: str) -> str:
        """Move every table into a new schema ``<schema>_cadangan_<stamp>`` (nothing deleted) and
        leave the store empty for init(); returns that schema's name."""
        from psycopg import sql

        def move(conn):
            with conn.transaction():
                schema = conn.execute("SELECT current_schema()").fetchone()[0]
                backup = f"{schema}_cadangan_{stamp}"
                conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(backup)))
                for table in [*TABLES, "schema_version", CHANGES_TABLE, FILES_TABLE]:
                    conn.execute(sql.SQL("ALTER TABLE {} SET SCHEMA {}").format(sql.Identifier(table),
                                                                               sql.Identifier(backup)))
                return backup

        return self._read(move)

    # ---- reads --------------------------------------------------------------------------------

    def _row(self, table: str, values: Sequence[Any]) -> dict:
        return {c: _from_db(k, v) for (c, k), v in zip(TABLES[table], values, strict=True)}

    def get(self, table: str, id: str) -> dict | None:
        columns(table)
        row = self._read(lambda conn: conn.execute(f"SELECT {_q(table)} FROM {table} WHERE id = %s",
                                                   [id]).fetchone())
        return self._row(table, row) if row else None

    def list(self, table: str, where: dict | None = None) -> list[dict]:
        sql = f"SELECT {_q(table)} FROM {table}"
        params: list[Any] = []
        clauses = []
        for col, value in where_values(table, where).items():
            if value is None:
                clauses.append(f'"{col}" IS NULL')
            else:
                clauses.append(f'"{col}" = %s')
                params.append(_to_db(TYPES[table][col], value))
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        # The order of repository.store_order: missing stamps first, IDs in code-point order.
        order = ('"at" NULLS FIRST, id' if table == "audit"
                 else ("created_at NULLS FIRST, id" if "created_at" in TYPES[table] else "id"))
        sql += f" ORDER BY {order}"
        rows = self._read(lambda conn: conn.execute(sql, params).fetchall())
        return [self._row(table, r) for r in rows]

    def frames(self, tables: Sequence[str]) -> dict[str, pd.DataFrame]:
        for table in tables:
            columns(table)  # refuses unknown tables before any SQL is built

        def read(conn):
            out = {}
            # One snapshot for all the tables, as one batch read gives on the other backends.
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                for table in tables:
                    out[table] = typed_frame(table, _copy_frame(conn, table, columns(table)))
            return out

        return self._read(read)

    def columns_frame(self, table: str, cols: Sequence[str], where: str = "", params: Sequence[Any] = (),
                      categorical: Sequence[str] = ()) -> pd.DataFrame:
        """Some columns of a table, optionally filtered (``where``: SQL after WHERE, ``%s`` markers),
        as a DataFrame typed as ``frames`` types them: large reads (the evaluation's step events).
        Text columns in ``categorical`` come as pandas categoricals, their categories sorted."""
        for col in cols:
            TYPES[table][col]  # noqa: B018 - refuses unknown columns before any SQL is built
        return self._read(lambda conn: _copy_frame(conn, table, list(cols), where, params, tuple(categorical)))

    def open_case_events(self) -> pd.DataFrame:
        """The step events of the open cases (active or on hold), typed as ``frames`` gives them: what
        the case list judges, without the events of the many finished cases."""
        return typed_frame("step_events", self.columns_frame(
            "step_events", columns("step_events"),
            "case_id IN (SELECT id FROM cases WHERE status IN (%s, %s))", [ACTIVE, ON_HOLD]))

    def count(self, table: str) -> int:
        columns(table)
        return self._read(lambda conn: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def audit(self, entity: str | None = None, entity_id: str | None = None) -> list[dict]:
        return self.list("audit", audit_where(entity, entity_id))

    def sql(self, query: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Read-only analytical SQL for data_access modules (dashboard, evaluation): ``%s`` or
        ``%(name)s`` placeholders; returns a DataFrame."""
        def run(conn):
            with conn.transaction():
                conn.execute("SET TRANSACTION READ ONLY")
                # Compiling the dashboard's query cost about 0.3 s each time and won less than that.
                conn.execute("SET LOCAL jit = off")
                cur = conn.execute(query, params if isinstance(params, Mapping) else list(params or []))
                names = [d.name for d in cur.description]
                return pd.DataFrame(cur.fetchall(), columns=names)

        return self._read(run)

    # ---- writes -------------------------------------------------------------------------------

    def apply(self, writes: Sequence[Write], actor: str, at: dt.datetime | None = None) -> ApplyResult:
        if not actor:
            raise ValidationError("actor", "Setiap perubahan harus mencatat siapa yang melakukannya")
        at = normalise_value("audit", "at", at or utcnow())
        if numbered_in(writes):  # receipt and case numbers the store fills in as it saves
            writes = numbers_by_claiming(self, writes, actor)
        prepared = prepare_writes(writes, actor, at)
        attempts = 0
        while True:
            attempts += 1
            try:
                with self._connection() as conn:
                    return self._apply_once(conn, prepared, actor, at)
            except (pg_errors.DeadlockDetected, pg_errors.SerializationFailure) as exc:
                # Two saves locked the same rows in opposite orders; the server undid this one.
                # Again from the start: the version check then decides.
                if attempts >= 8:
                    raise StoreUnavailableError(f"Penyimpanan sibuk, coba lagi ({exc})") from None
                time.sleep(0.01 * attempts)
            except _Stale as stale:
                who, when, changed = stale_details(self, stale.table, stale.id, stale.expected)
                raise StaleWriteError(stale.table, stale.id, stale.expected, stale.actual, who, when,
                                      changed) from None
            except psycopg.Error as exc:
                raise StoreUnavailableError(self._failed_message(exc)) from None

    def _apply_once(self, conn: psycopg.Connection, prepared, actor: str, at: dt.datetime) -> ApplyResult:
        result = ApplyResult()
        with conn.transaction():
            cur = conn.cursor()
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
            entries = [normalise_record("audit", e) for e in result.audit]
            if entries:
                cols = columns("audit")
                cur.executemany(f"INSERT INTO audit ({_q('audit')}) VALUES ({', '.join(['%s'] * len(cols))})",
                                [[_to_db(TYPES["audit"][c], e[c]) for c in cols] for e in entries])
            written = {item[0] if kind == "insert" else item[0].table for kind, item in prepared if kind != "log"}
            _count_changes(cur, written | ({"audit"} if entries else set()))
        return result

    def _insert(self, cur, table: str, row: dict) -> None:
        cols = columns(table)
        try:
            cur.execute(f"INSERT INTO {table} ({_q(table)}) VALUES ({', '.join(['%s'] * len(cols))})",
                        [_to_db(TYPES[table][c], row[c]) for c in cols])
        except pg_errors.UniqueViolation:
            raise ValidationError("id", f"{table} dengan ID {row['id']} sudah ada") from None

    def _update(self, cur, w: Update, changes: dict, actor: str, at: dt.datetime) -> tuple[dict, dict]:
        found = cur.execute(f"SELECT {_q(w.table)} FROM {w.table} WHERE id = %s FOR UPDATE", [w.id]).fetchone()
        if found is None:
            raise NotFoundError(w.table, w.id)
        before = self._row(w.table, found)
        if before["version"] != w.expected_version:
            raise _Stale(w.table, w.id, w.expected_version, before["version"])
        full = {**changes, "updated_at": at, "updated_by": actor}
        sets = ", ".join(f'"{c}" = %s' for c in full) + ", version = version + 1"
        params = [_to_db(TYPES[w.table][c], v) for c, v in full.items()] + [w.id, w.expected_version]
        row = cur.execute(f"UPDATE {w.table} SET {sets} WHERE id = %s AND version = %s RETURNING {_q(w.table)}",
                          params).fetchone()
        if row is None:  # cannot happen under the row lock; refused rather than assumed
            raise _Stale(w.table, w.id, w.expected_version, None)
        return before, self._row(w.table, row)

    def next_number(self, sequence: str, actor: str) -> int:
        """The next number of a named counter (receipt numbers); unique across every app server."""
        at = utcnow()

        def take(conn):
            return conn.execute(
                "INSERT INTO sequences (id, value, created_at, created_by, updated_at, updated_by, version) "
                "VALUES (%s, 1, %s, %s, %s, %s, 1) ON CONFLICT (id) DO UPDATE SET value = sequences.value + 1, "
                "updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, "
                "version = sequences.version + 1 RETURNING value",
                [sequence, at, actor, at, actor]).fetchone()[0]

        try:
            with self._connection() as conn, conn.transaction():
                number = take(conn)
                _count_changes(conn.cursor(), {"sequences"})
                return number
        except psycopg.Error as exc:
            raise StoreUnavailableError(self._failed_message(exc)) from None

    def import_rows(self, table: str, rows: Sequence[dict] | Any) -> int:
        """Bulk load already-stamped rows (restore, copy between backends, demo, bench); not audited.

        Accepts a list of dicts (checked and normalised as every write is) or a DataFrame with the
        table's columns (taken as it is, as the DuckDB store takes it)."""
        if isinstance(rows, pd.DataFrame):
            frame = rows[columns(table)]
        else:
            frame = pd.DataFrame([normalise_record(table, r) for r in rows], columns=columns(table))
        if frame.empty:
            return 0
        data = _csv_rows(table, frame)

        def load(conn):
            with conn.transaction(), conn.cursor() as cur:
                with cur.copy(f"COPY {table} ({_q(table)}) FROM STDIN (FORMAT csv, FORCE_NULL ({_q(table)}))") as copy:
                    copy.write(data)
                _count_changes(cur, {table})

        try:
            with self._connection() as conn:
                load(conn)
        except pg_errors.UniqueViolation:
            raise ValidationError("id", f"{table}: ID yang dimuat sudah ada") from None
        except psycopg.Error as exc:
            raise StoreUnavailableError(self._failed_message(exc)) from None
        return len(frame)


    # ---- attachment bytes ---------------------------------------------------------------------

    def put_file(self, file_id: str, data: bytes) -> None:
        """Keep an attachment's bytes (committed at once, before its record is saved)."""
        try:
            with self._connection() as conn:
                conn.execute(f"INSERT INTO {FILES_TABLE} (id, data) VALUES (%s, %s)", [file_id, data])
        except pg_errors.UniqueViolation:
            raise ValidationError("attachment", f"Lampiran {file_id} sudah ada") from None
        except psycopg.Error as exc:
            raise StoreUnavailableError(self._failed_message(exc)) from None

    def file(self, file_id: str) -> bytes | None:
        row = self._read(lambda conn: conn.execute(f"SELECT data FROM {FILES_TABLE} WHERE id = %s",
                                                   [file_id]).fetchone())
        return bytes(row[0]) if row else None

    def delete_file(self, file_id: str) -> None:
        self._read(lambda conn: conn.execute(f"DELETE FROM {FILES_TABLE} WHERE id = %s", [file_id]))


def _count_changes(cur, tables) -> None:
    if tables:
        cur.execute(COUNT_CHANGES_SQL, [sorted(tables)])


def _csv_rows(table: str, frame: pd.DataFrame) -> str:
    """A table's rows as the CSV that COPY reads: every value quoted (a text ``\\.`` alone would
    otherwise end the data), a blank read as NULL (FORCE_NULL; the store keeps no empty text),
    instants in UTC with their microseconds, lists as JSON, booleans as t/f."""
    out = pd.DataFrame(index=frame.index)
    for col, kind in TABLES[table]:
        s = frame[col]
        if kind == "datetime":
            s = pd.to_datetime(s, utc=True, format="mixed").dt.strftime("%Y-%m-%d %H:%M:%S.%f+00")
        elif kind == "date":
            s = pd.to_datetime(s).dt.strftime("%Y-%m-%d")
        elif kind == "list":
            s = s.map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v))
                      else json.dumps([str(x) for x in v], ensure_ascii=False))
        elif kind == "bool":
            s = s.map(lambda v: None if v is None or pd.isna(v) else ("t" if v else "f"))
        elif kind == "int":
            s = pd.to_numeric(s).astype("Int64")
        out[col] = s.astype(object).where(s.notna(), None)
    return out.to_csv(index=False, header=False, na_rep="", lineterminator="\n", quoting=csv.QUOTE_ALL)


_ARROW = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32(),
          "datetime": pa.timestamp("us"), "list": pa.string()}


def _copy_frame(conn: psycopg.Connection, table: str, cols: list[str], where: str = "",
                params: Sequence[Any] = (), categorical: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rows streamed as CSV (``COPY … TO STDOUT``) and parsed by Arrow's CSV reader: for 600,000
    step events a fraction of the time and memory of one Python tuple per row. A blank and NULL read
    alike, as the store keeps no empty text."""
    kinds = {c: TYPES[table][c] for c in cols}
    types = {c: pa.dictionary(pa.int32(), pa.string()) if c in categorical else _ARROW[k] for c, k in kinds.items()}
    # Instants leave the server as plain UTC timestamps, which Arrow parses natively.
    select = ", ".join(f'("{c}" AT TIME ZONE \'UTC\') AS "{c}"' if k == "datetime" else f'"{c}"'
                       for c, k in kinds.items())
    query = f"SELECT {select} FROM {table}"
    if where:
        # COPY takes no parameters: the values are bound here, quoted by the driver.
        query += " WHERE " + psycopg.ClientCursor(conn).mogrify(where, list(params))
    buffer = io.BytesIO()
    with conn.cursor() as cur, cur.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
        for block in copy:
            buffer.write(block)
    if not buffer.getbuffer().nbytes:
        arrow = pa.table({c: pa.array([], type=t) for c, t in types.items()})
    else:
        buffer.seek(0)
        arrow = pacsv.read_csv(
            buffer, read_options=pacsv.ReadOptions(column_names=cols),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=types, null_values=[""], strings_can_be_null=True,
                quoted_strings_can_be_null=True, true_values=["t"], false_values=["f"]))
    df = arrow.to_pandas(memory_pool=pa.system_memory_pool(), types_mapper={
        pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype()}.get)
    for col, kind in kinds.items():
        s = df[col]
        if col in categorical:
            df[col] = s.cat.set_categories(pd.Index(sorted(s.cat.categories), dtype=object))
        elif kind == "str":
            df[col] = s.astype(object).where(s.notna(), None)
        elif kind == "date":
            df[col] = pd.to_datetime(s).astype("datetime64[s]")
        elif kind == "datetime":
            df[col] = s.astype("datetime64[us]").dt.tz_localize("UTC")
        elif kind == "list":
            df[col] = s.astype(object).map(lambda v: [str(x) for x in json.loads(v)] if isinstance(v, str) else [])
    return df


class _Stale(Exception):
    def __init__(self, table, id, expected, actual):
        self.table, self.id, self.expected, self.actual = table, id, expected, actual
