"""Leadership dashboard: where every unit's SP/SOP stands, who is late, where the procedure stalls.

``compute`` is the reference computation in pandas over the stored records (``Repository.frames``).
``data_access/analytics.py`` computes the same figures in SQL, in the DuckDB store itself, and
returns the same ``Dashboard``; ``conform`` gives both one shape, so they can be compared.

How the figures are counted (the page and the README say the same):
- A year runs from 1 January 00.00 to 1 January of the next year, Asia/Jakarta time. The cut-off
  is the end of the year, or now for the current year; "now" figures are taken at the cut-off.
- Cancelled cases count nowhere. A case belongs to the year when it started by the cut-off and
  was not finished before the year began; every figure but the monthly trend counts the year's
  cases (and their steps) only. A case is finished at the cut-off when its status is ``selesai``
  and it finished by then; otherwise it is open.
- Documents finished: the SP/SOP drafts (``cases.drafts``) of cases finished in the year, by track.
- Lateness is the timing rule's (``domain.timing``): what the seed times is judged, steps with a
  time of their own and timed blocks as a whole, from the first start to the last finish, holds
  left out; late when its working time exceeds the standard. The on-time share counts the judged
  steps and blocks finished (on time or late) in the year; skipped ones, and the unfinished ones of a
  cancelled case, are not judged. Late now: open cases' steps and blocks running past their
  standard at the cut-off (a held case's clock stands still while held), in working days beyond
  the standard. Each counts against its party (a step's recorded party where the seed allows one,
  else its responsible party, an outside party by name; a block's is the party of its longest
  step); the executor shown is the one who did that step, when the party is one of the Bureau's
  executor roles. A case is late when, open, one of its steps or blocks is overdue, or when it
  finished after its planned finish (its start plus its plan, plus its holds).
- Progress: the plan's working time before the case's current step (the first not done or
  skipped by the cut-off) over the plan's total (``catalogue.plan`` for the case's parameters, a
  blank or unknown parameter read as its default); a finished case is done. A unit's or an
  organisation's share adds the plan time of all its cases of the year. Stage reached: the
  highest stage with a started step; a unit's or organisation's is its least advanced open case
  (``STAGE_DONE`` when all its cases of the year are finished).
- Bottlenecks: for the steps and blocks judged in the year, their working time (holds left out)
  against their standard (median, quartiles); time lost is the working days beyond the standard.
- Complaints open at the cut-off: not answered or closed (by then); overdue: open and past due_at.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from domain import catalogue as cat
from domain import timing
from domain.calendar import WorkCalendar, format_date, format_datetime, month_label
from domain.models import C_ANSWERED, C_CLOSED, CANCELLED, FINISHED
from domain.texts import TEXTS, t
from domain.worktime import clock_for

TABLES = ("organisations", "units", "executors", "cases", "step_events", "holds", "complaints")
STAGE_NOT_STARTED, STAGE_DONE = 0, 10
COMPLAINT_DONE = (C_ANSWERED, C_CLOSED)

# ---- shapes of the results: (column, kind) and the canonical order ------------------------------
# kinds: str, int (never missing), nint (may be missing), float, bool, time (UTC), list
SPEC: dict[str, tuple[list[tuple[str, str]], list[str], list[bool]]] = {
    "orgs": ([("org_id", "str"), ("org_name", "str"), ("sort_order", "nint"), ("units", "int"),
              ("units_with_cases", "int"), ("cases", "int"), ("cases_open", "int"), ("cases_finished", "int"),
              ("cases_late", "int"), ("done_minutes", "float"), ("standard_minutes", "float"),
              ("share_done", "float"), ("stage_reached", "nint")],
             ["sort_order", "org_name", "org_id"], [True, True, True]),
    "units": ([("unit_id", "str"), ("unit_name", "str"), ("org_id", "str"), ("org_name", "str"), ("cases", "int"),
               ("cases_open", "int"), ("cases_finished", "int"), ("cases_late", "int"), ("done_minutes", "float"),
               ("standard_minutes", "float"), ("share_done", "float"), ("stage_reached", "nint")],
              ["share_done", "unit_name", "unit_id"], [False, True, True]),
    "cases": ([("case_id", "str"), ("number", "str"), ("title", "str"), ("org_id", "str"), ("unit_ids", "list"),
               ("units", "str"), ("status", "str"), ("track", "str"), ("drafts", "int"), ("started_at", "time"),
               ("finished_at", "time"), ("current_step", "str"), ("stage_reached", "int"),
               ("done_minutes", "float"), ("standard_minutes", "float"), ("share_done", "float"),
               ("late", "bool"), ("days_late", "float")],
              ["number", "case_id"], [True, True]),
    "late_steps": ([("case_id", "str"), ("number", "str"), ("title", "str"), ("case_status", "str"),
                    ("units", "str"), ("step_code", "str"), ("step_name", "str"), ("stage", "int"),
                    ("role", "str"), ("executor", "str"), ("started_at", "time"), ("due_at", "time"),
                    ("days_late", "float")],
                   ["days_late", "number", "case_id", "step_code"], [False, True, True, True]),
    "late_by_role": ([("role", "str"), ("judged", "int"), ("late", "int"), ("late_share", "float"),
                      ("days_late_total", "float"), ("days_late_median", "float")],
                     ["late_share", "late", "role"], [False, False, True]),
    "bottlenecks": ([("step_code", "str"), ("step_name", "str"), ("stage", "int"), ("role", "str"), ("n", "int"),
                     ("standard_days", "float"), ("actual_median", "float"), ("actual_p25", "float"),
                     ("actual_p75", "float"), ("late", "int"), ("lost_days", "float")],
                    ["lost_days", "step_order"], [False, True]),
    "trend": ([("month", "int"), ("opened", "int"), ("finished", "int"), ("documents", "int")],
              ["month"], [True]),
}


@dataclass(frozen=True)
class Headline:
    cases_open: int = 0
    cases_finished: int = 0
    docs_permen: int = 0
    docs_intern: int = 0
    steps_judged: int = 0  # judged steps and blocks finished in the year
    steps_on_time: int = 0
    cases_late: int = 0  # open cases with a step or block overdue at the cut-off
    complaints_open: int = 0
    complaints_overdue: int = 0

    @property
    def docs_finished(self) -> int:
        return self.docs_permen + self.docs_intern

    @property
    def on_time_share(self) -> float | None:
        return self.steps_on_time / self.steps_judged if self.steps_judged else None


@dataclass
class Dashboard:
    year: int
    org_id: str | None
    now: pd.Timestamp
    as_of: pd.Timestamp  # the cut-off: the end of the year, or now
    years: list[int]
    headline: Headline
    orgs: pd.DataFrame
    units: pd.DataFrame
    cases: pd.DataFrame
    late_steps: pd.DataFrame
    late_by_role: pd.DataFrame
    bottlenecks: pd.DataFrame
    trend: pd.DataFrame
    org_choices: list[tuple[str, str]] = field(default_factory=list)  # (id, name) of every active organisation
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def current(self) -> bool:
        """The cut-off is now (the current year), not the end of a past year."""
        return self.as_of == self.now

    def frame(self, name: str) -> pd.DataFrame:
        return getattr(self, name)


# ---- the year, the catalogue, the standard times -----------------------------------------------

def year_bounds(year: int, calendar: WorkCalendar) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First instant of the year and of the next one, local time, as UTC timestamps."""
    return (pd.Timestamp(dt.datetime(year, 1, 1, tzinfo=calendar.tz)).tz_convert("UTC"),
            pd.Timestamp(dt.datetime(year + 1, 1, 1, tzinfo=calendar.tz)).tz_convert("UTC"))


