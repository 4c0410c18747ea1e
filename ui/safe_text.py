"""User text is data, never markup: the one way the pages show stored or typed text.

Most Streamlit elements render their text as Markdown (titles, headers, captions, alerts, widget
labels, expander and tab labels, button labels, help tooltips, ``st.table`` cells), and Streamlit's
Markdown does more than CommonMark: GitHub autolinks (``www.x.id``, ``a@b.id``), KaTeX (``$…$``,
``$$…$$``), colour and badge directives (``:red[…]``), Material icons (``:material/warning:``), emoji
and logo shortcodes (``:skull:``, ``:streamlit:``) and typographic arrows (``->``). A value placed
there goes through ``md`` (or ``md_line``), a catalogue text with values through ``say``, a table
shown with ``st.table`` through ``md_frame``:

- every ASCII punctuation character is backslash-escaped, which CommonMark guarantees shows the
  character itself: no emphasis, link, image, heading, list, quote, table, HTML, autolink, math or
  directive can start;
- icon and emoji shortcodes, web and mail addresses (GitHub's autolinks) and the typographic arrows
  are found by Streamlit in the text *after* Markdown has removed the escapes, so an invisible word
  joiner (U+2060) keeps them apart: after a colon or '@' that something of that kind could follow,
  between 'www' and its dot, inside '->' and its kin;
- leading spaces become no-break spaces (four spaces would start a code block), and a line break
  stays a line break.

Elements that never interpret text take it as it is, through nothing: ``st.text``, ``st.code``,
the cells of ``st.dataframe`` and ``st.data_editor``, the options of select boxes and multiselects,
and the data of Altair charts. ``tests/browser/test_hostile_text.py`` walks every page with a store
full of hostile strings and checks in the browser's DOM that none of it became an element.
"""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

from domain.texts import t

WORD_JOINER = "\u2060"
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_ARROW_PAIR = re.compile(r"([<>~-])(?=[>=-])")  # '->', '<-', '--', '>=', '<=', '~=' become arrows and dashes
_WWW = re.compile(r"(?<=www)(?=\.)", re.IGNORECASE)  # 'www.x.id' becomes a link
# ':' before what could continue a shortcode or a scheme (':skull:', ':-1:', 'http://'), '@' before a mail
# domain: elsewhere ("Nama: Ani") nothing is inserted, so the text reads and copies as it was.
_JOINED = re.compile(r"(:(?=[0-9A-Za-z_+/-])|@(?=[0-9A-Za-z_-]))")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LEADING = re.compile(r"^[ \t]+", re.MULTILINE)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN from a DataFrame
        return ""
    return str(value)


def md(value: Any) -> str:
    """``value`` as Markdown that shows exactly its characters: never markup, a link, an icon or math.
    Line breaks stay line breaks."""
    text = _CONTROL.sub("\ufffd", _text(value).replace("\r\n", "\n").replace("\r", "\n"))
    text = _ARROW_PAIR.sub(r"\1" + WORD_JOINER, _WWW.sub(WORD_JOINER, text))
    text = _JOINED.sub(r"\1" + WORD_JOINER, text)
    text = _PUNCTUATION.sub(r"\\\1", text)
    text = _LEADING.sub(lambda m: "\u00a0" * len(m.group(0).expandtabs(4)), text)
    return text.replace("\n", "  \n")


def md_line(value: Any) -> str:
    """``md`` on one line (headings, labels, table cells): line breaks become spaces."""
    return md(" ".join(_text(value).split()))


def say(key: str, lang: str, **params: Any) -> str:
    """The catalogue text ``key`` with its own Markdown kept and every value made inert (``md_line``)."""
    return t(key, lang, **{name: md_line(value) for name, value in params.items()})


def md_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table for ``st.table`` (whose cells are Markdown) with every text cell made inert;
    numbers stay numbers."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: md_line(v) if isinstance(v, str) else v)
    out.columns = [md_line(c) for c in out.columns]
    return out
