"""The Bureau's calendar as the Admin keeps it, and the working-time calendar it makes.

The ``holidays`` package gives the public holidays and collective leave (cuti bersama) as decreed when
it was released; a new SKB moves a cuti bersama, a circular closes the office, Ramadan shortens the
day, a Friday ends at 16.30. The Admin records these in the store (``calendar_entries``), each with
its basis (the SKB or circular) as the reason:

- ``libur``: non-working days (one day or a range), e.g. a cuti bersama added by a new SKB;
- ``masuk``: a working day the package or the weekend would close, e.g. a cuti bersama cancelled;
- ``jam_hari``: the office hours of a weekday (or the weekday closed), one entry per weekday;
- ``periode``: special office hours over a range of days (Ramadan), or without hours an office
  closure;
- ``standar``: the standard office day, what "a day" of the seed's standard times is (by default the
  configured ``office_start``-``office_end``, 07.30-16.00).

Removing an entry makes it inactive (the record and its history stay). ``calendar_from`` turns the
active entries into the ``WorkCalendar`` every computation uses (``domain.calendar`` says which entry
wins where they meet). Every change is one save: the entry, the stored due instants of the running
steps recomputed under the new calendar (``timing_update.due_instants``, the rule's own), and an audit
entry saying how many moved.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

import pandas as pd

from domain import timing_update
from domain.calendar import Hours, Period, WorkCalendar, format_date, format_hours, holiday_names
from domain.changes import Insert, Log, Update, new_id
from domain.errors import NotFoundError, ValidationError
from domain.models import ACTIVE, ON_HOLD, RUNNING
from domain.permissions import Actor, check
from domain.texts import t

TABLE = "calendar_entries"
HOLIDAY, WORKDAY, WEEKDAY, PERIOD, STANDARD = "libur", "masuk", "jam_hari", "periode", "standar"
KINDS = (HOLIDAY, WORKDAY, WEEKDAY, PERIOD, STANDARD)
STANDARD_ID = "CAL-STANDAR"
MAX_REASON = 500
MAX_SPAN_DAYS = 366
# What a change reads: the entries, and the running steps whose due instants it moves.
TABLES = (TABLE, "cases", "step_events", "holds")


def _m(key: str, **params) -> str:
    return t(key, "id", **params)


def weekday_id(weekday: int) -> str:
    return f"CAL-HARI-{weekday}"


# ---- reading stored entries -----------------------------------------------------------------------

def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _day(value: Any) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def parse_time(text: Any) -> int | None:
    """``"07:30"`` (or ``07.30``) as the minute of the day; None for a blank or unreadable text."""
    if _blank(text):
        return None
    value = str(text).strip().replace(".", ":")
    try:
        hours, minutes = value.split(":")
        h, m = int(hours), int(minutes)
    except ValueError:
        return None
    if not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return h * 60 + m


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _hours(opens: Any, closes: Any) -> Hours | None:
    a, b = parse_time(opens), parse_time(closes)
    return (a, b) if a is not None and b is not None and b > a else None


def records(entries: Iterable[dict] | pd.DataFrame | None) -> list[dict]:
    """The stored entries as plain dicts (blank cells None), oldest first."""
    if entries is None:
        return []
    rows = entries.to_dict("records") if isinstance(entries, pd.DataFrame) else list(entries)
    out = [{k: (None if _blank(v) else v) for k, v in r.items()} for r in rows]
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(out, key=lambda r: (pd.Timestamp(r["created_at"]).to_pydatetime() if r.get("created_at") else floor,
                                      str(r.get("id"))))


def _key(rows: list[dict]) -> tuple:
    """What of the active entries shapes the calendar, in order: a hashable key for the cache."""
    key = []
    for r in rows:
        active = r.get("active")
        if active is False or (isinstance(active, str) and active.strip().upper() in ("FALSE", "0", "TIDAK")):
            continue
        weekday = r.get("weekday")
        key.append((r.get("kind"), _day(r.get("first_day")), _day(r.get("last_day")),
                    None if _blank(weekday) else int(weekday), parse_time(r.get("opens")), parse_time(r.get("closes"))))
    return tuple(key)


def calendar_from(entries: Iterable[dict] | pd.DataFrame | None, office_start: str = "07:30",
                  office_end: str = "16:00") -> WorkCalendar:
    """The working-time calendar of the configured standard day and the Admin's active entries."""
    return _calendar(_key(records(entries)), office_start, office_end)