def utc(value) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    if ts.tzinfo is None:
        raise ValueError("instants must carry a time zone")
    return ts.tz_convert("UTC")


def _at_least_one(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").fillna(1).clip(lower=1).astype("int64")


@lru_cache(maxsize=1)
def step_stages() -> dict[str, int]:
    """The stage of every step of the procedure (``catalogue.stage_of_code`` as one lookup table)."""
    return {code: step.stage for code, step in cat.STEP_BY_CODE.items()}


@lru_cache(maxsize=1)
def item_order() -> dict[str, int]:
    """Each judged step's or block's position in the procedure (a block: its first step's)."""
    return {code: info.order for code, info in cat.ITEMS.items()}


# ---- one shape for both computations ------------------------------------------------------------

def conform(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Columns in order, one dtype per kind, canonical row order: the pandas and SQL results compare."""
    cols, keys, ascending = SPEC[name]
    df = df.copy()
    out = pd.DataFrame(index=df.index)
    for col, kind in cols:
        s = df[col] if col in df.columns else pd.Series([None] * len(df), index=df.index, dtype=object)
        if kind == "str":
            s = s.astype(object).where(s.notna(), None)
        elif kind == "int":
            s = pd.to_numeric(s).fillna(0).astype("int64")
        elif kind == "nint":
            s = pd.to_numeric(s).astype("Int64")
        elif kind == "float":
            s = pd.to_numeric(s).astype("float64")
        elif kind == "bool":
            s = s.fillna(False).astype(bool)
        elif kind == "time":
            s = pd.to_datetime(s)
            s = (s.dt.tz_localize("UTC") if s.dt.tz is None else s.dt.tz_convert("UTC")).astype("datetime64[us, UTC]")
        elif kind == "list":
            s = pd.Series([[str(x) for x in v] if isinstance(v, (list, tuple, np.ndarray)) else [] for v in s],
                          index=s.index, dtype=object)
        out[col] = s
    # Sort on rounded numbers: sums added in another order differ in the last bits.
    kinds = dict(cols)
    sort_cols = []
    for key in keys:
        if key == "step_order":
            out["_sort_step_order"] = out["step_code"].map(item_order())
        elif kinds[key] == "float":
            out[f"_sort_{key}"] = out[key].round(6)
        sort_cols.append(f"_sort_{key}" if f"_sort_{key}" in out.columns else key)
    out = out.sort_values(sort_cols, ascending=ascending, na_position="last", kind="mergesort")
    return out[[c for c, _ in cols]].reset_index(drop=True)


def empty(name: str) -> pd.DataFrame:
    return conform(name, pd.DataFrame({c: [] for c, _ in SPEC[name][0]}))


# ---- the reference computation in pandas --------------------------------------------------------

_ZERO_WHEN_NO_CASE = ["cases", "cases_open", "cases_finished", "cases_late", "done_minutes", "standard_minutes",
                      "share_done"]


def _get(frames: dict[str, pd.DataFrame], table: str) -> pd.DataFrame:
    # The port's frames() gives every table asked for (TABLES), typed even when empty.
    return frames[table]


def _in(s: pd.Series, lo, hi) -> pd.Series:
    return s.notna() & (s >= lo) & (s < hi)


def _unit_names(unit_ids: pd.Series, names: dict[str, str]) -> pd.Series:
    return unit_ids.map(lambda ids: ", ".join(names.get(u, u) for u in ids) if len(ids) else None)


def available_years(first_start, now: pd.Timestamp, calendar: WorkCalendar) -> list[int]:
    """From the year of the first case to the current year (local time)."""
    this_year = now.tz_convert(calendar.tz).year
    if first_start is None or pd.isna(first_start):
        return [this_year]
    first = min(utc(first_start).tz_convert(calendar.tz).year, this_year)
    return list(range(first, this_year + 1))


def organisation_choices(orgs: pd.DataFrame) -> list[tuple[str, str]]:
    """Active organisations in the ministry's order, for the filter."""
    o = orgs[orgs["active"].fillna(True).astype(bool)]
    o = o.assign(_order=pd.to_numeric(o["sort_order"]), _name=o["name"].fillna(o["id"]))
    o = o.sort_values(["_order", "_name", "id"], na_position="last", kind="mergesort")
    return list(zip(o["id"], o["_name"], strict=True))


def months_shown(lo: pd.Timestamp, hi: pd.Timestamp, as_of: pd.Timestamp, calendar: WorkCalendar) -> int:
    """Months of the year up to the cut-off (all twelve for a past year, none for a future one)."""
    if as_of >= hi:
        return 12
    if as_of < lo:
        return 0
    return as_of.tz_convert(calendar.tz).month


def item_table() -> pd.DataFrame:
    """Every judged step or block as a table: code, name, stage, order and default party."""
    return pd.DataFrame([{"step_code": i.code, "step_order": i.order, "stage": i.stage, "step_name": i.name,
                          "role": i.responsible} for i in cat.ITEMS.values()])


def compute(frames: dict[str, pd.DataFrame], year: int, calendar: WorkCalendar, now,
            org_id: str | None = None) -> Dashboard:
    """Every figure of the dashboard for a year (and an organisation, or all), in pandas, with the
    timing rule (``domain.timing``) judging every step and block at the cut-off."""
    now = utc(now)
    lo, hi = year_bounds(year, calendar)
    as_of = min(hi, now)
    mpd = calendar.minutes_per_day
    orgs, units, execs = _get(frames, "organisations"), _get(frames, "units"), _get(frames, "executors")
    cases, ev, comp = _get(frames, "cases"), _get(frames, "step_events"), _get(frames, "complaints")
    holds = _get(frames, "holds")

    first = cases["started_at"].fillna(cases["created_at"]).min() if len(cases) else None
    years = available_years(first, now, calendar)
    choices = organisation_choices(orgs)

    # ---- cases of the organisation and of the year (cancelled cases count nowhere)
    c = cases[cases["status"].fillna("") != CANCELLED].copy()
    if org_id:
        c = c[c["org_id"] == org_id]
    c["start"] = c["started_at"].fillna(c["created_at"])
    c["finished_by_cut"] = (c["status"] == FINISHED) & c["finished_at"].notna() & (c["finished_at"] <= as_of)
    c["in_scope"] = (c["start"] <= as_of) & (c["finished_at"].isna() | (c["finished_at"] >= lo))
    c["drafts1"] = _at_least_one(c["drafts"])
    sc = c[c["in_scope"]].copy()
    e = ev[ev["case_id"].isin(set(sc["id"]))]
    clock = clock_for(calendar, e["started_at"], e["finished_at"], sc["start"], as_of)

    # ---- every step and block judged at the cut-off; the cases' lateness and progress
    judged = timing.judge(e, sc, holds, as_of, calendar, clock)
    at = timing.cases_at(sc, e, judged, as_of, calendar, holds, clock).set_index("case_id")
    sc["standard_minutes"] = sc["id"].map(at["plan_minutes"]).astype(float)
    sc["done_minutes"] = sc["id"].map(at["progress_minutes"]).astype(float)
    sc["share_done"] = np.where(sc["standard_minutes"] > 0, sc["done_minutes"] / sc["standard_minutes"].where(
        sc["standard_minutes"] > 0, 1.0), 0.0)
    started = e["started_at"].notna() & (e["started_at"] <= as_of)
    stage = e.loc[started].assign(stage=e.loc[started, "step_code"].map(step_stages()))
    stage = stage[stage["stage"].notna()].groupby("case_id")["stage"].max()
    sc["stage_reached"] = np.where(sc["finished_by_cut"], STAGE_DONE,
                                   sc["id"].map(stage).fillna(STAGE_NOT_STARTED)).astype(int)
    sc["late"] = sc["id"].map(at["late"]).fillna(False).astype(bool)
    sc["days_late"] = sc["id"].map(at["late_days"]).where(sc["late"])
    sc["current_step"] = sc["id"].map(at["current_step"])
    unit_name = dict(zip(units["id"], units["name"], strict=True))
    sc["units"] = _unit_names(sc["unit_ids"], unit_name)
    case_frame = conform("cases", sc.rename(columns={"id": "case_id"}))

    # ---- units and organisations
    pairs = sc[["id", "unit_ids"]].explode("unit_ids").dropna().rename(columns={"id": "case_id", "unit_ids": "unit_id"})
    pairs = pairs.drop_duplicates().merge(
        sc[["id", "finished_by_cut", "late", "done_minutes", "standard_minutes", "stage_reached"]].rename(
            columns={"id": "case_id"}), on="case_id")

    def aggregate(g: pd.DataFrame, key: str) -> pd.DataFrame:
        g = g.assign(open=~g["finished_by_cut"], open_stage=g["stage_reached"].where(~g["finished_by_cut"]))
        a = g.groupby(key).agg(cases=("case_id", "nunique"), cases_open=("open", "sum"),
                               cases_finished=("finished_by_cut", "sum"), cases_late=("late", "sum"),
                               done_minutes=("done_minutes", "sum"), standard_minutes=("standard_minutes", "sum"),
                               open_stage=("open_stage", "min"))
        a["share_done"] = np.where(a["standard_minutes"] > 0, a["done_minutes"] / a["standard_minutes"].where(
            a["standard_minutes"] > 0, 1.0), 0.0)
        a["stage_reached"] = a["open_stage"].where(a["cases_open"] > 0, STAGE_DONE)
        return a.drop(columns="open_stage")

    org_name = dict(zip(orgs["id"], orgs["name"], strict=True))
    u = units.copy()
    if org_id:
        u = u[u["org_id"] == org_id]
    ua = aggregate(pairs, "unit_id")
    u = u[(u["active"].fillna(True).astype(bool)) | u["id"].isin(ua.index)]
    u = u.rename(columns={"id": "unit_id", "name": "unit_name"}).merge(ua, left_on="unit_id", right_index=True,
                                                                       how="left")
    u["org_name"] = u["org_id"].map(org_name)
    u[_ZERO_WHEN_NO_CASE] = u[_ZERO_WHEN_NO_CASE].fillna(0)
    unit_frame = conform("units", u)

    o = orgs.copy()
    if org_id:
        o = o[o["id"] == org_id]
    oa = aggregate(sc.rename(columns={"id": "case_id"}), "org_id")
    o = o[o["active"].fillna(True).astype(bool) | o["id"].isin(oa.index)]
    o = o.rename(columns={"id": "org_id", "name": "org_name"}).merge(oa, left_on="org_id", right_index=True,
                                                                     how="left")
    per_org = unit_frame.groupby("org_id").agg(units=("unit_id", "size"),
                                               units_with_cases=("cases", lambda s: int((s > 0).sum())))
    o = o.merge(per_org, left_on="org_id", right_index=True, how="left")
    o[_ZERO_WHEN_NO_CASE] = o[_ZERO_WHEN_NO_CASE].fillna(0)
    org_frame = conform("orgs", o)

    # ---- lateness: what is overdue at the cut-off, and the late share by party over the year
    items = item_table().set_index("step_code")
    exec_name = dict(zip(execs["id"], execs["name"], strict=True))
    case_info = sc.set_index("id")
    overdue = judged[(judged["state"] == timing.OVERDUE)
                     & judged["case_id"].astype(object).map(~case_info["finished_by_cut"]).fillna(False).astype(bool)]
    ls = pd.DataFrame({
        "case_id": overdue["case_id"], "number": overdue["case_id"].map(case_info["number"]),
        "title": overdue["case_id"].map(case_info["title"]), "case_status": overdue["case_id"].map(case_info["status"]),
        "units": overdue["case_id"].map(sc.set_index("id")["units"]), "step_code": overdue["item"],
        "step_name": overdue["item"].map(items["step_name"]), "stage": overdue["stage"], "role": overdue["party"],
        "executor": overdue["executor_id"].map(exec_name), "started_at": overdue["start"], "due_at": overdue["due"],
        "days_late": overdue["late_minutes"] / mpd})
    late_steps = conform("late_steps", ls)

    fin = judged[judged["state"].isin([timing.ON_TIME, timing.LATE]) & _in(judged["finish"], lo, hi)]
    both = pd.concat([fin[["party", "late", "late_minutes"]], overdue[["party", "late", "late_minutes"]]])
    both = both.assign(days_late=(both["late_minutes"] / mpd).where(both["late"]), role=both["party"])
    if len(both):
        r = both.groupby("role").agg(judged=("late", "size"), late=("late", "sum"),
                                     days_late_total=("days_late", "sum"), days_late_median=("days_late", "median"))
        r["late_share"] = r["late"] / r["judged"]
        late_by_role = conform("late_by_role", r.reset_index())
    else:
        late_by_role = empty("late_by_role")

    # ---- bottlenecks: actual working time of each judged step or block against its standard
    if len(fin):
        b = fin.assign(actual=fin["used_minutes"] / mpd, std_days=fin["std_minutes"] / mpd,
                       lost=fin["late_minutes"] / mpd)
        g = b.groupby("item")
        bn = pd.DataFrame({"n": g.size(), "standard_days": g["std_days"].median(),
                           "actual_median": g["actual"].median(), "actual_p25": g["actual"].quantile(0.25),
                           "actual_p75": g["actual"].quantile(0.75), "late": g["late"].sum(),
                           "lost_days": g["lost"].sum()}).reset_index().rename(columns={"item": "step_code"})
        bn = bn.merge(items.reset_index(), on="step_code", how="left")
        bottlenecks = conform("bottlenecks", bn)
    else:
        bottlenecks = empty("bottlenecks")

    # ---- trend per month
    months = months_shown(lo, hi, as_of, calendar)
    opened = c[_in(c["start"], lo, hi) & (c["start"] <= as_of)]
    finished_in_year = c[(c["status"] == FINISHED) & _in(c["finished_at"], lo, hi)]
    month_of = (lambda s: s.dt.tz_convert(calendar.tz).dt.month)  # noqa: E731
    tr = pd.DataFrame({"month": range(1, months + 1)})
    tr["opened"] = tr["month"].map(month_of(opened["start"]).value_counts()).fillna(0)
    tr["finished"] = tr["month"].map(month_of(finished_in_year["finished_at"]).value_counts()).fillna(0)
    tr["documents"] = tr["month"].map(
        finished_in_year.groupby(month_of(finished_in_year["finished_at"]))["drafts1"].sum()
        if len(finished_in_year) else pd.Series(dtype=float)).fillna(0)
    done_cases = finished_in_year[finished_in_year["in_scope"]]
    trend = conform("trend", tr)

    # ---- headline
    q = comp.copy()
    if org_id:
        q = q[q["unit_id"].map(dict(zip(units["id"], units["org_id"], strict=True))) == org_id]
    resolved = pd.concat([q["answered_at"], q["closed_at"]], axis=1).min(axis=1)
    q_open = (q["created_at"] <= as_of) & (~q["status"].isin(COMPLAINT_DONE) | (resolved > as_of))
    q_overdue = q_open & q["due_at"].notna() & (q["due_at"] < as_of)
    headline = Headline(
        cases_open=int((~sc["finished_by_cut"]).sum()),
        cases_finished=int(len(done_cases)),
        docs_permen=int(done_cases.loc[done_cases["track"] == cat.PERMEN, "drafts1"].sum()),
        docs_intern=int(done_cases.loc[done_cases["track"] == cat.INTERN, "drafts1"].sum()),
        steps_judged=int(len(fin)), steps_on_time=int((~fin["late"]).sum()),
        cases_late=int((sc["late"] & ~sc["finished_by_cut"]).sum()),
        complaints_open=int(q_open.sum()), complaints_overdue=int(q_overdue.sum()))
    return Dashboard(year, org_id, now, as_of, years, headline, org_frame, unit_frame, case_frame, late_steps,
                     late_by_role, bottlenecks, trend, choices)


# ---- tables as shown and exported -----------------------------------------------------------------

def stage_label(stage, lang: str = "id") -> str:
    if stage is None or pd.isna(stage):
        return t("dash.stage.none", lang)
    stage = int(stage)
    if stage == STAGE_DONE:
        return t("dash.stage.done", lang)
    if stage == STAGE_NOT_STARTED:
        return t("dash.stage.0", lang)
    return t("dash.stage.n", lang, n=stage)


def _pct(s: pd.Series) -> pd.Series:
    return (s * 100).round(0)


def _days(s: pd.Series) -> pd.Series:
    return s.round(1)


def _label(prefix: str, s: pd.Series, lang: str) -> pd.Series:
    """Known codes (status, track) as words; anything else as stored."""
    return s.map(lambda v: t(f"{prefix}.{v}", lang) if isinstance(v, str) and f"{prefix}.{v}" in TEXTS else v)


def number_text(value, lang: str = "id", digits: int = 1) -> str:
    """A figure as the dashboard writes it: thousands grouped, at most ``digits`` decimals (none for a
    whole number), decimal comma in Indonesian, decimal point in English; "–" for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    whole = float(value).is_integer()
    text = f"{value:,.0f}" if whole else f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if lang == "id" else text


def as_text(frame: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """A table of ``table`` with its numbers written as ``number_text`` (for a table drawn as text, the
    projector's): never Python's "80.0000"; a case number never breaks at its hyphens."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map(lambda v: number_text(None if pd.isna(v) else v, lang))
    number = t("dash.col.number", lang)
    if number in out.columns:
        out[number] = out[number].map(lambda v: v.replace("-", "\u2011") if isinstance(v, str) else v)
    return out


def table(name: str, df: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """One of the dashboard's frames as people read it (and download it): headers in the user's
    language, percentages and working days rounded, dates as the ministry writes them."""
    def h(key: str) -> str:
        return t(f"dash.col.{key}", lang)

    def dates(s: pd.Series, with_time: bool = False) -> pd.Series:
        fmt = format_datetime if with_time else format_date
        return s.map(lambda v: None if pd.isna(v) else fmt(v.to_pydatetime(), lang))

    if name == "orgs":
        cols = {h("org"): df["org_name"], h("units_n"): df["units"], h("units_with_cases"): df["units_with_cases"],
                h("cases"): df["cases"], h("cases_open"): df["cases_open"], h("cases_finished"): df["cases_finished"],
                h("cases_late"): df["cases_late"], h("share"): _pct(df["share_done"]),
                h("stage"): df["stage_reached"].map(lambda v: stage_label(v, lang))}
    elif name == "units":
        cols = {h("unit"): df["unit_name"], h("org"): df["org_name"], h("cases"): df["cases"],
                h("cases_open"): df["cases_open"], h("cases_finished"): df["cases_finished"],
                h("cases_late"): df["cases_late"], h("share"): _pct(df["share_done"]),
                h("stage"): df["stage_reached"].map(lambda v: stage_label(v, lang))}
    elif name == "cases":
        cols = {h("number"): df["number"], h("title"): df["title"],
                h("status"): _label("dash.status", df["status"], lang),
                h("stage"): df["stage_reached"].map(lambda v: stage_label(v, lang)), h("share"): _pct(df["share_done"]),
                h("days_late"): _days(df["days_late"]), h("current"): df["current_step"],
                h("started"): dates(df["started_at"]), h("track"): _label("dash.track", df["track"], lang),
                h("drafts"): df["drafts"], h("units"): df["units"]}
    elif name == "late_steps":
        cols = {h("days_late"): _days(df["days_late"]), h("number"): df["number"], h("title"): df["title"],
                h("units"): df["units"], h("status"): _label("dash.status", df["case_status"], lang),
                h("step"): df["step_code"], h("step_name"): df["step_name"], h("role"): df["role"],
                h("executor"): df["executor"], h("due"): dates(df["due_at"], with_time=True)}
    elif name == "late_by_role":
        cols = {h("role"): df["role"], h("judged"): df["judged"], h("late"): df["late"],
                h("late_share"): _pct(df["late_share"]), h("days_total"): _days(df["days_late_total"]),
                h("days_median"): _days(df["days_late_median"])}
    elif name == "bottlenecks":
        cols = {h("step"): df["step_code"], h("step_name"): df["step_name"], h("lost"): _days(df["lost_days"]),
                h("actual_median"): _days(df["actual_median"]), h("std_days"): _days(df["standard_days"]),
                h("p25"): _days(df["actual_p25"]), h("p75"): _days(df["actual_p75"]), h("n"): df["n"],
                h("late"): df["late"], h("role"): df["role"]}
    elif name == "trend":
        cols = {h("month"): df["month"].map(lambda m: month_label(int(m), lang)), h("opened"): df["opened"],
                h("finished"): df["finished"], h("documents"): df["documents"]}
    else:
        raise KeyError(name)
    return pd.DataFrame({k: list(v) for k, v in cols.items()})


def headline_table(d: Dashboard, org_name: str, lang: str = "id") -> pd.DataFrame:
    h = d.headline
    share = "" if h.on_time_share is None else round(h.on_time_share * 100)
    rows = [(t("dash.col.year", lang), d.year), (t("dash.filter.org", lang), org_name),
            (t("dash.col.as_of", lang), format_datetime(d.as_of.to_pydatetime(), lang)),
            (t("dash.m.cases_open", lang), h.cases_open), (t("dash.m.cases_finished", lang), h.cases_finished),
            (t("dash.csv.docs_permen", lang), h.docs_permen), (t("dash.csv.docs_intern", lang), h.docs_intern),
            (t("dash.m.on_time", lang) + " (%)", share), (t("dash.m.cases_late", lang), h.cases_late),
            (t("dash.m.complaints_open", lang), h.complaints_open),
            (t("dash.m.complaints_overdue", lang), h.complaints_overdue)]
    return pd.DataFrame(rows, columns=[t("dash.col.figure", lang), t("dash.col.value", lang)])


# ---- exports -------------------------------------------------------------------------------------
