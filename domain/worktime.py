"""The working-time clock for whole columns at once: the one vectorised form of ``WorkCalendar``.

Every figure that places many instants in working time (the case list, the checklist, the timing
rule, the dashboard, the evaluation) uses this clock; the SQL of the dashboard builds the same day
table from each day's opening minute and length and is tested equal to it. Equal to ``WorkCalendar.working_minutes`` and
``WorkCalendar.add`` (tests/test_worktime.py, on random samples).

An instant's *ordinal* is the working time, in minutes, from the start of the clock's range to the
instant; an instant outside office hours counts as the next working instant (as
``WorkCalendar.normalise``), so the working time between two instants is the difference of their
ordinals. ``instant`` turns ordinals back into instants; the end of a working day stays the end of
that day (as ``WorkCalendar.add``).
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd

from domain.calendar import WorkCalendar, now


class WorkClock:
    """The working-time calendar over a range of days, as arrays; instants outside the range count
    as its first or last instant."""

    def __init__(self, calendar: WorkCalendar, lo: dt.date, hi: dt.date):
        n = (hi - lo).days + 1
        hours = [calendar.hours(lo + dt.timedelta(days=i)) for i in range(n)]
        self.calendar = calendar
        self.mpd = calendar.minutes_per_day  # the standard office day: "a day" of the standard times
        self.tz = calendar.tz
        self.lo, self.hi, self.n = lo, hi, n
        # Each day's opening minute and length in minutes (0 on a day that is not a working day): the
        # Bureau's calendar may give a Friday, a Ramadan day or a closure other hours than the rest.
        self.open_min = np.array([h[0] if h else 0 for h in hours], dtype=float)
        self.length = np.array([h[1] - h[0] if h else 0 for h in hours], dtype=float)
        self.work = self.length > 0
        self.start_cum = np.concatenate([[0.0], np.cumsum(self.length)[:-1]])
        self.work_days = np.flatnonzero(self.work)
        self.work_start = self.start_cum[self.work_days]
        self.work_end = self.work_start + self.length[self.work_days]
        self._lo_ts = pd.Timestamp(lo)

    @property
    def end_ordinal(self) -> float:
        """The ordinal of the range's last instant (what instants after the range count as)."""
        return float(self.start_cum[-1] + self.length[-1])

    def closed_days(self) -> list[dt.date]:
        """Mondays to Fridays of the range that are not working days (holidays, collective leave)."""
        return [self.lo + dt.timedelta(days=int(i)) for i in np.flatnonzero(~self.work)
                if (self.lo + dt.timedelta(days=int(i))).weekday() < 5]

    def ordinal(self, instants) -> np.ndarray:
        """Working minutes from the range's start to each instant (NaN where missing)."""
        if isinstance(instants, pd.Series):
            s = instants
            if not isinstance(s.dtype, pd.DatetimeTZDtype):
                s = pd.to_datetime(s, utc=True)
        else:
            s = pd.Series(pd.to_datetime(pd.Series(instants), utc=True))
        if not len(s):
            return np.array([], dtype=float)
        local = s.dt.tz_convert(self.tz).dt.tz_localize(None)
        day = local.dt.normalize()
        idx = ((day - self._lo_ts) / pd.Timedelta(days=1)).to_numpy(dtype=float, na_value=np.nan)
        minute = ((local - day) / pd.Timedelta(minutes=1)).to_numpy(dtype=float, na_value=np.nan)
        valid = ~np.isnan(idx)
        i = np.clip(np.nan_to_num(idx, nan=0.0), 0, self.n - 1).astype(int)
        within = np.minimum(np.maximum(np.nan_to_num(minute, nan=0.0) - self.open_min[i], 0.0), self.length[i])
        out = self.start_cum[i] + within
        out[idx < 0] = 0.0
        out[idx > self.n - 1] = self.end_ordinal
        out[~valid] = np.nan
        return out

    def instant(self, ordinals) -> pd.Series:
        """The instants at the given ordinals (UTC, to the second; NaT where NaN)."""
        o = np.asarray(ordinals, dtype=float)
        valid = ~np.isnan(o)
        k = np.searchsorted(self.work_end, np.nan_to_num(o, nan=0.0), side="left")
        k = np.clip(k, 0, len(self.work_days) - 1)
        minutes = np.nan_to_num(o, nan=0.0) - self.work_start[k] + self.open_min[self.work_days[k]]
        local = self._lo_ts + pd.to_timedelta(self.work_days[k], unit="D") + pd.to_timedelta(minutes, unit="min")
        out = pd.Series(local).dt.round("s").dt.tz_localize(self.tz).dt.tz_convert("UTC")
        out[~valid] = pd.NaT
        return out.astype("datetime64[us, UTC]")

    def minutes(self, a, b) -> np.ndarray:
        """Working minutes from each ``a`` to the matching ``b`` (negative when ``b`` is earlier)."""
        return self.ordinal(b) - self.ordinal(a)

    def days(self, a, b) -> np.ndarray:
        """Working time in standard office days."""
        return self.minutes(a, b) / self.mpd


@lru_cache(maxsize=16)
def work_clock(calendar: WorkCalendar, lo_year: int, hi_year: int) -> WorkClock:
    return WorkClock(calendar, dt.date(lo_year, 1, 1), dt.date(hi_year, 12, 31))


def clock_for(calendar: WorkCalendar, *instants) -> WorkClock:
    """A clock covering the given instants (Series, lists or single instants), a year before the
    first and some years after the last, so that due instants and forecasts fit in it too."""
    years: list[int] = []
    for value in instants:
        if value is None:
            continue
        if isinstance(value, (pd.Series, pd.Index, list, tuple, np.ndarray)):
            s = pd.to_datetime(pd.Series(value), utc=True).dropna()
        else:
            s = pd.to_datetime(pd.Series([value]), utc=True).dropna()
        if len(s):
            years += [s.min().year, s.max().year]
    years = years or [now().year]
    return work_clock(calendar, min(years) - 1, max(years) + 4)
