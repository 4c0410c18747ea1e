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

from domain import catalogue as cat
from domain.calendar import format_date
from domain.complaints import kind_label
from domain.errors import NotFoundError
from domain.evaluation import (
    EXTERNAL, BureauFigures, Evaluation, ExecutorEvaluation, Figures, LateStep,
    Signatory, fmt_change, fmt_days, fmt_dec, fmt_int, fmt_pct, status_outcome,
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

    def state(self) -> str:
        """What the document is: its number once concluded, provisional while the year runs."""
        ev = self.ev
        parts = [self.tr("evaluation.document_no", number=ev.conclusions.concluded.document_no) if ev.final
                 else self.tr("evaluation.draft_mark")]
        if ev.provisional:
            parts.append(self.tr("evaluation.provisional", date=format_date(ev.as_of, self.language)))
        return " · ".join(parts)

    def header(self):
        if not self.ev.final:
            self._draft_mark()
        if self.page_no() == 1 or not self.header_text:
            return
        self.set_font(FAMILY, size=7.5)
        self.set_text_color(60)
        state = self.state()
        text = self.header_text + (f" ({state})" if state else "")
        self.cell(0, 4, self.safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(0)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
        self.set_text_color(0)
        self.ln(4)

    def _draft_mark(self) -> None:
        """A large grey "DRAF" across the page, drawn first so that the page's content lies over it."""
        x, y = self.get_x(), self.get_y()
        self.set_font(FAMILY, "B", 110)
        self.set_text_color(215)
        with self.rotation(45, self.w / 2, self.h / 2):
            mark = self.tr("evaluation.draft_mark")
            self.text(self.w / 2 - self.width_of(mark, "B", 110) / 2, self.h / 2 + 15, mark)
        self.set_text_color(0)
        self.set_font(FAMILY, size=10)
        self.set_xy(x, y)

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
         lambda x: fmt_pct(x.complaints_within_standard_share) + (
             f" ({fmt_int(x.complaints_within_standard)}/{fmt_int(x.figures.complaints_resolved)})"
             if x.figures.complaints_resolved else ""),
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
    """``text`` in at most ``n`` characters, shortened after its last whole word that fits."""
    text = " ".join(str(text or "").split())
    if len(text) <= n:
        return text
    cut = text[: n - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")].rstrip(",;:(/")
    return cut + "…"


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
    if doc.state():
        doc.ln(2)
        doc.set_font(FAMILY, "B", 11)
        doc.cell(0, 6, doc.state(), align="C", new_x=XPos.LMARGIN,
                 new_y=YPos.NEXT)
    if not ev.final:
        doc.ln(2)
        doc.set_font(FAMILY, "", 9)
        doc.multi_cell(0, 5, tr("evaluation.draft_note"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_y(222)
    doc.set_font(FAMILY, "", 9)
    doc.set_line_width(0.3)
    doc.multi_cell(0, 5, tr("evaluation.basis"), border=1, align="L", padding=3, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    doc.ln(6)
    doc.set_font(FAMILY, "", 10)
    doc.cell(0, 6, "Jakarta, " + format_date(_dated(ev), doc.language), align="C", new_x=XPos.LMARGIN,
             new_y=YPos.NEXT)


def _dated(ev: Evaluation):
    """The document's date: the day the Karo concluded it, or the day a draft is printed."""
    return ev.conclusions.concluded.concluded_at if ev.final else ev.generated_at


def _summary(doc: _Doc) -> None:
    ev, tr = doc.ev, doc.tr
    b = ev.bureau
    doc.add_page()
    doc.h1(tr("evaluation.summary"))
    if ev.provisional:
        doc.para(tr("evaluation.provisional.note", year=ev.year), style="B")
        doc.ln(1)
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
    _roles_table(doc)
    _output_table(doc)
    doc.para(tr("evaluation.parentheses"), size=7.5)


def _share(f: Figures) -> str:
    """A share with its counts in parentheses: the one meaning parentheses have in the report."""
    return fmt_pct(f.on_time_share) + (f" ({fmt_int(f.on_time)}/{fmt_int(f.steps_with_standard)})"
                                       if f.steps_with_standard else "")


def _roles_table(doc: _Doc) -> None:
    ev, tr = doc.ev, doc.tr
    with_prev = ev.previous_has_data
    head = [tr("evaluation.col.role"), tr("evaluation.col.executors"), tr("evaluation.col.steps"),
            tr("evaluation.col.on_time"), tr("evaluation.col.late"), tr("evaluation.col.median_late"),
            tr("evaluation.col.worst_late")]
    widths = [34, 14, 20, 30, 24, 22, 20]
    if with_prev:
        head.append(tr("evaluation.col.previous_share", year=ev.year - 1))
        widths = [30, 12, 18, 28, 22, 20, 18, 26]

    def row(label: str, people: str, f: Figures, prev: Figures | None) -> list[str]:
        cells = [label, people, fmt_int(f.steps_handled), _share(f),
                 f"{fmt_int(f.late_finished)} / {fmt_int(f.open_overdue)}", fmt_days(f.median_late_days),
                 fmt_days(f.worst_late_days)]
        if with_prev:
            cells.append(fmt_pct(prev.on_time_share) if prev else "–")
        return cells

    ours = [r for r in ev.roles if r.role != EXTERNAL]
    rows = [row(_role_label(doc, r.role), "–" if r.role == cat.TIM else fmt_int(r.executors), r.figures, r.previous)
            for r in ours]
    prev_bureau = ev.previous_bureau.figures if ev.previous_bureau else None
    rows.append(row(tr("evaluation.total") + " — " + tr("evaluation.summary.bureau"),
                    fmt_int(sum(r.executors for r in ours if r.role != cat.TIM)), ev.bureau.figures, prev_bureau))
    doc.grid(head, rows, widths, size=7.5, align=["LEFT"] + ["RIGHT"] * (len(widths) - 1), bold_first=True, totals=1)
    ext = next((r for r in ev.roles if r.role == EXTERNAL), None)
    if ext is not None and ext.figures.judged:
        doc.grid(head, [row(_role_label(doc, EXTERNAL), "–", ext.figures, ext.previous)], widths, size=7.5,
                 align=["LEFT"] + ["RIGHT"] * (len(widths) - 1), bold_first=True)


def _output_table(doc: _Doc) -> None:
    ev, tr = doc.ev, doc.tr
    doc.h2(tr("evaluation.output"), keep=35)
    kinds = ev.output_kinds

    def cell(cases: int, docs: int) -> str:
        return tr("evaluation.output.cell", cases=fmt_int(cases), docs=fmt_int(docs))

    rows = []
    for r in ev.output:
        cells = [cell(c, d) for c, d in zip(r.cases, r.documents, strict=True)]
        rows.append([tr(f"evaluation.track.{r.track}"), *cells, cell(sum(r.cases), sum(r.documents))])
    sums = [(sum(r.cases[i] for r in ev.output), sum(r.documents[i] for r in ev.output)) for i in range(len(kinds))]
    rows.append([tr("evaluation.total")] + [cell(c, d) for c, d in sums]
                + [cell(sum(c for c, _ in sums), sum(d for _, d in sums))])
    width = (doc.epw - 30) / (len(kinds) + 1)
    doc.grid([tr("evaluation.col.track"), *kinds, tr("evaluation.total")], rows, [30] + [width] * (len(kinds) + 1),
             size=7.5, align=["LEFT"] + ["RIGHT"] * (len(kinds) + 1), bold_first=True, totals=1)


def _ratings(doc: _Doc) -> None:
    ev, tr = doc.ev, doc.tr
    doc.ln(4)
    doc.h1(tr("evaluation.ratings"))
    targets = ev.conclusions.targets
    if targets.set:
        doc.para(tr("evaluation.targets.line", year=ev.year, pct=fmt_dec(targets.on_time_pct) + "%",
                    days=fmt_dec(targets.late_days)))
    else:
        doc.para(tr("evaluation.targets.none", year=ev.year))
    doc.ln(1)
    rows = [[e.executor.name, _role_label(doc, e.executor.role), fmt_int(e.figures.judged), _share(e.figures),
             fmt_days(e.figures.median_late_days), tr(f"evaluation.verdict.{e.rating.verdict}"), _rank(doc, e)]
            for e in ev.evaluated_executors]
    doc.grid([tr("evaluation.col.name"), tr("evaluation.col.role"), tr("evaluation.col.judged"),
              tr("evaluation.col.on_time"), tr("evaluation.col.median_late"), tr("evaluation.col.verdict"),
              tr("evaluation.col.rank")], rows, [42, 24, 14, 28, 20, 28, 18], size=7.5,
             align=["LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT", "RIGHT"])


def _rank(doc: _Doc, e: ExecutorEvaluation) -> str:
    r = e.rating
    return "–" if r.rank is None else doc.tr("evaluation.rank", rank=r.rank, of=r.ranked)


def _delay_rows(doc: _Doc, groups, total_label: str | None) -> list[list[str]]:
    rows = [[g.name, fmt_int(g.judged), fmt_int(g.late), fmt_days(g.late_days), fmt_days(g.median_late_days),
             fmt_days(g.worst_late_days)] for g in groups]
    if total_label is not None:
        rows.append([total_label, fmt_int(sum(g.judged for g in groups)), fmt_int(sum(g.late for g in groups)),
                     fmt_days(sum(g.late_days for g in groups)), "", ""])
    return rows


def _delays(doc: _Doc) -> None:
    ev, tr = doc.ev, doc.tr
    doc.h1(tr("evaluation.delays"))
    if not ev.delays_by_party:
        doc.para(tr("evaluation.delays.none"))
        return
    head = [tr("evaluation.col.party"), tr("evaluation.col.judged"), tr("evaluation.col.late_count"),
            tr("evaluation.col.late_days_total"), tr("evaluation.col.median_late"), tr("evaluation.col.worst_late")]
    widths = [64, 18, 18, 26, 24, 24]
    doc.h2(tr("evaluation.delays.by_party"), keep=30)
    doc.grid(head, _delay_rows(doc, ev.delays_by_party, tr("evaluation.total")), widths, size=7.5,
             align=["LEFT"] + ["RIGHT"] * 5, totals=1)
    if ev.delays_by_unit:
        doc.h2(tr("evaluation.delays.by_unit"), keep=30)
        head[0] = tr("evaluation.col.unit")
        doc.grid(head, _delay_rows(doc, ev.delays_by_unit, tr("evaluation.total")), widths, size=7.5,
                 align=["LEFT"] + ["RIGHT"] * 5, totals=1)
    doc.para(tr("evaluation.delays.appendix"), size=8)


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
            tr("evaluation.col.step_on_time"), tr("evaluation.col.untimed")]
    rows = []
    for s in ev.stages:
        rows.append([f"{s.stage}. {s.name}", fmt_int(s.cases), fmt_days(s.standard_days), fmt_days(s.actual_days),
                     fmt_days(s.median_actual_days),
                     f"{fmt_int(s.within_standard)}" if s.standard_days is not None else "–",
                     fmt_pct(s.on_time_share) + (f" ({fmt_int(s.steps_on_time)}/{fmt_int(s.steps_with_standard)})"
                                                 if s.steps_with_standard else ""),
                     fmt_days(s.untimed_days)])
    doc.grid(head, rows, [50, 12, 20, 20, 17, 15, 22, 18], size=7.5, align=["LEFT"] + ["RIGHT"] * 7)
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
    doc.lines(tr("evaluation.executor.rating", verdict=tr(f"evaluation.verdict.{e.rating.verdict}"),
                 rank=_rank(doc, e)), 5, "B", 9)
    doc.ln(1)
    with_prev = e.previous is not None
    doc.grid(_indicator_head(doc, ev.year, with_prev), _figure_rows(doc, e.figures, e.previous),
             _indicator_widths(with_prev), align=["LEFT"] + ["RIGHT"] * (3 if with_prev else 1), size=8)
    _cases(doc, e)
    _notes(doc, e)
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


def _cases(doc: _Doc, e: ExecutorEvaluation) -> None:
    """The executor's own figures case by case, adding up to their totals."""
    tr = doc.tr
    doc.lines(tr("evaluation.cases"), 5, "B", 9.5)
    if not e.cases:
        doc.para(tr("evaluation.cases.none"), size=8.5)
    else:
        rows = []
        for c in e.cases:
            label = tr("evaluation.cases.rest", n=fmt_int(c.cases)) if c.cases > 1 else \
                f"{c.case_number} {c.case_title}"
            rows.append([label, tr("evaluation.yes") if c.pic else "", fmt_int(c.steps_handled), fmt_int(c.judged),
                         fmt_int(c.late), fmt_days(c.late_days)])
        f = e.figures
        rows.append([tr("evaluation.total"), "", fmt_int(f.steps_handled), fmt_int(f.judged), fmt_int(f.late_steps),
                     fmt_days(f.late_days_total)])
        doc.grid([tr("evaluation.col.case"), tr("evaluation.col.pic"), tr("evaluation.col.steps_finished"),
                  tr("evaluation.col.judged"), tr("evaluation.col.late_count"), tr("evaluation.col.late_days_total")],
                 rows, [78, 12, 22, 18, 18, 26], size=7.5, align=["LEFT", "LEFT"] + ["RIGHT"] * 4, totals=1)
    doc.para(tr("evaluation.cases.pic", done=fmt_int(e.pic_completed), open=fmt_int(e.pic_active)), size=8)


def _notes(doc: _Doc, e: ExecutorEvaluation) -> None:
    """Competence, reprimands and the Karo's note, recommendation and follow-up."""
    tr, n = doc.tr, e.note
    lines: list[tuple[str, str]] = []
    if n and n.competence:
        items = "; ".join(tr("evaluation.competence.item", item=k, level=tr(f"evaluation.competence.{v}"))
                          for k, v in sorted(n.competence.items()))
        lines.append((tr("evaluation.competence"), items + (f". {n.competence_note}" if n.competence_note else "")))
    elif n and n.competence_note:
        lines.append((tr("evaluation.competence"), n.competence_note))
    sanctions = "; ".join(
        f"{tr('evaluation.sanction.' + s.kind)} {format_date(s.decided_on, doc.language)}: {s.reason}"
        + (f" ({s.reference})" if s.reference else "")
        + (" — " + tr("evaluation.sanction.withdrawn", reason=s.withdraw_reason) if s.withdrawn else "")
        for s in e.sanctions)
    lines.append((tr("evaluation.sanctions"), sanctions or tr("evaluation.sanctions.none")))
    if e.previous_recommendation:
        lines.append((tr("evaluation.note.previous_recommendation"), e.previous_recommendation))
    if n and n.follow_up:
        lines.append((tr("evaluation.note.follow_up"), n.follow_up))
    if n and n.note:
        lines.append((tr("evaluation.note.note"), n.note))
    if n and n.recommendation:
        lines.append((tr("evaluation.note.recommendation"), n.recommendation))
    if not (n and (n.note or n.recommendation)):
        lines.append((tr("evaluation.note.note"), tr("evaluation.note.none")))
    for label, text in lines:
        doc.para(f"{label}: {text}", size=8, height=4)


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
    if _list_page(doc, "evaluation.appendix", ev.late_steps_total, "evaluation.late_steps.none",
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
        rows.append([f"{c.receipt_no}\n{kind_label(c.kind, doc.language)}", _short(c.unit, 40), _short(c.subject, 90),
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
    """Once the Karo has concluded the year: the Karo signs as the responsible official (right), under
    the document number; on a sheet the executor acknowledges it (left); where the Karo names one, an
    official acknowledges it ("Mengetahui", below). Before that, a draft says so and has no signature."""
    ev, tr = doc.ev, doc.tr
    if not ev.final:
        doc.ln(3)
        doc.para(tr("evaluation.draft_note"), size=9, style="B")
        return
    doc.need(52 + (40 if ev.conclusions.acknowledger else 0))
    doc.ln(4)
    top = doc.get_y()
    col_w = 78
    right_x = doc.w - doc.r_margin - col_w
    doc.set_font(FAMILY, "", 9.5)
    doc.set_xy(right_x, top)
    doc.multi_cell(col_w, 5, tr("evaluation.signature.place_date", date=format_date(_dated(ev), doc.language)),
                   new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.multi_cell(col_w, 5, tr("evaluation.signature.title"), new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.multi_cell(col_w, 5, tr("evaluation.signature.responsible"), new_x=XPos.LEFT, new_y=YPos.NEXT)
    title_bottom = doc.get_y()
    name_y = title_bottom + 20
    doc.set_xy(right_x, name_y)
    signer = ev.signer
    _signer(doc, signer.name if signer else None, signer.nip if signer else None, col_w)
    bottom = doc.get_y()
    if employee is not None:
        doc.set_xy(doc.l_margin, top + 5)
        doc.multi_cell(col_w, 5, tr("evaluation.signature.received"), new_x=XPos.LEFT, new_y=YPos.NEXT)
        doc.set_x(doc.l_margin)
        doc.multi_cell(col_w, 5, tr("evaluation.signature.employee"), new_x=XPos.LEFT, new_y=YPos.NEXT)
        doc.set_xy(doc.l_margin, name_y)
        _signer(doc, employee.executor.name, employee.executor.nip, col_w)
        bottom = max(bottom, doc.get_y())
    ack = ev.conclusions.acknowledger
    if ack is not None:
        _acknowledged(doc, ack, bottom + 4, col_w)
        bottom = doc.get_y()
    doc.set_xy(doc.l_margin, bottom + 2)


def _acknowledged(doc: _Doc, ack: Signatory, top: float, col_w: float) -> None:
    """ "Mengetahui": the official the Karo named for the year, centred under the signatures."""
    x = (doc.w - col_w) / 2
    doc.set_font(FAMILY, "", 9.5)
    doc.set_xy(x, top)
    doc.multi_cell(col_w, 5, doc.tr("evaluation.signature.acknowledged"), new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.multi_cell(col_w, 5, doc.safe(ack.title) + ",", new_x=XPos.LEFT, new_y=YPos.NEXT)
    doc.set_xy(x, doc.get_y() + 18)
    _signer(doc, ack.name, ack.nip, col_w)


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
    _ratings(doc)
    doc.ln(4)
    _delays(doc)
    _charts(doc)
    _stages(doc)
    _executors(doc)
    _complaints(doc)
    _conclusions(doc)
    _late_list(doc)
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
    state = doc.state()
    doc.cell(0, 4.5, t("evaluation.as_of", lang, date=format_date(ev.as_of, lang)) + (f" ({state})" if state else ""),
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.ln(2)
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
