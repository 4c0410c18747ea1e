"""The SOP flowchart as a PDF in the SOP AP layout (Permenpan RB 35/2012): landscape A4, an identity
sheet, then the flow sheets: No, activity, a lane per executor holding the activity's symbol, the
quality-standard (mutu baku) columns (requirements, time, output) and remarks, or the chosen case's
record. Symbols: terminator for start and end, rectangle for an activity, diamond for a decision
(its "Tidak" goes back to the activity before), arrows between them, and a numbered off-page
connector where the flow continues on the next sheet. Black lines and greys only, so it prints the
same on any printer. Input is ``domain.flowchart.Flowchart``; nothing here reads a store.
"""
from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache

from domain import flowchart as fc
from domain.calendar import JAKARTA
from domain.texts import t

FAMILY = "dejavu"
PAGE_W, PAGE_H, MARGIN = 297.0, 210.0, 8.0
HEAD_H = 30.0  # the column header (lane names turned upright)
TITLE_H = 14.0
ROW_H = 9.6
SYM_W, SYM_H = 7.0, 4.4
GREY = (232, 232, 232)


@lru_cache(maxsize=4)
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def local(value: dt.datetime | None) -> str:
    return value.astimezone(JAKARTA).strftime("%d/%m/%y %H.%M") if value else "–"


def actual_text(a: fc.Actual | None, lang: str) -> str:
    if a is None:
        return ""
    if a.status == "dilewati":
        return t("flow.actual.skipped", lang)
    if a.status == "berjalan":
        text = t("flow.actual.running", lang, start=local(a.started_at))
    else:
        text = t("flow.actual.done", lang, start=local(a.started_at), finish=local(a.finished_at))
    return text + " · " + t("flow.actual.late" if a.late else "flow.actual.on_time", lang).upper() \
        if a.late else text + " · " + t("flow.actual.on_time", lang)


