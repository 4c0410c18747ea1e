"""The yearly evaluation's figures from the stored records (DataFrames as the stores read them: see
``domain.evaluation.inputs``), as the report data of ``domain.evaluation.report``. How they are
counted is written at the top of ``domain/evaluation/__init__.py`` and printed in the PDF."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from domain import catalogue as cat
from domain import case_params, timing
from domain.calendar import JAKARTA, WorkCalendar
from domain.evaluation.conclusions import check_year
from domain.evaluation.inputs import empty_frame
from domain.evaluation.report import (
    EXTERNAL, LATE_LIST_LIMIT, COMPLAINT_LIST_LIMIT, EXECUTOR_LATE_LIMIT, LATENESS_BUCKETS, ROLE_ORDER,
    BureauFigures, ComplaintOutcome, Conclusions, Evaluation, ExecutorEvaluation, ExecutorInfo, Figures, LateStep,
    MonthPoint, RoleEvaluation, Signatory, StageFigures,
)
from domain.models import CANCELLED, DONE, RUNNING, SKIPPED
from domain.worktime import WorkClock, clock_for


def available_years(frames: dict[str, pd.DataFrame], now: dt.datetime) -> list[int]:
    """Years that have records, newest first; the current year is always offered."""
    years = {now.astimezone(JAKARTA).year}
    for table, col in (("step_events", "started_at"), ("cases", "started_at"), ("complaints", "created_at")):
        df = frames.get(table)
        if df is not None and len(df):
            s = df[col].dropna()
            if len(s):
                first = s.min().tz_convert(JAKARTA).year
                years.update(range(first, now.astimezone(JAKARTA).year + 1))
    return sorted(years, reverse=True)



# ---- the computation ---------------------------------------------------------------------------

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


@lru_cache(maxsize=512)
def _planned(params: cat.CaseParams, mpd: int) -> int:
    return cat.planned_minutes(params, mpd)


_STEP_INFO = {s.code: (s.stage, s.name, s.responsible) for s in cat.STEPS}


def _bounds(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return (pd.Timestamp(dt.datetime(year, 1, 1, tzinfo=JAKARTA)).tz_convert("UTC"),
            pd.Timestamp(dt.datetime(year + 1, 1, 1, tzinfo=JAKARTA)).tz_convert("UTC"))


def _in(s: pd.Series, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.Series:
    return s.notna() & (s >= lo) & (s < hi)


def _none(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _median(values) -> float | None:
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    return float(np.median(arr)) if len(arr) else None


def _max(values) -> float | None:
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    return float(arr.max()) if len(arr) else None


def _str(value, default: str = "") -> str:
    """Text of a stored value; missing (None or NaN from a pandas string column) gives ``default``."""
    return value if isinstance(value, str) and value else default


def _ts(value) -> dt.datetime | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).to_pydatetime()


@dataclass
class _Data:
    ev: pd.DataFrame
    executors: pd.DataFrame
    cases: pd.DataFrame
    holds: pd.DataFrame
    complaints: pd.DataFrame
    actions: pd.DataFrame
    units: dict[str, str]
    exec_name: dict[str, str]
    exec_role: dict[str, str]
    clock: WorkClock
    calendar: WorkCalendar
    params: dict[str, cat.CaseParams] = field(default_factory=dict)
    case_number: dict[str, str] = field(default_factory=dict)
    case_title: dict[str, str] = field(default_factory=dict)
    case_stages: pd.DataFrame | None = None  # see _case_stages; the same for every year


def _prepare(frames: dict[str, pd.DataFrame], calendar: WorkCalendar) -> _Data:
    def get(t):
        df = frames.get(t)
        if df is None or not len(df.columns):
            return empty_frame(t)  # a table not read: the same empty columns as a store's read
        return df

    executors = get("executors")
    exec_name = dict(zip(executors["id"], executors["name"], strict=True))
    exec_role = dict(zip(executors["id"], executors["role"], strict=True))
    # A selection, not a copy: with pandas' copy-on-write the columns added below never reach the
    # caller's frame, and the 600,000 rows of a large store are not held twice.
    events = get("step_events")
    if "party" not in events.columns:
        events = events.assign(party=None)
    ev = events[["case_id", "step_code", "status", "started_at", "finished_at", "actor_id", "party"]]
    for col in ("case_id", "step_code", "actor_id"):  # DuckDB reads give categoricals; other stores strings
        if not isinstance(ev[col].dtype, pd.CategoricalDtype):
            ev[col] = ev[col].astype("category")
    # Everything that depends on the step (and on who did it) is looked up once per category and
    # spread to the rows by the categorical codes: no Python loop over the rows.
    steps = list(ev["step_code"].cat.categories)
    info = [_STEP_INFO.get(c, (_stage_of(c), c, None)) for c in steps] + [(0, "", None)]
    sc = ev["step_code"].cat.codes.to_numpy().astype(np.int64)
    sc[sc < 0] = len(steps)
    ev["stage"] = np.array([i[0] for i in info], dtype=np.int16)[sc]  # a small number: 2 bytes a row
    # Whom a step counts against: its recorded party where the seed allows another, else its own.
    parties = list(cat.PARTIES)
    party_of = {p: n for n, p in enumerate(parties)}
    default = np.array([party_of.get(i[2], -1) for i in info], dtype=np.int64)
    party = default[sc]
    recorded = ev["party"].notna().to_numpy()
    for row in np.flatnonzero(recorded):  # few: only steps the seed lets another party do
        step = cat.STEP_BY_CODE.get(steps[sc[row]]) if sc[row] < len(steps) else None
        if step is not None:
            party[row] = party_of.get(step.party(ev["party"].iat[row]), party[row])
    ev["party_of"] = pd.Categorical.from_codes(party, categories=parties)
    ev["external"] = np.isin(party, [party_of[p] for p in cat.EXTERNAL_PARTIES])
    cases = get("cases")
    accounts = get("accounts")
    user_exec = {u: e for u, e in zip(accounts["username"], accounts["executor_id"], strict=True)
                 if isinstance(e, str) and e}
    actions = get("complaint_actions")[["complaint_id", "created_at", "created_by"]].copy()
    actions["executor_id"] = actions["created_by"].map(user_exec)
    units = get("units")
    data = _Data(ev, executors, cases, get("holds"), get("complaints"), actions,
                 dict(zip(units["id"], units["name"], strict=True)), exec_name, exec_role,
                 clock_for(calendar, ev["started_at"], ev["finished_at"], cases["started_at"],
                           cases["finished_at"]), calendar)
    pid, distinct, _ = case_params.of_cases(cases)  # blank or unknown values take the defaults
    values = [cases[c].astype(object).tolist() for c in ("id", "number", "title")]
    for cid, number, title, p in zip(*values, pid, strict=True):
        data.params[cid] = distinct[p]
        data.case_number[cid] = _str(number, cid)
        data.case_title[cid] = _str(title)
    data.case_stages = _with_plan(_case_stages(ev), data.params, data.clock.mpd)
    return data


def _with_plan(stages: pd.DataFrame, params: dict[str, cat.CaseParams], mpd: int) -> pd.DataFrame:
    """``_case_stages`` with each case stage's planned steps (``expected_n``) and planned working
    minutes (``standard``) from its case's plan; 0 and 0 where the case has no plan. Looked up
    in a table of the few distinct plans, not case by case."""
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


def _stage_of(code) -> int:
    try:
        return int(str(code).split(".")[0])
    except ValueError:
        return 0


def _hold_minutes(data: _Data, case_ids: pd.Series, starts: pd.Series, ends: pd.Series,
                  as_of: pd.Timestamp) -> np.ndarray:
    """Working minutes of holds inside each (case, start, end) span."""
    out = np.zeros(len(case_ids))
    holds = data.holds
    if not len(holds) or not len(case_ids):
        return out
    held = case_ids.isin(set(holds["case_id"])).to_numpy()
    rows: dict[str, list[int]] = {}
    for i in np.flatnonzero(held):
        rows.setdefault(case_ids.iloc[i], []).append(int(i))
    cal = data.calendar
    for h in holds.itertuples(index=False):
        if h.case_id not in rows or pd.isna(h.start_at):
            continue
        hs = pd.Timestamp(h.start_at)
        he = pd.Timestamp(h.end_at) if pd.notna(h.end_at) else as_of
        for i in rows[h.case_id]:
            lo, hi = max(hs, starts.iloc[i]), min(he, ends.iloc[i])
            if hi > lo:
                out[i] += cal.working_minutes(lo.to_pydatetime(), hi.to_pydatetime())
    return out


@dataclass
class _Year:
    executors: dict[str, Figures]
    roles: dict[str, Figures]
    bureau: BureauFigures
    has_data: bool
    months: list[MonthPoint]
    late: pd.DataFrame  # every late step: finished late in the year, or open overdue at the cut-off
    stages: list[StageFigures]
    complaints: pd.DataFrame  # received in the year
    buckets: list[tuple[str, int]]


def _year(data: _Data, year: int, now: pd.Timestamp, complaint_days: int, *, detail: bool) -> _Year:
    lo, hi = _bounds(year)
    as_of = min(hi, now)
    clock, mpd = data.clock, data.clock.mpd
    ev = data.ev

    # Steps done in the year (what each executor and party handled), and the steps and blocks the
    # timing rule judges: finished in the year, or overdue at the cut-off.
    done = ev.loc[(ev["status"] == DONE) & _in(ev["finished_at"], lo, hi), ["actor_id", "party_of", "external",
                                                                            "stage", "finished_at"]]
    items = timing.judge(ev, data.cases, data.holds, as_of, data.calendar, clock)
    fin = items.loc[items["state"].isin([timing.ON_TIME, timing.LATE]) & _in(items["finish"], lo, hi)]
    opn = items.loc[items["state"] == timing.OVERDUE]
    fin_late = fin["late"].to_numpy(dtype=bool)
    late_d = np.concatenate([fin["late_minutes"].to_numpy(dtype=float)[fin_late],
                             opn["late_minutes"].to_numpy(dtype=float)]) / mpd

    def codes(*keys: pd.Series) -> tuple[list[np.ndarray], pd.Index]:
        """The keys' integer codes over their union of values (-1: missing, left out)."""
        values, index = pd.factorize(pd.concat([k.astype(object) for k in keys], ignore_index=True))
        out, at = [], 0
        for k in keys:
            out.append(values[at:at + len(k)])
            at += len(k)
        return out, index

    def step_parts(kd: pd.Series, kf: pd.Series, ko: pd.Series) -> dict[Any, dict]:
        """Step figures by the key of each step done (``kd``), judged item finished (``kf``) and
        item overdue (``ko``); NaN: left out. Counted with integer codes (bincount, one sort for
        the medians): a pandas groupby per figure cost several times as much on a year's 300,000
        steps."""
        (cd, cf, co), keys = codes(kd, kf, ko)
        n = len(keys)
        parts: dict[Any, dict] = {}
        if not n:
            return parts
        handled = np.bincount(cd[cd >= 0], minlength=n)
        judged_n = np.bincount(cf[cf >= 0], minlength=n)
        late = np.bincount(cf[cf >= 0], weights=fin_late[cf >= 0], minlength=n).astype(np.int64)
        overdue = np.bincount(co[co >= 0], minlength=n)
        for i in np.flatnonzero(handled + judged_n + overdue):
            parts.setdefault(keys[i], {}).update(steps_handled=int(handled[i]), steps_with_standard=int(judged_n[i]),
                                                 late_finished=int(late[i]), on_time=int(judged_n[i] - late[i]),
                                                 open_overdue=int(overdue[i]))
        # Median and worst lateness over each key's late finished and overdue items.
        lc = np.concatenate([cf[fin_late], co])
        keep = (lc >= 0) & ~np.isnan(late_d)
        lc, ld = lc[keep], late_d[keep]
        order = np.lexsort((ld, lc))
        lc, ld = lc[order], ld[order]
        bounds = np.r_[_run_starts(lc), len(lc)]
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            group = ld[a:b]
            parts.setdefault(keys[lc[a]], {}).update(median_late_days=float(np.median(group)),
                                                     worst_late_days=float(group[-1]))
        return parts

    # Cases and documents completed in the year.
    cases = data.cases
    done_cases = cases[(cases["status"] != CANCELLED) & _in(cases["finished_at"], lo, hi)]
    docs = done_cases.set_index("id")["drafts"].fillna(1).astype(int).clip(lower=1)
    involved = ev.loc[ev["actor_id"].notna() & ~ev["external"] & (ev["status"] != SKIPPED)
                      & ev["case_id"].isin(docs.index), ["actor_id", "case_id"]]
    involved = involved.drop_duplicates()
    involved["role"] = involved["actor_id"].map(data.exec_role)
    case_parts: dict[str, dict[Any, dict]] = {"actor_id": {}, "role": {}}
    for key in ("actor_id", "role"):
        pairs = involved[[key, "case_id"]].dropna().drop_duplicates()
        pairs = pairs.assign(docs=pairs["case_id"].map(docs))
        for k, g in pairs.groupby(key, observed=True):
            case_parts[key][k] = {"cases_completed": int(len(g)), "documents_completed": int(g["docs"].sum())}

    # Complaints.
    cp = data.complaints
    delegated_on = cp["delegated_at"].where(cp["delegated_at"].notna(), cp["created_at"])
    resolved_at = cp["answered_at"].where(cp["answered_at"].notna(), cp["closed_at"])
    resolved_by_cutoff = resolved_at.notna() & (resolved_at <= as_of)
    deleg = cp[cp["delegated_to"].notna() & _in(delegated_on, lo, hi)].copy()
    deleg["role"] = deleg["delegated_to"].map(data.exec_role)
    deleg["resolved"] = resolved_by_cutoff[deleg.index]
    deleg["days"] = np.where(deleg["resolved"], clock.days(delegated_on[deleg.index], resolved_at[deleg.index]),
                             np.nan)
    acts = data.actions[_in(data.actions["created_at"], lo, hi)].copy()
    acts["role"] = acts["executor_id"].map(data.exec_role)
    comp_parts: dict[str, dict[Any, dict]] = {"actor_id": {}, "role": {}}
    for key, dkey, akey in (("actor_id", "delegated_to", "executor_id"), ("role", "role", "role")):
        out = comp_parts[key]
        for k, g in deleg.groupby(dkey, observed=True):
            out.setdefault(k, {}).update(complaints_delegated=int(len(g)), complaints_resolved=int(g["resolved"].sum()),
                                         median_resolution_days=_median(g["days"]),
                                         worst_resolution_days=_max(g["days"]))
        handled = acts[[akey, "complaint_id"]].dropna().drop_duplicates()
        for k, n in handled.groupby(akey, observed=True).size().items():
            out.setdefault(k, {})["complaints_handled"] = int(n)

    def figures(*parts: dict) -> Figures:
        merged: dict = {}
        for p in parts:
            merged.update(p)
        return Figures(**merged)

    # Outside parties' steps are theirs, never an executor's.
    exec_steps = step_parts(done["actor_id"].where(~done["external"]), fin["executor_id"], opn["executor_id"])
    executors = {}
    for eid in set(exec_steps) | set(case_parts["actor_id"]) | set(comp_parts["actor_id"]) | set(data.exec_name):
        executors[eid] = figures(exec_steps.get(eid, {}), case_parts["actor_id"].get(eid, {}),
                                 comp_parts["actor_id"].get(eid, {}))
    # Parties: the Bureau's roles and the drafting team (their rows add up to the Bureau's steps),
    # and the outside parties together (by name in ``outside``).
    def role_key(party: pd.Series, external: pd.Series) -> pd.Series:
        return party.astype(object).where(~external.to_numpy(dtype=bool), EXTERNAL)

    role_steps = step_parts(role_key(done["party_of"], done["external"]), role_key(fin["party"], fin["external"]),
                            role_key(opn["party"], opn["external"]))
    roles = {r: figures(role_steps.get(r, {}), case_parts["role"].get(r, {}), comp_parts["role"].get(r, {}))
             for r in (*ROLE_ORDER, cat.TIM, EXTERNAL)}

    # The Bureau: its own steps, every complaint.
    def ours(frame: pd.DataFrame) -> pd.Series:
        return pd.Series(np.where(frame["external"].to_numpy(dtype=bool), np.nan, 0.0), index=frame.index)

    bureau_steps = step_parts(ours(done), ours(fin), ours(opn)).get(0.0, {})
    received = cp[_in(cp["created_at"], lo, hi)]
    resolved_year = _in(resolved_at, lo, hi) & resolved_by_cutoff
    res = cp[resolved_year]
    res_days = clock.days(res["created_at"], resolved_at[res.index]) if len(res) else np.array([])
    handled_all = acts["complaint_id"].dropna().nunique()
    open_at_cutoff = cp["created_at"].notna() & (cp["created_at"] < as_of) & ~resolved_by_cutoff
    bureau_fig = Figures(**bureau_steps, cases_completed=int(len(docs)), documents_completed=int(docs.sum()),
                         complaints_delegated=int(len(deleg)), complaints_handled=int(handled_all),
                         complaints_resolved=int(len(res)), median_resolution_days=_median(res_days),
                         worst_resolution_days=_max(res_days))
    ext = fin[fin["external"].to_numpy(dtype=bool)]
    started = cases[(cases["status"] != CANCELLED) & _in(cases["started_at"], lo, hi)]
    active = cases[(cases["status"] != CANCELLED) & cases["started_at"].notna() & (cases["started_at"] < as_of)
                   & (cases["finished_at"].isna() | (cases["finished_at"] > as_of))]
    case_days, case_std = np.array([]), np.array([])
    if len(done_cases):
        spans = clock.minutes(done_cases["started_at"], done_cases["finished_at"])
        spans = spans - _hold_minutes(data, done_cases["id"], done_cases["started_at"], done_cases["finished_at"],
                                      as_of)
        case_days = spans / mpd
        case_std = np.array([_planned(data.params[c], mpd) / mpd if c in data.params else np.nan
                             for c in done_cases["id"]])
    ext_std = ext
    bureau = BureauFigures(
        bureau_fig, external_steps=int(len(ext)), external_with_standard=int(len(ext_std)),
        external_on_time=int((~ext_std["late"]).sum()), cases_started=int(len(started)), cases_active=int(len(active)),
        median_case_days=_median(case_days), median_case_standard_days=_median(case_std),
        cases_within_plan=int(np.nansum(case_days <= case_std + 1e-9)) if len(case_days) else 0,
        complaints_received=int(len(received)), complaints_open=int(open_at_cutoff.sum()),
        complaints_within_standard=int((res_days <= complaint_days + 1e-9).sum()) if len(res) else 0)
    has_data = bool(len(done) or len(fin) or len(opn) or len(done_cases) or len(received) or len(res) or len(acts))

    # Month by month: on-time share of the Bureau's own finished steps.
    counted = ~fin["external"].to_numpy(dtype=bool)
    months = []
    if counted.any():
        month = fin["finish"].dt.tz_convert(JAKARTA).dt.month.to_numpy()[counted]
        on_time = ~fin["late"].to_numpy()[counted]
        for m in range(1, 13):
            in_month = month == m
            if in_month.any():
                months.append(MonthPoint(year, m, int(in_month.sum()), int(on_time[in_month].sum())))

    stages: list[StageFigures] = []
    buckets: list[tuple[str, int]] = []
    late = pd.DataFrame()
    if detail:
        cols = ["case_id", "item", "executor_id", "party", "due", "late_minutes", "external"]
        late = pd.concat([fin.loc[fin["late"], cols + ["finish"]],
                          opn[cols].assign(finish=pd.Series(pd.NaT, index=opn.index, dtype=fin["finish"].dtype))])
        late = late.rename(columns={"item": "step_code", "executor_id": "actor_id", "party": "responsible",
                                    "due": "due_at", "finish": "finished_at"})
        late["late_days"] = late.pop("late_minutes") / mpd
        late = late.sort_values("late_days", ascending=False, kind="stable")
        stages = _stages(data, done, fin, lo, hi, as_of)
        internal_late = late[~late["external"].astype(bool)]["late_days"].to_numpy(dtype=float)
        buckets = [(label, int(((internal_late >= a) & (internal_late < b)).sum())) for a, b, label in LATENESS_BUCKETS]
    return _Year(executors, roles, bureau, has_data, months, late, stages, received, buckets)


