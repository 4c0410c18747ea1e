"""The Google Sheets store: one spreadsheet, one worksheet per table, few API calls.

Layout: each table of ``data_access.schema.TABLES`` is a worksheet of the same name whose first
row holds the column names. The worksheets are created and their header rows checked on first
use; a missing or renamed column stops the app with a message naming it, and a worksheet the
store does not understand is never written to. Columns may be moved and extra columns added by
hand: cells are located by header name, rows by ID (never by a remembered row number).

Calls (Google's default quota is about 60 reads per minute per user):
  * ``frames(tables)``: one ``values:batchGet`` for every table a page needs;
  * ``apply(writes)``: one fresh ``values:batchGet`` of the tables written (version check, rows
    located by ID) and one ``spreadsheets.batchUpdate`` carrying every cell update and every
    appended row, audit entries included, so a record and its audit land together or not at all;
  * ``next_number``: one append of a claim row and one read (see below);
  * ``apply`` with a ``Numbered`` value (a receipt number): the claim, then the one read (which also
    gives the claim's rank) and the one write: three calls.

Values are typed cells (``stringValue``/``numberValue``/``boolValue``, never ``formulaValue``),
so text typed by a user can never become a formula. Dates, datetimes (UTC, microseconds) and
lists are ISO/JSON text and round-trip exactly. Blank cells read back as ``None``: Google Sheets
does not tell an empty text from an empty cell.

Concurrency: Sheets has no transactions. Writers inside one process (every session of one
Streamlit server) are serialised by a process-wide lock per spreadsheet, so the version check
is exact there. Between processes a window of one round trip remains (the read before a write
and the write itself); two processes saving the same record inside that window both succeed
and the later one wins. Run one app process per spreadsheet; see README "Google Sheets".

Sequence numbers do not depend on that lock: each caller appends a claim row (a random ID) to
the hidden worksheet ``sequence_claims``. Google applies appends one after another, each after
the last row with data, so the order of rows is the order of claims; a caller's number is the
sequence's base value (its row in ``sequences``) plus the rank of its claim among that
sequence's claims. Numbers are unique across processes; a caller that fails after appending
leaves a gap, never a duplicate. ``sequences`` rows read back with ``value`` = base + claims.

Faults: HTTP 408/429/5xx and dropped connections are retried with exponential back-off within one
budget per user action (``begin_action``; by default 4 retries and at most 20 s of waiting in all,
``max_retry_wait``); once that is spent, the rest of the action does not call Google again. A write
that failed is re-sent only after a fresh read shows it did not land, so a retry never appends a
row twice. A timeout, a refused connection or exhausted retries raise ``StoreUnreachable``; refused
access, a wrong key, a renamed header and an unreadable cell each raise their own kind
(``domain.errors``), worded from the text catalogue (``domain/texts/store.py``).

Unreadable cells: a value typed by hand that cannot be read as its column's type (a date in no
form ``domain.hand_dates`` knows) reads as empty; the cell is listed by ``unreadable_cells`` and in
the frame's ``attrs["unreadable"]``. A save to such a row writes only the columns it changes.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence
from zoneinfo import ZoneInfo

from domain.errors import (
    NotFoundError, StaleWriteError, StoreAccessRefused, StoreConfigError, StoreLayoutError, StoreNotFoundError,
    StoreUnavailableError, StoreUnreachable, UnreadableCellError, ValidationError,
)
from domain.hand_dates import read_date, read_datetime
from domain.models import UnreadableCell
from domain.texts import Ref
from data_access.frames import typed_frame
from data_access.repository import (
    UTC, ApplyResult, Insert, Log, Update, Write, audit_for_insert, audit_for_log, audit_for_update, audit_where,
    MAX_NUMBER_SKIPS, normalise_record, normalise_value, numbered_in, prepare_changes, prepare_insert, stale_details,
    store_order, utcnow, where_values, with_numbers,
)
from data_access.schema import ADDED_COLUMNS, TABLES, TYPES, columns

log = logging.getLogger(__name__)

SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]
CLAIMS = "sequence_claims"
CLAIM_COLUMNS = ["sequence", "claim", "actor", "at"]
MAX_CELL_CHARS = 50_000  # Google Sheets refuses longer cells
MAX_EXACT_INT = 2**53  # numbers are doubles in Sheets
RETRY_STATUS = {408, 429, 500, 502, 503, 504}
JAKARTA = ZoneInfo("Asia/Jakarta")
SERIAL_EPOCH = dt.datetime(1899, 12, 30)
IMPORT_CHUNK_CELLS = 100_000  # cells per batchUpdate when bulk loading
ACTION_SECONDS = 120  # a user action begun longer ago than this is over: calls get a budget of their own

# One write lock per spreadsheet for the whole process: every session of a Streamlit server
# shares it, so the read-check-write of apply() is never interleaved inside one process.
_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def _process_lock(key: str) -> threading.RLock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.RLock())


class SheetLayoutError(StoreLayoutError):
    """A worksheet's header row does not match the schema; nothing was written to it."""


def spreadsheet_key(key_or_url: str) -> str:
    text = (key_or_url or "").strip()
    m = re.search(r"/spreadsheets/d/([a-zA-Z0-9-_]+)", text)
    return m.group(1) if m else text


def _a1_col(index: int) -> str:
    """0-based column index -> letters (0 -> A)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


_RANGE_START = re.compile(r"!\$?([A-Za-z]*)\$?(\d*)")


def _start_row(range_text: str) -> int:
    """First row (1-based) of a range as Google reports it ('cases'!A1:AB40 -> 1)."""
    m = _RANGE_START.search(range_text or "")
    return int(m.group(2)) if m and m.group(2) else 1


# ---- cells: the one place values become Sheets cells and back -----------------------------------

def to_cell(table: str, column: str, value: Any) -> dict:
    """A typed CellData. Never a formula: text is a stringValue whatever it starts with."""
    if value is None:
        return {}
    kind = TYPES[table][column]
    if kind == "bool":
        return {"userEnteredValue": {"boolValue": bool(value)}}
    if kind in ("int", "float"):
        if kind == "int" and abs(value) >= MAX_EXACT_INT:
            raise ValidationError(column, key="store.value.too_big", column=column)
        if kind == "float" and (value != value or value in (float("inf"), float("-inf"))):
            raise ValidationError(column, key="store.value.not_number", column=column)
        return {"userEnteredValue": {"numberValue": value}}
    if kind == "datetime":
        text = value.astimezone(UTC).isoformat()
    elif kind == "date":
        text = value.isoformat()
    elif kind == "list":
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = value
    if len(text) > MAX_CELL_CHARS:
        raise ValidationError(column, key="store.value.too_long", column=column,
                              n=f"{len(text):,}".replace(",", "."))
    return {"userEnteredValue": {"stringValue": text}}


def _text_cell(value: Any) -> dict:
    return {} if value is None else {"userEnteredValue": {"stringValue": str(value)}}


class _BadCell(Exception):
    """A cell that cannot be read as its column's type; ``reason`` is the type it should be."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = f"store.cell.reason.{reason}"


