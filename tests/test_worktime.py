"""The one vectorised working-time clock (domain/worktime.py) equals the working-time calendar, with
Indonesian holidays and collective leave, and with the Bureau's own days and hours, on random samples."""
from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from domain.calendar import JAKARTA, WorkCalendar
from domain.worktime import clock_for
from tests.calendars import IRREGULAR

CAL = WorkCalendar()  # with the holidays and cuti bersama of the holidays package


@pytest.mark.parametrize("calendar", [CAL, IRREGULAR], ids=["holidays", "irregular-days"])
def test_working_time_between_instants_equals_the_calendar_including_holidays(calendar):
    rng = random.Random(7)
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    a = [base + dt.timedelta(minutes=rng.randint(0, 3 * 365 * 1440)) for _ in range(300)]
    b = [x + dt.timedelta(minutes=rng.randint(-20 * 1440, 60 * 1440)) for x in a]
    clock = clock_for(calendar, a, b)
    got = clock.minutes(pd.Series(pd.to_datetime(a, utc=True)), pd.Series(pd.to_datetime(b, utc=True)))
    assert list(got) == pytest.approx([calendar.working_minutes(x, y) for x, y in zip(a, b, strict=True)],
                                      abs=1e-6)


@pytest.mark.parametrize("calendar", [CAL, IRREGULAR], ids=["holidays", "irregular-days"])
def test_an_instant_plus_working_minutes_lands_where_the_calendar_says(calendar):
    rng = random.Random(3)
    starts = [dt.datetime(2025, 1, 1, tzinfo=JAKARTA) + dt.timedelta(minutes=rng.randint(0, 900 * 24 * 60))
              for _ in range(300)]
    minutes = [rng.choice([0, 1, 30, 510, 511, 2550, rng.randint(1, 40_000)]) for _ in starts]
    clock = clock_for(calendar, pd.Series(starts))
    got = clock.instant(clock.ordinal(pd.Series(starts)) + minutes)
    for start, m, value in zip(starts, minutes, got, strict=True):
        if m:  # adding nothing to a closing time may land on either side of the night
            assert value.to_pydatetime() == calendar.add(start, m).replace(microsecond=0), (start, m)


def test_the_closed_days_are_the_weekdays_the_calendar_does_not_work():
    clock = clock_for(CAL, [dt.datetime(2026, 6, 1, tzinfo=JAKARTA)])
    closed = set(clock.closed_days())
    assert dt.date(2026, 12, 24) in closed and dt.date(2026, 12, 25) in closed  # cuti bersama, Christmas
    assert dt.date(2026, 12, 26) not in closed  # a Saturday: not a weekday
    assert all(not CAL.is_working_day(d) for d in closed)


def test_irregular_days_are_sampled_where_they_differ_from_the_standard_day():
    """The samples above cross days unlike the standard one: the clock's day lengths say so."""
    clock = clock_for(IRREGULAR, [dt.datetime(2025, 6, 1, tzinfo=JAKARTA), dt.datetime(2027, 6, 1, tzinfo=JAKARTA)])
    lengths = {clock.lo + dt.timedelta(days=i): clock.length[i] for i in range(clock.n)}
    opens = {clock.lo + dt.timedelta(days=i): clock.open_min[i] for i in range(clock.n)}
    assert lengths[dt.date(2026, 11, 20)] == 540  # a Friday to 16.30
    assert lengths[dt.date(2026, 3, 2)] == 420 and opens[dt.date(2026, 3, 2)] == 480  # Ramadan 08.00-15.00
    assert lengths[dt.date(2026, 2, 23)] == 660  # the later period inside Ramadan wins
    assert lengths[dt.date(2025, 8, 12)] == 0  # the office closure
    assert lengths[dt.date(2026, 11, 27)] == 0  # a non-working day added by the Admin
    assert lengths[dt.date(2026, 3, 7)] == 420  # a Saturday declared a working day, in Ramadan hours
    assert lengths[dt.date(2025, 12, 26)] == 540  # a cuti bersama made a working day again: a Friday
    assert clock.mpd == 510  # "a day" of the standard times stays the standard office day
