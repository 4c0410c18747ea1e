"""Sign-in sessions, held in the store (table ``sessions``): any app server serves any request, a
restart signs no one out, and a session ended on one server is ended on all of them.

The browser keeps only a random token (the ``sop_sesi`` cookie); the store keeps its SHA-256, the
account, when the session started and when it was last seen. A session is open while it has not
ended and was seen within the idle timeout. It ends at sign-out, when it sat idle too long, and when
its account is disabled or its password reset (``end_account_sessions``): the next request,
whichever server it reaches, finds it ended.

"Last seen" is not written on every click. A page view writes it only when the stored instant is
``touch_every`` old or older: five minutes, or a sixth of the timeout when that is shorter. A write
is a store round trip (on Google Sheets a read and a write, where a page view costs one read or
none), a person clicks many times a minute, and the instant serves one purpose, the idle timeout:
judged from the stored instant (a request on another server, or after a restart) a session may end
at most ``touch_every`` before its time, a sixth of the timeout at most. Within one browser session
the server also keeps the instant of the person's last action, so there the timeout is exact.

A session that ended leaves its row to the account's next sign-in, which takes it over with a new
token: the table holds about one row per device an account signs in from, not one per sign-in ever
made (Google Sheets reads the table with every page). Its rows are not written to the audit log
column by column (``data_access.schema.UNAUDITED``); the events are, by name, as they happen.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from domain.changes import Insert, Log, Update, new_id
from domain.errors import StaleWriteError, ValidationError

TABLE = "sessions"
TOUCH_EVERY = dt.timedelta(minutes=5)
ATTEMPTS = 5  # saves retried when another request wrote the same session in between
# Why a session ended (``end_reason``).
SIGNED_OUT, EXPIRED, ACCOUNT_CHANGED, SIGNED_IN_AGAIN = "keluar", "tidak_aktif", "akun_berubah", "masuk_lagi"


@dataclass(frozen=True)
class SessionPolicy:
    timeout: dt.timedelta = dt.timedelta(minutes=30)

    @classmethod
    def of(cls, settings: Any) -> SessionPolicy:
        """From anything with ``session_timeout_minutes`` (the app's Settings)."""
        return cls(dt.timedelta(minutes=max(1, int(settings.session_timeout_minutes))))

    @property
    def touch_every(self) -> dt.timedelta:
        return min(TOUCH_EVERY, self.timeout / 6)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """What the store keeps of a token: a token taken from the store would open nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_open(row: dict | None, now: dt.datetime, policy: SessionPolicy) -> bool:
    return (row is not None and row.get("ended_at") is None and row.get("last_seen") is not None
            and now - row["last_seen"] <= policy.timeout)


def idle_past_timeout(row: dict, now: dt.datetime, policy: SessionPolicy) -> bool:
    """Not ended, but not seen within the timeout: what an expiry ends (and audits)."""
    return row.get("ended_at") is None and (row.get("last_seen") is None or now - row["last_seen"] > policy.timeout)


def find(source, token: str | None) -> dict | None:
    """The session row of ``token`` in ``source`` (the store, or a page's read of it), open or not."""
    if not token:
        return None
    rows = source.list(TABLE, {"token_hash": digest(token)})
    return rows[0] if rows else None


def _collided(exc: BaseException) -> bool:
    """Another request wrote the same session row (or took the same free row) in between."""
    if isinstance(exc, StaleWriteError):
        return exc.table == TABLE
    return isinstance(exc, ValidationError) and exc.field == "id"


def start(repo, account_id: str, actor: str, now: dt.datetime, policy: SessionPolicy) -> tuple[str, dict]:
    """Open a session for ``account_id``; returns the token (for the browser only) and the row.

    A row of the account whose session ended, or sat idle past the timeout, is taken over; otherwise
    a new one is added."""
    token = new_token()
    fields = {"token_hash": digest(token), "started_at": now, "last_seen": now, "ended_at": None,
              "end_reason": None}
    for attempt in range(ATTEMPTS):
        rows = repo.list(TABLE, {"account_id": account_id})
        free = sorted((r for r in rows if not is_open(r, now, policy)),
                      key=lambda r: (r.get("last_seen") is not None, r.get("last_seen") or now))
        if free:
            write = Update(TABLE, free[0]["id"], fields, free[0]["version"])
        else:
            write = Insert(TABLE, {"id": new_id("ses-"), "account_id": account_id, **fields})
        try:
            result = repo.apply([write], actor=actor, at=now)
            return token, result.records[0]
        except (StaleWriteError, ValidationError) as exc:
            if not _collided(exc) or attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def is_touch(write) -> bool:
    """A write of a session's "last seen" alone: bookkeeping that changes nothing a page shows."""
    return isinstance(write, Update) and write.table == TABLE and set(write.changes) == {"last_seen"}


def touch(repo, row: dict, actor: str, now: dt.datetime, policy: SessionPolicy) -> dict:
    """Record activity when the stored "last seen" is ``touch_every`` old (see the module's note);
    returns the row as it now stands. Another request of the same session that wrote it first is
    as good: then nothing is written."""
    if row.get("last_seen") is not None and now - row["last_seen"] < policy.touch_every:
        return row
    try:
        return repo.apply([Update(TABLE, row["id"], {"last_seen": now}, row["version"])],
                          actor=actor, at=now).records[0]
    except StaleWriteError:
        return row


def end(repo, row: dict, actor: str, now: dt.datetime, reason: str, log: Log | None = None) -> None:
    """End a session (with ``log``, its audit entry, in the same save). A session another request
    ended meanwhile stays ended: only the entry is written then."""
    for attempt in range(ATTEMPTS):
        writes: list = []
        if row is not None and row.get("ended_at") is None:
            writes.append(Update(TABLE, row["id"], {"ended_at": now, "end_reason": reason}, row["version"]))
        if log is not None:
            writes.append(log)
        if not writes:
            return
        try:
            repo.apply(writes, actor=actor, at=now)
            return
        except StaleWriteError as exc:
            if exc.table != TABLE or attempt == ATTEMPTS - 1:
                raise
            fresh = getattr(repo, "fresh", None)  # a page's read hands over the store itself
            repo = fresh() if callable(fresh) else repo
            row = repo.get(TABLE, row["id"])


def end_account_sessions(repo, account_id: str, actor: str, now: dt.datetime,
                         reason: str = ACCOUNT_CHANGED) -> int:
    """End every session of an account still open (disabled, or its password reset): a token
    taken before stays worthless even after the person signs in again. Returns how many ended."""
    ended = 0
    for row in repo.list(TABLE, {"account_id": account_id}):
        if row.get("ended_at") is None:
            end(repo, row, actor, now, reason)
            ended += 1
    return ended
