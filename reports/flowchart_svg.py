"""The SOP flowchart as one SVG picture for the page: the same rows, lanes, symbols and mutu baku
columns as the PDF (``reports/flowchart_pdf.py``), on one long sheet. All text is escaped
(``html.escape``): the picture holds no markup but its own. Input is ``domain.flowchart.Flowchart``."""
from __future__ import annotations

from html import escape

from domain import flowchart as fc
from domain.texts import t
from reports.flowchart_pdf import actual_text

ROW = 46  # px per activity
HEAD = 118
SYM_W, SYM_H = 30, 18
FONT = "DejaVu Sans, Verdana, sans-serif"


def _wrap(text: str, width: float, size: float, max_lines: int = 4) -> list[str]:
    per_line = max(4, int(width / (size * 0.56)))
    words, lines, line = str(text).split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if len(trial) <= per_line or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def _text(x: float, y: float, w: float, h: float, text: str, size: float = 9.5, bold: bool = False,
          anchor: str = "start", max_lines: int = 4) -> str:
    lines = _wrap(text, w - 6, size, max_lines)
    lh = size * 1.2
    top = y + (h - lh * len(lines)) / 2 + size * 0.9
    tx = x + 3 if anchor == "start" else x + w / 2
    weight = ' font-weight="bold"' if bold else ""
    return "".join(f'<text x="{tx:.1f}" y="{top + i * lh:.1f}" font-size="{size}" text-anchor="{anchor}"{weight}>'
                   f"{escape(line)}</text>" for i, line in enumerate(lines))


def _symbol(kind: str, cx: float, cy: float, label: str = "") -> str:
    w, h = SYM_W, SYM_H
    if kind in (fc.START, fc.END):
        return (f'<rect x="{cx - w / 2}" y="{cy - h / 2}" width="{w}" height="{h}" rx="{h / 2}" '
                f'fill="white" stroke="black" stroke-width="1.4" data-symbol="{kind}"/>')
    if kind == fc.ACTIVITY:
        return (f'<rect x="{cx - w / 2}" y="{cy - h / 2}" width="{w}" height="{h}" fill="white" stroke="black" '
                f'stroke-width="1.4" data-symbol="{kind}"/>')
    if kind == fc.DECISION:
        dh = h * 1.3
        return (f'<polygon points="{cx},{cy - dh / 2} {cx + w / 2},{cy} {cx},{cy + dh / 2} {cx - w / 2},{cy}" '
                f'fill="white" stroke="black" stroke-width="1.4" data-symbol="{kind}"/>')
    s = 10
    return (f'<polygon points="{cx - s},{cy - s} {cx + s},{cy - s} {cx + s},{cy + s * 0.4} {cx},{cy + s * 1.4} '
            f'{cx - s},{cy + s * 0.4}" fill="white" stroke="black" stroke-width="1.2" data-symbol="connector"/>'
            + (f'<text x="{cx}" y="{cy + 3}" font-size="9" text-anchor="middle" font-weight="bold">{escape(label)}'
               "</text>" if label else ""))


def _half(kind: str) -> float:
    return SYM_H * 1.3 / 2 if kind == fc.DECISION else SYM_H / 2


def _path(points, dashed: bool = False) -> str:
    d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return f'<path d="{d}" fill="none" stroke="black" stroke-width="1"{dash} marker-end="url(#arrow)"/>'


