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
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Sequence
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from data_access.repository import Insert, Log, Update, new_id, stale_details
from domain import case_params, timing
from domain import catalogue as cat
from domain.calendar import JAKARTA, WorkCalendar, format_date, format_datetime
from domain.calendar import now as jakarta_now
from domain.errors import NotFoundError, StaleWriteError, ValidationError
from domain.models import (
    ACTIVE, CANCELLED, CASE_STATUSES, DOC_KINDS, DONE, FINISHED, ON_HOLD, ORIGIN_INITIATIVE, ORIGIN_LEADERSHIP,
    ORIGIN_PROPOSAL, ORIGINS, RUNNING, SKIPPED,
)
from domain.permissions import Actor, check
from domain.worktime import clock_for
from domain.texts import Worded, t

MAX_TITLE = 200
MAX_NOTE = 2000
MAX_REASON = 1000
MAX_LINK = 500
MAX_DRAFTS = 1000
CLOSED_STEP = (DONE, SKIPPED)
# A small grace for clocks of different machines: "now" from a browser form is never "future".
FUTURE_GRACE = dt.timedelta(minutes=2)
EDITABLE_FIELDS = ("pic_id", "status", "notes", "target_date", "title")
BULK_FIELDS = ("pic_id", "status", "notes", "target_date")
FIELD_KEYS = {"pic_id": "tracker.field.pic", "status": "tracker.field.status", "notes": "tracker.field.notes",
              "target_date": "tracker.field.target", "title": "tracker.field.title",
              "current_step": "tracker.field.current_step", "started_at": "tracker.field.started",
              "finished_at": "tracker.field.finished", "hold_since": "tracker.field.hold_since",
              "hold_reason": "tracker.field.hold_reason"}


def _m(key: str, **params) -> str:
    """Domain messages are Indonesian (the UI language of record); the UI words a message again for
    its reader (Worded)."""
    return Worded(key, **params)


def store_session(repo):
    """Hold the store open across the several reads and the write of one action, where the
    backend offers that (an embedded file store); otherwise nothing."""
    opener = getattr(repo, "session", None)
    return opener() if callable(opener) else contextlib.nullcontext()


def _in_session(fn):
    @functools.wraps(fn)
    def wrapper(repo, *args, **kwargs):
        with store_session(repo):
            return fn(repo, *args, **kwargs)
    return wrapper


def field_label(name: str, lang: str = "id") -> str:
    key = FIELD_KEYS.get(name)
    return t(key, lang) if key else name


# ---- the plan of a case -------------------------------------------------------------------------

@dataclass(frozen=True)
class CasePlan:
    steps: tuple[cat.Step, ...]
    sla: dict[str, int]
    offset: dict[str, int]
    end: dict[str, int]
    total: int
    order: dict[str, int]


@lru_cache(maxsize=4096)
def case_plan(params: cat.CaseParams, minutes_per_day: int) -> CasePlan:
    p = cat.plan(params, minutes_per_day)
    steps = tuple(ps.step for ps in p.steps)
    return CasePlan(steps=steps, sla={ps.step.code: ps.duration for ps in p.steps},
                    offset={ps.step.code: ps.offset for ps in p.steps},
                    end={ps.step.code: ps.end for ps in p.steps}, total=p.total,
                    order={s.code: i for i, s in enumerate(steps)})


def responsible_label(step: cat.Step, lang: str = "id") -> str:
    role = step.responsible
    return t("tracker.clock.external", lang, role=role) if step.external else role


def params_of(case: dict) -> cat.CaseParams:
    """The case's plan parameters (a blank or unknown stored value takes the default)."""
    return case_params.of_case(case).params


# ---- one case -----------------------------------------------------------------------------------

