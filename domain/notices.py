"""E-mail notices and digests: which are due now, decided from plain data.

Decide, then do: ``due_notices`` takes the records as read (cases, their running step events,
complaints and their assignment log, proposals, accounts, executors, units, and the notices
already claimed), the working-time calendar and an explicit ``now``; it returns the notices to send
and reads no clock and no store. ``mailer.service`` loads, claims, sends and records.

What is sent, and to whom (kind: when → to):

- ``langkah_mulai``: a step started (recently) → whose clock runs (``clock_holders``): the role's
  people, the PIC for staff and team steps, the unit's people for unit steps.
- ``langkah_jatuh_tempo``: a running step longer than a working day is due within one → whose clock
  runs, and the case's PIC.
- ``langkah_terlambat``: a running step is past its due instant → whose clock runs, and the PIC.
- ``pengaduan_didelegasikan``: the Karo delegated a complaint (recently) → the Kabag.
- ``pengaduan_ditugaskan``: the Kabag assigned a Kasubbag or staff member (recently) → each of them.
- ``pengaduan_jatuh_tempo`` / ``pengaduan_terlambat``: an open complaint is due within one working
  day / past its response due date → whose turn it is: the Karo, or the Kabag and those assigned.
- ``usulan_diputuskan``: a proposal was accepted or declined (recently) → the unit's people, and
  the proposal's contact when that is an e-mail.
- ``ringkasan_harian``: each working day with something to report → Karo and Kabag: what is
  overdue, what falls due within five working days, the complaints awaiting the Karo.
- ``ringkasan_mingguan``: the first working day a run sees in each ISO week → Pimpinan.
- ``pengaduan_tanda_terima`` / ``pengaduan_jawaban``: a complaint filed with an e-mail / answered
  (recently) → the complainant.

Rules kept here:
- Nothing is sent outside working time: not on weekends, public holidays or collective leave, nor
  before or after office hours (``may_send``). What fell due meanwhile goes out at the next working
  instant a run sees; a day's digest is that working day's.
- News (a step started, a delegation, a decision, a filing, an answer) is sent only while it is
  recent, within ``NEWS_WINDOW_DAYS`` working days, so a first run, or a run after a long outage,
  does not flood people with old events.
- A step's due instant and lateness are the timing rule's (``domain.timing``), read in one place
  (``running_steps``); a held case's clock is stopped, so it gets no step notices. A complaint's
  lateness is ``complaints.is_overdue``.
- A person gets a kind only if their roles may receive it (``kinds_for``), their account is active
  with an e-mail, and they have not turned it off (``notices_off``). Mails are in their language
  (``mail_lang``, Indonesian by default). Complainants and proposal contacts get theirs in Indonesian.
- Every notice has a key naming its kind, its record, the instant it is about and its recipient; a
  key already claimed is never sent again (``mailer.service`` explains the claim).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from domain import case_params, timing
from domain import catalogue as cat
from domain.calendar import JAKARTA, WorkCalendar
from domain.complaints import ACTION_KIND, ASSIGN, DONE_STATUSES, complaint_figures, is_overdue
from domain.errors import PermissionDenied, ValidationError
from domain.models import ACTIVE, C_RECEIVED, FINISHED, PROPOSAL_ACCEPTED, PROPOSAL_DECLINED, RUNNING
from domain.permissions import KABAG, KARO, KASUBBAG, PIMPINAN, STAF, UNIT_USER, Actor, check
from domain.texts import LANGS, t

# ---- kinds ----------------------------------------------------------------------------------------

STEP_STARTED, STEP_DUE_SOON, STEP_OVERDUE = "langkah_mulai", "langkah_jatuh_tempo", "langkah_terlambat"
COMPLAINT_DELEGATED, COMPLAINT_ASSIGNED = "pengaduan_didelegasikan", "pengaduan_ditugaskan"
COMPLAINT_DUE_SOON, COMPLAINT_OVERDUE = "pengaduan_jatuh_tempo", "pengaduan_terlambat"
PROPOSAL_DECIDED = "usulan_diputuskan"
DIGEST_DAILY, DIGEST_WEEKLY = "ringkasan_harian", "ringkasan_mingguan"
# To the complainant, who has no account: sent whenever an e-mail was given at filing.
COMPLAINT_RECEIPT, COMPLAINT_ANSWER = "pengaduan_tanda_terima", "pengaduan_jawaban"

# The kinds a person chooses from, in the order the account page lists them.
CHOOSABLE = (STEP_STARTED, STEP_DUE_SOON, STEP_OVERDUE, COMPLAINT_DELEGATED, COMPLAINT_ASSIGNED,
             COMPLAINT_DUE_SOON, COMPLAINT_OVERDUE, PROPOSAL_DECIDED, DIGEST_DAILY, DIGEST_WEEKLY)
KINDS = CHOOSABLE + (COMPLAINT_RECEIPT, COMPLAINT_ANSWER)
_STEPS = (STEP_STARTED, STEP_DUE_SOON, STEP_OVERDUE)
_COMPLAINT_TURN = (COMPLAINT_DUE_SOON, COMPLAINT_OVERDUE)
ROLE_KINDS: dict[str, tuple[str, ...]] = {
    KARO: (*_STEPS, *_COMPLAINT_TURN, DIGEST_DAILY),
    KABAG: (*_STEPS, COMPLAINT_DELEGATED, *_COMPLAINT_TURN, DIGEST_DAILY),
    KASUBBAG: (*_STEPS, COMPLAINT_ASSIGNED, *_COMPLAINT_TURN),
    STAF: (*_STEPS, COMPLAINT_ASSIGNED, *_COMPLAINT_TURN),
    PIMPINAN: (DIGEST_WEEKLY,),
    UNIT_USER: (*_STEPS, PROPOSAL_DECIDED),
}

NEWS_WINDOW_DAYS = 3  # working days during which an event is still news
SOON_DAYS = 1  # "due within one working day"
DIGEST_HORIZON_DAYS = 5  # the digest's "falls due this week": within five working days

# Statuses of a notice record. A claimed notice whose send was never confirmed stays claimed: it
# may have reached the relay, so it is not sent again. Only a temporary refusal is retried.
CLAIMED, SENT, FAILED, DEFERRED = "klaim", "terkirim", "gagal", "tunda"
SETTLED = (CLAIMED, SENT, FAILED)


def kinds_for(roles: Iterable[str]) -> tuple[str, ...]:
    """The kinds a person with ``roles`` may receive, in the account page's order."""
    wanted = {k for r in roles or () for k in ROLE_KINDS.get(r, ())}
    return tuple(k for k in CHOOSABLE if k in wanted)


