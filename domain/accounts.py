"""Accounts: password hashing and policy, sign-in with lockout, and account administration.

Passwords are hashed with argon2id (argon2-cffi) at the OWASP Password Storage Cheat Sheet baseline
(19 MiB, 2 passes, 1 lane): slow for an attacker, about 20 ms for a sign-in on a small server.
Hashes made with other parameters are upgraded at the next successful sign-in.

Nothing here writes a password, or its hash, to the audit log: audit details name the event and
the account, never the secret (the store masks ``accounts.password_hash`` in update entries too).
A username typed at a failed sign-in is not recorded when it matches no account, because people
sometimes type their password into the username field.

A refused sign-in tells nothing about the account: a wrong password, an unknown username and a
locked account get one answer (``auth.err.wrong``, naming the lockout rule), and the delay before
it grows with the failures for that username (``FailureTally``) whether or not the account exists.
A locked account's password is checked too, so even the time taken is the same.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
import string
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import hash_secret_raw

from domain.changes import Insert, Log, Update, new_id
from domain.calendar import now as clock_now
from domain.errors import DomainError, NotFoundError, PermissionDenied, StaleWriteError, ValidationError
from domain.flood_limits import Limit, count_hit, forget
from domain.sign_in_sessions import end_account_sessions
from domain.permissions import ADMIN, EXECUTORS, ROLES, UNIT_USER, Actor, check
from domain.texts import LANGS, Worded

UTC = dt.UTC
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)

MIN_PASSWORD = 10
MAX_PASSWORD = 128
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
# Letters (any script), digits, spaces and the punctuation of Indonesian names and academic titles.
# Characters that Markdown would act on (* _ ` [ ] < > # | ~ $ :) are refused, so a name is always
# shown as typed wherever the UI puts it into Markdown.
NAME_PUNCTUATION = frozenset(" .,'()/&-")
MAX_DISPLAY_NAME = 80
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
# Passwords people try first, in Indonesian offices too. Refused whatever their length.
COMMON_PASSWORDS = frozenset({
    "password", "password1", "password123", "passw0rd", "1234567890", "0123456789", "12345678910",
    "qwertyuiop", "1q2w3e4r5t", "abcdefghij", "katasandi", "katasandi1", "katasandi123", "rahasia123",
    "rahasiaku1", "admin12345", "administrator", "setneg2026", "kemensetneg", "sekretariat",
    "indonesia1", "indonesia45", "merdeka1945", "bismillah1", "selamatpagi", "iloveyou12",
})
SIGN_IN_AUDIT = ("sign_in", "sign_in_failed", "account_locked", "sign_in_refused_locked",
                 "sign_in_refused_inactive", "sign_out", "session_expired", "password_changed",
                 "password_reset", "account_unlocked")


def _m(key: str, **params) -> str:
    """Indonesian, the language of record; the UI words a message again for its reader (Worded)."""
    return Worded(key, **params)


def _now(at: dt.datetime | None) -> dt.datetime:
    return (at or clock_now()).astimezone(UTC)


# ---- hashing ---------------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash or not password:
        return False
    try:
        return HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    """A hash to verify against when the username is unknown, so both cases take the same time."""
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_urlsafe(16)))
    return _DUMMY[0]


# ---- policy ------------------------------------------------------------------------------------------

def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is refused (a message naming the rule), or None when it is acceptable.

    Length over composition rules (NIST SP 800-63B): at least 10 characters, not one repeated
    character, not the username, not a password everyone tries first."""
    if len(password) < MIN_PASSWORD:
        return _m("auth.pw.short", n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return _m("auth.pw.long", n=MAX_PASSWORD)
    if password != password.strip():
        return _m("auth.pw.spaces")
    if len(set(password)) < 4:
        return _m("auth.pw.repeated")
    folded = password.casefold()
    if len(username) >= 3 and username.casefold() in folded:
        return _m("auth.pw.username")
    if folded in COMMON_PASSWORDS or folded.rstrip("!.?0123456789") in COMMON_PASSWORDS:
        return _m("auth.pw.common")
    return None


def validate_new_password(password: str, username: str = "", *, field_name: str = "new_password") -> None:
    problem = password_problem(password or "", username)
    if problem:
        raise ValidationError(field_name, problem)


def random_password(length: int = 16) -> str:
    """A password for a new account or a reset: shown once to the administrator, then changed."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "Il1O0o")
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in pw) and any(c.isupper() for c in pw) and password_problem(pw) is None:
            return pw


# ---- lockout maths -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignInPolicy:
    max_failures: int = 5
    lockout_minutes: int = 15

    @classmethod
    def of(cls, settings: Any) -> SignInPolicy:
        """From anything with ``max_login_failures`` and ``lockout_minutes`` (the app's Settings)."""
        return cls(max(1, int(settings.max_login_failures)), max(1, int(settings.lockout_minutes)))


def locked_until(account: dict, now: dt.datetime) -> dt.datetime | None:
    until = account.get("locked_until")
    return until if until is not None and now < until else None


def failures_so_far(account: dict, now: dt.datetime) -> int:
    """Failures that still count: a lock that has run out starts a fresh count."""
    until = account.get("locked_until")
    if until is not None and now >= until:
        return 0
    return int(account.get("failed_attempts") or 0)


def after_failure(account: dict, now: dt.datetime, policy: SignInPolicy) -> tuple[dict, bool]:
    """The account's changes after one more wrong password, and whether this failure locks it."""
    n = failures_so_far(account, now) + 1
    if n >= policy.max_failures:
        return {"failed_attempts": n, "locked_until": now + dt.timedelta(minutes=policy.lockout_minutes)}, True
    changes: dict = {"failed_attempts": n}
    if account.get("locked_until") is not None:
        changes["locked_until"] = None
    return changes, False


def failure_delay(failures: int) -> float:
    """Seconds to wait before answering a failed sign-in: grows a little with each failure."""
    return min(0.5 * max(failures, 1), 2.0)


SIGN_IN_FAILURES = "sign_in_username"  # the tally's name among the store's counts (flood_counts)
TALLY_SALT = "sign_in_tally_salt"  # settings row: the salt of the typed usernames' hashes


class FailureTally:
    """Recent failed sign-ins per typed username, counted in the store (``flood_counts``, as the
    flood limits count) so that every app server sees one count and neither a reload nor a restart
    resets it; for known and unknown usernames alike, so the delay before a refusal grows the same way
    for both. A typed username is never stored, nor written to the audit log: only its argon2id hash
    (the passwords' parameters, with a salt of the store's own), since an unknown one may be a
    password typed into the wrong field, and a hash that costs what a password check costs keeps
    guessing at it as slow as guessing passwords. Failures older than ``window`` no longer count."""

    def __init__(self, repo, window: dt.timedelta = dt.timedelta(minutes=15)):
        self.repo, self.window = repo, window
        self.limit = Limit(SIGN_IN_FAILURES, "nama", 0, window, "username")
        self._salt: bytes | None = None

    def _key(self, username: str) -> str:
        raw = hash_secret_raw(normalise_username(username).encode(), self._store_salt(), time_cost=HASHER.time_cost,
                              memory_cost=HASHER.memory_cost, parallelism=HASHER.parallelism, hash_len=16,
                              type=Type.ID)
        return raw.hex()

    def _store_salt(self) -> bytes:
        """The store's salt, made by the first failure ever counted (kept: it never changes)."""
        for _ in range(3):
            if self._salt is not None:
                return self._salt
            row = self.repo.get("settings", TALLY_SALT)
            if row is not None and row.get("value"):
                self._salt = bytes.fromhex(row["value"])
                continue
            try:
                self.repo.apply([Insert("settings", {"id": TALLY_SALT, "value": secrets.token_hex(16)})],
                                actor=_ANONYMOUS)
            except ValidationError as exc:  # another server made it first: read theirs
                if exc.field != "id":
                    raise
        raise AssertionError("the store keeps no salt for the sign-in tally")

    def failed(self, username: str, now: dt.datetime) -> int:
        """Count one more failure for ``username``; the number within the window, this one included."""
        return count_hit(self.repo, self.limit, self._key(username), now, _ANONYMOUS)

    def succeeded(self, username: str, now: dt.datetime) -> None:
        forget(self.repo, self.limit, self._key(username), now, _ANONYMOUS)


def minutes_left(until: dt.datetime, now: dt.datetime) -> int:
    return max(1, -(-int((until - now).total_seconds()) // 60))


# ---- accounts as actors -----------------------------------------------------------------------------

def normalise_username(username: str | None) -> str:
    return unicodedata.normalize("NFKC", username or "").strip().lower()


def actor_for(account: dict) -> Actor:
    return Actor(id=account["id"], username=account["username"],
                 display_name=account.get("display_name") or account["username"],
                 roles=frozenset(account.get("roles") or ()), unit_id=account.get("unit_id") or None,
                 executor_id=account.get("executor_id") or None)


def find_account(repo, username: str) -> dict | None:
    wanted = normalise_username(username)
    if not wanted:
        return None
    rows = repo.list("accounts", {"username": wanted})
    return rows[0] if rows else None


def account_for_email(accounts: Iterable[dict], email: str | None) -> dict | None:
    """The one active account whose email is the signed-in SSO email (case and spaces ignored).

    None when no account, or more than one, has it: an ambiguous email signs no one in."""
    wanted = (email or "").strip().casefold()
    if not EMAIL.match(wanted):
        return None
    matches = [a for a in accounts if a.get("active") and (a.get("email") or "").strip().casefold() == wanted]
    return matches[0] if len(matches) == 1 else None


# ---- sign-in ----------------------------------------------------------------------------------------

class SignInRefused(DomainError):
    """A sign-in that did not succeed; ``key`` says why in words safe to show, ``delay`` how many
    seconds to wait before showing it."""

    key = "auth.err.wrong"

    def __init__(self, key: str, delay: float = 0.0, **params):
        self.delay = delay
        super().__init__(_m(key, **params), key=key, **params)


@dataclass(frozen=True)
class SignIn:
    actor: Actor
    must_change_password: bool = False


_ANONYMOUS = "anonim"


def _apply_retrying(repo, build, actor: str, at: dt.datetime, attempts: int = 4):
    """Apply writes built from a fresh read; retry when a parallel sign-in saved the account first."""
    for i in range(attempts):
        writes, result = build()
        try:
            repo.apply(writes, actor=actor, at=at)
            return result
        except StaleWriteError:
            if i == attempts - 1:
                raise
    raise AssertionError("unreachable")


def authenticate(repo, username: str, password: str, policy: SignInPolicy = SignInPolicy(), *,
                 tally: FailureTally | None = None, at: dt.datetime | None = None) -> SignIn:
    """Check a username and password. Success resets the failure count and is audited; a failure
    counts toward the lockout and is audited; a locked account is refused even with the right
    password. Every refusal of a wrong password, an unknown username or a locked account is the same
    ``SignInRefused`` (same words, and a delay from ``tally`` that grows the same way)."""
    now = _now(at)
    if not normalise_username(username) or not password:
        raise SignInRefused("auth.err.missing")

    def refused() -> SignInRefused:
        failures = tally.failed(username, now) if tally is not None else 1
        return SignInRefused("auth.err.wrong", delay=failure_delay(failures), n=policy.max_failures,
                             minutes=policy.lockout_minutes)

    if len(password) > MAX_PASSWORD * 4:
        raise refused()
    account = find_account(repo, username)
    if account is None:
        verify_password(_dummy_hash(), password)
        repo.apply([Log("sign_in_failed", "accounts", "", _m("auth.audit.unknown_user"))], actor=_ANONYMOUS, at=now)
        raise refused()
    account_id = account["id"]
    until = locked_until(account, now)
    if until is not None:
        verify_password(account.get("password_hash"), password)  # the same work as any other answer
        repo.apply([Log("sign_in_refused_locked", "accounts", account_id,
                        _m("auth.audit.locked_until", until=until.isoformat(timespec="seconds")))],
                   actor=_ANONYMOUS, at=now)
        raise refused()
    if not verify_password(account.get("password_hash"), password):
        def failure():
            fresh = repo.get("accounts", account_id) or account
            changes, locks = after_failure(fresh, now, policy)
            writes = [Update("accounts", account_id, changes, fresh["version"]),
                      Log("sign_in_failed", "accounts", account_id,
                          _m("auth.audit.failure", n=changes["failed_attempts"]))]
            if locks:
                writes.append(Log("account_locked", "accounts", account_id,
                                  _m("auth.audit.locked", n=changes["failed_attempts"],
                                     minutes=policy.lockout_minutes)))
            return writes, locks
        _apply_retrying(repo, failure, _ANONYMOUS, now)
        raise refused()
    if not account.get("active"):
        repo.apply([Log("sign_in_refused_inactive", "accounts", account_id, "")], actor=account["username"], at=now)
        raise SignInRefused("auth.err.inactive")

    def success():
        fresh = repo.get("accounts", account_id) or account
        changes: dict = {"last_login_at": now}
        if fresh.get("failed_attempts"):
            changes["failed_attempts"] = 0
        if fresh.get("locked_until") is not None:
            changes["locked_until"] = None
        if needs_rehash(fresh.get("password_hash") or ""):
            changes["password_hash"] = hash_password(password)
        detail = _m("auth.audit.sign_in_must_change") if fresh.get("must_change_password") else ""
        return ([Update("accounts", account_id, changes, fresh["version"]),
                 Log("sign_in", "accounts", account_id, detail)], fresh)
    fresh = _apply_retrying(repo, success, account["username"], now)
    if tally is not None and (fresh.get("failed_attempts") or fresh.get("locked_until") is not None):
        # Failures were counted since the last success: the tally forgets them too (otherwise there
        # is nothing to forget, and the hash of the username is not worth computing).
        tally.succeeded(username, now)
    return SignIn(actor_for(fresh), bool(fresh.get("must_change_password")))


def sign_in_with_email(repo, email: str | None, *, at: dt.datetime | None = None) -> SignIn:
    """Single sign-on: the provider has checked the person; map the email to an account."""
    now = _now(at)
    account = account_for_email(repo.list("accounts"), email)
    if account is None:
        repo.apply([Log("sign_in_failed", "accounts", "", _m("auth.audit.sso_unknown"))], actor=_ANONYMOUS, at=now)
        raise SignInRefused("auth.err.sso_unknown")
    repo.apply([Update("accounts", account["id"], {"last_login_at": now}, account["version"]),
                Log("sign_in", "accounts", account["id"], "SSO")], actor=account["username"], at=now)
    return SignIn(actor_for(account), False)


def record_sign_out(repo, actor: Actor, *, expired: bool = False, at: dt.datetime | None = None) -> None:
    if actor.signed_in:
        repo.apply([Log("session_expired" if expired else "sign_out", "accounts", actor.id, "")],
                   actor=actor.audit_name, at=_now(at))


def change_password(repo, actor: Actor, new_password: str, *, current_password: str | None = None,
                    repeat: str | None = None, at: dt.datetime | None = None) -> dict:
    """The signed-in person sets a new password. The current one is required, except right after a
    sign-in that must change it (an administrator's reset), which has just verified it."""
    check(actor, "account.change_password")
    now = _now(at)
    account = repo.get("accounts", actor.id)
    if account is None or not account.get("active"):
        raise NotFoundError("accounts", actor.id)
    if current_password is None:
        if not account.get("must_change_password"):
            raise PermissionDenied("account.change_password", actor.audit_name)
    elif not verify_password(account.get("password_hash"), current_password):
        raise ValidationError("current_password", _m("auth.err.current_wrong"))
    validate_new_password(new_password, account["username"])
    if repeat is not None and repeat != new_password:
        raise ValidationError("repeat", _m("auth.err.repeat"))
    if verify_password(account.get("password_hash"), new_password):
        raise ValidationError("new_password", _m("auth.pw.same"))
    result = repo.apply([Update("accounts", account["id"], {"password_hash": hash_password(new_password),
                                                            "must_change_password": False},
                                account["version"]),
                         Log("password_changed", "accounts", account["id"], "")], actor=actor.audit_name, at=now)
    return result.records[0]


def choose_language(repo, actor: Actor, lang: str, *, at: dt.datetime | None = None) -> bool:
    """The signed-in person's language for the app, kept with their account so that it follows them
    to any browser; False when it was already theirs (nothing is written)."""
    check(actor, "account.language")
    if lang not in LANGS:
        raise ValidationError("ui_lang", key="auth.err.lang")
    account = repo.get("accounts", actor.id)
    if account is None or not account.get("active"):
        raise NotFoundError("accounts", actor.id)
    if account.get("ui_lang") == lang:
        return False
    repo.apply([Update("accounts", account["id"], {"ui_lang": lang}, account["version"])],
               actor=actor.audit_name, at=_now(at))
    return True


# ---- administration ---------------------------------------------------------------------------------

@dataclass
class AccountForm:
    username: str = ""
    display_name: str = ""
    email: str = ""
    roles: list[str] = field(default_factory=list)
    unit_id: str | None = None
    executor_id: str | None = None
    active: bool = True


def validate_display_name(name: str, field_name: str = "display_name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(field_name, _m("auth.err.name_missing"))
    if len(name) > MAX_DISPLAY_NAME:
        raise ValidationError(field_name, _m("auth.err.name_long", n=MAX_DISPLAY_NAME))
    if not any(c.isalpha() for c in name) or not all(c.isalnum() or c in NAME_PUNCTUATION for c in name):
        raise ValidationError(field_name, _m("auth.err.name_chars"))
    return name


def _clean(repo, form: AccountForm, account_id: str | None) -> dict:
    """The account's fields, checked: each refusal names its field."""
    username = normalise_username(form.username)
    if not USERNAME.match(username):
        raise ValidationError("username", _m("auth.err.username"))
    display_name = validate_display_name(form.display_name)
    email = (form.email or "").strip().lower() or None
    if email and not EMAIL.match(email):
        raise ValidationError("email", _m("auth.err.email"))
    roles = [r for r in ROLES if r in set(form.roles or ())]
    unknown = set(form.roles or ()) - set(ROLES)
    if unknown:
        raise ValidationError("roles", _m("auth.err.role_unknown", role=sorted(unknown)[0]))
    if not roles:
        raise ValidationError("roles", _m("auth.err.roles_missing"))
    others = [a for a in repo.list("accounts") if a["id"] != account_id]
    if any(a["username"] == username for a in others):
        raise ValidationError("username", _m("auth.err.username_taken", username=username))
    if email and any((a.get("email") or "").lower() == email for a in others):
        raise ValidationError("email", _m("auth.err.email_taken"))
    unit_id = form.unit_id or None
    if unit_id:
        unit = repo.get("units", unit_id)
        if unit is None or not unit.get("active"):
            raise ValidationError("unit_id", _m("auth.err.unit_unknown"))
    elif UNIT_USER in roles:
        raise ValidationError("unit_id", _m("auth.err.unit_missing"))
    executor_id = form.executor_id or None
    executor_roles = [r for r in roles if r in EXECUTORS]
    if executor_id:
        executor = repo.get("executors", executor_id)
        if executor is None or not executor.get("active"):
            raise ValidationError("executor_id", _m("auth.err.executor_unknown"))
        if executor_roles and executor.get("role") not in executor_roles:
            raise ValidationError("executor_id", _m("auth.err.executor_role", role=executor.get("role")))
    elif executor_roles:
        raise ValidationError("executor_id", _m("auth.err.executor_missing"))
    return {"username": username, "display_name": display_name, "email": email, "roles": roles,
            "unit_id": unit_id, "executor_id": executor_id, "active": bool(form.active)}


def _active_admins(repo, *, excluding: str | None = None) -> list[dict]:
    return [a for a in repo.list("accounts")
            if a.get("active") and ADMIN in (a.get("roles") or []) and a["id"] != excluding]


def list_accounts(repo, actor: Actor) -> list[dict]:
    """Every account for the administration page, without password hashes."""
    check(actor, "admin.accounts")
    return [_public(a) for a in repo.list("accounts")]


def create_account(repo, actor: Actor, form: AccountForm, *, at: dt.datetime | None = None) -> tuple[dict, str]:
    """A new account with a one-time password, returned once for the administrator to pass on; the
    person must set their own at the first sign-in."""
    check(actor, "admin.accounts")
    record = _clean(repo, form, None)
    temporary = random_password()
    record.update(id=new_id("acc-"), password_hash=hash_password(temporary), must_change_password=True,
                  failed_attempts=0)
    result = repo.apply([Insert("accounts", record)], actor=actor.audit_name, at=_now(at))
    return _public(result.records[0]), temporary


def update_account(repo, actor: Actor, account_id: str, expected_version: int, form: AccountForm, *,
                   at: dt.datetime | None = None) -> dict:
    """Change roles, unit, executor, names, or disable. The username stays: the audit log names it."""
    check(actor, "admin.accounts")
    current = repo.get("accounts", account_id)
    if current is None:
        raise NotFoundError("accounts", account_id)
    form = AccountForm(**{**form.__dict__, "username": current["username"]})
    record = _clean(repo, form, account_id)
    if account_id == actor.id and not record["active"]:
        raise ValidationError("active", _m("auth.err.disable_self"))
    if (ADMIN not in record["roles"] or not record["active"]) and not _active_admins(repo, excluding=account_id):
        raise ValidationError("roles", _m("auth.err.last_admin"))
    changes = {k: v for k, v in record.items() if k != "username" and v != current.get(k)}
    if not changes:
        return _public(current)
    now = _now(at)
    result = repo.apply([Update("accounts", account_id, changes, expected_version)], actor=actor.audit_name, at=now)
    if changes.get("active") is False:  # disabled: a sign-in still open anywhere opens nothing any more
        end_account_sessions(repo, account_id, actor.audit_name, now)
    return _public(result.records[0])


def reset_password(repo, actor: Actor, account_id: str, expected_version: int, *,
                   at: dt.datetime | None = None) -> str:
    """A new one-time password (returned once) that must be changed at the next sign-in; also unlocks."""
    check(actor, "admin.accounts")
    if repo.get("accounts", account_id) is None:
        raise NotFoundError("accounts", account_id)
    temporary = random_password()
    now = _now(at)
    repo.apply([Update("accounts", account_id, {"password_hash": hash_password(temporary),
                                                "must_change_password": True, "failed_attempts": 0,
                                                "locked_until": None}, expected_version),
                Log("password_reset", "accounts", account_id, "")], actor=actor.audit_name, at=now)
    # A token taken before the reset must stay worthless after the person sets a new password.
    end_account_sessions(repo, account_id, actor.audit_name, now)
    return temporary


def unlock_account(repo, actor: Actor, account_id: str, expected_version: int, *,
                   at: dt.datetime | None = None) -> dict:
    check(actor, "admin.accounts")
    if repo.get("accounts", account_id) is None:
        raise NotFoundError("accounts", account_id)
    result = repo.apply([Update("accounts", account_id, {"failed_attempts": 0, "locked_until": None},
                                expected_version),
                         Log("account_unlocked", "accounts", account_id, "")], actor=actor.audit_name, at=_now(at))
    return _public(result.records[0])


def _public(account: dict) -> dict:
    """An account without its secrets (the password hash, the calendar feed's token)."""
    return {k: v for k, v in account.items() if k not in ("password_hash", "calendar_token")}


# ---- the first administrator -------------------------------------------------------------------------

def create_admin(repo, username: str, password: str, *, display_name: str = "", email: str = "",
                 must_change_password: bool = False, by: str = "konsol", at: dt.datetime | None = None) -> dict:
    """An administrator made by whoever runs the server (command line or secrets), not by a signed-in
    person: there is none yet. The password must pass the policy; nothing has a default."""
    username = normalise_username(username)
    if not USERNAME.match(username):
        raise ValidationError("username", _m("auth.err.username"))
    if find_account(repo, username) is not None:
        raise ValidationError("username", _m("auth.err.username_taken", username=username))
    validate_new_password(password, username, field_name="password")
    email = (email or "").strip().lower() or None
    if email and not EMAIL.match(email):
        raise ValidationError("email", _m("auth.err.email"))
    record = {"id": new_id("acc-"), "username": username,
              "display_name": validate_display_name(display_name or _m("auth.admin_default_name")),
              "email": email, "password_hash": hash_password(password), "roles": [ADMIN], "active": True,
              "must_change_password": must_change_password, "failed_attempts": 0}
    result = repo.apply([Insert("accounts", record)], actor=by, at=_now(at))
    return _public(result.records[0])


def ensure_admin_from_secret(repo, username: str | None, password: str | None, *,
                             at: dt.datetime | None = None) -> dict | None:
    """On first start with ``admin_username``/``admin_password`` in secrets.toml: create that
    administrator if the store has no active one. Never overwrites an account; the password must be
    changed at the first sign-in because it sits in a file."""
    if not username or not password or _active_admins(repo):
        return None
    if find_account(repo, username) is not None:
        return None
    return create_admin(repo, username, password, must_change_password=True, by="secrets.toml", at=at)
