"""Sign-in seam: keeps ``st.session_state['actor']`` (an Actor) up to date on every run.

A sign-in lives on the server. It starts a session in a registry held in this process; the browser
keeps only a random token in a cookie (``sop_sesi``, SameSite=Strict, Secure under HTTPS) so that
opening another address of the app, or reloading, finds the same sign-in. The token means nothing
once the session ends: sign-out, idle expiry, a disabled account or a password reset end it here,
whatever the browser still holds. A server restart ends every session.

Each run (``enforce_session``, called by app.py before any page):
1. the first administrator is created from secrets.toml if the store has none (once per process);
2. an idle session (``session_timeout_minutes`` without any action) is ended and audited;
3. the account is re-read, so a disabled account or changed roles take effect at the next action;
4. without a sign-in in this browser session, the cookie's token, if still open, restores it;
5. with ``auth_mode = "oidc"``, the email signed in with st.login is mapped to an account.

The account is read from the page's own read (``ui.context.view_source``): on Google Sheets the
page's one cached batch read, so a page opened by its address costs one read in all. When the store
cannot be reached, a session stays signed in as last checked (the registry keeps the account as it
was then) and is checked again at the next action: an outage is shown as such, never as a sign-out
or a refused page.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass

import streamlit as st

from domain.accounts import (
    FailureTally, SignIn, SignInRefused, actor_for, ensure_admin_from_secret, record_sign_out, sign_in_with_email,
)
from domain.errors import DomainError, StoreUnavailableError
from domain.permissions import Actor
from ui.context import current_actor, repo, settings, show_error, tr, view_source

log = logging.getLogger("sop_tracker.auth")

COOKIE = "sop_sesi"
ACTOR, TOKEN, SEEN, CHECKED = "actor", "_auth_token", "_auth_seen", "_auth_checked"
PENDING, NOTICE, CLEAR_COOKIE = "_auth_pending", "_auth_notice", "_auth_clear_cookie"
PENDING_SECONDS = 10 * 60  # time to set a new password after a sign-in that requires it


@dataclass
class _Open:
    account_id: str
    last_seen: float
    actor: Actor | None = None  # the account as last read: what a session keeps while the store is unreachable


class SessionRegistry:
    """Open sign-ins of this server process, by the SHA-256 of their token (the token itself is kept
    only by the browser). Thread-safe: every browser session runs in its own thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, _Open] = {}

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def open(self, account_id: str, now: float, timeout: float, actor: Actor | None = None) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            for key in [k for k, s in self._open.items() if now - s.last_seen > timeout]:
                del self._open[key]
            self._open[self._key(token)] = _Open(account_id, now, actor)
        return token

    def remember(self, token: str | None, actor: Actor) -> None:
        """Keep the account as just read for this sign-in."""
        if token:
            with self._lock:
                entry = self._open.get(self._key(token))
                if entry and entry.account_id == actor.id:
                    entry.actor = actor

    def get(self, token: str | None) -> _Open | None:
        if not token:
            return None
        with self._lock:
            return self._open.get(self._key(token))

    def touch(self, token: str, now: float) -> None:
        with self._lock:
            entry = self._open.get(self._key(token))
            if entry:
                entry.last_seen = max(entry.last_seen, now)

    def close(self, token: str | None) -> None:
        if token:
            with self._lock:
                self._open.pop(self._key(token), None)

    def close_account(self, account_id: str) -> None:
        with self._lock:
            for key in [k for k, s in self._open.items() if s.account_id == account_id]:
                del self._open[key]

    def __len__(self) -> int:
        return len(self._open)


@st.cache_resource(show_spinner=False)
def registry() -> SessionRegistry:
    return SessionRegistry()


@st.cache_resource(show_spinner=False)
def failure_tally() -> FailureTally:
    """Failed sign-ins per username for this server process (a reload does not reset it)."""
    return FailureTally(window=dt.timedelta(minutes=max(1, int(settings().lockout_minutes))))


@st.cache_resource(show_spinner=False)
def _first_admin_from_secrets() -> str | None:
    """Create the administrator named in secrets.toml on first start; a refusal is kept to show."""
    extra = settings().extra
    try:
        made = ensure_admin_from_secret(repo(), extra.get("admin_username"), extra.get("admin_password"))
    except DomainError as exc:
        log.warning("first administrator from secrets.toml not created: %s", exc.message)
        return exc.message
    if made:
        log.info("first administrator %s created from secrets.toml", made["username"])
    return None


