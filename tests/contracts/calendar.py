"""The Bureau's calendar on a store, written once and run on every backend: the Admin's entries change
the working time every computation uses, a change moves the stored due instants of running steps in
the same save and is audited, a removed entry gives the time back, bad input changes nothing."""
from __future__ import annotations

import datetime as dt

import pytest

from domain import bureau_calendar as bc
from domain import tracker as trk
from domain.calendar import JAKARTA, WorkCalendar
from domain.errors import PermissionDenied, StaleWriteError, ValidationError
from tests.apptest_helpers import ACTORS
from tests.tracker_world import CAL, open_at, populated, view

ADMIN = ACTORS["admin"]
OFFICE = ("07:30", "16:00")
# Monday 23 November 2026: the case is brought to 3.b (two weeks, the unit's) that morning.
START = dt.datetime(2026, 11, 23, 8, 0, tzinfo=JAKARTA)
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=JAKARTA)


def at_drafting(repo) -> tuple[dict, dt.datetime]:
    """A case whose step 3.b runs since a minute after each earlier step: (case, 3.b's start)."""
    case = open_at(repo, start=START)
    t = START
    while view(repo, case["id"]).current_code() != "3.b":
        t += dt.timedelta(minutes=1)
        v = view(repo, case["id"])
        trk.finish_step(repo, ACTORS["staf1"], CAL, case["id"], v.current_code(), expected_version=v.version, at=t)
    return case, t


def due_of(repo, case_id: str, code: str = "3.b") -> dt.datetime:
    return view(repo, case_id).events[code]["due_at"]