def preference_changes(account: Mapping, chosen: Iterable[str], lang: str) -> dict:
    """The account's changes when its owner keeps ``chosen`` kinds and mails in ``lang``: the kinds
    turned off are stored (a kind added later is on until the person turns it off)."""
    if lang not in LANGS:
        raise ValidationError("mail_lang", t("notice.err.lang", "id"))
    offered = kinds_for(account.get("roles") or ())
    chosen = set(chosen or ())
    unknown = chosen - set(offered)
    if unknown:
        raise ValidationError("notices", t("notice.err.kind", "id", kind=sorted(unknown)[0]))
    off = [k for k in offered if k not in chosen]
    # Kinds the person turned off that their roles no longer offer stay off, should a role return.
    off += [k for k in account.get("notices_off") or () if k not in offered and k in CHOOSABLE]
    changes: dict[str, Any] = {}
    if sorted(off) != sorted(account.get("notices_off") or []):
        changes["notices_off"] = off
    if lang != (account.get("mail_lang") or "id"):
        changes["mail_lang"] = lang
    return changes


def choose_notices(actor: Actor, account: Mapping | None, chosen: Iterable[str], lang: str) -> dict:
    """A person's own choice of notices and mail language: the account's changes (empty when nothing
    changes). Only the account's owner chooses; nobody chooses for someone else."""
    check(actor, "account.notices")
    if account is None or account.get("id") != actor.id or not account.get("active"):
        raise PermissionDenied("account.notices", actor.audit_name)
    return preference_changes(account, chosen, lang)


