"""Working time of the ministry: Monday–Friday office hours, minus public holidays and the civil
service's collective leave (cuti bersama). Standard times of the procedure are working time."""
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


def _parse_hhmm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


@dataclass(frozen=True)
class WorkCalendar:
    start: dt.time = dt.time(7, 30)
    end: dt.time = dt.time(16, 0)
    tz: ZoneInfo = JAKARTA
    extra_holidays: frozenset[dt.date] = field(default_factory=frozenset)
    use_national_holidays: bool = True

    @classmethod
    def from_config(cls, office_start: str = "07:30", office_end: str = "16:00",
                    extra_holidays: frozenset[dt.date] = frozenset()) -> WorkCalendar:
        cal = cls(_parse_hhmm(office_start), _parse_hhmm(office_end), extra_holidays=extra_holidays)
        if cal.minutes_per_day <= 0:
            raise ValueError("jam kantor: jam selesai harus setelah jam mulai")
        return cal

    @property
    def minutes_per_day(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5 or day in self.extra_holidays:
            return False
        return not (self.use_national_holidays and day in indonesian_holidays(day.year))

    def _local(self, instant: dt.datetime) -> dt.datetime:
        if instant.tzinfo is None:
            raise ValueError("instants must carry a time zone")
        return instant.astimezone(self.tz)

    def _open(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.start, self.tz)

    def _close(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.end, self.tz)

    def next_working_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def normalise(self, instant: dt.datetime) -> dt.datetime:
        """The first working instant at or after ``instant`` (end of day stays end of day)."""
        t = self._local(instant)
        day = t.date()
        if self.is_working_day(day):
            if t < self._open(day):
                return self._open(day)
            if t <= self._close(day):
                return t
        return self._open(self.next_working_day(day))

    def add(self, start: dt.datetime, minutes: float) -> dt.datetime:
        """Due instant: ``minutes`` of working time after ``start``. Always on a working day."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        t = self.normalise(start)
        remaining = dt.timedelta(minutes=minutes)
        while True:
            left_today = self._close(t.date()) - t
            if remaining <= left_today:
                return t + remaining
            remaining -= left_today
            t = self._open(self.next_working_day(t.date()))

    def working_minutes(self, a: dt.datetime, b: dt.datetime) -> float:
        """Working time between two instants, in minutes; negative when ``b`` is before ``a``."""
        if b < a:
            return -self.working_minutes(b, a)
        a, b = self._local(a), self._local(b)
        total = dt.timedelta()
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                lo = max(a, self._open(day))
                hi = min(b, self._close(day))
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total.total_seconds() / 60

    def working_days(self, a: dt.datetime, b: dt.datetime) -> float:
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
