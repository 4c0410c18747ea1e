"""Complaints, grievances and feedback (pengaduan/keluhan/masukan, service standard H).

A unit's official or employee files one (no account needed) and gets a receipt number; it goes to
the Karo, who handles it personally or delegates the follow-up to the Kabag with an instruction and
a due date; the Kabag assigns Kasubbag and staff to it; the Kabag (and those he assigned) logs what
was done, proposes a resolution and the Kabag answers; the Karo (or the Kabag when delegated) closes
it; the Karo may reopen it with a reason. Below the Kabag only the assigned may log (``may``).

Status flow (``TRANSITIONS`` is the whole of it; anything else is refused with a message):

    diterima --tangani--> ditindaklanjuti          (the Karo handles it personally)
    diterima / didelegasikan / ditindaklanjuti --delegasi--> didelegasikan
    didelegasikan / ditindaklanjuti --tindak_lanjut / usulan--> ditindaklanjuti
    ditindaklanjuti --jawab--> dijawab --tutup--> ditutup
    dijawab / ditutup --buka_kembali--> ditindaklanjuti

Every move is one ``repo.apply`` (the record, a ``complaint_actions`` row and an audit entry).
Contact details (name, NIP, e-mail, phone) are shown only to roles with ``complaint.view_contact``;
the public status lookup needs the receipt number and a contact given at filing, and answers
"not found" the same way whether the number or the contact is wrong.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd

from domain.ports import stale_details
from domain.changes import Insert, Log, Numbered, Update, new_id
from domain import catalogue as cat
from domain.attachments import CheckedFile, FileStore, check_upload
from domain.flood_limits import NO_ADDRESS, FloodLimits, apply_counted, count_writes, refuse_if_over
from domain.calendar import JAKARTA, WorkCalendar, format_date, format_datetime
from domain.calendar import now as clock_now
from domain.errors import DomainError, NotFoundError, PermissionDenied, StaleWriteError, ValidationError, raise_all
from domain.models import (C_ANSWERED, C_CLOSED, C_DELEGATED, C_FOLLOW_UP, C_RECEIVED, COMPLAINT_KINDS,
                           COMPLAINT_STATUSES)
from domain.permissions import KABAG, KARO, NOBODY, UNIT_USER, Actor, allowed, check
from domain.texts import Worded, t

MAX_NAME = 120
MAX_EMAIL = 254
MAX_SUBJECT = 200
MAX_DESCRIPTION = 10_000
MAX_TEXT = 5_000  # instruction, follow-up notes, resolution, answer, reasons
NIP_DIGITS = 18
MAX_CASE_REF = 40  # a case number typed in the form
CONTACT_FIELDS = ("name", "nip", "email", "phone")
DONE_STATUSES = (C_ANSWERED, C_CLOSED)

# ---- the state machine --------------------------------------------------------------------------

TAKE, DELEGATE, FOLLOW_UP, PROPOSE = "tangani", "delegasi", "tindak_lanjut", "usulan"
ANSWER, CLOSE, REOPEN = "jawab", "tutup", "buka_kembali"
EVENTS = (TAKE, DELEGATE, FOLLOW_UP, PROPOSE, ANSWER, CLOSE, REOPEN)

TRANSITIONS: dict[tuple[str, str], str] = {
    (C_RECEIVED, TAKE): C_FOLLOW_UP,
    (C_RECEIVED, DELEGATE): C_DELEGATED,
    (C_DELEGATED, DELEGATE): C_DELEGATED,  # new instruction or due date before the Kabag acted
    (C_FOLLOW_UP, DELEGATE): C_DELEGATED,  # the Karo handed over what he began, or re-instructs
    (C_DELEGATED, FOLLOW_UP): C_FOLLOW_UP,
    (C_FOLLOW_UP, FOLLOW_UP): C_FOLLOW_UP,
    (C_DELEGATED, PROPOSE): C_FOLLOW_UP,
    (C_FOLLOW_UP, PROPOSE): C_FOLLOW_UP,
    (C_FOLLOW_UP, ANSWER): C_ANSWERED,
    (C_ANSWERED, CLOSE): C_CLOSED,
    (C_ANSWERED, REOPEN): C_FOLLOW_UP,
    (C_CLOSED, REOPEN): C_FOLLOW_UP,
}

# The permission each move needs (the matrix in domain/permissions.py), before the conditions below.
EVENT_ACTION = {TAKE: "complaint.delegate", DELEGATE: "complaint.delegate", FOLLOW_UP: "complaint.follow_up",
                PROPOSE: "complaint.follow_up", ANSWER: "complaint.answer", CLOSE: "complaint.close",
                REOPEN: "complaint.reopen"}

# Kinds of rows in complaint_actions: one per move, and the kinds of follow-up a person logs.
FOLLOW_UP_KINDS = ("tindak_lanjut", "menghubungi_unit", "perbaikan_draf", "rapat")
ASSIGN = "tugaskan"  # not a status move: who below the Kabag may log the follow-up
ASSIGNABLE = (C_DELEGATED, C_FOLLOW_UP)
ASSIGNEE_ROLES = (cat.KASUBBAG, cat.STAF)
ACTION_KIND = {TAKE: "ditangani_karo", DELEGATE: "delegasi", PROPOSE: "usulan_penyelesaian", ANSWER: "jawaban",
               CLOSE: "penutupan", REOPEN: "dibuka_kembali", ASSIGN: "penugasan"}


def _m(key: str, **params) -> str:
    """Indonesian, the language of record; the UI words a message again for its reader (Worded)."""
    return Worded(key, **params)


def status_label(status: str | None, lang: str = "id") -> str:
    return t(f"complaint.status.{status}", lang) if status else "–"


def kind_label(kind: str | None, lang: str = "id") -> str:
    return t(f"complaint.kind.{kind}", lang) if kind else "–"


def allowed_from(event: str) -> list[str]:
    return [s for s in COMPLAINT_STATUSES if (s, event) in TRANSITIONS]


def next_status(status: str, event: str) -> str:
    """The status after ``event``, or a ValidationError saying why the move is not possible."""
    if event not in EVENTS:
        raise ValidationError("event", _m("complaint.err.unknown_event", event=event))
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise ValidationError("status", _m(
            "complaint.err.move", event=_m(f"complaint.event.{event}"), status=status_label(status),
            allowed=", ".join(status_label(s) for s in allowed_from(event)))) from None


def delegated(row: dict) -> bool:
    return row.get("handler") == cat.KABAG


def assigned(actor: Actor, row: dict) -> bool:
    """Whether the Kabag assigned this actor (by their executor) to the complaint's follow-up."""
    return bool(actor.executor_id) and actor.executor_id in (row.get("assigned_to") or [])