def chosen_kinds(account: Mapping) -> tuple[str, ...]:
    """The kinds this account receives now (offered by its roles and not turned off)."""
    off = set(account.get("notices_off") or ())
    return tuple(k for k in kinds_for(account.get("roles") or ()) if k not in off)


# ---- what a notice is -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Recipient:
    email: str
    lang: str = "id"
    account_id: str | None = None
    name: str = ""

    @property
    def who(self) -> str:
        return self.account_id or self.email.lower()


@dataclass(frozen=True)
class Notice:
    key: str  # kind | record | instant | recipient: claimed once, never sent twice
    kind: str
    to: Recipient
    entity: str  # cases, complaints, proposals, or "" for a digest
    entity_id: str
    facts: Mapping[str, Any] = field(default_factory=dict, compare=False)


def notice_key(kind: str, record: str, instant: dt.datetime | dt.date | str | None, to: Recipient) -> str:
    if isinstance(instant, dt.datetime):
        instant = instant.astimezone(dt.UTC).isoformat()
    elif isinstance(instant, dt.date):
        instant = instant.isoformat()
    return f"{kind}|{record}|{instant or '-'}|{to.who}"


@dataclass(frozen=True)
class NoticeData:
    """The records a run decides from, as the store gives them (plain dicts)."""

    cases: Sequence[dict] = ()
    step_events: Sequence[dict] = ()  # at least those of the open cases
    holds: Sequence[dict] = ()
    complaints: Sequence[dict] = ()
    complaint_actions: Sequence[dict] = ()
    proposals: Sequence[dict] = ()
    accounts: Sequence[dict] = ()
    executors: Sequence[dict] = ()
    units: Sequence[dict] = ()
    notices: Sequence[dict] = ()  # already claimed or sent


# ---- time -----------------------------------------------------------------------------------------

def may_send(calendar: WorkCalendar, now: dt.datetime) -> bool:
    """Whether ``now`` is working time: a working day, within office hours."""
    if now.tzinfo is None:
        raise ValidationError("now", t("notice.err.naive_time", "id"))
    return calendar.normalise(now) == now


def _recent(at: dt.datetime | None, calendar: WorkCalendar, now: dt.datetime) -> bool:
    if at is None or at > now:
        return False
    if now - at > dt.timedelta(days=7 * NEWS_WINDOW_DAYS + 21):  # no long holiday stretches a window that far
        return False
    return calendar.working_minutes(at, now) <= NEWS_WINDOW_DAYS * calendar.minutes_per_day


def _within_days(calendar: WorkCalendar, now: dt.datetime, due: dt.datetime | None, days: int) -> bool:
    return due is not None and now <= due and calendar.working_minutes(now, due) <= days * calendar.minutes_per_day


# ---- the tracker's rule, read in one place --------------------------------------------------------

@dataclass(frozen=True)
class RunningStep:
    case: dict
    event: dict
    step: cat.Step
    due_at: dt.datetime | None
    late: bool
    late_days: float


