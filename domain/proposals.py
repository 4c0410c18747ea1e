"""Proposals (usulan, service standard C. Requirements): a unit asks the Bureau to draft or revise
its SP/SOP. A proposal arrives in a queue; the Kabag or the Karo accepts it, which opens a case at
step 1.a, or declines it with a reason. Unit users see only their own unit's proposals.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from domain.changes import Insert, Log, Update, new_id
from domain import catalogue as cat
from domain.calendar import JAKARTA, WorkCalendar
from domain.errors import NotFoundError, PermissionDenied, StaleWriteError, ValidationError
from domain.models import DOC_KINDS, ORIGIN_PROPOSAL, PROPOSAL_ACCEPTED, PROPOSAL_DECLINED, PROPOSAL_NEW
from domain.permissions import Actor, UNIT_USER, allowed, check
from domain.texts import Worded
from domain.tracker import MAX_NOTE, MAX_REASON, NewCase, apply_writes, case_writes, clean_text, instant_or_now

KINDS = ("baru", "revisi")
MAX_DOCS = 500
PROPOSAL_STATUSES = (PROPOSAL_NEW, PROPOSAL_ACCEPTED, PROPOSAL_DECLINED)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()\-.]{6,20}$")


def _m(key: str, **params) -> str:
    """Indonesian, the language of record; the UI words a message again for its reader (Worded)."""
    return Worded(key, **params)


@dataclass
class NewProposal:
    unit_id: str = ""
    doc_kind: str = "SOP"
    kind: str = "baru"
    n_docs: int = 1
    reason: str = ""
    contact_name: str = ""
    contact: str = ""


def _unit_scope(actor: Actor) -> str | None:
    """The unit a unit user is limited to (None for the Bureau's staff)."""
    if actor.has(UNIT_USER) and not allowed(actor, "proposal.queue"):
        if not actor.unit_id:
            raise ValidationError("unit_id", _m("proposal.err.no_unit"))
        return actor.unit_id
    return None


def _number(repo, year: int, actor: Actor) -> str:
    taken = {p["number"] for p in repo.list("proposals")}
    for _ in range(10_000):
        number = f"USL-{year}-{repo.next_number(f'usulan-{year}', actor.audit_name):04d}"
        if number not in taken:
            return number
    raise ValidationError("number", _m("proposal.err.number"))


def submit_proposal(repo, actor: Actor, new: NewProposal, *, at: dt.datetime | None = None) -> dict:
    """A unit (or the Bureau on its behalf) proposes drafting or revising its SP/SOP."""
    check(actor, "proposal.submit")
    scope = _unit_scope(actor)
    unit_id = (new.unit_id or "").strip() or (scope or "")
    if not unit_id:
        raise ValidationError("unit_id", _m("proposal.err.unit"))
    if scope and unit_id != scope:
        raise PermissionDenied("proposal.submit", actor.username)
    if repo.get("units", unit_id) is None:
        raise ValidationError("unit_id", _m("proposal.err.unit"))
    if new.doc_kind not in DOC_KINDS:
        raise ValidationError("doc_kind", _m("proposal.err.doc_kind"))
    if new.kind not in KINDS:
        raise ValidationError("kind", _m("proposal.err.kind"))
    try:
        n_docs = int(new.n_docs)
    except (TypeError, ValueError):
        raise ValidationError("n_docs", _m("proposal.err.n_docs", limit=MAX_DOCS)) from None
    if not 1 <= n_docs <= MAX_DOCS:
        raise ValidationError("n_docs", _m("proposal.err.n_docs", limit=MAX_DOCS))
    reason = clean_text("reason", new.reason, "proposal.field.reason", required=True, limit=MAX_NOTE)
    contact_name = clean_text("contact_name", new.contact_name, "proposal.field.contact_name", required=True, limit=120)
    contact = clean_text("contact", new.contact, "proposal.field.contact", required=True, limit=120)
    if not (_EMAIL.match(contact) or _PHONE.match(contact)):
        raise ValidationError("contact", _m("proposal.err.contact"))
    at = instant_or_now(at)
    record = {"id": new_id("PROP-"), "number": _number(repo, at.astimezone(JAKARTA).year, actor),
              "unit_id": unit_id, "doc_kind": new.doc_kind, "kind": new.kind, "n_docs": n_docs, "reason": reason,
              "contact_name": contact_name, "contact": contact, "status": PROPOSAL_NEW}
    result = apply_writes(repo, [Insert("proposals", record)], actor, at=None)
    return result.records[0]


def own_proposals(repo, actor: Actor) -> list[dict]:
    """A unit user's view: their own unit's proposals only, newest first."""
    check(actor, "proposal.view_own")
    if not actor.unit_id:
        raise ValidationError("unit_id", _m("proposal.err.no_unit"))
    rows = repo.list("proposals", {"unit_id": actor.unit_id})
    return sorted(rows, key=lambda r: r["created_at"], reverse=True)


def proposal_queue(repo, actor: Actor, status: str | None = PROPOSAL_NEW) -> list[dict]:
    """The Bureau's queue (new proposals, oldest first), or all proposals with ``status=None``."""
    check(actor, "proposal.queue")
    rows = repo.list("proposals", {"status": status} if status else None)
    return sorted(rows, key=lambda r: r["created_at"], reverse=status is None)


def visible_proposal(repo, actor: Actor, proposal_id: str) -> dict:
    """One proposal, if the actor may see it (unit users: their own unit's only)."""
    row = repo.get("proposals", proposal_id)
    if row is None:
        raise NotFoundError("proposals", proposal_id)
    if allowed(actor, "proposal.queue"):
        return row
    check(actor, "proposal.view_own")
    if row["unit_id"] != actor.unit_id:
        raise NotFoundError("proposals", proposal_id)  # another unit's proposal does not exist for them
    return row


def _open_proposal(repo, proposal_id: str, expected_version: int | None) -> dict:
    row = repo.get("proposals", proposal_id)
    if row is None:
        raise NotFoundError("proposals", proposal_id)
    if expected_version is not None and row["version"] != int(expected_version):
        from domain.ports import stale_details

        who, when, changed = stale_details(repo, "proposals", proposal_id, int(expected_version))
        raise StaleWriteError("proposals", proposal_id, int(expected_version), row["version"],
                              who or row.get("updated_by"), when or row.get("updated_at"), changed)
    if row["status"] != PROPOSAL_NEW:
        raise ValidationError("status", _m("proposal.err.decided", status=row["status"]))
    return row


@dataclass
class Acceptance:
    title: str = ""
    track: str = cat.PERMEN
    meeting_location: str = cat.IN_TOWN
    team_decree: str = cat.DECREE_MENTERI
    pic_id: str | None = None
    target_date: dt.date | None = None
    notes: str | None = None


def accept_proposal(repo, actor: Actor, calendar: WorkCalendar, proposal_id: str, *,
                    expected_version: int | None, acceptance: Acceptance,
                    at: dt.datetime | None = None) -> tuple[dict, dict]:
    """Accept: open a case at step 1.a for the proposal's unit, in the same save. Returns
    (proposal, case)."""
    check(actor, "proposal.decide")
    row = _open_proposal(repo, proposal_id, expected_version)
    unit = repo.get("units", row["unit_id"])
    if unit is None:
        raise ValidationError("unit_id", _m("proposal.err.unit"))
    at = instant_or_now(at)
    title = acceptance.title or f"{row['doc_kind']} {unit['name']}"
    case, writes = case_writes(repo, actor, calendar, NewCase(
        title=title, org_id=unit["org_id"], unit_ids=[unit["id"]], doc_kind=row["doc_kind"],
        origin=ORIGIN_PROPOSAL, track=acceptance.track, drafts=int(row["n_docs"] or 1),
        meeting_location=acceptance.meeting_location, team_decree=acceptance.team_decree, pic_id=acceptance.pic_id,
        target_date=acceptance.target_date, notes=acceptance.notes, proposal_id=row["id"]), at=at)
    writes.insert(0, Update("proposals", row["id"], {"status": PROPOSAL_ACCEPTED, "decided_at": at,
                                                      "decided_by": actor.audit_name, "case_id": case["id"]},
                            expected_version=row["version"]))
    writes.append(Log("proposal.accept", "proposals", row["id"], _m("proposal.log.accept", number=case["number"])))
    result = apply_writes(repo, writes, actor)
    return result.records[0], result.records[1]


def decline_proposal(repo, actor: Actor, proposal_id: str, *, expected_version: int | None, reason: str,
                     at: dt.datetime | None = None) -> dict:
    """Decline with a reason the unit will read."""
    check(actor, "proposal.decide")
    row = _open_proposal(repo, proposal_id, expected_version)
    reason = clean_text("decision_reason", reason, "proposal.field.decision_reason", required=True, limit=MAX_REASON)
    at = instant_or_now(at)
    writes = [Update("proposals", row["id"], {"status": PROPOSAL_DECLINED, "decision_reason": reason,
                                              "decided_at": at, "decided_by": actor.audit_name},
                     expected_version=row["version"]),
              Log("proposal.decline", "proposals", row["id"], reason)]
    return apply_writes(repo, writes, actor).records[0]