def may(actor: Actor, row: dict, event: str) -> bool:
    """Whether ``actor`` may make ``event`` on this complaint now (role, handler, assignment, status)."""
    if (row.get("status"), event) not in TRANSITIONS or not allowed(actor, EVENT_ACTION[event]):
        return False
    if actor.has(KARO):
        return True
    # Everyone else acts only on what the Karo delegated to the Kabag; below the Kabag, only the
    # Kasubbag and staff he assigned.
    return delegated(row) and (actor.has(KABAG) or assigned(actor, row))


def _guard(actor: Actor, row: dict, event: str) -> str:
    check(actor, EVENT_ACTION[event])
    new_status = next_status(row["status"], event)
    if not may(actor, row, event):
        explanation = ""
        if delegated(row) and not actor.has(KABAG) and not assigned(actor, row):
            explanation = _m("complaint.err.not_assigned", event=_m(f"complaint.event.{event}"))
        raise PermissionDenied(EVENT_ACTION[event], actor.audit_name, explanation)
    return new_status


def may_assign(actor: Actor, row: dict) -> bool:
    """The Kabag assigns executors to a complaint delegated to him while it is open."""
    return (allowed(actor, "complaint.assign") and actor.has(KABAG) and delegated(row)
            and row.get("status") in ASSIGNABLE)


# ---- small helpers ------------------------------------------------------------------------------

def _now(at: dt.datetime | None) -> dt.datetime:
    if at is None:
        return clock_now()
    if at.tzinfo is None:
        raise ValidationError("at", _m("complaint.err.naive_time"))
    return at


def _text(name: str, value: Any, *, required: bool, limit: int) -> str | None:
    label = _m(f"complaint.field.{name}")
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise ValidationError(name, _m("complaint.err.required", field=label))
        return None
    if len(text) > limit:
        raise ValidationError(name, _m("complaint.err.too_long", field=label, limit=f"{limit:,}".replace(",", "."),
                                       n=f"{len(text):,}".replace(",", ".")))
    if "\x00" in text:
        raise ValidationError(name, _m("complaint.err.bad_chars", field=label))
    return text


_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+?[0-9 ().\-]+$")
_CASE_REF = re.compile(r"[A-Z0-9][A-Z0-9./\-]*")  # e.g. K-2026-0001


def digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def phone_key(text: str | None) -> str:
    """A phone number compared by its digits, '+62 812' and '0812' the same."""
    d = digits(text)
    return "0" + d[2:] if d.startswith("62") else d