def running_steps(data: NoticeData, calendar: WorkCalendar, now: dt.datetime) -> list[RunningStep]:
    """The running steps of active cases with the due instant and lateness of what they are judged
    in (their own time, or their block's), as the one timing rule (``domain.timing``) has them at
    ``now``. Every notice and digest about steps reads them from here."""
    cases = [c for c in data.cases if c.get("status") == ACTIVE]  # a held case's clock is stopped
    if not cases:
        return []
    ids = {c["id"] for c in cases}
    events = [e for e in data.step_events if e.get("case_id") in ids]
    if not any(e.get("status") == RUNNING for e in events):
        return []
    frame = pd.DataFrame(events)
    for col in ("started_at", "finished_at"):
        frame[col] = pd.to_datetime(frame[col] if col in frame else None, utc=True)
    for col in ("party", "actor_id"):
        if col not in frame:
            frame[col] = None
    case_frame = pd.DataFrame(cases)
    for col in ("hold_since", "started_at", "finished_at"):
        if col in case_frame:
            case_frame[col] = pd.to_datetime(case_frame[col], utc=True)
    holds = pd.DataFrame(list(data.holds), columns=["case_id", "start_at", "end_at"])
    for col in ("start_at", "end_at"):
        holds[col] = pd.to_datetime(holds[col], utc=True)
    judged = timing.judge(frame, case_frame, holds, now, calendar)
    items = {(cid, item): row for cid, item, row in zip(judged["case_id"], judged["item"],
                                                         judged.itertuples(index=False), strict=True)}
    by_id = {c["id"]: c for c in cases}
    mpd = calendar.minutes_per_day
    out = []
    for ev in events:
        step = cat.STEP_BY_CODE.get(ev.get("step_code"))
        if step is None or ev.get("status") != RUNNING:
            continue
        case = by_id[ev["case_id"]]
        params = case_params.of_case(case).params
        if not step.applies(params):
            continue
        row = items.get((case["id"], timing.outer_item(params, mpd, step.code)))
        if row is None:  # the seed gives it no time: no due instant, never late
            out.append(RunningStep(case, ev, step, None, False, 0.0))
            continue
        due = None if pd.isna(row.due) else row.due.to_pydatetime()
        late = row.state == timing.OVERDUE
        out.append(RunningStep(case, ev, step, due, late, round(row.late_minutes / mpd, 2) if late else 0.0))
    return out


# ---- who ------------------------------------------------------------------------------------------

class People:
    """The accounts that can receive mail, indexed the ways the rules ask for them."""

    def __init__(self, accounts: Sequence[dict]):
        self.accounts = [a for a in accounts if a.get("active") and (a.get("email") or "").strip()]

    def with_role(self, role: str) -> list[dict]:
        return [a for a in self.accounts if role in (a.get("roles") or ())]

    def of_executor(self, executor_id: str | None) -> list[dict]:
        return [a for a in self.accounts if executor_id and a.get("executor_id") == executor_id]

    def of_unit(self, unit_id: str | None) -> list[dict]:
        return [a for a in self.accounts if unit_id and a.get("unit_id") == unit_id
                and UNIT_USER in (a.get("roles") or ())]


def recipient(account: Mapping) -> Recipient:
    lang = account.get("mail_lang") if account.get("mail_lang") in LANGS else "id"
    return Recipient(account["email"].strip(), lang, account["id"],
                     account.get("display_name") or account.get("username") or "")


def wants(account: Mapping, kind: str) -> bool:
    return kind in chosen_kinds(account)


def _unique(accounts: Iterable[dict]) -> list[dict]:
    seen, out = set(), []
    for a in accounts:
        if a["id"] not in seen:
            seen.add(a["id"])
            out.append(a)
    return out


def clock_holders(step: cat.Step, case: Mapping, people: People) -> list[dict]:
    """Whose clock runs on ``step`` of ``case``: the Karo's, Kabag's or Kasubbag's own; for staff
    steps the case's PIC when a staff member (else the Kasubbag, who assigns staff work); for the
    drafting team the PIC who coordinates it; for a unit's steps the unit's people. Deputies, the
    Minister and support bureaus have no accounts here: their steps reach the PIC as watcher."""
    role = step.responsible
    if role in (KARO, KABAG, KASUBBAG):
        return people.with_role(role)
    if role == STAF:
        pic = [a for a in people.of_executor(case.get("pic_id")) if STAF in (a.get("roles") or ())]
        return pic or people.with_role(KASUBBAG)
    if role == cat.TIM:
        return people.of_executor(case.get("pic_id"))
    if role in (cat.UNIT, cat.UNIT_HEAD):
        return _unique(a for u in case.get("unit_ids") or () for a in people.of_unit(u))
    return []


