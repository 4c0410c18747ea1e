"""The one vectorised working-time clock (domain/worktime.py) equals the working-time calendar, with
Indonesian holidays and collective leave, on random samples."""
from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from domain.calendar import JAKARTA, WorkCalendar
from domain.worktime import clock_for

CAL = WorkCalendar()  # with the holidays and cuti bersama of the holidays package


def test_working_time_between_instants_equals_the_calendar_including_holidays():
    rng = random.Random(7)
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    a = [base + dt.timedelta(minutes=rng.randint(0, 3 * 365 * 1440)) for _ in range(300)]
    b = [x + dt.timedelta(minutes=rng.randint(-20 * 1440, 60 * 1440)) for x in a]
    clock = clock_for(CAL, a, b)
    got = clock.minutes(pd.Series(pd.to_datetime(a, utc=True)), pd.Series(pd.to_datetime(b, utc=True)))
    assert list(got) == pytest.approx([CAL.working_minutes(x, y) for x, y in zip(a, b, strict=True)], abs=1e-6)


def test_an_instant_plus_working_minutes_lands_where_the_calendar_says():
    rng = random.Random(3)
    starts = [dt.datetime(2025, 1, 1, tzinfo=JAKARTA) + dt.timedelta(minutes=rng.randint(0, 900 * 24 * 60))
              for _ in range(300)]
    minutes = [rng.choice([0, 1, 30, 510, 511, 2550, rng.randint(1, 40_000)]) for _ in starts]
    clock = clock_for(CAL, pd.Series(starts))
    got = clock.instant(clock.ordinal(pd.Series(starts)) + minutes)
    for start, m, value in zip(starts, minutes, got, strict=True):
        if m:  # adding nothing to a closing time may land on either side of the night
            assert value.to_pydatetime() == CAL.add(start, m).replace(microsecond=0), (start, m)


def test_the_closed_days_are_the_weekdays_the_calendar_does_not_work():
    clock = clock_for(CAL, [dt.datetime(2026, 6, 1, tzinfo=JAKARTA)])
    closed = set(clock.closed_days())
    assert dt.date(2026, 12, 24) in closed and dt.date(2026, 12, 25) in closed  # cuti bersama, Christmas
    assert dt.date(2026, 12, 26) not in closed  # a Saturday: not a weekday
    assert all(not CAL.is_working_day(d) for d in closed)