def _number_text(v: float | int) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < MAX_EXACT_INT:
        return str(int(v))
    return str(v)


def _serial_to_datetime(v: float) -> dt.datetime:
    return SERIAL_EPOCH + dt.timedelta(days=float(v))


def from_cell(kind: str, v: Any) -> Any:
    """A cell as read with UNFORMATTED_VALUE -> the column's canonical Python value.

    Values written by this store come back exactly. Values typed by hand are read leniently
    (a number in a text column; a date typed into a date column as Indonesians write it, day
    first: ``domain.hand_dates``); what cannot be read raises ``_BadCell``."""
    if v is None or v == "":
        return None
    if kind == "str":
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, (int, float)):
            return _number_text(v)
        return v
    if kind == "int":
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, (int, float)):
            if float(v).is_integer():
                return int(v)
            raise _BadCell("int")
        try:
            return int(str(v).strip())
        except ValueError:
            raise _BadCell("int") from None
    if kind == "float":
        if isinstance(v, bool):
            return float(v)
        try:
            return float(v)
        except (TypeError, ValueError):
            raise _BadCell("float") from None
    if kind == "bool":
        if isinstance(v, bool):
            return v
        if isinstance(v, (int, float)):
            return bool(v)
        text = str(v).strip().upper()
        if text in ("TRUE", "YA", "YES", "1"):
            return True
        if text in ("FALSE", "TIDAK", "NO", "0"):
            return False
        raise _BadCell("bool")
    if kind == "date":
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return _serial_to_datetime(v).date()
        text = str(v).strip()
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            pass
        found = read_date(text)
        if found is None:
            raise _BadCell("date")
        return found
    if kind == "datetime":
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            # A date-time typed by hand: Sheets keeps a serial number in the sheet's local time.
            return _serial_to_datetime(v).replace(tzinfo=JAKARTA).astimezone(UTC)
        text = str(v).strip()
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            value = read_datetime(text)
            if value is None:
                raise _BadCell("datetime") from None
        if value.tzinfo is None:
            value = value.replace(tzinfo=JAKARTA)
        return value.astimezone(UTC)
    if kind == "list":
        text = str(v)
        if text.startswith("["):
            try:
                return [str(x) for x in json.loads(text)]
            except ValueError:
                raise _BadCell("list") from None
        return [p.strip() for p in text.split(",") if p.strip()]
    raise AssertionError(kind)


# ---- what a read returns ----------------------------------------------------------------------