def step_watchers(step: cat.Step, case: Mapping, people: People) -> list[dict]:
    """Who hears that a step falls due or is late: whose clock runs, and the case's PIC."""
    return _unique([*clock_holders(step, case, people), *people.of_executor(case.get("pic_id"))])


def complaint_handlers(row: Mapping, people: People) -> list[dict]:
    """Whose turn a complaint is: the Karo until he delegates it (or when he handles it himself);
    once delegated the Kabag it was delegated to, and the Kasubbag and staff he assigned."""
    if row.get("handler") == KABAG:
        kabag = people.of_executor(row.get("delegated_to")) or people.with_role(KABAG)
        return _unique([*kabag, *(a for e in row.get("assigned_to") or () for a in people.of_executor(e))])
    return people.with_role(KARO)


# ---- deciding -------------------------------------------------------------------------------------

class _Collector:
    def __init__(self, settled: set[str]):
        self.settled = settled
        self.out: dict[str, Notice] = {}

    def add(self, kind: str, record: str, instant, to: Recipient, entity: str, facts: Mapping) -> None:
        key = notice_key(kind, record, instant, to)
        if key not in self.settled and key not in self.out:
            self.out[key] = Notice(key, kind, to, entity, record, facts)

    def to_accounts(self, kind: str, record: str, instant, accounts: Iterable[dict], entity: str,
                    facts: Mapping) -> None:
        for a in accounts:
            if wants(a, kind):
                self.add(kind, record, instant, recipient(a), entity, facts)


def _names(rows: Sequence[dict]) -> dict[str, str]:
    return {r["id"]: r.get("name") or r["id"] for r in rows}


def _step_facts(rs: RunningStep, units: dict[str, str], executors: dict[str, str], minutes_per_day: int) -> dict:
    case = rs.case
    return {"case_id": case["id"], "number": case.get("number") or "", "title": case.get("title") or "",
            "units": ", ".join(units.get(u, u) for u in case.get("unit_ids") or ()),
            "pic": executors.get(case.get("pic_id") or "", ""), "code": rs.step.code, "step": rs.step.name,
            "responsible": rs.step.responsible, "external": rs.step.external,
            "started_at": rs.event.get("started_at"), "due_at": rs.due_at, "late_days": rs.late_days,
            "minutes_per_day": minutes_per_day}


def _complaint_facts(row: Mapping, units: dict[str, str]) -> dict:
    return {"complaint_id": row["id"], "receipt_no": row.get("receipt_no") or "", "subject": row.get("subject") or "",
            "kind": row.get("kind") or "", "unit": units.get(row.get("unit_id") or "", row.get("unit_id") or ""),
            "status": row.get("status") or "", "due_at": row.get("due_at"), "instruction": row.get("instruction"),
            "filed_at": row.get("created_at"), "answer": row.get("answer"), "answered_at": row.get("answered_at")}


