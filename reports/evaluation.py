"""The yearly executor evaluation: its PDF (built by ``reports.evaluation_pdf``) and the app's
preview tables and charts, from report data only (the command line is ``cli/evaluation.py``)."""
from __future__ import annotations

import re

from domain.calendar import format_date
from domain.complaints import kind_label
from domain.evaluation import EXTERNAL, Evaluation, Figures, fmt_days, fmt_int, fmt_pct, status_outcome
from domain.texts import t


def page_count(pdf: bytes) -> int:
    """Pages of a PDF this module wrote (its page objects; not a general PDF parser)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def build_yearly_pdf(ev: Evaluation, lang: str = "id") -> bytes:
    """The Bureau's evaluation of the year: cover, summary, charts, stages, one page per executor,
    late steps, complaints, conclusions and the Karo's signature."""
    from reports import evaluation_pdf  # fpdf2 is loaded when the first PDF is built, see there

    return evaluation_pdf.build_yearly_pdf(ev, lang)


def build_executor_pdf(ev: Evaluation, executor_id: str, lang: str = "id") -> bytes:
    """One page for the executor's own file: their figures, their longest late steps, signatures."""
    from reports import evaluation_pdf

    return evaluation_pdf.build_executor_pdf(ev, executor_id, lang)


# ---- preview in the app -----------------------------------------------------------------------------

def preview_frames(ev: Evaluation, lang: str = "id"):
    """The evaluation's tables for the app's preview, with the PDF's labels and number formats."""
    import pandas as pd

    def tr(key: str, **params) -> str:
        return t(key, lang, **params)

    def role(r: str) -> str:
        text = tr(f"evaluation.role.{r}")
        return r if text == f"evaluation.role.{r}" else text

    def figures_row(f: Figures) -> dict:
        return {tr("evaluation.col.steps"): fmt_int(f.steps_handled),
                tr("evaluation.col.on_time"): fmt_pct(f.on_time_share),
                tr("evaluation.col.late"): f"{fmt_int(f.late_finished)} / {fmt_int(f.open_overdue)}",
                tr("evaluation.col.median_late"): fmt_days(f.median_late_days),
                tr("evaluation.col.worst_late"): fmt_days(f.worst_late_days),
                tr("evaluation.col.cases"): f"{fmt_int(f.cases_completed)} / {fmt_int(f.documents_completed)}",
                tr("evaluation.col.complaints"): f"{fmt_int(f.complaints_delegated)} / "
                                                 f"{fmt_int(f.complaints_handled)} / {fmt_int(f.complaints_resolved)}",
                tr("evaluation.ind.median_resolution"): fmt_days(f.median_resolution_days)}

    executors = pd.DataFrame([{tr("evaluation.page.col.name"): e.executor.name,
                               tr("evaluation.col.role"): role(e.executor.role), **figures_row(e.figures),
                               tr("evaluation.page.col.previous"): fmt_pct(e.previous.on_time_share)
                               if e.previous else "–"} for e in ev.executors])
    roles = pd.DataFrame([{tr("evaluation.col.role"): role(r.role), tr("evaluation.col.executors"):
                           "–" if r.role == EXTERNAL else fmt_int(r.executors), **figures_row(r.figures)}
                          for r in ev.roles]
                         + [{tr("evaluation.col.role"): tr("evaluation.summary.bureau"),
                             tr("evaluation.col.executors"): fmt_int(len(ev.executors)),
                             **figures_row(ev.bureau.figures)}])
    stages = pd.DataFrame([{tr("evaluation.col.stage"): f"{s.stage}. {s.name}",
                            tr("evaluation.col.stage_cases"): fmt_int(s.cases),
                            tr("evaluation.col.standard"): fmt_days(s.standard_days),
                            tr("evaluation.col.actual"): fmt_days(s.actual_days),
                            tr("evaluation.col.median_actual"): fmt_days(s.median_actual_days),
                            tr("evaluation.col.step_on_time"): fmt_pct(s.on_time_share)} for s in ev.stages])
    late = pd.DataFrame([{tr("evaluation.col.case"): f"{s.case_number} {s.case_title}",
                          tr("evaluation.col.step"): f"{s.step_code} {s.step_name}",
                          tr("evaluation.col.who"): s.who,
                          tr("evaluation.col.due"): format_date(s.due_at, lang),
                          tr("evaluation.col.finished"): format_date(s.finished_at, lang) if s.finished_at
                          else tr("evaluation.still_running"),
                          tr("evaluation.col.late_days"): fmt_days(s.late_days)} for s in ev.late_steps])
    complaints = pd.DataFrame([{tr("evaluation.col.receipt"): f"{c.receipt_no} ({kind_label(c.kind, lang)})",
                                tr("evaluation.col.unit"): c.unit, tr("evaluation.col.subject"): c.subject,
                                tr("evaluation.col.received"): format_date(c.received_at, lang),
                                tr("evaluation.col.handler"): c.delegated_to or tr("evaluation.karo_handled"),
                                tr("evaluation.col.outcome"): status_outcome(c.status)
                                + (f": {c.outcome}" if c.outcome else ""),
                                tr("evaluation.col.resolution"): fmt_days(c.resolution_days)}
                               for c in ev.complaints])
    return {"executors": executors, "roles": roles, "stages": stages, "late": late, "complaints": complaints}


def preview_charts(ev: Evaluation, lang: str = "id") -> list[tuple[str, object]]:
    """The evaluation's charts for the app's preview as (caption, altair chart ready to show); those
    with nothing to draw are left out. The same figures as the PDF's charts."""
    from reports import charts

    def tr(key: str) -> str:
        return t(key, lang)

    executors = [e for e in ev.evaluated_executors if e.figures.on_time_share is not None]
    drawn = [(tr("evaluation.chart.months"), charts.months_chart(ev.months, ev.year, lang)),
             (tr("evaluation.chart.lateness"), charts.lateness_chart(ev.lateness_buckets, lang)),
             (tr("evaluation.chart.on_time"), charts.on_time_chart(executors, lang)),
             (tr("evaluation.chart.stages"), charts.stages_chart(ev.stages, lang))]
    return [(caption, charts.configured(chart)) for caption, chart in drawn if chart is not None]
