"""What the case detail page shows: the checklist judged by the one timing rule, the header, the
timeline and the history. Read only."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from domain import timing
from domain import catalogue as cat
from domain.calendar import JAKARTA, WorkCalendar
from domain.models import (
    CANCELLED, FINISHED, ON_HOLD, RUNNING, SKIPPED,
)
from domain.worktime import clock_for

from domain.case_model import CLOSED_STEP, CaseView, _in_session, instant_or_now  # noqa: F401


# ---- what the detail page shows -----------------------------------------------------------------

@dataclass(frozen=True)
class StepRow:
    code: str
    name: str
    stage: int
    actors: tuple[str, ...]
    responsible: str  # the party its time counts against (the recorded one, where the seed allows another)
    external: bool
    sla: int  # working minutes in the plan; inside a judged block an indicative share (see ``indicative``)
    planned_start: dt.datetime | None
    planned_end: dt.datetime | None
    status: str | None  # None = not started
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    due_at: dt.datetime | None  # of the judged item its time counts in (its own or its block's), holds included
    actor_id: str | None
    note: str | None
    doc_link: str | None
    reason: str | None
    backdated: bool
    late: bool  # judged on its own and late (a block's steps never are: see ``block_state``)
    late_days: float
    current: bool
    version: int | None
    party: str | None = None  # who did it, where the seed lets more than one party do it
    block: str | None = None  # the judged block it belongs to
    block_state: str | None = None  # that block's timing state (timing.ON_TIME, LATE, OVERDUE, RUNNING ...)
    block_late_days: float = 0.0
    indicative: bool = False  # ``sla`` is a share of the block's time, guidance only
    timed: bool = True  # False: the seed gives this step no time at all (7, 8.a, 9.b)


@dataclass(frozen=True)
class CaseHeader:
    planned_finish: dt.datetime | None
    forecast_finish: dt.datetime | None
    current_step: str | None
    clock_with: str | None  # party whose clock runs on the current step
    clock_external: bool
    current_due: dt.datetime | None
    late: bool
    late_days: float
    late_steps: int  # judged steps and blocks that are late or overdue
    done_steps: int
    total_steps: int
    held_minutes: float  # of the running hold, so far
    params_note: str | None = None  # plan parameters that were blank or unknown and took the default
    overdue: tuple[tuple[str, str, float, str], ...] = ()  # (step or block, name, working days late, party)


def _held_now(view: CaseView, calendar: WorkCalendar, now: dt.datetime) -> float:
    return held_minutes(view.case, calendar, now)


def held_minutes(case: dict, calendar: WorkCalendar, now: dt.datetime) -> float:
    """Working minutes the case's running hold has lasted so far (0 when it is not on hold)."""
    if case["status"] != ON_HOLD or not case.get("hold_since"):
        return 0.0
    return max(0.0, calendar.working_minutes(case["hold_since"], now))


def case_timing(view: CaseView, calendar: WorkCalendar, now: dt.datetime) -> tuple[pd.DataFrame, pd.Series]:
    """The case's judged items and its row of ``timing.cases_at``, at ``now``."""
    events = [{**e, "case_id": view.id, "step_code": c} for c, e in view.events.items()]
    return timing.judge_case(view.case, events, view.holds, now, calendar)


def checklist(view: CaseView, calendar: WorkCalendar, now: dt.datetime | None = None) -> list[StepRow]:
    """The case's steps in procedure order with plan, actuals, due instant and lateness."""
    now = instant_or_now(now)
    plan = view.plan
    judged, _ = case_timing(view, calendar, now)
    items = {code: row for code, row in zip(judged["item"], judged.itertuples(index=False), strict=True)}
    start = view.case.get("started_at") or now
    clock = clock_for(calendar, start, now)
    base = clock.ordinal([start])[0]
    codes = [s.code for s in plan.steps]
    p_start = clock.instant([base + plan.offset[c] for c in codes])
    p_end = clock.instant([base + plan.end[c] for c in codes])
    current = view.current_code()
    mpd = calendar.minutes_per_day
    judged_codes = set(cat.judged_items(view.params, mpd))
    rows = []
    for i, s in enumerate(plan.steps):
        ev = view.events.get(s.code) or {}
        own = items.get(s.code)
        outer = timing.outer_item(view.params, mpd, s.code)
        block = items.get(outer) if outer != s.code else None
        due_item = own if own is not None else block
        due = None if due_item is None or pd.isna(due_item.due) else due_item.due.to_pydatetime()
        late = bool(own is not None and own.late)
        party = ev.get("party") if ev.get("party") in s.choices else None
        responsible = s.party(party)
        rows.append(StepRow(
            code=s.code, name=s.name_for(view.params), stage=s.stage, actors=s.actors, responsible=responsible,
            external=cat.is_external(responsible), sla=plan.sla[s.code],
            planned_start=p_start.iloc[i].to_pydatetime(), planned_end=p_end.iloc[i].to_pydatetime(),
            status=ev.get("status"), started_at=ev.get("started_at"), finished_at=ev.get("finished_at"),
            due_at=due, actor_id=ev.get("actor_id"), note=ev.get("note"), doc_link=ev.get("doc_link"),
            reason=ev.get("reason"), backdated=bool(ev.get("backdated")), late=late,
            late_days=round(own.late_minutes / mpd, 2) if late else 0.0, current=s.code == current,
            version=ev.get("version"), party=party, block=outer if outer in judged_codes and outer != s.code else None,
            block_state=block.state if block is not None else None,
            block_late_days=round(block.late_minutes / mpd, 2) if block is not None and block.late else 0.0,
            indicative=s.std is None and s.block is not None, timed=s.std is not None or s.block is not None))
    return rows