def first_admin_problem() -> str | None:
    try:
        return _first_admin_from_secrets()
    except Exception:  # noqa: BLE001 - the store's own error is shown by app.py
        return None


def _timeout() -> float:
    return max(1, int(settings().session_timeout_minutes)) * 60.0


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no browser request (tests, bare mode)
        return None
    return token if isinstance(token, str) and 20 <= len(token) <= 100 else None


def _audit_end(actor: Actor, expired: bool) -> None:
    try:
        record_sign_out(repo(), actor, expired=expired)
    except DomainError as exc:  # the sign-out itself must still happen
        log.warning("could not audit the end of a session: %s", exc.message)


def start_session(actor: Actor) -> None:
    """Sign ``actor`` in for this browser session (and, through the cookie, its other tabs)."""
    now = time.time()
    registry().close(st.session_state.get(TOKEN))
    st.session_state[ACTOR] = actor
    st.session_state[TOKEN] = registry().open(actor.id, now, _timeout(), actor)
    st.session_state[SEEN] = st.session_state[CHECKED] = now
    for key in (PENDING, CLEAR_COOKIE):
        st.session_state.pop(key, None)


def end_session(*, expired: bool = False, notice: str | None = None, audit: bool = True) -> None:
    actor = current_actor()
    if audit:
        _audit_end(actor, expired)
    registry().close(st.session_state.get(TOKEN))
    for key in (ACTOR, TOKEN, SEEN, CHECKED, PENDING):
        st.session_state.pop(key, None)
    st.session_state[CLEAR_COOKIE] = True
    if notice:
        st.session_state[NOTICE] = notice


def signed_in(result: SignIn) -> None:
    """After a password check: start the session, or first ask for a new password."""
    if result.must_change_password:
        st.session_state[PENDING] = {"actor": result.actor, "since": time.time()}
    else:
        start_session(result.actor)


def pending_change() -> Actor | None:
    """The account that signed in and must set a new password before its session starts."""
    pending = st.session_state.get(PENDING)
    if not pending:
        return None
    if time.time() - pending["since"] > PENDING_SECONDS:
        st.session_state.pop(PENDING, None)
        return None
    return pending["actor"]


def cancel_pending() -> None:
    st.session_state.pop(PENDING, None)


def _account(account_id: str) -> dict | None:
    """The account as this page view reads it (its one cached read on Google Sheets)."""
    return view_source().get("accounts", account_id)


def _refreshed(actor: Actor) -> Actor | None:
    """The actor as the store now has it; None when the account may no longer be signed in."""
    account = _account(actor.id)
    if account is None or not account.get("active") or account.get("must_change_password"):
        return None
    return actor_for(account)


def _restore_from_cookie(now: float) -> None:
    token = _cookie_token()
    entry = registry().get(token)
    if token and entry is None:
        st.session_state[CLEAR_COOKIE] = True
        return
    if entry is None:
        return
    if now - entry.last_seen > _timeout():
        registry().close(token)
        try:
            account = _account(entry.account_id)
        except StoreUnavailableError:
            account = None
        actor = actor_for(account) if account else entry.actor
        if actor:
            _audit_end(actor, expired=True)
        st.session_state[CLEAR_COOKIE] = True
        st.session_state[NOTICE] = "auth.notice.expired"
        return
    try:
        account = _account(entry.account_id)
    except StoreUnavailableError as exc:
        # Nothing to check the sign-in against: it stays as last checked (the page shows the
        # store's message), and is checked at the next action.
        log.warning("sign-in restored unchecked, the store cannot be reached: %s", exc.message)
        if entry.actor is None:
            return
        st.session_state[ACTOR] = entry.actor
        st.session_state[TOKEN] = token
        st.session_state[SEEN] = now
        st.session_state[CHECKED] = 0
        return
    fresh = _refreshed(actor_for(account)) if account else None
    if fresh is None:
        registry().close(token)
        st.session_state[CLEAR_COOKIE] = True
        return
    registry().remember(token, fresh)
    st.session_state[ACTOR] = fresh
    st.session_state[TOKEN] = token
    st.session_state[SEEN] = st.session_state[CHECKED] = now


