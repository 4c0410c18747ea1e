"""The evaluation's charts drawn straight into the PDF as vector graphics (fpdf2 lines, boxes, text).

Why not pictures: rendering the same charts as PNG with vl-convert costs half a second to start
its JavaScript engine, some 65 MB for that engine, and about 10 ms per axis label, so 50
executors' names alone took 0.8 s; the yearly PDF must be built in under 2 s and 300 MB. Vector
charts also print sharp at any size, and their labels are text that can be searched and copied.

Black and white friendly: greys only; every series is told apart by shape, fill or dash and named
in a legend or a label, never by colour alone. Each function draws into a box (x, y, w, h in mm)
of the document it is given and never beyond it.
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

from domain.evaluation import ExecutorEvaluation, MonthPoint, StageFigures, fmt_dec, fmt_int, fmt_pct

INK, MID, LIGHT, GRID = 0, 89, 191, 225  # grey levels: text and axes, bars, open shapes, grid lines
LABEL_PT, TITLE_PT, VALUE_PT = 7, 7.5, 6.5
MONTHS = {"id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
          "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]}
PT_MM = 0.3528  # one point in mm
ON_TIME_ROW_MM = (3.2, 5.0)  # row height of the per-executor chart: least and most


def nice_ticks(top: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2, 2.5 or 5 times a power of ten."""
    top = top if top and top > 0 else 1.0
    raw = top / count
    mag = 10 ** math.floor(math.log10(raw))
    factors = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(f * mag for f in factors if f * mag >= raw - 1e-12)
    if integer:
        step = max(1.0, round(step))
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def tick_label(value: float) -> str:
    return fmt_int(value) if float(value).is_integer() else fmt_dec(value, 1)


class _Pen:
    """The few drawing steps the charts share, on an ``reports.evaluation_pdf._Doc``."""

    def __init__(self, doc):
        self.doc = doc

    def font(self, size: float, style: str = "") -> None:
        self.doc.use_font(style, size)
        self.doc.set_text_color(INK)

    def width(self, text: str, size: float, style: str = "") -> float:
        return self.doc.width_of(text, style, size)

    def fit(self, text: str, width: float, size: float) -> str:
        """``text`` cut with an ellipsis to fit ``width`` mm."""
        text = self.doc.safe(" ".join(str(text).split()))
        if self.width(text, size) <= width:
            return text
        lo, hi = 0, len(text)
        while lo < hi:  # the longest prefix that fits with its ellipsis
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid].rstrip() + "…", size) <= width:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + "…"

    def text(self, x: float, baseline: float, text: str, size: float, align: str = "L", style: str = "") -> None:
        self.font(size, style)
        if align == "R":
            x -= self.width(text, size, style)
        elif align == "C":
            x -= self.width(text, size, style) / 2
        self.doc.text(x, baseline, text)

    def middle(self, y: float, size: float) -> float:
        """The baseline that centres text of ``size`` pt on ``y``."""
        return y + 0.35 * size * PT_MM

    def line(self, x1, y1, x2, y2, grey: int = INK, width: float = 0.2) -> None:
        self.doc.set_draw_color(grey)
        self.doc.set_line_width(width)
        self.doc.line(x1, y1, x2, y2)

    def box(self, x, y, w, h, fill: int | None, stroke: int | None = INK, width: float = 0.2) -> None:
        if w <= 0 or h <= 0:
            return
        if fill is not None:
            self.doc.set_fill_color(fill)
        if stroke is not None:
            self.doc.set_draw_color(stroke)
            self.doc.set_line_width(width)
        style = "DF" if fill is not None and stroke is not None else ("F" if fill is not None else "D")
        self.doc.rect(x, y, w, h, style=style)

    def x_axis(self, x0, x1, y, ticks: Sequence[float], to_x: Callable[[float], float], grid_top: float | None,
               title: str) -> None:
        """Ticks and labels under ``y``; light grid lines up to ``grid_top``; the title below."""
        for v in ticks:
            x = to_x(v)
            if grid_top is not None and v:
                self.line(x, grid_top, x, y, GRID, 0.15)
            self.line(x, y, x, y + 1, INK, 0.2)
            self.text(x, y + 1.2 + LABEL_PT * PT_MM, tick_label(v), LABEL_PT, "C")
        self.line(x0, y, x1, y)
        self.text((x0 + x1) / 2, y + 2.6 + LABEL_PT * PT_MM + TITLE_PT * PT_MM, title, TITLE_PT, "C")


