"""The one rule for time and lateness: what is judged, when it is due, whether it is late, by how
much working time, and against whom. The case list, the case detail, the dashboard (in pandas, and
in SQL where it is tested equal to this), the evaluation and the exports all take their lateness
from ``judge``.

The rule (the interpretations behind it are written at the top of ``domain/catalogue.py``):
- Judged are the steps the seed times itself and the blocks it times as a whole
  (``catalogue.judged_items`` for the case's parameters); steps without a time of their own inside
  a block, and steps the seed gives no time (7, 8.a, 9.b), carry no lateness of their own.
- An item starts when its first step starts and is finished when every one of its steps is done or
  skipped, at its last finish. At a cut-off (now, or the end of a year) a step not finished by then
  is still running; a step started after it does not count.
- Its working time is the working time from its start to its finish (or the cut-off), less the
  working time of the case's holds inside that span. It is late by the working time beyond its
  standard time; finished with no working time beyond (after office hours on the due day), it is
  on time. Its due instant is its start plus its standard time plus the holds so far.
- Not judged: an item whose every step was skipped, and an unfinished item of a cancelled case
  (its clock stopped with the case).
- It counts against its party: a step's recorded party where the seed allows another (a Deputi's
  signature, Kasubbag or staff), else the step's responsible party; a block's is the party of its
  step that took the longest working time (less holds; the earlier step on a tie). In the
  evaluation it counts for the executor who did that step, when the party is one of the Bureau's
  executor roles.
- A case is late at a cut-off when, open then, one of its items is overdue (running past its due
  instant), or when it finished after its planned finish (its start plus the plan's working time,
  plus its holds). Progress is the plan's working time before the case's current step (the first
  not done or skipped) over the plan's total: the same plan the forecast counts down.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from domain import case_params
from domain import catalogue as cat
from domain.calendar import WorkCalendar
from domain.models import CANCELLED, DONE, FINISHED, ON_HOLD, SKIPPED
from domain.worktime import WorkClock, clock_for

# States of a judged item. Judged: on time, late (finished), overdue (running past due).
ON_TIME, LATE, OVERDUE, RUNNING, SKIPPED_ITEM, NOT_JUDGED = "on_time", "late", "overdue", "running", "skipped", \
    "cancelled"
STATES = (ON_TIME, LATE, OVERDUE, RUNNING, SKIPPED_ITEM, NOT_JUDGED)  # judged first: a state's index < 3
JUDGED_STATES = (ON_TIME, LATE, OVERDUE)
LATE_STATES = (LATE, OVERDUE)
TOLERANCE = 1e-6  # working minutes: float noise, never a real delay

COLUMNS = ["case_id", "item", "kind", "stage", "order", "std_minutes", "start", "finish", "due", "used_minutes",
           "late_minutes", "late", "state", "party", "external", "executor_id", "finished", "judged"]


def _utc(value) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    if ts.tzinfo is None:
        raise ValueError("instants must carry a time zone")
    return ts.tz_convert("UTC")


@lru_cache(maxsize=512)
def items_of(params: cat.CaseParams, minutes_per_day: int) -> tuple[cat.Judged, ...]:
    return tuple(cat.judged_items(params, minutes_per_day).values())


def _times(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert("UTC")
    return pd.to_datetime(s, utc=True)


def _column(df: pd.DataFrame, col: str) -> pd.Series:
    return df[col] if col in df.columns else pd.Series([None] * len(df), index=df.index, dtype=object)


def _codes(values: pd.Series, lookup: dict, missing: int = -1, dtype=np.int64) -> np.ndarray:
    """Each value's number in ``lookup`` (``missing`` where absent), mapped once per distinct value."""
    cats = values if isinstance(values.dtype, pd.CategoricalDtype) else values.astype("category")
    table = np.array([lookup.get(c, missing) for c in cats.cat.categories] + [missing], dtype=dtype)
    codes = cats.cat.codes.to_numpy()
    return table[np.where(codes < 0, len(table) - 1, codes)]


