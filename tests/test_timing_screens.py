"""Every screen tells the same story about time: the case list, the case detail, the dashboard and
the yearly evaluation agree with the timing rule (``domain.timing``) on every judged step's and
block's lateness and on every case's late flag — on random stores made through the tracker's own
actions (holds and resumptions, cancellations, back-dated, skipped and reopened steps, recorded
parties, blank parameters, both tracks, every alternative), and on the three cases that once
disagreed."""
from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from data_access.repository import Update
from domain import catalogue as cat
from domain import dashboard as dash
from domain import evaluation as evl
from domain import timing
from domain import tracker as trk
from domain.calendar import JAKARTA
from domain.errors import DomainError
from tests.apptest_helpers import ACTORS
from tests.tracker_world import CAL, open_at, populated

STAF, KABAG = ACTORS["staf1"], ACTORS["kabag"]
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=JAKARTA)  # the cut-off: a Monday morning
TABLES = ("organisations", "units", "executors", "cases", "step_events", "holds", "complaints",
          "complaint_actions", "accounts")


@pytest.fixture
def world(duckdb_repo):
    with populated(duckdb_repo) as repo:
        yield repo


def step_on(repo, case_id: str, rng: random.Random, t: dt.datetime) -> dt.datetime:
    """One random action on a case at about ``t``; returns the instant it reached."""
    v = trk.load_case(repo, case_id, CAL.minutes_per_day)
    code = v.current_code()
    if code is None or v.case["status"] not in ("aktif", "ditunda"):
        return t
    t = t + dt.timedelta(minutes=rng.choice([5, 20, 90, 300, 600, 1500, 3000, 8000]))
    if t >= NOW:
        return t
    roll = rng.random()
    if v.case["status"] == "ditunda":
        trk.resume_case(repo, KABAG, CAL, case_id, expected_version=v.version, at=t)
    elif roll < 0.06:
        trk.hold_case(repo, KABAG, CAL, case_id, expected_version=v.version, reason="menunggu", at=t)
    elif roll < 0.10:
        trk.skip_step(repo, STAF, CAL, case_id, code, expected_version=v.version, reason="tidak perlu", at=t)
    elif roll < 0.13 and any(e["status"] == "selesai" for e in v.events.values()):
        done = [c for c, e in v.events.items() if e["status"] == "selesai"]
        trk.reopen_step(repo, STAF, CAL, case_id, rng.choice(done), expected_version=v.version, reason="ulang",
                        at=t)
    elif roll < 0.18 and code not in v.events:
        prev = v.previous_finish(code) or v.case["started_at"]
        trk.record_done_earlier(repo, STAF, CAL, case_id, code, expected_version=v.version,
                                started_at=prev, finished_at=min(t, NOW - dt.timedelta(hours=1)), reason="arsip")
    else:
        step = cat.STEP_BY_CODE[code]
        party = rng.choice(step.choices) if len(step.choices) > 1 else None
        if code not in v.events:
            trk.start_step(repo, STAF, CAL, case_id, code, expected_version=v.version, at=t)
            v = trk.load_case(repo, case_id, CAL.minutes_per_day)
        trk.finish_step(repo, STAF, CAL, case_id, code, expected_version=v.version, at=t, party=party,
                        done_by=rng.choice(["EX-STAF1", "EX-STAF2", "EX-KASUBBAG", None]))
    return t


def random_store(repo, seed: int, n_cases: int = 4) -> None:
    rng = random.Random(seed)
    for n in range(n_cases):
        start = NOW - dt.timedelta(days=rng.randint(5, 330), hours=rng.randint(0, 8))
        c = open_at(repo, start=start, title=f"SOP acak {seed}-{n}", track=rng.choice(cat.TRACKS),
                    drafts=rng.randint(1, 20), meeting_location=rng.choice(cat.MEETING_LOCATIONS),
                    team_decree=rng.choice(cat.TEAM_DECREES),
                    unit_ids=rng.sample(["UNIT-SETMEN-1", "UNIT-SETMEN-2", "UNIT-HUKUM-1"], rng.randint(1, 2)))
        t = start
        for _ in range(rng.randint(3, 45)):
            try:
                t = step_on(repo, c["id"], rng, t)
            except DomainError:
                t += dt.timedelta(hours=1)  # an action the rules refuse: the case carries on
            if t >= NOW:
                break
        case = repo.get("cases", c["id"])
        if rng.random() < 0.15 and case["status"] == "aktif":
            trk.edit_case(repo, KABAG, c["id"], expected_version=case["version"], changes={"status": "dibatalkan"})
        elif rng.random() < 0.15:  # a value blanked or mistyped by hand in the sheet
            repo.apply([Update("cases", c["id"], {"meeting_location": rng.choice([None, "bulan"])},
                               case["version"])], actor="tangan")


def the_rule(repo) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    frames = repo.frames(list(TABLES))
    judged = timing.judge(frames["step_events"], frames["cases"], frames["holds"], NOW, CAL)
    at = timing.cases_at(frames["cases"], frames["step_events"], judged, NOW, CAL, frames["holds"]).set_index(
        "case_id")
    return judged, at, frames