@lru_cache(maxsize=64)
def _calendar(key: tuple, office_start: str, office_end: str) -> WorkCalendar:
    base = WorkCalendar.from_config(office_start, office_end)
    standard = base.standard_hours
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    weekdays: dict[int, Hours | None] = {}
    periods: list[Period] = []
    for kind, first, last, weekday, opens, closes in key:
        hours = (opens, closes) if opens is not None and closes is not None and closes > opens else None
        if kind == STANDARD and hours:
            standard = hours
        elif kind == WEEKDAY and weekday is not None and 0 <= weekday <= 6:
            weekdays[weekday] = hours
        elif kind in (HOLIDAY, WORKDAY, PERIOD) and first is not None:
            last = last if last is not None and last >= first else first
            if kind == PERIOD:
                periods.append(Period(first, last, hours))
                continue
            days = {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}
            (holidays if kind == HOLIDAY else workdays).update(days)
    weekday_hours = None
    if weekdays or standard != base.standard_hours:
        weekday_hours = tuple(weekdays.get(d, standard if d < 5 else None) for d in range(7))
    start, end = (dt.time(m // 60, m % 60) for m in standard)
    return WorkCalendar(start, end, extra_holidays=frozenset(holidays), extra_working_days=frozenset(workdays),
                        weekday_hours=weekday_hours, periods=tuple(periods))


# ---- what a year looks like ------------------------------------------------------------------------

@dataclass(frozen=True)
class ClosedDay:
    day: dt.date
    source: str  # "nasional" (the holidays package), "admin" (an entry), "periode" (a closure)
    name: str  # the holiday's name or the entry's reason


def closed_weekdays(calendar: WorkCalendar, entries: Iterable[dict] | pd.DataFrame | None, year: int,
                    lang: str = "id") -> list[ClosedDay]:
    """Every Monday to Friday of ``year`` the calendar does not work, with why."""
    rows = [r for r in records(entries) if r.get("active") is not False]
    names = holiday_names(year, lang)
    out = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5 and not calendar.is_working_day(day):
            entry = next((r for r in reversed(rows) if r.get("kind") in (HOLIDAY, PERIOD) and _covers(r, day)), None)
            if entry is not None:
                source = "admin" if entry["kind"] == HOLIDAY else "periode"
                out.append(ClosedDay(day, source, entry.get("reason") or ""))
            else:
                out.append(ClosedDay(day, "nasional", names.get(day, "")))
        day += dt.timedelta(days=1)
    return out


def _covers(row: dict, day: dt.date) -> bool:
    first = _day(row.get("first_day"))
    last = _day(row.get("last_day")) or first
    return first is not None and first <= day <= last


# ---- changes -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CalendarChange:
    """An entry as the Admin types it."""

    kind: str
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    weekday: int | None = None
    opens: str | None = None  # "HH:MM"
    closes: str | None = None
    closed: bool = False  # a weekday without office hours, or a period that closes the office
    reason: str = ""


@dataclass
class ChangeResult:
    entry: dict
    recomputed: int  # running steps whose stored due instant moved
    calendar: WorkCalendar


def _reason(change: CalendarChange, required: bool) -> str | None:
    text = (change.reason or "").strip()
    if not text:
        if required:
            raise ValidationError("reason", _m("calendar.err.reason"))
        return None
    if len(text) > MAX_REASON:
        raise ValidationError("reason", _m("calendar.err.reason_long", limit=MAX_REASON))
    if "\x00" in text:
        raise ValidationError("reason", _m("tracker.err.bad_chars", field=_m("calendar.field.reason")))
    return text


def _checked_hours(change: CalendarChange) -> tuple[str | None, str | None]:
    if change.closed:
        return None, None
    a, b = parse_time(change.opens), parse_time(change.closes)
    if a is None:
        raise ValidationError("opens", _m("calendar.err.time", field=_m("calendar.field.opens")))
    if b is None:
        raise ValidationError("closes", _m("calendar.err.time", field=_m("calendar.field.closes")))
    if b <= a:
        raise ValidationError("closes", _m("calendar.err.order"))
    return hhmm(a), hhmm(b)


def _checked_days(change: CalendarChange) -> tuple[dt.date, dt.date]:
    first = change.first_day
    if first is None:
        raise ValidationError("first_day", _m("calendar.err.day"))
    last = change.last_day or first
    if last < first:
        raise ValidationError("last_day", _m("calendar.err.range"))
    if (last - first).days >= MAX_SPAN_DAYS:
        raise ValidationError("last_day", _m("calendar.err.span", days=MAX_SPAN_DAYS))
    return first, last


def entry_fields(change: CalendarChange) -> tuple[str | None, dict]:
    """The stored fields of a change (and the fixed ID of a weekday's or the standard's entry), or a
    ValidationError naming the field."""
    if change.kind not in KINDS:
        raise ValidationError("kind", _m("calendar.err.kind"))
    if change.kind in (HOLIDAY, WORKDAY, PERIOD):
        first, last = _checked_days(change)
        if change.kind == WORKDAY and last != first:
            raise ValidationError("last_day", _m("calendar.err.one_day"))
        opens, closes = _checked_hours(change) if change.kind == PERIOD else (None, None)
        return None, {"kind": change.kind, "first_day": first, "last_day": last, "weekday": None,
                      "opens": opens, "closes": closes, "reason": _reason(change, True), "active": True}
    if change.kind == WEEKDAY:
        if change.weekday is None or not 0 <= int(change.weekday) <= 6:
            raise ValidationError("weekday", _m("calendar.err.weekday"))
        opens, closes = _checked_hours(change)
        return weekday_id(int(change.weekday)), {
            "kind": WEEKDAY, "first_day": None, "last_day": None, "weekday": int(change.weekday), "opens": opens,
            "closes": closes, "reason": _reason(change, False), "active": True}
    if change.closed:
        raise ValidationError("closes", _m("calendar.err.standard_closed"))
    opens, closes = _checked_hours(change)
    return STANDARD_ID, {"kind": STANDARD, "first_day": None, "last_day": None, "weekday": None, "opens": opens,
                         "closes": closes, "reason": _reason(change, False), "active": True}


def recomputed_due(frames: dict[str, pd.DataFrame], calendar: WorkCalendar, now: dt.datetime) -> list[Update]:
    """The running steps of open cases whose stored due instant differs under ``calendar``: one
    update each (with the version read, so a step moved meanwhile refuses the whole save)."""
    cases, events = frames["cases"], frames["step_events"]
    if not len(cases) or not len(events):
        return []
    open_cases = set(cases.loc[cases["status"].isin([ACTIVE, ON_HOLD]), "id"])
    running = events[(events["status"] == RUNNING) & events["case_id"].isin(open_cases)]
    if running.empty:
        return []
    ids = set(running["case_id"])
    due = timing_update.due_instants(events[events["case_id"].isin(ids)], cases[cases["id"].isin(ids)],
                                     frames.get("holds"), calendar, now)
    out = []
    for row in running.itertuples(index=False):
        new = due.get(row.id)
        old = None if _blank(row.due_at) else pd.Timestamp(row.due_at).to_pydatetime()
        if new != old and (new is None or old is None or abs((new - old).total_seconds()) >= 1):
            out.append(Update("step_events", row.id, {"due_at": new}, expected_version=int(row.version)))
    return out


def _apply(repo, actor: Actor, frames: dict[str, pd.DataFrame], entry_write, entry_id: str, after: list[dict],
           office: tuple[str, str], now: dt.datetime, what: str) -> ChangeResult:
    calendar = calendar_from(after, *office)
    moves = recomputed_due(frames, calendar, now)
    detail = _m("calendar.log.recomputed", what=what, n=len(moves))
    result = repo.apply([entry_write, *moves, Log("calendar.recomputed", TABLE, entry_id, detail)],
                        actor=actor.audit_name, at=now)
    saved = next(r for r in result.records if r.get("id") == entry_id)
    return ChangeResult(saved, len(moves), calendar)


def describe(entry: dict, lang: str = "id") -> str:
    """An entry in a line, for the audit log and the page."""
    kind = entry.get("kind")
    first, last = _day(entry.get("first_day")), _day(entry.get("last_day"))
    span = format_date(first, lang) + (f" – {format_date(last, lang)}" if last and last != first else "")
    hours = format_hours(_hours(entry.get("opens"), entry.get("closes"))) or t("calendar.closed", lang)
    if kind == WEEKDAY:
        day = t(f"calendar.weekday.{entry.get('weekday')}", lang)
        return t("calendar.describe.weekday", lang, day=day, hours=hours)
    if kind == STANDARD:
        return t("calendar.describe.standard", lang, hours=hours)
    if kind == PERIOD:
        return t("calendar.describe.period", lang, span=span, hours=hours)
    return t(f"calendar.describe.{kind}", lang, span=span)


def save_entry(repo, actor: Actor, change: CalendarChange, *, office: tuple[str, str], now: dt.datetime,
               expected_version: int | None = None) -> ChangeResult:
    """Add an entry (a weekday's hours and the standard day replace the one before, with the version
    the Admin read), recompute the running steps' due instants, audit both, in one save."""
    check(actor, "calendar.manage")
    fixed_id, fields = entry_fields(change)
    frames = repo.frames(list(TABLES))
    rows = records(frames[TABLE])
    current = next((r for r in rows if r["id"] == fixed_id), None) if fixed_id else None
    if current is not None:
        version = int(current["version"]) if expected_version is None else int(expected_version)
        write = Update(TABLE, fixed_id, fields, expected_version=version)
        entry_id = fixed_id
        after = [{**r, **fields} if r["id"] == fixed_id else r for r in rows]
    else:
        entry_id = fixed_id or new_id("CAL-")
        write = Insert(TABLE, {"id": entry_id, **fields})
        after = [*rows, {"id": entry_id, **fields, "created_at": now}]  # the latest: its period wins
    return _apply(repo, actor, frames, write, entry_id, after, office, now, describe(fields))


def remove_entry(repo, actor: Actor, entry_id: str, *, expected_version: int | None, office: tuple[str, str],
                 now: dt.datetime) -> ChangeResult:
    """Make an entry inactive (the day, hours or period no longer applies); the same recompute."""
    check(actor, "calendar.manage")
    frames = repo.frames(list(TABLES))
    rows = records(frames[TABLE])
    current = next((r for r in rows if r["id"] == entry_id), None)
    if current is None:
        raise NotFoundError(TABLE, entry_id)
    if current.get("active") is False:
        raise ValidationError("entry", _m("calendar.err.removed"))
    version = int(current["version"]) if expected_version is None else int(expected_version)
    write = Update(TABLE, entry_id, {"active": False}, expected_version=version)
    after = [{**r, "active": False} if r["id"] == entry_id else r for r in rows]
    return _apply(repo, actor, frames, write, entry_id, after, office, now,
                  _m("calendar.log.removed", what=describe(current)))


def active_entries(entries: Iterable[dict] | pd.DataFrame | None) -> list[dict]:
    return [r for r in records(entries) if r.get("active") is not False]

