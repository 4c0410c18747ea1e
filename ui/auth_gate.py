"""Sign-in seam: keeps ``st.session_state['actor']`` (an Actor) up to date on every run.

A sign-in is a session held in the store (``domain.sign_in_sessions``, table ``sessions``); the
browser keeps only a random token in a cookie (``sop_sesi``, SameSite=Strict, Secure under HTTPS) so
that opening another address of the app, reloading, or reaching another app server finds the same
sign-in. The token means nothing once the session ends: sign-out, idle expiry, a disabled account or
a password reset end it in the store, whichever server the next request reaches. A restart of a
server ends nothing.

Each run (``enforce_session``, called by app.py before any page):
1. the first administrator is created from secrets.toml if the store has none (once per process);
2. a sign-in of this browser session is checked against its session row: ended elsewhere (another
   tab, another server) or idle past ``session_timeout_minutes``, it ends here too (expiry audited);
3. the account is re-read, so a disabled account or changed roles take effect at the next action;
4. without a sign-in in this browser session, the cookie's token, if its session is open, restores it;
5. with ``auth_mode = "oidc"``, the email signed in with st.login is mapped to an account;
6. activity is recorded in the session row when its "last seen" is a few minutes old (not on
   every click: see ``domain.sign_in_sessions``).

The session row and the account are read from the page's own read (``ui.context.view_source``): on
Google Sheets the page's one cached batch read, so a page opened by its address costs one read in
all; on a database, two lookups by key. When the store cannot be reached, a sign-in this server
verified stays signed in as last verified (kept in this process for that case only, never to grant
anything the store refused) and is checked again at the next action: an outage is shown as such,
never as a sign-out or a refused page.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

import streamlit as st

from domain import sign_in_sessions as ss
from domain.accounts import (
    FailureTally, SignIn, SignInRefused, actor_for, ensure_admin_from_secret, sign_in_with_email,
)
from domain.calendar import now as clock_now
from domain.changes import Log
from domain.errors import DomainError, StoreUnavailableError
from domain.permissions import NOBODY, Actor
from ui.context import current_actor, one_server_at_a_time, repo, settings, show_error, tr, view_source

log = logging.getLogger("sop_tracker.auth")

COOKIE = "sop_sesi"
ACTOR, TOKEN, SEEN, CHECKED = "actor", "_auth_token", "_auth_seen", "_auth_checked"
PENDING, NOTICE, CLEAR_COOKIE = "_auth_pending", "_auth_notice", "_auth_clear_cookie"
TOUCHED = "_auth_touched"  # when this browser session last wrote (or tried to write) "last seen"
PENDING_SECONDS = 10 * 60  # time to set a new password after a sign-in that requires it
# The notice a browser session gets when its session was ended elsewhere, by why it ended.
ENDED_NOTICE = {ss.EXPIRED: "auth.notice.expired", ss.ACCOUNT_CHANGED: "auth.notice.account_changed"}


@dataclass(frozen=True)
class _Verified:
    actor: Actor
    last_seen: dt.datetime


class VerifiedSessions:
    """The sessions this server last verified in the store, by the digest of their token: what a
    sign-in stays while the store cannot be reached (and only then). Bounded: the least recently
    verified are forgotten first. Thread-safe: every browser session runs in its own thread."""

    def __init__(self, capacity: int = 10_000):
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, _Verified] = OrderedDict()
        self.capacity = capacity

    def remember(self, token: str, actor: Actor, now: dt.datetime) -> None:
        with self._lock:
            self._seen.pop(ss.digest(token), None)
            self._seen[ss.digest(token)] = _Verified(actor, now)
            while len(self._seen) > self.capacity:
                self._seen.popitem(last=False)

    def get(self, token: str) -> _Verified | None:
        with self._lock:
            return self._seen.get(ss.digest(token))

    def forget(self, token: str | None) -> None:
        if token:
            with self._lock:
                self._seen.pop(ss.digest(token), None)


@st.cache_resource(show_spinner=False)
def verified() -> VerifiedSessions:
    return VerifiedSessions()


def failure_tally() -> FailureTally:
    """Failed sign-ins per username, counted in the store: every server counts on the same tally."""
    return FailureTally(repo(), window=dt.timedelta(minutes=max(1, int(settings().lockout_minutes))))


@st.cache_resource(show_spinner=False)
def _first_admin_from_secrets() -> str | None:
    """Create the administrator named in secrets.toml on first start; a refusal is kept to show."""
    extra = settings().extra
    if not extra.get("admin_username") or not extra.get("admin_password"):
        return None
    try:
        with one_server_at_a_time(repo()):  # two servers starting at once make one administrator
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


def policy() -> ss.SessionPolicy:
    return ss.SessionPolicy.of(settings())


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no browser request (tests, bare mode)
        return None
    return token if isinstance(token, str) and 20 <= len(token) <= 100 else None


def _end_in_store(row: dict | None, actor: Actor, now: dt.datetime, reason: str, log_action: str | None) -> None:
    """End the session row (and audit ``log_action``); the sign-out in this browser happens anyway."""
    entry = Log(log_action, "accounts", actor.id, "") if log_action and actor.signed_in else None
    try:
        ss.end(repo(), row, actor.audit_name if actor.signed_in else "anonim", now, reason, entry)
    except DomainError as exc:
        log.warning("could not end the session in the store: %s", exc.message)


def _session_row(token: str | None) -> dict | None:
    """The session of ``token`` as this page view reads it; a token the page's cached read does not
    know is looked up in the store itself before it counts as unknown (a session just started)."""
    if not token:
        return None
    source = view_source()
    row = ss.find(source, token)
    fresh = getattr(source, "fresh", None)
    if row is None and callable(fresh):
        row = ss.find(fresh(), token)
    return row


def start_session(actor: Actor) -> None:
    """Sign ``actor`` in for this browser session (and, through the cookie, its other tabs and
    every other server)."""
    now = clock_now()
    previous = st.session_state.get(TOKEN)
    if previous:
        try:
            _end_in_store(_session_row(previous), actor, now, ss.SIGNED_IN_AGAIN, None)
        except DomainError:
            pass
        verified().forget(previous)
    token, _ = ss.start(repo(), actor.id, actor.audit_name, now, policy())
    verified().remember(token, actor, now)
    st.session_state[ACTOR] = actor
    st.session_state[TOKEN] = token
    st.session_state[SEEN] = st.session_state[CHECKED] = st.session_state[TOUCHED] = now
    for key in (PENDING, CLEAR_COOKIE):
        st.session_state.pop(key, None)


def end_session(*, expired: bool = False, notice: str | None = None, audit: bool = True,
                row: dict | None = None, reason: str | None = None) -> None:
    """Sign out this browser session and end its session in the store (with an audit entry unless
    ``audit`` is False: the end was already recorded where it happened)."""
    actor, token, now = current_actor(), st.session_state.get(TOKEN), clock_now()
    if token and row is None:
        try:
            row = _session_row(token)
        except DomainError:
            row = None
    action = ("session_expired" if expired else "sign_out") if audit else None
    if row is not None or action:
        _end_in_store(row, actor, now, reason or (ss.EXPIRED if expired else ss.SIGNED_OUT), action)
    verified().forget(token)
    for key in (ACTOR, TOKEN, SEEN, CHECKED, PENDING, TOUCHED):
        st.session_state.pop(key, None)
    st.session_state[CLEAR_COOKIE] = True
    if notice:
        st.session_state[NOTICE] = notice


def signed_in(result: SignIn) -> None:
    """After a password check: start the session, or first ask for a new password."""
    if result.must_change_password:
        st.session_state[PENDING] = {"actor": result.actor, "since": clock_now()}
    else:
        start_session(result.actor)


def pending_change() -> Actor | None:
    """The account that signed in and must set a new password before its session starts."""
    pending = st.session_state.get(PENDING)
    if not pending:
        return None
    if clock_now() - pending["since"] > dt.timedelta(seconds=PENDING_SECONDS):
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


def _restore_unchecked(token: str, now: dt.datetime) -> None:
    """The store cannot be reached: a sign-in this server verified stays as it was then, unless it
    has sat idle past the timeout since (checked again at the next action)."""
    known = verified().get(token)
    if known is None or now - known.last_seen > policy().timeout:
        return
    st.session_state[ACTOR] = known.actor
    st.session_state[TOKEN] = token
    st.session_state[SEEN] = now
    st.session_state[CHECKED] = None


def _restore_from_cookie(now: dt.datetime) -> None:
    token = _cookie_token()
    if token is None:
        return
    try:
        row = _session_row(token)
    except StoreUnavailableError as exc:
        # Nothing to check the sign-in against: it stays as last verified (the page shows the
        # store's message), and is checked at the next action.
        log.warning("sign-in restored unchecked, the store cannot be reached: %s", exc.message)
        _restore_unchecked(token, now)
        return
    if row is None or row.get("ended_at") is not None:
        st.session_state[CLEAR_COOKIE] = True
        return
    account = _account(row["account_id"])
    if ss.idle_past_timeout(row, now, policy()):
        if account:
            _end_in_store(row, actor_for(account), now, ss.EXPIRED, "session_expired")
        else:
            _end_in_store(row, NOBODY, now, ss.EXPIRED, None)
        st.session_state[CLEAR_COOKIE] = True
        st.session_state[NOTICE] = "auth.notice.expired"
        return
    fresh = _refreshed(actor_for(account)) if account else None
    if fresh is None:
        _end_in_store(row, NOBODY, now, ss.ACCOUNT_CHANGED, None)
        st.session_state[CLEAR_COOKIE] = True
        return
    st.session_state[ACTOR] = fresh
    st.session_state[TOKEN] = token
    st.session_state[SEEN] = st.session_state[CHECKED] = now
    st.session_state["_auth_row"] = row


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
        _enforce(clock_now())
    except DomainError as exc:  # the store is unreachable: app.py reports it; stay as we are
        log.warning("session check skipped: %s", exc.message)
    except Exception:  # noqa: BLE001 - fail closed: an unchecked session does not stay signed in
        log.exception("session check failed; signing out")
        end_session(audit=False)
    _cookie_script()


def _enforce(now: dt.datetime) -> None:
    oidc = settings().auth_mode == "oidc"
    st.session_state.pop("_auth_row", None)
    actor = current_actor()
    if actor.signed_in:
        token = st.session_state.get(TOKEN)
        row = _session_row(token) if token else None
        if token and (row is None or row.get("ended_at") is not None):  # ended in another tab or server
            reason = (row or {}).get("end_reason")
            end_session(audit=False, notice=ENDED_NOTICE.get(reason, "auth.notice.signed_out_elsewhere"), row=row)
            return
        # The person's last action: this browser session's own record, or the store's (another tab,
        # another server), whichever is later.
        instants = [t for t in (st.session_state.get(SEEN), (row or {}).get("last_seen")) if isinstance(t, dt.datetime)]
        if now - max(instants, default=now) > policy().timeout:
            end_session(expired=True, notice="auth.notice.expired", row=row)
            if oidc:
                st.logout()
            return
        # Every action: the read is the page's own (cached on Google Sheets), so it costs no call of its own.
        fresh = _refreshed(actor)
        if fresh is None:
            end_session(notice="auth.notice.account_changed", row=row, reason=ss.ACCOUNT_CHANGED)
            return
        if fresh != actor:
            st.session_state[ACTOR] = fresh
        st.session_state[CHECKED] = now
        st.session_state["_auth_row"] = row
    else:
        _restore_from_cookie(now)
        if oidc:
            _sync_oidc()
    if current_actor().signed_in:
        st.session_state[SEEN] = now
        _record_activity(now)


def _record_activity(now: dt.datetime) -> None:
    """Write "last seen" when the stored one is a few minutes old (domain.sign_in_sessions): at most
    once per interval from this browser session, whatever its reads show."""
    token, row = st.session_state.get(TOKEN), st.session_state.pop("_auth_row", None)
    if not token:
        return
    verified().remember(token, current_actor(), now)
    every = policy().touch_every
    touched = st.session_state.get(TOUCHED)
    if row is None or (isinstance(touched, dt.datetime) and now - touched < every):
        return
    if row.get("last_seen") is not None and now - row["last_seen"] < every:
        return
    st.session_state[TOUCHED] = now
    try:
        ss.touch(repo(), row, current_actor().audit_name, now, policy())
    except DomainError as exc:  # activity not recorded this time: the next interval tries again
        log.warning("could not record activity of a session: %s", exc.message)


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
