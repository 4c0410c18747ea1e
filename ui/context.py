"""The thin UI edge every page uses: the store, the signed-in actor, texts, the permission guard,
and errors shown as messages instead of tracebacks. Caches live here, never in data_access."""
from __future__ import annotations

import contextlib
import functools
import logging
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

import streamlit as st

from data_access.config import Settings, install_clock, load_settings
from data_access.repository import Insert, Log, Repository, Update, numbered_in
from data_access.schema import TABLES
from data_access.snapshot import SnapshotStore
from domain import bureau_calendar
from domain import sign_in_sessions
from domain.calendar import WorkCalendar
from domain.errors import (DomainError, PermissionDenied, StaleWriteError, StoreUnavailableError, ValidationError,
                           ValidationErrors)
from domain.permissions import NOBODY, Actor, allowed
from domain.texts import DEFAULT_LANG, in_lang, t
from ui.navigation import spec_for
from ui.page_reads import CALENDAR_TABLES, SIGN_IN_TABLES
from ui import safe_text

log = logging.getLogger("sop_tracker")
READ_CACHE_SECONDS = 30


@st.cache_resource(show_spinner=False)
def _settings() -> Settings:
    s = load_settings()
    install_clock(s)  # once per server process, before any page reads the time
    return s


def settings() -> Settings:
    return _settings()


# How long the DuckDB file stays open after a request: the next one that comes within it does not
# open it again; idle that long, it is let go for the command-line tools (README).
STORE_LINGER_SECONDS = 2.0


@st.cache_resource(show_spinner="Menyiapkan penyimpanan data …")
def _repository() -> Repository:
    from data_access.demo import load_demo_if_empty
    from data_access.factory import open_repository

    from domain import timing_update
    from domain.calendar import now

    from data_access.work_calendar import load_calendar

    s = settings()
    repo = open_repository(s, linger=STORE_LINGER_SECONDS)
    with one_server_at_a_time(repo):  # servers starting at once on one store: one loads, the others find it done
        if s.demo_data:
            load_demo_if_empty(repo, load_calendar(repo, s), file_store(repo))
        timing_update.bring_up_to_date(repo, load_calendar(repo, s), now())  # once per store: under the current rule
    return _Watched(repo)


@contextmanager
def held_store(usable: bool = True) -> Iterator[None]:
    """One script run's reads on one open store: DuckDB opens its file once for the page view rather
    than once for each read (each close writes the file's log into it), PostgreSQL keeps this thread
    on one connection. Released when the run ends, however it ends (st.stop and st.rerun included)."""
    session = getattr(repo(), "session", None) if usable else None
    with contextlib.ExitStack() as stack:
        if callable(session):
            try:
                stack.enter_context(session())
            except Exception:  # noqa: BLE001 - the store's own error is shown at the run's first read
                log.warning("store not held for this run", exc_info=True)
        yield


def one_server_at_a_time(store: Repository):
    """A block that app servers sharing ``store`` run one after the other (their start-up work); on a
    store only one process opens (DuckDB) or one app process serves (Google Sheets), nothing to wait for."""
    exclusive = getattr(store, "exclusive", None)
    return exclusive() if callable(exclusive) else contextlib.nullcontext()


def repo() -> Repository:
    return _repository()


# Tables whose cached read a write of this app does not drop. The flood counters: a save counting on
# an out-of-date read is refused by the store (its version or ID has moved on) and counted again on a
# fresh read (domain.flood_limits.apply_counted), so the complaint form need not read them anew
# after every filing. Nor does a session's "last seen" written alone (sign_in_sessions.is_touch): every
# page reads the sessions, and a read a few minutes behind on it only brings the next write sooner.
KEPT_AFTER_WRITES = frozenset({"flood_counts"})


class _Watched:
    """The store as the app uses it: a write also drops the cached reads of the tables it touched
    (their ``read_generation`` moves on), so the next view shows it; reads of other tables stay."""

    def __init__(self, store: Repository):
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def apply(self, writes, actor: str, at=None):
        try:
            return self._store.apply(writes, actor, at)
        finally:  # also after an error: a write whose reply was lost may have landed
            if not all(map(sign_in_sessions.is_touch, writes)):
                tables = {w.table for w in writes if isinstance(w, (Insert, Update))} | {"audit"}
                _moved_on((tables - KEPT_AFTER_WRITES) | ({"sequences"} if numbered_in(writes) else set()))

    def next_number(self, sequence: str, actor: str) -> int:
        try:
            return self._store.next_number(sequence, actor)
        finally:
            _moved_on({"sequences"})

    def import_rows(self, table: str, rows) -> int:
        try:
            return self._store.import_rows(table, rows)
        finally:
            _moved_on({table})


