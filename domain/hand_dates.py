"""Dates as people type them into a spreadsheet cell, read the way Indonesians write them.

Day first: ``5/12/2026``, ``05-12-2026`` and ``5.12.2026`` are 5 December 2026, as are
``5 Desember 2026``, ``5 Des 2026``, ``5-Des-2026``, ``Sabtu, 5 Desember 2026`` and the English
``5 December 2026``, ``5 Dec 2026`` and ``December 5, 2026``. ISO dates (``2026-12-05``) are read as
such. A two-digit year is of this century (``5/12/26``). A time may follow (``14:30``, ``14.30``,
``14:30:15``, with or without ``WIB``). What does not name one real day is not guessed at: the
readers return None and the caller says which cell could not be read.
"""
from __future__ import annotations

import datetime as dt
import re

from domain.calendar import MONTHS_EN, MONTHS_ID

_MONTHS: dict[str, int] = {}
for _i, (_id, _en) in enumerate(zip(MONTHS_ID, MONTHS_EN, strict=True), start=1):
    for _name in (_id, _en, _id[:3], _en[:3]):
        _MONTHS[_name.lower()] = _i
_MONTHS.update({"sept": 9, "agt": 8, "ags": 8, "nop": 11, "peb": 2})

_WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad",
             "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "sen", "sel", "rab", "kam", "jum", "sab", "min", "mon", "tue", "wed", "thu", "fri", "sat", "sun")

_TIME = r"(?:[ T]+(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?)?\s*(?:WIB)?"
_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME, re.IGNORECASE)
_NUMERIC = re.compile(r"(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})" + _TIME,
                      re.IGNORECASE)
_DAY_MONTH = re.compile(r"(?P<d>\d{1,2})[\s-]+(?P<name>[^\W\d_]+)\.?[\s-]+(?P<y>\d{4})" + _TIME, re.IGNORECASE)
_MONTH_DAY = re.compile(r"(?P<name>[^\W\d_]+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})" + _TIME, re.IGNORECASE)


def _strip_weekday(text: str) -> str:
    head, sep, rest = text.partition(",")
    if sep and head.strip().lower() in _WEEKDAYS:
        return rest.strip()
    first, _, rest = text.partition(" ")
    return rest.strip() if first.lower().rstrip(",") in _WEEKDAYS and rest else text


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def read_datetime(text: str) -> dt.datetime | None:
    """A typed date, with its time of day if one was typed, as a naive local date-time; None if it
    names no real day or time."""
    value = _strip_weekday(" ".join(str(text).split()))
    for pattern in (_ISO, _NUMERIC, _DAY_MONTH, _MONTH_DAY):
        m = pattern.fullmatch(value)
        if not m:
            continue
        parts = m.groupdict()
        if "name" in parts:
            month = _MONTHS.get(parts["name"].lower())
            if month is None:
                return None
        else:
            month = int(parts["m"])
        try:
            return dt.datetime(_year(parts["y"]), month, int(parts["d"]), int(parts["h"] or 0),
                               int(parts["mi"] or 0), int(parts["s"] or 0))
        except ValueError:  # 31/02/2026, 13/13/2026, 25.61
            return None
    return None


def read_date(text: str) -> dt.date | None:
    """A typed date (a time typed after it is ignored); None if it names no real day."""
    found = read_datetime(text)
    return found.date() if found else None
