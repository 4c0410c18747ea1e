"""The case tracker: cases moving through the procedure, step by step, with whose clock is running.

Rules (the step-event semantics shared with the dashboard and the evaluation):
- One ``step_events`` row per (case, step) once the step is started or skipped; status
  ``berjalan`` | ``selesai`` | ``dilewati``. ``due_at`` is the effective due instant: the start plus
  the step's standard (SLA) in working time, shifted by any hold. Steps the standard gives no time
  for (7, 8.a, 9.b) have no due instant and are never late.
- The case's current step is the first step of its checklist that is neither done nor skipped.
  Only the current step can be started or recorded as done earlier; any step not yet done can be
  skipped (with a reason); a done or skipped step can be reopened (with a reason), which makes it
  running again from the reopening instant. Finishing or skipping the current step starts the next
  one at the same instant: the work passes on, and the next party's clock starts.
- A step done earlier is back-dated with a reason: never in the future, never before the previous
  done step finished, and its start not after its finish.
- A hold (with a reason) pauses the case: no step moves while it lasts, and on resuming the due
  instant of every running step moves on by the working time the hold lasted.
- A step's lateness is attributed to its responsible role (``Step.responsible``): for a step that
  waits on a party outside the Bureau (a unit, unit heads, a Deputy, the Minister, a support bureau)
  that party, never the Bureau's executors.
- Every write carries the case version the user read; a case changed since is refused with who
  saved first and what changed (``StaleWriteError``), and nothing is written.

This module holds the actions (decide the writes, check the version once, apply). The case model is
``domain.case_model``, what the detail page shows ``domain.case_detail``, the list ``domain.case_list``;
their names are re-exported here.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import pandas as pd

from domain.changes import Insert, Log, Update, new_id
from domain.ports import stale_details
from domain import outputs, timing
from domain import catalogue as cat
from domain.calendar import JAKARTA, WorkCalendar, format_date, format_datetime
from domain.errors import NotFoundError, StaleWriteError, ValidationError
from domain.models import (
    ACTIVE, CANCELLED, CASE_STATUSES, DOC_KINDS, DONE, FINISHED, ON_HOLD, ORIGIN_INITIATIVE, ORIGIN_LEADERSHIP,
    ORIGIN_PROPOSAL, ORIGINS, RUNNING, SKIPPED,
)
from domain.permissions import Actor, check
from domain.case_model import (  # noqa: F401 - one place to speak of the tracker
    BULK_FIELDS, CLOSED_STEP, CasePlan, CaseView, EDITABLE_FIELDS, FIELD_KEYS, FUTURE_GRACE, MAX_DRAFTS,
    MAX_LINK, MAX_NOTE, MAX_REASON, MAX_TITLE, _ensure_version, _executor, _explain_stale, _in_session,
    _m, _not_future, _party, apply_writes, case_plan, clean_text, field_label, fmt_days, fmt_minutes,
    instant_or_now, is_url, late_text, load_case, origin_label, params_of, responsible_label,
    validate_doc_link,
)
from domain.case_detail import (  # noqa: F401 - one place to speak of the tracker
    CaseHeader, StepRow, case_header, case_history, case_timing, checklist, held_minutes, step_history,
    timeline_frame,
)
from domain.case_list import (  # noqa: F401 - one place to speak of the tracker
    CaseFilter, EXPORT_COLUMNS, SORTS, SUMMARY_COLUMNS, SUMMARY_TABLES, case_counts, case_summary,
    export_rows, filter_cases, load_summary, record_export,
)


# ---- writes on steps ----------------------------------------------------------------------------

def _guard_open(view: CaseView) -> None:
    status = view.case["status"]
    if status == CANCELLED:
        raise ValidationError("status", _m("tracker.err.cancelled"))
    if status == ON_HOLD:
        raise ValidationError("status", _m("tracker.err.on_hold",
                                           since=format_datetime(view.case.get("hold_since"))))


def _advance(view: CaseView, after: dict[str, dict], at: dt.datetime, calendar: WorkCalendar,
             case_changes: dict) -> list:
    """After a step moved: the new current step (started at ``at`` if it has no event yet) and the
    case's status, current step and finish."""
    writes = []
    current = view.current_code(after)
    if current is None:
        # The case finishes with this step: only once what it produced is in the register.
        outputs.refuse_unless_complete(view.case, view.outputs)
        finishes = [e["finished_at"] for e in after.values() if e.get("finished_at") and e["status"] in CLOSED_STEP]
        case_changes.update(status=FINISHED, current_step=None, finished_at=max(finishes) if finishes else at)
        return writes
    case_changes["current_step"] = current
    if view.case["status"] == FINISHED:
        case_changes.update(status=ACTIVE, finished_at=None)
    if current not in after:
        record = {"id": f"{view.id}-{current}", "case_id": view.id, "step_code": current, "status": RUNNING,
                  "started_at": at, "backdated": False}
        record["due_at"] = _due_in(view, {**after, current: record}, current, at, calendar)
        writes.append(Insert("step_events", record))
    return writes