def response_due(calendar: WorkCalendar, start: dt.datetime, days: int) -> dt.datetime:
    """``days`` working days (the response standard) after ``start``, on the working-time calendar."""
    return calendar.add(start, max(0, int(days)) * calendar.minutes_per_day)


def due_from_date(calendar: WorkCalendar, day: dt.date) -> dt.datetime:
    """A due date picked in a form means the end of office hours that day (Asia/Jakarta): that day's
    own closing time on the Bureau's calendar, the standard day's on a day it does not work."""
    return calendar.closing(day) or dt.datetime.combine(day, calendar.end, JAKARTA)


def _open(repo, complaint_id: str, expected_version: int | None) -> dict:
    row = repo.get("complaints", complaint_id)
    if row is None:
        raise NotFoundError("complaints", complaint_id)
    if expected_version is not None and row["version"] != int(expected_version):
        who, when, changed = stale_details(repo, "complaints", complaint_id, int(expected_version))
        raise StaleWriteError("complaints", complaint_id, int(expected_version), row["version"],
                              who or row.get("updated_by"), when or row.get("updated_at"), changed)
    return row


# ---- filing -------------------------------------------------------------------------------------

@dataclass
class NewComplaint:
    kind: str = "pengaduan"
    unit_id: str = ""
    name: str = ""
    nip: str = ""
    email: str = ""
    phone: str = ""
    subject: str = ""
    description: str = ""
    case_id: str | None = None  # picked from the list (only offered to who may see the unit's cases)
    case_ref: str = ""  # a case number typed as free text by anyone else; stored as text, never looked up


