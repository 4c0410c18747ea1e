"""Domain objects in the service's own words. Records in the store are plain dicts with the same
field names (see data_access/schema.py); ``from_record``/``to_record`` convert."""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from domain.catalogue import DECREE_MENTERI, IN_TOWN, PERMEN, CaseParams

# Case status
ACTIVE, ON_HOLD, FINISHED, CANCELLED = "aktif", "ditunda", "selesai", "dibatalkan"
CASE_STATUSES = (ACTIVE, ON_HOLD, FINISHED, CANCELLED)
# Step event status
RUNNING, DONE, SKIPPED = "berjalan", "selesai", "dilewati"
STEP_STATUSES = (RUNNING, DONE, SKIPPED)
# What is drafted
DOC_KINDS = ("SP", "SOP", "SP dan SOP")
# Where the case came from (PROCEDURE 1.a trigger)
ORIGIN_LEADERSHIP, ORIGIN_INITIATIVE, ORIGIN_PROPOSAL = "arahan_pimpinan", "inisiatif_bagian", "usulan_unit"
ORIGINS = (ORIGIN_LEADERSHIP, ORIGIN_INITIATIVE, ORIGIN_PROPOSAL)
# Proposal status
PROPOSAL_NEW, PROPOSAL_ACCEPTED, PROPOSAL_DECLINED = "baru", "diterima", "ditolak"
# Complaint kinds and status (section H)
COMPLAINT_KINDS = ("pengaduan", "keluhan", "masukan")
C_RECEIVED, C_DELEGATED, C_FOLLOW_UP = "diterima", "didelegasikan", "ditindaklanjuti"
C_ANSWERED, C_CLOSED = "dijawab", "ditutup"
COMPLAINT_STATUSES = (C_RECEIVED, C_DELEGATED, C_FOLLOW_UP, C_ANSWERED, C_CLOSED)

T = TypeVar("T")


def from_record(cls: type[T], record: dict) -> T:
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in record.items() if k in names})


def to_record(obj: Any) -> dict:
    return dataclasses.asdict(obj)


@dataclass
class Stamped:
    created_at: dt.datetime | None = None
    created_by: str | None = None
    updated_at: dt.datetime | None = None
    updated_by: str | None = None
    version: int = 0


@dataclass
class Organisation(Stamped):
    id: str = ""
    name: str = ""
    short_name: str | None = None
    sort_order: int | None = None
    active: bool = True


@dataclass
class Unit(Stamped):
    id: str = ""
    org_id: str = ""
    name: str = ""
    active: bool = True


@dataclass
class Executor(Stamped):
    id: str = ""
    name: str = ""
    nip: str | None = None
    role: str = ""  # Karo, Kabag, Kasubbag, Staf
    active: bool = True


@dataclass
class Case(Stamped):
    id: str = ""
    number: str = ""
    title: str = ""
    org_id: str | None = None
    unit_ids: list[str] = field(default_factory=list)
    doc_kind: str = "SOP"
    origin: str = ORIGIN_LEADERSHIP
    track: str = PERMEN
    drafts: int = 1
    organisations: int = 1
    meeting_location: str = IN_TOWN
    team_decree: str = DECREE_MENTERI
    status: str = ACTIVE
    current_step: str | None = None
    pic_id: str | None = None
    target_date: dt.date | None = None
    notes: str | None = None
    hold_since: dt.datetime | None = None
    hold_reason: str | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    proposal_id: str | None = None

    @property
    def params(self) -> CaseParams:
        return CaseParams(self.track, max(1, self.drafts or 1), max(1, len(self.unit_ids) or 1),
                          max(1, self.organisations or 1), self.meeting_location, self.team_decree)


@dataclass
class StepEvent(Stamped):
    id: str = ""
    case_id: str = ""
    step_code: str = ""
    status: str = RUNNING
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    actor_id: str | None = None  # the executor who did it
    note: str | None = None
    doc_link: str | None = None
    reason: str | None = None  # why back-dated, skipped or reopened
    backdated: bool = False


@dataclass
class Hold(Stamped):
    id: str = ""
    case_id: str = ""
    start_at: dt.datetime | None = None
    end_at: dt.datetime | None = None
    reason: str = ""


@dataclass
class Proposal(Stamped):
    id: str = ""
    number: str = ""
    unit_id: str = ""
    doc_kind: str = "SOP"
    kind: str = "baru"  # baru / revisi
    n_docs: int = 1
    reason: str = ""
    contact_name: str = ""
    contact: str = ""
    status: str = PROPOSAL_NEW
    decision_reason: str | None = None
    decided_at: dt.datetime | None = None
    decided_by: str | None = None
    case_id: str | None = None


@dataclass
class Complaint(Stamped):
    id: str = ""
    receipt_no: str = ""
    kind: str = "pengaduan"
    unit_id: str = ""
    name: str = ""
    nip: str | None = None
    email: str | None = None
    phone: str | None = None
    subject: str = ""
    description: str = ""
    case_id: str | None = None
    attachment_id: str | None = None
    status: str = C_RECEIVED
    handler: str | None = None  # "Karo" when handled personally, "Kabag" when delegated
    delegated_to: str | None = None
    delegated_at: dt.datetime | None = None
    instruction: str | None = None
    due_at: dt.datetime | None = None
    resolution: str | None = None
    answer: str | None = None
    answered_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    reopen_reason: str | None = None


@dataclass
class ComplaintAction(Stamped):
    id: str = ""
    complaint_id: str = ""
    kind: str = ""
    text: str = ""
    attachment_id: str | None = None


@dataclass
class Account(Stamped):
    id: str = ""
    username: str = ""
    display_name: str = ""
    email: str | None = None
    password_hash: str | None = None
    roles: list[str] = field(default_factory=list)
    unit_id: str | None = None
    executor_id: str | None = None
    active: bool = True
    must_change_password: bool = False
    failed_attempts: int = 0
    locked_until: dt.datetime | None = None
    last_login_at: dt.datetime | None = None


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    field: str | None
    old: str | None
    new: str | None
    version: int | None = None


@dataclass(frozen=True)
class UnreadableCell:
    """A cell of the store that cannot be read as its column's type (a value typed by hand into a
    spreadsheet). Its record is still shown, that field empty and marked; the administrator gets a
    list of these to fix. ``row`` is the sheet's own row number; ``reason`` a catalogue key."""

    table: str
    sheet: str
    row: int
    column: str
    value: str
    record_id: str
    reason: str
