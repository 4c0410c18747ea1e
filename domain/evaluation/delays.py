"""Delays: the judged items that were late (finished late in the year, or overdue at the cut-off),
summed by outside party and, for the units' own steps, by the case's unit; the longest of them
listed one by one; and how late the Bureau's own were, in buckets of working days."""
from __future__ import annotations

import numpy as np
import pandas as pd

from domain import catalogue as cat
from domain.evaluation.counting import instant, text
from domain.evaluation.report import LATENESS_BUCKETS, DelayGroup, LateStep


def groups(items: pd.DataFrame, key: pd.Series, mpd: int) -> tuple[DelayGroup, ...]:
    """Judged items (``late``, ``late_minutes``) by ``key``, most working days late first; the rows
    add up to the items given."""
    if not len(items):
        return ()
    frame = pd.DataFrame({"key": key.astype(object).to_numpy(), "late": items["late"].to_numpy(dtype=bool),
                          "days": items["late_minutes"].to_numpy(dtype=float) / mpd})
    out = []
    for name, g in frame.groupby("key", sort=False, dropna=False):
        late_days = g.loc[g["late"], "days"].to_numpy()
        out.append(DelayGroup(str(name) if isinstance(name, str) else "–", int(len(g)), int(g["late"].sum()),
                              float(late_days.sum()), float(np.median(late_days)) if len(late_days) else None,
                              float(late_days.max()) if len(late_days) else None))
    return tuple(sorted(out, key=lambda d: (-d.late_days, -d.late, d.name.casefold())))


def buckets(late_days: np.ndarray) -> tuple[tuple[str, int], ...]:
    return tuple((label, int(((late_days >= a) & (late_days < b)).sum())) for a, b, label in LATENESS_BUCKETS)


def late_steps(late: pd.DataFrame, limit: int, case_number: dict, case_title: dict,
               exec_name: dict) -> tuple[LateStep, ...]:
    """The first ``limit`` rows of ``late`` (longest first) as report lines."""
    out = []
    for r in late.head(limit).itertuples(index=False):
        step = cat.ITEMS.get(r.step_code) or cat.STEP_BY_CODE.get(r.step_code)
        actor = r.actor_id if isinstance(r.actor_id, str) else None
        who = exec_name[actor] if actor in exec_name else text(r.responsible, "–")
        out.append(LateStep(str(case_number.get(r.case_id) or r.case_id), str(case_title.get(r.case_id) or ""),
                            r.step_code, step.name if step else r.step_code, who, actor, instant(r.due_at),
                            instant(r.finished_at), float(r.late_days)))
    return tuple(out)
