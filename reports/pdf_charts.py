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
from typing import Sequence

from domain.calendar import month_label
from domain.evaluation import ExecutorEvaluation, MonthPoint, StageFigures, fmt_dec, fmt_int, fmt_pct

INK, MID, LIGHT, GRID = 0, 89, 191, 225  # grey levels: text and axes, bars, open shapes, grid lines
LABEL_PT, TITLE_PT, VALUE_PT = 7, 7.5, 6.5
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
    """The few drawing steps the charts share, on a ``reports.pdf_layout.Document``."""

    def __init__(self, doc):
        self.doc = doc

    def font(self, size: float, style: str = "") -> None:
        self.doc.use_font(style, size)
        self.doc.set_text_color(INK)

    def width(self, text: str, size: float, style: str = "") -> float:
        return self.doc.width_of(text, style, size)

    def fit(self, text: str, width: float, size: float) -> str:
        """``text`` on one line of ``width`` mm: whole, or cut after a word with an ellipsis (the
        full text is in the table the chart draws)."""
        return self.doc.shorten(self.doc.safe(text), width, "", size)[0]

    def text(self, x: float, baseline: float, text: str, size: float, align: str = "L", style: str = "") -> None:
        self.font(size, style)
        if align == "R":
            x -= self.width(text, size, style)
        elif align == "C":
            x -= self.width(text, size, style) / 2
        self.doc.put(x, baseline, text, style, size)

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

    def grid_x(self, xs: Sequence[float], top: float, bottom: float) -> None:
        """Light vertical grid lines (drawn first, under the bars)."""
        for x in xs:
            self.line(x, top, x, bottom, GRID, 0.15)

    def x_axis(self, x0: float, x1: float, y: float, marks: Sequence[tuple[float, str]], title: str) -> None:
        """The axis line at ``y``, a tick and its label under each mark (x, label), the title below."""
        for x, label in marks:
            self.line(x, y, x, y + 1)
            self.text(x, y + 1.2 + LABEL_PT * PT_MM, label, LABEL_PT, "C")
        self.line(x0, y, x1, y)
        self.text((x0 + x1) / 2, y + 2.6 + LABEL_PT * PT_MM + TITLE_PT * PT_MM, title, TITLE_PT, "C")

    def y_axis(self, x0: float, x1: float, top: float, bottom: float, marks: Sequence[tuple[float, str]],
               title: str, title_y: float) -> None:
        """The axis line at ``x0`` from ``top`` to ``bottom``, a tick, label and light grid line across
        to ``x1`` at each mark (y, label) above the bottom; the title above, left-aligned at ``title_y``."""
        self.text(x0, title_y, title, TITLE_PT)
        for y, label in marks:
            self.line(x0 - 1, y, x0, y)
            self.text(x0 - 1.5, self.middle(y, LABEL_PT), label, LABEL_PT, "R")
            if y < bottom - 1e-9:
                self.line(x0, y, x1, y, GRID, 0.15)
        self.line(x0, top, x0, bottom)


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
    pen.grid_x([to_x(v) for v in ticks[1:]], y, bottom)
    for i, (name, share) in enumerate(rows):
        top = y + i * row
        mid = top + row / 2
        pen.text(x0 - 1.5, pen.middle(mid, size), pen.fit(name, label_w - 1, size), size, "R")
        bar_h = row * 0.62
        pen.box(x0, mid - bar_h / 2, to_x(100 * share) - x0, bar_h, MID, INK, 0.15)
        pen.text(to_x(100 * share) + 1, pen.middle(mid, VALUE_PT), fmt_pct(share), VALUE_PT)
    pen.line(x0, y, x0, bottom)
    pen.x_axis(x0, x1, bottom, [(to_x(v), tick_label(v)) for v in ticks], doc.tr("evaluation.chart.share"))
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
    pen.grid_x([to_x(v) for v in ticks[1:]], y, bottom)
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
    pen.x_axis(x0, x1, bottom, [(to_x(v), tick_label(v)) for v in ticks], doc.tr("evaluation.chart.days"))
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
    title_h, axis_h = 8.0, 9.5  # room above the tallest bar for its count, under the axis title
    x0, x1 = x + 14, x + w
    y0, y1 = y + title_h, y + h - axis_h
    ticks = nice_ticks(max(n for _, n in buckets), integer=True)

    def to_y(v: float) -> float:
        return y1 - (y1 - y0) * v / ticks[-1]

    pen.y_axis(x0, x1, y0, y1, [(to_y(v), tick_label(v)) for v in ticks], doc.tr("evaluation.chart.steps"),
               y + 2.5)
    slot = (x1 - x0) / len(buckets)
    centres = [x0 + slot * (i + 0.5) for i in range(len(buckets))]
    for cx, (_, n) in zip(centres, buckets, strict=True):
        pen.box(cx - slot * 0.3, to_y(n), slot * 0.6, y1 - to_y(n), MID, INK, 0.15)
        pen.text(cx, to_y(n) - 1, fmt_int(n), VALUE_PT, "C")
    pen.x_axis(x0, x1, y1, [(cx, doc.safe(label)) for cx, (label, _) in zip(centres, buckets, strict=True)],
               doc.tr("evaluation.chart.days"))
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

    pen.y_axis(x0, x1, y0, y1, [(to_y(v / 100), str(v)) for v in range(0, 101, 20)],
               doc.tr("evaluation.chart.share"), y + 2.5)
    pen.x_axis(x0, x1, y1, [(to_x(m), month_label(m, lang)) for m in range(1, 13)], doc.tr("evaluation.chart.month"))

    series = [(year, INK, False), (year - 1, MID, True)]
    shown = []
    for yr, grey, before in series:
        mine = sorted((p for p in points if p.year == yr), key=lambda p: p.month)
        if not mine:
            continue
        shown.append((yr, grey, before))
        xy = [(to_x(p.month), to_y(p.on_time_share)) for p in mine]
        if len(xy) > 1:
            _stroke(doc, grey, before, 0.35 if before else 0.45)
            doc.polyline(xy)
            doc.set_dash_pattern()
        for px, py in xy:
            _marker(doc, px, py, grey, before)
    lx, ly = x0, y + h - 2.5
    for yr, grey, before in shown:  # the legend: a piece of each line with its marker, and the year
        _stroke(doc, grey, before, 0.35)
        doc.line(lx, ly, lx + 8, ly)
        doc.set_dash_pattern()
        _marker(doc, lx + 4, ly, grey, before)
        pen.text(lx + 10, pen.middle(ly, LABEL_PT), str(yr), LABEL_PT)
        lx += 24
    return True


def _stroke(doc, grey: int, dashed: bool, width: float) -> None:
    """Line colour, width and (for the year before) dashes; ``set_dash_pattern()`` ends the dashes."""
    doc.set_draw_color(grey)
    doc.set_line_width(width)
    if dashed:
        doc.set_dash_pattern(1.4, 0.9)


def _marker(doc, x: float, y: float, grey: int, open_square: bool) -> None:
    if open_square:
        doc.set_fill_color(255)
        doc.set_draw_color(grey)
        doc.set_line_width(0.3)
        doc.rect(x - 0.9, y - 0.9, 1.8, 1.8, style="DF")
    else:
        doc.set_fill_color(grey)
        doc.circle(x, y, 0.85, style="F")
