"""Working time of the ministry: Monday–Friday office hours, minus public holidays and the civil
service's collective leave (cuti bersama), as the Bureau keeps it (its own non-working and working
days, hours per weekday, special periods: ``domain/bureau_calendar.py``). Standard times of the
procedure are working time."""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")

MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]


def month_label(month: int, lang: str = "id") -> str:
    """A month's short name for axes and tables: Jan, Feb, Mar, Apr, Mei ... Des."""
    return (MONTHS_ID if lang == "id" else MONTHS_EN)[month - 1][:3]


@lru_cache(maxsize=64)
def indonesian_holidays(year: int) -> frozenset[dt.date]:
    """Public holidays and collective leave of one year (``holidays`` package, Indonesia)."""
    import holidays  # imported lazily: the package builds its tables on first use

    return frozenset(holidays.Indonesia(years=year, categories=("public", "government")).keys())


@lru_cache(maxsize=64)
def holiday_names(year: int, lang: str = "id") -> dict[dt.date, str]:
    """The names of a year's public holidays and collective leave, as the package words them."""
    import holidays

    names = holidays.Indonesia(years=year, categories=("public", "government"),
                               language="id" if lang == "id" else "en_US")
    return dict(names.items())


def _parse_hhmm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def _minute(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _time(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)


Hours = tuple[int, int]  # opening and closing minute of a day (07:30-16:00 is (450, 960))


@dataclass(frozen=True)
class Period:
    """Special office hours over a range of days (Ramadan hours), or, without hours, an office
    closure: the Bureau does not work those days."""

    first: dt.date
    last: dt.date
    hours: Hours | None = None


@dataclass(frozen=True)
class WorkCalendar:
    """The Bureau's working time. ``start``-``end`` is the *standard office day*: "a day" of the
    seed's standard times is that long, whatever the hours of a particular day. A particular day's
    hours come, in this order, from: a non-working day the Admin entered (closed); a special period
    covering it (a closure: closed; else its hours, on a day that is otherwise a working day); a
    working day the Admin declared (open, even on a public holiday or a weekend); a public holiday
    or collective leave (closed); the hours of its weekday (by default the standard day Monday to
    Friday, closed on Saturday and Sunday)."""

    start: dt.time = dt.time(7, 30)
    end: dt.time = dt.time(16, 0)
    tz: ZoneInfo = JAKARTA
    extra_holidays: frozenset[dt.date] = field(default_factory=frozenset)
    use_national_holidays: bool = True
    extra_working_days: frozenset[dt.date] = field(default_factory=frozenset)
    # Monday first; None for a weekday the office is closed. None: the standard day Monday to Friday.
    weekday_hours: tuple[Hours | None, ...] | None = None
    periods: tuple[Period, ...] = ()  # a later period wins where two overlap

    @classmethod
    def from_config(cls, office_start: str = "07:30", office_end: str = "16:00",
                    extra_holidays: frozenset[dt.date] = frozenset()) -> WorkCalendar:
        cal = cls(_parse_hhmm(office_start), _parse_hhmm(office_end), extra_holidays=extra_holidays)
        if cal.minutes_per_day <= 0:
            raise ValueError("jam kantor: jam selesai harus setelah jam mulai")
        return cal

    @property
    def minutes_per_day(self) -> int:
        """The standard office day, in minutes: what "a day" of a standard time is."""
        return _minute(self.end) - _minute(self.start)

    @property
    def standard_hours(self) -> Hours:
        return _minute(self.start), _minute(self.end)

    def weekday_default(self, weekday: int) -> Hours | None:
        """The hours of a weekday (0 Monday) when nothing else applies."""
        if self.weekday_hours is not None:
            return self.weekday_hours[weekday]
        return self.standard_hours if weekday < 5 else None

    def hours(self, day: dt.date) -> Hours | None:
        """The office hours of ``day`` (opening and closing minute), None when it is not a working day."""
        if day in self.extra_holidays:
            return None
        special = None
        for period in reversed(self.periods):
            if period.first <= day <= period.last:
                if period.hours is None:
                    return None
                special = period.hours
                break
        regular = self.weekday_default(day.weekday())
        if day in self.extra_working_days:
            return special or regular or self.standard_hours
        if regular is None or (self.use_national_holidays and day in indonesian_holidays(day.year)):
            return None
        return special or regular

    def is_working_day(self, day: dt.date) -> bool:
        return self.hours(day) is not None

    def _local(self, instant: dt.datetime) -> dt.datetime:
        if instant.tzinfo is None:
            raise ValueError("instants must carry a time zone")
        return instant.astimezone(self.tz)

    def opening(self, day: dt.date) -> dt.datetime | None:
        """When the office opens on ``day``; None on a day that is not a working day."""
        hours = self.hours(day)
        return dt.datetime.combine(day, _time(hours[0]), self.tz) if hours else None

    def closing(self, day: dt.date) -> dt.datetime | None:
        """When the office closes on ``day``; None on a day that is not a working day."""
        hours = self.hours(day)
        return dt.datetime.combine(day, _time(hours[1]), self.tz) if hours else None

    def next_working_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def normalise(self, instant: dt.datetime) -> dt.datetime:
        """The first working instant at or after ``instant`` (end of day stays end of day)."""
        t = self._local(instant)
        day = t.date()
        hours = self.hours(day)
        if hours is not None:
            opens = dt.datetime.combine(day, _time(hours[0]), self.tz)
            if t < opens:
                return opens
            if t <= dt.datetime.combine(day, _time(hours[1]), self.tz):
                return t
        return self.opening(self.next_working_day(day))

    def add(self, start: dt.datetime, minutes: float) -> dt.datetime:
        """Due instant: ``minutes`` of working time after ``start``. Always on a working day."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        t = self.normalise(start)
        remaining = dt.timedelta(minutes=minutes)
        while True:
            left_today = self.closing(t.date()) - t
            if remaining <= left_today:
                return t + remaining
            remaining -= left_today
            t = self.opening(self.next_working_day(t.date()))

    def working_minutes(self, a: dt.datetime, b: dt.datetime) -> float:
        """Working time between two instants, in minutes; negative when ``b`` is before ``a``."""
        if b < a:
            return -self.working_minutes(b, a)
        a, b = self._local(a), self._local(b)
        total = dt.timedelta()
        day = a.date()
        while day <= b.date():
            hours = self.hours(day)
            if hours is not None:
                lo = max(a, dt.datetime.combine(day, _time(hours[0]), self.tz))
                hi = min(b, dt.datetime.combine(day, _time(hours[1]), self.tz))
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total.total_seconds() / 60

    def working_days(self, a: dt.datetime, b: dt.datetime) -> float:
        """Working time between two instants in standard office days."""
        return self.working_minutes(a, b) / self.minutes_per_day

    def add_working_days(self, start: dt.datetime, days: float) -> dt.datetime:
        return self.add(start, days * self.minutes_per_day)


DEFAULT_CALENDAR = WorkCalendar()


# ---- the one reading of the clock ----------------------------------------------------------------
# Every "now" of the app comes from here. By default it is the real time; a configured start
# instant (``clock_start`` / ``SOP_CLOCK_START``: demonstrations, and browser tests that must not
# depend on the hour) makes time run on from that instant; tests freeze it with ``fixed_clock``.

def _real_time() -> dt.datetime:
    return dt.datetime.now(JAKARTA)


_clock: Callable[[], dt.datetime] = _real_time


def now() -> dt.datetime:
    return _clock().astimezone(JAKARTA)


def set_clock(clock: Callable[[], dt.datetime] | None) -> Callable[[], dt.datetime]:
    """Replace the clock (None: the real time again); returns the clock it replaced."""
    global _clock
    previous, _clock = _clock, clock or _real_time
    return previous


def clock_is_real() -> bool:
    return _clock is _real_time


def fixed_clock(instant: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that always reads ``instant``."""
    if instant.tzinfo is None:
        raise ValueError("instants must carry a time zone")
    return lambda: instant


def clock_from(start: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that reads ``start`` now and runs on at the real pace from there."""
    if start.tzinfo is None:
        raise ValueError("instants must carry a time zone")
    origin = time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - origin)


def format_hours(hours: Hours | None) -> str:
    """Office hours as the ministry writes them ('07.30–16.00'); a closed day: ''."""
    if not hours:
        return ""
    (a, b) = hours
    return f"{a // 60:02d}.{a % 60:02d}–{b // 60:02d}.{b % 60:02d}"


def format_date(value: dt.date | dt.datetime | None, lang: str = "id") -> str:
    """A date as the ministry writes it: ``29 November 2026``."""
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = value.astimezone(JAKARTA) if value.tzinfo else value
    months = MONTHS_ID if lang == "id" else MONTHS_EN
    return f"{value.day} {months[value.month - 1]} {value.year}"


def format_datetime(value: dt.datetime | None, lang: str = "id") -> str:
    if value is None:
        return "–"
    local = value.astimezone(JAKARTA) if value.tzinfo else value
    return f"{format_date(local, lang)} {local:%H.%M}" + (" WIB" if lang == "id" else " WIB")
