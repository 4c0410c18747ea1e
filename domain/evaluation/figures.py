"""The yearly evaluation's figures from the stored records (DataFrames as the stores read them: see
``domain.evaluation.inputs``), as the report data of ``domain.evaluation.report``. How they are
counted is written at the top of ``domain/evaluation/__init__.py`` and printed in the PDF.

Every table the report prints adds up: the roles and the drafting team to the Bureau, the outside
parties to their total, the units to the units' parties, an executor's cases to the executor, the
tracks and kinds of document to the cases completed. Whatever a table leaves out is counted so that
the report can say so in one line.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from domain import case_params, timing
from domain import catalogue as cat
from domain.calendar import JAKARTA, WorkCalendar
from domain.evaluation import delays, ratings
from domain.evaluation.conclusions import check_year, conclusions_from_frames
from domain.evaluation.counting import bounds, hold_minutes, instant, largest, median, run_starts, text, within
from domain.evaluation.inputs import empty_frame
from domain.evaluation.notes import notes_from_frames
from domain.evaluation.report import (
    COMPLAINT_LIST_LIMIT, EVALUATED_ROLES, EXECUTOR_CASE_LIMIT, EXECUTOR_LATE_LIMIT, EXTERNAL, LATE_LIST_LIMIT,
    NOT_RATED, OUTPUT_KINDS, ROLE_ORDER, UNIT_PARTIES, BureauFigures, CaseLine, ComplaintOutcome, Conclusions,
    Evaluation, ExecutorEvaluation, ExecutorInfo, Figures, MonthPoint, OutputRow, Rating, RoleEvaluation, Signatory,
)
from domain.evaluation.sanctions import sanctions_from_frames
from domain.evaluation.stages import case_stages, stage_figures
from domain.models import CANCELLED, DONE, SKIPPED
from domain.worktime import WorkClock, clock_for

ROLE_ROWS = (*ROLE_ORDER, cat.TIM, EXTERNAL)  # the roles table: the Bureau's roles, the team, the outside


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


@lru_cache(maxsize=512)
def _planned(params: cat.CaseParams, mpd: int) -> int:
    return cat.planned_minutes(params, mpd)


_STEP_INFO = {s.code: (s.stage, s.responsible) for s in cat.STEPS}


def _stage_of(code) -> int:
    try:
        return int(str(code).split(".")[0])
    except ValueError:
        return 0


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
    case_units: dict[str, str] = field(default_factory=dict)  # the case's units' names, as one label
    case_stages: pd.DataFrame | None = None  # see stages.case_stages; the same for every year


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
    # caller's frame, and the 745,000 rows of a large store are not held twice.
    events = get("step_events")
    if "party" not in events.columns:
        events = events.assign(party=None)
    ev = events[["case_id", "step_code", "status", "started_at", "finished_at", "actor_id", "party"]]
    for col in ("case_id", "step_code", "status", "actor_id"):  # DuckDB reads give categoricals; others strings
        if not isinstance(ev[col].dtype, pd.CategoricalDtype):
            ev[col] = ev[col].astype("category")
    # Everything that depends on the step (and on who did it) is looked up once per category and
    # spread to the rows by the categorical codes: no Python loop over the rows.
    steps = list(ev["step_code"].cat.categories)
    info = [_STEP_INFO.get(c, (_stage_of(c), None)) for c in steps] + [(0, None)]
    sc = ev["step_code"].cat.codes.to_numpy().astype(np.int32)
    sc[sc < 0] = len(steps)
    ev["stage"] = np.array([i[0] for i in info], dtype=np.int16)[sc]  # a small number: 2 bytes a row
    # Whom a step counts against: its recorded party where the seed allows another, else its own.
    parties = list(cat.PARTIES)
    party_of = {p: n for n, p in enumerate(parties)}
    party = np.array([party_of.get(i[1], -1) for i in info], dtype=np.int8)[sc]
    recorded = ev["party"].notna().to_numpy()
    for row in np.flatnonzero(recorded):  # few: only steps the seed lets another party do
        step = cat.STEP_BY_CODE.get(steps[sc[row]]) if sc[row] < len(steps) else None
        if step is not None:
            party[row] = party_of.get(step.party(ev["party"].iat[row]), party[row])
    del sc
    ev["party_of"] = pd.Categorical.from_codes(party, categories=parties)
    ev["external"] = np.isin(party, [party_of[p] for p in cat.EXTERNAL_PARTIES])
    del party
    cases = get("cases")
    accounts = get("accounts")
    user_exec = {u: e for u, e in zip(accounts["username"], accounts["executor_id"], strict=True)
                 if isinstance(e, str) and e}
    actions = get("complaint_actions")[["complaint_id", "created_at", "created_by"]].copy()
    actions["executor_id"] = actions["created_by"].map(user_exec)
    units = get("units")
    # The clock's range from the extremes alone: no copy of the instant columns to find them.
    extremes = [s.min() for s in (ev["started_at"], ev["finished_at"], cases["started_at"], cases["finished_at"])] + \
        [s.max() for s in (ev["started_at"], ev["finished_at"], cases["started_at"], cases["finished_at"])]
    data = _Data(ev, executors, cases, get("holds"), get("complaints"), actions,
                 dict(zip(units["id"], units["name"], strict=True)), exec_name, exec_role,
                 clock_for(calendar, *[x for x in extremes if x is not None and not pd.isna(x)]), calendar)
    pid, distinct, _ = case_params.of_cases(cases)  # blank or unknown values take the defaults
    values = [cases[c].astype(object).tolist() for c in ("id", "number", "title", "unit_ids")]
    for cid, number, title, unit_ids, p in zip(*values, pid, strict=True):
        data.params[cid] = distinct[p]
        data.case_number[cid] = text(number, cid)
        data.case_title[cid] = text(title)
        names = [data.units.get(u, u) for u in (unit_ids if isinstance(unit_ids, (list, tuple)) else [])]
        data.case_units[cid] = "; ".join(sorted(set(names), key=str.casefold)) or "–"
    data.case_stages = case_stages(ev, data.params, data.clock.mpd)
    return data


@dataclass
class _Year:
    executors: dict[str, Figures]
    roles: dict[str, Figures]
    bureau: BureauFigures
    has_data: bool
    months: list[MonthPoint]
    # What only the year evaluated needs (not the year before it is compared with):
    late: pd.DataFrame = field(default_factory=pd.DataFrame)  # every late item, longest first
    stages: list = field(default_factory=list)
    complaints: pd.DataFrame = field(default_factory=pd.DataFrame)  # received in the year
    buckets: tuple = ()
    case_lines: dict[str, tuple[CaseLine, ...]] = field(default_factory=dict)
    pic: dict[str, tuple[int, int]] = field(default_factory=dict)
    output: tuple[OutputRow, ...] = ()
    output_kinds: tuple[str, ...] = OUTPUT_KINDS
    delays_by_party: tuple = ()
    delays_by_unit: tuple = ()


_ITEM_COLUMNS = ["case_id", "item", "stage", "finish", "due", "late_minutes", "late", "party", "external",
                 "executor_id"]


def _year(data: _Data, year: int, now: pd.Timestamp, complaint_days: int, *, detail: bool) -> _Year:
    lo, hi = bounds(year)
    as_of = min(hi, now)
    clock, mpd = data.clock, data.clock.mpd
    ev = data.ev

    # Steps done in the year (what each executor and party handled), and the steps and blocks the
    # timing rule judges: finished in the year, or overdue at the cut-off.
    done = ev.loc[(ev["status"] == DONE) & within(ev["finished_at"], lo, hi),
                  ["case_id", "actor_id", "party_of", "external", "stage", "finished_at"]]
    items = timing.judge(ev, data.cases, data.holds, as_of, data.calendar, clock)
    state = items["state"]
    fin = items.loc[state.isin([timing.ON_TIME, timing.LATE]) & within(items["finish"], lo, hi), _ITEM_COLUMNS]
    opn = items.loc[state == timing.OVERDUE, _ITEM_COLUMNS]
    del items, state
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
        item overdue (``ko``); missing: left out. Counted with integer codes (bincount, one sort
        for the medians): a pandas groupby per figure cost several times as much."""
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
        # Median, worst and total lateness over each key's late finished and overdue items.
        lc = np.concatenate([cf[fin_late], co])
        keep = (lc >= 0) & ~np.isnan(late_d)
        lc, ld = lc[keep], late_d[keep]
        order = np.lexsort((ld, lc))
        lc, ld = lc[order], ld[order]
        edges = np.r_[run_starts(lc), len(lc)]
        for a, b in zip(edges[:-1], edges[1:], strict=True):
            group = ld[a:b]
            parts.setdefault(keys[lc[a]], {}).update(median_late_days=float(np.median(group)),
                                                     worst_late_days=float(group[-1]),
                                                     late_days_total=float(group.sum()))
        return parts

    # Cases and documents completed in the year.
    cases = data.cases
    done_cases = cases[(cases["status"] != CANCELLED) & within(cases["finished_at"], lo, hi)]
    docs = done_cases.set_index("id")["drafts"].fillna(1).astype(int).clip(lower=1)
    involved = ev.loc[ev["actor_id"].notna() & ~ev["external"] & (ev["status"] != SKIPPED)
                      & ev["case_id"].isin(docs.index), ["actor_id", "case_id"]].astype(object).drop_duplicates()
    involved["role"] = involved["actor_id"].map(data.exec_role)
    case_parts: dict[str, dict[Any, dict]] = {"actor_id": {}, "role": {}}
    for key in ("actor_id", "role"):
        pairs = involved[[key, "case_id"]].dropna().drop_duplicates()
        pairs = pairs.assign(docs=pairs["case_id"].map(docs))
        for k, g in pairs.groupby(key):
            case_parts[key][k] = {"cases_completed": int(len(g)), "documents_completed": int(g["docs"].sum())}

    # Complaints.
    cp = data.complaints
    delegated_on = cp["delegated_at"].where(cp["delegated_at"].notna(), cp["created_at"])
    resolved_at = cp["answered_at"].where(cp["answered_at"].notna(), cp["closed_at"])
    resolved_by_cutoff = resolved_at.notna() & (resolved_at <= as_of)
    deleg = cp[cp["delegated_to"].notna() & within(delegated_on, lo, hi)].copy()
    deleg["role"] = deleg["delegated_to"].map(data.exec_role)
    deleg["resolved"] = resolved_by_cutoff[deleg.index]
    deleg["days"] = np.where(deleg["resolved"], clock.days(delegated_on[deleg.index], resolved_at[deleg.index]),
                             np.nan)
    acts = data.actions[within(data.actions["created_at"], lo, hi)].copy()
    acts["role"] = acts["executor_id"].map(data.exec_role)
    comp_parts: dict[str, dict[Any, dict]] = {"actor_id": {}, "role": {}}
    for key, dkey, akey in (("actor_id", "delegated_to", "executor_id"), ("role", "role", "role")):
        out = comp_parts[key]
        for k, g in deleg.groupby(dkey, observed=True):
            out.setdefault(k, {}).update(complaints_delegated=int(len(g)), complaints_resolved=int(g["resolved"].sum()),
                                         median_resolution_days=median(g["days"]),
                                         worst_resolution_days=largest(g["days"]))
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
    # and the outside parties together.
    def role_key(party: pd.Series, external: pd.Series) -> pd.Series:
        return party.astype(object).where(~external.to_numpy(dtype=bool), EXTERNAL)

    role_steps = step_parts(role_key(done["party_of"], done["external"]), role_key(fin["party"], fin["external"]),
                            role_key(opn["party"], opn["external"]))
    roles = {r: figures(role_steps.get(r, {}), case_parts["role"].get(r, {}) if r != EXTERNAL else {},
                        comp_parts["role"].get(r, {}) if r != EXTERNAL else {}) for r in ROLE_ROWS}

    # The Bureau: its own steps, every complaint.
    def ours(frame: pd.DataFrame) -> pd.Series:
        return pd.Series(np.where(frame["external"].to_numpy(dtype=bool), np.nan, 0.0), index=frame.index)

    bureau_steps = step_parts(ours(done), ours(fin), ours(opn)).get(0.0, {})
    received = cp[within(cp["created_at"], lo, hi)]
    resolved_year = within(resolved_at, lo, hi) & resolved_by_cutoff
    res = cp[resolved_year]
    res_days = clock.days(res["created_at"], resolved_at[res.index]) if len(res) else np.array([])
    handled_all = acts["complaint_id"].dropna().nunique()
    open_at_cutoff = cp["created_at"].notna() & (cp["created_at"] < as_of) & ~resolved_by_cutoff
    bureau_fig = Figures(**bureau_steps, cases_completed=int(len(docs)), documents_completed=int(docs.sum()),
                         complaints_delegated=int(len(deleg)), complaints_handled=int(handled_all),
                         complaints_resolved=int(len(res)), median_resolution_days=median(res_days),
                         worst_resolution_days=largest(res_days))
    ext = fin[fin["external"].to_numpy(dtype=bool)]
    started = cases[(cases["status"] != CANCELLED) & within(cases["started_at"], lo, hi)]
    active = (cases["status"] != CANCELLED) & cases["started_at"].notna() & (cases["started_at"] < as_of) \
        & (cases["finished_at"].isna() | (cases["finished_at"] > as_of))
    case_days, case_std = np.array([]), np.array([])
    if len(done_cases):
        spans = clock.minutes(done_cases["started_at"], done_cases["finished_at"])
        spans = spans - hold_minutes(clock, cases, data.holds, done_cases["id"], done_cases["started_at"],
                                     done_cases["finished_at"], as_of)
        case_days = spans / mpd
        case_std = np.array([_planned(data.params[c], mpd) / mpd if c in data.params else np.nan
                             for c in done_cases["id"]])
    bureau = BureauFigures(
        bureau_fig, external_steps=int(len(ext)), external_with_standard=int(len(ext)),
        external_on_time=int((~ext["late"]).sum()), cases_started=int(len(started)), cases_active=int(active.sum()),
        median_case_days=median(case_days), median_case_standard_days=median(case_std),
        cases_within_plan=int(np.nansum(case_days <= case_std + 1e-9)) if len(case_days) else 0,
        complaints_received=int(len(received)), complaints_open=int(open_at_cutoff.sum()),
        complaints_within_standard=int((res_days <= complaint_days + 1e-9).sum()) if len(res) else 0)
    has_data = bool(len(done) or len(fin) or len(opn) or len(done_cases) or len(received) or len(res) or len(acts))

    # Month by month: on-time share of the Bureau's own judged items finished.
    counted = ~fin["external"].to_numpy(dtype=bool)
    months = []
    if counted.any():
        month = fin["finish"].dt.tz_convert(JAKARTA).dt.month.to_numpy()[counted]
        on_time = ~fin["late"].to_numpy()[counted]
        for m in range(1, 13):
            in_month = month == m
            if in_month.any():
                months.append(MonthPoint(year, m, int(in_month.sum()), int(on_time[in_month].sum())))

    out = _Year(executors, roles, bureau, has_data, months)
    if not detail:
        return out
    cols = ["case_id", "item", "executor_id", "party", "due", "late_minutes", "external"]
    late = pd.concat([fin.loc[fin["late"], cols + ["finish"]],
                      opn[cols].assign(finish=pd.Series(pd.NaT, index=opn.index, dtype=fin["finish"].dtype))])
    late = late.rename(columns={"item": "step_code", "executor_id": "actor_id", "party": "responsible",
                                "due": "due_at", "finish": "finished_at"})
    late["late_days"] = late.pop("late_minutes") / mpd
    out.late = late.sort_values("late_days", ascending=False, kind="stable")
    out.stages = stage_figures(ev, data.case_stages, cases, data.holds, clock, done, fin, lo, hi, as_of)
    out.buckets = delays.buckets(out.late.loc[~out.late["external"].astype(bool), "late_days"].to_numpy(float))
    out.complaints = received
    judged = pd.concat([fin, opn], ignore_index=True)
    outside = judged[judged["external"].to_numpy(dtype=bool)]
    out.delays_by_party = delays.groups(outside, outside["party"], mpd)
    units = judged[judged["party"].astype(object).isin(UNIT_PARTIES).to_numpy()]
    out.delays_by_unit = delays.groups(units, units["case_id"].astype(object).map(data.case_units), mpd)
    out.case_lines = _case_lines(data, done, judged, done_cases)
    pic = cases["pic_id"].astype(object)
    completed = pic[cases["id"].isin(docs.index)].value_counts().to_dict()
    running = pic[active].value_counts().to_dict()
    out.pic = {e: (int(completed.get(e, 0)), int(running.get(e, 0))) for e in set(completed) | set(running)}
    out.output, out.output_kinds = _output(done_cases, docs)
    return out