class FlowPdf:
    def __init__(self, chart: fc.Flowchart, lang: str = "id"):
        from fpdf import FPDF

        from reports.pdf_fonts import font_paths  # the same DejaVu Sans as the evaluation PDF

        self.chart, self.lang = chart, lang
        self.pdf = FPDF(orientation="L", unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        paths = font_paths(lang)
        for style, path in paths.items():
            self.pdf.add_font(FAMILY, style, str(path))
        self.glyphs = _cmap(str(paths[""]))
        self.pdf.set_title(chart.title)
        self.pdf.set_creator("SOP Tracker")
        self.case = bool(chart.case_label)
        self._columns()

    # ---- text -------------------------------------------------------------------------------------

    def safe(self, text: str) -> str:
        return "".join(ch if ord(ch) in self.glyphs else ("\u25a1" if ord(ch) >= 32 else " ") for ch in str(text))

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(FAMILY, "B" if bold else "", size)

    def wrap(self, text: str, width: float) -> list[str]:
        words, lines, line = self.safe(text).split(), [], ""
        for word in words:
            trial = f"{line} {word}".strip()
            if self.pdf.get_string_width(trial) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
        return lines

    def cell_text(self, x: float, y: float, w: float, h: float, text: str, size: float = 6.0, bold: bool = False,
                  align: str = "L", max_lines: int = 5) -> None:
        self.font(size, bold)
        lines = self.wrap(text, w - 1.6)
        if len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = lines[-1][: max(0, len(lines[-1]) - 1)] + "…"
        lh = size * 0.36
        top = y + (h - lh * len(lines)) / 2 + lh * 0.8
        for i, line in enumerate(lines):
            tx = x + 0.8 if align == "L" else x + (w - self.pdf.get_string_width(line)) / 2
            self.pdf.text(tx, top + i * lh, line)

    # ---- geometry ---------------------------------------------------------------------------------

    def _columns(self) -> None:
        lanes = self.chart.lanes
        fixed = [("no", 7.0), ("activity", 50.0)]
        tail = [("requirement", 30.0), ("time", 21.0), ("output", 30.0), ("remark", 34.0 if self.case else 24.0)]
        room = PAGE_W - 2 * MARGIN - sum(w for _, w in fixed + tail)
        lane_w = room / max(1, len(lanes))
        self.cols: list[tuple[str, float, float]] = []  # (key, x, width)
        x = MARGIN
        for key, w in fixed:
            self.cols.append((key, x, w))
            x += w
        self.lane_x = {}
        for lane in lanes:
            self.cols.append((f"lane:{lane}", x, lane_w))
            self.lane_x[lane] = x + lane_w / 2
            x += lane_w
        for key, w in tail:
            self.cols.append((key, x, w))
            x += w
        self.lane_w = lane_w

    def col(self, key: str) -> tuple[float, float]:
        return next((x, w) for k, x, w in self.cols if k == key)

    # ---- sheets -------------------------------------------------------------------------------------

    def identity(self) -> None:
        pdf, lang = self.pdf, self.lang
        pdf.add_page()
        self.font(13, True)
        pdf.set_xy(MARGIN, MARGIN)
        pdf.cell(0, 8, self.safe(self.chart.title))
        self.font(8)
        pdf.set_xy(MARGIN, MARGIN + 9)
        pdf.cell(0, 5, self.safe(fc.params_label(self.chart.params, lang)))
        if self.chart.case_label:
            pdf.set_xy(MARGIN, MARGIN + 14)
            self.font(8, True)
            pdf.cell(0, 5, self.safe(self.chart.case_label))
        rows = [
            ("flow.identity.unit", t("standard.unit", lang)),
            ("flow.identity.name", self.chart.title),
            ("flow.identity.basis", " ".join(f"{i}. " + t(f"standard.A1.{i}", lang) for i in (1, 2, 3))),
            ("flow.identity.qualification", " ".join(t(f"standard.D1.8.{x}", lang) for x in "abcde")),
            ("flow.identity.related", t("flow.identity.related_text", lang)),
            ("flow.identity.equipment", t("standard.D2.text", lang)),
            ("flow.identity.warning", t("flow.identity.warning_text", lang)),
            ("flow.identity.records", t("flow.identity.records_text", lang)),
        ]
        y = MARGIN + 22
        self.font(9, True)
        pdf.text(MARGIN, y - 1.5, self.safe(t("flow.identity", lang)))
        for key, value in rows:
            self.font(7.5)
            lines = self.wrap(value, 221 - 2)
            h = max(7.0, 3.4 * len(lines) + 2.6)
            pdf.set_fill_color(*GREY)
            pdf.rect(MARGIN, y, 60, h, style="DF")
            pdf.rect(MARGIN + 60, y, 221, h)
            self.cell_text(MARGIN, y, 60, h, t(key, lang), 7.5, True)
            self.cell_text(MARGIN + 60, y, 221, h, value, 7.5, max_lines=12)
            y += h
        # The legend of symbols, drawn as on the sheets.
        y += 6
        self.font(9, True)
        pdf.text(MARGIN, y, self.safe(t("flow.legend", lang)))
        y += 3
        for i, kind in enumerate((fc.START, fc.ACTIVITY, fc.DECISION, "connector", fc.END)):
            cx = MARGIN + 10 + i * 52
            self.symbol(kind, cx, y + 5, "1" if kind == "connector" else "")
            self.font(7.5)
            pdf.text(cx + 6, y + 6, self.safe(t(f"flow.symbol.{kind}", lang)))

    def header(self, n: int, total: int) -> None:
        pdf, lang = self.pdf, self.lang
        pdf.add_page()
        self.font(9, True)
        pdf.text(MARGIN, MARGIN + 4, self.safe(self.chart.title))
        self.font(6.5)
        pdf.text(MARGIN, MARGIN + 8.5, self.safe(fc.params_label(self.chart.params, lang)))
        if self.chart.case_label:
            self.font(6.5, True)
            pdf.text(MARGIN, MARGIN + 12, self.safe(self.chart.case_label))
        self.font(6.5)
        label = self.safe(t("flow.sheet", lang, n=n, total=total))
        pdf.text(PAGE_W - MARGIN - pdf.get_string_width(label), MARGIN + 4, label)
        top = MARGIN + TITLE_H
        pdf.set_fill_color(*GREY)
        # Group headers: executors over the lanes, mutu baku over requirement, time and output.
        lx, _ = self.col(f"lane:{self.chart.lanes[0]}")
        lanes_w = self.lane_w * len(self.chart.lanes)
        rx, _ = self.col("requirement")
        qw = sum(self.col(k)[1] for k in ("requirement", "time", "output"))
        pdf.rect(lx, top, lanes_w, 6, style="DF")
        self.cell_text(lx, top, lanes_w, 6, t("flow.col.executors", lang), 7, True, "C")
        pdf.rect(rx, top, qw, 6, style="DF")
        self.cell_text(rx, top, qw, 6, t("flow.col.quality", lang), 7, True, "C")
        for key, x, w in self.cols:
            grouped = key.startswith("lane:") or key in ("requirement", "time", "output")
            y0 = top + 6 if grouped else top
            h = HEAD_H - 6 if grouped else HEAD_H
            pdf.rect(x, y0, w, h, style="DF")
            if key.startswith("lane:"):
                self.font(5.6, True)
                lane = key[5:]
                lines = self.wrap(fc.lane_label(lane, lang), h - 2)[:3]
                with pdf.rotation(90, x + w / 2, y0 + h - 1):
                    for i, line in enumerate(lines):
                        pdf.text(x + w / 2, y0 + h - 1 - (len(lines) - 1) * 1.0 + i * 2.1 - 0.6, line)
            else:
                title = {"no": "flow.col.no", "activity": "flow.col.activity", "requirement": "flow.col.requirement",
                         "time": "flow.col.time", "output": "flow.col.output",
                         "remark": "flow.col.actual" if self.case else "flow.col.remark"}[key]
                self.cell_text(x, y0, w, h, t(title, lang), 6.5, True, "C")

    def symbol(self, kind: str, cx: float, cy: float, label: str = "") -> None:
        pdf = self.pdf
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.3)
        w, h = SYM_W, SYM_H
        if kind in (fc.START, fc.END):
            pdf.rect(cx - w / 2, cy - h / 2, w, h, style="D", round_corners=True, corner_radius=h / 2)
        elif kind == fc.ACTIVITY:
            pdf.rect(cx - w / 2, cy - h / 2, w, h, style="D")
        elif kind == fc.DECISION:
            dh = h * 1.3
            pdf.polygon([(cx, cy - dh / 2), (cx + w / 2, cy), (cx, cy + dh / 2), (cx - w / 2, cy)], style="D")
        else:  # an off-page connector: a pentagon pointing down, numbered
            s = 2.6
            pdf.polygon([(cx - s, cy - s), (cx + s, cy - s), (cx + s, cy + s * 0.4), (cx, cy + s * 1.4),
                         (cx - s, cy + s * 0.4)], style="D")
            if label:
                self.font(5.5, True)
                pdf.text(cx - pdf.get_string_width(label) / 2, cy + 0.6, label)

    def half_height(self, kind: str) -> float:
        return SYM_H * 1.3 / 2 if kind == fc.DECISION else SYM_H / 2

    def arrow(self, points: list[tuple[float, float]], dashed: bool = False) -> None:
        pdf = self.pdf
        pdf.set_line_width(0.25)
        if dashed:
            pdf.set_dash_pattern(dash=0.8, gap=0.6)
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            pdf.line(x1, y1, x2, y2)
        pdf.set_dash_pattern()
        (x1, y1), (x2, y2) = points[-2], points[-1]
        size = 1.1
        if abs(x2 - x1) < 1e-6:  # vertical
            d = 1 if y2 > y1 else -1
            tip = [(x2, y2), (x2 - size / 2, y2 - d * size), (x2 + size / 2, y2 - d * size)]
        else:
            d = 1 if x2 > x1 else -1
            tip = [(x2, y2), (x2 - d * size, y2 - size / 2), (x2 - d * size, y2 + size / 2)]
        pdf.set_fill_color(0, 0, 0)
        pdf.polygon(tip, style="F")

    def sheet(self, rows: list[fc.FlowRow], n: int, total: int) -> None:
        pdf, lang = self.pdf, self.lang
        self.header(n, total)
        top = MARGIN + TITLE_H + HEAD_H
        centres = []
        for i, r in enumerate(rows):
            y = top + i * ROW_H
            if i % 2:
                pdf.set_fill_color(248, 248, 248)
                pdf.rect(MARGIN, y, PAGE_W - 2 * MARGIN, ROW_H, style="F")
            for _, x, w in self.cols:
                pdf.set_draw_color(160, 160, 160)
                pdf.set_line_width(0.1)
                pdf.rect(x, y, w, ROW_H)
            x, w = self.col("no")
            self.cell_text(x, y, w, ROW_H, str(r.no), 6.5, align="C")
            x, w = self.col("activity")
            self.cell_text(x, y, w, ROW_H, f"{r.code} {r.activity}", 5.8, max_lines=4)
            self.font(5.8, True)
            for key, text in (("requirement", r.requirement), ("time", r.time), ("output", r.output)):
                x, w = self.col(key)
                self.cell_text(x, y, w, ROW_H, text, 5.6, max_lines=4)
            x, w = self.col("remark")
            remark = actual_text(r.actual, lang) if self.case else r.remark
            self.cell_text(x, y, w, ROW_H, remark, 5.6, bold=bool(self.case and r.actual and r.actual.late),
                           max_lines=4)
            centres.append((self.lane_x[r.lane], y + ROW_H / 2))
        pdf.set_draw_color(0, 0, 0)
        for i, r in enumerate(rows):
            cx, cy = centres[i]
            self.symbol(r.symbol, cx, cy)
            if i + 1 < len(rows):
                nx, ny = centres[i + 1]
                start = (cx, cy + self.half_height(r.symbol))
                end = (nx, ny - self.half_height(rows[i + 1].symbol))
                mid = cy + ROW_H / 2
                self.arrow([start, (cx, mid), (nx, mid), end] if abs(nx - cx) > 1e-6 else [start, end])
                if r.symbol == fc.DECISION:
                    self.font(4.6)
                    pdf.text(cx + 0.8, cy + self.half_height(r.symbol) + 1.6, self.safe(t("flow.yes", lang)))
            if r.symbol == fc.DECISION and i > 0:
                # Found wanting: back to the activity before, leaving the diamond on its right.
                px, py = centres[i - 1]
                side = cx + SYM_W / 2
                out_x = side + min(2.4, (self.lane_w - SYM_W) / 2 + 1.0)
                end_x = px - SYM_W / 2 if px - SYM_W / 2 > out_x else px + SYM_W / 2
                self.arrow([(side, cy), (out_x, cy), (out_x, py), (end_x, py)], dashed=True)
                self.font(4.6)
                pdf.text(side + 0.2, cy + 2.2, self.safe(t("flow.no", lang)))
        if n < total:  # the flow goes on: an off-page connector under the last activity
            cx, cy = centres[-1]
            self.arrow([(cx, cy + self.half_height(rows[-1].symbol)), (cx, cy + ROW_H / 2 + 1.2)])
            self.symbol("connector", cx, cy + ROW_H / 2 + 4, str(n))
        if n > 1:  # and comes in from the sheet before
            cx, cy = centres[0]
            self.symbol("connector", cx - SYM_W, cy - 1.6, str(n - 1))
            self.arrow([(cx - SYM_W, cy + 2.2), (cx - SYM_W, cy), (cx - SYM_W / 2, cy)])

    def build(self) -> bytes:
        self.identity()
        sheets = self.chart.sheets
        for n, rows in enumerate(sheets, 1):
            self.sheet(rows, n, len(sheets))
        buf = io.BytesIO()
        self.pdf.output(buf)
        return buf.getvalue()


def flowchart_pdf(chart: fc.Flowchart, lang: str = "id") -> bytes:
    return FlowPdf(chart, lang).build()