class CalendarContract:
    """A backend's test class inherits this and provides the ``repo`` fixture."""

    @pytest.fixture
    def world(self, repo):
        with populated(repo) as store:
            yield store

    def test_without_entries_the_calendar_is_the_default_one(self, world):
        assert bc.calendar_from(world.list(bc.TABLE), *OFFICE) == WorkCalendar()

    def test_a_non_working_day_added_by_the_admin_moves_a_running_steps_due_instant_and_is_audited(self, world):
        case, started = at_drafting(world)
        before = due_of(world, case["id"])
        assert before == CAL.add(started, 10 * CAL.minutes_per_day)  # two weeks: Monday 7 December
        assert before.astimezone(JAKARTA).date() == dt.date(2026, 12, 7)
        result = bc.save_entry(world, ADMIN, bc.CalendarChange(
            bc.HOLIDAY, first_day=dt.date(2026, 12, 4), reason="SKB 3 Menteri No. 2/2026 (cuti bersama tambahan)"),
            office=OFFICE, now=NOW)
        after = due_of(world, case["id"])
        assert result.recomputed == 1
        assert after == before + dt.timedelta(days=1)  # Tuesday 8 December, same hour: one working day later
        assert after == result.calendar.add(started, 10 * CAL.minutes_per_day)
        entry = world.get(bc.TABLE, result.entry["id"])
        assert entry["kind"] == bc.HOLIDAY and entry["reason"].startswith("SKB 3 Menteri")
        logs = [e for e in world.audit(bc.TABLE, entry["id"]) if e["action"] == "calendar.recomputed"]
        assert len(logs) == 1 and "1 batas waktu" in logs[0]["new"] and logs[0]["actor"] == "admin"
        event = view(world, case["id"]).events["3.b"]
        moved = [e for e in world.audit("step_events", event["id"]) if e.get("field") == "due_at"]
        assert moved and moved[-1]["actor"] == "admin"
        assert moved[-1]["new"] == after.astimezone(dt.UTC).isoformat()

    def test_removing_the_day_gives_the_working_time_back(self, world):
        case, _ = at_drafting(world)
        before = due_of(world, case["id"])
        added = bc.save_entry(world, ADMIN, bc.CalendarChange(bc.HOLIDAY, first_day=dt.date(2026, 12, 4),
                                                              reason="SE Sesmen No. 7/2026"), office=OFFICE, now=NOW)
        entry = world.get(bc.TABLE, added.entry["id"])
        removed = bc.remove_entry(world, ADMIN, entry["id"], expected_version=entry["version"], office=OFFICE, now=NOW)
        assert removed.recomputed == 1 and due_of(world, case["id"]) == before
        assert world.get(bc.TABLE, entry["id"])["active"] is False
        assert bc.calendar_from(world.list(bc.TABLE), *OFFICE) == WorkCalendar()

    def test_fridays_to_1630_bring_a_due_instant_forward_by_the_extra_half_hours(self, world):
        case, _ = at_drafting(world)
        before = due_of(world, case["id"])
        result = bc.save_entry(world, ADMIN, bc.CalendarChange(bc.WEEKDAY, weekday=4, opens="07:30", closes="16:30"),
                               office=OFFICE, now=NOW)
        assert result.recomputed == 1
        assert due_of(world, case["id"]) == before - dt.timedelta(minutes=60)  # Fridays 27 Nov and 4 Dec
        assert result.calendar.minutes_per_day == 510  # "a day" stays the standard day

    def test_a_period_and_a_cancelled_cuti_bersama_shape_the_calendar(self, world):
        bc.save_entry(world, ADMIN, bc.CalendarChange(bc.PERIOD, first_day=dt.date(2027, 2, 8),
                                                      last_day=dt.date(2027, 3, 9), opens="08:00", closes="15:00",
                                                      reason="SE Menteri PANRB tentang jam kerja Ramadan"),
                      office=OFFICE, now=NOW)
        bc.save_entry(world, ADMIN, bc.CalendarChange(bc.WORKDAY, first_day=dt.date(2026, 12, 24),
                                                      reason="SKB perubahan cuti bersama"), office=OFFICE, now=NOW)
        cal = bc.calendar_from(world.list(bc.TABLE), *OFFICE)
        assert cal.hours(dt.date(2027, 2, 10)) == (480, 900)
        assert cal.is_working_day(dt.date(2026, 12, 24)) and not CAL.is_working_day(dt.date(2026, 12, 24))

    def test_an_entry_without_its_basis_is_refused_naming_the_field_and_nothing_changes(self, world):
        case, _ = at_drafting(world)
        before = due_of(world, case["id"])
        with pytest.raises(ValidationError) as exc:
            bc.save_entry(world, ADMIN, bc.CalendarChange(bc.HOLIDAY, first_day=dt.date(2026, 12, 4), reason=" "),
                          office=OFFICE, now=NOW)
        assert exc.value.field == "reason" and "SKB" in exc.value.message
        with pytest.raises(ValidationError) as order:
            bc.save_entry(world, ADMIN, bc.CalendarChange(bc.WEEKDAY, weekday=4, opens="16:30", closes="07:30"),
                          office=OFFICE, now=NOW)
        assert order.value.field == "closes"
        assert world.count(bc.TABLE) == 0 and due_of(world, case["id"]) == before

    def test_only_the_admin_changes_the_calendar(self, world):
        with pytest.raises(PermissionDenied):
            bc.save_entry(world, ACTORS["karo"], bc.CalendarChange(bc.HOLIDAY, first_day=dt.date(2026, 12, 4),
                                                                   reason="SKB"), office=OFFICE, now=NOW)
        assert world.count(bc.TABLE) == 0

    def test_a_weekday_changed_meanwhile_by_someone_else_is_refused(self, world):
        first = bc.save_entry(world, ADMIN, bc.CalendarChange(bc.WEEKDAY, weekday=4, opens="07:30", closes="16:30"),
                              office=OFFICE, now=NOW)
        seen = first.entry["version"]
        bc.save_entry(world, ADMIN, bc.CalendarChange(bc.WEEKDAY, weekday=4, opens="07:30", closes="16:15"),
                      office=OFFICE, now=NOW, expected_version=seen)
        with pytest.raises(StaleWriteError):
            bc.save_entry(world, ADMIN, bc.CalendarChange(bc.WEEKDAY, weekday=4, opens="08:00", closes="16:00"),
                          office=OFFICE, now=NOW, expected_version=seen)
        assert world.get(bc.TABLE, bc.weekday_id(4))["closes"] == "16:15"