def _case_lines(data: _Data, done: pd.DataFrame, judged: pd.DataFrame,
                done_cases: pd.DataFrame) -> dict[str, tuple[CaseLine, ...]]:
    """Each executor's own figures case by case: the steps they did in the year, the judged items
    counted for them, late and working days late; the cases with the most working days late first,
    the rest in one line."""
    mpd = data.clock.mpd
    mine = done[done["actor_id"].notna().to_numpy() & ~done["external"].to_numpy(dtype=bool)]
    steps = mine.groupby([mine["actor_id"].astype(object).to_numpy(), mine["case_id"].astype(object).to_numpy()]
                         ).size().rename("steps")
    theirs = judged[judged["executor_id"].notna().to_numpy()]
    late = theirs["late"].to_numpy(dtype=bool)
    per = pd.DataFrame({"e": theirs["executor_id"].astype(object).to_numpy(),
                        "c": theirs["case_id"].astype(object).to_numpy(), "late": late,
                        "days": np.where(late, theirs["late_minutes"].to_numpy(dtype=float), 0.0) / mpd})
    counted = per.groupby(["e", "c"]).agg(judged=("late", "size"), late=("late", "sum"), days=("days", "sum"))
    table = pd.concat([steps, counted], axis=1).fillna(0)
    if not len(table):
        return {}
    table.index = table.index.set_names(["e", "c"])
    table = table.reset_index()
    pic = dict(zip(data.cases["id"].astype(object), data.cases["pic_id"].astype(object), strict=True))
    finished = set(done_cases["id"])
    table["number"] = table["c"].map(data.case_number).fillna(table["c"])
    table = table.sort_values(["e", "days", "late", "steps", "number"], ascending=[True, False, False, False, True],
                              kind="stable")
    out: dict[str, tuple[CaseLine, ...]] = {}
    for e, g in table.groupby("e", sort=False):
        lines = [CaseLine(str(r.number), data.case_title.get(r.c, ""), pic.get(r.c) == e, r.c in finished,
                          int(r.steps), int(r.judged), int(r.late), float(r.days))
                 for r in g.head(EXECUTOR_CASE_LIMIT).itertuples(index=False)]
        rest = g.iloc[EXECUTOR_CASE_LIMIT:]
        if len(rest):
            lines.append(CaseLine("", "", False, False, int(rest["steps"].sum()), int(rest["judged"].sum()),
                                  int(rest["late"].sum()), float(rest["days"].sum()), cases=len(rest)))
        out[e] = tuple(lines)
    return out