def flowchart_svg(chart: fc.Flowchart, lang: str = "id") -> str:
    case = bool(chart.case_label)
    cols: list[tuple[str, float, float]] = []
    x = 0.0
    for key, w in (("no", 34), ("activity", 250)):
        cols.append((key, x, w))
        x += w
    lane_w = 58
    lane_x = {}
    for lane in chart.lanes:
        cols.append((f"lane:{lane}", x, lane_w))
        lane_x[lane] = x + lane_w / 2
        x += lane_w
    for key, w in (("requirement", 160), ("time", 120), ("output", 160), ("remark", 190 if case else 140)):
        cols.append((key, x, w))
        x += w
    width, height = x, HEAD + ROW * len(chart.rows) + 4
    col = {k: (cx, w) for k, cx, w in cols}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" role="img" '
           f'aria-label="{escape(chart.title)}">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="black"/></marker></defs>',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>']
    # Header: executors over the lanes, mutu baku over its three columns.
    lx = col[f"lane:{chart.lanes[0]}"][0]
    rx = col["requirement"][0]
    qw = sum(col[k][1] for k in ("requirement", "time", "output"))
    for gx, gw, key in ((lx, lane_w * len(chart.lanes), "flow.col.executors"), (rx, qw, "flow.col.quality")):
        out.append(f'<rect x="{gx}" y="0" width="{gw}" height="24" fill="#e8e8e8" stroke="#555"/>')
        out.append(_text(gx, 0, gw, 24, t(key, lang), 10.5, True, "middle"))
    for key, cx, w in cols:
        grouped = key.startswith("lane:") or key in ("requirement", "time", "output")
        y0, h = (24, HEAD - 24) if grouped else (0, HEAD)
        out.append(f'<rect x="{cx}" y="{y0}" width="{w}" height="{h}" fill="#e8e8e8" stroke="#555"/>')
        if key.startswith("lane:"):
            lane = key[5:]
            lines = _wrap(fc.lane_label(lane, lang), h - 8, 9, 3)
            for i, line in enumerate(lines):
                px = cx + w / 2 + (i - (len(lines) - 1) / 2) * 11 + 3
                out.append(f'<text transform="translate({px:.1f},{y0 + h - 5}) rotate(-90)" font-size="9" '
                           f'font-weight="bold" data-lane="{escape(lane)}">{escape(line)}</text>')
        else:
            title = {"no": "flow.col.no", "activity": "flow.col.activity", "requirement": "flow.col.requirement",
                     "time": "flow.col.time", "output": "flow.col.output",
                     "remark": "flow.col.actual" if case else "flow.col.remark"}[key]
            out.append(_text(cx, y0, w, h, t(title, lang), 10, True, "middle"))
    centres = []
    for i, r in enumerate(chart.rows):
        y = HEAD + i * ROW
        fill = "#f8f8f8" if i % 2 else "white"
        for _, cx, w in cols:
            out.append(f'<rect x="{cx}" y="{y}" width="{w}" height="{ROW}" fill="{fill}" stroke="#bbb"/>')
        out.append(_text(*col["no"][:1], y, col["no"][1], ROW, str(r.no), 9.5, anchor="middle"))
        out.append(f'<g data-code="{escape(r.code)}">' + _text(col["activity"][0], y, col["activity"][1], ROW,
                                                              f"{r.code} {r.activity}", 9) + "</g>")
        for key, text in (("requirement", r.requirement), ("time", r.time), ("output", r.output)):
            out.append(_text(col[key][0], y, col[key][1], ROW, text, 8.5))
        remark = actual_text(r.actual, lang) if case else r.remark
        out.append(_text(col["remark"][0], y, col["remark"][1], ROW, remark, 8.5,
                         bold=bool(case and r.actual and r.actual.late)))
        centres.append((lane_x[r.lane], y + ROW / 2))
    for i, r in enumerate(chart.rows):
        cx, cy = centres[i]
        if i + 1 < len(chart.rows):
            nx, ny = centres[i + 1]
            start, end = (cx, cy + _half(r.symbol)), (nx, ny - _half(chart.rows[i + 1].symbol))
            mid = cy + ROW / 2
            out.append(_path([start, (cx, mid), (nx, mid), end] if nx != cx else [start, end]))
        if r.symbol == fc.DECISION and i > 0:
            px, py = centres[i - 1]
            side = cx + SYM_W / 2
            out_x = side + 8
            end_x = px - SYM_W / 2 if px - SYM_W / 2 > out_x else px + SYM_W / 2
            out.append(_path([(side, cy), (out_x, cy), (out_x, py), (end_x, py)], dashed=True))
            out.append(f'<text x="{side + 1}" y="{cy + 11}" font-size="7.5">{escape(t("flow.no", lang))}</text>')
            out.append(f'<text x="{cx + 3}" y="{cy + _half(r.symbol) + 8}" font-size="7.5">'
                       f'{escape(t("flow.yes", lang))}</text>')
        out.append(_symbol(r.symbol, cx, cy))
    out.append("</svg>")
    return "".join(out)