@dataclass
class CaseView:
    """A case as read for its detail page: the record, its step events by code and its holds."""

    case: dict
    events: dict[str, dict]
    holds: list[dict]
    minutes_per_day: int

    @property
    def id(self) -> str:
        return self.case["id"]

    @property
    def version(self) -> int:
        return int(self.case["version"])

    @property
    def params(self) -> cat.CaseParams:
        return params_of(self.case)

    @property
    def plan(self) -> CasePlan:
        return case_plan(self.params, self.minutes_per_day)

    @property
    def steps(self) -> tuple[cat.Step, ...]:
        return self.plan.steps

    def status_of(self, code: str) -> str | None:
        ev = self.events.get(code)
        return ev["status"] if ev else None

    def current_code(self, events: dict[str, dict] | None = None) -> str | None:
        events = self.events if events is None else events
        for s in self.steps:
            ev = events.get(s.code)
            if ev is None or ev["status"] not in CLOSED_STEP:
                return s.code
        return None

    def previous_finish(self, code: str) -> dt.datetime | None:
        """When the nearest earlier done step finished (skipped steps do not count)."""
        order = self.plan.order
        best = None
        for s in self.steps[: order[code]]:
            ev = self.events.get(s.code)
            if ev and ev["status"] == DONE and ev.get("finished_at"):
                if best is None or ev["finished_at"] > best:
                    best = ev["finished_at"]
        return best

    def step(self, code: str) -> cat.Step:
        if code not in self.plan.order:
            raise ValidationError("step", _m("tracker.err.step_not_in_case", code=code))
        return cat.STEP_BY_CODE[code]


@_in_session
def load_case(repo, case_id: str, minutes_per_day: int) -> CaseView:
    case = repo.get("cases", case_id)
    if case is None:
        raise NotFoundError("cases", case_id)
    events = {e["step_code"]: e for e in repo.list("step_events", {"case_id": case_id})}
    holds = repo.list("holds", {"case_id": case_id})
    return CaseView(case, events, holds, minutes_per_day)


def instant_or_now(at: dt.datetime | None) -> dt.datetime:
    if at is None:
        return jakarta_now()
    if at.tzinfo is None:
        raise ValidationError("at", _m("tracker.err.naive_time"))
    return at


def _not_future(name: str, value: dt.datetime, label_key: str) -> None:
    if value > jakarta_now() + FUTURE_GRACE:
        raise ValidationError(name, _m("tracker.err.future", field=_m(label_key)))


def clean_text(name: str, value: Any, label_key: str, *, required: bool, limit: int) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise ValidationError(name, _m("tracker.err.required", field=_m(label_key)))
        return None
    if len(text) > limit:
        raise ValidationError(name, _m("tracker.err.too_long", field=_m(label_key), limit=limit))
    if "\x00" in text:
        raise ValidationError(name, _m("tracker.err.bad_chars", field=_m(label_key)))
    return text


