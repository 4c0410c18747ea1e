"""A person's due instants as an iCalendar feed (RFC 5545), for their calendar program.

Pure: which due instants are a person's comes from the same rules as the notices (``notices``: the
running steps they watch, the open complaints in their hands); this module writes them as text.
The feed is reached by a secret link (``calendar_token``, made on the account page), so it holds
only what the person may see anyway. Every user text is escaped as RFC 5545 TEXT (backslash,
semicolon, comma, line breaks), so a title can never add a property or an event.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Mapping

from domain import notices as nt
from domain.calendar import WorkCalendar
from domain.errors import PermissionDenied
from domain.notice_mail import page_url
from domain.permissions import Actor, check
from domain.texts import LANGS, t

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")  # what token_urlsafe makes: a file name never leaves its folder
EVENT_MINUTES = 30  # each due instant is shown as the half hour that ends at it


@dataclass(frozen=True)
class FeedItem:
    uid: str
    due_at: dt.datetime
    summary: str
    description: str
    url: str


def new_calendar_token(actor: Actor, account: Mapping | None) -> dict:
    """The account's change for a new secret feed link (the old link stops working)."""
    check(actor, "account.notices")
    if account is None or account.get("id") != actor.id or not account.get("active"):
        raise PermissionDenied("account.notices", actor.audit_name)
    return {"calendar_token": secrets.token_urlsafe(32)}


def feed_items(data: nt.NoticeData, account: Mapping, calendar: WorkCalendar, now: dt.datetime,
               base_url: str) -> list[FeedItem]:
    """The due instants that are this person's: running steps whose clock they hold or whose case
    they are PIC of, and open complaints in their hands; soonest first."""
    lang = account.get("mail_lang") if account.get("mail_lang") in LANGS else "id"
    people = nt.People([{**account, "email": account.get("email") or "-"}])  # the feed needs no address
    if not people.accounts:
        return []
    items = []
    for rs in nt.running_steps(data, calendar, now):
        if rs.due_at is None or not nt.step_watchers(rs.step, rs.case, people):
            continue
        number, title = rs.case.get("number") or "", rs.case.get("title") or ""
        items.append(FeedItem(
            f"{rs.event['id']}-{rs.event['started_at'].astimezone(dt.UTC):%Y%m%dT%H%M%SZ}@sop-tracker", rs.due_at,
            t("notice.ical.step", lang, code=rs.step.code, number=number, title=title),
            f"{rs.step.code} {rs.step.name}", page_url(base_url, "detail-kasus", id=rs.case["id"])))
    for c in data.complaints:
        if c.get("status") in nt.DONE_STATUSES or c.get("due_at") is None or not nt.complaint_handlers(c, people):
            continue
        items.append(FeedItem(
            f"{c['id']}@sop-tracker", c["due_at"],
            t("notice.ical.complaint", lang, receipt=c.get("receipt_no") or "", subject=c.get("subject") or ""),
            c.get("subject") or "", page_url(base_url, "kotak-pengaduan", nomor=c.get("receipt_no") or "")))
    return sorted(items, key=lambda i: (i.due_at, i.uid))


def _text(value: str) -> str:
    return (str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets, continued with a space (RFC 5545 3.1), never splitting a character."""
    out, current = [], ""
    for ch in line:
        limit = 75 if not out else 74
        if len((current + ch).encode()) > limit:
            out.append(current)
            current = ch
        else:
            current += ch
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(items: list[FeedItem], name: str, lang: str, now: dt.datetime) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//SOP Tracker//Tenggat//ID", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_text(t('notice.ical.name', lang, name=name))}",
             "X-WR-TIMEZONE:Asia/Jakarta"]
    for item in items:
        lines += ["BEGIN:VEVENT", f"UID:{_text(item.uid)}", f"DTSTAMP:{_stamp(now)}",
                  f"DTSTART:{_stamp(item.due_at - dt.timedelta(minutes=EVENT_MINUTES))}",
                  f"DTEND:{_stamp(item.due_at)}", f"SUMMARY:{_text(item.summary)}",
                  f"DESCRIPTION:{_text(item.description + chr(10) + item.url)}", f"URL:{item.url}",
                  "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