NAT = np.iinfo(np.int64).min  # NaT as an integer of datetime64


def _us(s: pd.Series) -> np.ndarray:
    """UTC instants as integer microseconds (NAT where missing): a view of a column already stored
    so (the stores' reads), else a converted copy."""
    if not isinstance(s.dtype, pd.DatetimeTZDtype):
        s = pd.to_datetime(s, utc=True)
    if s.dt.unit != "us":
        s = s.dt.as_unit("us")
    return s.array.asi8


def _span(us: np.ndarray) -> tuple:
    """The earliest and latest of integer instants (none when all are missing), for ``clock_for``."""
    present = us[us != NAT]
    if not len(present):
        return ()
    return tuple(pd.Timestamp(int(v), unit="us", tz="UTC") for v in (present.min(), present.max()))


_CHUNK = 1 << 17  # rows per call of the clock, whose temporaries are several times their input


def _ordinals(clock: WorkClock, us: np.ndarray) -> np.ndarray:
    """``clock.ordinal`` of integer instants, a slice at a time (NaN where missing)."""
    out = np.empty(len(us))
    for a in range(0, len(us), _CHUNK):
        out[a:a + _CHUNK] = clock.ordinal(_utc_series(us[a:a + _CHUNK]))
    return out


def _instants(clock: WorkClock, ordinals: np.ndarray) -> pd.Series:
    """``clock.instant`` of ordinals, a slice at a time."""
    out = np.empty(len(ordinals), dtype=np.int64)
    for a in range(0, len(ordinals), _CHUNK):
        out[a:a + _CHUNK] = clock.instant(ordinals[a:a + _CHUNK]).array.asi8
    return _utc_series(out)


def _utc_series(us: np.ndarray) -> pd.Series:
    return pd.Series(us.view("datetime64[us]")).dt.tz_localize("UTC")


def _named(codes: np.ndarray, names) -> pd.Categorical:
    """A categorical of ``names[code]`` per row, its categories in order of first appearance (as
    a factorisation of the names would give), from the integer codes without a string per row."""
    names = np.asarray(list(names), dtype=object)
    number, distinct = pd.factorize(names)  # items of several plans share a code: one category each
    order, first = pd.factorize(number[codes])
    return pd.Categorical.from_codes(order, categories=pd.Index(distinct[first], dtype=object))


def _values_at(s: pd.Series, rows: np.ndarray) -> np.ndarray:
    """The values of a column at the given positions as Python objects, None where missing (a
    categorical column is read through its codes: no object copy of the whole column)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy()[rows]
        out = np.asarray(s.cat.categories, dtype=object).take(np.clip(codes, 0, None)) if len(s.cat.categories) \
            else np.full(len(rows), None, dtype=object)
        out[codes < 0] = None
        return out
    out = s.to_numpy(dtype=object)[rows]
    return np.where(pd.isna(out), None, out)


def _coded(values: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """(codes, categories) of an object array (None: code -1)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, pd.Index(uniques, dtype=object)


def _run_starts(sorted_keys: np.ndarray) -> np.ndarray:
    if not len(sorted_keys):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])