def _due_in(view: CaseView, after: dict[str, dict], code: str, at: dt.datetime,
            calendar: WorkCalendar) -> dt.datetime | None:
    """The due instant stored with a step's event: that of the judged item its time counts in (its
    own, or its block's), as the timing rule has it at ``at`` with the events ``after`` a write;
    None for a step the seed gives no time."""
    events = [{**e, "case_id": view.id, "step_code": c} for c, e in after.items()]
    judged = timing.judge_items(view.case, events, view.holds, at, calendar)
    item = timing.outer_item(view.params, calendar.minutes_per_day, code)
    due = judged.loc[judged["item"] == item, "due"]
    return None if due.empty or pd.isna(due.iloc[0]) else due.iloc[0].to_pydatetime()


def _step_writes(view: CaseView, step_write, after: dict[str, dict], at: dt.datetime, calendar: WorkCalendar,
                 expected_version: int, log: Log, case_changes: dict | None = None) -> list:
    case_changes = dict(case_changes or {})
    writes = [step_write] + _advance(view, after, at, calendar, case_changes)
    writes.append(Update("cases", view.id, case_changes, expected_version=view.version))
    writes.append(log)
    return writes


def _step_log(action: str, view: CaseView, detail: str) -> Log:
    return Log(action, "cases", view.id, detail)


def _prepare(repo, actor: Actor, calendar: WorkCalendar, case_id: str, expected_version: int | None) -> CaseView:
    check(actor, "step.update")
    view = load_case(repo, case_id, calendar.minutes_per_day)
    _ensure_version(repo, view, expected_version)
    _guard_open(view)
    return view


@_in_session
def start_step(repo, actor: Actor, calendar: WorkCalendar, case_id: str, code: str, *,
               expected_version: int | None, at: dt.datetime | None = None) -> dict:
    """Start the case's current step (steps start by themselves when the previous one finishes;
    this is for a current step with no clock yet)."""
    view = _prepare(repo, actor, calendar, case_id, expected_version)
    view.step(code)
    at = instant_or_now(at)
    _not_future("at", at, "tracker.field.started")
    current = view.current_code()
    if code != current:
        raise ValidationError("step", _m("tracker.err.not_current", code=code, current=current or "–"))
    if code in view.events:
        raise ValidationError("step", _m("tracker.err.already_running", code=code))
    prev = view.previous_finish(code)
    if prev and at < prev:
        raise ValidationError("at", _m("tracker.err.before_previous", when=format_datetime(prev)))
    record = {"id": f"{view.id}-{code}", "case_id": view.id, "step_code": code, "status": RUNNING,
              "started_at": at, "actor_id": actor.executor_id, "backdated": False}
    after = {**view.events, code: record}
    record["due_at"] = _due_in(view, after, code, at, calendar)
    writes = _step_writes(view, Insert("step_events", record), after, at, calendar, view.version,
                          _step_log("step.start", view, _m("tracker.log.start", code=code, when=format_datetime(at))))
    return apply_writes(repo, writes, actor).records[0]