def _output(done_cases: pd.DataFrame, docs: pd.Series) -> tuple[tuple[OutputRow, ...], tuple[str, ...]]:
    """Cases and documents completed in the year by track and kind of document."""
    kinds = list(OUTPUT_KINDS)
    frame = pd.DataFrame({"track": done_cases["track"].astype(object).fillna("–").to_numpy(),
                          "kind": done_cases["doc_kind"].astype(object).fillna("–").to_numpy(),
                          "docs": done_cases["id"].map(docs).to_numpy()})
    kinds += sorted(set(frame["kind"]) - set(kinds), key=str)
    tracks = [t for t in cat.TRACKS] + sorted(set(frame["track"]) - set(cat.TRACKS), key=str)
    rows = []
    for track in tracks:
        mine = frame[frame["track"] == track]
        rows.append(OutputRow(track, tuple(int((mine["kind"] == k).sum()) for k in kinds),
                              tuple(int(mine.loc[mine["kind"] == k, "docs"].sum()) for k in kinds)))
    return tuple(rows), tuple(kinds)


def _complaints(data: _Data, received: pd.DataFrame, complaint_days: int, limit: int
                ) -> tuple[ComplaintOutcome, ...]:
    out = []
    if not len(received):
        return ()
    rec = received.sort_values("created_at", kind="stable").head(limit)
    resolved_at = rec["answered_at"].where(rec["answered_at"].notna(), rec["closed_at"])
    days = data.clock.days(rec["created_at"], resolved_at)
    for r, res, d in zip(rec.itertuples(index=False), resolved_at, days, strict=True):
        outcome = text(r.answer) or text(r.resolution)
        d = None if pd.isna(d) else float(d)
        out.append(ComplaintOutcome(
            text(r.receipt_no, text(r.id)), text(r.kind), data.units.get(r.unit_id, text(r.unit_id, "–")),
            text(r.subject), instant(r.created_at), text(r.status),
            data.exec_name.get(r.delegated_to, r.delegated_to) if isinstance(r.delegated_to, str) else None,
            instant(res), d, None if d is None else d <= complaint_days + 1e-9, str(outcome)))
    return tuple(out)