def due_notices(data: NoticeData, calendar: WorkCalendar, now: dt.datetime) -> list[Notice]:
    """Every notice due at ``now`` that no earlier run claimed, in a stable order (digests last)."""
    if not may_send(calendar, now):
        return []
    settled = {n["id"] for n in data.notices if n.get("status") in SETTLED}
    people = People(data.accounts)
    units, executors = _names(data.units), _names(data.executors)
    got = _Collector(settled)
    steps = running_steps(data, calendar, now)

    for rs in steps:
        facts = _step_facts(rs, units, executors, calendar.minutes_per_day)
        record, started = rs.event["id"], rs.event.get("started_at")
        if _recent(started, calendar, now):
            got.to_accounts(STEP_STARTED, record, started, clock_holders(rs.step, rs.case, people), "cases", facts)
        if rs.late:
            got.to_accounts(STEP_OVERDUE, record, started, step_watchers(rs.step, rs.case, people), "cases", facts)
        elif (_within_days(calendar, now, rs.due_at, SOON_DAYS) and started is not None
              and calendar.working_minutes(started, rs.due_at) > SOON_DAYS * calendar.minutes_per_day):
            # A step shorter than a day is due "soon" from its start: its start notice says so.
            got.to_accounts(STEP_DUE_SOON, record, started, step_watchers(rs.step, rs.case, people), "cases", facts)

    assigned_at: dict[str, dt.datetime] = {}
    for action in data.complaint_actions:
        if action.get("kind") == ACTION_KIND[ASSIGN] and action.get("created_at"):
            cid = action["complaint_id"]
            assigned_at[cid] = max(assigned_at.get(cid, action["created_at"]), action["created_at"])
    for row in data.complaints:
        facts = _complaint_facts(row, units)
        rid, open_ = row["id"], row.get("status") not in DONE_STATUSES
        if open_ and row.get("handler") == KABAG and _recent(row.get("delegated_at"), calendar, now):
            kabag = people.of_executor(row.get("delegated_to")) or people.with_role(KABAG)
            got.to_accounts(COMPLAINT_DELEGATED, rid, row["delegated_at"], kabag, "complaints", facts)
        if open_ and row.get("handler") == KABAG and _recent(assigned_at.get(rid), calendar, now):
            for executor_id in row.get("assigned_to") or ():
                got.to_accounts(COMPLAINT_ASSIGNED, rid, None, people.of_executor(executor_id), "complaints", facts)
        if open_ and is_overdue(row, now):
            got.to_accounts(COMPLAINT_OVERDUE, rid, row["due_at"], complaint_handlers(row, people), "complaints",
                            facts)
        elif open_ and _within_days(calendar, now, row.get("due_at"), SOON_DAYS):
            got.to_accounts(COMPLAINT_DUE_SOON, rid, row["due_at"], complaint_handlers(row, people), "complaints",
                            facts)
        email = (row.get("email") or "").strip()
        if email:
            complainant = Recipient(email, "id", None, row.get("name") or "")
            if _recent(row.get("created_at"), calendar, now):
                got.add(COMPLAINT_RECEIPT, rid, None, complainant, "complaints", facts)
            if not open_ and row.get("answer") and _recent(row.get("answered_at"), calendar, now):
                got.add(COMPLAINT_ANSWER, rid, row["answered_at"], complainant, "complaints", facts)

    cases_by_id = {c["id"]: c for c in data.cases}
    for p in data.proposals:
        if p.get("status") not in (PROPOSAL_ACCEPTED, PROPOSAL_DECLINED) or not _recent(p.get("decided_at"), calendar,
                                                                                       now):
            continue
        case = cases_by_id.get(p.get("case_id") or "") or {}
        facts = {"proposal_id": p["id"], "number": p.get("number") or "", "unit": units.get(p["unit_id"], p["unit_id"]),
                 "accepted": p["status"] == PROPOSAL_ACCEPTED, "reason": p.get("decision_reason"),
                 "doc_kind": p.get("doc_kind") or "", "case_number": case.get("number") or "",
                 "decided_at": p["decided_at"]}
        unit_people = people.of_unit(p["unit_id"])
        got.to_accounts(PROPOSAL_DECIDED, p["id"], p["decided_at"], unit_people, "proposals", facts)
        contact = (p.get("contact") or "").strip()
        known = {a["email"].strip().lower() for a in people.accounts}
        if "@" in contact and contact.lower() not in known:
            to = Recipient(contact, "id", None, p.get("contact_name") or "")
            got.add(PROPOSAL_DECIDED, p["id"], p["decided_at"], to, "proposals", facts)

    for kind, roles, period in ((DIGEST_DAILY, (KARO, KABAG), _day(now)), (DIGEST_WEEKLY, (PIMPINAN,), _week(now))):
        accounts = _unique(a for r in roles for a in people.with_role(r))
        if not any(wants(a, kind) for a in accounts):
            continue
        digest = build_digest(kind, data, steps, calendar, now, units)
        if kind == DIGEST_DAILY and digest.empty:
            continue  # a quiet day needs no mail
        got.to_accounts(kind, period, None, accounts, "", {"digest": digest})
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(got.out.values(), key=lambda n: (n.kind in (DIGEST_DAILY, DIGEST_WEEKLY), order[n.kind], n.key))