def assert_every_screen_agrees(repo) -> None:
    judged, at, frames = the_rule(repo)
    cases = frames["cases"].set_index("id")
    mpd = CAL.minutes_per_day
    overdue = {(r.case_id, r.item): round(r.late_minutes / mpd, 6) for r in judged.itertuples()
               if r.state == timing.OVERDUE}
    late_case = {cid: bool(at.loc[cid, "late"]) and cases.loc[cid, "status"] != "dibatalkan" for cid in at.index}

    # The case list.
    listed = trk.load_summary(repo, CAL, NOW).set_index("id")
    for cid in cases.index:
        assert bool(listed.loc[cid, "late"]) == late_case[cid], ("list", cid)
        if late_case[cid]:
            assert listed.loc[cid, "late_days"] == pytest.approx(round(at.loc[cid, "late_days"], 2)), ("list", cid)

    # The case detail: header, checklist, banners.
    for cid in cases.index:
        v = trk.load_case(repo, cid, mpd)
        rows = trk.checklist(v, CAL, NOW)
        header = trk.case_header(v, rows, CAL, NOW)
        assert header.late == bool(at.loc[cid, "late"]), ("detail", cid)
        shown = {(cid, code): round(days, 2) for code, _name, days, _party in header.overdue}
        assert shown == {k: round(d, 2) for k, d in overdue.items() if k[0] == cid}, ("detail", cid)
        mine = judged[judged["case_id"] == cid].set_index("item")
        for r in rows:
            if r.code in mine.index:  # a step judged on its own
                assert r.late == bool(mine.loc[r.code, "late"]), ("checklist", cid, r.code)
            elif r.block and r.block in mine.index:
                assert r.block_state == mine.loc[r.block, "state"], ("checklist", cid, r.code)

    # The dashboard, for this year.
    d = dash.compute(frames, NOW.year, CAL, NOW)
    for row in d.cases.itertuples():
        assert row.late == late_case[row.case_id], ("dashboard", row.case_id)
    listed_late = {(r.case_id, r.step_code): round(r.days_late, 6) for r in d.late_steps.itertuples()}
    in_scope = set(d.cases["case_id"])
    assert listed_late == {k: v for k, v in overdue.items() if k[0] in in_scope and cases.loc[k[0], "status"]
                           != "dibatalkan"}, "dashboard late steps"

    # The yearly evaluation.
    ev = evl.evaluate(frames, NOW.year, CAL, now=NOW, late_limit=100_000)
    number = cases["number"].to_dict()
    lo = pd.Timestamp(dt.datetime(NOW.year, 1, 1, tzinfo=JAKARTA)).tz_convert("UTC")
    late_fin = {(number[r.case_id], r.item, round(r.late_minutes / mpd, 6), False) for r in judged.itertuples()
                if r.state == timing.LATE and r.finish >= lo}
    late_open = {(number[c], i, d, True) for (c, i), d in overdue.items()}
    assert {(s.case_number, s.step_code, round(s.late_days, 6), s.open) for s in ev.late_steps} == \
        late_fin | late_open, "evaluation late steps"


@pytest.mark.parametrize("seed", range(4))
def test_every_screen_agrees_with_the_rule_on_random_stores(world, seed):
    random_store(world, seed)
    assert_every_screen_agrees(world)


def test_a_case_held_just_before_its_due_instant_is_late_nowhere_months_later(world):
    start = dt.datetime(2026, 6, 1, 8, 0, tzinfo=JAKARTA)
    c = open_at(world, start=start)  # 1.a: 30 minutes
    trk.hold_case(world, KABAG, CAL, c["id"], expected_version=c["version"], reason="menunggu arahan",
                  at=start + dt.timedelta(minutes=20))
    judged, at, _ = the_rule(world)
    assert judged.set_index("item").loc["1.a", "state"] == timing.RUNNING and not at.loc[c["id"], "late"]
    assert_every_screen_agrees(world)


def test_a_cancelled_case_with_a_step_past_due_is_late_nowhere(world):
    start = dt.datetime(2026, 6, 1, 8, 0, tzinfo=JAKARTA)
    c = open_at(world, start=start)
    trk.edit_case(world, KABAG, c["id"], expected_version=c["version"], changes={"status": "dibatalkan"})
    judged, at, _ = the_rule(world)
    assert judged.set_index("item").loc["1.a", "state"] == timing.NOT_JUDGED
    v = trk.load_case(world, c["id"], CAL.minutes_per_day)
    header = trk.case_header(v, trk.checklist(v, CAL, NOW), CAL, NOW)
    assert not header.late and header.overdue == ()
    assert_every_screen_agrees(world)


def test_a_case_with_a_blank_meeting_place_is_planned_with_the_default_and_says_so(world):
    c = open_at(world, start=dt.datetime(2026, 6, 1, 8, 0, tzinfo=JAKARTA))
    world.apply([Update("cases", c["id"], {"meeting_location": None}, c["version"])], actor="tangan")
    v = trk.load_case(world, c["id"], CAL.minutes_per_day)
    header = trk.case_header(v, trk.checklist(v, CAL, NOW), CAL, NOW)
    assert header.params_note == "meeting_location"
    assert header.planned_finish > v.case["started_at"]
    listed = trk.load_summary(world, CAL, NOW).set_index("id")
    assert listed.loc[c["id"], "params_note"] == "meeting_location"
    d = dash.compute(world.frames(list(TABLES)), NOW.year, CAL, NOW)
    row = d.cases.set_index("case_id").loc[c["id"]]
    assert row["standard_minutes"] == cat.planned_minutes(cat.CaseParams(cat.INTERN, drafts=3), CAL.minutes_per_day)
    assert_every_screen_agrees(world)