def evaluate(frames: dict[str, pd.DataFrame], year: int, calendar: WorkCalendar, *, now: dt.datetime,
             conclusions: Conclusions | None = None, complaint_standard_days: int = 5,
             late_limit: int = LATE_LIST_LIMIT, complaint_limit: int = COMPLAINT_LIST_LIMIT) -> Evaluation:
    """The year's evaluation from the stored records (``data_access.evaluation_data``); the Karo's
    records of the year come from the same read unless ``conclusions`` is given."""
    year = check_year(year)
    conclusions = conclusions or conclusions_from_frames(frames, year)
    notes = notes_from_frames(frames, year)
    earlier_notes = notes_from_frames(frames, year - 1)
    sanctions = sanctions_from_frames(frames, year)
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
        infos.append(ExecutorInfo(r.id, text(r.name, r.id), text(r.nip) or None, text(r.role),
                                  bool(r.active) if pd.notna(r.active) else True))
    rank = {role: i for i, role in enumerate(ROLE_ORDER)}
    infos.sort(key=lambda i: (rank.get(i.role, len(rank)), i.name.casefold(), i.id))
    rated = ratings.rate({i.id: this.executors.get(i.id, Figures()) for i in infos if i.role in EVALUATED_ROLES},
                         {i.id: i.role for i in infos}, conclusions.targets)
    late = this.late
    own = late[~late["external"].astype(bool) & late["actor_id"].notna()] if len(late) else None
    late_count = own["actor_id"].value_counts().to_dict() if own is not None else {}
    # Each executor's longest late steps (``late`` is sorted longest first): the first rows per executor.
    worst = {k: g for k, g in own.groupby("actor_id", observed=True).head(EXECUTOR_LATE_LIMIT)
             .groupby("actor_id", observed=True)} if own is not None else {}
    executors = []
    for info in infos:
        mine = worst.get(info.id)
        pic_done, pic_running = this.pic.get(info.id, (0, 0))
        executors.append(ExecutorEvaluation(
            info, this.executors.get(info.id, Figures()),
            prev.executors.get(info.id, Figures()) if previous_has_data else None,
            delays.late_steps(mine, EXECUTOR_LATE_LIMIT, data.case_number, data.case_title, data.exec_name)
            if mine is not None else (),
            int(late_count.get(info.id, 0)), this.case_lines.get(info.id, ()), pic_done, pic_running,
            rated.get(info.id, Rating(NOT_RATED)), notes.get(info.id),
            earlier_notes[info.id].recommendation if info.id in earlier_notes else "",
            tuple(s for s in sanctions if s.executor_id == info.id)))
    role_counts = pd.Series([i.role for i in infos]).value_counts().to_dict() if infos else {}
    roles = tuple(RoleEvaluation(role, int(role_counts.get(role, 0)), this.roles[role],
                                 prev.roles[role] if previous_has_data else None) for role in ROLE_ROWS)
    karo = next((i for i in infos if i.role == cat.KARO and i.active), None)
    months = tuple(this.months) + (tuple(prev.months) if previous_has_data else ())
    end = bounds(year)[1]
    return Evaluation(
        year=year, as_of=min(end, now_ts).to_pydatetime(), generated_at=now, has_data=this.has_data,
        previous_has_data=previous_has_data, executors=tuple(executors), roles=roles, bureau=this.bureau,
        previous_bureau=prev.bureau if previous_has_data else None, stages=tuple(this.stages),
        late_steps=delays.late_steps(late, late_limit, data.case_number, data.case_title, data.exec_name),
        late_steps_total=int(len(late)),
        complaints=_complaints(data, this.complaints, complaint_standard_days, complaint_limit),
        complaints_total=int(len(this.complaints)), months=months, lateness_buckets=tuple(this.buckets),
        conclusions=conclusions, karo=Signatory(karo.name, karo.nip) if karo else None,
        complaint_standard_days=complaint_standard_days, output=this.output, output_kinds=this.output_kinds,
        delays_by_party=this.delays_by_party, delays_by_unit=this.delays_by_unit, external=this.roles[EXTERNAL],
        provisional=now_ts < end)