class _Generations:
    """How many times each table was written by this process (every browser session of it), moved on
    also for the writes of other app servers of the same store as the store's own counts show them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._store_counts: dict[str, int] = {}

    def move_on(self, tables) -> None:
        with self._lock:
            for table in tables:
                self._counts[table] = self._counts.get(table, 0) + 1

    def sync(self, store_counts: dict[str, int]) -> None:
        """Move on every table whose count in the store changed since the last look."""
        with self._lock:
            for table, n in store_counts.items():
                if self._store_counts.get(table) != n:
                    self._counts[table] = self._counts.get(table, 0) + 1
            self._store_counts = dict(store_counts)

    def of(self, tables: Sequence[str]) -> tuple[int, ...]:
        with self._lock:
            return tuple(self._counts.get(t, 0) for t in tables)


@st.cache_resource(show_spinner=False)
def _generations() -> _Generations:
    return _Generations()


def _moved_on(tables) -> None:
    _generations().move_on(tables)


def read_generation(*tables: str) -> tuple[int, ...]:
    """A key that changes whenever this app writes one of ``tables``: for caches derived from them."""
    return _generations().of(tables)


def begin_action() -> None:
    """Each script run is one user action (a page view, a click): the store's retry budget starts
    afresh, and once the store could not be reached the rest of the run does not wait again. On a
    store several app servers share (PostgreSQL), the cached reads of the tables another server wrote
    meanwhile are dropped first: one small read of the store's counts of writes per table."""
    store = repo()
    if hasattr(store, "begin_action"):
        store.begin_action()
    if hasattr(store, "change_counts"):
        _generations().sync(store.change_counts())


def calendar() -> WorkCalendar:
    """The Bureau's working-time calendar: the configured standard day and the Admin's entries, as
    this process last read them (at most READ_CACHE_SECONDS ago; its own changes at once)."""
    s = settings()
    return bureau_calendar.calendar_from(_calendar_entries(repo().backend, read_generation(*CALENDAR_TABLES)),
                                         s.office_start, s.office_end)


@st.cache_data(ttl=READ_CACHE_SECONDS, show_spinner=False, max_entries=8)
def _calendar_entries(backend: str, generation: tuple[int, ...]) -> list[dict]:
    # On Google Sheets from the page view's one batch read (every view names the calendar's table).
    return page_source(*CALENDAR_TABLES).list("calendar_entries")


def file_store(store: Repository | None = None):
    """Where attachment files live (complaint attachments, the register's signed PDFs): the database
    itself on PostgreSQL (every app server reaches it), else the attachments folder."""
    from data_access.file_store import open_file_store

    return open_file_store(settings(), repo() if store is None else store)


LANG = "lang"  # the session's language (ui.language keeps it per browser and per account)


def lang() -> str:
    return st.session_state.get(LANG, DEFAULT_LANG)


def tr(key: str, **params) -> str:
    """A catalogue text as plain text (for st.text, tables, select options, file contents)."""
    return t(key, lang(), **params)


def say(key: str, **params) -> str:
    """A catalogue text for a place that renders Markdown, its values made inert (ui.safe_text)."""
    return safe_text.say(key, lang(), **params)


def client_address() -> str | None:
    """The address of the browser making this request, for the flood limits. Behind a reverse proxy
    every request comes from the proxy, so ``client_address_header`` names the header the proxy sets
    (e.g. ``X-Real-IP``); its last entry is the one the proxy itself wrote. None when unknown (a
    browser on the server itself): such requests are counted together."""
    try:
        header = settings().client_address_header
        if header:
            value = st.context.headers.get(header)
            value = value.split(",")[-1].strip() if isinstance(value, str) else ""
        else:
            value = st.context.ip_address
        return value[:64] if isinstance(value, str) and value else None
    except Exception:  # noqa: BLE001 - no browser request (bare runs, tests)
        return None


def current_actor() -> Actor:
    """The signed-in account as an Actor; NOBODY when no one is signed in."""
    actor = st.session_state.get("actor")
    return actor if isinstance(actor, Actor) else NOBODY


def record_refusal(actor: Actor, action: str, where: str) -> None:
    try:
        repo().apply([Log("permission_refused", "page", where, action)], actor=actor.audit_name)
    except DomainError:  # the refusal itself is shown even if the audit cannot be written
        log.warning("could not audit refusal of %s on %s", action, where)


def require(action: str, where: str = "") -> Actor:
    """Server-side guard at the top of every page: refuse and stop unless the actor may ``action``.

    Hiding a page from the navigation is not enough; a direct URL runs the page file, so the page
    itself refuses here."""
    actor = current_actor()
    if not allowed(actor, action):
        record_refusal(actor, action, where or action)
        st.error(tr("error.page_denied"))
        st.stop()
    return actor


@dataclass
class Page:
    actor: Actor
    repo: Repository  # the store: fresh reads for an action, and every save
    calendar: WorkCalendar
    settings: Settings
    lang: str

    def tr(self, key: str, **params) -> str:
        return t(key, self.lang, **params)

    @functools.cached_property
    def source(self) -> Repository | SnapshotStore:
        """What the page shows, read through its one cached batch read on Google Sheets (the store
        itself on DuckDB); saves made through it go to the store, which checks versions afresh."""
        return view_source()
    def say(self, key: str, **params) -> str:
        return safe_text.say(key, self.lang, **params)


