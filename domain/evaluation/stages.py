"""Standard and actual time per stage of the procedure.

A case's stage counts in the year in which its last step finished, once every step the case's plan
has in it is done or skipped and none is running. Its actual time is the working time from the
stage's first start to its last finish, less holds and less the working time of its steps the seed
gives no time (7, 8.a, 9.b: the Minister's signature, Biro Tata Usaha's numbering, Biro Umum's
printing), which is shown on its own; its standard time is the stage's span in the case's plan
(block slack included). So a stage is compared with its standard on what the standard times.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from domain import catalogue as cat
from domain.evaluation.counting import hold_minutes, median, run_starts, within
from domain.evaluation.report import StageFigures
from domain.models import RUNNING
from domain.worktime import WorkClock

UNTIMED = tuple(s.code for s in cat.STEPS if s.std is None and s.block is None)  # 7, 8.a, 9.b
_SLOTS = 1024  # case-stage key = case code * _SLOTS + stage; stages are small numbers


@lru_cache(maxsize=512)
def _stage_plan(params: cat.CaseParams, mpd: int) -> dict[int, tuple[int, int]]:
    """stage -> (number of steps, planned working minutes of the stage, block slack included)."""
    plan = cat.plan(params, mpd)
    firsts: dict[int, int] = {}
    counts: dict[int, int] = {}
    for p in plan.steps:
        firsts.setdefault(p.step.stage, p.offset)
        counts[p.step.stage] = counts.get(p.step.stage, 0) + 1
    order = sorted(firsts)
    out = {}
    for i, stage in enumerate(order):
        end = firsts[order[i + 1]] if i + 1 < len(order) else plan.total
        out[stage] = (counts[stage], end - firsts[stage])
    return out


def case_stages(ev: pd.DataFrame, params: dict[str, cat.CaseParams], mpd: int) -> pd.DataFrame:
    """Per case and stage: steps, steps running, first start, last finish (NaT where none), and the
    stage's planned steps (``expected_n``) and working minutes (``standard``) from its case's plan.

    Grouped with one sort of an integer key rather than a two-key pandas groupby, which for the
    745,000 events of a large store held several times their size in temporaries."""
    case = ev["case_id"].cat.codes.to_numpy()
    key = case.astype(np.int32) * _SLOTS + ev["stage"].to_numpy().astype(np.int32)
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = run_starts(key)
    nat, top = np.iinfo(np.int64).min, np.iinfo(np.int64).max  # NaT as an integer is the least value

    def reduce(col: str, ufunc) -> pd.Series:
        times = ev[col].array
        values = times.asi8[order]
        if ufunc is np.minimum:  # a minimum must skip NaT: make it the greatest value meanwhile
            values[values == nat] = top
        out = ufunc.reduceat(values, starts) if len(starts) else values[:0]
        out[out == top] = nat
        return pd.Series(out.view(f"M8[{times.unit}]")).dt.tz_localize("UTC")

    running = (ev["status"] == RUNNING).to_numpy()[order]
    group_key = key[starts]
    frame = pd.DataFrame({
        "case_id": ev["case_id"].cat.categories.take(group_key // _SLOTS).astype(object),
        "stage": group_key % _SLOTS,
        "n": np.diff(np.r_[starts, len(key)]),
        "running": np.add.reduceat(running.astype(np.int32), starts) if len(starts) else running[:0],
        "first": reduce("started_at", np.minimum),
        "last": reduce("finished_at", np.maximum),
    })
    return _with_plan(frame, params, mpd)


def _with_plan(stages: pd.DataFrame, params: dict[str, cat.CaseParams], mpd: int) -> pd.DataFrame:
    """Each case stage's planned steps and minutes, looked up in a table of the few distinct plans."""
    index: dict[cat.CaseParams, int] = {}
    of_case = {cid: index.setdefault(p, len(index)) for cid, p in params.items()}
    width = int(stages["stage"].max()) + 1 if len(stages) else 1
    steps = np.zeros((len(index) + 1, width), dtype=np.int64)  # the last row: cases without a plan
    minutes = np.zeros((len(index) + 1, width), dtype=np.int64)
    for p, i in index.items():
        for stage, (n, span) in _stage_plan(p, mpd).items():
            if 0 <= stage < width:
                steps[i, stage], minutes[i, stage] = n, span
    row = stages["case_id"].map(of_case).fillna(len(index)).to_numpy().astype(np.int64)
    col = stages["stage"].to_numpy()
    return stages.assign(expected_n=steps[row, col], standard=minutes[row, col])