def case_header(view: CaseView, rows: list[StepRow], calendar: WorkCalendar,
                now: dt.datetime | None = None) -> CaseHeader:
    now = instant_or_now(now)
    case = view.case
    judged, row = case_timing(view, calendar, now)
    current = view.current_code() if case["status"] not in (FINISHED,) else None
    step = cat.STEP_BY_CODE.get(current) if current else None
    cur = next((r for r in rows if r.code == current), None)
    forecast = None
    if case["status"] == FINISHED:
        forecast = case.get("finished_at")
    elif case["status"] != CANCELLED and not pd.isna(row["forecast_finish"]):
        forecast = row["forecast_finish"].to_pydatetime()
    clock_with = cur.responsible if cur is not None else (step.responsible if step else None)
    return CaseHeader(
        planned_finish=row["planned_finish"].to_pydatetime(), forecast_finish=forecast, current_step=current,
        clock_with=clock_with, clock_external=cat.is_external(clock_with),
        current_due=cur.due_at if cur else None, late=bool(row["late"]), late_days=round(float(row["late_days"]), 2),
        late_steps=int(judged["late"].sum()), done_steps=sum(r.status in CLOSED_STEP for r in rows),
        total_steps=len(rows), held_minutes=_held_now(view, calendar, now), params_note=row["params_note"],
        overdue=tuple((r.item, _item_name(r.item, view.params), round(r.late_minutes / calendar.minutes_per_day, 2),
                       r.party) for r in judged[judged["state"] == timing.OVERDUE].itertuples(index=False)))


def _item_name(code: str, params: cat.CaseParams) -> str:
    if code in cat.STEP_BY_CODE:
        return cat.STEP_BY_CODE[code].name_for(params)
    return cat.BLOCKS[code].name if code in cat.BLOCKS else code


def timeline_frame(rows: list[StepRow], now: dt.datetime | None = None) -> pd.DataFrame:
    """Planned vs actual per step, for the Gantt chart: one 'Rencana' and (once started) one
    'Realisasi' bar per step; ``state`` colours the actual bar."""
    now = instant_or_now(now)
    out = []
    for i, r in enumerate(rows):
        label = f"{r.code}"
        out.append({"order": i, "code": label, "name": r.name, "kind": "plan", "start": r.planned_start,
                    "end": r.planned_end if r.planned_end and r.planned_end > r.planned_start else
                    (r.planned_start + dt.timedelta(minutes=30) if r.planned_start else None),
                    "state": "plan", "responsible": r.responsible, "late_days": 0.0})
        if r.status is None:
            continue
        end = r.finished_at if r.finished_at else now
        start = r.started_at or end
        if end <= start:
            end = start + dt.timedelta(minutes=30)
        late = r.late or r.block_state in timing.LATE_STATES  # a block's steps share its outcome
        if r.status == SKIPPED:
            state = "skipped"
        elif r.status == RUNNING:
            state = "running_late" if late else "running"
        else:
            state = "late" if late else "on_time"
        out.append({"order": i, "code": label, "name": r.name, "kind": "actual", "start": start, "end": end,
                    "state": state, "responsible": r.responsible, "late_days": r.late_days})
    df = pd.DataFrame(out, columns=["order", "code", "name", "kind", "start", "end", "state", "responsible",
                                    "late_days"])
    for col in ("start", "end"):
        df[col] = pd.to_datetime(df[col], utc=True).dt.tz_convert(JAKARTA).dt.tz_localize(None)
    return df


@_in_session
def case_history(repo, case_id: str) -> list[dict]:
    """The case's audit entries, newest first: field changes (who, when, field, old, new) and the
    step actions logged with them."""
    entries = [e for e in repo.audit("cases", case_id)]
    return sorted(entries, key=lambda e: (e["at"], e["id"]), reverse=True)


def step_history(repo, event_id: str) -> list[dict]:
    return sorted(repo.audit("step_events", event_id), key=lambda e: (e["at"], e["id"]), reverse=True)


