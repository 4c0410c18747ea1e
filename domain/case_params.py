"""A case's plan parameters, with their defaults: the one place that reads them from a record.

A stored case may carry a blank or unknown value (a row imported or edited by hand in the sheet):
such a value gets the default, and the case says so in a note, so the plan, the due instants and
the progress never fail or fall to zero for it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from domain import catalogue as cat

DEFAULTS = cat.CaseParams()
CHOICES = {"track": cat.TRACKS, "meeting_location": cat.MEETING_LOCATIONS, "team_decree": cat.TEAM_DECREES}
COUNTS = ("drafts", "organisations")


@dataclass(frozen=True)
class ReadParams:
    params: cat.CaseParams
    defaulted: tuple[str, ...] = ()  # the fields that were blank or unknown and took the default


def _count(value: Any) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return n if n >= 1 else None


def _units(value: Any) -> int:
    if isinstance(value, (list, tuple, np.ndarray)):
        return max(1, len(value))
    return 1


def read(track: Any, drafts: Any, unit_ids: Any, organisations: Any, meeting_location: Any,
         team_decree: Any) -> ReadParams:
    defaulted = []
    values: dict[str, Any] = {"units": _units(unit_ids)}
    for name, value in (("track", track), ("meeting_location", meeting_location), ("team_decree", team_decree)):
        text = value.strip() if isinstance(value, str) else None
        if text in CHOICES[name]:
            values[name] = text
        else:
            values[name] = getattr(DEFAULTS, name)
            defaulted.append(name)
    for name, value in (("drafts", drafts), ("organisations", organisations)):
        n = _count(value)
        if n is None:
            n = getattr(DEFAULTS, name)
            defaulted.append(name)
        values[name] = n
    return ReadParams(cat.CaseParams(**values), tuple(defaulted))


def of_case(case: dict) -> ReadParams:
    """The parameters of one stored case (a record dict)."""
    return read(case.get("track"), case.get("drafts"), case.get("unit_ids"), case.get("organisations"),
                case.get("meeting_location"), case.get("team_decree"))


def of_cases(cases: pd.DataFrame) -> tuple[np.ndarray, list[cat.CaseParams], list[tuple[str, ...]]]:
    """For a frame of cases: each row's index into a list of the distinct parameters, that list,
    and each row's defaulted fields. The distinct sets are few: each is read once."""
    cols = ("track", "drafts", "unit_ids", "organisations", "meeting_location", "team_decree")
    n = len(cases)
    raw = [cases[c].astype(object).tolist() if c in cases.columns else [None] * n for c in cols]
    units = [_units(u) for u in raw[2]]
    distinct: dict[tuple, int] = {}
    params: list[cat.CaseParams] = []
    notes: list[tuple[str, ...]] = []
    pid = np.zeros(n, dtype=np.int64)
    seen: dict[tuple, tuple[int, tuple[str, ...]]] = {}
    for i, key in enumerate(zip(raw[0], raw[1], units, raw[3], raw[4], raw[5], strict=True)):
        hashable = tuple(None if (isinstance(v, float) and np.isnan(v)) else v for v in key)
        if hashable not in seen:
            got = read(hashable[0], hashable[1], [None] * hashable[2], *hashable[3:])
            if got.params not in distinct:
                distinct[got.params] = len(params)
                params.append(got.params)
            seen[hashable] = (distinct[got.params], got.defaulted)
        pid[i], defaulted = seen[hashable]
        notes.append(defaulted)
    return pid, params, notes