def hold_intervals(cases: pd.DataFrame, holds: pd.DataFrame | None, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Each case's holds up to the cut-off: (case_id, start, end). A case on hold whose open hold is
    not in ``holds`` (a row edited by hand) holds from its ``hold_since``."""
    parts = []
    if holds is not None and len(holds):
        h = pd.DataFrame({"case_id": holds["case_id"].astype(object), "start": _times(holds["start_at"]),
                          "end": _times(holds["end_at"])})
        h = h[h["start"].notna() & (h["start"] < cutoff)]
        h["end"] = h["end"].where(h["end"].notna() & (h["end"] < cutoff), cutoff)
        parts.append(h)
    since = _times(_column(cases, "hold_since"))
    held_now = (_column(cases, "status") == ON_HOLD) & since.notna() & (since < cutoff)
    if held_now.any():
        open_known = set(parts[0].loc[parts[0]["end"] >= cutoff, "case_id"]) if parts else set()
        extra = cases.loc[held_now & ~cases["id"].isin(open_known)]
        parts.append(pd.DataFrame({"case_id": extra["id"].astype(object), "start": since[extra.index],
                                   "end": cutoff}))
    if not parts:
        empty = pd.Series([], dtype="datetime64[us, UTC]")
        return pd.DataFrame({"case_id": pd.Series([], dtype=object), "start": empty, "end": empty})
    return pd.concat(parts, ignore_index=True)


def _held(case_of: np.ndarray, a: np.ndarray, b: np.ndarray, h_case: np.ndarray, h_a: np.ndarray,
          h_b: np.ndarray) -> np.ndarray:
    """Working minutes of the holds of each span's case inside the span [a, b] (ordinals)."""
    out = np.zeros(len(case_of))
    if not len(h_case) or not len(case_of):
        return out
    for c in np.unique(h_case):
        rows = np.flatnonzero(case_of == c)
        if not len(rows):
            continue
        for hs, he in zip(h_a[h_case == c], h_b[h_case == c], strict=True):
            out[rows] += np.clip(np.minimum(b[rows], he) - np.maximum(a[rows], hs), 0, None)
    return out


def judge(events: pd.DataFrame, cases: pd.DataFrame, holds: pd.DataFrame | None, cutoff,
          calendar: WorkCalendar, clock: WorkClock | None = None) -> pd.DataFrame:
    """Every judged item of the given cases at the cut-off: one row per (case, step or block) that
    has started by then, with the columns of ``COLUMNS``.

    ``events``: step events (case_id, step_code, status, started_at, finished_at, actor_id and,
    where recorded, party); ``cases``: id, status, hold_since and the plan parameters; ``holds``:
    case_id, start_at, end_at (or None)."""
    cut = _utc(cutoff)
    mpd = calendar.minutes_per_day
    if cases is None or not len(cases) or events is None or not len(events):
        return _empty()
    case_ids = cases["id"].astype(object).tolist()
    case_row = {cid: i for i, cid in enumerate(case_ids)}
    pid, params, _ = case_params.of_cases(cases)
    case_cancelled = (_column(cases, "status") == CANCELLED).to_numpy()

    # The judged items of every distinct parameter set, numbered globally; each step's own item and
    # its block's, as lookup tables by (parameter set, step).
    items: list[tuple[int, cat.Judged, int]] = []
    n_steps = len(cat.STEPS)
    own = np.full((len(params), n_steps + 1), -1, dtype=np.int32)
    blk = np.full((len(params), n_steps + 1), -1, dtype=np.int32)
    for p_i, p in enumerate(params):
        for order, j in enumerate(items_of(p, mpd)):
            g = len(items)
            items.append((p_i, j, order))
            table = own if j.kind == "step" else blk
            for code in j.members:
                table[p_i, cat.STEP_ORDER[code]] = g
    if not items:
        return _empty()

    # Column by column, without copying the events (a large store holds 700,000 or more of them),
    # in integers as narrow as they can be, each array let go once it is used: the working set of
    # a year's judgement stays a small multiple of the events themselves.
    cut_us = cut.value // 1000  # Timestamp.value is in nanoseconds
    started = _us(events["started_at"])
    keep = (started != NAT) & (started <= cut_us)
    kept = np.flatnonzero(keep) if not keep.all() else None

    def take(a: np.ndarray) -> np.ndarray:
        return a if kept is None else a[kept]

    started = take(started)
    crow = take(_codes(events["case_id"], case_row, dtype=np.int32))
    sidx = take(_codes(events["step_code"], cat.STEP_ORDER, missing=n_steps, dtype=np.int16))
    known = crow >= 0
    prow = pid[np.clip(crow, 0, None)]
    prow[~known] = 0
    g_own = own[prow, sidx]
    g_blk = blk[prow, sidx]
    g_own[~known] = -1
    g_blk[~known] = -1
    del prow, known

    fin_us = take(_us(_column(events, "finished_at"))).copy()  # written to below
    status = take(_codes(events["status"], {DONE: 1, SKIPPED: 2}, missing=0, dtype=np.int8))
    closed = (status > 0) & (fin_us != NAT) & (fin_us <= cut_us)
    skipped = status == 2
    del status
    fin_us[~closed] = NAT
    everything = clock or clock_for(calendar, *_span(started), *_span(fin_us), cut)
    s_ord = _ordinals(everything, started)
    del started
    cut_ord = everything.ordinal([cut])[0]
    f_ord = _ordinals(everything, fin_us)
    f_ord[~closed] = cut_ord

    h = hold_intervals(cases, holds, cut)
    h_case = _codes(h["case_id"], case_row) if len(h) else np.zeros(0, dtype=np.int64)
    h_ok = h_case >= 0
    h_case = h_case[h_ok]
    h_a = everything.ordinal(h["start"])[h_ok] if len(h) else np.zeros(0)
    h_b = everything.ordinal(h["end"])[h_ok] if len(h) else np.zeros(0)
    # Each step's own working time, less holds: what a block's attribution compares.
    row_used = f_ord - s_ord
    row_used -= _held(crow, s_ord, f_ord, h_case, h_a, h_b)

    # One row per (event, item it belongs to): a step timed on its own inside a judged block
    # belongs to both.
    take_own, take_blk = np.flatnonzero(g_own >= 0), np.flatnonzero(g_blk >= 0)
    r = np.concatenate([take_own, take_blk]).astype(np.int32)
    g = np.concatenate([g_own[take_own], g_blk[take_blk]])
    del take_own, take_blk, g_own, g_blk
    if not len(r):
        return _empty()
    key = crow[r].astype(np.int64) * len(items) + g
    order = np.lexsort((sidx[r], -row_used[r], key))  # by item; within it the longest step first
    del row_used
    key, r, g = key[order], r[order], g[order]
    del order
    starts = _run_starts(key)
    del key
    first_start = np.minimum.reduceat(s_ord[r], starts)
    last_end = np.maximum.reduceat(f_ord[r], starts)
    del s_ord, f_ord
    n_closed = np.add.reduceat(closed[r].astype(np.int32), starts)
    n_skipped = np.add.reduceat(skipped[r].astype(np.int32), starts)
    del closed, skipped
    n_rows = np.diff(np.r_[starts, len(r)])
    last_fin = np.maximum.reduceat(fin_us[r], starts)
    del fin_us
    top = r[starts]  # the item's longest step
    gi = g[starts]
    del r, g, starts
    item_case = crow[top]
    del crow
    # What every global item is, as arrays taken by the items' numbers.
    item_stage = np.array([j.stage for _, j, _ in items], dtype=np.int64)
    item_order = np.array([o for _, _, o in items], dtype=np.int64)
    n_members = np.array([len(j.members) for _, j, _ in items], dtype=np.int32)[gi]
    std = np.array([j.minutes for _, j, _ in items], dtype=float)[gi]
    finished = n_closed >= n_members
    del n_members
    end = np.where(finished, last_end, cut_ord)
    del last_end
    held = _held(item_case, first_start, end, h_case, h_a, h_b)
    used = end - first_start - held
    del end
    over = used - std
    late = over > TOLERANCE
    all_skipped = finished & (n_skipped >= n_rows)
    del n_skipped, n_rows
    cancelled = ~finished & case_cancelled[item_case]
    # The state as a small integer (an index of STATES), named once per distinct value below.
    state = np.where(finished, np.where(late, 1, 0), np.where(late, 2, 3)).astype(np.int8)
    state[cancelled] = 5
    state[all_skipped] = 4
    del cancelled, all_skipped
    judged = state <= 2
    late = late & judged

    # Whom each counts against: its longest step's party, the recorded one where the seed allows it.
    default = np.array([s.responsible for s in cat.STEPS] + [None], dtype=object)
    party = default[sidx[top]]
    recorded = _column(events, "party")
    recorded_rows = np.flatnonzero(take(recorded.notna().to_numpy()))
    if len(recorded_rows):
        values = take(recorded.to_numpy(dtype=object))
        at = {row: i for i, row in enumerate(top)}
        for row in recorded_rows:  # few: only steps the seed lets another party do
            i = at.get(row)
            if i is not None and sidx[row] < n_steps:
                party[i] = cat.STEPS[sidx[row]].party(values[row])
    del sidx
    actor = _values_at(_column(events, "actor_id"), top if kept is None else kept[top])
    executor = np.where(np.isin(party, cat.EXECUTOR_ROLES), actor, None)
    del actor, top

    last_fin[~finished] = NAT
    return pd.DataFrame({
        # Categoricals from integer codes: hundreds of thousands of rows without a string each.
        "case_id": pd.Categorical.from_codes(item_case, categories=pd.Index(case_ids, dtype=object)),
        "item": _named(gi, [j.code for _, j, _ in items]),
        "kind": _named(gi, [j.kind for _, j, _ in items]),
        "stage": item_stage[gi],
        "order": item_order[gi],
        "std_minutes": std,
        "start": _instants(everything, first_start),
        "finish": _utc_series(last_fin),
        "due": _instants(everything, first_start + std + held),
        "used_minutes": used,
        "late_minutes": np.where(late, over, 0.0),
        "late": late,
        "state": _named(state, STATES),
        "party": pd.Categorical.from_codes(*_coded(party)),
        "external": np.isin(party, cat.EXTERNAL_PARTIES),
        "executor_id": executor,
        "finished": finished,
        "judged": judged,
    }, copy=False)[COLUMNS]  # the arrays as they are: no block of them stacked into a copy


def _empty() -> pd.DataFrame:
    return pd.DataFrame({
        "case_id": pd.Series([], dtype=object), "item": pd.Series([], dtype=object),
        "kind": pd.Series([], dtype=object), "stage": pd.Series([], dtype=np.int64),
        "order": pd.Series([], dtype=np.int64), "std_minutes": pd.Series([], dtype=float),
        "start": pd.Series([], dtype="datetime64[us, UTC]"), "finish": pd.Series([], dtype="datetime64[us, UTC]"),
        "due": pd.Series([], dtype="datetime64[us, UTC]"), "used_minutes": pd.Series([], dtype=float),
        "late_minutes": pd.Series([], dtype=float), "late": pd.Series([], dtype=bool),
        "state": pd.Series([], dtype=object), "party": pd.Series([], dtype=object),
        "external": pd.Series([], dtype=bool), "executor_id": pd.Series([], dtype=object),
        "finished": pd.Series([], dtype=bool), "judged": pd.Series([], dtype=bool)})[COLUMNS]


# ---- cases: planned finish, lateness, progress, forecast -----------------------------------------

CASE_COLUMNS = ["case_id", "planned_finish", "late", "late_days", "current_step", "progress_minutes",
                "plan_minutes", "forecast_finish", "due", "params_note"]


@lru_cache(maxsize=512)
def _plan_tables(params: cat.CaseParams, minutes_per_day: int) -> tuple[dict[str, int], dict[str, int], int,
                                                                        dict[str, str]]:
    """(offset by step, plan minutes at which the step's outermost judged item ends, total, the
    outermost judged item of each step)."""
    plan = cat.plan(params, minutes_per_day)
    offset = {p.step.code: p.offset for p in plan.steps}
    end = {p.step.code: p.end for p in plan.steps}
    outer: dict[str, str] = {}
    item_end: dict[str, int] = {}
    position = {p.step.code: i for i, p in enumerate(plan.steps)}
    for j in plan.judged.values():
        if j.kind == "block":
            # The block ends where its time ends in the plan, its slack included: where the next
            # step after its last one begins.
            last = max(position[m] for m in j.members)
            finish = plan.steps[last + 1].offset if last + 1 < len(plan.steps) else plan.total
            for m in j.members:
                outer[m], item_end[m] = j.code, finish
    for code in offset:
        if code not in outer:
            outer[code] = code
            item_end[code] = end[code]
    return offset, item_end, plan.total, outer


def outer_item(params: cat.CaseParams, minutes_per_day: int, code: str) -> str:
    """The judged item a step's time counts in for the plan and the forecast: its judged block, else
    the step itself (which is judged only if the seed times it)."""
    return _plan_tables(params, minutes_per_day)[3].get(code, code)


def cases_at(cases: pd.DataFrame, events: pd.DataFrame, judged: pd.DataFrame, cutoff, calendar: WorkCalendar,
             holds: pd.DataFrame | None = None, clock: WorkClock | None = None) -> pd.DataFrame:
    """Per case at the cut-off: planned finish, late and by how many working days, current step,
    progress against the plan, forecast finish and the current item's due instant."""
    cut = _utc(cutoff)
    mpd = calendar.minutes_per_day
    if cases is None or not len(cases):
        return pd.DataFrame(columns=CASE_COLUMNS)
    pid, params, notes = case_params.of_cases(cases)
    ids = cases["id"].astype(object).tolist()
    started = _times(_column(cases, "started_at"))
    finished_at = _times(_column(cases, "finished_at"))
    status = _column(cases, "status").astype(object)
    ev = events
    fin = _times(_column(ev, "finished_at")) if len(ev) else pd.Series([], dtype="datetime64[us, UTC]")
    closed_by_cut = ev["status"].astype(object).isin([DONE, SKIPPED]) & fin.notna() & (fin <= cut) if len(ev) \
        else pd.Series([], dtype=bool)
    closed_steps: dict[str, set] = {}
    for cid, code in zip(ev.loc[closed_by_cut, "case_id"].astype(object),
                         ev.loc[closed_by_cut, "step_code"].astype(object), strict=True):
        closed_steps.setdefault(cid, set()).add(code)
    clock = clock or clock_for(calendar, started, finished_at, cut)
    cut_ord = clock.ordinal([cut])[0]
    start_ord = clock.ordinal(started)
    h = hold_intervals(cases, holds, cut)
    case_row = {cid: i for i, cid in enumerate(ids)}
    h_case = _codes(h["case_id"], case_row) if len(h) else np.zeros(0, dtype=np.int64)
    h_ok = h_case >= 0
    h_a = clock.ordinal(h["start"])[h_ok] if len(h) else np.zeros(0)
    h_b = clock.ordinal(h["end"])[h_ok] if len(h) else np.zeros(0)
    h_case = h_case[h_ok]

    total = np.zeros(len(ids))
    progress = np.zeros(len(ids))
    left_after = np.zeros(len(ids))
    current: list[str | None] = []
    outer_of: list[str | None] = []
    for i, cid in enumerate(ids):
        offset, item_end, plan_total, outer = _plan_tables(params[pid[i]], mpd)
        total[i] = plan_total
        done = closed_steps.get(cid, set())
        cur = next((code for code in offset if code not in done), None)
        current.append(cur)
        outer_of.append(outer.get(cur) if cur else None)
        progress[i] = plan_total if cur is None else offset[cur]
        left_after[i] = 0 if cur is None else plan_total - item_end[cur]
    finished_by_cut = ((status == FINISHED) & finished_at.notna() & (finished_at <= cut)).to_numpy()
    progress = np.where(finished_by_cut, total, progress)
    current = [None if f else c for c, f in zip(current, finished_by_cut, strict=True)]

    # Planned finish: the start plus the plan's working time plus the holds within.
    end_ord = np.where(finished_by_cut, clock.ordinal(finished_at), cut_ord)
    held = _held(np.arange(len(ids)), start_ord, end_ord, h_case, h_a, h_b)
    planned_ord = start_ord + total + held
    planned = clock.instant(planned_ord)

    j = judged
    overdue = j[j["state"] == OVERDUE].groupby("case_id")["late_minutes"].max() if len(j) else pd.Series(dtype=float)
    # Open at the cut-off: not finished by then (a case finished later was open then), not cancelled.
    open_ = (status != CANCELLED).to_numpy() & ~finished_by_cut
    over_open = pd.Series(ids).map(overdue).to_numpy(dtype=float)
    late_open = open_ & ~np.isnan(over_open)
    fin_ord = clock.ordinal(finished_at)
    late_fin = finished_by_cut & (fin_ord - planned_ord > TOLERANCE)
    late_days = np.where(late_open, np.nan_to_num(over_open) / mpd,
                         np.where(late_fin, (fin_ord - planned_ord) / mpd, 0.0))

    # Forecast: the current item's time left (paused while held), then the plan after it.
    current_item_due = {}
    if len(j):
        running = j[~j["finished"]]
        current_item_due = dict(zip(zip(running["case_id"], running["item"], strict=True), running["due"],
                                    strict=True))
    due = pd.Series([current_item_due.get((cid, o)) if o else None for cid, o in zip(ids, outer_of, strict=True)],
                    dtype="datetime64[us, UTC]")
    due_ord = clock.ordinal(due)
    on_hold = (status == ON_HOLD).to_numpy()
    ref_ord = np.where(on_hold, np.nan_to_num(clock.ordinal(_times(_column(cases, "hold_since"))), nan=cut_ord),
                       cut_ord)
    left_now = np.where(np.isnan(due_ord), 0.0, np.clip(due_ord - ref_ord, 0, None))
    forecast = clock.instant(cut_ord + left_now + left_after)
    forecast = forecast.where(pd.Series(open_ & np.array([c is not None for c in current])),
                              finished_at.reset_index(drop=True).where(pd.Series(finished_by_cut)))
    return pd.DataFrame({
        "case_id": ids, "planned_finish": planned, "late": late_open | late_fin, "late_days": late_days,
        "current_step": current, "progress_minutes": progress, "plan_minutes": total,
        "forecast_finish": forecast.astype("datetime64[us, UTC]"), "due": due,
        "params_note": [", ".join(n) or None for n in notes]})[CASE_COLUMNS]


def _one_case(case: dict, events: list[dict], holds: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    cases = pd.DataFrame([case])
    ev = pd.DataFrame(events, columns=["case_id", "step_code", "status", "started_at", "finished_at", "actor_id",
                                       "party"])
    ho = pd.DataFrame(holds, columns=["case_id", "start_at", "end_at"])
    for frame, cols in ((ev, ("started_at", "finished_at")), (ho, ("start_at", "end_at")),
                        (cases, ("hold_since", "started_at", "finished_at"))):
        for col in cols:
            if col in frame.columns:
                frame[col] = pd.to_datetime(frame[col], utc=True)
    return cases, ev, ho


def judge_items(case: dict, events: list[dict], holds: list[dict], cutoff, calendar: WorkCalendar) -> pd.DataFrame:
    """The judged items of one case (``judge`` for a single case, from records)."""
    cases, ev, ho = _one_case(case, events, holds)
    clock = clock_for(calendar, ev["started_at"], ev["finished_at"], _utc(cutoff))
    return judge(ev, cases, ho, cutoff, calendar, clock)


def judge_case(case: dict, events: list[dict], holds: list[dict], cutoff, calendar: WorkCalendar
               ) -> tuple[pd.DataFrame, pd.Series]:
    """The judged items and the case row (``cases_at``) of one case, for its detail page."""
    cases, ev, ho = _one_case(case, events, holds)
    clock = clock_for(calendar, ev["started_at"], ev["finished_at"], cases.get("started_at"), _utc(cutoff))
    judged = judge(ev, cases, ho, cutoff, calendar, clock)
    row = cases_at(cases, ev, judged, cutoff, calendar, ho, clock).iloc[0]
    return judged, row


__all__ = ["COLUMNS", "JUDGED_STATES", "LATE_STATES", "cases_at", "hold_intervals", "judge", "judge_case",
           "judge_items", "items_of", "outer_item"]
