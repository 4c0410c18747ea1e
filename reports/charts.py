"""Charts of the evaluation for the app's preview: altair specs, drawn by the browser. Built from
report data only. (The PDF draws the same charts as vectors itself: ``reports.pdf_charts``.)

Greys only, as in the printed report: every series told apart by shape, fill or dash and by a
text label, never by colour alone.
"""
from __future__ import annotations

from typing import Sequence

import altair as alt
import pandas as pd

from domain.calendar import month_label
from domain.evaluation import ExecutorEvaluation, MonthPoint, StageFigures, fmt_int
from domain.texts import t

FONT = "DejaVu Sans"
INK, MID, LIGHT = "#000000", "#595959", "#bfbfbf"


def configured(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with the report's font, greys and legend place, at its own size: the plot area
    as given, axes and legend around it (Streamlit would otherwise fit all of it into the given
    height and squash the plot)."""
    chart = chart.properties(autosize=alt.AutoSizeParams(type="pad", contains="padding"))
    return (chart.configure(font=FONT, background="white")
            .configure_view(stroke=None)
            .configure_axis(labelColor=INK, titleColor=INK, domainColor=INK, tickColor=INK, gridColor="#e6e6e6",
                            labelFontSize=10, titleFontSize=10)
            .configure_legend(labelColor=INK, titleColor=INK, labelFontSize=10, titleFontSize=10, orient="bottom"))


def _short(text: str, n: int = 38) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def on_time_chart(executors: Sequence[ExecutorEvaluation], lang: str = "id", width: int = 420) -> alt.Chart | None:
    rows = [{"name": _short(e.executor.name), "order": i, "share": 100 * e.figures.on_time_share}
            for i, e in enumerate(executors) if e.figures.on_time_share is not None]
    if not rows:
        return None
    df = pd.DataFrame(rows)
    y = alt.Y("name:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=220))
    x = alt.X("share:Q", scale=alt.Scale(domain=[0, 100]), title=t("evaluation.chart.share", lang))
    # The exact figure of a bar is in its tooltip and in the per-executor table.
    bars = alt.Chart(df).mark_bar(color=MID, stroke=INK, strokeWidth=0.5, height=10).encode(
        y=y, x=x, tooltip=[alt.Tooltip("name:N", title=t("evaluation.chart.executor", lang)),
                           alt.Tooltip("share:Q", title=t("evaluation.chart.share", lang), format=".1f")])
    return bars.properties(width=width, height=max(60, 16 * len(rows)))


def stages_chart(stages: Sequence[StageFigures], lang: str = "id", width: int = 420) -> alt.Chart | None:
    rows = [s for s in stages if s.cases]
    if not rows:
        return None
    df = pd.DataFrame([{"stage": f"{s.stage}. {_short(s.name, 34)}", "order": s.stage,
                        "standard": s.standard_days, "actual": s.actual_days} for s in rows])
    y = alt.Y("stage:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=240))
    days = t("evaluation.chart.days", lang)
    base = alt.Chart(df).encode(y=y)
    # Bullet chart: the standard is a white box with a black outline, the actual a dark bar inside it.
    standard = base.transform_filter("datum.standard != null").mark_bar(
        fill="white", stroke=INK, strokeWidth=1, height=14).encode(x=alt.X("standard:Q", title=days))
    actual = base.mark_bar(color=MID, height=6).encode(x=alt.X("actual:Q", title=days))
    # The stage table beside the chart carries the exact figures.
    return alt.layer(standard, actual).properties(width=width, height=max(60, 22 * len(rows)))


def lateness_chart(buckets: Sequence[tuple[str, int]], lang: str = "id", width: int = 300) -> alt.Chart | None:
    if not buckets or not any(n for _, n in buckets):
        return None
    df = pd.DataFrame([{"bucket": b, "order": i, "n": n, "label": fmt_int(n)} for i, (b, n) in enumerate(buckets)])
    x = alt.X("bucket:N", sort=alt.EncodingSortField("order"), title=t("evaluation.chart.days", lang),
              axis=alt.Axis(labelAngle=0))
    y = alt.Y("n:Q", title=t("evaluation.chart.steps", lang))
    base = alt.Chart(df).encode(x=x)
    bars = base.mark_bar(color=MID, stroke=INK, strokeWidth=0.5).encode(y=y)
    labels = base.mark_text(dy=-6, fontSize=9, color=INK).encode(y=y, text="label:N")
    return alt.layer(bars, labels).properties(width=width, height=160)


def months_chart(months: Sequence[MonthPoint], year: int, lang: str = "id", width: int = 420) -> alt.Chart | None:
    rows = [{"month": m.month, "share": 100 * m.on_time_share, "year": str(m.year)}
            for m in months if m.on_time_share is not None]
    if not rows:
        return None
    df = pd.DataFrame(rows)
    label_expr = "[" + ",".join(f"'{month_label(m, lang)}'" for m in range(1, 13)) + "][datum.value - 1]"
    years = [str(year)] + ([str(year - 1)] if (df["year"] == str(year - 1)).any() else [])
    # Black solid line with filled circles for the year, grey dashed line with open squares before.
    legend = alt.Legend(title=t("evaluation.chart.year", lang))
    enc = {
        "x": alt.X("month:Q", scale=alt.Scale(domain=[1, 12]), title=t("evaluation.chart.month", lang),
                   axis=alt.Axis(values=list(range(1, 13)), labelExpr=label_expr)),
        "y": alt.Y("share:Q", scale=alt.Scale(domain=[0, 100]), title=t("evaluation.chart.share", lang)),
        "color": alt.Color("year:N", scale=alt.Scale(domain=years, range=[INK, MID][:len(years)]), legend=legend),
        "strokeDash": alt.StrokeDash("year:N", scale=alt.Scale(domain=years, range=[[1, 0], [5, 3]][:len(years)]),
                                     legend=legend),
        "shape": alt.Shape("year:N", scale=alt.Scale(domain=years, range=["circle", "square"][:len(years)]),
                           legend=legend),
    }
    line = alt.Chart(df).mark_line(strokeWidth=1.5).encode(x=enc["x"], y=enc["y"], color=enc["color"],
                                                          strokeDash=enc["strokeDash"])
    points = alt.Chart(df).mark_point(size=40, filled=False, strokeWidth=1.5).encode(
        x=enc["x"], y=enc["y"], color=enc["color"], shape=enc["shape"],
        fill=alt.Fill("year:N", scale=alt.Scale(domain=years, range=[INK, "white"][:len(years)]), legend=legend))
    return alt.layer(line, points).properties(width=width, height=170)