@dataclass
class _Sheet:
    """One worksheet as just read: header positions and the data rows that carry an ID.

    A cell that cannot be read as its column's type reads as empty and is noted in ``bad``: one
    value typed by hand never takes a page down (see ``SheetsRepository.unreadable_cells``)."""

    table: str
    title: str
    pos: dict[str, int]
    width: int  # header length (extra columns included)
    rows: list[tuple[int, list]] = field(default_factory=list)  # (1-based sheet row, raw cells)
    bad: dict[tuple[int, str], UnreadableCell] = field(default_factory=dict)  # (row, column) -> cell
    _transposed: list | None = field(default=None, repr=False)

    def cell(self, raw: list, column: str) -> Any:
        p = self.pos[column]
        return raw[p] if p < len(raw) else ""

    def _unreadable(self, rownum: int, raw: list, column: str, value: Any, reason: str) -> None:
        rid = str(from_cell("str", self.cell(raw, "id"))) if "id" in self.pos else ""
        self.bad[(rownum, column)] = UnreadableCell(self.table, self.title, rownum, column,
                                                    str(value), rid, reason)

    def record(self, rownum: int, raw: list) -> dict:
        out = {}
        for col, kind in TABLES[self.table]:
            try:
                out[col] = from_cell(kind, self.cell(raw, col))
            except _BadCell as exc:
                self._unreadable(rownum, raw, col, self.cell(raw, col), exc.reason)
                out[col] = None
        return out

    def column_values(self, column: str) -> list:
        """One column of every data row, as canonical Python values (frames: column at a time)."""
        kind = TYPES[self.table][column]
        if self._transposed is None:
            width = max(self.pos.values()) + 1
            pad = [""] * width
            self._transposed = list(zip(*[(r + pad)[:width] if len(r) < width else r[:width]
                                          for _, r in self.rows], strict=True)) or [()] * width
        raw = self._transposed[self.pos[column]]
        fast = {"str": str, "int": int, "bool": bool}.get(kind)
        if kind == "datetime" and all(type(v) is str and len(v) >= 25 and v[-6] in "+-" or v == "" for v in raw):
            import pandas as pd  # ISO text with an offset, as this store writes it: parse in C

            try:
                return pd.to_datetime(pd.Series([v or None for v in raw], dtype=object), utc=True,
                                      format="ISO8601")
            except ValueError:
                pass  # one of them only looks like it: read cell by cell below
        out = []
        for i, v in enumerate(raw):
            if fast is not None and type(v) is fast and v != "":
                out.append(v)
                continue
            try:
                out.append(from_cell(kind, v))
            except _BadCell as exc:
                rownum, whole = self.rows[i]
                self._unreadable(rownum, whole, column, v, exc.reason)
                out.append(None)
        return out

    def ids(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for i, (_, raw) in enumerate(self.rows):
            found.setdefault(str(from_cell("str", self.cell(raw, "id"))), []).append(i)
        return found


@dataclass
class _Plan:
    requests: list[dict]
    result: ApplyResult
    audit_ids: list[str]
    inserted: list[tuple[str, str]]
    updated: list[tuple[str, str, int]]  # table, id, new version
    at: dt.datetime
    actor: str


class _Stale(Exception):
    def __init__(self, table, id, expected, actual):
        self.table, self.id, self.expected, self.actual = table, id, expected, actual


_SENT, _RETRY, _UNSURE = "sent", "retry", "unsure"


class _Action:
    """The retry budget of one user action (a page view or a click), or of one call outside any.

    ``failed``: the store could not be reached during this action; the rest of it does not try
    again, so a person waits for one round of retries, not one per call."""

    def __init__(self, retries: int, seconds: float):
        self.started = time.monotonic()
        self.retries_left = retries
        self.seconds_left = seconds
        self.retried = 0
        self.failed: StoreUnavailableError | None = None


class SheetsRepository:
    """The Repository protocol on one Google spreadsheet, through a ``gspread.Client``.

    Tests hand it a client whose HTTP session talks to a local stand-in; the app builds the
    client from a service account (``open_sheets_repository``)."""

    backend = "sheets"

    def __init__(self, client, key: str, *, prefix: str = "", retries: int = 4, backoff: float = 1.0,
                 max_backoff: float = 8.0, retry_seconds: float = 20.0,
                 sleep: Callable[[float], None] = time.sleep, lock: threading.RLock | None = None):
        self.client = client
        self.http = client.http_client
        self.key = spreadsheet_key(key)
        self.prefix = prefix
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.retry_seconds = retry_seconds
        self._sleep = sleep
        self._lock = lock or _process_lock(self.key)
        self._init_lock = threading.Lock()
        self._ready = False
        self.upgraded_from: int | None = None  # set by init when rows of an earlier schema are found
        self._sheet_ids: dict[str, int] = {}
        self._layouts: dict[str, _Sheet] = {}  # header positions seen last (audit, claims)
        self._unreadable: dict[str, dict[tuple[int, str], UnreadableCell]] = {}  # by the last whole read
        self._local = threading.local()  # the current user action of each thread

    def title(self, table: str) -> str:
        return self.prefix + table

    # ---- the HTTP edge: retries and plain messages -------------------------------------------

    def max_retry_wait(self) -> float:
        """The longest a user action waits between attempts in all: each retry waits its back-off
        (doubling up to ``max_backoff``, up to a quarter more), never more than ``retry_seconds``."""
        waits = [min(self.max_backoff, self.backoff * 2 ** i) * 1.25 for i in range(self.retries)]
        return min(self.retry_seconds, sum(waits))

    def begin_action(self) -> None:
        """A new user action starts on this thread with a fresh retry budget (the UI calls this on
        every script run); calls outside any action each get a budget of their own."""
        self._local.action = _Action(self.retries, self.retry_seconds)

    def _action(self) -> _Action:
        action = getattr(self._local, "action", None)
        if action is None or time.monotonic() - action.started > ACTION_SECONDS:
            return _Action(self.retries, self.retry_seconds)  # no action begun on this thread lately
        return action

    def _delay(self, attempt: int, response=None) -> float:
        wait = min(self.max_backoff, self.backoff * 2 ** attempt)
        retry_after = response.headers.get("Retry-After") if response is not None else None
        if retry_after and retry_after.strip().isdigit():
            wait = min(self.max_backoff, max(wait, float(retry_after)))
        return wait * (1 + random.random() * 0.25)

    def _wait_to_retry(self, action: _Action, kind: str, response=None) -> bool:
        """Wait before trying again, if the action's budget allows another try; False when not."""
        if action.retries_left <= 0:
            return False
        wait = min(0.2, self.backoff) if kind == _UNSURE else self._delay(action.retried, response)
        wait = min(wait, action.seconds_left)
        if wait <= 0 and kind != _UNSURE:
            return False
        action.retries_left -= 1
        action.retried += 1
        action.seconds_left -= wait
        if wait > 0:
            self._sleep(wait)
        return True

    def _gave_up(self, action: _Action, error: StoreUnavailableError) -> StoreUnavailableError:
        if isinstance(error, StoreUnreachable):
            action.failed = error
        return error

    def _account(self) -> str:
        auth = getattr(self.http, "auth", None)
        return getattr(auth, "service_account_email", None) or "akun layanan"

    def _refused(self, status: int, message: str) -> StoreUnavailableError:
        if status == 403:
            return StoreAccessRefused(key="store.refused.share", account=self._account(), spreadsheet=self.key)
        if status == 404:
            return StoreNotFoundError(key="store.not_found", spreadsheet=self.key)
        if status == 401:
            return StoreAccessRefused(key="store.refused.sign_in", detail=message)
        return StoreAccessRefused(key="store.refused.request", status=status, detail=message)

    def _fault(self, exc: BaseException, tries: int = 1) -> tuple[str, StoreUnavailableError, Any]:
        """Classify a failed request: (_RETRY|_UNSURE|'timeout'|'fatal', error to raise, response)."""
        import requests
        from google.auth import exceptions as auth_exc
        from gspread.exceptions import APIError

        if isinstance(exc, APIError):
            status = exc.response.status_code
            message = str(exc.error.get("message", "")) if isinstance(exc.error, dict) else str(exc)
            if status in RETRY_STATUS:
                return _RETRY, StoreUnreachable(key="store.unreachable.http", status=status,
                                                detail=message[:200], tries=tries), exc.response
            return "fatal", self._refused(status, message[:300]), None
        if isinstance(exc, requests.Timeout):
            return "timeout", StoreUnreachable(key="store.unreachable.timeout"), None
        if isinstance(exc, (requests.ConnectionError, auth_exc.TransportError)):
            return _UNSURE, StoreUnreachable(key="store.unreachable.connection"), None
        if isinstance(exc, auth_exc.RefreshError):
            return "fatal", StoreAccessRefused(key="store.refused.sign_in", detail=str(exc)[:300]), None
        raise exc

    def _read_call(self, fn: Callable[[], Any]) -> Any:
        """A read request: retried on 408/429/5xx and once on a dropped connection, within the
        action's budget."""
        from google.auth import exceptions as auth_exc
        from gspread.exceptions import APIError
        import requests

        action = self._action()
        if action.failed is not None:
            raise action.failed
        tries, dropped = 0, False
        while True:
            tries += 1
            try:
                return fn()
            except (APIError, requests.RequestException, auth_exc.GoogleAuthError) as exc:
                kind, error, response = self._fault(exc, tries)
                if kind == _RETRY or (kind == _UNSURE and not dropped):
                    dropped = dropped or kind == _UNSURE
                    if self._wait_to_retry(action, kind, response):
                        continue
                raise self._gave_up(action, error) from exc

    def _write_call(self, body: dict, action: _Action | None = None
                    ) -> tuple[str, Any, StoreUnavailableError | None, Any]:
        """Send one batchUpdate once. Returns (_SENT, reply) or (_RETRY|_UNSURE, None, error, response)."""
        from google.auth import exceptions as auth_exc
        from gspread.exceptions import APIError
        import requests

        action = action or self._action()
        if action.failed is not None:
            raise action.failed
        try:
            return _SENT, self.http.batch_update(self.key, body), None, None
        except (APIError, requests.RequestException, auth_exc.GoogleAuthError) as exc:
            kind, error, response = self._fault(exc, action.retried + 1)
            if kind == _RETRY:
                return _RETRY, None, error, response
            if kind == _UNSURE:
                return _UNSURE, None, error, None
            if kind == "timeout":
                # The request may still be applied after we stopped waiting: never re-send it.
                raise self._gave_up(action, StoreUnreachable(key="store.unreachable.write_timeout")) from exc
            if "No grid with id" in str(exc):
                self._ready = False  # a worksheet was deleted or re-created by hand
            raise error from exc

    def _batch_get(self, ranges: list[str]) -> list[dict]:
        params = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER",
                  "majorDimension": "ROWS"}
        reply = self._read_call(lambda: self.http.values_batch_get(self.key, list(ranges), dict(params)))
        return reply.get("valueRanges", [])

    # ---- schema: worksheets created and checked on first use ---------------------------------

    def _wanted(self) -> dict[str, tuple[str, list[str]]]:
        wanted = {t: (self.title(t), columns(t)) for t in TABLES}
        wanted[CLAIMS] = (self.title(CLAIMS), CLAIM_COLUMNS)
        return wanted

    def _check_header(self, table: str, title: str, header: list, expected: list[str],
                      below: bool) -> _Sheet:
        names = [str(h).strip() if h is not None else "" for h in header]
        if not any(names):
            if below:
                raise SheetLayoutError(key="store.layout.no_header", sheet=title, columns=", ".join(expected))
            return _Sheet(table, title, {c: i for i, c in enumerate(expected)}, len(expected))
        seen: dict[str, int] = {}
        for i, name in enumerate(names):
            if name in seen and name:
                raise SheetLayoutError(key="store.layout.duplicate_column", sheet=title, column=name)
            seen[name] = i
        missing = [c for c in expected if c not in seen]
        if missing:
            unknown = [n for n in names if n and n not in expected]
            raise SheetLayoutError(key="store.layout.renamed" if unknown else "store.layout.missing", sheet=title,
                                   columns=", ".join(repr(m) for m in missing),
                                   unknown=", ".join(repr(u) for u in unknown))
        return _Sheet(table, title, {c: seen[c] for c in expected}, len(names))

    def init(self) -> None:
        with self._init_lock:
            self._init()

    def _init(self) -> None:
        meta = self._read_call(lambda: self.http.fetch_sheet_metadata(self.key))
        props = {s["properties"]["title"]: s["properties"] for s in meta.get("sheets", [])}
        wanted = self._wanted()
        existing = [t for t, (title, _) in wanted.items() if title in props]
        heads = self._batch_get([f"{_quote(wanted[t][0])}!1:2" for t in existing]) if existing else []
        used_ids = {p["sheetId"] for p in props.values()}
        requests: list[dict] = []
        layouts: dict[str, _Sheet] = {}
        sheet_ids: dict[str, int] = {}
        for table, vr in zip(existing, heads, strict=True):
            title, expected = wanted[table]
            values = vr.get("values", [])
            header = values[0] if values and _start_row(vr.get("range", "")) == 1 else []
            below = len(values) > 1 and any(v not in (None, "") for v in values[1])
            sheet_id = props[title]["sheetId"]
            added = self._added_columns(table, header)
            if added and below:  # rows made by an earlier version: what it was, for upgrades of its data
                first = min(v for v in ADDED_COLUMNS for c in added if c in ADDED_COLUMNS[v].get(table, ()))
                self.upgraded_from = min(self.upgraded_from or first - 1, first - 1)
            if added:  # a sheet made by an earlier version: append the columns added since
                requests += self._widen(props[title], sheet_id, len(header) + len(added))
                requests += self._header_requests(sheet_id, added, start=len(header))
                header = [*header, *added]
            layout = self._check_header(table, title, header, expected, below)
            if not any(str(h).strip() for h in header):
                requests += self._widen(props[title], sheet_id, len(expected))
                requests += self._header_requests(sheet_id, expected)
            layouts[table], sheet_ids[table] = layout, sheet_id
        for table, (title, expected) in wanted.items():
            if title in props:
                continue
            sheet_id = random.randint(1, 2**31 - 1)
            while sheet_id in used_ids:
                sheet_id = random.randint(1, 2**31 - 1)
            used_ids.add(sheet_id)
            requests.append({"addSheet": {"properties": {
                "sheetId": sheet_id, "title": title, "hidden": table == CLAIMS,
                "gridProperties": {"rowCount": 2, "columnCount": len(expected), "frozenRowCount": 1}}}})
            requests += self._header_requests(sheet_id, expected)
            layouts[table] = _Sheet(table, title, {c: i for i, c in enumerate(expected)}, len(expected))
            sheet_ids[table] = sheet_id
        if requests:
            status, _, error, _ = self._write_call({"requests": requests})
            if status != _SENT:
                raise error
        self._sheet_ids, self._layouts = sheet_ids, layouts
        self._ready = True

    @staticmethod
    def _added_columns(table: str, header: list) -> list[str]:
        """Columns added to ``table`` in a later schema version that an existing, non-empty header row
        lacks (to be appended to it). Any other missing column is left to ``_check_header`` to refuse."""
        names = {str(h).strip() for h in header if h is not None}
        if not any(names):
            return []
        later = [c for version in sorted(ADDED_COLUMNS) for c in ADDED_COLUMNS[version].get(table, ())]
        return [c for c in later if c not in names]

    @staticmethod
    def _widen(props: dict, sheet_id: int, columns_needed: int) -> list[dict]:
        """The request that gives a sheet at least ``columns_needed`` columns (none if it has them)."""
        ncols = props.get("gridProperties", {}).get("columnCount", 0)
        if ncols >= columns_needed:
            return []
        return [{"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS", "length": columns_needed - ncols}}]

    @staticmethod
    def _header_requests(sheet_id: int, names: list[str], start: int = 0) -> list[dict]:
        return [
            {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": start},
                             "rows": [{"values": [_text_cell(n) for n in names]}], "fields": "userEnteredValue"}},
            {"repeatCell": {"range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                            "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                            "fields": "userEnteredFormat.textFormat.bold"}},
        ]

    def _ensure_ready(self) -> None:
        if not self._ready:
            self.init()

    # ---- reads --------------------------------------------------------------------------------

    def _parse(self, table: str, vr: dict) -> _Sheet:
        title, expected = self._wanted()[table]
        values = vr.get("values", [])
        start = _start_row(vr.get("range", ""))
        if start != 1:  # Google reports whole-sheet reads from A1; anything else is not ours
            raise SheetLayoutError(key="store.layout.header_not_first", sheet=title)
        header = values[0] if values else []
        sheet = self._check_header(table, title, header, expected, below=len(values) > 1)
        idpos = sheet.pos[expected[0] if table == CLAIMS else "id"]
        for i, raw in enumerate(values[1:], start=2):
            if idpos < len(raw) and raw[idpos] not in (None, ""):
                sheet.rows.append((i, raw))
        self._layouts[table] = _Sheet(table, title, sheet.pos, sheet.width)
        return sheet

    def _read_for_write(self, full: Sequence[str], ids_only: Sequence[str],
                        extra: Sequence[str]) -> tuple[dict[str, _Sheet], list[dict]]:
        """ONE batchGet: whole rows of the tables updated; only the header and the ID column of
        tables that just get new rows (the duplicate-ID check needs no more), plus extra ranges."""
        self._ensure_ready()
        ids_only = [t for t in ids_only if t not in full]
        id_cols = {t: self._layouts[t].pos["id"] for t in ids_only}
        ranges = [_quote(self.title(t)) for t in full]
        for t in ids_only:
            col = _a1_col(id_cols[t])
            ranges += [f"{_quote(self.title(t))}!1:1", f"{_quote(self.title(t))}!{col}:{col}"]
        got = self._batch_get(ranges + list(extra))
        sheets = {t: self._parse(t, vr) for t, vr in zip(full, got, strict=False)}
        moved = []
        for i, t in enumerate(ids_only):
            head, ids = got[len(full) + 2 * i], got[len(full) + 2 * i + 1]
            sheet = self._parse(t, head)
            if sheet.pos["id"] != id_cols[t]:
                moved.append(t)  # the ID column was moved by hand since the last read
                continue
            pad = [""] * sheet.pos["id"]
            sheet.rows = [(n, pad + row) for n, row in enumerate(ids.get("values", [])[1:], start=2)
                          if row and row[0] not in (None, "")]
            sheets[t] = sheet
        if moved:
            again, _ = self._read(moved)
            sheets.update(again)
        return sheets, got[len(full) + 2 * len(ids_only):]

    def _read(self, tables: Sequence[str], extra: Sequence[str] = ()) -> tuple[dict[str, _Sheet], list[dict]]:
        """Whole tables (and extra raw ranges) in ONE values:batchGet."""
        self._ensure_ready()
        tables = list(dict.fromkeys(tables))
        for t in tables:
            if t != CLAIMS:
                columns(t)
        ranges = [_quote(self.title(t)) for t in tables] + list(extra)
        got = self._batch_get(ranges)
        sheets = {t: self._parse(t, vr) for t, vr in zip(tables, got[:len(tables)], strict=True)}
        return sheets, got[len(tables):]

    def _records(self, sheet: _Sheet) -> list[dict]:
        return [sheet.record(rownum, raw) for rownum, raw in sheet.rows]

    def _claims(self, sheet: _Sheet) -> list[tuple[str, str]]:
        return [(str(from_cell("str", sheet.cell(raw, "sequence"))), str(from_cell("str", sheet.cell(raw, "claim"))))
                for _, raw in sheet.rows]

    def _fold_sequences(self, records: list[dict], claims: _Sheet) -> list[dict]:
        """Sequence rows as they stand: base value + numbers claimed. A sequence used only through
        next_number has no row of its own; it is shown as one, stamped by its first and last claim."""
        taken: dict[str, list[list]] = {}
        for _, raw in claims.rows:
            taken.setdefault(str(from_cell("str", claims.cell(raw, "sequence"))), []).append(raw)
        known = set()
        for r in records:
            known.add(r["id"])
            if taken.get(r["id"]):
                r["value"] = (r["value"] or 0) + len(taken[r["id"]])
        for seq, raws in taken.items():
            if seq in known:
                continue

            def stamp(raw, col):
                try:
                    return from_cell("datetime", claims.cell(raw, col)) if col == "at" else \
                        from_cell("str", claims.cell(raw, col))
                except _BadCell:
                    return None

            first, last = raws[0], raws[-1]
            records.append({"id": seq, "value": len(raws), "created_at": stamp(first, "at"),
                            "created_by": stamp(first, "actor"), "updated_at": stamp(last, "at"),
                            "updated_by": stamp(last, "actor"), "version": 1})
        return records

    def _noted(self, sheet: _Sheet) -> None:
        """Keep the cells a whole read of ``sheet`` could not read (replacing those of its last read)."""
        self._unreadable[sheet.table] = dict(sheet.bad)

    def unreadable_cells(self) -> list[UnreadableCell]:
        """Cells the latest whole read of each table could not read as their column's type, by sheet
        and row: the list the administrator fixes by hand. Reading a table again renews its part."""
        found = [c for cells in self._unreadable.values() for c in cells.values()]
        return sorted(found, key=lambda c: (c.sheet, c.row, c.column))

    def _table_records(self, table: str) -> list[dict]:
        tables = [table, CLAIMS] if table == "sequences" else [table]
        sheets, _ = self._read(tables)
        records = self._records(sheets[table])
        self._noted(sheets[table])
        if table == "sequences":
            records = self._fold_sequences(records, sheets[CLAIMS])
        return records

    def get(self, table: str, id: str) -> dict | None:
        for record in self._table_records(table):
            if record["id"] == id:
                return record
        return None

    def list(self, table: str, where: dict | None = None) -> list[dict]:
        wanted = where_values(table, where)
        records = [r for r in self._table_records(table) if all(r[c] == v for c, v in wanted.items())]
        return store_order(table, records)

    def frames(self, tables: Sequence[str]):
        tables = list(dict.fromkeys(tables))
        for t in tables:
            columns(t)  # refuses unknown tables before any request
        reads = tables + ([CLAIMS] if "sequences" in tables else [])
        sheets, _ = self._read(reads)
        out = {}
        for t in tables:
            if t == "sequences":
                data = self._fold_sequences(self._records(sheets[t]), sheets[CLAIMS]) or {c: [] for c in columns(t)}
            else:
                data = {c: sheets[t].column_values(c) for c in columns(t)}
            self._noted(sheets[t])
            out[t] = typed_frame(t, data)
            out[t].attrs["unreadable"] = tuple(sorted(sheets[t].bad.values(), key=lambda c: (c.row, c.column)))
        return out

    def count(self, table: str) -> int:
        columns(table)
        if table == "sequences":
            return len(self._table_records(table))
        sheets, _ = self._read([table])
        return len(sheets[table].rows)

    def audit(self, entity: str | None = None, entity_id: str | None = None) -> list[dict]:
        return self.list("audit", audit_where(entity, entity_id))

    # ---- writes -------------------------------------------------------------------------------

    def _cells(self, sheet: _Sheet, table: str, record: dict) -> list[dict]:
        row: list[dict] = [{} for _ in range(max(sheet.width, max(sheet.pos.values()) + 1))]
        for col in columns(table) if table != CLAIMS else CLAIM_COLUMNS:
            value = record.get(col)
            row[sheet.pos[col]] = to_cell(table, col, value) if table != CLAIMS else _text_cell(value)
        while row and not row[-1]:
            row.pop()
        return row

    def _append(self, table: str, sheet: _Sheet, records: list[dict]) -> dict:
        return {"appendCells": {"sheetId": self._sheet_ids[table], "fields": "userEnteredValue",
                                "rows": [{"values": self._cells(sheet, table, r)} for r in records]}}

    def _update_requests(self, table: str, sheet: _Sheet, rownum: int, values: dict) -> list[dict]:
        """updateCells for the given columns of one row, one request per run of adjacent columns."""
        cells = sorted((sheet.pos[c], to_cell(table, c, v)) for c, v in values.items())
        runs: list[list[tuple[int, dict]]] = []
        for p, cell in cells:
            if runs and runs[-1][-1][0] == p - 1:
                runs[-1].append((p, cell))
            else:
                runs.append([(p, cell)])
        return [{"updateCells": {
            "start": {"sheetId": self._sheet_ids[table], "rowIndex": rownum - 1, "columnIndex": run[0][0]},
            "rows": [{"values": [c for _, c in run]}], "fields": "userEnteredValue"}} for run in runs]

    def _plan(self, prepared, sheets: dict[str, _Sheet], actor: str, at: dt.datetime) -> _Plan:
        result = ApplyResult()
        index = {t: s.ids() for t, s in sheets.items() if t != CLAIMS}
        current: dict[tuple[str, str], tuple[int, dict]] = {}  # (table, id) -> (row, record now)
        touched: dict[tuple[str, str], set[str]] = {}
        inserts: dict[str, list[dict]] = {}
        inserted, updated = [], []
        for kind, item in prepared:
            if kind == "insert":
                table, row = item
                if row["id"] in index[table] or any(r["id"] == row["id"] for r in inserts.get(table, [])):
                    raise ValidationError("id", key="store.write.id_exists", table=table, id=row["id"])
                inserts.setdefault(table, []).append(row)
                inserted.append((table, row["id"]))
                result.records.append(row)
                result.audit.extend(audit_for_insert(table, row, actor, at))
            elif kind == "update":
                w, changes = item
                key = (w.table, w.id)
                if key not in current:
                    found = index[w.table].get(w.id)
                    if not found:
                        if any(r["id"] == w.id for r in inserts.get(w.table, [])):
                            raise ValidationError("id", key="store.write.same_batch", table=w.table, id=w.id)
                        raise NotFoundError(w.table, w.id)
                    if len(found) > 1:
                        rows = ", ".join(str(sheets[w.table].rows[i][0]) for i in found)
                        raise StoreLayoutError(key="store.layout.duplicate_id", sheet=sheets[w.table].title,
                                               id=w.id, rows=rows)
                    rownum, raw = sheets[w.table].rows[found[0]]
                    current[key] = (rownum, self._row_for_update(sheets[w.table], rownum, raw))
                rownum, before = current[key]
                if before["version"] != w.expected_version:
                    raise _Stale(w.table, w.id, w.expected_version, before["version"])
                after = {**before, **changes, "updated_at": at, "updated_by": actor,
                         "version": before["version"] + 1}
                current[key] = (rownum, after)
                touched.setdefault(key, set()).update(changes, {"updated_at", "updated_by", "version"})
                updated.append((w.table, w.id, after["version"]))
                result.records.append(after)
                result.audit.extend(audit_for_update(w.table, before, after, changes, actor, at))
            else:
                result.audit.append(audit_for_log(item, actor, at))
        requests: list[dict] = []
        for (table, rid), cols in touched.items():
            rownum, after = current[(table, rid)]
            requests += self._update_requests(table, sheets[table], rownum, {c: after[c] for c in cols})
        for table, rows in inserts.items():
            requests.append(self._append(table, sheets[table], rows))
        if result.audit:
            audit_rows = [normalise_record("audit", e) for e in result.audit]
            requests.append(self._append("audit", self._layouts["audit"], audit_rows))
        return _Plan(requests, result, [e["id"] for e in result.audit], inserted,
                     [(t, i, v) for t, i, v in updated], at, actor)

    @staticmethod
    def _row_for_update(sheet: _Sheet, rownum: int, raw: list) -> dict:
        """A row about to be updated. A cell that cannot be read stays as it is (only the columns
        the save changes are written); only an unreadable version stops the save, as it cannot be
        checked."""
        record = sheet.record(rownum, raw)
        bad = sheet.bad.get((rownum, "version"))
        if bad is not None:
            raise UnreadableCellError(sheet=sheet.title, row=rownum, column="version", value=repr(bad.value),
                                      reason=Ref("store.cell.reason.version"))
        return record

    def _landed(self, plan: _Plan, sheets: dict[str, _Sheet], audit_ids: set[str]) -> bool:
        """Did a write whose reply was lost reach the sheet? (A batchUpdate lands whole or not at all.)"""
        if plan.audit_ids:
            return plan.audit_ids[0] in audit_ids
        if plan.inserted:
            table, rid = plan.inserted[0]
            return rid in sheets[table].ids()
        for table, rid, version in plan.updated[:1]:
            sheet = sheets[table]
            for i in sheet.ids().get(rid, []):
                rownum, raw = sheet.rows[i]
                rec = sheet.record(rownum, raw)
                if rec["version"] == version and rec["updated_at"] == plan.at and rec["updated_by"] == plan.actor:
                    return True
        return False

    def _audit_ids_range(self) -> str:
        col = _a1_col(self._layouts["audit"].pos["id"])
        return f"{_quote(self.title('audit'))}!{col}:{col}"

    def _prepare(self, writes: Sequence[Write], actor: str, at: dt.datetime) -> tuple[list, list[str]]:
        """Writes checked and stamped, before anything is sent; and the tables they touch."""
        prepared: list[tuple[str, Any]] = []
        for w in writes:
            if isinstance(w, Insert):
                row = prepare_insert(w.table, w.record, actor, at)
                for col, value in row.items():
                    to_cell(w.table, col, value)
                prepared.append(("insert", (w.table, row)))
            elif isinstance(w, Update):
                changes = prepare_changes(w.table, w.changes)
                for col, value in changes.items():
                    to_cell(w.table, col, value)
                prepared.append(("update", (w, changes)))
            elif isinstance(w, Log):
                prepared.append(("log", w))
            else:
                raise TypeError(w)
        tables = sorted({item[0] if kind == "insert" else item[0].table for kind, item in prepared if kind != "log"})
        return prepared, tables

    def apply(self, writes: Sequence[Write], actor: str, at: dt.datetime | None = None) -> ApplyResult:
        if not actor:
            raise ValidationError("actor", key="store.write.no_actor")
        at = normalise_value("audit", "at", at or utcnow())
        numbered = numbered_in(writes)
        # Everything is checked before the store is touched (numbers as a stand-in of their form).
        prepared, tables = self._prepare(with_numbers(writes, {n: n.format(0) for n in numbered}), actor, at)
        try:
            with self._lock:
                self._ensure_ready()
                if numbered:
                    return self._apply_numbered(writes, numbered, actor, at)
                return self._apply_locked(prepared, tables, actor, at)
        except _Stale as stale:
            who, when, changed = stale_details(self, stale.table, stale.id, stale.expected)
            raise StaleWriteError(stale.table, stale.id, stale.expected, stale.actual, who, when,
                                  changed) from None

    @staticmethod
    def _split(prepared) -> tuple[list[str], list[str]]:
        """Tables updated (read whole) and tables that only get new rows (their IDs suffice)."""
        updated = sorted({item[0].table for kind, item in prepared if kind == "update"})
        inserted = sorted({item[0] for kind, item in prepared if kind == "insert"} - set(updated))
        return updated, inserted

    def _apply_locked(self, prepared, tables: list[str], actor: str, at: dt.datetime,
                      sheets: dict[str, _Sheet] | None = None) -> ApplyResult:
        """The version check and the write: one read (unless ``sheets`` was just read) and one write."""
        updated, inserted = self._split(prepared)
        if sheets is None:
            sheets = {}
            if tables:
                # The audit header comes in the same read, so appended entries follow its columns.
                sheets, extra = self._read_for_write(updated, inserted, [f"{_quote(self.title('audit'))}!1:1"])
                self._parse("audit", extra[0])
        action = self._action()
        attempt = 0
        while True:
            plan = self._plan(prepared, sheets, actor, at)
            if not plan.requests:
                return plan.result
            status, _, error, response = self._write_call({"requests": plan.requests}, action)
            if status == _SENT:
                return plan.result
            # The reply was an error or was lost: look before re-sending, so nothing lands twice.
            again = not (status == _UNSURE and attempt >= 1) and self._wait_to_retry(action, status, response)
            sheets, extra = self._read_for_write(updated, inserted, [self._audit_ids_range()])
            audit_ids = {str(r[0]) for r in extra[0].get("values", [])[1:] if r}
            if self._landed(plan, sheets, audit_ids):
                return plan.result
            if not again:
                raise self._gave_up(action, error)
            attempt += 1

    def _apply_numbered(self, writes: Sequence[Write], numbered: list, actor: str, at: dt.datetime) -> ApplyResult:
        """A save holding Numbered values: claim the numbers (one append), read what the save needs
        together with the claims (one read), write (one write). A number the ``unique`` column
        already holds is passed over with a further claim."""
        action = self._action()
        preview, _ = self._prepare(with_numbers(writes, {n: n.format(0) for n in numbered}), actor, at)
        updated, inserted = self._split(preview)
        full = sorted(set(updated) | {n.unique[0] for n in numbered if n.unique} | {"sequences", CLAIMS})
        inserted = [t for t in inserted if t not in full]
        values: dict[Any, str] = {}
        claims: dict[Any, str] = {}
        wanted, attempt = list(numbered), 0
        for _ in range(MAX_NUMBER_SKIPS):
            claims.update({n: uuid.uuid4().hex for n in wanted})
            rows = [{"sequence": n.sequence, "claim": claims[n], "actor": actor, "at": utcnow().isoformat()}
                    for n in wanted]
            status, _, error, response = self._write_call(
                {"requests": [self._append(CLAIMS, self._layouts[CLAIMS], rows)]}, action)
            again = status == _SENT or (not (status == _UNSURE and attempt >= 1)
                                        and self._wait_to_retry(action, status, response))
            sheets, extra = self._read_for_write(full, inserted, [f"{_quote(self.title('audit'))}!1:1"])
            self._parse("audit", extra[0])
            listed = self._claims(sheets[CLAIMS])
            landed = {c for _, c in listed}
            if any(claims[n] not in landed for n in wanted):
                if not again:
                    raise self._gave_up(action, error or self._claim_missing(wanted[0].sequence))
                wanted = [n for n in wanted if claims[n] not in landed]
                attempt += 1
                continue
            bases = {r["id"]: r["value"] or 0 for r in self._records(sheets["sequences"])}
            retry = []
            for n in wanted:
                text = n.format(bases.get(n.sequence, 0) + self._rank(listed, n.sequence, claims[n]))
                taken = n.unique and text in {v for v in sheets[n.unique[0]].column_values(n.unique[1]) if v}
                if taken:
                    retry.append(n)
                else:
                    values[n] = text
            if not retry:
                break
            wanted = retry
        else:
            raise ValidationError(numbered[0].sequence, key="store.sequence.exhausted", sequence=numbered[0].sequence)
        prepared, tables = self._prepare(with_numbers(writes, values), actor, at)
        return self._apply_locked(prepared, tables, actor, at, sheets=sheets)

    def _claim_missing(self, sequence: str) -> StoreLayoutError:
        return StoreLayoutError(key="store.layout.claim_missing", sequence=sequence, sheet=self.title(CLAIMS))

    @staticmethod
    def _rank(claims: list[tuple[str, str]], sequence: str, claim: str) -> int:
        """The place of ``claim`` among the claims of ``sequence``, counted from 1 (0: not there)."""
        rank = 0
        for seq, c in claims:
            if seq == sequence:
                rank += 1
            if c == claim:
                return rank
        return 0

    def next_number(self, sequence: str, actor: str) -> int:
        """The next number of a named counter; unique across threads and processes (see module doc)."""
        if not sequence:
            raise ValidationError("sequence", key="store.sequence.empty")
        self._ensure_ready()
        action = self._action()
        claim = uuid.uuid4().hex
        row = {"sequence": sequence, "claim": claim, "actor": actor, "at": utcnow().isoformat()}
        body = {"requests": [self._append(CLAIMS, self._layouts[CLAIMS], [row])]}
        attempt = 0
        while True:
            status, _, error, response = self._write_call(body, action)
            again = status == _SENT or (not (status == _UNSURE and attempt >= 1)
                                        and self._wait_to_retry(action, status, response))
            sheets, _ = self._read(["sequences", CLAIMS])
            claims = self._claims(sheets[CLAIMS])
            if status == _SENT or any(c == claim for _, c in claims):
                break
            if not again:
                raise self._gave_up(action, error)
            attempt += 1
        rank = self._rank(claims, sequence, claim)
        if not rank:
            raise self._claim_missing(sequence)
        base = next((r["value"] or 0 for r in self._records(sheets["sequences"]) if r["id"] == sequence), 0)
        return base + rank

    def import_rows(self, table: str, rows: Sequence[dict] | Any) -> int:
        """Bulk load already-stamped rows (demo, restore, copy, bench); not audited.

        Appends in large chunks (one batchUpdate each); an ID already in the sheet is refused.
        A chunk whose reply is lost is re-sent only if a fresh read shows it did not land."""
        import pandas as pd

        columns(table)
        if isinstance(rows, pd.DataFrame):
            frame = rows.astype(object).where(rows.notna(), None)
            rows = frame.to_dict("records")
        records = [normalise_record(table, r) for r in rows]
        if not records:
            return 0
        seen: set[str] = set()
        for r in records:
            if not r.get("id"):
                raise ValidationError("id", key="store.write.no_id", table=table)
            if r["id"] in seen:
                raise ValidationError("id", key="store.write.id_twice", table=table, id=r["id"])
            seen.add(r["id"])
            for col, value in r.items():
                to_cell(table, col, value)
        with self._lock:
            sheets, _ = self._read_for_write([], [table], [])
            sheet = sheets[table]
            dupes = seen & set(sheet.ids())
            if dupes:
                raise ValidationError("id", key="store.write.id_exists", table=table, id=sorted(dupes)[0])
            per_chunk = max(1, IMPORT_CHUNK_CELLS // max(1, len(columns(table))))
            for start in range(0, len(records), per_chunk):
                chunk = records[start:start + per_chunk]
                body = {"requests": [self._append(table, sheet, chunk)]}
                action, attempt = self._action(), 0
                while True:
                    status, _, error, response = self._write_call(body, action)
                    if status == _SENT:
                        break
                    retry = not (status == _UNSURE and attempt >= 1) and self._wait_to_retry(action, status, response)
                    again, _ = self._read_for_write([], [table], [])
                    if chunk[0]["id"] in again[table].ids():
                        break
                    if not retry:
                        raise self._gave_up(action, error)
                    attempt += 1
        return len(records)

    # ---- maintenance (copy) --------------------------------------------------------------------

    def claims_count(self) -> int:
        """Rows in the hidden sequence_claims worksheet (numbers handed out since the last import)."""
        sheets, _ = self._read([CLAIMS])
        return len(sheets[CLAIMS].rows)

    def set_aside(self, suffix: str) -> list[str]:
        """Rename this store's worksheets to '<name> <suffix>' (kept as a backup) and start afresh.

        One batchUpdate; the next call creates empty worksheets. Returns the new titles."""
        with self._lock:
            meta = self._read_call(lambda: self.http.fetch_sheet_metadata(self.key))
            props = {s["properties"]["title"]: s["properties"] for s in meta.get("sheets", [])}
            renamed, requests = [], []
            for title, _ in self._wanted().values():
                if title in props:
                    new = f"{title} {suffix}"
                    requests.append({"updateSheetProperties": {
                        "properties": {"sheetId": props[title]["sheetId"], "title": new}, "fields": "title"}})
                    renamed.append(new)
            if requests:
                status, _, error, _ = self._write_call({"requests": requests})
                if status != _SENT:
                    raise error
            self._ready = False
            return renamed

    def close(self) -> None:
        session = getattr(self.http, "session", None)
        if session is not None:
            session.close()


# ---- built from configuration ------------------------------------------------------------------

def open_sheets_repository(settings) -> SheetsRepository:
    """The app's store on Google Sheets, signed in with the configured service account."""
    from google.oauth2.service_account import Credentials

    from data_access.sheets_http import make_gspread_client

    if not settings.sheets_key:
        raise StoreConfigError(key="store.config.no_key")
    info = dict(settings.service_account or {})
    if not info:
        raise StoreConfigError(key="store.config.no_account")
    key = info.get("private_key")
    if isinstance(key, str) and "\\n" in key:
        info["private_key"] = key.replace("\\n", "\n")  # pasted with literal \n into a TOML string
    try:
        # The token URI is the one in the credentials (Google's, or a test stand-in's).
        creds = Credentials.from_service_account_info(info, scopes=SCOPES)
    except (ValueError, KeyError) as exc:
        raise StoreConfigError(key="store.config.bad_account", detail=str(exc)[:200]) from exc
    extra = settings.extra or {}
    timeout = float(extra.get("sheets_timeout_seconds", 30))
    # gspread's BackOffHTTPClient is not used: it re-sends failed writes blindly (a lost reply
    # would append rows twice) and may wait minutes; the repository retries, bounded, itself.
    client = make_gspread_client(creds, api_base=settings.sheets_endpoint or None, backoff=False,
                                 timeout=timeout)
    return SheetsRepository(client, settings.sheets_key, prefix=str(extra.get("sheets_prefix", "")),
                            retries=int(extra.get("sheets_retries", 4)),
                            backoff=float(extra.get("sheets_backoff_seconds", 1.0)),
                            retry_seconds=float(extra.get("sheets_retry_seconds", 20.0)))
