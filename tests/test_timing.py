"""The one rule for time and lateness (domain/timing.py), pinned with examples worked out by hand from
the seed. Calendar: 07:30–16:00 (510 working minutes a day), no public holidays; 2 March 2026 is a
Monday."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from domain import catalogue as cat
from domain import timing
from domain.calendar import JAKARTA, WorkCalendar

CAL = WorkCalendar(use_national_holidays=False)
D = 510


def j(d, h, mi=0) -> dt.datetime:
    return dt.datetime(2026, 3, d, h, mi, tzinfo=JAKARTA)


def case(cid="C1", status="aktif", **kw) -> dict:
    base = {"id": cid, "status": status, "track": cat.INTERN, "drafts": 2, "unit_ids": ["U1"], "organisations": 1,
            "meeting_location": cat.IN_TOWN, "team_decree": cat.DECREE_MENTERI, "hold_since": None,
            "started_at": j(2, 8), "finished_at": None}
    base.update(kw)
    return base


def step(code, start, end=None, actor=None, party=None, status=None, cid="C1") -> dict:
    return {"case_id": cid, "step_code": code, "status": status or ("selesai" if end else "berjalan"),
            "started_at": start, "finished_at": end, "actor_id": actor, "party": party}


def judged(cases: list[dict], events: list[dict], cutoff, holds: list[dict] | None = None) -> pd.DataFrame:
    c = pd.DataFrame(cases)
    e = pd.DataFrame(events)
    for col in ("started_at", "finished_at"):
        e[col] = pd.to_datetime(e[col], utc=True)
    for col in ("started_at", "finished_at", "hold_since"):
        c[col] = pd.to_datetime(c[col], utc=True)
    h = pd.DataFrame(holds or [], columns=["case_id", "start_at", "end_at"])
    for col in ("start_at", "end_at"):
        h[col] = pd.to_datetime(h[col], utc=True)
    return timing.judge(e, c, h, cutoff, CAL).set_index("item")


def test_a_block_is_judged_as_a_whole_and_counts_against_its_longest_step():
    # 2.a (1 day): Mon 08:00 -> Tue 12:00 = 480 + 270 = 750 min, 240 beyond its 510.
    got = judged([case()], [step("2.a.1", j(2, 8), j(2, 9), "EX-S"), step("2.a.2", j(2, 9), j(3, 10), "EX-1"),
                            step("2.a.3", j(3, 10), j(3, 11), "EX-S"), step("2.a.4", j(3, 11), j(3, 12), "EX-B")],
                 j(4, 9))
    block = got.loc["2.a"]
    assert (block["kind"], block["state"], block["late_minutes"], block["std_minutes"]) == ("block", "late", 240, D)
    # 2.a.2 (Mon 09:00 -> Tue 10:00 = 420 + 150 = 570 min) held the work longest.
    assert (block["party"], block["executor_id"]) == (cat.STAF, "EX-1")
    assert block["due"] == pd.Timestamp(j(3, 8)).tz_convert("UTC")  # Mon 08:00 + 510 working minutes
    assert set(got.index) == {"2.a"}  # the block's steps carry no lateness of their own


def test_a_step_over_its_indicative_share_inside_a_block_on_time_is_not_late():
    # 2.a.2 takes 350 min (its share of the day is 127) but the block takes 420 of its 510.
    got = judged([case()], [step("2.a.1", j(2, 8), j(2, 8, 10)), step("2.a.2", j(2, 8, 10), j(2, 14)),
                            step("2.a.3", j(2, 14), j(2, 14, 30)), step("2.a.4", j(2, 14, 30), j(2, 15))], j(4, 9))
    assert got.loc["2.a", "state"] == timing.ON_TIME and not got.loc["2.a", "late"]


def test_finishing_after_the_due_instant_with_no_working_time_late_is_on_time():
    # 1.a (30 min) started Friday 15:45: 15 working minutes that day; finished Friday evening.
    friday = dt.datetime(2026, 3, 6, 15, 45, tzinfo=JAKARTA)
    got = judged([case()], [step("1.a", friday, friday.replace(hour=20))], j(9, 9))
    assert got.loc["1.a", "state"] == timing.ON_TIME
    # Finished Monday 07:50: 15 + 20 = 35 working minutes, 5 beyond.
    got = judged([case()], [step("1.a", friday, j(9, 7, 50))], j(9, 9))
    assert got.loc["1.a", "state"] == timing.LATE and got.loc["1.a", "late_minutes"] == pytest.approx(5)


def test_a_step_running_past_its_time_is_overdue_and_counts_against_its_party():
    got = judged([case()], [step("1.a", j(2, 8), j(2, 8, 20), "EX-K"), step("1.b", j(2, 8, 20), None, "EX-B")],
                 j(2, 10))
    assert got.loc["1.a", "state"] == timing.ON_TIME
    row = got.loc["1.b"]
    assert (row["state"], row["late_minutes"], row["party"]) == (timing.OVERDUE, 70, cat.KABAG)  # 100 of 30


def test_a_hold_stops_the_clock_a_case_held_before_its_due_instant_is_not_late_months_later():
    # 1.a started 08:00, held from 08:20 (10 minutes before its due instant), still held in June.
    held = case(status="ditunda", hold_since=j(2, 8, 20))
    holds = [{"case_id": "C1", "start_at": j(2, 8, 20), "end_at": None}]
    got = judged([held], [step("1.a", j(2, 8))], dt.datetime(2026, 6, 30, 12, tzinfo=JAKARTA), holds)
    assert got.loc["1.a", "state"] == timing.RUNNING and got.loc["1.a", "used_minutes"] == pytest.approx(20)
    # Without a hold row (edited by hand) the case's hold_since stops the clock just the same.
    got = judged([held], [step("1.a", j(2, 8))], dt.datetime(2026, 6, 30, 12, tzinfo=JAKARTA))
    assert got.loc["1.a", "state"] == timing.RUNNING


def test_a_cancelled_case_stops_its_clock_its_running_steps_are_not_judged():
    got = judged([case(status="dibatalkan")], [step("1.a", j(2, 8), j(2, 8, 50)), step("1.b", j(2, 8, 50))],
                 j(20, 9))
    assert got.loc["1.a", "state"] == timing.LATE  # finished before, late: what happened stays judged
    assert got.loc["1.b", "state"] == timing.NOT_JUDGED and not got.loc["1.b", "late"]


def test_a_deputi_who_signed_is_whom_the_block_counts_against():
    # 2.b (2 weeks): the Deputi signed the memo (2.b.1.e) and held it eight days.
    steps = [step("2.b.1.a", j(2, 8), j(2, 9)), step("2.b.1.b", j(2, 9), j(2, 10)),
             step("2.b.1.c", j(2, 10), j(2, 11)), step("2.b.1.d", j(2, 11), j(2, 12)),
             step("2.b.1.e", j(2, 12), j(12, 12), party=cat.DEPUTI)]
    got = judged([case()], steps, j(12, 13))
    row = got.loc["2.b"]
    assert (row["party"], row["external"], row["executor_id"], row["state"]) == (cat.DEPUTI, True, None,
                                                                                   timing.RUNNING)
    # Recorded as the Karo's signature, the same block would count against the Karo.
    steps[-1] = step("2.b.1.e", j(2, 12), j(12, 12), "EX-K", party=cat.KARO)
    assert judged([case()], steps, j(12, 13)).loc["2.b", "party"] == cat.KARO


def test_meeting_administration_is_judged_before_each_meeting_on_its_own_time():
    away = case(meeting_location=cat.OUT_OF_TOWN)
    # The administration before working meeting 1 (3 days out of town): Mon 08:00 -> Fri 08:00 = 4 days
    # less 30 minutes (Mon 07:30-08:00) = 480 + 3 x 510 + 30 = 2040 min, 510 beyond its 1530.
    admin = [step(f"4.b.1.2.{c}/3", j(2, 8) if c == "a" else j(6, 7, 30), j(6, 7, 30) if c == "a" else j(6, 8))
             for c in "abcdef"]
    got = judged([away], admin, j(6, 9))
    row = got.loc["4.b.1.2/3"]
    assert (row["std_minutes"], row["state"]) == (3 * D, timing.LATE)
    assert row["late_minutes"] == pytest.approx(510)


def test_an_item_all_of_whose_steps_were_skipped_is_not_judged():
    got = judged([case()], [step(f"2.a.{n}", j(2, 8), j(2, 8), status="dilewati") for n in range(1, 5)], j(9, 9))
    assert got.loc["2.a", "state"] == timing.SKIPPED_ITEM and not got.loc["2.a", "judged"]


def test_untimed_steps_are_never_judged():
    permen = case(track=cat.PERMEN)
    got = judged([permen], [step("7", j(2, 8), j(30, 8)), step("8.a", j(30, 8), None)], j(31, 8))
    assert got.empty


def test_blank_or_unknown_plan_parameters_take_the_defaults_and_say_so():
    from domain import case_params

    read = case_params.of_case({"track": "", "drafts": None, "unit_ids": ["U1", "U2"], "organisations": "x",
                                "meeting_location": "  ", "team_decree": "raja"})
    assert read.params == cat.CaseParams(cat.PERMEN, 1, 2, 1, cat.IN_TOWN, cat.DECREE_MENTERI)
    assert set(read.defaulted) == {"track", "drafts", "organisations", "meeting_location", "team_decree"}
    got = judged([case(meeting_location=None)], [step("1.a", j(2, 8), j(2, 9))], j(2, 10))
    assert got.loc["1.a", "state"] == timing.LATE and got.loc["1.a", "std_minutes"] == 30
