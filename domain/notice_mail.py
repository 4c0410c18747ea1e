"""A notice as a mail: subject, plain text and HTML, in the recipient's language, with a link to the
page concerned. Pure: the words come from the text catalogue, the data from the notice.

Every value in a mail is data (titles, names, notes, subjects, answers and reasons are typed by
people, or by anyone filing a complaint), so the HTML part is built in one renderer that escapes
every text and attribute with ``html.escape``; no caller writes markup.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from urllib.parse import urlencode

from domain import catalogue as cat
from domain import notices as nt
from domain.calendar import format_date, format_datetime
from domain.texts import t
from domain.tracker import late_text, responsible_label

MAX_SUBJECT = 160
DIGEST_ITEMS = 25  # per section of a digest; the rest is counted, the app has them all
ACCOUNT_PAGE = "masuk"


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


@dataclass
class _Doc:
    """A mail's content before it is written out as text and as HTML."""

    greeting: str
    paragraphs: list[str] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)
    sections: list[tuple[str, list[tuple[str, str | None]]]] = field(default_factory=list)
    link: tuple[str, str] | None = None
    footer: str = ""


def page_url(base_url: str, path: str, **query: str) -> str:
    """An absolute link to a page of the app (query values encoded)."""
    url = f"{base_url.rstrip('/')}/{path}"
    return f"{url}?{urlencode(query)}" if query else url


