"""Send the notices that are due: load, decide (``domain.notices``), claim, send, record.

Never twice. Each notice has a key (its kind, record, instant and recipient) that is the id of its
row in ``notices``. A run sends a notice in three steps:

1. claim: insert the row with status ``klaim`` (one save; the store refuses a second row with the
   same id, so two runs cannot both claim it);
2. send it through the relay;
3. confirm: status ``terkirim`` and the instant (or ``gagal``/``tunda`` when the relay refused it).

A notice whose row exists is never sent again. If a run dies between 1 and 3 (killed, power cut,
connection lost while the relay had the message), the row stays ``klaim``: the relay may or may not
have taken the mail, and sending it again could make a duplicate. We choose at most once: a lost
notice is rare and visible (the command lists the unconfirmed claims, the digest still lists
the step or complaint), while a person who gets every reminder twice learns to ignore them. Claiming
one notice at a time keeps the loss to the one message in flight. Only a refusal with a temporary
code (4xx), which means the relay did not take the message, is sent again by a later run (``tunda``).

Runs do not overlap: the command takes a lock file first (see ``mailer.run_lock``); the claim row
holds even without it on DuckDB, whose primary key refuses the second insert.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Callable

from data_access.repository import Insert, Update
from data_access.snapshot import Snapshot
from domain import notices as nt
from domain.calendar import WorkCalendar
from domain.errors import StaleWriteError, ValidationError
from domain.notice_mail import Mail, compose
from domain.ports import store_session
from mailer.smtp import Relay, RelayLost, SendRefused

ACTOR = "pengingat"  # who the audit log names for the notices' records
TABLES = ("cases", "complaints", "complaint_actions", "proposals", "accounts", "executors", "units",
          "notices")


def load_data(repo) -> nt.NoticeData:
    """What ``due_notices`` decides from. A store that reads the open cases' step events itself gives
    just those (the timing rule needs a running block's earlier steps too); elsewhere (Google Sheets)
    all tables come in one batch read."""
    opener = getattr(repo, "open_case_events", None)
    source = repo if callable(opener) else Snapshot(repo.frames([*TABLES, "holds", "step_events"]))
    with store_session(repo):
        lists = {t: source.list(t) for t in (*TABLES, "holds")}
        events = opener().to_dict("records") if callable(opener) else source.list("step_events")
    return nt.NoticeData(step_events=events, **lists)


def message_id(key: str, sender: str) -> str:
    """The same Message-ID for the same notice, so a mail client can tell a copy of it."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "sop-tracker.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def build_message(notice: nt.Notice, mail: Mail, sender: str, now: dt.datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = Address(display_name=" ".join(notice.to.name.split())[:80], addr_spec=notice.to.email)
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id(notice.key, sender)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    msg["X-SOP-Notice"] = notice.kind
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    return msg


@dataclass
class RunReport:
    now: dt.datetime
    working_time: bool = True
    due: list[tuple[nt.Notice, Mail]] = field(default_factory=list)
    sent: list[tuple[nt.Notice, Mail]] = field(default_factory=list)
    failed: list[tuple[nt.Notice, str]] = field(default_factory=list)
    deferred: list[tuple[nt.Notice, str]] = field(default_factory=list)
    taken: list[nt.Notice] = field(default_factory=list)  # claimed meanwhile by another run
    lost: nt.Notice | None = None  # in flight when the relay connection broke
    error: str | None = None
    unconfirmed: list[dict] = field(default_factory=list)  # claims of earlier runs never confirmed


def _claim(repo, notice: nt.Notice, mail: Mail, run_id: str, now: dt.datetime, earlier: dict | None) -> dict | None:
    """The claimed row, or None when another run has it."""
    fields = {"kind": notice.kind, "account_id": notice.to.account_id, "recipient": notice.to.email,
              "subject": mail.subject, "entity": notice.entity, "entity_id": notice.entity_id, "status": nt.CLAIMED,
              "run_id": run_id, "claimed_at": now, "sent_at": None, "error": None}
    write = (Update("notices", notice.key, fields, expected_version=earlier["version"]) if earlier
             else Insert("notices", {"id": notice.key, **fields}))
    try:
        return repo.apply([write], actor=ACTOR, at=now).records[0]
    except (StaleWriteError, ValidationError):  # the id is taken, or the deferred row moved on
        return None


def _settle(repo, row: dict, status: str, now: dt.datetime, error: str | None = None) -> None:
    changes = {"status": status, "error": error[:500] if error else None}
    if status == nt.SENT:
        changes["sent_at"] = now
    repo.apply([Update("notices", row["id"], changes, expected_version=row["version"])], actor=ACTOR, at=now)


def send_due(repo, calendar: WorkCalendar, now: dt.datetime, *, base_url: str, sender: str,
             relay: Callable[[], Relay] | None, dry_run: bool = False) -> RunReport:
    """Decide what is due at ``now`` and send it through ``relay()`` (opened once, only when there is
    something to send); with ``dry_run`` only say what would be sent."""
    report = RunReport(now, working_time=nt.may_send(calendar, now))
    if not report.working_time:
        return report
    data = load_data(repo)
    report.unconfirmed = [n for n in data.notices if n.get("status") == nt.CLAIMED]
    notices = nt.due_notices(data, calendar, now)
    report.due = [(n, compose(n, base_url)) for n in notices]
    if dry_run or not notices:
        return report
    earlier = {n["id"]: n for n in data.notices if n.get("status") == nt.DEFERRED}
    run_id = uuid.uuid4().hex[:12]
    with relay() as session:
        for notice, mail in report.due:
            try:
                message = build_message(notice, mail, sender, now)
            except (ValueError, TypeError) as exc:  # an address no mail can be sent to
                row = _claim(repo, notice, mail, run_id, now, earlier.get(notice.key))
                if row is not None:
                    _settle(repo, row, nt.FAILED, now, f"alamat tidak sah: {exc}")
                    report.failed.append((notice, str(exc)))
                continue
            row = _claim(repo, notice, mail, run_id, now, earlier.get(notice.key))
            if row is None:
                report.taken.append(notice)
                continue
            try:
                session.send(message)
            except SendRefused as exc:
                _settle(repo, row, nt.FAILED if exc.permanent else nt.DEFERRED, now, str(exc))
                (report.failed if exc.permanent else report.deferred).append((notice, str(exc)))
                continue
            except RelayLost as exc:
                report.lost, report.error = notice, str(exc)  # stays claimed: it may have reached the relay
                break
            _settle(repo, row, nt.SENT, now)
            report.sent.append((notice, mail))
    return report
