"""The one text catalogue of the UI: Bahasa Indonesia by default, English available.

Each area keeps its strings in its own module here (``common``, ``tracker``, ...) so that areas can
grow side by side; they merge into one ``TEXTS`` table and one lookup, ``t``. A key missing in
English falls back to Indonesian; a missing key shows itself, so a test can find it.
"""
from __future__ import annotations

import importlib
import pkgutil

LANGS = ("id", "en")
DEFAULT_LANG = "id"

TEXTS: dict[str, dict[str, str]] = {}
for _mod in pkgutil.iter_modules(__path__):
    _texts = getattr(importlib.import_module(f"{__name__}.{_mod.name}"), "TEXTS", {})
    _dupes = set(_texts) & set(TEXTS)
    if _dupes:
        raise RuntimeError(f"duplicate text keys: {sorted(_dupes)}")
    TEXTS.update(_texts)


class Ref(str):
    """A catalogue key given as a parameter: worded in the language of the text around it."""


class Worded(str):
    """A catalogue text worded in Indonesian (the domain's messages and logs) that keeps its key and
    values, so that the UI can word it again in the reader's language (``in_lang``)."""

    key: str
    params: dict

    def __new__(cls, key: str, **params) -> Worded:
        text = super().__new__(cls, t(key, DEFAULT_LANG, **params))
        text.key, text.params = key, params
        return text

    def in_lang(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


def in_lang(text, lang: str) -> str:
    """``text`` in ``lang`` when it is a Worded catalogue text; otherwise as it is."""
    return text.in_lang(lang) if isinstance(text, Worded) else text


def t(key: str, lang: str = DEFAULT_LANG, **params) -> str:
    entry = TEXTS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANG]
    if not params:
        return text
    return text.format(**{k: t(v, lang) if isinstance(v, Ref) else in_lang(v, lang) for k, v in params.items()})
