"""In-process stand-in for the Google Sheets API v4 (+ OAuth token endpoint and
the few Drive v3 calls gspread makes), for tests.

Runs a real HTTP server on 127.0.0.1 so the production code path (google-auth
-> requests -> gspread) is exercised end to end::

    with SheetsStandIn() as standin:
        sa = write_service_account_file(tmp_path / "sa.json", standin)
        sid = standin.create_spreadsheet("SOP Tracker")
        gc = make_client(standin, tmp_path / "sa.json", backoff=False)
        ws = gc.open_by_key(sid).sheet1
        ws.append_rows([["a", 1]])
        assert standin.count("append") == 1
        assert standin.formula_log == []

State: ``standin.spreadsheets`` maps id -> {"title", "sheets": [sheet, ...], ...};
each sheet is a dict {"sheetId", "title", "rowCount", "columnCount", "rows",
"formulas", "display", ...}.  ``rows`` is a ragged list of lists of
str/int/float/bool, ``None`` = empty cell.  ``formulas`` is the set of (row, col)
(0-based) cells currently holding a formula; ``standin.formula_log`` records
every formula ever stored (it is never cleared by writes).

Module imports are stdlib only; ``cryptography`` is imported lazily to verify
JWTs and to create keys, google.auth/gspread only inside ``make_client``.
"""

from __future__ import annotations

import base64
import copy
import datetime as _dt
import json
import random
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterable
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = [
    "SheetsStandIn",
    "RequestRecord",
    "Fault",
    "A1Range",
    "parse_a1",
    "col_to_letters",
    "letters_to_col",
    "sheet_ref",
    "write_service_account_file",
    "make_client",
    "SCOPES",
]

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SCOPE_SHEETS = "https://www.googleapis.com/auth/spreadsheets"
SCOPE_SHEETS_RO = "https://www.googleapis.com/auth/spreadsheets.readonly"
SCOPE_DRIVE = "https://www.googleapis.com/auth/drive"
SCOPE_DRIVE_RO = "https://www.googleapis.com/auth/drive.readonly"
SCOPE_DRIVE_FILE = "https://www.googleapis.com/auth/drive.file"
SCOPES = [SCOPE_SHEETS, SCOPE_DRIVE]
_READ_SCOPES = {SCOPE_SHEETS, SCOPE_SHEETS_RO, SCOPE_DRIVE, SCOPE_DRIVE_RO, SCOPE_DRIVE_FILE}
_WRITE_SCOPES = {SCOPE_SHEETS, SCOPE_DRIVE, SCOPE_DRIVE_FILE}
SHEETS_MIME = "application/vnd.google-apps.spreadsheet"

DEFAULT_ROWS = 1000
DEFAULT_COLS = 26
MAX_COLS = 18278  # ZZZ

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_DEFAULT_MESSAGES = {
    400: "Request contains an invalid argument.",
    401: "Request had invalid authentication credentials. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential. "
    "See https://developers.google.com/identity/sign-in/web/devconsole-project.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    408: "Request timed out.",
    429: "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
    "minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:0'.",
    500: "Internal error encountered.",
    502: "Bad gateway.",
    503: "The service is currently unavailable.",
    504: "Deadline exceeded.",
}


def google_error(code: int, message: str | None = None, status: str | None = None) -> dict:
    """Google's JSON error body: {"error": {"code", "message", "status"}}."""
    return {
        "error": {
            "code": code,
            "message": message or _DEFAULT_MESSAGES.get(code, "Error."),
            "status": status or _STATUS_NAMES.get(code, "UNKNOWN"),
        }
    }