def stage_figures(ev: pd.DataFrame, stages: pd.DataFrame, cases: pd.DataFrame, holds: pd.DataFrame,
                  clock: WorkClock, done: pd.DataFrame, fin: pd.DataFrame, lo, hi, as_of) -> list[StageFigures]:
    mpd = clock.mpd
    # Per stage: steps done in the year, and judged steps and blocks finished in it (on time).
    done_n = done["stage"].value_counts().to_dict() if len(done) else {}
    judged_n = fin["stage"].value_counts().to_dict() if len(fin) else {}
    on_time_n = fin.loc[~fin["late"], "stage"].value_counts().to_dict() if len(fin) else {}
    agg = stages[(stages["running"] == 0) & within(stages["last"], lo, hi) & stages["first"].notna()
                 & (stages["expected_n"] > 0) & (stages["n"] >= stages["expected_n"])]
    stage_of = agg["stage"].to_numpy()
    standard = agg["standard"].to_numpy()
    actual = np.zeros(0)
    untimed = np.zeros(0)
    if len(agg):
        actual = clock.minutes(agg["first"], agg["last"])
        actual -= hold_minutes(clock, cases, holds, agg["case_id"], agg["first"], agg["last"], as_of)
        untimed = _untimed_minutes(ev, agg, cases, holds, clock, as_of)
        actual -= untimed
    out = []
    for stage, name in cat.STAGES.items():
        mine = stage_of == stage
        days = actual[mine] / mpd
        planned = standard[mine]
        with_standard = planned != 0  # a stage the standard gives no time for has no standard days
        std_days = planned[with_standard] / mpd
        spare = untimed[mine] / mpd
        has_untimed = any(cat.STEP_BY_CODE[c].stage == stage for c in UNTIMED)
        out.append(StageFigures(
            stage, name, int(done_n.get(stage, 0)), int(judged_n.get(stage, 0)), int(on_time_n.get(stage, 0)),
            int(mine.sum()), float(np.mean(std_days)) if len(std_days) else None,
            float(np.mean(days[with_standard])) if with_standard.any() else None,
            median(days[with_standard]), int((days[with_standard] <= std_days + 1e-9).sum()),
            float(np.mean(spare)) if has_untimed and len(spare) else None))
    return out


def _untimed_minutes(ev: pd.DataFrame, agg: pd.DataFrame, cases: pd.DataFrame, holds: pd.DataFrame,
                     clock: WorkClock, as_of) -> np.ndarray:
    """Per case stage of ``agg``: the working time of its steps without a standard time, less holds."""
    out = np.zeros(len(agg))
    rows = ev[ev["step_code"].isin(UNTIMED) & ev["finished_at"].notna()]
    if not len(rows):
        return out
    spent = clock.minutes(rows["started_at"], rows["finished_at"])
    spent -= hold_minutes(clock, cases, holds, rows["case_id"], rows["started_at"], rows["finished_at"], as_of)
    per = pd.Series(np.clip(spent, 0, None)).groupby(
        [rows["case_id"].astype(object).to_numpy(), rows["stage"].to_numpy()]).sum()
    keys = pd.MultiIndex.from_arrays([agg["case_id"].astype(object).to_numpy(), agg["stage"].to_numpy()])
    return per.reindex(keys).fillna(0.0).to_numpy(dtype=float)