@_in_session
def finish_step(repo, actor: Actor, calendar: WorkCalendar, case_id: str, code: str, *,
                expected_version: int | None, at: dt.datetime | None = None, note: str | None = None,
                doc_link: str | None = None, done_by: str | None = None, party: str | None = None) -> dict:
    """Finish a running step now (the next step starts at the same instant)."""
    view = _prepare(repo, actor, calendar, case_id, expected_version)
    view.step(code)
    at = instant_or_now(at)
    _not_future("at", at, "tracker.field.finished")
    ev = view.events.get(code)
    if ev is None:
        raise ValidationError("step", _m("tracker.err.not_started", code=code))
    if ev["status"] != RUNNING:
        raise ValidationError("step", _m("tracker.err.already_closed", code=code))
    if at < ev["started_at"]:
        raise ValidationError("at", _m("tracker.err.finish_before_start", when=format_datetime(ev["started_at"])))
    note = clean_text("note", note, "tracker.field.note", required=False, limit=MAX_NOTE)
    link = validate_doc_link(doc_link)
    who = _executor(repo, done_by, "done_by", "tracker.field.done_by") or actor.executor_id
    changes = {"status": DONE, "finished_at": at, "actor_id": who, "party": _party(view.step(code), party)}
    if note is not None:
        changes["note"] = note
    if link is not None:
        changes["doc_link"] = link
    after = {**view.events, code: {**ev, **changes}}
    writes = _step_writes(view, Update("step_events", ev["id"], changes, expected_version=ev["version"]), after,
                          at, calendar, view.version,
                          _step_log("step.finish", view, _m("tracker.log.finish", code=code, when=format_datetime(at))))
    return apply_writes(repo, writes, actor).records[0]


@_in_session
def record_done_earlier(repo, actor: Actor, calendar: WorkCalendar, case_id: str, code: str, *,
                        expected_version: int | None, finished_at: dt.datetime, reason: str,
                        started_at: dt.datetime | None = None, note: str | None = None,
                        doc_link: str | None = None, done_by: str | None = None, party: str | None = None) -> dict:
    """Record that the current step was done earlier (back-dated), with a reason."""
    view = _prepare(repo, actor, calendar, case_id, expected_version)
    view.step(code)
    current = view.current_code()
    if code != current:
        raise ValidationError("step", _m("tracker.err.not_current", code=code, current=current or "–"))
    reason = clean_text("reason", reason, "tracker.field.reason", required=True, limit=MAX_REASON)
    if finished_at is None:
        raise ValidationError("finished_at", _m("tracker.err.required", field=_m("tracker.field.finished")))
    finished_at = instant_or_now(finished_at)
    _not_future("finished_at", finished_at, "tracker.field.finished")
    ev = view.events.get(code)
    prev = view.previous_finish(code)
    if started_at is not None:
        start = instant_or_now(started_at)
    else:  # as already started, else when the previous step ended
        start = ev["started_at"] if ev else (prev or finished_at)
    _not_future("started_at", start, "tracker.field.started")
    if start > finished_at:
        raise ValidationError("started_at", _m("tracker.err.finish_before_start", when=format_datetime(start)))
    if prev and start < prev:
        raise ValidationError("started_at", _m("tracker.err.before_previous", when=format_datetime(prev)))
    note = clean_text("note", note, "tracker.field.note", required=False, limit=MAX_NOTE)
    link = validate_doc_link(doc_link)
    who = _executor(repo, done_by, "done_by", "tracker.field.done_by") or actor.executor_id
    values = {"status": DONE, "started_at": start, "finished_at": finished_at, "actor_id": who, "reason": reason,
              "backdated": True}
    values["party"] = _party(view.step(code), party)
    values["due_at"] = _due_in(view, {**view.events, code: {**(ev or {}), **values}}, code, finished_at, calendar)
    if note is not None:
        values["note"] = note
    if link is not None:
        values["doc_link"] = link
    if ev:
        write = Update("step_events", ev["id"], values, expected_version=ev["version"])
        after = {**view.events, code: {**ev, **values}}
    else:
        record = {"id": f"{view.id}-{code}", "case_id": view.id, "step_code": code, **values}
        write = Insert("step_events", record)
        after = {**view.events, code: record}
    case_changes = {}
    if view.case.get("started_at") is None or start < view.case["started_at"]:
        case_changes["started_at"] = start  # the work began before the case was opened here
    log = _step_log("step.backdate", view, _m("tracker.log.backdate", code=code, when=format_datetime(finished_at),
                                              reason=reason))
    writes = _step_writes(view, write, after, finished_at, calendar, view.version, log, case_changes)
    return apply_writes(repo, writes, actor).records[0]