def one_line(text: str, limit: int = MAX_SUBJECT) -> str:
    """A header value: no line breaks (they would end the header), not too long."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _when(value: dt.datetime | None, lang: str) -> str:
    return format_datetime(value, lang) if value is not None else "–"


def _who(code: str, lang: str) -> str:
    step = cat.STEP_BY_CODE.get(code)
    return responsible_label(step, lang) if step else "–"


def _step_doc(n: nt.Notice, base_url: str, lang: str, doc: _Doc) -> str:
    f = n.facts
    params = {"code": f["code"], "number": f["number"], "who": _who(f["code"], lang),
              "due": _when(f["due_at"], lang)}
    doc.paragraphs.append(t(f"notice.body.{n.kind}", lang, **params))
    if n.kind == nt.STEP_STARTED:
        doc.paragraphs.append(t("notice.body.langkah_mulai.due", lang, due=params["due"]) if f["due_at"]
                              else t("notice.body.langkah_mulai.no_due", lang))
    doc.details += [(t("notice.field.case", lang), f"{f['number']} {f['title']}"),
                    (t("notice.field.units", lang), f["units"] or "–"),
                    (t("notice.field.step", lang), f"{f['code']} {f['step']}"),
                    (t("notice.field.who", lang), params["who"]),
                    (t("notice.field.pic", lang), f["pic"] or "–"),
                    (t("notice.field.started", lang), _when(f["started_at"], lang)),
                    (t("notice.field.due", lang), params["due"])]
    if n.kind == nt.STEP_OVERDUE:
        doc.details.append((t("notice.field.late", lang), late_text(f["late_days"], f["minutes_per_day"], lang)))
    doc.link = (t("notice.link.case", lang), page_url(base_url, "detail-kasus", id=f["case_id"]))
    return t(f"notice.subject.{n.kind}", lang, **params)


def _complaint_details(f, lang: str) -> list[tuple[str, str]]:
    return [(t("notice.field.receipt", lang), f["receipt_no"]), (t("notice.field.subject", lang), f["subject"]),
            (t("notice.field.kind", lang), t(f"complaint.kind.{f['kind']}", lang) if f["kind"] else "–"),
            (t("notice.field.unit", lang), f["unit"] or "–")]


def _complaint_doc(n: nt.Notice, base_url: str, lang: str, doc: _Doc) -> str:
    f = n.facts
    params = {"receipt": f["receipt_no"], "due": _when(f["due_at"], lang)}
    doc.paragraphs.append(t(f"notice.body.{n.kind}", lang, **params))
    doc.details += _complaint_details(f, lang)
    doc.details.append((t("notice.field.due", lang), params["due"]))
    if n.kind == nt.COMPLAINT_DELEGATED and f.get("instruction"):
        doc.details.append((t("notice.field.instruction", lang), f["instruction"]))
    doc.link = (t("notice.link.complaint", lang), page_url(base_url, "kotak-pengaduan", nomor=f["receipt_no"]))
    return t(f"notice.subject.{n.kind}", lang, **params)


def _complainant_doc(n: nt.Notice, base_url: str, lang: str, doc: _Doc) -> str:
    f = n.facts
    params = {"receipt": f["receipt_no"], "due": format_date(f["due_at"], lang)}
    doc.paragraphs.append(t(f"notice.body.{n.kind}", lang, **params))
    doc.details += _complaint_details(f, lang)
    if n.kind == nt.COMPLAINT_RECEIPT:
        doc.details += [(t("notice.field.filed", lang), _when(f["filed_at"], lang)),
                        (t("notice.field.due", lang), params["due"])]
    else:
        doc.details.append((t("notice.field.answer", lang), f["answer"] or "–"))
    doc.paragraphs.append(t("notice.body.status_howto", lang))
    doc.link = (t("notice.link.status", lang), page_url(base_url, "status-pengaduan"))
    return t(f"notice.subject.{n.kind}", lang, **params)


def _proposal_doc(n: nt.Notice, base_url: str, lang: str, doc: _Doc) -> str:
    f = n.facts
    outcome = "usulan_diterima" if f["accepted"] else "usulan_ditolak"
    doc.paragraphs.append(t(f"notice.body.{outcome}", lang, number=f["number"], unit=f["unit"],
                            case=f["case_number"] or "–"))
    doc.details += [(t("notice.field.receipt", lang), f["number"]), (t("notice.field.unit", lang), f["unit"]),
                    (t("notice.field.doc_kind", lang), f["doc_kind"] or "–")]
    if not f["accepted"]:
        doc.details.append((t("notice.field.reason", lang), f["reason"] or "–"))
    doc.link = (t("notice.link.proposals", lang), page_url(base_url, "usulan"))
    return t(f"notice.subject.{outcome}", lang, number=f["number"])


def _step_items(rows, lang: str, base_url: str, late: bool) -> list[tuple[str, str | None]]:
    items = []
    for f in rows[:DIGEST_ITEMS]:
        params = {"number": f["number"], "title": f["title"], "code": f["code"], "who": _who(f["code"], lang),
                  "due": _when(f["due_at"], lang)}
        if late:
            params["late"] = late_text(f["late_days"], f["minutes_per_day"], lang)
        items.append((t("notice.digest.step_late" if late else "notice.digest.step_due", lang, **params),
                      page_url(base_url, "detail-kasus", id=f["case_id"])))
    return items


def _complaint_items(rows, lang: str, base_url: str) -> list[tuple[str, str | None]]:
    return [(t("notice.digest.complaint", lang, receipt=f["receipt_no"], subject=f["subject"], unit=f["unit"] or "–",
               due=_when(f["due_at"], lang)), page_url(base_url, "kotak-pengaduan", nomor=f["receipt_no"]))
            for f in rows[:DIGEST_ITEMS]]


def _digest_doc(n: nt.Notice, base_url: str, lang: str, doc: _Doc) -> str:
    d: nt.Digest = n.facts["digest"]
    date = format_date(d.day, lang)
    if d.kind == nt.DIGEST_WEEKLY:
        doc.paragraphs.append(t("notice.body.ringkasan_mingguan", lang, week=d.week, active=d.active_cases,
                                late=d.late_cases, finished=d.finished_week, open=d.complaints_open,
                                overdue=d.complaints_overdue))
    else:
        doc.paragraphs.append(t("notice.body.ringkasan_harian", lang, date=date))
    sections = [("notice.digest.overdue_steps", d.overdue_steps, _step_items(d.overdue_steps, lang, base_url, True)),
                ("notice.digest.due_steps", d.due_steps, _step_items(d.due_steps, lang, base_url, False)),
                ("notice.digest.overdue_complaints", d.overdue_complaints,
                 _complaint_items(d.overdue_complaints, lang, base_url)),
                ("notice.digest.due_complaints", d.due_complaints, _complaint_items(d.due_complaints, lang, base_url)),
                ("notice.digest.new_complaints", d.new_complaints, _complaint_items(d.new_complaints, lang, base_url))]
    for key, rows, items in sections:
        if len(rows) > DIGEST_ITEMS:
            items.append((t("notice.digest.more", lang, n=len(rows) - DIGEST_ITEMS), None))
        doc.sections.append((t(key, lang, n=len(rows)), items))
    if d.kind == nt.DIGEST_WEEKLY:
        doc.link = (t("notice.link.dashboard", lang), page_url(base_url, "dasbor"))
        return t("notice.subject.ringkasan_mingguan", lang, week=d.week)
    doc.link = (t("notice.link.cases", lang), page_url(base_url, "kasus"))
    return t("notice.subject.ringkasan_harian", lang, date=date, overdue=len(d.overdue_steps) +
             len(d.overdue_complaints), due=len(d.due_steps) + len(d.due_complaints), new=len(d.new_complaints))


_BUILDERS = {
    nt.STEP_STARTED: _step_doc, nt.STEP_DUE_SOON: _step_doc, nt.STEP_OVERDUE: _step_doc,
    nt.COMPLAINT_DELEGATED: _complaint_doc, nt.COMPLAINT_ASSIGNED: _complaint_doc,
    nt.COMPLAINT_DUE_SOON: _complaint_doc, nt.COMPLAINT_OVERDUE: _complaint_doc,
    nt.PROPOSAL_DECIDED: _proposal_doc, nt.DIGEST_DAILY: _digest_doc, nt.DIGEST_WEEKLY: _digest_doc,
    nt.COMPLAINT_RECEIPT: _complainant_doc, nt.COMPLAINT_ANSWER: _complainant_doc,
}


def compose(notice: nt.Notice, base_url: str) -> Mail:
    """The mail for ``notice``: subject, plain text and HTML in the recipient's language."""
    lang = notice.to.lang
    name = notice.to.name.strip()
    doc = _Doc(t("notice.greeting", lang, name=name) if name else t("notice.greeting.plain", lang))
    subject = _BUILDERS[notice.kind](notice, base_url, lang, doc)
    doc.footer = (t("notice.footer", lang, url=page_url(base_url, ACCOUNT_PAGE)) if notice.to.account_id
                  else t("notice.footer.public", lang))
    return Mail(one_line(f"[SOP Tracker] {subject}"), _as_text(doc), _as_html(doc, lang))


