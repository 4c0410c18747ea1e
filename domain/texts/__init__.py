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


def t(key: str, lang: str = DEFAULT_LANG, **params) -> str:
    entry = TEXTS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANG]
    if not params:
        return text
    return text.format(**{k: t(v, lang) if isinstance(v, Ref) else v for k, v in params.items()})
