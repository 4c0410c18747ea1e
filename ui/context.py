"""The thin UI edge every page uses: the store, the signed-in actor, texts, the permission guard,
and errors shown as messages instead of tracebacks. Caches live here, never in data_access."""
from __future__ import annotations

import logging
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import streamlit as st

from data_access.config import Settings, load_settings
from data_access.repository import Log, Repository
from data_access.snapshot import SnapshotStore
from domain.calendar import WorkCalendar
from domain.errors import DomainError, PermissionDenied, StaleWriteError, StoreUnavailableError, ValidationError
from domain.permissions import NOBODY, Actor, allowed
from domain.texts import DEFAULT_LANG, t
from ui import safe_text

log = logging.getLogger("sop_tracker")


@st.cache_resource(show_spinner=False)
def _settings() -> Settings:
    return load_settings()


def settings() -> Settings:
    return _settings()


@st.cache_resource(show_spinner="Menyiapkan penyimpanan data …")
def _repository() -> Repository:
    from data_access.demo import load_demo_if_empty
    from data_access.factory import open_repository

    s = settings()
    repo = open_repository(s)
    if s.demo_data:
        load_demo_if_empty(repo, calendar())
    return repo


def repo() -> Repository:
    return _repository()


@st.cache_resource(show_spinner=False)
def calendar() -> WorkCalendar:
    s = settings()
    return WorkCalendar.from_config(s.office_start, s.office_end)


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANG)


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
    repo: Repository
    calendar: WorkCalendar
    settings: Settings
    lang: str

    def tr(self, key: str, **params) -> str:
        return t(key, self.lang, **params)

    def say(self, key: str, **params) -> str:
        return safe_text.say(key, self.lang, **params)


def page(action: str, where: str = "") -> Page:
    """What a page starts with: the guard, then its tools."""
    actor = require(action, where)
    return Page(actor, repo(), calendar(), settings(), lang())


def error_message(exc: BaseException) -> str:
    if isinstance(exc, StaleWriteError):
        changed = ", ".join(f"{k} → {v}" for k, v in exc.changed.items()) or "–"
        from domain.calendar import format_datetime

        when = format_datetime(exc.saved_at, lang()) if exc.saved_at else "–"
        return tr("error.stale", who=exc.saved_by or "pengguna lain", when=when, changed=changed)
    if isinstance(exc, ValidationError):
        return exc.message
    if isinstance(exc, StoreUnavailableError):
        return tr("error.store_unavailable", message=exc.message)
    if isinstance(exc, PermissionDenied):
        return exc.explanation or tr("error.permission")
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


READ_CACHE_SECONDS = 30


@st.cache_data(ttl=READ_CACHE_SECONDS, show_spinner=False, max_entries=32)
def _cached_frames(tables: tuple[str, ...], backend: str) -> dict:
    return repo().frames(list(tables))


def cached_frames(*tables: str) -> dict:
    """Tables as DataFrames from ONE store read (one values:batchGet on Google Sheets), kept for
    READ_CACHE_SECONDS so reruns and other sessions cost no call; clear_read_caches() drops them."""
    return _cached_frames(tuple(dict.fromkeys(tables)), repo().backend)


def page_source(*tables: str) -> Repository | SnapshotStore:
    """What a page reads and saves through: on DuckDB the store itself (cheap filtered local
    queries); on Google Sheets a SnapshotStore of ``tables`` from ONE cached batch read, whose saves
    go to the store (one fresh read for the version check, one write)."""
    store = repo()
    if store.backend == "duckdb":
        return store
    return SnapshotStore(cached_frames(*tables), store)