def _run_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Where each run of equal keys begins in a sorted array (the groups of a sort-based group-by)."""
    if not len(sorted_keys):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])


_STAGE_SLOTS = 1024  # case-stage key = case code * _STAGE_SLOTS + stage; stages are small numbers


def _case_stages(rows: pd.DataFrame) -> pd.DataFrame:
    """Per case and stage: steps, steps running, first start, last finish (NaT where none).

    Grouped with one sort of an integer key rather than a two-key pandas groupby, which for the
    600,000 events of a large store held several times their size in temporaries."""
    case = rows["case_id"].cat.codes.to_numpy().astype(np.int64)
    stage = rows["stage"].to_numpy().astype(np.int64)
    key = case * _STAGE_SLOTS + stage
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = _run_starts(key)
    nat, top = np.iinfo(np.int64).min, np.iinfo(np.int64).max  # NaT as an integer is the least value

    def reduce(col: str, ufunc) -> pd.Series:
        times = pd.DatetimeIndex(rows[col])
        values = times.asi8[order]
        if ufunc is np.minimum:  # a minimum must skip NaT: make it the greatest value meanwhile
            values = np.where(values == nat, top, values)
        out = ufunc.reduceat(values, starts) if len(starts) else values[:0]
        out[out == top] = nat
        return pd.Series(pd.DatetimeIndex(out.view(f"M8[{times.unit}]")).tz_localize("UTC"))

    running = (rows["status"] == RUNNING).to_numpy()[order].astype(np.int64)
    group_key = key[starts]
    return pd.DataFrame({
        "case_id": rows["case_id"].cat.categories.take(group_key // _STAGE_SLOTS).astype(object),
        "stage": group_key % _STAGE_SLOTS,
        "n": np.diff(np.r_[starts, len(key)]),
        "running": np.add.reduceat(running, starts) if len(starts) else running[:0],
        "first": reduce("started_at", np.minimum),
        "last": reduce("finished_at", np.maximum),
    })


def _stages(data: _Data, done: pd.DataFrame, fin: pd.DataFrame, lo, hi, as_of) -> list[StageFigures]:
    clock, mpd = data.clock, data.clock.mpd
    # Per stage: steps done in the year, and judged steps and blocks finished in it (on time).
    done_n = done["stage"].value_counts().to_dict() if len(done) else {}
    judged_n = fin["stage"].value_counts().to_dict() if len(fin) else {}
    on_time_n = fin.loc[~fin["late"], "stage"].value_counts().to_dict() if len(fin) else {}
    by_stage = {int(s): (int(done_n.get(s, 0)), int(judged_n.get(s, 0)), int(on_time_n.get(s, 0)))
                for s in set(done_n) | set(judged_n)}
    # Case stages completed in the year: a case's stage counts in the year in which its last step
    # finished, if none of its steps is still running.
    agg = data.case_stages
    agg = agg[(agg["running"] == 0) & _in(agg["last"], lo, hi) & agg["first"].notna() & (agg["expected_n"] > 0)
              & (agg["n"] >= agg["expected_n"])]
    stage_of = agg["stage"].to_numpy()
    standard = agg["standard"].to_numpy()
    actual = np.zeros(0)
    if len(agg):
        actual = clock.minutes(agg["first"], agg["last"])
        actual -= _hold_minutes(data, agg["case_id"], agg["first"], agg["last"], as_of)
    out = []
    for stage, name in cat.STAGES.items():
        n, n_std, on_time = by_stage.get(stage, (0, 0, 0))
        mine = stage_of == stage
        days = actual[mine] / mpd
        planned = standard[mine]
        with_standard = planned != 0  # a stage the standard gives no time for has no standard days
        std_days = planned[with_standard] / mpd
        out.append(StageFigures(
            stage, name, n, n_std, on_time, int(mine.sum()),
            float(np.mean(std_days)) if len(std_days) else None, float(np.mean(days)) if len(days) else None,
            _median(days), int((days[with_standard] <= std_days + 1e-9).sum())))
    return out


def _late_steps(data: _Data, late: pd.DataFrame, limit: int) -> tuple[LateStep, ...]:
    top = late.head(limit)
    out = []
    for r in top.itertuples(index=False):
        number = data.case_number.get(r.case_id, r.case_id)
        title = data.case_title.get(r.case_id, "")
        step = cat.ITEMS.get(r.step_code) or cat.STEP_BY_CODE.get(r.step_code)
        if isinstance(r.actor_id, str) and r.actor_id in data.exec_name:
            who = data.exec_name[r.actor_id]
        else:
            who = _str(r.responsible, "–")
        out.append(LateStep(str(number or r.case_id), str(title or ""), r.step_code, step.name if step else r.step_code,
                            who, r.actor_id if isinstance(r.actor_id, str) else None, _ts(r.due_at),
                            _ts(r.finished_at), float(r.late_days)))
    return tuple(out)


def _complaints(data: _Data, received: pd.DataFrame, complaint_days: int, limit: int
                ) -> tuple[ComplaintOutcome, ...]:
    out = []
    if not len(received):
        return ()
    rec = received.sort_values("created_at", kind="stable").head(limit)
    resolved_at = rec["answered_at"].where(rec["answered_at"].notna(), rec["closed_at"])
    days = data.clock.days(rec["created_at"], resolved_at)
    for r, res, d in zip(rec.itertuples(index=False), resolved_at, days, strict=True):
        outcome = _str(r.answer) or _str(r.resolution)
        d = None if pd.isna(d) else float(d)
        out.append(ComplaintOutcome(
            _str(r.receipt_no, _str(r.id)), _str(r.kind), data.units.get(r.unit_id, _str(r.unit_id, "–")),
            _str(r.subject), _ts(r.created_at), _str(r.status),
            data.exec_name.get(r.delegated_to, r.delegated_to) if isinstance(r.delegated_to, str) else None,
            _ts(res), d, None if d is None else d <= complaint_days + 1e-9, str(outcome)))
    return tuple(out)


def evaluate(frames: dict[str, pd.DataFrame], year: int, calendar: WorkCalendar, *, now: dt.datetime,
             conclusions: Conclusions | None = None, complaint_standard_days: int = 5,
             late_limit: int = LATE_LIST_LIMIT, complaint_limit: int = COMPLAINT_LIST_LIMIT) -> Evaluation:
    """The year's evaluation from the stored records (``load_frames``)."""
    year = check_year(year)
    data = _prepare(frames, calendar)
    now_ts = pd.Timestamp(now).tz_convert("UTC")
    this = _year(data, year, now_ts, complaint_standard_days, detail=True)
    prev = _year(data, year - 1, now_ts, complaint_standard_days, detail=False)
    previous_has_data = prev.has_data

    ex = data.executors
    infos = []
    for r in ex.itertuples(index=False):
        fig = this.executors.get(r.id, Figures())
        if not (bool(r.active) if pd.notna(r.active) else True) and not fig.has_data:
            continue  # a former executor with nothing in this year
        infos.append(ExecutorInfo(r.id, _str(r.name, r.id), _str(r.nip) or None, _str(r.role),
                                  bool(r.active) if pd.notna(r.active) else True))
    rank = {role: i for i, role in enumerate(ROLE_ORDER)}
    infos.sort(key=lambda i: (rank.get(i.role, len(rank)), i.name.casefold(), i.id))
    executors = []
    own = this.late[~this.late["external"].astype(bool) & this.late["actor_id"].notna()] if len(this.late) else None
    late_count = own["actor_id"].value_counts().to_dict() if own is not None else {}
    # Each executor's longest late steps (``late`` is sorted longest first): the first rows per executor.
    worst = {k: g for k, g in own.groupby("actor_id", observed=True).head(EXECUTOR_LATE_LIMIT)
             .groupby("actor_id", observed=True)} if own is not None else {}
    for info in infos:
        mine = worst.get(info.id)
        executors.append(ExecutorEvaluation(
            info, this.executors.get(info.id, Figures()),
            prev.executors.get(info.id, Figures()) if previous_has_data else None,
            _late_steps(data, mine, EXECUTOR_LATE_LIMIT) if mine is not None else (),
            int(late_count.get(info.id, 0))))
    role_counts = pd.Series([i.role for i in infos]).value_counts().to_dict() if infos else {}
    roles = tuple(RoleEvaluation(role, int(role_counts.get(role, 0)), this.roles[role],
                                 prev.roles[role] if previous_has_data else None)
                  for role in (*ROLE_ORDER, cat.TIM, EXTERNAL))
    karo = next((i for i in infos if i.role == cat.KARO and i.active), None)
    months = tuple(this.months) + (tuple(prev.months) if previous_has_data else ())
    return Evaluation(
        year=year, as_of=min(_bounds(year)[1], now_ts).to_pydatetime(), generated_at=now, has_data=this.has_data,
        previous_has_data=previous_has_data, executors=tuple(executors), roles=roles, bureau=this.bureau,
        previous_bureau=prev.bureau if previous_has_data else None, stages=tuple(this.stages),
        late_steps=_late_steps(data, this.late, late_limit), late_steps_total=int(len(this.late)),
        complaints=_complaints(data, this.complaints, complaint_standard_days, complaint_limit),
        complaints_total=int(len(this.complaints)), months=months, lateness_buckets=tuple(this.buckets),
        conclusions=conclusions or Conclusions(year), karo=Signatory(karo.name, karo.nip) if karo else None,
        complaint_standard_days=complaint_standard_days)