def _sync_oidc() -> None:
    """auth_mode = "oidc": whoever st.login signed in becomes the account with that email."""
    try:
        user = st.user
        logged_in = bool(user.is_logged_in)
    except Exception:  # noqa: BLE001 - [auth] not configured: sign-in stays closed, the page says why
        return
    if not logged_in or current_actor().signed_in:
        return
    email = user.get("email")
    if st.session_state.get("_auth_oidc_refused") == email:
        return
    try:
        if user.get("email_verified") is False:
            raise SignInRefused("auth.err.sso_unverified")
        start_session(sign_in_with_email(repo(), email).actor)
    except SignInRefused as exc:
        st.session_state["_auth_oidc_refused"] = email
        st.session_state[NOTICE] = exc.key
    except DomainError as exc:
        show_error(exc)


def enforce_session() -> None:
    """Called by app.py on every run before the pages: expire idle sessions, refresh roles."""
    try:
        first_admin_problem()
        _enforce(time.time())
    except DomainError as exc:  # the store is unreachable: app.py reports it; stay as we are
        log.warning("session check skipped: %s", exc.message)
    except Exception:  # noqa: BLE001 - fail closed: an unchecked session does not stay signed in
        log.exception("session check failed; signing out")
        end_session(audit=False)
    _cookie_script()


def _enforce(now: float) -> None:
    oidc = settings().auth_mode == "oidc"
    actor = current_actor()
    if actor.signed_in:
        token = st.session_state.get(TOKEN)
        entry = registry().get(token)
        if token and entry is None:  # signed out in another tab
            end_session(audit=False, notice="auth.notice.signed_out_elsewhere")
            return
        last = max(st.session_state.get(SEEN, now), entry.last_seen if entry else 0)
        if now - last > _timeout():
            end_session(expired=True, notice="auth.notice.expired")
            if oidc:
                st.logout()
            return
        # Every action: the read is the page's own (cached on Google Sheets), so it costs no call of its own.
        fresh = _refreshed(actor)
        if fresh is None:
            end_session(notice="auth.notice.account_changed")
            return
        if fresh != actor:
            st.session_state[ACTOR] = fresh
            registry().remember(token, fresh)
        st.session_state[CHECKED] = now
    else:
        _restore_from_cookie(now)
        if oidc:
            _sync_oidc()
    if current_actor().signed_in:
        st.session_state[SEEN] = now
        if st.session_state.get(TOKEN):
            registry().touch(st.session_state[TOKEN], now)


def _cookie_script() -> None:
    """Give the browser the session's token, or take it back after sign-out (never shown)."""
    token = st.session_state.get(TOKEN) if current_actor().signed_in else None
    if token:
        value = f"{COOKIE}={token}; path=/; SameSite=Strict"
    elif st.session_state.get(CLEAR_COOKIE):
        value = f"{COOKIE}=; path=/; Max-Age=0; SameSite=Strict"
    else:
        return
    with st.sidebar:
        st.html("<script>document.cookie = " + repr(value) + " + (location.protocol === 'https:' ? "
                "'; Secure' : '');</script>", unsafe_allow_javascript=True, width="content")


def sign_out() -> None:
    oidc = settings().auth_mode == "oidc"
    end_session(notice="auth.notice.signed_out")
    if oidc:
        st.logout()


def sidebar_controls() -> None:
    """Sign-in / sign-out controls in the sidebar."""
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.warning(tr(notice), icon=":material/logout:")
    if current_actor().signed_in:
        if st.button(tr("auth.sign_out"), key="auth_sign_out_sidebar", icon=":material/logout:"):
            sign_out()
            st.rerun()


def demo_passwords_note(source, say) -> str:
    """The sign-in page's demo note: where the demo passwords really are (the file named only when it
    was written, as recorded when the demo accounts were loaded)."""
    from data_access.demo_accounts import ENV_PASSWORD, NOWHERE, PASSWORDS_MARK

    where = (source.get("settings", PASSWORDS_MARK) or {}).get("value")
    if where == ENV_PASSWORD:
        return say("auth.demo_note.env")
    if where == NOWHERE:
        return say("auth.demo_note.nowhere")
    if where:
        return say("auth.demo_note.file", path=where)
    return say("auth.demo_note.ask")