def on_time(doc, x: float, y: float, w: float, h: float, executors: Sequence[ExecutorEvaluation], lang: str) -> bool:
    """One bar per executor: the share of their steps finished within standard time, 0–100 %."""
    pen = _Pen(doc)
    rows = [(e.executor.name, e.figures.on_time_share) for e in executors if e.figures.on_time_share is not None]
    if not rows:
        return False
    axis_h = 9.5
    row = max(ON_TIME_ROW_MM[0], min(ON_TIME_ROW_MM[1], (h - axis_h) / len(rows)))
    label_w = min(62.0, w * 0.38)
    value_w = 11.0
    x0, x1 = x + label_w + 1.5, x + w - value_w
    size = LABEL_PT if row >= 3.6 else 6
    bottom = y + row * len(rows)

    def to_x(v: float) -> float:
        return x0 + (x1 - x0) * v / 100

    ticks = [0, 20, 40, 60, 80, 100]
    for v in ticks[1:]:  # grid under the bars
        pen.line(to_x(v), y, to_x(v), bottom, GRID, 0.15)
    for i, (name, share) in enumerate(rows):
        top = y + i * row
        mid = top + row / 2
        pen.text(x0 - 1.5, pen.middle(mid, size), pen.fit(name, label_w - 1, size), size, "R")
        bar_h = row * 0.62
        pen.box(x0, mid - bar_h / 2, to_x(100 * share) - x0, bar_h, MID, INK, 0.15)
        pen.text(to_x(100 * share) + 1, pen.middle(mid, VALUE_PT), fmt_pct(share), VALUE_PT)
    pen.line(x0, y, x0, bottom)
    pen.x_axis(x0, x1, bottom, ticks, to_x, None, doc.tr("evaluation.chart.share"))
    return True


def stages(doc, x: float, y: float, w: float, h: float, figures: Sequence[StageFigures], lang: str) -> bool:
    """Bullet bars per stage: the standard time as an outlined white box, the actual time as a dark
    bar inside it, mean working days; the actual figure printed beside."""
    pen = _Pen(doc)
    rows = [s for s in figures if s.cases]
    if not rows:
        return False
    legend_h, axis_h = 6.0, 9.5
    row = min(8.0, (h - axis_h - legend_h) / len(rows))
    label_w = min(66.0, w * 0.4)
    x0, x1 = x + label_w + 1.5, x + w - 12
    top_value = max(max(s.standard_days or 0, s.actual_days or 0) for s in rows)
    ticks = nice_ticks(top_value)

    def to_x(v: float) -> float:
        return x0 + (x1 - x0) * v / ticks[-1]

    bottom = y + row * len(rows)
    for v in ticks[1:]:
        pen.line(to_x(v), y, to_x(v), bottom, GRID, 0.15)
    for i, s in enumerate(rows):
        mid = y + i * row + row / 2
        pen.text(x0 - 1.5, pen.middle(mid, LABEL_PT), pen.fit(f"{s.stage}. {s.name}", label_w - 1, LABEL_PT),
                 LABEL_PT, "R")
        if s.standard_days is not None:
            pen.box(x0, mid - row * 0.32, to_x(s.standard_days) - x0, row * 0.64, 255, INK, 0.25)
        if s.actual_days is not None:
            pen.box(x0, mid - row * 0.14, to_x(s.actual_days) - x0, row * 0.28, MID, None)
            end = max(to_x(s.actual_days), to_x(s.standard_days or 0))
            pen.text(end + 1, pen.middle(mid, VALUE_PT), fmt_dec(s.actual_days), VALUE_PT)
    pen.line(x0, y, x0, bottom)
    pen.x_axis(x0, x1, bottom, ticks, to_x, None, doc.tr("evaluation.chart.days"))
    ly = bottom + axis_h + 1.5
    pen.box(x0, ly - 1.6, 6, 3.2, 255, INK, 0.25)
    pen.text(x0 + 7.5, pen.middle(ly, LABEL_PT), doc.tr("evaluation.chart.standard"), LABEL_PT)
    lx = x0 + 10 + pen.width(doc.tr("evaluation.chart.standard"), LABEL_PT) + 6
    pen.box(lx, ly - 0.7, 6, 1.4, MID, None)
    pen.text(lx + 7.5, pen.middle(ly, LABEL_PT), doc.tr("evaluation.chart.actual"), LABEL_PT)
    return True