@_in_session
def skip_step(repo, actor: Actor, calendar: WorkCalendar, case_id: str, code: str, *,
              expected_version: int | None, reason: str, at: dt.datetime | None = None) -> dict:
    """Skip a step that does not apply to this case (with a reason)."""
    view = _prepare(repo, actor, calendar, case_id, expected_version)
    view.step(code)
    at = instant_or_now(at)
    reason = clean_text("reason", reason, "tracker.field.reason", required=True, limit=MAX_REASON)
    ev = view.events.get(code)
    if ev and ev["status"] in CLOSED_STEP:
        raise ValidationError("step", _m("tracker.err.already_closed", code=code))
    values = {"status": SKIPPED, "finished_at": at, "reason": reason, "due_at": None}
    if ev:
        write = Update("step_events", ev["id"], values, expected_version=ev["version"])
        after = {**view.events, code: {**ev, **values}}
    else:
        record = {"id": f"{view.id}-{code}", "case_id": view.id, "step_code": code, "started_at": at,
                  "actor_id": actor.executor_id, "backdated": False, **values}
        write = Insert("step_events", record)
        after = {**view.events, code: record}
    log = _step_log("step.skip", view, _m("tracker.log.skip", code=code, reason=reason))
    writes = _step_writes(view, write, after, at, calendar, view.version, log)
    return apply_writes(repo, writes, actor).records[0]


@_in_session
def reopen_step(repo, actor: Actor, calendar: WorkCalendar, case_id: str, code: str, *,
                expected_version: int | None, reason: str, at: dt.datetime | None = None) -> dict:
    """Reopen a done or skipped step: it runs again from now, with a fresh due instant."""
    check(actor, "step.update")
    view = load_case(repo, case_id, calendar.minutes_per_day)
    _ensure_version(repo, view, expected_version)
    if view.case["status"] == CANCELLED:
        raise ValidationError("status", _m("tracker.err.cancelled"))
    if view.case["status"] == ON_HOLD:
        raise ValidationError("status", _m("tracker.err.on_hold", since=format_datetime(view.case.get("hold_since"))))
    view.step(code)
    at = instant_or_now(at)
    reason = clean_text("reason", reason, "tracker.field.reason", required=True, limit=MAX_REASON)
    ev = view.events.get(code)
    if ev is None or ev["status"] not in CLOSED_STEP:
        raise ValidationError("step", _m("tracker.err.not_closed", code=code))
    values = {"status": RUNNING, "started_at": at, "finished_at": None, "reason": reason, "backdated": False}
    values["due_at"] = _due_in(view, {**view.events, code: {**ev, **values}}, code, at, calendar)
    after = {**view.events, code: {**ev, **values}}
    log = _step_log("step.reopen", view, _m("tracker.log.reopen", code=code, reason=reason))
    writes = _step_writes(view, Update("step_events", ev["id"], values, expected_version=ev["version"]), after, at,
                          calendar, view.version, log)
    return apply_writes(repo, writes, actor).records[0]