def _day(now: dt.datetime) -> str:
    return now.astimezone(JAKARTA).date().isoformat()


def _week(now: dt.datetime) -> str:
    year, week, _ = now.astimezone(JAKARTA).date().isocalendar()
    return f"{year}-W{week:02d}"


# ---- digests --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Digest:
    kind: str
    day: dt.date
    week: str
    overdue_steps: tuple[dict, ...] = ()
    due_steps: tuple[dict, ...] = ()
    overdue_complaints: tuple[dict, ...] = ()
    due_complaints: tuple[dict, ...] = ()
    new_complaints: tuple[dict, ...] = ()
    # weekly figures
    active_cases: int = 0
    late_cases: int = 0
    finished_week: int = 0
    complaints_open: int = 0
    complaints_overdue: int = 0

    @property
    def empty(self) -> bool:
        return not (self.overdue_steps or self.due_steps or self.overdue_complaints or self.due_complaints
                    or self.new_complaints)


def build_digest(kind: str, data: NoticeData, steps: Sequence[RunningStep], calendar: WorkCalendar,
                 now: dt.datetime, units: dict[str, str] | None = None) -> Digest:
    """What the Karo and Kabag read each working day, and leadership each week: what is overdue
    (most late first), what falls due within five working days, the complaints not yet decided."""
    units = units if units is not None else _names(data.units)
    executors = _names(data.executors)
    horizon = calendar.add_working_days(now, DIGEST_HORIZON_DAYS)
    overdue = sorted((rs for rs in steps if rs.late), key=lambda rs: (-rs.late_days, rs.case.get("number") or ""))
    due = sorted((rs for rs in steps if not rs.late and rs.due_at is not None and rs.due_at <= horizon),
                 key=lambda rs: (rs.due_at, rs.case.get("number") or ""))
    open_complaints = [c for c in data.complaints if c.get("status") not in DONE_STATUSES]
    overdue_c = sorted((c for c in open_complaints if is_overdue(c, now)), key=lambda c: c["due_at"])
    due_c = sorted((c for c in open_complaints if not is_overdue(c, now) and c.get("due_at") is not None
                    and c["due_at"] <= horizon), key=lambda c: c["due_at"])
    new_c = sorted((c for c in data.complaints if c.get("status") == C_RECEIVED),
                   key=lambda c: c.get("created_at") or now)
    figures = complaint_figures(pd.DataFrame(list(data.complaints), columns=["status", "due_at"]), now)
    week_ago = now - dt.timedelta(days=7)
    return Digest(
        kind=kind, day=now.astimezone(JAKARTA).date(), week=_week(now),
        overdue_steps=tuple(_step_facts(rs, units, executors, calendar.minutes_per_day) for rs in overdue),
        due_steps=tuple(_step_facts(rs, units, executors, calendar.minutes_per_day) for rs in due),
        overdue_complaints=tuple(_complaint_facts(c, units) for c in overdue_c),
        due_complaints=tuple(_complaint_facts(c, units) for c in due_c),
        new_complaints=tuple(_complaint_facts(c, units) for c in new_c),
        active_cases=sum(c.get("status") == ACTIVE for c in data.cases),
        late_cases=len({rs.case["id"] for rs in overdue}),
        finished_week=sum(c.get("status") == FINISHED and c.get("finished_at") is not None
                          and week_ago <= c["finished_at"] <= now for c in data.cases),
        complaints_open=figures.open, complaints_overdue=figures.overdue)