@dataclass(frozen=True)
class Upload:
    """A file as it came from the browser: the name it had and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Receipt:
    complaint: dict
    receipt_no: str
    filed_at: dt.datetime
    unit_name: str
    attachment: dict | None = None


def prefill(repo, actor: Actor) -> dict:
    """Form defaults for a signed-in unit user: their unit, name and the e-mail of their account."""
    if not actor.signed_in:
        return {}
    out = {"name": actor.display_name or "", "unit_id": actor.unit_id or ""}
    account = repo.get("accounts", actor.id) if actor.id else None
    if account and account.get("email"):
        out["email"] = account["email"]
    return out


def units_for_form(repo) -> list[dict]:
    """Active units, with their organisation, for the unit choice (sorted by organisation, name)."""
    orgs = {o["id"]: o for o in repo.list("organisations")}
    rows = [u for u in repo.list("units") if u.get("active") is not False]
    order = {oid: (o.get("sort_order") or 999, o["name"]) for oid, o in orgs.items()}
    rows.sort(key=lambda u: (order.get(u["org_id"], (999, "")), u["name"]))
    return [{"id": u["id"], "name": u["name"], "org": (orgs.get(u["org_id"]) or {}).get("short_name") or
             (orgs.get(u["org_id"]) or {}).get("name") or ""} for u in rows]


def cases_for_unit(repo, unit_id: str | None) -> list[dict]:
    """The cases that concern a unit (for 'the case this is about'), newest first: id, number, title."""
    if not unit_id:
        return []
    rows = [c for c in repo.list("cases") if unit_id in (c.get("unit_ids") or [])]
    rows.sort(key=lambda c: c.get("created_at") or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
    return [{"id": c["id"], "number": c["number"], "title": c["title"]} for c in rows]


def may_pick_case(actor: Actor, unit_id: str | None) -> bool:
    """Whether the form may list the cases (number and title) of ``unit_id`` to this actor: roles that
    may view cases, or a signed-in unit user for their own unit. Nobody else sees them (the form is
    open without an account); they may type a case number as text instead."""
    if not unit_id or not actor.signed_in:
        return False
    if allowed(actor, "case.view"):
        return True
    return actor.has(UNIT_USER) and bool(actor.unit_id) and actor.unit_id == unit_id


def validate_new(repo, new: NewComplaint, actor: Actor = NOBODY, *, also=()) -> dict:
    """The record fields of a new complaint, or a ValidationError naming every bad field at once (in
    the form's order; ``also``: checks of the same form made elsewhere, such as its attachment), so
    the person fixes them all in one go."""
    problems: list[ValidationError] = []

    def checked(check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except ValidationError as exc:
            problems.append(exc)
            return None

    def refuse(field: str, message: str) -> None:
        problems.append(ValidationError(field, message))

    kind = (new.kind or "").strip()
    if kind not in COMPLAINT_KINDS:
        refuse("kind", _m("complaint.err.kind"))
    unit_id = (new.unit_id or "").strip()
    unit = repo.get("units", unit_id) if unit_id else None
    if unit is None or unit.get("active") is False:
        refuse("unit_id", _m("complaint.err.unit"))
    name = checked(_text, "name", new.name, required=True, limit=MAX_NAME)
    nip_raw = (new.nip or "").strip()
    nip = digits(nip_raw) if nip_raw else None
    if nip_raw and (not re.fullmatch(r"[0-9 .\-]+", nip_raw) or len(nip) != NIP_DIGITS):
        refuse("nip", _m("complaint.err.nip", n=NIP_DIGITS))
    email = checked(_text, "email", new.email, required=False, limit=MAX_EMAIL)
    if email and not _EMAIL.match(email):
        refuse("email", _m("complaint.err.email"))
    phone = checked(_text, "phone", new.phone, required=False, limit=30)
    if phone and (not _PHONE.match(phone) or not 8 <= len(digits(phone)) <= 15):
        refuse("phone", _m("complaint.err.phone"))
    if not (nip_raw or (new.email or "").strip() or (new.phone or "").strip()):
        refuse("contact", _m("complaint.err.contact"))
    subject = checked(_text, "subject", new.subject, required=True, limit=MAX_SUBJECT)
    description = checked(_text, "description", new.description, required=True, limit=MAX_DESCRIPTION)
    case_id = (new.case_id or "").strip() or None
    if case_id and (unit is None or not may_pick_case(actor, unit_id)
                    or case_id not in {c["id"] for c in cases_for_unit(repo, unit_id)}):
        refuse("case_id", _m("complaint.err.case"))
    case_ref = checked(_text, "case_ref", re.sub(r"\s+", "", new.case_ref or "").upper(), required=False,
                       limit=MAX_CASE_REF)
    if case_ref and not _CASE_REF.fullmatch(case_ref):
        refuse("case_ref", _m("complaint.err.case_ref", n=MAX_CASE_REF))
    for more in also:
        checked(more)
    raise_all(problems)
    return {"kind": kind, "unit_id": unit_id, "name": name, "nip": nip, "email": email.lower() if email else None,
            "phone": phone, "subject": subject, "description": description, "case_id": case_id,
            "case_ref": None if case_id else case_ref}


def receipt_number(year: int) -> Numbered:
    """``ADU-<year>-<nnnn>``, filled in by the store as the complaint is saved, from its counter
    ``ADU-<year>`` (unique under concurrency); numbers already present (imported or demo data) are
    passed over."""
    return Numbered(f"ADU-{year}", f"ADU-{year}-{{:04d}}", ("complaints", "receipt_no"))


def _store_file(files: FileStore | None, checked: CheckedFile) -> tuple[dict, FileStore]:
    if files is None:
        raise ValidationError("attachment", _m("complaint.err.no_file_store"))
    attachment_id = new_id("ATT-")
    path = files.put(attachment_id, checked.data)
    return {"id": attachment_id, "name": checked.name, "mime": checked.mime, "size": checked.size,
            "sha256": checked.sha256, "path": path}, files


def _apply_with_file(repo, writes, actor: Actor, at: dt.datetime, stored: tuple[dict, FileStore] | None):
    """Save ``writes`` (a list, or a function building them afresh when they count a flood limit);
    if the save fails, remove the file written for it so no orphan stays behind."""
    try:
        if callable(writes):
            return apply_counted(repo, writes, actor.audit_name, at)
        return repo.apply(writes, actor=actor.audit_name, at=at)
    except BaseException:
        if stored is not None:
            meta, files = stored
            try:
                files.delete(meta["id"], meta["path"])
            except Exception:  # noqa: BLE001 - the save's own error is the one to show
                pass
        raise


def submit_complaint(repo, actor: Actor, calendar: WorkCalendar, new: NewComplaint, *,
                     upload: Upload | None = None, files: FileStore | None = None, max_upload_mb: int = 5,
                     response_days: int = 5, client: str | None = None, limits: FloodLimits | None = None,
                     at: dt.datetime | None = None) -> Receipt:
    """File a complaint (anyone may; no account needed). Returns the receipt.

    The response standard starts at filing: ``due_at`` is ``response_days`` working days later, so a
    complaint nobody picks up is flagged overdue too. Everything is checked before anything is
    written; the attachment file is written first and removed again if the record cannot be saved.
    With ``limits`` (the app always passes them) the complaint counts toward the flood limit of the
    ``client`` address, in the same save, and one over the limit is refused first."""
    check(actor, "complaint.submit")
    at = _now(at)
    flood = [(limits.complaint, client or NO_ADDRESS)] if limits is not None else []
    refuse_if_over(repo, flood, at, actor.audit_name)
    accepted: list[CheckedFile] = []  # the attachment's problem comes with the form's others
    also = ([lambda: accepted.append(check_upload(upload.name, upload.data, max_upload_mb))]
            if upload is not None else [])
    fields = validate_new(repo, new, actor, also=also)
    checked = accepted[0] if accepted else None
    number = receipt_number(at.astimezone(JAKARTA).year)  # filled in by the store as it saves
    stored = _store_file(files, checked) if checked else None
    record = {"id": new_id("ADU-"), "receipt_no": number, **fields, "status": C_RECEIVED,
              "attachment_id": stored[0]["id"] if stored else None,
              "due_at": response_due(calendar, at, response_days)}

    def writes(source) -> list:
        return ([Insert("attachments", stored[0])] if stored else []) + [
            Insert("complaints", record), Log("complaint.submit", "complaints", record["id"], number),
            *count_writes(source, flood, at, actor.audit_name)]
    result = _apply_with_file(repo, writes, actor, at, stored)
    saved = next(r for r in result.records if r["id"] == record["id"])
    unit = repo.get("units", saved["unit_id"]) or {}
    attachment = next((r for r in result.records if stored and r["id"] == stored[0]["id"]), None)
    return Receipt(saved, saved["receipt_no"], saved["created_at"], unit.get("name", ""), attachment)


def receipt_text(receipt: Receipt, lang: str = "id") -> str:
    """The receipt as a small plain-text file the complainant keeps."""
    c = receipt.complaint
    lines = [t("complaint.receipt.heading", lang), "",
             f"{t('complaint.field.receipt_no', lang)}: {receipt.receipt_no}",
             f"{t('complaint.receipt.filed_at', lang)}: {format_datetime(receipt.filed_at, lang)}",
             f"{t('complaint.field.kind', lang)}: {t('complaint.kind.' + c['kind'], lang)}",
             f"{t('complaint.field.unit_id', lang)}: {receipt.unit_name}",
             f"{t('complaint.field.subject', lang)}: {c['subject']}",
             f"{t('complaint.receipt.due', lang)}: {format_date(c.get('due_at'), lang)}"]
    if receipt.attachment:
        lines.append(f"{t('complaint.field.attachment', lang)}: {receipt.attachment['name']} "
                     f"(SHA-256 {receipt.attachment['sha256'][:16]}…)")
    lines += ["", t("complaint.receipt.howto", lang)]
    return "\n".join(lines) + "\n"


# ---- public status lookup -----------------------------------------------------------------------

@dataclass(frozen=True)
class PublicStatus:
    """What the complainant may see: no contact details, no internal notes."""

    receipt_no: str
    kind: str
    subject: str
    status: str
    filed_at: dt.datetime
    updated_at: dt.datetime | None
    answer: str | None
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None


class ComplaintNotFound(DomainError):
    key = "complaint.err.lookup"


def contact_matches(row: dict, contact: str) -> bool:
    text = (contact or "").strip()
    if not text:
        return False
    if "@" in text:
        return bool(row.get("email")) and row["email"].lower() == text.lower()
    d = digits(text)
    if not d or re.search(r"[A-Za-z]", text):
        return False
    if row.get("nip") and digits(row["nip"]) == d:
        return True
    return bool(row.get("phone")) and phone_key(row["phone"]) == phone_key(text)


def lookup_status(repo, actor: Actor, receipt_no: str, contact: str, *, client: str | None = None,
                  limits: FloodLimits | None = None, at: dt.datetime | None = None) -> PublicStatus:
    """The status of one complaint by its receipt number and a contact given at filing. A wrong
    number and a wrong contact give the same answer, so the lookup tells nothing about others.
    With ``limits`` (the app always passes them) a look-up that finds nothing counts toward the
    limits of the ``client`` address and of the number, and one over either is refused first."""
    check(actor, "complaint.lookup")
    number = re.sub(r"\s+", "", receipt_no or "").upper()
    if not number or not (contact or "").strip():
        raise ValidationError("receipt_no", _m("complaint.err.lookup_input"))
    now = _now(at)
    flood = ([(limits.lookup_by_address, client or NO_ADDRESS), (limits.lookup_by_receipt, number[:40])]
             if limits is not None else [])
    refuse_if_over(repo, flood, now, actor.audit_name)
    rows = repo.list("complaints", {"receipt_no": number}) if len(number) <= 40 else []
    row = next((r for r in rows if contact_matches(r, contact)), None)
    if row is None:
        if flood:
            apply_counted(repo, lambda source: count_writes(source, flood, now, actor.audit_name), actor.audit_name,
                          now)
        raise ComplaintNotFound(_m("complaint.err.lookup"))
    answered = row["status"] in DONE_STATUSES
    return PublicStatus(row["receipt_no"], row["kind"], row["subject"], row["status"], row["created_at"],
                        row.get("updated_at"), row.get("answer") if answered else None,
                        row.get("answered_at") if answered else None, row.get("closed_at"))


# ---- a unit's own complaints --------------------------------------------------------------------

UNIT_VIEW_FIELDS = ("receipt_no", "kind", "subject", "status", "created_at", "updated_at", "due_at",
                    "answered_at", "closed_at")


def own_unit_complaints(repo, actor: Actor) -> list[dict]:
    """The complaints filed for the signed-in unit user's own unit, newest first, read-only: receipt
    number, kind, subject, status and dates only (no complainant contacts, no internal notes, no
    answer text: the complainant reads that with the status lookup)."""
    check(actor, "complaint.view_own_unit")
    if not actor.unit_id:
        return []
    rows = repo.list("complaints", {"unit_id": actor.unit_id})
    rows.sort(key=lambda r: r.get("created_at") or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
    return [{f: r.get(f) for f in UNIT_VIEW_FIELDS} for r in rows]


# ---- the Bureau's side --------------------------------------------------------------------------

def redact(row: dict, actor: Actor) -> dict:
    """The complaint as this actor may see it: contact details only for the roles handling complaints."""
    if allowed(actor, "complaint.view_contact"):
        return dict(row)
    return {**row, **{f: None for f in CONTACT_FIELDS}}


def is_overdue(row: dict, now: dt.datetime) -> bool:
    due = row.get("due_at")
    return row.get("status") not in DONE_STATUSES and due is not None and due < now


def inbox(repo, actor: Actor, *, now: dt.datetime | None = None, include_done: bool = False) -> list[dict]:
    """Complaints for the Bureau: overdue first, then new ones, then by due date; each with flags
    ``new`` (not yet read and decided by the Karo) and ``overdue``."""
    check(actor, "complaint.inbox")
    now = _now(now)
    rows = [redact(r, actor) for r in repo.list("complaints")]
    if not include_done:
        rows = [r for r in rows if r["status"] != C_CLOSED]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    for r in rows:
        r["new"] = r["status"] == C_RECEIVED
        r["overdue"] = is_overdue(r, now)
    rows.sort(key=lambda r: (not r["overdue"], not r["new"], r["status"] in DONE_STATUSES,
                             r.get("due_at") or far, r["created_at"]))
    return rows


def complaint_detail(repo, actor: Actor, complaint_id: str) -> dict:
    """One complaint for the Bureau: the record (contacts per permission), its unit and case, the
    attachment's metadata, and the follow-up log with who and when, oldest first."""
    check(actor, "complaint.inbox")
    row = repo.get("complaints", complaint_id)
    if row is None:
        raise NotFoundError("complaints", complaint_id)
    names = {a["username"]: a.get("display_name") or a["username"] for a in repo.list("accounts")}
    actions = sorted(repo.list("complaint_actions", {"complaint_id": complaint_id}), key=lambda a: a["created_at"])
    for a in actions:
        a["who"] = names.get(a["created_by"], a["created_by"])
        a["attachment"] = repo.get("attachments", a["attachment_id"]) if a.get("attachment_id") else None
    unit = repo.get("units", row["unit_id"]) or {}
    case = repo.get("cases", row["case_id"]) if row.get("case_id") else None
    return {"complaint": redact(row, actor), "unit_name": unit.get("name", row["unit_id"]),
            "case": {"id": case["id"], "number": case["number"], "title": case["title"]} if case else None,
            "attachment": repo.get("attachments", row["attachment_id"]) if row.get("attachment_id") else None,
            "actions": actions, "names": names}


def attachment_content(repo, actor: Actor, files: FileStore, attachment_id: str) -> tuple[dict, bytes]:
    """An attachment's metadata and bytes (checked against its SHA-256), for the Bureau only."""
    check(actor, "complaint.inbox")
    meta = repo.get("attachments", attachment_id)
    if meta is None:
        raise NotFoundError("attachments", attachment_id)
    return meta, files.get(meta["id"], meta.get("path"), meta["sha256"])


def _action(complaint_id: str, kind: str, text: str | None, attachment_id: str | None = None) -> Insert:
    return Insert("complaint_actions", {"id": new_id("ACT-"), "complaint_id": complaint_id, "kind": kind,
                                        "text": text or "–", "attachment_id": attachment_id})


def _move(repo, actor: Actor, row: dict, event: str, changes: dict, action: Insert, at: dt.datetime,
          extra: Sequence = (), stored=None) -> dict:
    writes = [*extra, Update("complaints", row["id"], changes, expected_version=row["version"]), action,
              Log(f"complaint.{event}", "complaints", row["id"],
                  f"{row['receipt_no']}: {row['status']} -> {changes.get('status', row['status'])}")]
    result = _apply_with_file(repo, writes, actor, at, stored)
    return result.records[len(extra)]


def _kabag_executor(repo) -> str | None:
    rows = [e for e in repo.list("executors", {"role": cat.KABAG}) if e.get("active") is not False]
    return sorted(rows, key=lambda e: e["id"])[0]["id"] if rows else None


def assignable_executors(repo) -> list[dict]:
    """Active Kasubbag and staff the Kabag may assign, by role then name: id, name, role."""
    rows = [e for e in repo.list("executors") if e.get("active") is not False and e.get("role") in ASSIGNEE_ROLES]
    rows.sort(key=lambda e: (ASSIGNEE_ROLES.index(e["role"]), e["name"]))
    return [{"id": e["id"], "name": e["name"], "role": e["role"]} for e in rows]


def assign_executors(repo, actor: Actor, complaint_id: str, executor_ids: Sequence[str], *,
                     expected_version: int | None = None, at: dt.datetime | None = None) -> dict:
    """The Kabag names the Kasubbag/staff who follow the complaint up (replacing the earlier list; an
    empty list leaves it to the Kabag alone). Recorded in the log and the audit like every move."""
    check(actor, "complaint.assign")
    row = _open(repo, complaint_id, expected_version)
    if not may_assign(actor, row):
        raise PermissionDenied("complaint.assign", actor.audit_name, _m("complaint.err.assign"))
    known = {e["id"]: e for e in assignable_executors(repo)}
    ids = sorted({str(i).strip() for i in executor_ids or [] if str(i).strip()})
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValidationError("assigned_to", _m("complaint.err.assignee", ids=", ".join(unknown)))
    if ids == sorted(row.get("assigned_to") or []):
        raise ValidationError("assigned_to", _m("complaint.err.assign_same"))
    at = _now(at)
    names = ", ".join(known[i]["name"] for i in ids) or _m("complaint.log.assign_none")
    return _move(repo, actor, row, ASSIGN, {"assigned_to": ids},
                 _action(row["id"], ACTION_KIND[ASSIGN], _m("complaint.log.assign", names=names)), at)


def take_complaint(repo, actor: Actor, complaint_id: str, *, expected_version: int | None = None,
                   note: str | None = None, at: dt.datetime | None = None) -> dict:
    """The Karo handles the complaint personally (the due date set at filing stays)."""
    row = _open(repo, complaint_id, expected_version)
    status = _guard(actor, row, TAKE)
    note = _text("note", note, required=False, limit=MAX_TEXT)
    at = _now(at)
    return _move(repo, actor, row, TAKE, {"status": status, "handler": KARO},
                 _action(row["id"], ACTION_KIND[TAKE], note or _m("complaint.log.take")), at)


def delegate_complaint(repo, actor: Actor, calendar: WorkCalendar, complaint_id: str, *, instruction: str,
                       due: dt.date | dt.datetime | None = None, response_days: int = 5,
                       expected_version: int | None = None, at: dt.datetime | None = None) -> dict:
    """The Karo delegates the follow-up to the Kabag with an instruction and a due date (default:
    ``response_days`` working days from now on the working-time calendar)."""
    row = _open(repo, complaint_id, expected_version)
    status = _guard(actor, row, DELEGATE)
    instruction = _text("instruction", instruction, required=True, limit=MAX_TEXT)
    at = _now(at)
    if due is None:
        due_at = response_due(calendar, at, response_days)
    elif isinstance(due, dt.datetime):
        due_at = _now(due)
    else:
        due_at = due_from_date(calendar, due)
    if due_at < at:
        raise ValidationError("due_at", _m("complaint.err.due_past"))
    text = _m("complaint.log.delegate", instruction=instruction, due=format_date(due_at))
    return _move(repo, actor, row, DELEGATE,
                 {"status": status, "handler": cat.KABAG, "delegated_to": _kabag_executor(repo),
                  "delegated_at": at, "instruction": instruction, "due_at": due_at},
                 _action(row["id"], ACTION_KIND[DELEGATE], text), at)


def log_follow_up(repo, actor: Actor, complaint_id: str, *, kind: str = "tindak_lanjut", text: str,
                  upload: Upload | None = None, files: FileStore | None = None, max_upload_mb: int = 5,
                  at: dt.datetime | None = None) -> dict:
    """Log what was done (contacted the unit, fixed the draft, held a meeting …), optionally with a
    file. The first one after delegation moves the complaint to 'ditindaklanjuti'. Returns the
    complaint as saved. Logging never overwrites anything, so it needs no version from the form."""
    row = _open(repo, complaint_id, None)
    status = _guard(actor, row, FOLLOW_UP)
    if kind not in FOLLOW_UP_KINDS:
        raise ValidationError("action_kind", _m("complaint.err.action_kind"))
    text = _text("text", text, required=True, limit=MAX_TEXT)
    checked = check_upload(upload.name, upload.data, max_upload_mb) if upload is not None else None
    at = _now(at)
    stored = _store_file(files, checked) if checked else None
    extra = [Insert("attachments", stored[0])] if stored else []
    action = _action(row["id"], kind, text, stored[0]["id"] if stored else None)
    if status == row["status"]:
        writes = [*extra, action, Log(f"complaint.{FOLLOW_UP}", "complaints", row["id"], row["receipt_no"])]
        _apply_with_file(repo, writes, actor, at, stored)
        return repo.get("complaints", row["id"])
    return _move(repo, actor, row, FOLLOW_UP, {"status": status}, action, at, extra, stored)


def propose_resolution(repo, actor: Actor, complaint_id: str, *, text: str, expected_version: int | None = None,
                       at: dt.datetime | None = None) -> dict:
    """Propose how to resolve it (the draft of the answer), recorded in the log."""
    row = _open(repo, complaint_id, expected_version)
    status = _guard(actor, row, PROPOSE)
    text = _text("resolution", text, required=True, limit=MAX_TEXT)
    at = _now(at)
    return _move(repo, actor, row, PROPOSE, {"status": status, "resolution": text},
                 _action(row["id"], ACTION_KIND[PROPOSE], text), at)


def answer_complaint(repo, actor: Actor, complaint_id: str, *, answer: str, expected_version: int | None = None,
                     at: dt.datetime | None = None) -> dict:
    """The answer sent to the complainant (shown in the status lookup)."""
    row = _open(repo, complaint_id, expected_version)
    status = _guard(actor, row, ANSWER)
    answer = _text("answer", answer, required=True, limit=MAX_TEXT)
    at = _now(at)
    return _move(repo, actor, row, ANSWER, {"status": status, "answer": answer, "answered_at": at},
                 _action(row["id"], ACTION_KIND[ANSWER], answer), at)


def close_complaint(repo, actor: Actor, complaint_id: str, *, expected_version: int | None = None,
                    note: str | None = None, at: dt.datetime | None = None) -> dict:
    """Close an answered complaint: the Karo, or the Kabag when it was delegated."""
    row = _open(repo, complaint_id, expected_version)
    status = _guard(actor, row, CLOSE)
    note = _text("note", note, required=False, limit=MAX_TEXT)
    at = _now(at)
    return _move(repo, actor, row, CLOSE, {"status": status, "closed_at": at},
                 _action(row["id"], ACTION_KIND[CLOSE], note or _m("complaint.log.close")), at)


def reopen_complaint(repo, actor: Actor, calendar: WorkCalendar, complaint_id: str, *, reason: str,
                     response_days: int = 5, expected_version: int | None = None,
                     at: dt.datetime | None = None) -> dict:
    """The Karo reopens an answered or closed complaint with a reason; the answer is withdrawn (it
    stays in the log) and a new due date runs from now."""
    row = _open(repo, complaint_id, expected_version)
    status = _guard(actor, row, REOPEN)
    reason = _text("reason", reason, required=True, limit=MAX_TEXT)
    at = _now(at)
    return _move(repo, actor, row, REOPEN,
                 {"status": status, "reopen_reason": reason, "answer": None, "answered_at": None,
                  "closed_at": None, "due_at": response_due(calendar, at, response_days)},
                 _action(row["id"], ACTION_KIND[REOPEN], reason), at)


# ---- figures for the dashboard ------------------------------------------------------------------

@dataclass(frozen=True)
class ComplaintFigures:
    total: int = 0
    open: int = 0  # not answered or closed
    overdue: int = 0  # open and past its due
    new: int = 0  # not yet handled or delegated by the Karo


def complaint_figures(frame: pd.DataFrame, now: dt.datetime) -> ComplaintFigures:
    """Open and overdue complaints from a ``complaints`` DataFrame (as ``repo.frames`` gives it)."""
    if frame is None or len(frame) == 0:
        return ComplaintFigures()
    if now.tzinfo is None:
        raise ValidationError("now", _m("complaint.err.naive_time"))
    status = frame["status"]
    open_ = ~status.isin(DONE_STATUSES)
    due = pd.to_datetime(frame["due_at"], utc=True)
    overdue = open_ & due.notna() & (due < pd.Timestamp(now).tz_convert("UTC"))
    return ComplaintFigures(total=len(frame), open=int(open_.sum()), overdue=int(overdue.sum()),
                            new=int((status == C_RECEIVED).sum()))