@_in_session
def annotate_step(repo, actor: Actor, calendar: WorkCalendar, case_id: str, code: str, *,
                  expected_version: int | None, note: str | None, doc_link: str | None) -> dict:
    """Change a started step's note and document link."""
    check(actor, "step.update")
    view = load_case(repo, case_id, calendar.minutes_per_day)
    _ensure_version(repo, view, expected_version)
    view.step(code)
    ev = view.events.get(code)
    if ev is None:
        raise ValidationError("step", _m("tracker.err.not_started", code=code))
    changes = {"note": clean_text("note", note, "tracker.field.note", required=False, limit=MAX_NOTE),
               "doc_link": validate_doc_link(doc_link)}
    writes = [Update("step_events", ev["id"], changes, expected_version=ev["version"]),
              Update("cases", view.id, {}, expected_version=view.version),
              _step_log("step.note", view, _m("tracker.log.note", code=code))]
    return apply_writes(repo, writes, actor).records[0]


# ---- holds --------------------------------------------------------------------------------------

@_in_session
def hold_case(repo, actor: Actor, calendar: WorkCalendar, case_id: str, *, expected_version: int | None,
              reason: str, at: dt.datetime | None = None) -> dict:
    """Put the case on hold: its due instants stop running until it is resumed."""
    check(actor, "case.hold")
    view = load_case(repo, case_id, calendar.minutes_per_day)
    _ensure_version(repo, view, expected_version)
    if view.case["status"] != ACTIVE:
        raise ValidationError("status", _m("tracker.err.hold_not_active", status=view.case["status"]))
    reason = clean_text("reason", reason, "tracker.field.hold_reason", required=True, limit=MAX_REASON)
    at = instant_or_now(at)
    _not_future("at", at, "tracker.field.hold_since")
    writes = [Insert("holds", {"id": new_id("HOLD-"), "case_id": view.id, "start_at": at, "end_at": None,
                               "reason": reason}),
              Update("cases", view.id, {"status": ON_HOLD, "hold_since": at, "hold_reason": reason},
                     expected_version=view.version),
              Log("case.hold", "cases", view.id, _m("tracker.log.hold", reason=reason))]
    return apply_writes(repo, writes, actor).records[1]


@_in_session
def resume_case(repo, actor: Actor, calendar: WorkCalendar, case_id: str, *, expected_version: int | None,
                at: dt.datetime | None = None) -> dict:
    """End the hold: each running step's due instant moves on by the working time held."""
    check(actor, "case.hold")
    view = load_case(repo, case_id, calendar.minutes_per_day)
    _ensure_version(repo, view, expected_version)
    if view.case["status"] != ON_HOLD:
        raise ValidationError("status", _m("tracker.err.not_on_hold"))
    at = instant_or_now(at)
    since = view.case.get("hold_since") or at
    if at < since:
        raise ValidationError("at", _m("tracker.err.resume_before_hold", when=format_datetime(since)))
    held = max(0.0, calendar.working_minutes(since, at))
    writes: list = []
    for code, ev in view.events.items():  # due instants move on by the working time held
        if ev["status"] == RUNNING:
            due = _due_in(view, view.events, code, at, calendar)
            if due != ev.get("due_at"):
                writes.append(Update("step_events", ev["id"], {"due_at": due}, expected_version=ev["version"]))
    for hold in view.holds:
        if hold.get("end_at") is None:
            writes.append(Update("holds", hold["id"], {"end_at": at}, expected_version=hold["version"]))
    writes.append(Update("cases", view.id, {"status": ACTIVE, "hold_since": None, "hold_reason": None},
                         expected_version=view.version))
    days = fmt_days(held / calendar.minutes_per_day)
    writes.append(Log("case.resume", "cases", view.id, _m("tracker.log.resume", days=days)))
    result = apply_writes(repo, writes, actor)
    return next(r for r in result.records if r.get("id") == view.id and "track" in r)


