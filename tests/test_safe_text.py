"""ui.safe_text: user text placed in Markdown shows its own characters and nothing else. These pin the
escaping rules; tests/browser/test_hostile_text.py checks the result in a real browser."""
from __future__ import annotations

import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from ui.safe_text import WORD_JOINER, md, md_frame, md_line, say

PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def unescaped(markdown: str) -> str:
    """What CommonMark leaves of the text: each backslash escape becomes its character."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def bare_punctuation(markdown: str) -> list[str]:
    """ASCII punctuation not preceded by the backslash that makes it literal."""
    out, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown) and markdown[i + 1] in PUNCTUATION:
            i += 2
            continue
        if markdown[i] in PUNCTUATION:
            out.append(markdown[i])
        i += 1
    return out


HOSTILE = ["![x](http://host/pixel.png)", "[lihat notulen](http://host/n)", "$$\\frac{1}{2}$$", "$x$",
           ":red[merah] :material/warning:", ":skull: :streamlit: :material_warning:", "# judul", "**tebal**",
           "<b>x</b><img src=x onerror=alert(1)>", "www.contoh.go.id a@b.id", "| a | b |\n|---|---|",
           "1. satu\n- dua\n> kutip", "    kode", "a -> b <- c -- d >= e <= f ~= g", "&amp; &#58;"]


@given(st.text())
def test_every_ascii_punctuation_character_is_escaped(text):
    assert bare_punctuation(md(text)) == []


def normal(text: str) -> str:
    return text.replace(WORD_JOINER, "").replace("\u00a0", " ")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n:->~<= ")))
def test_what_markdown_leaves_is_the_text_itself_with_invisible_joiners(text):
    shown = unescaped(md(text)).replace("  \n", "\n")
    assert normal(shown) == normal(text)


@given(st.text() | st.sampled_from(HOSTILE))
def test_no_shortcode_or_typographic_arrow_survives_the_escapes(text):
    shown = unescaped(md(text))
    assert not re.search(r":[\w+/-]", shown, re.ASCII)  # icons (:material/x:), emoji (:smile:), the logo (:streamlit:)
    assert not re.search(r"<->|->|<-|--|>=|<=|~=", shown)
    assert not re.search(r"(?i)www\.|@[-\w]|https?://", shown, re.ASCII)  # GitHub's autolinks (web and mail addresses)


def test_a_colon_that_starts_nothing_is_left_as_it_was():
    assert md("Kabag: tersimpan") == "Kabag\\: tersimpan" and md("09:30") == "09\\:\u206030"


def test_the_findings_strings_become_plain_escaped_text():
    for text in HOSTILE:
        out = md(text)
        assert bare_punctuation(out) == [], text
        assert ":material" not in unescaped(out).replace(":" + WORD_JOINER, "|"), text
    assert md("    kode").startswith("\u00a0" * 4)  # four spaces would start a code block
    assert md("a\nb") == "a  \nb"  # a line break stays a line break


def test_a_heading_or_label_value_stays_on_one_line():
    assert md_line("judul\n# bukan judul") == "judul \\# bukan judul"
    assert md_line(None) == "" and md_line(float("nan")) == ""


def test_a_catalogue_text_keeps_its_own_markdown_and_its_values_are_inert():
    text = say("user.signed_in_as", "id", name="**Ani** :material/warning:")
    assert text.startswith("Masuk sebagai **") and text.endswith("**")
    assert "\\*\\*Ani\\*\\*" in text and bare_punctuation(text[len("Masuk sebagai **"):-2]) == []


def test_a_table_for_st_table_escapes_text_cells_and_keeps_numbers():
    frame = md_frame(pd.DataFrame({"Judul": ["[x](http://h)", None], "Jumlah": [3, 4]}))
    assert list(frame["Judul"])[0] == "\\[x\\]\\(http\\:\u2060\\/\\/h\\)"
    assert list(frame["Jumlah"]) == [3, 4]
