"""Flood limits that hold across reloads: complaints filed and failed status look-ups, counted in
the store per client address and per receipt number over a sliding window.

The form is open to anyone without an account, and the status look-up answers to a receipt number
and a contact: without limits one could file a flood of complaints, or guess contacts for a number.
A limit kept in the browser session is gone at the next reload, so the counts live in the store
(table ``flood_counts``: one row per limit and key, holding the instants within the window). A
request over a limit is refused before anything else happens, with a message naming the field and
when to try again, and the refusal is written to the audit log (``flood_refused``).

- ``complaint_address``: complaints filed from one client address (``complaints_per_address`` in
  ``complaint_window_minutes``);
- ``lookup_address`` and ``lookup_receipt``: failed status look-ups from one address
  (``lookup_failures_per_address``) and for one receipt number from anywhere
  (``lookup_failures_per_receipt``), in ``lookup_window_minutes``. The second stops guessing spread
  over many addresses; it can also hold the rightful complainant off that number for the window.

Counting is part of the same save as the complaint (or follows the failed look-up), carrying the
version read, so two requests at once cannot both slip under a limit; a collision is retried.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from domain.changes import Insert, Log, Update, Write
from domain.errors import StaleWriteError, ValidationError
from domain.ports import live
from domain.texts import t

TABLE = "flood_counts"
COMPLAINT_ADDRESS, LOOKUP_ADDRESS, LOOKUP_RECEIPT = "complaint_address", "lookup_address", "lookup_receipt"
ADDRESS, RECEIPT = "alamat", "nomor"
NO_ADDRESS = "tanpa-alamat"  # a request whose address is unknown (e.g. on the server itself) counts here
ID_PREFIX = "flood:"
ATTEMPTS = 5  # saves retried when another request counted the same key in between


@dataclass(frozen=True)
class Limit:
    name: str  # one of the names above: what is counted, per what
    scope: str  # what the key is: "alamat" (a client address) or "nomor" (a receipt number)
    most: int  # at most this many within the window
    window: dt.timedelta
    field: str  # the form field a refusal names


@dataclass(frozen=True)
class FloodLimits:
    """The limits, from the settings (README, Configuration)."""

    complaints_per_address: int = 5
    complaint_window_minutes: int = 60
    lookup_failures_per_address: int = 10
    lookup_failures_per_receipt: int = 5
    lookup_window_minutes: int = 60

    @classmethod
    def of(cls, settings: Any) -> FloodLimits:
        return cls(**{f: max(1, int(getattr(settings, f))) for f in cls.__dataclass_fields__})

    @property
    def complaint(self) -> Limit:
        return Limit(COMPLAINT_ADDRESS, ADDRESS, self.complaints_per_address,
                     dt.timedelta(minutes=self.complaint_window_minutes), "complaint")

    @property
    def lookup_by_address(self) -> Limit:
        return Limit(LOOKUP_ADDRESS, ADDRESS, self.lookup_failures_per_address,
                     dt.timedelta(minutes=self.lookup_window_minutes), "receipt_no")

    @property
    def lookup_by_receipt(self) -> Limit:
        return Limit(LOOKUP_RECEIPT, RECEIPT, self.lookup_failures_per_receipt,
                     dt.timedelta(minutes=self.lookup_window_minutes), "receipt_no")


def counter_id(limit: Limit, key: str) -> str:
    """The row of ``key`` for ``limit``; the key is hashed so that any text typed fits an ID."""
    return f"{ID_PREFIX}{limit.name}:{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}"


def _instants(row: dict | None) -> list[dt.datetime]:
    out = []
    for text in (row or {}).get("hits") or []:
        try:
            out.append(dt.datetime.fromisoformat(text))
        except (TypeError, ValueError):  # a cell edited by hand: not a count
            continue
    return out


def within(row: dict | None, limit: Limit, now: dt.datetime) -> list[dt.datetime]:
    """The counted instants still inside the sliding window that ends at ``now``."""
    return sorted(i for i in _instants(row) if now - limit.window < i <= now)


def _refuse_if_full(repo, limit: Limit, key: str, row: dict | None, now: dt.datetime, actor: str) -> list:
    """The instants counted for ``key``; a refusal (audited) when they already reach the limit."""
    counted = within(row, limit, now)
    if len(counted) >= limit.most:
        minutes = max(1, -(-int((counted[0] + limit.window - now).total_seconds()) // 60))
        window = int(limit.window.total_seconds() // 60)
        repo.apply([Log("flood_refused", TABLE, counter_id(limit, key),
                        t("flood.audit.refused", "id", limit=limit.name, of=key, n=len(counted), window=window))],
                   actor=actor, at=now)
        raise ValidationError(limit.field, t(f"flood.err.{limit.name}", "id", n=limit.most, window=window,
                                             minutes=minutes), key=f"flood.err.{limit.name}")
    return counted


def refuse_if_over(repo, checks: Sequence[tuple[Limit, str]], now: dt.datetime, actor: str) -> None:
    """Refuse (and audit the refusal) when any ``(limit, key)`` is already at its limit."""
    for limit, key in checks:
        _refuse_if_full(repo, limit, key, repo.get(TABLE, counter_id(limit, key)), now, actor)


def count_writes(repo, checks: Sequence[tuple[Limit, str]], now: dt.datetime, actor: str) -> list[Write]:
    """The writes that count one more request for each ``(limit, key)``, from a fresh read (checked
    again: another request may have reached the limit meanwhile); the instants outside the window
    are dropped as the new one is added."""
    writes: list[Write] = []
    for limit, key in checks:
        rid = counter_id(limit, key)
        row = repo.get(TABLE, rid)
        counted = _refuse_if_full(repo, limit, key, row, now, actor)
        hits = [i.isoformat() for i in counted] + [now.isoformat()]
        if row is None:
            writes.append(Insert(TABLE, {"id": rid, "kind": limit.name, "scope": limit.scope, "key": key,
                                         "hits": hits}))
        else:
            writes.append(Update(TABLE, rid, {"hits": hits}, row["version"]))
    return writes


def count_hit(repo, limit: Limit, key: str, now: dt.datetime, actor: str) -> int:
    """Count one more request for ``key`` without refusing any (a tally: the caller decides what
    the number means); returns how many the window now holds, this one included."""
    for attempt in range(ATTEMPTS):
        rid = counter_id(limit, key)
        row = repo.get(TABLE, rid)
        hits = [i.isoformat() for i in within(row, limit, now)] + [now.isoformat()]
        write = (Insert(TABLE, {"id": rid, "kind": limit.name, "scope": limit.scope, "key": key, "hits": hits})
                 if row is None else Update(TABLE, rid, {"hits": hits}, row["version"]))
        try:
            repo.apply([write], actor=actor, at=now)
            return len(hits)
        except (StaleWriteError, ValidationError) as exc:
            if not collided(exc) or attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def forget(repo, limit: Limit, key: str, now: dt.datetime, actor: str) -> None:
    """Drop what was counted for ``key`` (a sign-in that succeeded); nothing to do when none counts."""
    for attempt in range(ATTEMPTS):
        row = repo.get(TABLE, counter_id(limit, key))
        if row is None or not within(row, limit, now):
            return
        try:
            repo.apply([Update(TABLE, row["id"], {"hits": []}, row["version"])], actor=actor, at=now)
            return
        except StaleWriteError as exc:
            if not collided(exc) or attempt == ATTEMPTS - 1:
                raise


def collided(exc: BaseException) -> bool:
    """Another request counted the same key between our read and our save."""
    if isinstance(exc, StaleWriteError):
        return exc.table == TABLE
    return isinstance(exc, ValidationError) and exc.field == "id" and ID_PREFIX in exc.message


def apply_counted(repo, build: Callable[..., list[Write]], actor: str, at: dt.datetime):
    """Apply ``build(source)`` (whose writes include ``count_writes`` read from ``source``): first
    from what the page read, then, when another request counted the same key in between, rebuilt
    from a fresh read of the store and retried; any other refusal goes to the caller."""
    source = repo
    for attempt in range(ATTEMPTS):
        try:
            return repo.apply(build(source), actor=actor, at=at)
        except (StaleWriteError, ValidationError) as exc:
            if not collided(exc) or attempt == ATTEMPTS - 1:
                raise
            source = live(repo)  # a page's snapshot hands over the store itself
    raise AssertionError("unreachable")