# ---- opening and editing cases ------------------------------------------------------------------

@dataclass
class NewCase:
    title: str = ""
    org_id: str | None = None
    unit_ids: list[str] = field(default_factory=list)
    doc_kind: str = "SOP"
    origin: str = ORIGIN_LEADERSHIP
    track: str = cat.PERMEN
    drafts: int = 1
    organisations: int = 1
    meeting_location: str = cat.IN_TOWN
    team_decree: str = cat.DECREE_MENTERI
    pic_id: str | None = None
    target_date: dt.date | None = None
    notes: str | None = None
    started_at: dt.datetime | None = None
    proposal_id: str | None = None


def _case_number(repo, year: int, actor: Actor) -> str:
    taken = {c["number"] for c in repo.list("cases")} if repo.count("cases") < 50_000 else set()
    for _ in range(10_000):
        number = f"K-{year}-{repo.next_number(f'kasus-{year}', actor.audit_name):04d}"
        if number not in taken:
            return number
    raise ValidationError("number", _m("tracker.err.number"))


def case_writes(repo, actor: Actor, calendar: WorkCalendar, new: NewCase, *,
                at: dt.datetime | None = None) -> tuple[dict, list]:
    """Validate a new case and build its writes: the case at step 1.a, with 1.a's clock running."""
    check(actor, "case.create")
    title = clean_text("title", new.title, "tracker.field.title", required=True, limit=MAX_TITLE)
    units = [u for u in dict.fromkeys(new.unit_ids or []) if u]
    if not units:
        raise ValidationError("unit_ids", _m("tracker.err.units"))
    unit_rows = {}
    for uid in units:
        row = repo.get("units", uid)
        if row is None:
            raise ValidationError("unit_ids", _m("tracker.err.unit_unknown", unit=uid))
        unit_rows[uid] = row
    org_id = new.org_id or unit_rows[units[0]]["org_id"]
    if repo.get("organisations", org_id) is None:
        raise ValidationError("org_id", _m("tracker.err.org_unknown"))
    if new.doc_kind not in DOC_KINDS:
        raise ValidationError("doc_kind", _m("tracker.err.choice", field=_m("tracker.field.doc_kind")))
    if new.origin not in ORIGINS:
        raise ValidationError("origin", _m("tracker.err.choice", field=_m("tracker.field.origin")))
    if new.origin == ORIGIN_PROPOSAL and not new.proposal_id:
        raise ValidationError("origin", _m("tracker.err.origin_proposal"))
    try:
        drafts = int(new.drafts)
        # A case for units of several organisations counts each of them (4.b.2.b, 5.a.1 per organisation).
        organisations = max(int(new.organisations or 1), len({r["org_id"] for r in unit_rows.values()}))
    except (TypeError, ValueError):
        raise ValidationError("drafts", _m("tracker.err.drafts", limit=MAX_DRAFTS)) from None
    if not 1 <= drafts <= MAX_DRAFTS:
        raise ValidationError("drafts", _m("tracker.err.drafts", limit=MAX_DRAFTS))
    if not 1 <= organisations <= 50:
        raise ValidationError("organisations", _m("tracker.err.organisations"))
    try:
        params = cat.CaseParams(new.track, drafts, len(units), organisations, new.meeting_location, new.team_decree)
    except ValueError:
        raise ValidationError("track", _m("tracker.err.choice", field=_m("tracker.field.track"))) from None
    pic = _executor(repo, new.pic_id)
    notes = clean_text("notes", new.notes, "tracker.field.notes", required=False, limit=MAX_NOTE)
    now = instant_or_now(at)
    start = instant_or_now(new.started_at) if new.started_at else now
    _not_future("started_at", start, "tracker.field.started")
    target = _target(new.target_date, start)
    year = start.astimezone(JAKARTA).year
    case_id = new_id("CASE-")
    record = {"id": case_id, "number": _case_number(repo, year, actor), "title": title, "org_id": org_id,
              "unit_ids": units, "doc_kind": new.doc_kind, "origin": new.origin, "track": params.track,
              "drafts": drafts, "organisations": organisations, "meeting_location": params.meeting_location,
              "team_decree": params.team_decree, "status": ACTIVE, "current_step": cat.steps_for(params)[0].code,
              "pic_id": pic, "target_date": target, "notes": notes, "started_at": start, "finished_at": None,
              "proposal_id": new.proposal_id}
    first = cat.steps_for(params)[0]
    event = {"id": f"{case_id}-{first.code}", "case_id": case_id, "step_code": first.code, "status": RUNNING,
             "started_at": start, "backdated": start < now}
    opening = CaseView(record, {}, [], calendar.minutes_per_day)
    event["due_at"] = _due_in(opening, {first.code: event}, first.code, start, calendar)
    writes = [Insert("cases", record), Insert("step_events", event),
              Log("case.open", "cases", case_id, _m("tracker.log.open", number=record["number"]))]
    return record, writes