def lateness(doc, x: float, y: float, w: float, h: float, buckets: Sequence[tuple[str, int]], lang: str) -> bool:
    """Late steps of the Bureau by how late they were, in working days; counts over the bars."""
    pen = _Pen(doc)
    if not buckets or not any(n for _, n in buckets):
        return False
    w = min(w, 115.0)
    title_h, axis_h = 5.0, 9.5
    x0, x1 = x + 14, x + w
    y0, y1 = y + title_h, y + h - axis_h
    ticks = nice_ticks(max(n for _, n in buckets), integer=True)

    def to_y(v: float) -> float:
        return y1 - (y1 - y0) * v / ticks[-1]

    pen.text(x0, y + 2.5, doc.tr("evaluation.chart.steps"), TITLE_PT, "C")
    for v in ticks:
        pen.line(x0 - 1, to_y(v), x0, to_y(v))
        pen.text(x0 - 1.5, pen.middle(to_y(v), LABEL_PT), tick_label(v), LABEL_PT, "R")
        if v:
            pen.line(x0, to_y(v), x1, to_y(v), GRID, 0.15)
    slot = (x1 - x0) / len(buckets)
    for i, (label, n) in enumerate(buckets):
        cx = x0 + slot * (i + 0.5)
        pen.box(cx - slot * 0.3, to_y(n), slot * 0.6, y1 - to_y(n), MID, INK, 0.15)
        pen.text(cx, to_y(n) - 1, fmt_int(n), VALUE_PT, "C")
        pen.text(cx, y1 + 1.2 + LABEL_PT * PT_MM, doc.safe(label), LABEL_PT, "C")
    pen.line(x0, y0, x0, y1)
    pen.line(x0, y1, x1, y1)
    pen.text((x0 + x1) / 2, y1 + 2.6 + LABEL_PT * PT_MM + TITLE_PT * PT_MM, doc.tr("evaluation.chart.days"),
             TITLE_PT, "C")
    return True


def months(doc, x: float, y: float, w: float, h: float, points: Sequence[MonthPoint], year: int,
           lang: str) -> bool:
    """On-time share of the Bureau's steps month by month: the year as a black solid line with
    filled circles, the year before (where it has data) as a grey dashed line with open squares."""
    pen = _Pen(doc)
    points = [p for p in points if p.on_time_share is not None]
    if not points:
        return False
    title_h, axis_h, legend_h = 5.0, 9.5, 6.0
    x0, x1 = x + 12, x + w - 4
    y0, y1 = y + title_h, y + h - axis_h - legend_h

    def to_x(month: int) -> float:
        return x0 + (x1 - x0) * (month - 1) / 11

    def to_y(share: float) -> float:
        return y1 - (y1 - y0) * share

    pen.text(x0, y + 2.5, doc.tr("evaluation.chart.share"), TITLE_PT)
    for v in range(0, 101, 20):
        pen.line(x0 - 1, to_y(v / 100), x0, to_y(v / 100))
        pen.text(x0 - 1.5, pen.middle(to_y(v / 100), LABEL_PT), str(v), LABEL_PT, "R")
        if v:
            pen.line(x0, to_y(v / 100), x1, to_y(v / 100), GRID, 0.15)
    names = MONTHS.get(lang, MONTHS["id"])
    for m in range(1, 13):
        pen.line(to_x(m), y1, to_x(m), y1 + 1)
        pen.text(to_x(m), y1 + 1.2 + LABEL_PT * PT_MM, names[m - 1], LABEL_PT, "C")
    pen.line(x0, y0, x0, y1)
    pen.line(x0, y1, x1, y1)
    pen.text((x0 + x1) / 2, y1 + 2.6 + LABEL_PT * PT_MM + TITLE_PT * PT_MM, doc.tr("evaluation.chart.month"),
             TITLE_PT, "C")

    series = [(year, INK, False), (year - 1, MID, True)]
    shown = []
    for yr, grey, before in series:
        mine = sorted((p for p in points if p.year == yr), key=lambda p: p.month)
        if not mine:
            continue
        shown.append((yr, grey, before))
        xy = [(to_x(p.month), to_y(p.on_time_share)) for p in mine]
        doc.set_draw_color(grey)
        doc.set_line_width(0.45 if not before else 0.35)
        if before:
            doc.set_dash_pattern(1.4, 0.9)
        if len(xy) > 1:
            doc.polyline(xy)
        doc.set_dash_pattern()
        for px, py in xy:
            _marker(doc, px, py, grey, before)
    lx, ly = x0, y + h - 2.5
    for yr, grey, before in shown:
        doc.set_draw_color(grey)
        doc.set_line_width(0.35)
        if before:
            doc.set_dash_pattern(1.4, 0.9)
        doc.line(lx, ly, lx + 8, ly)
        doc.set_dash_pattern()
        _marker(doc, lx + 4, ly, grey, before)
        pen.text(lx + 10, pen.middle(ly, LABEL_PT), str(yr), LABEL_PT)
        lx += 24
    return True


def _marker(doc, x: float, y: float, grey: int, open_square: bool) -> None:
    if open_square:
        doc.set_fill_color(255)
        doc.set_draw_color(grey)
        doc.set_line_width(0.3)
        doc.rect(x - 0.9, y - 0.9, 1.8, 1.8, style="DF")
    else:
        doc.set_fill_color(grey)
        doc.circle(x, y, 0.85, style="F")