def _as_text(doc: _Doc) -> str:
    lines = [doc.greeting, ""]
    for p in doc.paragraphs:
        lines += [p, ""]
    if doc.details:
        width = max(len(label) for label, _ in doc.details)
        lines += [f"  {label.ljust(width)} : {value}" for label, value in doc.details] + [""]
    for heading, items in doc.sections:
        lines.append(heading)
        lines += [f"  - {text}" + (f"\n    {url}" if url else "") for text, url in items] or ["  –"]
        lines.append("")
    if doc.link:
        lines += [f"{doc.link[0]}: {doc.link[1]}", ""]
    lines += ["-- ", doc.footer]
    return "\n".join(lines) + "\n"


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _as_html(doc: _Doc, lang: str) -> str:
    """The HTML part: every value through ``_e``; the only markup is this function's own."""
    out = [f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8"></head>',
           '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1f2933">',
           f"<p>{_e(doc.greeting)}</p>"]
    out += [f"<p>{_e(p)}</p>" for p in doc.paragraphs]
    if doc.details:
        out.append('<table cellpadding="4" style="border-collapse:collapse">')
        out += [f'<tr><th align="left" style="color:#52606d;font-weight:normal">{_e(label)}</th>'
                f"<td>{_e(value)}</td></tr>" for label, value in doc.details]
        out.append("</table>")
    for heading, items in doc.sections:
        out.append(f'<h3 style="font-size:15px;margin:16px 0 4px">{_e(heading)}</h3>')
        if not items:
            out.append(f"<p>{_e(t('notice.digest.nothing', lang))}</p>")
            continue
        out.append("<ul>")
        out += [f'<li><a href="{_e(url)}">{_e(text)}</a></li>' if url else f"<li>{_e(text)}</li>"
                for text, url in items]
        out.append("</ul>")
    if doc.link:
        out.append(f'<p><a href="{_e(doc.link[1])}" style="display:inline-block;padding:8px 14px;'
                   f'background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:4px">{_e(doc.link[0])}</a></p>')
    out.append(f'<hr><p style="font-size:12px;color:#7b8794">{_e(doc.footer)}</p></body></html>')
    return "\n".join(out)