@_in_session
def open_case(repo, actor: Actor, calendar: WorkCalendar, new: NewCase, *, at: dt.datetime | None = None) -> dict:
    """Staff open a case directly (leadership's direction or the section's own initiative)."""
    if new.origin == ORIGIN_PROPOSAL:
        raise ValidationError("origin", _m("tracker.err.origin_proposal"))
    record, writes = case_writes(repo, actor, calendar, new, at=at)
    return apply_writes(repo, writes, actor).records[0]


def _target(value: Any, start: dt.datetime | None) -> dt.date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT or value == "":
        return None
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError("target_date", _m("tracker.err.date", field=_m("tracker.field.target"))) from None
    if not isinstance(value, dt.date):
        raise ValidationError("target_date", _m("tracker.err.date", field=_m("tracker.field.target")))
    if start is not None and value < start.astimezone(JAKARTA).date():
        raise ValidationError("target_date", _m("tracker.err.target_before_start",
                                                when=format_date(start.astimezone(JAKARTA))))
    if value.year > 2100:
        raise ValidationError("target_date", _m("tracker.err.date", field=_m("tracker.field.target")))
    return value


def _edit_changes(repo, case: dict, changes: dict, allowed_fields: Iterable[str]) -> dict:
    """Validate edits of a case's editable fields; returns only what really changes."""
    out: dict[str, Any] = {}
    allowed_fields = tuple(allowed_fields)
    for name, value in changes.items():
        if name not in allowed_fields:
            raise ValidationError(name, _m("tracker.err.not_editable", field=field_label(name)))
        if name == "pic_id":
            value = _executor(repo, value)
        elif name == "notes":
            value = clean_text("notes", value, "tracker.field.notes", required=False, limit=MAX_NOTE)
        elif name == "title":
            value = clean_text("title", value, "tracker.field.title", required=True, limit=MAX_TITLE)
        elif name == "target_date":
            value = _target(value, case.get("started_at"))
        elif name == "status":
            value = _status_change(case, value)
        if value != case.get(name):
            out[name] = value
    return out


def _status_change(case: dict, value: Any) -> str:
    value = (value or "").strip() if isinstance(value, str) else value
    old = case["status"]
    if value not in CASE_STATUSES:
        raise ValidationError("status", _m("tracker.err.choice", field=_m("tracker.field.status")))
    if value == old:
        return value
    if value == ON_HOLD or old == ON_HOLD:
        raise ValidationError("status", _m("tracker.err.status_hold"))
    if value == FINISHED:
        raise ValidationError("status", _m("tracker.err.status_finished"))
    if old == FINISHED:
        raise ValidationError("status", _m("tracker.err.status_from_finished"))
    return value  # aktif <-> dibatalkan