_FILE_REF = re.compile(r"^[\w .,/\\()\-#&+:;'~\[\]]+$", re.UNICODE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def validate_doc_link(value: Any) -> str | None:
    """A document link: an http(s) URL, or a file reference (archive number, path on the share).

    Refused: other URL schemes (``javascript:``, ``file:`` ...), URLs without a host, spaces in
    URLs, control characters, and text too long to be a reference."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if len(text) > MAX_LINK:
        raise ValidationError("doc_link", _m("tracker.err.too_long", field=_m("tracker.field.doc_link"),
                                             limit=MAX_LINK))
    if any(ord(c) < 32 for c in text):
        raise ValidationError("doc_link", _m("tracker.err.link_chars"))
    is_drive = re.match(r"^[A-Za-z]:[\\/]", text) is not None
    if ("://" in text or _SCHEME.match(text)) and not is_drive:
        parsed = urlparse(text)
        if parsed.scheme.lower() not in ("http", "https"):
            raise ValidationError("doc_link", _m("tracker.err.link_scheme"))
        if not parsed.hostname or any(c.isspace() for c in text):
            raise ValidationError("doc_link", _m("tracker.err.link_url"))
        return text
    if not _FILE_REF.match(text) or not any(c.isalnum() for c in text):
        raise ValidationError("doc_link", _m("tracker.err.link_ref"))
    return text


def is_url(value: str | None) -> bool:
    return bool(value) and urlparse(value).scheme.lower() in ("http", "https")


def _party(step: cat.Step, party: Any) -> str | None:
    """Who did a step the seed lets more than one party do (None when it names one only)."""
    if len(step.choices) < 2:
        return None
    if party in (None, ""):
        return step.responsible
    if party not in step.choices:
        raise ValidationError("party", _m("tracker.err.party", code=step.code,
                                          choices=", ".join(step.choices)))
    return party


def _executor(repo, executor_id: Any, name: str = "pic_id", label_key: str = "tracker.field.pic") -> str | None:
    if executor_id in (None, ""):
        return None
    ex = repo.get("executors", str(executor_id))
    if ex is None or not ex.get("active", True):
        raise ValidationError(name, _m("tracker.err.executor", field=_m(label_key)))
    return ex["id"]


# ---- stale saves explained ----------------------------------------------------------------------

def _explain_stale(repo, exc: StaleWriteError) -> StaleWriteError:
    """Name who saved the case last and what they did (field changes and step actions)."""
    if exc.table != "cases":
        return exc
    current = repo.get("cases", exc.record_id)
    if current is None:
        return exc
    names = {e["id"]: e["name"] for e in repo.list("executors")}
    changed: dict[str, str] = {}
    for key, value in exc.changed.items():
        changed[field_label(key)] = names.get(value, value) if key == "pic_id" else (value or "–")
    for entry in repo.audit("cases", exc.record_id):
        if entry["at"] == current["updated_at"] and entry["action"] not in ("update", "create") and entry.get("new"):
            changed[_m("tracker.field.action")] = entry["new"]
    return StaleWriteError("cases", exc.record_id, exc.expected, current["version"], current.get("updated_by"),
                           current.get("updated_at"), changed)


def _ensure_version(repo, view: CaseView, expected: int | None) -> None:
    if expected is None or int(expected) == view.version:
        return
    who, when, changed = stale_details(repo, "cases", view.id, int(expected))
    raise _explain_stale(repo, StaleWriteError("cases", view.id, int(expected), view.version, who, when, changed))


def apply_writes(repo, writes: Sequence, actor: Actor, at: dt.datetime | None = None):
    try:
        return repo.apply(writes, actor=actor.audit_name, at=at)
    except StaleWriteError as exc:
        raise _explain_stale(repo, exc) from None


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


# ---- the case list, vectorised ------------------------------------------------------------------

SUMMARY_TABLES = ("cases", "units", "organisations", "executors")


@_in_session
def load_summary(repo, calendar: WorkCalendar, now: dt.datetime | None = None) -> pd.DataFrame:
    """Per-case summary for the list: the small tables, the holds and the step events of the open
    cases, each read once (on Google Sheets everything in one batch read)."""
    opener = getattr(repo, "open_case_events", None)  # a store may read just those events itself
    if callable(opener):
        frames = repo.frames([*SUMMARY_TABLES, "holds"])
        events = opener()
    else:
        frames = repo.frames([*SUMMARY_TABLES, "holds", "step_events"])
        events = frames["step_events"]
    return case_summary(frames, events, calendar, now)


SUMMARY_COLUMNS = ["id", "number", "title", "org_id", "org", "unit_ids", "units", "doc_kind", "origin", "track",
                   "status", "current_step", "stage", "step_name", "pic_id", "pic", "started_at", "finished_at",
                   "year", "target_date", "planned_finish", "forecast_finish", "due_at", "late", "late_days",
                   "clock_with", "clock_external", "hold_since", "hold_reason", "notes", "version",
                   "updated_at", "updated_by", "search", "progress", "params_note"]


def case_summary(frames: dict[str, pd.DataFrame], events: list[dict] | pd.DataFrame, calendar: WorkCalendar,
                 now: dt.datetime | None = None) -> pd.DataFrame:
    """One row per case: names, current step and stage, PIC, planned and forecast finish, whether
    it is late and by how many working days (the timing rule, ``domain.timing``), and whose clock
    is running. ``events``: the step events of at least the open cases. Vectorised: 10,000 cases
    take a fraction of a second."""
    now = instant_or_now(now)
    cases = frames["cases"]
    if cases.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    df = cases.reset_index(drop=True).copy()
    unit_name = dict(zip(frames["units"]["id"], frames["units"]["name"], strict=True))
    org_name = dict(zip(frames["organisations"]["id"], frames["organisations"]["name"], strict=True))
    exec_name = dict(zip(frames["executors"]["id"], frames["executors"]["name"], strict=True))
    df["units"] = df["unit_ids"].map(lambda ids: ", ".join(unit_name.get(u, u) for u in (ids or [])))
    df["org"] = df["org_id"].map(org_name)
    df["pic"] = df["pic_id"].map(exec_name)
    ev = events if isinstance(events, pd.DataFrame) else pd.DataFrame(events)
    if ev.empty:
        ev = pd.DataFrame(columns=["case_id", "step_code", "status", "started_at", "finished_at", "actor_id",
                                   "party"])
    open_ids = set(df.loc[df["status"].isin([ACTIVE, ON_HOLD]), "id"])
    ev = ev[ev["case_id"].isin(open_ids)]
    holds = frames.get("holds")
    clock = clock_for(calendar, df["started_at"], df["finished_at"], now)
    judged = timing.judge(ev, df, holds, now, calendar, clock)
    at = timing.cases_at(df, ev, judged, now, calendar, holds, clock).set_index("case_id")
    ids = df["id"]
    df["planned_finish"] = ids.map(at["planned_finish"]).astype("datetime64[us, UTC]")
    status = df["status"]
    open_ = status.isin([ACTIVE, ON_HOLD])
    current = df["current_step"].where(df["current_step"].notna() & open_, None)
    df["forecast_finish"] = ids.map(at["forecast_finish"]).astype("datetime64[us, UTC]").where(
        open_, df["finished_at"].astype("datetime64[us, UTC]").where(status == FINISHED))
    df["due_at"] = ids.map(at["due"]).astype("datetime64[us, UTC]").where(open_)
    df["late"] = ids.map(at["late"]).fillna(False).astype(bool) & (status != CANCELLED)
    df["late_days"] = np.round(np.where(df["late"], ids.map(at["late_days"]).fillna(0.0), 0.0), 2)
    df["progress"] = (ids.map(at["progress_minutes"]) / ids.map(at["plan_minutes"]).replace(0, np.nan)).fillna(0.0)
    df["params_note"] = ids.map(at["params_note"])

    step_stage = {s.code: s.stage for s in cat.STEPS}
    step_name = {s.code: s.name for s in cat.STEPS}
    df["stage"] = current.map(step_stage).astype("Int64")
    df["step_name"] = current.map(step_name)
    # Whose clock runs: the current step's recorded party where the seed allows another, else its own.
    recorded = {}
    if len(ev) and "party" in ev.columns:
        running = ev[(ev["status"] == RUNNING) & ev["party"].notna()]
        recorded = dict(zip(zip(running["case_id"], running["step_code"], strict=True), running["party"],
                            strict=True))
    clock_with = [cat.STEP_BY_CODE[c].party(recorded.get((cid, c))) if isinstance(c, str) and c in cat.STEP_BY_CODE
                  else None for cid, c in zip(ids, current, strict=True)]
    df["clock_with"] = pd.Series(clock_with, index=df.index, dtype=object).where(status == ACTIVE, None)
    df["clock_external"] = df["clock_with"].map(cat.is_external).astype(bool)
    df["year"] = df["started_at"].dt.tz_convert(JAKARTA).dt.year.astype("Int64")
    df["search"] = (df["number"].fillna("") + " " + df["title"].fillna("") + " " + df["units"] + " "
                    + df["org"].fillna("") + " " + df["pic"].fillna("") + " " + df["notes"].fillna("")).str.lower()
    return df[SUMMARY_COLUMNS]


@dataclass
class CaseFilter:
    org_ids: Sequence[str] = ()
    unit_ids: Sequence[str] = ()
    statuses: Sequence[str] = ()
    tracks: Sequence[str] = ()
    stages: Sequence[int] = ()
    pic_ids: Sequence[str] = ()
    timing: str | None = None  # "late" | "on_time" | None
    years: Sequence[int] = ()
    text: str = ""
    sort: str = "number"
    descending: bool = False


SORTS = ("number", "started_at", "planned_finish", "forecast_finish", "late_days", "status", "units", "pic",
         "stage", "target_date")


def filter_cases(summary: pd.DataFrame, f: CaseFilter) -> pd.DataFrame:
    """The cases matching every given filter (an empty filter matches everything), sorted."""
    df = summary
    mask = pd.Series(True, index=df.index)
    if f.org_ids:
        mask &= df["org_id"].isin(list(f.org_ids))
    if f.unit_ids:
        wanted = set(f.unit_ids)
        mask &= df["unit_ids"].map(lambda ids: bool(wanted.intersection(ids or [])))
    if f.statuses:
        mask &= df["status"].isin(list(f.statuses))
    if f.tracks:
        mask &= df["track"].isin(list(f.tracks))
    if f.stages:
        mask &= df["stage"].isin([int(s) for s in f.stages]).fillna(False).astype(bool)
    if f.pic_ids:
        mask &= df["pic_id"].isin(list(f.pic_ids))
    if f.timing == "late":
        mask &= df["late"]
    elif f.timing == "on_time":
        mask &= ~df["late"] & (df["status"] != CANCELLED)
    if f.years:
        mask &= df["year"].isin([int(y) for y in f.years]).fillna(False).astype(bool)
    words = [w for w in (f.text or "").lower().split() if w]
    for word in words:
        mask &= df["search"].str.contains(word, regex=False)
    out = df[mask.astype(bool)]
    sort = f.sort if f.sort in SORTS else "number"
    return out.sort_values([sort, "number"], ascending=[not f.descending, True], na_position="last",
                           kind="stable")


def case_counts(df: pd.DataFrame) -> dict[str, int]:
    status = df["status"]
    return {"total": len(df), "active": int((status == ACTIVE).sum()), "on_hold": int((status == ON_HOLD).sum()),
            "finished": int((status == FINISHED).sum()), "cancelled": int((status == CANCELLED).sum()),
            "late": int(df["late"].sum())}


# ---- export of the list -------------------------------------------------------------------------

EXPORT_COLUMNS = ("number", "title", "org", "units", "doc_kind", "track", "status", "stage", "current_step",
                  "step_name", "pic", "started_at", "planned_finish", "forecast_finish", "target_date", "late",
                  "late_days", "clock_with", "notes")


def export_rows(df: pd.DataFrame, lang: str = "id") -> tuple[list[str], list[list[Any]]]:
    """The filtered list as header and rows of plain values (dates as dates, Asia/Jakarta)."""
    headers = [t(f"tracker.col.{c}", lang) for c in EXPORT_COLUMNS]
    yes, no = t("tracker.yes", lang), t("tracker.no", lang)
    cols = []
    for c in EXPORT_COLUMNS:
        s = df[c]
        if c in ("started_at", "planned_finish", "forecast_finish"):
            local = pd.to_datetime(s, utc=True).dt.tz_convert(JAKARTA).dt.tz_localize(None)
            cols.append([None if pd.isna(v) else v.to_pydatetime() for v in local])
        elif c == "target_date":
            cols.append([None if pd.isna(v) else pd.Timestamp(v).date() for v in s])
        elif c == "late":
            cols.append([yes if v else no for v in s])
        elif c == "track":
            cols.append([cat.TRACK_LABELS.get(v, v) for v in s])
        elif c == "stage":
            cols.append([None if pd.isna(v) else int(v) for v in s])
        elif c == "late_days":
            cols.append([float(v) for v in s])
        else:
            cols.append([None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in s])
    return headers, [list(r) for r in zip(*cols, strict=True)] if cols and len(df) else []


def record_export(repo, actor: Actor, n_rows: int, fmt: str, filters: str = "") -> None:
    """Exports are allowed by role and written to the audit log."""
    check(actor, "case.export")
    repo.apply([Log("case.export", "cases", "", _m("tracker.log.export", n=n_rows, fmt=fmt, filters=filters))],
               actor=actor.audit_name)


# ---- small formatting shared by pages and exports ----------------------------------------------

def fmt_days(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.1f}".replace(".", ",")


def fmt_minutes(minutes: float, minutes_per_day: int, lang: str = "id") -> str:
    """A working duration: '1 hari 2 jam 30 menit' (a day is one office day)."""
    if not minutes:
        return "–"
    m = int(round(minutes))
    days, rest = divmod(m, minutes_per_day)
    hours, mins = divmod(rest, 60)
    units = ("hari", "jam", "menit") if lang == "id" else ("d", "h", "min")
    parts = [f"{v} {u}" for v, u in zip((days, hours, mins), units, strict=True) if v]
    return " ".join(parts)


def late_text(days: float, minutes_per_day: int, lang: str = "id") -> str:
    """'Terlambat 2,5 hari kerja', or under a day 'Terlambat 1 jam 20 menit (jam kerja)'."""
    if days >= 1:
        return t("tracker.timing.late_days", lang, days=fmt_days(days))
    return t("tracker.timing.late_short", lang,
             duration=fmt_minutes(max(1.0, days * minutes_per_day), minutes_per_day, lang))


def origin_label(origin: str, lang: str = "id") -> str:
    return t(f"tracker.origin.{origin}", lang)


__all__ = [
    "ORIGIN_INITIATIVE", "ORIGIN_LEADERSHIP", "BulkRow", "BulkResult", "CaseFilter", "CaseHeader", "CaseView",
    "NewCase", "StepRow", "annotate_step", "bulk_edit", "case_counts", "case_header",
    "case_history", "case_summary", "case_writes", "checklist", "diff_rows", "edit_case", "export_rows",
    "filter_cases", "finish_step", "hold_case", "load_case", "load_summary", "open_case", "record_done_earlier",
    "record_export", "reopen_step", "resume_case", "skip_step", "start_step", "timeline_frame",
    "validate_doc_link",
]
