"""The PDF's font: where it is found, which characters it has, and the error when it is missing.

DejaVu Sans (Debian's ``fonts-dejavu-core``) covers Latin, Greek, Cyrillic, Arabic and Hebrew; its
OpenType tables let fpdf2's text shaping (HarfBuzz, the ``uharfbuzz`` package) join Arabic letters and
lay right-to-left runs out in their visual order while the text stays in its logical order for
search and copy. Characters it lacks (Chinese, Devanagari) print as □.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from domain.errors import DomainError
from domain.texts import t

DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
MISSING_GLYPH = "□"

# Scripts that need shaping: right-to-left (Hebrew, Arabic, Syriac, Thaana, N'Ko and their
# presentation forms) and those whose letters join or reorder (the Indic scripts, Thai to Tibetan).
# Text without them is laid out from the glyph widths alone, which is many times faster.
_COMPLEX = re.compile("[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\ufb1d-\ufdff\ufe70-\ufeff]")


class FontMissingError(DomainError):
    """DejaVu Sans is not installed; the message says how to install it."""

    key = "evaluation.font_missing"


def font_dir() -> Path:
    return Path(os.environ.get("SOP_PDF_FONT_DIR") or DEFAULT_FONT_DIR)


def font_paths(lang: str = "id") -> dict[str, Path]:
    """The regular and bold font files, or ``FontMissingError`` naming what is missing."""
    folder = font_dir()
    paths = {style: folder / name for style, name in FONT_FILES.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise FontMissingError(t("evaluation.font_missing", lang, path=", ".join(missing)))
    return paths


@lru_cache(maxsize=4)
def glyphs(path: str) -> frozenset[int]:
    """The code points the font at ``path`` has a glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def needs_shaping(text: str) -> bool:
    """Whether ``text`` holds a right-to-left or complex script."""
    return not text.isascii() and _COMPLEX.search(text) is not None
