"""A case as the tracker knows it: its plan, its view (case, steps, holds read together), the checks on
typed values, and a save checked against the version its author read (a stale one explained).

The rules of the procedure are told in ``domain.tracker``."""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence
from urllib.parse import urlparse


from domain.ports import stale_details, store_session
from domain import case_params
from domain import catalogue as cat
from domain.calendar import now as jakarta_now
from domain.errors import NotFoundError, StaleWriteError, ValidationError
from domain.models import (
    DONE, SKIPPED,
)
from domain.permissions import Actor
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
    outputs: list[dict] = field(default_factory=list)  # the documents recorded in the register

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
    return CaseView(case, events, holds, minutes_per_day, repo.list("outputs", {"case_id": case_id}))


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
