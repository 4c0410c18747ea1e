"""Working-time calendar: office hours, weekends, public holidays and collective leave."""
import datetime as dt

from hypothesis import given, settings, strategies as st

from domain.calendar import JAKARTA, WorkCalendar, format_date

CAL = WorkCalendar()


def at(y, m, d, hh=7, mm=30):
    return dt.datetime(y, m, d, hh, mm, tzinfo=JAKARTA)


def test_thirty_minutes_inside_one_day():
    assert CAL.add(at(2026, 11, 2, 9, 0), 30) == at(2026, 11, 2, 9, 30)


def test_one_day_from_friday_morning_is_monday_morning():
    assert CAL.add(at(2026, 11, 27, 10, 0), CAL.minutes_per_day) == at(2026, 11, 30, 10, 0)


def test_collective_leave_and_public_holidays_are_not_working_days():
    assert not CAL.is_working_day(dt.date(2026, 12, 24))  # cuti bersama Natal
    assert not CAL.is_working_day(dt.date(2026, 12, 25))  # Natal
    assert not CAL.is_working_day(dt.date(2026, 3, 23))  # cuti bersama Idulfitri
    assert CAL.add(at(2026, 12, 23, 15, 0), 120) == at(2026, 12, 28, 8, 30)


def test_a_start_outside_office_hours_starts_at_the_next_opening():
    assert CAL.add(at(2026, 11, 28, 12, 0), 60) == at(2026, 11, 30, 8, 30)  # Saturday
    assert CAL.add(at(2026, 11, 30, 18, 0), 0) == at(2026, 12, 1, 7, 30)


def test_office_hours_are_configurable():
    cal = WorkCalendar.from_config("08:00", "16:30")
    assert cal.minutes_per_day == 510
    assert cal.add(at(2026, 11, 2, 16, 0), 60) == at(2026, 11, 3, 8, 30)


def test_working_time_between_two_instants():
    assert CAL.working_minutes(at(2026, 11, 27, 15, 0), at(2026, 11, 30, 8, 30)) == 120
    assert CAL.working_minutes(at(2026, 11, 30, 8, 30), at(2026, 11, 27, 15, 0)) == -120


def test_dates_are_written_as_the_ministry_writes_them():
    assert format_date(dt.date(2026, 11, 29)) == "29 November 2026"
    assert format_date(dt.date(2026, 8, 17), "en") == "17 August 2026"


instants = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=JAKARTA))
amounts = st.integers(min_value=0, max_value=40 * 510)


@settings(max_examples=300, deadline=None)
@given(instants, amounts)
def test_adding_then_measuring_returns_the_same_amount(start, minutes):
    due = CAL.add(start, minutes)
    assert abs(CAL.working_minutes(start, due) - minutes) < 1e-6


@settings(max_examples=300, deadline=None)
@given(instants, amounts)
def test_a_due_instant_never_falls_on_a_holiday_or_weekend(start, minutes):
    due = CAL.add(start, minutes)
    assert CAL.is_working_day(due.date())
    assert CAL.start <= due.timetz().replace(tzinfo=None) <= CAL.end


@settings(max_examples=200, deadline=None)
@given(instants, amounts, amounts)
def test_adding_in_two_parts_equals_adding_at_once(start, a, b):
    assert CAL.add(CAL.add(start, a), b) == CAL.add(start, a + b)
