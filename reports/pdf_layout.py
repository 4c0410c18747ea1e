"""The PDF layout engine the reports share (fpdf2): an A4 document that places text by the glyph
widths of its font, wraps and shortens only at word boundaries, draws bordered tables whose heading
repeats on each page, and shapes right-to-left and complex scripts.

Drawn with plain text and rectangles: fpdf2's ``table()`` and ``multi_cell()`` lay the same out
several times slower, and a yearly report has thousands of cells. Text is measured from the font's
glyph widths (cached per word); only text in a script that needs shaping (``pdf_fonts.needs_shaping``)
goes through fpdf2's text shaping, which joins Arabic letters and orders right-to-left runs.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Callable, Sequence

from fpdf import FPDF
from fpdf.enums import TextDirection

from domain.texts import t
from reports.pdf_fonts import MISSING_GLYPH, font_paths, glyphs, needs_shaping

FAMILY = "dejavu"
GREY_FILL = (225, 225, 225)
TOTAL_FILL = (242, 242, 242)
ELLIPSIS = "…"

# ASCII control characters: tabs and the like become spaces, the others go; newlines stay.
_ASCII_CONTROLS = {c: (" " if chr(c) in "\t\r\x0b\x0c" else None) for c in [*range(32), 127] if c != 10}
# A line only of right-to-left letters (Hebrew to N'Ko and their presentation forms), spaces and
# punctuation: placed glyph by glyph in logical order (``Document._put_right_to_left``).
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
_RIGHT_TO_LEFT_ONLY = re.compile(f"[{_RTL} .,'()-]*[{_RTL}][{_RTL} .,'()-]*")
# Where a word too long for its column may still be broken: after these characters.
_BREAK_AFTER = re.compile(r"(?<=[/\-–.,;:_])")


class Document(FPDF):
    """An A4 portrait document in DejaVu Sans; subclasses draw their page header and footer."""

    def __init__(self, lang: str, *, title: str, author: str, created_at: dt.datetime):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.language = lang
        paths = font_paths(lang)
        for style, path in paths.items():
            self.add_font(FAMILY, style, str(path))
        self.glyphs = glyphs(str(paths[""]))
        self.set_fallback_fonts([FAMILY], exact_match=False)  # bold lacks a few glyphs the regular has
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(title)
        self.set_author(author)
        self.set_creator("SOP Tracker")
        self.set_lang("id-ID" if lang == "id" else "en")
        self.set_creation_date(created_at.astimezone(dt.UTC))
        self.set_font(FAMILY, size=10)
        self._widths: dict[tuple[str, str, float], float] = {}

    def tr(self, key: str, **params) -> str:
        return t(key, self.language, **params)

    def multi_cell(self, *args, align="L", **kwargs):
        """Left-aligned unless told otherwise (fpdf2 justifies by default, which stretches the
        spaces of names and makes copied text harder to search)."""
        return super().multi_cell(*args, align=align, **kwargs)

    def safe(self, text) -> str:
        """Text as printable: characters the font lacks become □, control characters spaces."""
        text = str(text if text is not None else "")
        if text.isascii():  # every printable ASCII character is in DejaVu Sans
            return text.translate(_ASCII_CONTROLS)
        out = []
        for ch in text:
            if ch == "\n":
                out.append(ch)
            elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
                out.append(" " if ch in "\t\r\x0b\x0c" else "")
            elif ord(ch) in self.glyphs:
                out.append(ch)
            else:
                out.append(MISSING_GLYPH)
        return "".join(out)

    # ---- text ---------------------------------------------------------------------------------

    def use_font(self, style: str, size: float) -> None:
        if self.font_family != FAMILY or self.font_style != style or self.font_size_pt != size:
            self.set_font(FAMILY, style, size)

    def width_of(self, text: str, style: str, size: float) -> float:
        """Width in mm of ``text`` (already ``safe``) in ``style`` and ``size``."""
        key = (text, style, size)
        w = self._widths.get(key)
        if w is None:
            if needs_shaping(text):
                self.use_font(style, size)
                self.set_text_shaping(True, direction="ltr")
                try:
                    w = self.get_string_width(text)
                finally:
                    self.set_text_shaping(False)
            else:
                # From the font's glyph widths (thousandths of the size), as get_string_width adds
                # them up, without its per-call text parsing, which was a third of the PDF's time.
                cw = self.fonts[FAMILY + style].cw
                w = sum(cw[ord(c)] for c in text) * size * 0.001 / self.k
            self._widths[key] = w
        return w

    def put(self, x: float, baseline: float, text: str, style: str, size: float) -> None:
        """``text`` (already ``safe``) from ``x`` on the given baseline. A line in a script that needs
        shaping is laid out by fpdf2's text shaping in a left-to-right paragraph: an Arabic name is
        joined and reads right to left, and is stored in its logical order."""
        self.use_font(style, size)
        if not needs_shaping(text):
            self.text(x, baseline, text)
            return
        if _RIGHT_TO_LEFT_ONLY.fullmatch(text):
            self._put_right_to_left(x, baseline, text, size)
            return
        x0, y0, auto, margin = self.x, self.y, self.auto_page_break, self.b_margin
        self.set_auto_page_break(False)
        self.set_text_shaping(True, direction="ltr")
        try:
            self.set_xy(x - self.c_margin, baseline - 0.8 * self.font_size)
            self.cell(self.width_of(text, style, size) + 2 * self.c_margin, self.font_size, text)
        finally:
            self.set_text_shaping(False)
            self.set_auto_page_break(auto, margin)
            self.set_xy(x0, y0)

    def _put_right_to_left(self, x: float, baseline: float, text: str, size: float) -> None:
        """A right-to-left line (an Arabic or Hebrew name): shaped by HarfBuzz, each glyph placed where
        the visual order puts it, but written to the page in the text's logical order, so that copying
        and text extraction read the name as it is spelt, not reversed."""
        font = self.current_font
        shaped = font.shape_text(text, size, {"features": {}, "fragment_direction": TextDirection.RTL})
        scale = font.scale * size / 1000 / self.k
        placed, pos = [], x
        for glyph in shaped:  # visual order, left to right
            if glyph["mapped_char"] is not None:
                placed.append((pos + glyph["x_offset"] * scale, baseline - glyph["y_offset"] * scale,
                               glyph["mapped_char"]))
            pos += glyph["x_advance"] * scale
        if not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(font, self.font_size_pt))
        ops = [f"BT /F{font.i} {self.font_size_pt:.2f} Tf"]
        for gx, gy, code in reversed(placed):  # logical order: a right-to-left run reversed
            ops.append(f"1 0 0 1 {gx * self.k:.2f} {(self.h - gy) * self.k:.2f} Tm "
                       f"({font.escape_text(chr(code))}) Tj")
        self._out(" ".join([*ops, "ET"]))

    def wrap(self, text: str, width: float, style: str, size: float) -> list[str]:
        """``text`` (already ``safe``) in lines no wider than ``width``, broken between words; a
        single word wider than the column is broken after a slash, hyphen or full stop in it, and
        only where it has none, between two letters."""
        lines: list[str] = []
        space = self.width_of(" ", style, size)
        for para in text.split("\n"):
            line, line_w = "", 0.0
            for word in para.split():
                w = self.width_of(word, style, size)
                if w > width:
                    pieces = self._split_word(word, width, style, size)
                    if line:
                        lines.append(line)
                    lines.extend(pieces[:-1])
                    line, line_w = pieces[-1], self.width_of(pieces[-1], style, size)
                    continue
                if line and line_w + space + w > width:
                    lines.append(line)
                    line, line_w = word, w
                else:
                    line_w = line_w + space + w if line else w
                    line = f"{line} {word}" if line else word
            lines.append(line)
        return lines or [""]

    def _split_word(self, word: str, width: float, style: str, size: float) -> list[str]:
        parts = [p for p in _BREAK_AFTER.split(word) if p]
        pieces: list[str] = []
        piece = ""
        for part in parts:
            if piece and self.width_of(piece + part, style, size) > width:
                pieces.append(piece)
                piece = ""
            piece += part
            while self.width_of(piece, style, size) > width and len(piece) > 1:  # no break in it: by letters
                cut = len(piece) - 1
                while cut > 1 and self.width_of(piece[:cut], style, size) > width:
                    cut -= 1
                pieces.append(piece[:cut])
                piece = piece[cut:]
        pieces.append(piece)
        return pieces

    def shorten(self, text: str, width: float, style: str, size: float) -> tuple[str, bool]:
        """``text`` (already ``safe``) on one line of ``width``: whole, or cut after its last word that
        fits, with an ellipsis; and whether it was cut."""
        text = " ".join(text.split())
        if self.width_of(text, style, size) <= width:
            return text, False
        words = text.split(" ")
        for n in range(len(words) - 1, 0, -1):
            head = " ".join(words[:n]).rstrip(",;:") + " " + ELLIPSIS
            if self.width_of(head, style, size) <= width:
                return head, True
        first = self._split_word(words[0], width - self.width_of(ELLIPSIS, style, size), style, size)[0]
        return first + ELLIPSIS, True

    # ---- flow ---------------------------------------------------------------------------------

    def room(self, mm: float) -> bool:
        return self.get_y() + mm <= self.h - self.b_margin

    def need(self, mm: float) -> None:
        if not self.room(mm):
            self.add_page()

    def lines(self, text: str, height: float, style: str = "", size: float = 10, indent: float = 0) -> None:
        """Left-aligned text wrapped to the page width, one line of ``height`` mm after another,
        from the current position, onto a new page when one is full."""
        left = self.l_margin + self.c_margin + indent
        for line in self.wrap(self.safe(text), self.w - self.r_margin - self.c_margin - left, style, size):
            if not self.room(height):
                self.add_page()
            if line:
                self.put(left, self.get_y() + height / 2 + 0.3 * size * 0.3528, line, style, size)
            self.set_y(self.get_y() + height)
        self.set_x(self.l_margin)

    def h1(self, text: str) -> None:
        self.need(30)
        self.lines(text, 7, "B", 14)
        self.ln(2)
        self.set_font(FAMILY, size=10)

    def h2(self, text: str, keep: float = 25) -> None:
        self.need(keep)
        self.ln(1)
        self.lines(text, 6, "B", 11)
        self.ln(1)
        self.set_font(FAMILY, size=10)

    def para(self, text: str, size: float = 9.5, height: float = 4.8, style: str = "", indent: float = 0) -> None:
        self.lines(text, height, style, size, indent)
        self.set_font(FAMILY, size=10)

    # ---- tables and charts ----------------------------------------------------------------------

    def grid(self, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], *,
             size: float = 8.5, align: Sequence[str] | None = None, bold_first: bool = False,
             totals: int = 0) -> None:
        """A bordered table, heading row in grey and repeated on each new page; the last ``totals``
        rows are totals (bold, lightly shaded). Every cell wraps at word boundaries."""
        pad_x, pad_y = 1.2, 0.9
        line_h = size * 0.42
        align = list(align) if align else ["LEFT"] * len(widths)
        self.set_draw_color(0)
        self.set_line_width(0.2)
        x0 = self.l_margin
        bold_all = set(range(len(widths)))

        def layout(cells: Sequence[str], bold_cols: set[int]) -> tuple[list[list[str]], float]:
            wrapped = []
            for i, (value, w) in enumerate(zip(cells, widths, strict=True)):
                wrapped.append(self.wrap(self.safe(value), w - 2 * pad_x, "B" if i in bold_cols else "", size))
            return wrapped, max(len(c) for c in wrapped) * line_h + 2 * pad_y

        def draw(wrapped: list[list[str]], height: float, bold_cols: set[int], fill, aligns) -> None:
            y, x = self.get_y(), x0
            for i, (lines, w) in enumerate(zip(wrapped, widths, strict=True)):
                style = "B" if i in bold_cols else ""
                if fill:
                    self.set_fill_color(*fill)
                self.rect(x, y, w, height, style="DF" if fill else "D")
                for n, line in enumerate(lines):
                    if not line:
                        continue
                    base = y + pad_y + (n + 0.78) * line_h
                    if aligns[i] == "RIGHT":
                        tx = x + w - pad_x - self.width_of(line, style, size)
                    elif aligns[i] == "CENTER":
                        tx = x + (w - self.width_of(line, style, size)) / 2
                    else:
                        tx = x + pad_x
                    self.put(tx, base, line, style, size)
                x += w
            self.set_y(y + height)

        head_cells, head_h = layout(head, bold_all)
        left = ["LEFT"] * len(widths)
        self.need(head_h + 3 * line_h + 2 * pad_y)
        draw(head_cells, head_h, bold_all, GREY_FILL, left)
        first_total = len(rows) - totals
        for n, r in enumerate(rows):
            total = n >= first_total
            bold = bold_all if total else ({0} if bold_first else set())
            cells, h = layout(r, bold)
            if not self.room(h):
                self.add_page()
                draw(head_cells, head_h, bold_all, GREY_FILL, left)
            draw(cells, h, bold, TOTAL_FILL if total else None, align)
        self.ln(2)
        self.set_font(FAMILY, size=10)

    def chart(self, caption: str, height: float, draw: Callable[..., bool], *args, empty: str = "") -> None:
        """A captioned chart of ``height`` mm drawn by ``draw`` (see ``reports.pdf_charts``); a chart
        with nothing to draw prints ``empty`` instead."""
        self.need(height + 10)
        self.lines(caption, 4.5, "B", 9)
        self.ln(1)
        top = self.get_y()
        if not draw(self, self.l_margin, top, self.epw, height, *args, self.language):
            self.para(empty, size=9)
        self.set_xy(self.l_margin, top + height + 4)
        self.set_font(FAMILY, size=10)
        self.set_text_color(0)
        self.set_draw_color(0)
        self.set_line_width(0.2)
