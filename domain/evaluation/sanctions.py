"""Reprimands and sanctions given to executors who did not keep to the service standard (seed I.4),
recorded by the Karo with the date decided, the reason and the letter's number. A record is never
deleted: one given in error is withdrawn, with a reason, and the PDF shows it as withdrawn. A
sanction belongs to the evaluation year of its date; a concluded year takes no new ones."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from domain.calendar import JAKARTA
from domain.changes import Insert, Log, Update, new_id
from domain.errors import NotFoundError, ValidationError
from domain.evaluation.conclusions import clean_text, frame_records, check_year, ensure_open
from domain.evaluation.report import SANCTION_KINDS, Sanction
from domain.permissions import Actor, check

SANCTIONS = "evaluation_sanctions"


def _date(value) -> dt.date | None:
    if value is None or (not isinstance(value, (str, dt.date)) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def parse_sanction(row: dict) -> Sanction:
    def text(col: str) -> str:
        value = row.get(col)
        return value if isinstance(value, str) else ""

    return Sanction(str(row["id"]), text("executor_id"), text("kind"), _date(row.get("decided_on")), text("reason"),
                    text("reference"), bool(row.get("withdrawn") or False), text("withdraw_reason"),
                    int(row.get("version") or 0))


def sanctions_from_frames(frames: dict[str, pd.DataFrame], year: int) -> list[Sanction]:
    """The sanctions decided in ``year``, by date, from the evaluation's one read."""
    frame = frames.get(SANCTIONS)
    if frame is None or not len(frame):
        return []
    out = [parse_sanction(r) for r in frame_records(frame)]
    return sorted((s for s in out if s.decided_on and s.decided_on.year == year),
                  key=lambda s: (s.decided_on, s.id))


def record_sanction(repo, actor: Actor, executor_id: str, kind: str, decided_on, reason: str, reference: str,
                    now: dt.datetime) -> Sanction:
    """Record a reprimand or sanction the Karo gave an executor."""
    check(actor, "evaluation.conclude")
    person = repo.get("executors", str(executor_id or ""))
    if person is None:
        raise NotFoundError("executors", str(executor_id))
    if kind not in SANCTION_KINDS:
        raise ValidationError("kind", key="evaluation.err.sanction_kind")
    day = _date(decided_on)
    if day is None:
        raise ValidationError("decided_on", key="evaluation.err.sanction_date")
    if day > now.astimezone(JAKARTA).date():
        raise ValidationError("decided_on", key="evaluation.err.sanction_future")
    year = check_year(day.year)
    reason = clean_text("reason", reason, "evaluation.sanction.reason", 2000)
    if not reason:
        raise ValidationError("reason", key="evaluation.err.sanction_reason")
    reference = clean_text("reference", reference, "evaluation.sanction.reference", 200)
    ensure_open(repo, year)
    sid = new_id("SKS-")
    repo.apply([Insert(SANCTIONS, {"id": sid, "executor_id": executor_id, "kind": kind, "decided_on": day,
                                   "reason": reason, "reference": reference or None, "withdrawn": False}),
                Log("evaluation.sanction", SANCTIONS, sid, f"{kind} untuk {person.get('name')}")],
               actor=actor.audit_name)
    return parse_sanction(repo.get(SANCTIONS, sid))


def withdraw_sanction(repo, actor: Actor, sanction_id: str, reason: str, expected_version: int) -> Sanction:
    """Withdraw a sanction recorded in error; it stays on record with the reason."""
    check(actor, "evaluation.conclude")
    row = repo.get(SANCTIONS, str(sanction_id or ""))
    if row is None:
        raise NotFoundError(SANCTIONS, str(sanction_id))
    reason = clean_text("withdraw_reason", reason, "evaluation.sanction.withdraw_reason", 1000)
    if not reason:
        raise ValidationError("withdraw_reason", key="evaluation.err.withdraw_reason")
    current = parse_sanction(row)
    if current.withdrawn and current.version == int(expected_version or 0):  # else the store refuses it as stale
        raise ValidationError("withdraw_reason", key="evaluation.err.withdrawn")
    ensure_open(repo, current.decided_on.year)
    repo.apply([Update(SANCTIONS, current.id, {"withdrawn": True, "withdraw_reason": reason}, int(expected_version)),
                Log("evaluation.sanction_withdrawn", SANCTIONS, current.id, reason)], actor=actor.audit_name)
    return parse_sanction(repo.get(SANCTIONS, current.id))
