"""The yearly executor evaluation as a printable PDF, built from report data only.

``build_yearly_pdf(evaluation)`` and ``build_executor_pdf(evaluation, executor_id)`` take the
plain data of ``domain.evaluation`` and never touch a store; the layout engine is
``reports.pdf_layout``, the font ``reports.pdf_fonts``. Black and white friendly, "Halaman X dari
Y" on every page.

Reached through ``reports.evaluation``, which imports this module (and fpdf2 with it) only when a
PDF is built: the command line computes the figures first, gives their memory back, and only
then loads the PDF library, so that its peak memory is the larger of the two parts, not their sum.
"""
from __future__ import annotations

from typing import Sequence

from fpdf.enums import XPos, YPos

from domain.calendar import format_date
from domain.errors import NotFoundError
from domain.evaluation import (
    EXTERNAL, BureauFigures, Evaluation, ExecutorEvaluation, Figures, LateStep, fmt_change, fmt_days, fmt_int,
    fmt_pct, status_outcome,
)
from domain.texts import t
from reports import pdf_charts
from reports.pdf_layout import FAMILY, Document

CHART_ROWS = 55  # executors per on-time chart, so that a chart fits a page
SHEET_LATE_ROWS = (8, 6, 4, 2, 0)


class _Doc(Document):
    def __init__(self, evaluation: Evaluation, lang: str, header_text: str):
        super().__init__(lang, title=t("evaluation.header", lang, year=evaluation.year),
                         author=t("evaluation.bureau", lang), created_at=evaluation.generated_at)
        self.ev, self.header_text = evaluation, header_text

    # ---- page furniture -----------------------------------------------------------------------

    def header(self):
        if self.page_no() == 1 or not self.header_text:
            return
        self.set_font(FAMILY, size=7.5)
        self.set_text_color(60)
        self.cell(0, 4, self.safe(self.header_text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(0)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
        self.set_text_color(0)
        self.ln(4)

    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, size=7.5)
        self.set_text_color(60)
        self.cell(0, 5, self.tr("evaluation.printed", date=format_date(self.ev.generated_at, self.language)), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, self.tr("evaluation.page_of", page=self.page_no(), total="{nb}"), align="R")
        self.set_text_color(0)


# ---- rows of figures -------------------------------------------------------------------------------

def _rows(doc: _Doc, spec, now, before, **params) -> list[list[str]]:
    """Indicator rows: label, this year, and with a year before: that year and the change.

    ``spec``: (text key, format of one year's value, attribute compared, compared as a share)."""
    rows = []
    for key, value, attr, pct in spec:
        row = [doc.tr(key, **params), value(now)]
        if before is not None:
            row += [value(before), fmt_change(getattr(now, attr), getattr(before, attr), pct=pct)]
        rows.append(row)
    return rows


def _figure_rows(doc: _Doc, f: Figures, prev: Figures | None, *, bureau: bool = False) -> list[list[str]]:
    def share(x: Figures) -> str:
        return fmt_pct(x.on_time_share) + (f" ({fmt_int(x.on_time)}/{fmt_int(x.steps_with_standard)})"
                                           if x.steps_with_standard else "")

    resolved = "evaluation.ind.complaints_resolved_bureau" if bureau else "evaluation.ind.complaints_resolved"
    spec = [
        ("evaluation.ind.steps_handled", lambda x: fmt_int(x.steps_handled), "steps_handled", False),
        ("evaluation.ind.on_time_share", share, "on_time_share", True),
        ("evaluation.ind.late", lambda x: f"{fmt_int(x.late_finished)} / {fmt_int(x.open_overdue)}", "late_steps",
         False),
        ("evaluation.ind.median_late", lambda x: fmt_days(x.median_late_days), "median_late_days", False),
        ("evaluation.ind.worst_late", lambda x: fmt_days(x.worst_late_days), "worst_late_days", False),
        ("evaluation.ind.cases", lambda x: fmt_int(x.cases_completed), "cases_completed", False),
        ("evaluation.ind.documents", lambda x: fmt_int(x.documents_completed), "documents_completed", False),
        ("evaluation.ind.complaints_delegated", lambda x: fmt_int(x.complaints_delegated), "complaints_delegated",
         False),
        ("evaluation.ind.complaints_handled", lambda x: fmt_int(x.complaints_handled), "complaints_handled", False),
        (resolved, lambda x: fmt_int(x.complaints_resolved), "complaints_resolved", False),
        ("evaluation.ind.median_resolution", lambda x: fmt_days(x.median_resolution_days), "median_resolution_days",
         False),
        ("evaluation.ind.worst_resolution", lambda x: fmt_days(x.worst_resolution_days), "worst_resolution_days",
         False),
    ]
    return _rows(doc, spec, f, prev)


def _bureau_rows(doc: _Doc, b: BureauFigures, prev: BureauFigures | None, days: int) -> list[list[str]]:
    spec = [
        ("evaluation.ind.cases_started", lambda x: fmt_int(x.cases_started), "cases_started", False),
        ("evaluation.ind.cases_active", lambda x: fmt_int(x.cases_active), "cases_active", False),
        ("evaluation.ind.case_days",
         lambda x: f"{fmt_days(x.median_case_days)} / {fmt_days(x.median_case_standard_days)}",
         "median_case_days", False),
        ("evaluation.ind.cases_within_plan", lambda x: fmt_int(x.cases_within_plan), "cases_within_plan", False),
        ("evaluation.ind.complaints_received", lambda x: fmt_int(x.complaints_received), "complaints_received",
         False),
        ("evaluation.ind.complaints_open", lambda x: fmt_int(x.complaints_open), "complaints_open", False),
        ("evaluation.ind.complaints_within",
         lambda x: f"{fmt_int(x.complaints_within_standard)} ({fmt_pct(x.complaints_within_standard_share)})",
         "complaints_within_standard_share", True),
        ("evaluation.ind.external", lambda x: f"{fmt_int(x.external_steps)} / {fmt_pct(x.external_on_time_share)}",
         "external_on_time_share", True),
    ]
    return _rows(doc, spec, b, prev, days=days)


def _indicator_head(doc: _Doc, year: int, with_previous: bool) -> list[str]:
    head = [doc.tr("evaluation.col.indicator"), doc.tr("evaluation.col.this_year", year=year)]
    if with_previous:
        head += [doc.tr("evaluation.col.this_year", year=year - 1), doc.tr("evaluation.col.change")]
    return head


def _indicator_widths(with_previous: bool) -> list[float]:
    return [72, 36, 36, 30] if with_previous else [114, 60]


def _short(text: str, n: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _late_rows(doc: _Doc, steps: Sequence[LateStep], *, who: bool = True) -> list[list[str]]:
    rows = []
    for s in steps:
        row = [f"{s.case_number}\n{_short(s.case_title, 30)}", f"{s.step_code} {_short(s.step_name, 60)}"]
        if who:
            row.append(_short(s.who, 40))
        row += [format_date(s.due_at, doc.language),
                format_date(s.finished_at, doc.language) if s.finished_at else doc.tr("evaluation.still_running"),
                fmt_days(s.late_days)]
        rows.append(row)
    return rows


def _late_head(doc: _Doc, *, who: bool = True) -> list[str]:
    head = [doc.tr("evaluation.col.case"), doc.tr("evaluation.col.step")]
    if who:
        head.append(doc.tr("evaluation.col.who"))
    return head + [doc.tr("evaluation.col.due"), doc.tr("evaluation.col.finished"), doc.tr("evaluation.col.late_days")]


def _role_label(doc: _Doc, role: str) -> str:
    key = f"evaluation.role.{role}"
    text = doc.tr(key)
    return role if text == key else text


# ---- sections ---------------------------------------------------------------------------------------

def _cover(doc: _Doc) -> None:
    ev, tr = doc.ev, doc.tr
    doc.add_page()
    doc.set_y(28)
    doc.set_font(FAMILY, "B", 14)
    doc.cell(0, 8, tr("evaluation.ministry").upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(FAMILY, "B", 12)
    doc.multi_cell(0, 6.5, tr("evaluation.bureau").upper(), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = doc.get_y() + 4
    doc.set_line_width(0.8)
    doc.line(doc.l_margin, y, doc.w - doc.r_margin, y)
    doc.set_line_width(0.2)
    doc.line(doc.l_margin, y + 1.4, doc.w - doc.r_margin, y + 1.4)
    doc.set_y(100)
    doc.set_font(FAMILY, "B", 24)
    doc.cell(0, 12, tr("evaluation.title"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(FAMILY, "", 11)
    doc.multi_cell(0, 6, tr("evaluation.subtitle"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.ln(6)
    doc.set_font(FAMILY, "B", 20)
    doc.cell(0, 11, tr("evaluation.year", year=ev.year), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.ln(6)
    doc.set_font(FAMILY, "", 10)
    doc.cell(0, 6, tr("evaluation.period", start=format_date(ev.period_start, doc.language),
                      end=format_date(ev.period_end, doc.language)), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.cell(0, 6, tr("evaluation.as_of", date=format_date(ev.as_of, doc.language)), align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_y(222)
    doc.set_font(FAMILY, "", 9)
    doc.set_line_width(0.3)
    doc.multi_cell(0, 5, tr("evaluation.basis"), border=1, align="L", padding=3, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    doc.ln(6)
    doc.set_font(FAMILY, "", 10)
    doc.cell(0, 6, "Jakarta, " + format_date(ev.generated_at, doc.language), align="C", new_x=XPos.LMARGIN,
             new_y=YPos.NEXT)


def _summary(doc: _Doc) -> None:
    ev, tr = doc.ev, doc.tr
    b = ev.bureau
    doc.add_page()
    doc.h1(tr("evaluation.summary"))
    doc.para(tr("evaluation.summary.lead", year=ev.year, steps=fmt_int(b.figures.steps_handled),
                share=fmt_pct(b.figures.on_time_share), cases=fmt_int(b.figures.cases_completed),
                docs=fmt_int(b.figures.documents_completed), complaints=fmt_int(b.complaints_received)))
    doc.ln(2)
    doc.h2(tr("evaluation.summary.bureau"))
    with_prev = ev.previous_bureau is not None
    if not with_prev:
        doc.para(tr("evaluation.no_previous", year=ev.year - 1), size=8.5, style="")
        doc.ln(1)
    prev = ev.previous_bureau
    rows = _figure_rows(doc, b.figures, prev.figures if prev else None, bureau=True) + \
        _bureau_rows(doc, b, prev, ev.complaint_standard_days)
    doc.grid(_indicator_head(doc, ev.year, with_prev), rows, _indicator_widths(with_prev),
             align=["LEFT"] + ["RIGHT"] * (3 if with_prev else 1))
    doc.h2(tr("evaluation.summary.roles"), keep=45)
    head = [tr("evaluation.col.role"), tr("evaluation.col.executors"), tr("evaluation.col.steps"),
            tr("evaluation.col.on_time"), tr("evaluation.col.late"), tr("evaluation.col.median_late"),
            tr("evaluation.col.worst_late"), tr("evaluation.col.cases"), tr("evaluation.col.complaints")]
    rows = []
    for r in ev.roles:
        f = r.figures
        if r.role == EXTERNAL and not f.has_data:
            continue
        prev_share = f" ({fmt_pct(r.previous.on_time_share)})" if r.previous and r.previous.on_time_share is not None \
            else ""
        ext = r.role == EXTERNAL
        rows.append([_role_label(doc, r.role), "–" if ext else fmt_int(r.executors), fmt_int(f.steps_handled),
                     fmt_pct(f.on_time_share) + prev_share, f"{fmt_int(f.late_finished)} / {fmt_int(f.open_overdue)}",
                     fmt_days(f.median_late_days), fmt_days(f.worst_late_days),
                     "–" if ext else f"{fmt_int(f.cases_completed)} / {fmt_int(f.documents_completed)}",
                     "–" if ext else f"{fmt_int(f.complaints_delegated)} / {fmt_int(f.complaints_handled)} / "
                                     f"{fmt_int(f.complaints_resolved)}"])
    doc.grid(head, rows, [27, 12, 16, 24, 20, 18, 16, 20, 21], size=7.5,
             align=["LEFT"] + ["RIGHT"] * 8, bold_first=True)
    if ev.previous_has_data:
        doc.para("( ) = " + tr("evaluation.col.this_year", year=ev.year - 1), size=7.5)


def _charts(doc: _Doc) -> None:
    ev, tr = doc.ev, doc.tr
    doc.add_page()
    doc.h1(tr("evaluation.charts"))
    empty = tr("evaluation.no_data.title")
    doc.chart(tr("evaluation.chart.months"), 78, pdf_charts.months, ev.months, ev.year, empty=empty)
    doc.chart(tr("evaluation.chart.lateness"), 62, pdf_charts.lateness, ev.lateness_buckets, empty=empty)
    executors = [e for e in ev.evaluated_executors if e.figures.on_time_share is not None]
    page_room = doc.h - doc.b_margin - doc.t_margin - 24
    for i in range(0, max(len(executors), 1), CHART_ROWS):
        part = executors[i:i + CHART_ROWS]
        height = min(len(part) * pdf_charts.ON_TIME_ROW_MM[1] + 12, page_room)
        if i or not doc.room(height + 10):
            doc.add_page()
        doc.chart(tr("evaluation.chart.on_time"), height, pdf_charts.on_time, part, empty=empty)


def _stages(doc: _Doc) -> None:
    ev, tr = doc.ev, doc.tr
    doc.add_page()
    doc.h1(tr("evaluation.stages"))
    head = [tr("evaluation.col.stage"), tr("evaluation.col.stage_cases"), tr("evaluation.col.standard"),
            tr("evaluation.col.actual"), tr("evaluation.col.median_actual"), tr("evaluation.col.within"),
            tr("evaluation.col.step_on_time")]
    rows = []
    for s in ev.stages:
        rows.append([f"{s.stage}. {s.name}", fmt_int(s.cases), fmt_days(s.standard_days), fmt_days(s.actual_days),
                     fmt_days(s.median_actual_days),
                     f"{fmt_int(s.within_standard)}" if s.standard_days is not None else "–",
                     fmt_pct(s.on_time_share) + (f" ({fmt_int(s.steps_finished)})" if s.steps_finished else "")])
    doc.grid(head, rows, [58, 14, 22, 22, 18, 16, 24], size=7.5, align=["LEFT"] + ["RIGHT"] * 6)
    doc.para(tr("evaluation.stages.note"), size=7.5, height=3.8)
    doc.ln(3)
    doc.chart(tr("evaluation.chart.stages"), 90, pdf_charts.stages, ev.stages, empty=tr("evaluation.no_data.title"))


def _executor_block(doc: _Doc, e: ExecutorEvaluation, late_rows: int | None = None) -> None:
    ev, tr = doc.ev, doc.tr
    info = e.executor
    doc.lines(info.name, 6.5, "B", 13)
    meta = tr("evaluation.executor.meta", nip=info.nip or "–", role=_role_label(doc, info.role))
    if not info.active:
        meta += " " + tr("evaluation.executor.inactive")
    doc.lines(meta, 5, "", 9.5)
    doc.ln(2)
    if not e.figures.has_data:
        doc.para(tr("evaluation.no_data.executor", year=ev.year), style="B")
        doc.ln(1)
    with_prev = e.previous is not None
    doc.grid(_indicator_head(doc, ev.year, with_prev), _figure_rows(doc, e.figures, e.previous),
             _indicator_widths(with_prev), align=["LEFT"] + ["RIGHT"] * (3 if with_prev else 1))
    steps = e.late_steps if late_rows is None else e.late_steps[:late_rows]
    if e.late_steps_total == 0:
        doc.para(tr("evaluation.executor.no_late"), size=9)
        return
    if not steps:
        doc.para(tr("evaluation.executor.late", shown=0, total=fmt_int(e.late_steps_total)), size=9, style="B")
        return
    doc.lines(tr("evaluation.executor.late", shown=len(steps), total=fmt_int(e.late_steps_total)), 5, "B", 9.5)
    doc.ln(1)
    doc.grid(_late_head(doc, who=False), _late_rows(doc, steps, who=False), [40, 60, 24, 24, 26], size=7.5,
             align=["LEFT", "LEFT", "LEFT", "LEFT", "RIGHT"])


def _executors(doc: _Doc) -> None:
    for i, e in enumerate(doc.ev.evaluated_executors):
        doc.add_page()
        if i == 0:
            doc.h1(doc.tr("evaluation.executors"))
        _executor_block(doc, e)


def _list_page(doc: _Doc, title_key: str, total: int, none_key: str, shown: str) -> bool:
    """A new page for a list: its heading, then "none" (False) or how many of how many it shows."""
    doc.add_page()
    doc.h1(doc.tr(title_key))
    if not total:
        doc.para(doc.tr(none_key))
        return False
    doc.para(shown, size=8.5)
    doc.ln(1)
    return True


def _late_list(doc: _Doc) -> None:
    ev, tr = doc.ev, doc.tr
    if _list_page(doc, "evaluation.late_steps", ev.late_steps_total, "evaluation.late_steps.none",
                  tr("evaluation.late_steps.shown", total=fmt_int(ev.late_steps_total),
                     shown=fmt_int(len(ev.late_steps)))):
        doc.grid(_late_head(doc), _late_rows(doc, ev.late_steps), [28, 54, 32, 21, 21, 18], size=7,
                 align=["LEFT"] * 5 + ["RIGHT"])


def _complaints(doc: _Doc) -> None:
    ev, tr = doc.ev, doc.tr
    if not _list_page(doc, "evaluation.complaints", ev.complaints_total, "evaluation.complaints.none",
                      tr("evaluation.complaints.shown", total=fmt_int(ev.complaints_total),
                         shown=fmt_int(len(ev.complaints)), days=ev.complaint_standard_days)):
        return
    rows = []
    for c in ev.complaints:
        status = status_outcome(c.status)
        outcome = status + (f": {_short(c.outcome, 160)}" if c.outcome else "")
        time = fmt_days(c.resolution_days)
        if c.within_standard is not None:
            time += "\n" + tr("evaluation.within_standard" if c.within_standard else "evaluation.over_standard")
        rows.append([f"{c.receipt_no}\n{c.kind}", _short(c.unit, 40), _short(c.subject, 90),
                     format_date(c.received_at, doc.language), c.delegated_to or tr("evaluation.karo_handled"),
                     outcome, time])
    doc.grid([tr("evaluation.col.receipt"), tr("evaluation.col.unit"), tr("evaluation.col.subject"),
              tr("evaluation.col.received"), tr("evaluation.col.handler"), tr("evaluation.col.outcome"),
              tr("evaluation.col.resolution")], rows, [24, 22, 30, 20, 24, 36, 18], size=7,
             align=["LEFT"] * 6 + ["RIGHT"])


def _conclusions(doc: _Doc, *, new_page: bool = True, method: bool = True) -> None:
    ev, tr = doc.ev, doc.tr
    if new_page:
        doc.add_page()
    doc.h1(tr("evaluation.conclusions"))
    for key, text in (("evaluation.conclusions.text", ev.conclusions.text),
                      ("evaluation.conclusions.follow_up", ev.conclusions.follow_up)):
        doc.h2(tr(key), keep=20)
        if text.strip():
            doc.para(text, size=10, height=5.2)
        else:
            doc.para(tr("evaluation.conclusions.empty"), size=9.5)
        doc.ln(2)
    if method:
        doc.h2(tr("evaluation.method"), keep=30)
        for i in range(1, 5):
            doc.para("• " + tr(f"evaluation.method.{i}"), size=7.5, height=3.8)
        doc.ln(2)
    _signature(doc)


def _signature(doc: _Doc, employee: ExecutorEvaluation | None = None) -> None:
    """The Karo signs as the responsible official (right); on a sheet, the executor too (left)."""
    ev, tr = doc.ev, doc.tr
    doc.need(52)
    doc.ln(4)
    top = doc.get_y()
    col_w = 78
    right_x = doc.w - doc.r_margin - col_w
    doc.set_font(FAMILY, "", 9.5)
    doc.set_xy(right_x, top)
    doc.multi_cell(col_w, 5, tr("evaluation.signature.place_date", date=format_date(ev.generated_at, doc.language)),
                   new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.multi_cell(col_w, 5, tr("evaluation.signature.title"), new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.multi_cell(col_w, 5, tr("evaluation.signature.responsible"), new_x=XPos.LEFT, new_y=YPos.NEXT)
    title_bottom = doc.get_y()
    name_y = title_bottom + 20
    doc.set_xy(right_x, name_y)
    _signer(doc, ev.karo.name if ev.karo else None, ev.karo.nip if ev.karo else None, col_w)
    bottom = doc.get_y()
    if employee is not None:
        doc.set_xy(doc.l_margin, top + 5)
        doc.multi_cell(col_w, 5, tr("evaluation.signature.employee"), new_x=XPos.LEFT, new_y=YPos.NEXT)
        doc.set_xy(doc.l_margin, name_y)
        _signer(doc, employee.executor.name, employee.executor.nip, col_w)
        bottom = max(bottom, doc.get_y())
    doc.set_xy(doc.l_margin, bottom + 2)


def _signer(doc: _Doc, name: str | None, nip: str | None, width: float) -> None:
    x = doc.get_x()
    doc.set_font(FAMILY, "B", 9.5)
    doc.multi_cell(width, 5, doc.safe(name) if name else doc.tr("evaluation.signature.blank"),
                   new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.set_font(FAMILY, "", 9.5)
    doc.set_x(x)
    doc.multi_cell(width, 5, doc.tr("evaluation.signature.nip", nip=nip or "–"), new_x=XPos.LEFT, new_y=YPos.NEXT)


def _no_data(doc: _Doc) -> None:
    ev, tr = doc.ev, doc.tr
    doc.add_page()
    doc.h1(tr("evaluation.no_data.title"))
    doc.para(tr("evaluation.no_data.body", year=ev.year), size=10.5, height=5.5)
    doc.ln(4)
    _conclusions(doc, new_page=False, method=False)


# ---- the documents -----------------------------------------------------------------------------------

def _output(doc: _Doc) -> bytes:
    return bytes(doc.output())


def build_yearly_pdf(ev: Evaluation, lang: str = "id") -> bytes:
    """The Bureau's evaluation of the year: cover, summary, charts, stages, one page per executor,
    late steps, complaints, conclusions and the Karo's signature."""
    doc = _Doc(ev, lang, t("evaluation.header", lang, year=ev.year) + " — " + t("evaluation.bureau", lang))
    _cover(doc)
    if not ev.has_data:
        _no_data(doc)
        return _output(doc)
    _summary(doc)
    _charts(doc)
    _stages(doc)
    _executors(doc)
    _late_list(doc)
    _complaints(doc)
    _conclusions(doc)
    return _output(doc)


def _sheet(ev: Evaluation, e: ExecutorEvaluation, lang: str, late_rows: int) -> _Doc:
    doc = _Doc(ev, lang, "")
    doc.set_auto_page_break(True, margin=14)
    doc.add_page()
    doc.set_font(FAMILY, "B", 9)
    doc.cell(0, 4.5, t("evaluation.ministry", lang).upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(FAMILY, "", 9)
    doc.cell(0, 4.5, t("evaluation.bureau", lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_line_width(0.5)
    doc.line(doc.l_margin, doc.get_y() + 1.5, doc.w - doc.r_margin, doc.get_y() + 1.5)
    doc.ln(4)
    doc.set_font(FAMILY, "B", 14)
    doc.cell(0, 7, t("evaluation.sheet.title", lang) + " " + t("evaluation.year", lang, year=ev.year),
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font(FAMILY, "", 8.5)
    doc.cell(0, 4.5, t("evaluation.as_of", lang, date=format_date(ev.as_of, lang)), new_x=XPos.LMARGIN,
             new_y=YPos.NEXT)
    doc.ln(3)
    _executor_block(doc, e, late_rows)
    doc.para(t("evaluation.method.3", lang), size=7, height=3.4)
    _signature(doc, employee=e)
    return doc


def build_executor_pdf(ev: Evaluation, executor_id: str, lang: str = "id") -> bytes:
    """One page for the executor's own file: their figures, their longest late steps, signatures."""
    e = ev.executor(executor_id)
    if e is None:
        raise NotFoundError("executors", executor_id)
    for rows in SHEET_LATE_ROWS:  # fewer late-step rows until the sheet fits one page
        doc = _sheet(ev, e, lang, rows)
        if doc.page_no() == 1:
            break
    return _output(doc)