def page(action: str, where: str = "") -> Page:
    """What a page starts with: its reads named (app.py names them first, for the sign-in check),
    the guard, then its tools."""
    spec = spec_for(where)
    if spec is not None:
        set_view(spec.reads)
    actor = require(action, where)
    return Page(actor, repo(), calendar(), settings(), lang())


def error_message(exc: BaseException) -> str:
    if isinstance(exc, StaleWriteError):
        changed = ", ".join(f"{k} → {v}" for k, v in exc.changed.items()) or "–"
        from domain.calendar import format_datetime

        when = format_datetime(exc.saved_at, lang()) if exc.saved_at else "–"
        return tr("error.stale", who=exc.saved_by or tr("error.someone"), when=when, changed=changed)
    if isinstance(exc, PermissionDenied):
        return in_lang(exc.explanation, lang()) or tr("error.permission")
    if isinstance(exc, ValidationErrors):  # every problem of the form at once, one per line
        return "\n".join([tr("error.several", n=len(exc.errors))] + [f"• {text}" for text in exc.texts(lang())])
    if isinstance(exc, DomainError) and exc.keyed:  # worded by the catalogue, in the reader's language
        return exc.text(lang())
    if isinstance(exc, ValidationError):
        return exc.message
    if isinstance(exc, StoreUnavailableError):
        return tr("error.store_unavailable", message=exc.message)
    if isinstance(exc, DomainError):
        return exc.message or tr(exc.key)
    ref = uuid.uuid4().hex[:8]
    log.exception("unexpected error %s", ref)
    return tr("error.unexpected", ref=ref)


def show_error(exc: BaseException) -> None:
    if isinstance(exc, PermissionDenied):  # a refused write (e.g. a crafted widget value) is audited too
        record_refusal(current_actor(), exc.action, "write")
    if isinstance(exc, StaleWriteError):  # what this page read is older than the store: read afresh next run
        clear_read_caches()
    st.error(safe_text.md(error_message(exc)), icon="⚠️")


@contextmanager
def shown_errors() -> Iterator[None]:
    """Run a user action; any error becomes a message in the page, never a traceback."""
    try:
        yield
    except DomainError as exc:
        show_error(exc)
    except Exception as exc:  # noqa: BLE001 - the last line of defence before the browser
        show_error(exc)


def attempt(fn: Callable[..., Any], *args, **kwargs) -> tuple[bool, Any]:
    """Call a domain write; on error show it and return (False, exc) so the form keeps its input."""
    try:
        return True, fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001
        show_error(exc)
        return False, exc


def clear_read_caches() -> None:
    """Writes call this so the next read sees them (read caches are short-lived st.cache_data)."""
    st.cache_data.clear()


VIEW = "_view_tables"


def set_view(tables: Sequence[str]) -> None:
    """Name the tables this run's page shows: with the accounts the sign-in check reads, they are
    the page's ONE batch read on Google Sheets."""
    st.session_state[VIEW] = tuple(dict.fromkeys((*SIGN_IN_TABLES, *CALENDAR_TABLES, *tables)))


def view_tables() -> tuple[str, ...]:
    return st.session_state.get(VIEW, (*SIGN_IN_TABLES, *CALENDAR_TABLES))


@st.cache_data(ttl=READ_CACHE_SECONDS, show_spinner=False, max_entries=32)
def _cached_frames(tables: tuple[str, ...], backend: str, generation: tuple[int, ...]) -> dict:
    return repo().frames(list(tables))


def cached_frames(*tables: str) -> dict:
    """Tables as DataFrames from ONE store read (one values:batchGet on Google Sheets), kept for
    READ_CACHE_SECONDS so reruns and other sessions cost no call. Tables of this run's page view
    come from the view's one read; a write by this app drops the reads of the tables it wrote."""
    wanted = tuple(dict.fromkeys(tables))
    view = view_tables()
    read = view if set(wanted) <= set(view) else wanted
    frames = _cached_frames(read, repo().backend, read_generation(*read))
    return {t: frames[t] for t in wanted}


def page_source(*tables: str) -> Repository | SnapshotStore:
    """What a page reads and saves through: on a database (DuckDB, PostgreSQL) the store itself
    (cheap filtered queries); on Google Sheets a SnapshotStore of ``tables`` from ONE cached batch
    read, whose saves go to the store (one fresh read for the version check, one write)."""
    store = repo()
    if store.backend in ("duckdb", "postgres"):
        return store
    return SnapshotStore(cached_frames(*tables), store)


def unreadable_cells(check_all: bool = False) -> list:
    """Cells of the store that cannot be read as their column's type (values typed by hand into
    Google Sheets), as found by the latest whole read of each table in this process; ``check_all``
    first reads every table (one batch read). Empty on a store with typed columns (DuckDB)."""
    store = repo()
    if not hasattr(store, "unreadable_cells"):
        return []
    if check_all:
        store.frames(list(TABLES))
    return store.unreadable_cells()


def view_source() -> Repository | SnapshotStore:
    """This run's page view as a source (see ``page_source``): the sign-in check reads from it too."""
    return page_source(*view_tables())