class _ApiError(Exception):
    def __init__(self, code: int, message: str | None = None, status: str | None = None,
                 body: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.code = code
        self.body = body if body is not None else google_error(code, message, status)
        self.headers = headers or {}


def _bad(message: str) -> _ApiError:
    return _ApiError(400, message, "INVALID_ARGUMENT")


# --------------------------------------------------------------------------- A1 notation

def col_to_letters(col: int) -> str:
    """0-based column index -> letters (0 -> A, 25 -> Z, 26 -> AA)."""
    if col < 0:
        raise ValueError(col)
    out = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def letters_to_col(letters: str) -> int:
    """Letters -> 0-based column index (A -> 0)."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(letters)
        n = n * 26 + (ord(ch) - 64)
    return n - 1


_PLAIN_SHEET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CELLISH = re.compile(r"(?:[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[A-Za-z]{1,3}|\d+)")


def sheet_ref(title: str) -> str:
    """Sheet title as Google writes it in A1 ranges: bare when plain, else quoted
    with '' escaping (``My 'x'`` -> ``'My ''x'''``)."""
    if _PLAIN_SHEET_NAME.fullmatch(title) and not _CELLISH.fullmatch(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def cell_a1(row: int, col: int) -> str:
    return f"{col_to_letters(col)}{row + 1}"


class A1Range:
    """Parsed A1 range.  Indices are 0-based and inclusive; ``None`` end = open
    (runs to the edge of the grid).  ``sheet`` None = first sheet."""

    __slots__ = ("sheet", "r0", "c0", "r1", "c1", "single", "text")

    def __init__(self, sheet, r0, c0, r1, c1, single, text):
        self.sheet, self.r0, self.c0, self.r1, self.c1 = sheet, r0, c0, r1, c1
        self.single, self.text = single, text

    def __repr__(self) -> str:
        return (f"A1Range(sheet={self.sheet!r}, r0={self.r0}, c0={self.c0}, "
                f"r1={self.r1}, c1={self.c1}, single={self.single})")

    def as_tuple(self):
        return (self.sheet, self.r0, self.c0, self.r1, self.c1)


_PART = re.compile(r"([A-Za-z]{0,3})(\d{0,7})")
_CELL_RANGE = re.compile(r"[A-Za-z]{0,3}\d{0,7}(?::[A-Za-z]{0,3}\d{0,7})?")


def _parse_part(part: str) -> tuple[int | None, int | None]:
    m = _PART.fullmatch(part)
    if not m or (not m.group(1) and not m.group(2)):
        raise ValueError(part)
    col = letters_to_col(m.group(1)) if m.group(1) else None
    row = None
    if m.group(2):
        row = int(m.group(2)) - 1
        if row < 0:
            raise ValueError(part)
    return row, col


def _looks_like_cells(text: str) -> bool:
    if not _CELL_RANGE.fullmatch(text):
        return False
    try:
        _parse_cells(text)
        return True
    except ValueError:
        return False


def _parse_cells(cells: str):
    """'A1' / 'A1:C10' / 'A:C' / '2:5' / 'A2:C' -> (r0, c0, r1, c1, single)."""
    if ":" in cells:
        a, b = cells.split(":", 1)
        (ra, ca), (rb, cb) = _parse_part(a), _parse_part(b)
        if ca is None and cb is None:  # 2:5 whole rows
            if ra is None or rb is None:
                raise ValueError(cells)
            r0, r1, c0, c1 = ra, rb, 0, None
        elif ra is None and rb is None:  # A:C whole columns
            if ca is None or cb is None:
                raise ValueError(cells)
            r0, r1, c0, c1 = 0, None, ca, cb
        else:
            r0 = ra if ra is not None else 0
            c0 = ca if ca is not None else 0
            r1, c1 = rb, cb  # missing end part -> open-ended
            if ra is None and rb is not None:
                r1 = rb
            if ca is None and cb is not None:
                c1 = cb
        if r1 is not None and r1 < r0:
            r0, r1 = r1, r0
        if c1 is not None and c1 < c0:
            c0, c1 = c1, c0
        return r0, c0, r1, c1, False
    row, col = _parse_part(cells)
    if row is None or col is None:
        raise ValueError(cells)
    return row, col, row, col, True


def parse_a1(text: str) -> A1Range:
    """Parse an A1 range: ``Sheet1``, ``Sheet1!A1:C10``, ``'My ''x'''!A:C``,
    ``A1:B2`` (first sheet), ``Sheet1!A2:C`` (open-ended), ``Sheet1!2:5``.
    Raises ValueError when unparseable.  Named ranges are not supported."""
    raw = text
    text = text.strip()
    if not text:
        raise ValueError(raw)
    sheet: str | None
    cells: str | None
    if text.startswith("'"):
        i, buf = 1, []
        while True:
            if i >= len(text):
                raise ValueError(raw)  # unterminated quote
            ch = text[i]
            if ch == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    buf.append("'")
                    i += 2
                    continue
                i += 1
                break
            buf.append(ch)
            i += 1
        sheet, rest = "".join(buf), text[i:]
        if rest == "":
            cells = None
        elif rest.startswith("!") and len(rest) > 1:
            cells = rest[1:]
        else:
            raise ValueError(raw)
    elif "!" in text:
        sheet, _, cells = text.rpartition("!")
        if not sheet or not cells:
            raise ValueError(raw)
    elif _looks_like_cells(text):
        sheet, cells = None, text
    else:
        sheet, cells = text, None
    if cells is None:
        return A1Range(sheet, 0, 0, None, None, False, raw)
    r0, c0, r1, c1, single = _parse_cells(cells)
    return A1Range(sheet, r0, c0, r1, c1, single, raw)


def _range_text(title: str, r0: int, c0: int, r1: int, c1: int) -> str:
    if r0 == r1 and c0 == c1:
        return f"{sheet_ref(title)}!{cell_a1(r0, c0)}"
    return f"{sheet_ref(title)}!{cell_a1(r0, c0)}:{cell_a1(r1, c1)}"


# --------------------------------------------------------------------------- values

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_PERCENT = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+))\s*%")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_EPOCH = _dt.datetime(1899, 12, 30)


def _norm_number(v: float):
    f = float(v)
    if f.is_integer() and abs(f) < 1e15:
        return int(f)
    return f


def _user_entered(value: Any):
    """USER_ENTERED parsing -> (value, is_formula, display) with display =
    (text, kind) when Google would keep a formatted representation."""
    if isinstance(value, bool) or value is None:
        return value, False, None
    if isinstance(value, (int, float)):
        return _norm_number(value), False, None
    s = value
    if s.startswith("="):
        return s, True, None
    if s.startswith("'"):
        return s[1:], False, None  # leading apostrophe forces text and is hidden
    stripped = s.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE", False, None
    if _NUMBER.fullmatch(stripped):
        return _norm_number(float(stripped)), False, None
    if _THOUSANDS.fullmatch(stripped):
        return _norm_number(float(stripped.replace(",", ""))), False, (stripped, "number")
    m = _PERCENT.fullmatch(stripped)
    if m:
        return _norm_number(float(m.group(1)) / 100), False, (stripped, "number")
    m = _ISO_DATE.fullmatch(stripped)
    if m:
        try:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            hh = int(m.group(4) or 0)
            mm = int(m.group(5) or 0)
            ss = int(m.group(6) or 0)
            when = _dt.datetime(y, mo, d, hh, mm, ss)
        except ValueError:
            return s, False, None
        serial = (when - _EPOCH).total_seconds() / 86400
        return _norm_number(serial), False, (stripped, "date")
    return s, False, None


def format_number(v) -> str:
    """Approximation of Sheets' automatic number format for FORMATTED_VALUE."""
    if isinstance(v, int):
        return str(v)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if abs(v) >= 1e15 or (v != 0 and abs(v) < 1e-9):
        mant, exp = f"{v:.14E}".split("E")
        mant = mant.rstrip("0").rstrip(".")
        e = int(exp)
        return f"{mant}E{'+' if e >= 0 else '-'}{abs(e):02d}"
    return f"{round(v, 10):.10f}".rstrip("0").rstrip(".")


_VALUE_RENDER = {"FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"}
_DT_RENDER = {"SERIAL_NUMBER", "FORMATTED_STRING"}
_INPUT_OPTIONS = {"RAW", "USER_ENTERED"}


def _truthy(v: str | None) -> bool:
    return str(v).lower() in ("true", "1")


# --------------------------------------------------------------------------- records

class RequestRecord(tuple):
    """A logged request; unpacks as ``(method, path, query)``.

    ``path`` is URL-decoded; ``query`` maps name -> list of values.  Extra
    attributes: ``kind`` (see SheetsStandIn.count), ``body`` (parsed JSON/form
    or raw bytes), ``raw_path``, ``time``."""

    def __new__(cls, method, path, query, kind, body=None, raw_path="", when=0.0):
        obj = super().__new__(cls, (method, path, query))
        obj.kind, obj.body, obj.raw_path, obj.time = kind, body, raw_path, when
        return obj

    method = property(lambda self: self[0])
    path = property(lambda self: self[1])
    query = property(lambda self: self[2])

    def __repr__(self) -> str:
        return f"RequestRecord({self[0]} {self[1]} kind={self.kind})"


class Fault:
    """A pending injected fault (see SheetsStandIn.fail_next/delay_next/drop_next)."""

    def __init__(self, action, count, *, status=None, seconds=0.0, method=None, path=None,
                 kind=None, message=None, apply_first=False, headers=None):
        self.action, self.remaining = action, count
        self.status, self.seconds, self.message = status, seconds, message
        self.method = method.upper() if method else None
        self.path, self.kind, self.apply_first = path, kind, apply_first
        self.headers = headers or {}
        self.fired = 0

    def matches(self, rec: RequestRecord) -> bool:
        if self.remaining <= 0:
            return False
        if self.kind is not None:
            if rec.kind != self.kind:
                return False
        elif rec.kind == "token" and not (self.path and self.path in rec.path):
            return False  # never break sign-in unless explicitly asked to
        if self.method and rec.method != self.method:
            return False
        if self.path and self.path not in rec.path:
            return False
        return True

    def __repr__(self) -> str:
        return (f"Fault({self.action}, remaining={self.remaining}, status={self.status}, "
                f"seconds={self.seconds}, method={self.method}, path={self.path}, kind={self.kind})")


def _classify(method: str, raw_path: str) -> str:
    if raw_path == "/token":
        return "token"
    if raw_path.startswith("/drive/") or raw_path.startswith("/upload/"):
        return "drive"
    m = re.fullmatch(r"/v4/spreadsheets(?:/([^/:]+))?(.*)", raw_path)
    if not m:
        return "unknown"
    sid, tail = m.group(1), m.group(2)
    if sid is None:
        return "create" if method == "POST" else "unknown"
    if tail == "" and method == "GET":
        return "spreadsheetGet"
    if tail == ":batchUpdate":
        return "batchUpdate"
    if tail == "/values:batchGet":
        return "batchGet"
    if tail == "/values:batchUpdate":
        return "valuesBatchUpdate"
    if tail == "/values:batchClear":
        return "clear"
    if tail.startswith("/values/"):
        if method == "POST" and tail.endswith(":append"):
            return "append"
        if method == "POST" and tail.endswith(":clear"):
            return "clear"
        if method == "GET":
            return "get"
        if method == "PUT":
            return "update"
    return "unknown"


# --------------------------------------------------------------------------- HTTP plumbing

class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):  # quiet: clients time out / hang up
        pass


class _Handler(BaseHTTPRequestHandler):
    standin: SheetsStandIn
    server_version = "SheetsStandIn/1.0"
    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_DELETE(self):
        self._handle("DELETE")

    def do_PATCH(self):
        self._handle("PATCH")

    def _handle(self, method: str) -> None:
        st = self.standin
        parts = urlsplit(self.path)
        raw_path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        kind = _classify(method, raw_path)
        rec = st._record(method, raw_path, query, kind, body, self.headers.get("Content-Type", ""))
        delay, fault = st._take_faults(rec)
        if delay:
            st._stopping.wait(delay)
        if fault is not None and not fault.apply_first:
            if fault.action == "drop":
                self.close_connection = True
                return
            self._send(fault.status, google_error(fault.status, fault.message), fault.headers)
            return
        try:
            status, payload, headers = st._dispatch(method, raw_path, query, body, self.headers)
        except _ApiError as err:
            status, payload, headers = err.code, err.body, err.headers
        except Exception as exc:  # a bug in the stand-in: surface it as a 500
            st.errors.append(exc)
            status, payload, headers = 500, google_error(500, f"stand-in crashed: {exc!r}"), {}
        if fault is not None:  # apply_first: the change happened, the reply is lost
            if fault.action == "drop":
                self.close_connection = True
                return
            status, payload, headers = fault.status, google_error(fault.status, fault.message), fault.headers
        self._send(status, payload, headers)

    def _send(self, status: int, payload: Any, headers: dict | None = None) -> None:
        data = b"" if payload is None else json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            if payload is not None:
                self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if data:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


