"""What the evaluation's figures share: the year's bounds in Jakarta time, medians that skip what is
missing, the working time of holds inside spans, and the values of stored cells."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from domain import timing
from domain.calendar import JAKARTA
from domain.worktime import WorkClock


def bounds(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The year from 1 January 00:00 to the next 1 January 00:00, Asia/Jakarta, in UTC."""
    return (pd.Timestamp(dt.datetime(year, 1, 1, tzinfo=JAKARTA)).tz_convert("UTC"),
            pd.Timestamp(dt.datetime(year + 1, 1, 1, tzinfo=JAKARTA)).tz_convert("UTC"))


def within(s: pd.Series, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.Series:
    return s.notna() & (s >= lo) & (s < hi)


def median(values) -> float | None:
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    return float(np.median(arr)) if len(arr) else None


def largest(values) -> float | None:
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    return float(arr.max()) if len(arr) else None


def text(value, default: str = "") -> str:
    """Text of a stored value; missing (None or NaN from a pandas string column) gives ``default``."""
    return value if isinstance(value, str) and value else default


def instant(value) -> dt.datetime | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def run_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Where each run of equal keys begins in a sorted array (the groups of a sort-based group-by)."""
    if not len(sorted_keys):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])


def hold_minutes(clock: WorkClock, cases: pd.DataFrame, holds: pd.DataFrame, case_ids: pd.Series,
                 starts: pd.Series, ends: pd.Series, cutoff: pd.Timestamp) -> np.ndarray:
    """Working minutes of each case's holds (as the timing rule counts them) inside each span."""
    out = np.zeros(len(case_ids))
    if not len(case_ids):
        return out
    h = timing.hold_intervals(cases, holds, cutoff)
    if not len(h):
        return out
    ids = case_ids.astype(object).to_numpy()
    a, b = clock.ordinal(starts), clock.ordinal(ends)
    for case, hs, he in zip(h["case_id"], clock.ordinal(h["start"]), clock.ordinal(h["end"]), strict=True):
        rows = np.flatnonzero(ids == case)
        if len(rows):
            out[rows] += np.clip(np.minimum(b[rows], he) - np.maximum(a[rows], hs), 0, None)
    return out