@_in_session
def edit_case(repo, actor: Actor, case_id: str, *, expected_version: int | None, changes: dict,
              fields: Iterable[str] = EDITABLE_FIELDS) -> dict | None:
    """Change a case's PIC, status (active/cancelled), notes, target date or title.

    Returns the saved record, or None when nothing changed."""
    check(actor, "case.edit")
    return _edit(repo, actor, case_id, expected_version, changes, fields)


def _edit(repo, actor: Actor, case_id: str, expected_version: int | None, changes: dict,
          fields: Iterable[str]) -> dict | None:
    case = repo.get("cases", case_id)
    if case is None:
        raise NotFoundError("cases", case_id)
    if expected_version is not None and int(expected_version) != case["version"]:
        who, when, changed = stale_details(repo, "cases", case_id, int(expected_version))
        raise _explain_stale(repo, StaleWriteError("cases", case_id, int(expected_version), case["version"], who,
                                                   when, changed))
    real = _edit_changes(repo, case, changes, fields)
    if not real:
        return None
    version = case["version"] if expected_version is None else int(expected_version)
    result = apply_writes(repo, [Update("cases", case_id, real, expected_version=version)], actor)
    return result.records[0]


@dataclass(frozen=True)
class BulkRow:
    case_id: str
    expected_version: int
    changes: dict


@dataclass
class BulkResult:
    case_id: str
    number: str
    saved: bool
    changed: tuple[str, ...] = ()
    error: Exception | None = None


@_in_session
def bulk_edit(repo, actor: Actor, rows: Sequence[BulkRow]) -> list[BulkResult]:
    """Save the changed rows of the spreadsheet view one by one: each through the same checks and
    version check as a single edit. A refused row changes nothing and does not stop the others."""
    check(actor, "case.bulk_edit")
    results = []
    for row in rows:
        case = repo.get("cases", row.case_id)
        number = case["number"] if case else row.case_id
        try:
            saved = _edit(repo, actor, row.case_id, row.expected_version, row.changes, BULK_FIELDS)
            results.append(BulkResult(row.case_id, number, True,
                                      tuple(k for k in row.changes if saved is not None and k in saved)))
        except (ValidationError, StaleWriteError, NotFoundError) as exc:
            results.append(BulkResult(row.case_id, number, False, error=exc))
    return results


def _same(a: Any, b: Any) -> bool:
    def norm(v):
        if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
            return None
        if isinstance(v, str):
            return v.strip() or None
        if isinstance(v, pd.Timestamp):
            return v.date()
        if isinstance(v, dt.datetime):
            return v.date()
        return v
    try:
        return norm(a) == norm(b)
    except (TypeError, ValueError):
        return False


def diff_rows(original: pd.DataFrame, edited: pd.DataFrame, fields: Sequence[str] = BULK_FIELDS) -> list[BulkRow]:
    """The rows of an edited table that differ from what was read, with the version read.

    Both frames carry ``id`` and ``version`` columns and the editable fields."""
    base = original.set_index("id")
    out = []
    for _, row in edited.iterrows():
        cid = row["id"]
        if cid not in base.index:
            continue
        before = base.loc[cid]
        changes = {f: (None if _same(row[f], None) else row[f]) for f in fields
                   if f in edited.columns and not _same(row[f], before[f])}
        if changes:
            out.append(BulkRow(cid, int(before["version"]), changes))
    return out


__all__ = [
    "ORIGIN_INITIATIVE", "ORIGIN_LEADERSHIP", "BulkRow", "BulkResult", "CaseFilter", "CaseHeader", "CaseView",
    "NewCase", "StepRow", "annotate_step", "bulk_edit", "case_counts", "case_header",
    "case_history", "case_summary", "case_writes", "checklist", "diff_rows", "edit_case", "export_rows",
    "filter_cases", "finish_step", "hold_case", "load_case", "load_summary", "open_case", "record_done_earlier",
    "record_export", "reopen_step", "resume_case", "skip_step", "start_step", "timeline_frame",
    "validate_doc_link",
]