# --------------------------------------------------------------------------- the stand-in

class SheetsStandIn:
    """Google Sheets v4 + OAuth token + minimal Drive v3 stand-in on 127.0.0.1.

    Counters: ``count(kind)`` with kind in {'token', 'spreadsheetGet', 'get',
    'batchGet', 'append', 'update', 'valuesBatchUpdate', 'batchUpdate', 'clear',
    'create', 'drive', 'unknown'}; ``count()`` = all requests.
    """

    def __init__(self, *, require_auth: bool = True, token_lifetime: int = 3600, seed: int = 0):
        self.require_auth = require_auth
        self.token_lifetime = token_lifetime
        self.spreadsheets: dict[str, dict] = {}
        self.requests: list[RequestRecord] = []
        self.formula_log: list[tuple[str, str, str, str]] = []
        self.ignored_requests: list[tuple[str, dict]] = []
        self.errors: list[BaseException] = []  # exceptions raised inside handlers
        self._faults: list[Fault] = []
        self._service_accounts: dict[str, dict] = {}  # key id -> {email, public_key_pem}
        self._tokens: dict[str, dict] = {}
        self._lock = threading.RLock()
        self._rand = random.Random(seed)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""
        self.port = 0

    # ---- lifecycle
    def start(self) -> SheetsStandIn:
        if self._server is not None:
            return self
        handler = type("StandInHandler", (_Handler,), {"standin": self})
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"sheets-standin-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wake delayed handlers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SheetsStandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def token_uri(self) -> str:
        return self.url + "/token"

    # ---- request log
    def _record(self, method, raw_path, query, kind, body, content_type) -> RequestRecord:
        parsed: Any = body
        if body:
            try:
                if "json" in content_type:
                    parsed = json.loads(body)
                elif "x-www-form-urlencoded" in content_type:
                    parsed = {k: v[0] if len(v) == 1 else v
                              for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
            except ValueError:
                parsed = body
        rec = RequestRecord(method, unquote(raw_path), query, kind, parsed, raw_path, time.time())
        with self._lock:
            self.requests.append(rec)
        return rec

    def count(self, kind: str | None = None) -> int:
        with self._lock:
            if kind is None:
                return len(self.requests)
            return sum(1 for r in self.requests if r.kind == kind)

    def requests_of(self, kind: str) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self.requests if r.kind == kind]

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()

    # ---- fault injection
    def _add_fault(self, fault: Fault) -> Fault:
        if fault.remaining < 1:
            raise ValueError("n must be >= 1")
        with self._lock:
            self._faults.append(fault)
        return fault

    def fail_next(self, n: int = 1, status: int = 429, *, method: str | None = None,
                  path: str | None = None, kind: str | None = None,
                  message: str | None = None, apply_first: bool = False,
                  headers: dict | None = None) -> Fault:
        """Answer the next ``n`` matching requests with ``status`` in Google's error
        shape.  Filters: ``method`` ('GET'...), ``path`` substring of the decoded
        path, ``kind`` (as in count()).  Token requests are only matched when
        ``kind='token'`` or ``path`` contains 'token'.  ``apply_first=True``
        executes the request before replying with the error (lost reply)."""
        return self._add_fault(Fault("fail", n, status=status, method=method, path=path,
                                     kind=kind, message=message, apply_first=apply_first,
                                     headers=headers))

    def delay_next(self, n: int = 1, seconds: float = 1.0, *, method: str | None = None,
                   path: str | None = None, kind: str | None = None) -> Fault:
        """Hold the next ``n`` matching requests for ``seconds`` before handling
        them.  The request is still executed even if the client gave up."""
        return self._add_fault(Fault("delay", n, seconds=seconds, method=method, path=path,
                                     kind=kind))

    def drop_next(self, n: int = 1, *, method: str | None = None, path: str | None = None,
                  kind: str | None = None, apply_first: bool = False) -> Fault:
        """Close the connection of the next ``n`` matching requests without any
        reply (client sees ConnectionError).  ``apply_first=True`` executes the
        request first."""
        return self._add_fault(Fault("drop", n, method=method, path=path, kind=kind,
                                     apply_first=apply_first))

    @property
    def faults(self) -> list[Fault]:
        """Pending faults (those with remaining > 0)."""
        with self._lock:
            return [f for f in self._faults if f.remaining > 0]

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_faults(self, rec: RequestRecord):
        delay, terminal = 0.0, None
        with self._lock:
            for f in self._faults:
                if f.action == "delay" and not delay and f.matches(rec):
                    f.remaining -= 1
                    f.fired += 1
                    delay = f.seconds
                elif f.action in ("fail", "drop") and terminal is None and f.matches(rec):
                    f.remaining -= 1
                    f.fired += 1
                    terminal = f
            self._faults = [f for f in self._faults if f.remaining > 0]
        return delay, terminal

    # ---- service accounts and tokens
    def register_service_account(self, client_email: str, private_key_id: str,
                                 public_key_pem: bytes) -> None:
        with self._lock:
            self._service_accounts[private_key_id] = {
                "email": client_email, "public_key_pem": public_key_pem}

    def forget_service_accounts(self) -> None:
        with self._lock:
            self._service_accounts.clear()

    def revoke_tokens(self) -> None:
        """Invalidate every issued access token (clients must sign in again)."""
        with self._lock:
            self._tokens.clear()

    def issue_token(self, client_email: str = "test@example.com",
                    scopes: Iterable[str] = tuple(SCOPES)) -> str:
        token = "ya29.standin-" + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = {"email": client_email, "scopes": set(scopes),
                                   "expires": time.time() + self.token_lifetime}
        return token

    def _token(self, body: bytes, headers) -> tuple[int, dict, dict]:
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        grant = form.get("grant_type")
        if grant != JWT_BEARER_GRANT:
            raise _ApiError(400, body={"error": "unsupported_grant_type",
                                       "error_description": f"Invalid grant_type: {grant or ''}"})
        claims = self._verify_jwt(form.get("assertion", ""))
        scopes = set((claims.get("scope") or "").split())
        token = self.issue_token(claims["iss"], scopes)
        return 200, {"access_token": token, "expires_in": self.token_lifetime,
                     "token_type": "Bearer"}, {}

    def _verify_jwt(self, assertion: str) -> dict:
        def invalid(desc: str) -> _ApiError:
            return _ApiError(400, body={"error": "invalid_grant", "error_description": desc})

        def b64d(part: str) -> bytes:
            return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

        try:
            h64, p64, s64 = assertion.split(".")
            header, claims, sig = json.loads(b64d(h64)), json.loads(b64d(p64)), b64d(s64)
        except (ValueError, TypeError):
            raise invalid("Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                          "reasonable timeframe. Check your iat and exp values in the JWT claim.") from None
        if header.get("alg") != "RS256":
            raise invalid("Invalid JWT Signature.")
        with self._lock:
            account = self._service_accounts.get(header.get("kid", ""))
            if account is None:
                account = next((a for a in self._service_accounts.values()
                                if a["email"] == claims.get("iss")), None)
        if account is None:
            raise invalid("Invalid grant: account not found")
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding

        key = serialization.load_pem_public_key(account["public_key_pem"])
        try:
            key.verify(sig, f"{h64}.{p64}".encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise invalid("Invalid JWT Signature.") from None
        if claims.get("iss") != account["email"]:
            raise invalid("Invalid JWT: issuer does not match the key's service account.")
        if claims.get("aud") not in (GOOGLE_TOKEN_URI, self.token_uri):
            raise invalid("Invalid JWT: Failed audience check.")
        now = time.time()
        try:
            iat, exp = float(claims["iat"]), float(claims["exp"])
        except (KeyError, TypeError, ValueError):
            raise invalid("Invalid JWT: iat/exp missing.") from None
        if exp < now - 60 or iat > now + 300 or exp - iat > 3600 + 60:
            raise invalid("Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                          "reasonable timeframe. Check your iat and exp values in the JWT claim.")
        return claims

    def _authenticate(self, headers, write: bool) -> None:
        if not self.require_auth:
            return
        auth = headers.get("Authorization") or ""
        www = {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'}
        if not auth:
            raise _ApiError(401, "Request is missing required authentication credential. Expected "
                            "OAuth 2 access token, login cookie or other valid authentication "
                            "credential. See https://developers.google.com/identity/sign-in/web/"
                            "devconsole-project.", "UNAUTHENTICATED", headers=www)
        scheme, _, token = auth.partition(" ")
        with self._lock:
            info = self._tokens.get(token.strip()) if scheme.lower() == "bearer" else None
            if info is not None and info["expires"] < time.time():
                self._tokens.pop(token.strip(), None)
                info = None
        if info is None:
            raise _ApiError(401, None, "UNAUTHENTICATED", headers=www)
        allowed = _WRITE_SCOPES if write else _READ_SCOPES
        if not (info["scopes"] & allowed):
            raise _ApiError(403, "Request had insufficient authentication scopes.",
                            "PERMISSION_DENIED")

    # ---- test helpers for state
    def _new_sheet(self, title: str, sheet_id: int, rows: int, cols: int) -> dict:
        return {"sheetId": sheet_id, "title": title, "rowCount": rows, "columnCount": cols,
                "rows": [], "formulas": set(), "display": {}, "hidden": False,
                "frozenRowCount": 0, "frozenColumnCount": 0}

    def _new_sheet_id(self, ss: dict) -> int:
        used = {s["sheetId"] for s in ss["sheets"]}
        while True:
            sid = self._rand.randint(1, 2**31 - 1)
            if sid not in used:
                return sid

    def create_spreadsheet(self, title: str = "Untitled spreadsheet",
                           sheets: Iterable[str] = ("Sheet1",), *, rows: int = DEFAULT_ROWS,
                           cols: int = DEFAULT_COLS, spreadsheet_id: str | None = None) -> str:
        """Create a spreadsheet; the first sheet gets sheetId 0 like Google.  Returns the id."""
        sid = spreadsheet_id or secrets.token_urlsafe(33)[:44]
        now = _now_rfc3339()
        ss = {"spreadsheetId": sid, "title": title, "sheets": [], "locale": "en_US",
              "timeZone": "Etc/GMT", "createdTime": now, "modifiedTime": now}
        for i, name in enumerate(list(sheets) or ["Sheet1"]):
            ss["sheets"].append(self._new_sheet(name, 0 if i == 0 else self._new_sheet_id(ss),
                                                rows, cols))
        with self._lock:
            self.spreadsheets[sid] = ss
        return sid

    def add_sheet(self, spreadsheet_id: str, title: str, *, rows: int = DEFAULT_ROWS,
                  cols: int = DEFAULT_COLS) -> int:
        with self._lock:
            ss = self._spreadsheet(spreadsheet_id)
            sheet = self._new_sheet(title, self._new_sheet_id(ss), rows, cols)
            ss["sheets"].append(sheet)
            return sheet["sheetId"]

    def sheet(self, spreadsheet_id: str, title: str) -> dict:
        """The live sheet dict (mutate only under ``standin.lock``)."""
        with self._lock:
            return self._sheet_by_title(self._spreadsheet(spreadsheet_id), title)

    @property
    def lock(self) -> threading.RLock:
        return self._lock

    def set_rows(self, spreadsheet_id: str, title: str, rows: list[list[Any]]) -> None:
        """Seed values verbatim (RAW semantics, no formulas); grows the grid if needed."""
        with self._lock:
            sheet = self.sheet(spreadsheet_id, title)
            sheet["rows"] = [[None if v == "" else v for v in r] for r in rows]
            sheet["formulas"].clear()
            sheet["display"].clear()
            sheet["rowCount"] = max(sheet["rowCount"], len(rows))
            sheet["columnCount"] = max(sheet["columnCount"], max((len(r) for r in rows), default=0))

    def rows(self, spreadsheet_id: str, title: str) -> list[list[Any]]:
        """Stored values, '' for empty cells, trailing empties trimmed like Google."""
        with self._lock:
            sheet = self.sheet(spreadsheet_id, title)
            out = [["" if v is None else v for v in r] for r in sheet["rows"]]
        return _trim(out, lambda v: v == "")

    def formula_cells(self, spreadsheet_id: str | None = None) -> set:
        """{(spreadsheet_id, sheet_title, 'A1')} of cells currently holding a formula."""
        with self._lock:
            return {(sid, sh["title"], cell_a1(r, c))
                    for sid, ss in self.spreadsheets.items()
                    if spreadsheet_id in (None, sid)
                    for sh in ss["sheets"] for (r, c) in sh["formulas"]}

    # ---- dispatch
    def _dispatch(self, method: str, raw_path: str, query: dict, body: bytes, headers):
        if raw_path == "/token":
            if method != "POST":
                raise _ApiError(405, "Method not allowed", "INVALID_ARGUMENT")
            return self._token(body, headers)
        kind = _classify(method, raw_path)
        is_write = method in ("POST", "PUT", "DELETE", "PATCH")
        if raw_path.startswith(("/v4/", "/drive/", "/upload/")):
            self._authenticate(headers, write=is_write)
        if raw_path.startswith("/drive/v3/files"):
            return self._drive(method, raw_path, query, body)
        m = re.fullmatch(r"/v4/spreadsheets(?:/([^/:]+))?(.*)", raw_path)
        if not m or kind == "unknown":
            raise _ApiError(404, f"sheets_standin does not implement {method} {unquote(raw_path)}",
                            "NOT_FOUND")
        payload = _json_body(body) if method in ("POST", "PUT") else {}
        if kind == "create":
            return 200, self._create_from_body(payload), {}
        sid, tail = unquote(m.group(1)), m.group(2)
        q = {k: v[-1] for k, v in query.items()}
        with self._lock:
            ss = self._spreadsheet(sid)
            if kind == "spreadsheetGet":
                return 200, self._metadata(ss), {}
            if kind == "get":
                return 200, self._values_get(ss, unquote(tail[len("/values/"):]), q), {}
            if kind == "batchGet":
                return 200, {"spreadsheetId": sid,
                             "valueRanges": [self._values_get(ss, r, q)
                                             for r in query.get("ranges", [])]}, {}
            # mutations are atomic: restore the snapshot on error
            snapshot = copy.deepcopy(ss)
            log_len = len(self.formula_log)
            try:
                result = self._mutate(ss, kind, tail, q, payload)
            except _ApiError:
                self.spreadsheets[sid] = snapshot
                del self.formula_log[log_len:]
                raise
            ss["modifiedTime"] = _now_rfc3339()
            return 200, result, {}

    def _mutate(self, ss: dict, kind: str, tail: str, q: dict, payload: dict) -> dict:
        if kind == "update":
            rng = unquote(tail[len("/values/"):])
            return self._values_update(ss, rng, payload, q.get("valueInputOption"), q)
        if kind == "append":
            return self._values_append(ss, unquote(tail[len("/values/"):-len(":append")]), payload, q)
        if kind == "clear":
            if tail == "/values:batchClear":
                cleared = [self._values_clear(ss, r) for r in payload.get("ranges") or []]
                return {"spreadsheetId": ss["spreadsheetId"], "clearedRanges": cleared}
            rng = unquote(tail[len("/values/"):-len(":clear")])
            return {"spreadsheetId": ss["spreadsheetId"], "clearedRange": self._values_clear(ss, rng)}
        if kind == "valuesBatchUpdate":
            return self._values_batch_update(ss, payload)
        if kind == "batchUpdate":
            return self._batch_update(ss, payload)
        raise _ApiError(404, "Requested entity was not found.", "NOT_FOUND")

    # ---- spreadsheet level
    def _spreadsheet(self, sid: str) -> dict:
        ss = self.spreadsheets.get(sid)
        if ss is None:
            raise _ApiError(404, "Requested entity was not found.", "NOT_FOUND")
        return ss

    def _sheet_by_title(self, ss: dict, title: str) -> dict:
        for sh in ss["sheets"]:
            if sh["title"] == title:
                return sh
        for sh in ss["sheets"]:
            if sh["title"].casefold() == title.casefold():
                return sh
        raise KeyError(title)

    def _sheet_by_id(self, ss: dict, sheet_id: Any, where: str = "") -> dict:
        for sh in ss["sheets"]:
            if sh["sheetId"] == sheet_id or (sheet_id is None and sh["sheetId"] == 0):
                return sh
        raise _bad(f"{where}No grid with id: {sheet_id}")

    def _sheet_properties(self, ss: dict, sh: dict) -> dict:
        gp = {"rowCount": sh["rowCount"], "columnCount": sh["columnCount"]}
        if sh.get("frozenRowCount"):
            gp["frozenRowCount"] = sh["frozenRowCount"]
        if sh.get("frozenColumnCount"):
            gp["frozenColumnCount"] = sh["frozenColumnCount"]
        props = {"sheetId": sh["sheetId"], "title": sh["title"],
                 "index": ss["sheets"].index(sh), "sheetType": "GRID", "gridProperties": gp}
        if sh.get("hidden"):
            props["hidden"] = True
        return props

    def _metadata(self, ss: dict) -> dict:
        return {
            "spreadsheetId": ss["spreadsheetId"],
            "properties": {"title": ss["title"], "locale": ss["locale"], "autoRecalc": "ON_CHANGE",
                           "timeZone": ss["timeZone"]},
            "sheets": [{"properties": self._sheet_properties(ss, sh)} for sh in ss["sheets"]],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{ss['spreadsheetId']}/edit",
        }

    def _create_from_body(self, payload: dict) -> dict:
        title = (payload.get("properties") or {}).get("title") or "Untitled spreadsheet"
        names = [((s.get("properties") or {}).get("title") or f"Sheet{i + 1}")
                 for i, s in enumerate(payload.get("sheets") or [])] or ["Sheet1"]
        sid = self.create_spreadsheet(title, names)
        with self._lock:
            return self._metadata(self.spreadsheets[sid])

    # ---- ranges
    def _resolve(self, ss: dict, text: str) -> tuple[dict, A1Range]:
        try:
            rng = parse_a1(text)
        except ValueError:
            raise _bad(f"Unable to parse range: {text}") from None
        if rng.sheet is None:
            visible = [s for s in ss["sheets"] if not s.get("hidden")] or ss["sheets"]
            return visible[0], rng
        try:
            return self._sheet_by_title(ss, rng.sheet), rng
        except KeyError:
            raise _bad(f"Unable to parse range: {text}") from None

    def _grid_error(self, sh: dict, text: str) -> _ApiError:
        return _bad(f"Range ({text}) exceeds grid limits. Max rows: {sh['rowCount']}, "
                    f"max columns: {sh['columnCount']}")

    def _read_bounds(self, sh: dict, rng: A1Range) -> tuple[int, int, int, int]:
        if rng.r0 >= sh["rowCount"] or rng.c0 >= sh["columnCount"]:
            raise self._grid_error(sh, _a1_text_for_error(sh, rng))
        r1 = sh["rowCount"] - 1 if rng.r1 is None else min(rng.r1, sh["rowCount"] - 1)
        c1 = sh["columnCount"] - 1 if rng.c1 is None else min(rng.c1, sh["columnCount"] - 1)
        return rng.r0, rng.c0, r1, c1

    # ---- values read
    def _render(self, sh: dict, r: int, c: int, v: Any, option: str, dt_option: str) -> Any:
        if v is None:
            return ""
        if option == "FORMULA":
            return v
        display = sh["display"].get((r, c))
        if option == "UNFORMATTED_VALUE":
            if display is not None and display[1] == "date" and dt_option == "FORMATTED_STRING":
                return display[0]
            return v
        if display is not None:
            return display[0]
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, (int, float)):
            return format_number(v)
        return v

    def _values_get(self, ss: dict, text: str, q: dict) -> dict:
        option = q.get("valueRenderOption") or "FORMATTED_VALUE"
        dt_option = q.get("dateTimeRenderOption") or "SERIAL_NUMBER"
        major = q.get("majorDimension") or "ROWS"
        if option not in _VALUE_RENDER:
            raise _bad(f"Invalid value at 'value_render_option' ({option})")
        if dt_option not in _DT_RENDER:
            raise _bad(f"Invalid value at 'date_time_render_option' ({dt_option})")
        if major not in ("ROWS", "COLUMNS", "DIMENSION_UNSPECIFIED"):
            raise _bad(f"Invalid value at 'major_dimension' ({major})")
        sh, rng = self._resolve(ss, text)
        r0, c0, r1, c1 = self._read_bounds(sh, rng)
        stored = sh["rows"]
        grid = []
        for r in range(r0, min(r1, len(stored) - 1) + 1):
            row = stored[r]
            grid.append([self._render(sh, r, c, row[c] if c < len(row) else None, option, dt_option)
                         for c in range(c0, min(c1, len(row) - 1) + 1)])
        if major == "COLUMNS":
            width = max((len(r) for r in grid), default=0)
            grid = [[row[j] if j < len(row) else "" for row in grid] for j in range(width)]
        else:
            major = "ROWS"
        values = _trim(grid, lambda v: v == "")
        out = {"range": _range_text(sh["title"], r0, c0, r1, c1), "majorDimension": major}
        if values:
            out["values"] = values
        return out

    # ---- values write
    def _store(self, ss: dict, sh: dict, r: int, c: int, raw: Any, input_option: str,
               where: str) -> bool:
        """Store one incoming value; returns False when the value was null (skipped)."""
        if raw is None:
            return False
        if not isinstance(raw, (str, int, float, bool)):
            raise _bad(f"Invalid {where}: {type(raw).__name__}_value")
        if input_option == "USER_ENTERED":
            value, is_formula, display = _user_entered(raw)
        else:
            value, is_formula, display = (
                _norm_number(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool)
                else raw), False, None
        self._put(ss, sh, r, c, value, is_formula, display)
        return True

    def _put(self, ss, sh, r, c, value, is_formula=False, display=None) -> None:
        rows = sh["rows"]
        key = (r, c)
        sh["formulas"].discard(key)
        sh["display"].pop(key, None)
        if value is None or value == "":
            if r < len(rows) and c < len(rows[r]):
                rows[r][c] = None
            return
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) <= c:
            row.extend([None] * (c + 1 - len(row)))
        row[c] = value
        if is_formula:
            sh["formulas"].add(key)
            self.formula_log.append((ss["spreadsheetId"], sh["title"], cell_a1(r, c), value))
        if display is not None:
            sh["display"][key] = display

    def _oriented(self, payload: dict) -> list[list[Any]]:
        values = payload.get("values") or []
        if not isinstance(values, list) or any(not isinstance(r, list) for r in values):
            raise _bad("Invalid value at 'data.values'")
        if (payload.get("majorDimension") or "ROWS") == "COLUMNS":
            height = max((len(col) for col in values), default=0)
            return [[col[i] if i < len(col) else None for col in values] for i in range(height)]
        return values

    def _write_block(self, ss, sh, r0, c0, values, input_option, label) -> dict:
        cells = 0
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                if self._store(ss, sh, r0 + i, c0 + j, v, input_option, f"values[{i}][{j}]"):
                    cells += 1
        nrows = len(values)
        ncols = max((len(r) for r in values), default=0)
        out = {"spreadsheetId": ss["spreadsheetId"]}
        if nrows and ncols:
            out.update(updatedRange=_range_text(sh["title"], r0, c0, r0 + nrows - 1, c0 + ncols - 1),
                       updatedRows=nrows, updatedColumns=ncols, updatedCells=cells)
        else:
            out["updatedRange"] = label
        return out

    def _values_update(self, ss: dict, text: str, payload: dict, input_option: str | None,
                       q: dict) -> dict:
        if not input_option:
            raise _bad("'valueInputOption' is required but not specified")
        if input_option not in _INPUT_OPTIONS:
            raise _bad(f"Invalid value at 'value_input_option' ({input_option})")
        if payload.get("range") and parse_a1(payload["range"]).as_tuple() != _safe_parse(text):
            raise _bad(f"Requested range [{text}] must match the range in the body "
                       f"[{payload['range']}]")
        sh, rng = self._resolve(ss, text)
        values = self._oriented(payload)
        nrows = len(values)
        ncols = max((len(r) for r in values), default=0)
        if not rng.single:
            if rng.r1 is not None and nrows and rng.r0 + nrows - 1 > rng.r1:
                raise _bad(f"Requested writing within range [{text}], but tried writing to row "
                           f"[{rng.r0 + nrows}]")
            if rng.c1 is not None and ncols and rng.c0 + ncols - 1 > rng.c1:
                raise _bad(f"Requested writing within range [{text}], but tried writing to column "
                           f"[{col_to_letters(rng.c0 + ncols - 1)}]")
        if (rng.r0 >= sh["rowCount"] or rng.c0 >= sh["columnCount"]
                or rng.r0 + nrows > sh["rowCount"] or rng.c0 + ncols > sh["columnCount"]):
            end_r = rng.r0 + max(nrows, 1) - 1
            end_c = rng.c0 + max(ncols, 1) - 1
            raise self._grid_error(sh, _range_text(sh["title"], rng.r0, rng.c0, end_r, end_c))
        out = self._write_block(ss, sh, rng.r0, rng.c0, values, input_option, text)
        if _truthy(q.get("includeValuesInResponse")) and nrows and ncols:
            out["updatedData"] = self._values_get(
                ss, out["updatedRange"],
                {"valueRenderOption": q.get("responseValueRenderOption"),
                 "dateTimeRenderOption": q.get("responseDateTimeRenderOption")})
        return out

    def _values_batch_update(self, ss: dict, payload: dict) -> dict:
        input_option = payload.get("valueInputOption")
        responses = []
        for item in payload.get("data") or []:
            responses.append(self._values_update(
                ss, item.get("range", ""), {k: v for k, v in item.items() if k != "range"},
                input_option,
                {"includeValuesInResponse": payload.get("includeValuesInResponse"),
                 "responseValueRenderOption": payload.get("responseValueRenderOption"),
                 "responseDateTimeRenderOption": payload.get("responseDateTimeRenderOption")}))
        if not responses and not input_option:
            raise _bad("'valueInputOption' is required but not specified")
        touched = {r["updatedRange"].rsplit("!", 1)[0] for r in responses if "updatedRows" in r}
        return {
            "spreadsheetId": ss["spreadsheetId"],
            "totalUpdatedRows": sum(r.get("updatedRows", 0) for r in responses),
            "totalUpdatedColumns": sum(r.get("updatedColumns", 0) for r in responses),
            "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
            "totalUpdatedSheets": len(touched),
            "responses": responses,
        }

    @staticmethod
    def _row_has_data(sh: dict, r: int, c0: int, c1: int | None) -> bool:
        rows = sh["rows"]
        if r >= len(rows):
            return False
        row = rows[r]
        hi = len(row) - 1 if c1 is None else min(c1, len(row) - 1)
        return any(row[c] is not None for c in range(c0, hi + 1))

    def _values_append(self, ss: dict, text: str, payload: dict, q: dict) -> dict:
        input_option = q.get("valueInputOption")
        if not input_option:
            raise _bad("'valueInputOption' is required but not specified")
        if input_option not in _INPUT_OPTIONS:
            raise _bad(f"Invalid value at 'value_input_option' ({input_option})")
        insert = q.get("insertDataOption") or "OVERWRITE"
        if insert not in ("OVERWRITE", "INSERT_ROWS"):
            raise _bad(f"Invalid value at 'insert_data_option' ({insert})")
        sh, rng = self._resolve(ss, text)
        if rng.r0 >= sh["rowCount"] or rng.c0 >= sh["columnCount"]:
            raise self._grid_error(sh, _a1_text_for_error(sh, rng))
        values = self._oriented(payload)
        nrows = len(values)
        ncols = max((len(r) for r in values), default=0)
        # find the "table": first row with data at/after the range start (within the
        # range's rows; a single-cell range only looks at its own row), then the
        # contiguous block of non-empty rows below it
        if rng.single:
            last_search = rng.r0
        elif rng.r1 is None:
            last_search = len(sh["rows"]) - 1
        else:
            last_search = rng.r1
        start = None
        for r in range(rng.r0, last_search + 1):
            if self._row_has_data(sh, r, rng.c0, rng.c1):
                start = r
                break
        table_range = None
        if start is None:
            write_row, write_col = rng.r0, rng.c0
        else:
            end = start
            while self._row_has_data(sh, end + 1, rng.c0, rng.c1):
                end += 1
            cols = [c for r in range(start, end + 1) for c, v in enumerate(sh["rows"][r])
                    if v is not None and c >= rng.c0 and (rng.c1 is None or c <= rng.c1)]
            write_row, write_col = end + 1, min(cols)
            table_range = _range_text(sh["title"], start, min(cols), end, max(cols))
        if write_col + ncols > sh["columnCount"]:
            raise self._grid_error(sh, _range_text(sh["title"], write_row, write_col, write_row,
                                                   write_col + max(ncols, 1) - 1))
        if nrows:
            if insert == "INSERT_ROWS":
                _insert_rows(sh, write_row, nrows)
            elif write_row + nrows > sh["rowCount"]:
                sh["rowCount"] = write_row + nrows
        updates = self._write_block(ss, sh, write_row, write_col, values, input_option, text)
        if _truthy(q.get("includeValuesInResponse")) and "updatedRows" in updates:
            updates["updatedData"] = self._values_get(
                ss, updates["updatedRange"],
                {"valueRenderOption": q.get("responseValueRenderOption"),
                 "dateTimeRenderOption": q.get("responseDateTimeRenderOption")})
        out = {"spreadsheetId": ss["spreadsheetId"], "updates": updates}
        if table_range:
            out["tableRange"] = table_range
        return out

    def _values_clear(self, ss: dict, text: str) -> str:
        sh, rng = self._resolve(ss, text)
        r0, c0, r1, c1 = self._read_bounds(sh, rng)
        for r in range(r0, min(r1, len(sh["rows"]) - 1) + 1):
            for c in range(c0, min(c1, len(sh["rows"][r]) - 1) + 1):
                self._put(ss, sh, r, c, None)
        return _range_text(sh["title"], r0, c0, r1, c1)

    # ---- spreadsheets.batchUpdate
    _IGNORED = {
        "repeatCell", "updateDimensionProperties", "autoResizeDimensions", "updateBorders",
        "mergeCells", "unmergeCells", "setBasicFilter", "clearBasicFilter",
        "addConditionalFormatRule", "updateConditionalFormatRule", "deleteConditionalFormatRule",
        "setDataValidation", "addProtectedRange", "updateProtectedRange", "deleteProtectedRange",
        "addBanding", "updateBanding", "deleteBanding", "addFilterView", "deleteFilterView",
    }

    def _batch_update(self, ss: dict, payload: dict) -> dict:
        requests = payload.get("requests")
        if not isinstance(requests, list) or not requests:
            raise _bad("Must specify at least one request.")
        replies = []
        for i, req in enumerate(requests):
            if not isinstance(req, dict) or len(req) != 1:
                raise _bad(f"Invalid requests[{i}]: exactly one request kind per entry")
            (name, body), = req.items()
            where = f"Invalid requests[{i}].{name}: "
            handler = getattr(self, f"_req_{name}", None)
            if handler is not None:
                replies.append(handler(ss, body or {}, where))
            elif name in self._IGNORED:
                fields = str((body or {}).get("fields", ""))
                if name == "repeatCell" and ("userEnteredValue" in fields or fields == "*"):
                    raise _bad(f"{where}sheets_standin does not implement repeatCell values")
                self.ignored_requests.append((name, body))
                replies.append({})
            else:
                raise _bad(f"Invalid requests[{i}]: sheets_standin does not implement '{name}'")
        return {"spreadsheetId": ss["spreadsheetId"], "replies": replies}

    def _check_title(self, ss: dict, title: str, where: str, ignore: dict | None = None) -> None:
        if not title:
            raise _bad(f"{where}Sheet name must not be empty")
        for sh in ss["sheets"]:
            if sh is not ignore and sh["title"].casefold() == title.casefold():
                raise _bad(f'{where}A sheet with the name "{title}" already exists. '
                           "Please enter another name.")

    def _req_addSheet(self, ss, body, where):
        props = body.get("properties") or {}
        title = props.get("title")
        if title is None:
            n = len(ss["sheets"]) + 1
            while any(s["title"] == f"Sheet{n}" for s in ss["sheets"]):
                n += 1
            title = f"Sheet{n}"
        self._check_title(ss, title, where)
        gp = props.get("gridProperties") or {}
        sheet_id = props.get("sheetId")
        if sheet_id is None:
            sheet_id = self._new_sheet_id(ss)
        elif any(s["sheetId"] == sheet_id for s in ss["sheets"]):
            raise _bad(f"{where}A sheet with the id {sheet_id} already exists.")
        sh = self._new_sheet(title, sheet_id, int(gp.get("rowCount", DEFAULT_ROWS)),
                             int(gp.get("columnCount", DEFAULT_COLS)))
        sh["hidden"] = bool(props.get("hidden", False))
        sh["frozenRowCount"] = int(gp.get("frozenRowCount", 0))
        sh["frozenColumnCount"] = int(gp.get("frozenColumnCount", 0))
        index = props.get("index")
        if index is None or index >= len(ss["sheets"]):
            ss["sheets"].append(sh)
        else:
            ss["sheets"].insert(max(0, int(index)), sh)
        return {"addSheet": {"properties": self._sheet_properties(ss, sh)}}

    def _req_deleteSheet(self, ss, body, where):
        sh = self._sheet_by_id(ss, body.get("sheetId"), where)
        if len(ss["sheets"]) == 1:
            raise _bad(f"{where}You can't remove all the sheets in a document.")
        ss["sheets"].remove(sh)
        return {}

    def _req_duplicateSheet(self, ss, body, where):
        src = self._sheet_by_id(ss, body.get("sourceSheetId"), where)
        title = body.get("newSheetName") or f"Copy of {src['title']}"
        self._check_title(ss, title, where)
        new = copy.deepcopy(src)
        new["title"] = title
        new["sheetId"] = body.get("newSheetId") or self._new_sheet_id(ss)
        for (r, c) in new["formulas"]:
            self.formula_log.append((ss["spreadsheetId"], title, cell_a1(r, c), new["rows"][r][c]))
        index = body.get("insertSheetIndex")
        if index is None or index >= len(ss["sheets"]):
            ss["sheets"].append(new)
        else:
            ss["sheets"].insert(int(index), new)
        return {"duplicateSheet": {"properties": self._sheet_properties(ss, new)}}

    def _req_updateSpreadsheetProperties(self, ss, body, where):
        fields = _fields(body.get("fields"))
        props = body.get("properties") or {}
        if "title" in props and ("title" in fields or "*" in fields):
            ss["title"] = props["title"]
        if "timeZone" in props and ("timeZone" in fields or "*" in fields):
            ss["timeZone"] = props["timeZone"]
        if "locale" in props and ("locale" in fields or "*" in fields):
            ss["locale"] = props["locale"]
        return {}

    def _req_updateSheetProperties(self, ss, body, where):
        props = body.get("properties") or {}
        fields = _fields(body.get("fields"))
        if not fields:
            raise _bad(f"{where}At least one field must be updated, but none were specified.")
        sh = self._sheet_by_id(ss, props.get("sheetId", 0), where)
        gp = props.get("gridProperties") or {}
        star = "*" in fields

        def want(path: str) -> bool:
            return star or path in fields or path.split(".")[0] in fields

        if want("title") and "title" in props:
            self._check_title(ss, props["title"], where, ignore=sh)
            sh["title"] = props["title"]
        if want("hidden"):
            sh["hidden"] = bool(props.get("hidden", False))
        if want("index") and "index" in props:
            ss["sheets"].remove(sh)
            ss["sheets"].insert(min(int(props["index"]), len(ss["sheets"])), sh)
        if want("gridProperties.rowCount") and "rowCount" in gp:
            _resize(sh, rows=int(gp["rowCount"]), where=where)
        if want("gridProperties.columnCount") and "columnCount" in gp:
            _resize(sh, cols=int(gp["columnCount"]), where=where)
        if want("gridProperties.frozenRowCount"):
            sh["frozenRowCount"] = int(gp.get("frozenRowCount", 0))
        if want("gridProperties.frozenColumnCount"):
            sh["frozenColumnCount"] = int(gp.get("frozenColumnCount", 0))
        return {}

    def _dimension_range(self, ss, rng, where):
        sh = self._sheet_by_id(ss, rng.get("sheetId", 0), where)
        dim = rng.get("dimension")
        if dim not in ("ROWS", "COLUMNS"):
            raise _bad(f"{where}dimension must be ROWS or COLUMNS")
        size = sh["rowCount"] if dim == "ROWS" else sh["columnCount"]
        start = int(rng.get("startIndex") or 0)
        end = rng.get("endIndex")
        end = size if end is None else int(end)
        if start < 0 or end < start:
            raise _bad(f"{where}Invalid dimension range [{start}, {end})")
        return sh, dim, start, end, size

    def _req_insertDimension(self, ss, body, where):
        sh, dim, start, end, size = self._dimension_range(ss, body.get("range") or {}, where)
        if start > size:
            raise _bad(f"{where}Index {start} is beyond the grid size {size}")
        if body.get("inheritFromBefore") and start == 0:
            raise _bad(f"{where}Cannot inherit from before when inserting at index 0")
        if dim == "ROWS":
            _insert_rows(sh, start, end - start)
        else:
            _insert_cols(sh, start, end - start)
        return {}

    def _req_deleteDimension(self, ss, body, where):
        sh, dim, start, end, size = self._dimension_range(ss, body.get("range") or {}, where)
        end = min(end, size)
        if start >= size:
            raise _bad(f"{where}Invalid dimension range: beyond the grid")
        if end - start >= size:
            what = "rows" if dim == "ROWS" else "columns"
            raise _bad(f"{where}You can't delete all the {what} on the sheet.")
        if dim == "ROWS":
            _delete_rows(sh, start, end)
        else:
            _delete_cols(sh, start, end)
        return {}

    def _req_appendDimension(self, ss, body, where):
        sh = self._sheet_by_id(ss, body.get("sheetId", 0), where)
        length = int(body.get("length") or 0)
        if length < 1:
            raise _bad(f"{where}length must be positive")
        if body.get("dimension") == "ROWS":
            sh["rowCount"] += length
        elif body.get("dimension") == "COLUMNS":
            sh["columnCount"] += length
        else:
            raise _bad(f"{where}dimension must be ROWS or COLUMNS")
        return {}

    def _cell_value(self, ss, sh, r, c, cell, where):
        uev = (cell or {}).get("userEnteredValue")
        if uev is None:
            self._put(ss, sh, r, c, None)
            return
        if "formulaValue" in uev:
            self._put(ss, sh, r, c, str(uev["formulaValue"]), is_formula=True)
        elif "stringValue" in uev:
            self._put(ss, sh, r, c, str(uev["stringValue"]))
        elif "numberValue" in uev:
            self._put(ss, sh, r, c, _norm_number(uev["numberValue"]))
        elif "boolValue" in uev:
            self._put(ss, sh, r, c, bool(uev["boolValue"]))
        elif "errorValue" in uev:
            raise _bad(f"{where}userEnteredValue.errorValue is not supported")
        else:
            self._put(ss, sh, r, c, None)

    def _req_updateCells(self, ss, body, where):
        fields = _fields(body.get("fields"))
        if not fields:
            raise _bad(f"{where}At least one field must be updated, but none were specified.")
        rows = body.get("rows") or []
        if "start" in body:
            start = body["start"] or {}
            sh = self._sheet_by_id(ss, start.get("sheetId", 0), where)
            r0, c0 = int(start.get("rowIndex") or 0), int(start.get("columnIndex") or 0)
            r1 = r0 + len(rows) - 1
            c1 = c0 + max((len(r.get("values") or []) for r in rows), default=0) - 1
        elif "range" in body:
            g = body["range"] or {}
            sh = self._sheet_by_id(ss, g.get("sheetId", 0), where)
            r0, c0 = int(g.get("startRowIndex") or 0), int(g.get("startColumnIndex") or 0)
            r1 = int(g["endRowIndex"]) - 1 if g.get("endRowIndex") is not None else sh["rowCount"] - 1
            c1 = (int(g["endColumnIndex"]) - 1 if g.get("endColumnIndex") is not None
                  else sh["columnCount"] - 1)
        else:
            raise _bad(f"{where}Either start or range must be set")
        if not ("*" in fields or "userEnteredValue" in fields):
            self.ignored_requests.append(("updateCells", body))
            return {}
        if r1 >= sh["rowCount"] or c1 >= sh["columnCount"]:
            raise self._grid_error(sh, _range_text(sh["title"], r0, c0, max(r0, r1), max(c0, c1)))
        for r in range(r0, r1 + 1):
            cells = (rows[r - r0].get("values") or []) if r - r0 < len(rows) else []
            for c in range(c0, c1 + 1):
                cell = cells[c - c0] if c - c0 < len(cells) else None
                self._cell_value(ss, sh, r, c, cell, where)
        return {}

    def _req_appendCells(self, ss, body, where):
        sh = self._sheet_by_id(ss, body.get("sheetId", 0), where)
        fields = _fields(body.get("fields"))
        if not fields:
            raise _bad(f"{where}At least one field must be updated, but none were specified.")
        rows = body.get("rows") or []
        last = -1
        for r in range(len(sh["rows"]) - 1, -1, -1):
            if any(v is not None for v in sh["rows"][r]):
                last = r
                break
        start = last + 1
        width = max((len(r.get("values") or []) for r in rows), default=0)
        if width > sh["columnCount"]:
            raise self._grid_error(sh, _range_text(sh["title"], start, 0, start, width - 1))
        if start + len(rows) > sh["rowCount"]:
            sh["rowCount"] = start + len(rows)
        if "*" in fields or "userEnteredValue" in fields:
            for i, row in enumerate(rows):
                for j, cell in enumerate(row.get("values") or []):
                    self._cell_value(ss, sh, start + i, j, cell, where)
        return {}

    # ---- minimal Drive v3 (what gspread's Client.open/create/del/metadata use)
    def _drive(self, method: str, raw_path: str, query: dict, body: bytes):
        rest = raw_path[len("/drive/v3/files"):]
        with self._lock:
            if rest in ("", "/"):
                if method == "GET":
                    q = (query.get("q") or [""])[-1]
                    m = re.search(r"name\s*=\s*(['\"])(.*?)\1", q)
                    files = [self._drive_file(ss) for ss in self.spreadsheets.values()
                             if m is None or ss["title"] == m.group(2)]
                    return 200, {"kind": "drive#fileList", "incompleteSearch": False,
                                 "files": files}, {}
                if method == "POST":
                    payload = _json_body(body)
                    if payload.get("mimeType") != SHEETS_MIME:
                        raise _ApiError(400, "sheets_standin only creates spreadsheets")
                    sid = self.create_spreadsheet(payload.get("name") or "Untitled spreadsheet")
                    return 200, {"kind": "drive#file", "id": sid,
                                 "name": self.spreadsheets[sid]["title"], "mimeType": SHEETS_MIME}, {}
            m = re.fullmatch(r"/([^/]+)", rest)
            if m:
                fid = unquote(m.group(1))
                ss = self.spreadsheets.get(fid)
                if ss is None:
                    msg = f"File not found: {fid}."
                    raise _ApiError(404, body={"error": {
                        "code": 404, "message": msg,
                        "errors": [{"domain": "global", "reason": "notFound", "message": msg,
                                    "locationType": "parameter", "location": "fileId"}]}})
                if method == "GET":
                    return 200, self._drive_file(ss), {}
                if method == "DELETE":
                    del self.spreadsheets[fid]
                    return 204, None, {}
        raise _ApiError(404, f"sheets_standin does not implement {method} {unquote(raw_path)}",
                        "NOT_FOUND")

    @staticmethod
    def _drive_file(ss: dict) -> dict:
        return {"kind": "drive#file", "id": ss["spreadsheetId"], "name": ss["title"],
                "mimeType": SHEETS_MIME, "createdTime": ss["createdTime"],
                "modifiedTime": ss["modifiedTime"]}


# --------------------------------------------------------------------------- grid helpers

def _now_rfc3339() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _json_body(body: bytes) -> dict:
    if not body:
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        raise _bad("Invalid JSON payload received.") from None
    if not isinstance(data, dict):
        raise _bad("Invalid JSON payload received. Expected an object.")
    return data


def _fields(mask: Any) -> set:
    if not mask:
        return set()
    return {f.strip().replace("/", ".") for f in str(mask).split(",") if f.strip()}


def _safe_parse(text: str):
    try:
        return parse_a1(text).as_tuple()
    except ValueError:
        return None


def _a1_text_for_error(sh: dict, rng: A1Range) -> str:
    text = rng.text
    if "!" in text or text.startswith("'"):
        return text
    return f"{sheet_ref(sh['title'])}!{text}"


def _trim(grid: list[list[Any]], is_empty) -> list[list[Any]]:
    out = []
    for row in grid:
        row = list(row)
        while row and is_empty(row[-1]):
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def _remap(sh: dict, fn) -> None:
    sh["formulas"] = {k for k in (fn(*rc) for rc in sh["formulas"]) if k is not None}
    sh["display"] = {k: v for k, v in ((fn(*rc), v) for rc, v in sh["display"].items())
                     if k is not None}


def _insert_rows(sh: dict, start: int, n: int) -> None:
    if n <= 0:
        return
    if start < len(sh["rows"]):
        sh["rows"][start:start] = [[] for _ in range(n)]
    sh["rowCount"] += n
    _remap(sh, lambda r, c: (r + n, c) if r >= start else (r, c))


def _delete_rows(sh: dict, start: int, end: int) -> None:
    n = end - start
    del sh["rows"][start:end]
    sh["rowCount"] -= n
    _remap(sh, lambda r, c: None if start <= r < end else ((r - n, c) if r >= end else (r, c)))


def _insert_cols(sh: dict, start: int, n: int) -> None:
    if n <= 0:
        return
    for row in sh["rows"]:
        if start < len(row):
            row[start:start] = [None] * n
    sh["columnCount"] += n
    _remap(sh, lambda r, c: (r, c + n) if c >= start else (r, c))


def _delete_cols(sh: dict, start: int, end: int) -> None:
    n = end - start
    for row in sh["rows"]:
        del row[start:end]
    sh["columnCount"] -= n
    _remap(sh, lambda r, c: None if start <= c < end else ((r, c - n) if c >= end else (r, c)))


def _resize(sh: dict, rows: int | None = None, cols: int | None = None, where: str = "") -> None:
    if rows is not None:
        if rows < 1:
            raise _bad(f"{where}rowCount must be at least 1")
        if rows < len(sh["rows"]):
            del sh["rows"][rows:]
        sh["rowCount"] = rows
        _remap(sh, lambda r, c: (r, c) if r < rows else None)
    if cols is not None:
        if cols < 1 or cols > MAX_COLS:
            raise _bad(f"{where}columnCount must be between 1 and {MAX_COLS}")
        for row in sh["rows"]:
            del row[cols:]
        sh["columnCount"] = cols
        _remap(sh, lambda r, c: (r, c) if c < cols else None)


# --------------------------------------------------------------------------- client helpers

def write_service_account_file(path, standin: SheetsStandIn, *,
                               client_email: str = "sop-tracker-tests@standin-project.iam.gserviceaccount.com",
                               register: bool = True) -> dict:
    """Generate an RSA key, write a service-account JSON whose token_uri is the
    stand-in, register the public key with the stand-in (unless register=False)
    and return the JSON as a dict."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode("ascii")
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    key_id = secrets.token_hex(20)
    info = {
        "type": "service_account",
        "project_id": "standin-project",
        "private_key_id": key_id,
        "private_key": private_pem,
        "client_email": client_email,
        "client_id": str(random.randint(10**20, 10**21 - 1)),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": standin.token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/"
        + client_email.replace("@", "%40"),
        "universe_domain": "googleapis.com",
    }
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(info, fh, indent=2)
    if register:
        standin.register_service_account(client_email, key_id, public_pem)
    return info


def make_client(standin: SheetsStandIn, sa_file, *, backoff: bool = True,
                timeout: float | None = 10.0, scopes: list[str] | None = None):
    """A real gspread.Client signed in with ``sa_file`` whose Sheets/Drive
    traffic goes to ``standin`` (via data_access.sheets_http)."""
    from google.oauth2.service_account import Credentials

    from data_access.sheets_http import make_gspread_client

    creds = Credentials.from_service_account_file(str(sa_file), scopes=scopes or SCOPES)
    return make_gspread_client(creds, api_base=standin.url, backoff=backoff, timeout=timeout)
