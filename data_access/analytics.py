"""The leadership dashboard's figures computed in SQL where the data lives.

On DuckDB and PostgreSQL the queries run in the store (``Repository.sql``): only the results
leave it. On Google Sheets the tables are read once (``Repository.frames``, one batch read) and the
DuckDB SQL runs over those DataFrames in an in-memory DuckDB. The queries are written once; where
the two SQL dialects differ a ``Dialect`` supplies the spelling.

The figures and their definitions are those of ``domain.dashboard.compute`` (the reference in
pandas); both return a ``domain.dashboard.Dashboard`` and tests hold them equal. Working time is
counted in SQL from a day table (weekdays minus the calendar's holidays, cumulated): the working
minutes up to an instant are the working days before its day times the office day, plus the part
of its own day within office hours; between two instants, the difference.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import time
from dataclasses import dataclass
from typing import Any, Callable

import duckdb
import pandas as pd

from domain import dashboard as dash
from domain.calendar import WorkCalendar
from domain.dashboard import Dashboard, Headline

Run = Callable[[str, list], pd.DataFrame]

# ---- the SQL ----------------------------------------------------------------------------------
# Named parameters ($name) are bound by the dialect; the same name may appear many times. The
# queries are written once; what DuckDB and PostgreSQL spell differently comes from a Dialect.


@dataclass(frozen=True)
class Dialect:
    """The SQL that differs between DuckDB (the file store, and the in-memory one over a batch read)
    and PostgreSQL. Everything else in the queries below is shared."""

    name: str
    instant: str                           # type of a stored instant: $as_of is cast to it
    n_units: Callable[[str], str]          # number of IDs in a unit_ids value
    local_us: Callable[[str], str]         # an instant as local microseconds since 1970
    local_month: Callable[[str], str]      # month (1-12) of an instant, local time
    arrays: Callable[[str, list[tuple[str, str, str]]], str]  # a CTE body: parallel array params as rows
    days: str                              # the calendar days between $cal_lo and $cal_hi, working or not
    unit_positions: str                    # (id, uid, pos) for each unit ID of each case in ``c``
    unit_pairs: str                        # (case_id, unit_id) for each unit ID of each case in ``sc``
    unit_list: Callable[[str], str]        # a unit_ids value as a list
    median: Callable[[str], str]
    quartiles: Callable[[str], str]        # [p25, median, p75] of a value, as an array
    ratio: Callable[[str, str], str]       # a / b as a floating-point number
    months: str                            # the months 1 … $months
    stack: Callable[[dict[str, str]], str]  # the parts as one result, told apart by ``part``
    placeholders: Callable[[str, list[str]], str]  # ``$name`` to the driver's parameter markers


def _duck_stack(parts: dict[str, str]) -> str:
    # Each part's columns prefixed with its name ("units__share_done"), stacked BY NAME.
    return "\nUNION ALL BY NAME\n".join(
        f"SELECT '{name}' AS part, COLUMNS('(.*)') AS '{name}__\\1' FROM ({sql}) AS part_{name}"
        for name, sql in parts.items())


def _pg_stack(parts: dict[str, str]) -> str:
    # PostgreSQL has no union by name: each part's rows travel as JSON objects.
    return "\nUNION ALL\n".join(f"SELECT '{name}' AS part, to_jsonb(p) AS row FROM ({sql}) AS p"
                                for name, sql in parts.items())


def _numbered(sql: str, names: list[str]) -> str:
    def number(m: re.Match) -> str:
        name = m.group(1)
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return re.sub(r"\$([a-z_]+)", number, sql)


def _pyformat(sql: str, names: list[str]) -> str:
    def named(m: re.Match) -> str:
        if m.group(1) not in names:
            names.append(m.group(1))
        return f"%({m.group(1)})s"

    return re.sub(r"\$([a-z_]+)", named, sql.replace("%", "%%"))


DUCKDB = Dialect(
    name="duckdb",
    instant="TIMESTAMP",
    n_units=lambda col: f"json_array_length({col})",
    local_us=lambda col: f"(epoch_us({col}) + CAST($off AS BIGINT) * 60000000)",
    local_month=lambda col: f"month({col} + to_minutes(CAST($off AS BIGINT)))",
    arrays=lambda _name, cols: "SELECT " + ", ".join(f"unnest(${p}) AS {c}" for c, p, _ in cols),
    days="""
  SELECT CAST(d AS DATE) AS d,
         isodow(d) <= 5 AND NOT list_contains(CAST($hol AS DATE[]), CAST(d AS DATE)) AS work
  FROM (SELECT unnest(generate_series(CAST($cal_lo AS DATE), CAST($cal_hi AS DATE), INTERVAL 1 DAY)) AS d)""",
    unit_positions="""SELECT id, unnest(from_json(unit_ids, '["VARCHAR"]')) AS uid,
               generate_subscripts(from_json(unit_ids, '["VARCHAR"]'), 1) AS pos FROM c""",
    unit_pairs="""SELECT id AS case_id, unnest(from_json(unit_ids, '["VARCHAR"]')) AS unit_id FROM sc""",
    unit_list=lambda col: f"""from_json({col}, '["VARCHAR"]')""",
    median=lambda x: f"median({x})",
    quartiles=lambda x: f"quantile_cont({x}, [0.25, 0.5, 0.75])",
    ratio=lambda a, b: f"{a} / {b}",
    months="SELECT unnest(range(1, CAST($months AS BIGINT) + 1)) AS month",
    stack=_duck_stack,
    placeholders=_numbered,
)

POSTGRES = Dialect(
    name="postgres",
    instant="TIMESTAMPTZ",
    n_units=lambda col: f"jsonb_array_length({col})",
    # date_part's double is within a fraction of a microsecond; the cast rounds it to the exact
    # stored microsecond, far cheaper than extract's numeric.
    local_us=lambda col: f"(CAST(date_part('epoch', {col}) * 1000000 AS BIGINT) + CAST($off AS BIGINT) * 60000000)",
    local_month=lambda col: f"CAST(extract(month FROM {col} + CAST($off AS INTEGER) * INTERVAL '1 minute') AS INTEGER)",
    arrays=lambda name, cols: (
        "SELECT * FROM unnest(" + ", ".join(f"CAST(${p} AS {t}[])" for _, p, t in cols)
        + f") AS {name}_({', '.join(c for c, _, _ in cols)})"),
    days="""
  SELECT CAST(g AS DATE) AS d,
         extract(isodow FROM g) <= 5 AND NOT (CAST(g AS DATE) = ANY(CAST($hol AS DATE[]))) AS work
  FROM generate_series(CAST($cal_lo AS TIMESTAMP), CAST($cal_hi AS TIMESTAMP), INTERVAL '1 day') AS g""",
    unit_positions="""SELECT c.id, j.uid COLLATE "C" AS uid, j.pos
               FROM c, jsonb_array_elements_text(c.unit_ids) WITH ORDINALITY AS j(uid, pos)""",
    unit_pairs="""SELECT sc.id AS case_id, j.unit_id COLLATE "C" AS unit_id
               FROM sc, jsonb_array_elements_text(sc.unit_ids) AS j(unit_id)""",
    unit_list=lambda col: col,
    median=lambda x: f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {x})",
    quartiles=lambda x: f"percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY {x})",
    ratio=lambda a, b: f"CAST({a} AS FLOAT8) / {b}",
    months="SELECT generate_series(1, CAST($months AS INTEGER)) AS month",
    stack=_pg_stack,
    placeholders=_pyformat,
)


@dataclass(frozen=True)
class Queries:
    prep: str
    org_list: str
    keys: str
    figures: str
    trend: str


def _pkey(d: Dialect) -> str:
    """The parameter set a case's standard times depend on, as one text key."""
    return ("concat(coalesce(track, ''), '|', greatest(coalesce(drafts, 1), 1), '|', "
            f"greatest(coalesce({d.n_units('unit_ids')}, 0), 1), '|', greatest(coalesce(organisations, 1), 1), '|', "
            "coalesce(meeting_location, ''), '|', coalesce(team_decree, ''))")


def _w(d: Dialect, alias: str, col: str) -> tuple[str, str]:
    """(join, expression): working minutes from the day table's origin up to ``col``.

    Local time as microseconds since 1970 gives the day number (joined to the day table on an
    integer) and the minute of the day without any date arithmetic per row."""
    local_us = d.local_us(col)
    idiv = "//" if d is DUCKDB else "/"  # integer division (the values are positive)
    join = f"LEFT JOIN cal {alias} ON {alias}.dn = {local_us} {idiv} 86400000000"
    tod = f"(({local_us} % 86400000000) / 60e6)"
    expr = (f"({alias}.before * $mpd + CASE WHEN {alias}.work THEN least(greatest({tod} - $open, 0), $mpd) "
            f"ELSE 0 END)")
    return join, expr


def build_queries(d: Dialect) -> Queries:
    pkey = _pkey(d)
    j_due, w_due = _w(d, "cd", "x.due_at")
    j_fin, w_fin = _w(d, "cf", "x.finished_at")
    j_start, w_start = _w(d, "cs", "x.started_at")
    j_ref, w_ref = _w(d, "cr", "x.ref")
    steps = d.arrays("steps", [("step_code", "s_code", "TEXT"), ("step_order", "s_order", "BIGINT"),
                               ("stage", "s_stage", "BIGINT"), ("step_name", "s_name", "TEXT"),
                               ("role", "s_role", "TEXT"), ("has_std", "s_has", "BOOLEAN")])
    keys = d.arrays("keys", [("pkey", "p_key", "TEXT"), ("kid", "p_kid", "BIGINT")])
    std = d.arrays("std", [("kid", "k_kid", "BIGINT"), ("step_order", "k_order", "BIGINT"),
                           ("std_minutes", "k_min", "FLOAT8")])
    base = f"""
WITH steps AS ({steps}),
-- Standard minutes per parameter set (kid) and step (step_order): integer keys for the big join.
keys AS ({keys}),
std AS ({std}),
days AS ({d.days}),
cal AS (
  SELECT d, CAST(d - DATE '1970-01-01' AS BIGINT) AS dn, work,
         coalesce(sum(CAST(work AS INTEGER)) OVER (ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
           AS before
  FROM days),
c AS (
  SELECT cs.id, cs.number, cs.title, cs.org_id, cs.unit_ids, cs.status, cs.track, cs.drafts, cs.started_at,
         cs.finished_at, cs.current_step, coalesce(cs.started_at, cs.created_at) AS start, keys.kid,
         greatest(coalesce(cs.drafts, 1), 1) AS drafts1,
         (cs.status = 'selesai' AND cs.finished_at IS NOT NULL AND cs.finished_at <= $as_of) AS finished_by_cut,
         -- a held case's clock stopped when the hold began
         CASE WHEN cs.status = 'ditunda' AND cs.hold_since IS NOT NULL AND cs.hold_since < $as_of
              THEN cs.hold_since ELSE CAST($as_of AS {d.instant}) END AS ref
  FROM (SELECT *, {pkey} AS pkey FROM cases) cs LEFT JOIN keys ON keys.pkey = cs.pkey
  WHERE coalesce(cs.status, '') <> 'dibatalkan' AND (CAST($org AS VARCHAR) IS NULL OR cs.org_id = $org)
    -- the cases of the year: started by the cut-off, not finished before the year began
    AND coalesce(cs.started_at, cs.created_at) <= $as_of AND (cs.finished_at IS NULL OR cs.finished_at >= $lo)),
e AS (
  SELECT e.case_id, e.step_code, e.status, e.started_at, e.due_at, e.finished_at, e.actor_id, c.finished_by_cut, c.ref,
         s.step_order, s.stage, s.step_name, s.role, coalesce(s.has_std, false) AS has_std, k.std_minutes
  FROM step_events e JOIN c ON c.id = e.case_id
  LEFT JOIN steps s ON s.step_code = e.step_code
  LEFT JOIN std k ON k.kid = c.kid AND k.step_order = s.step_order),
opn AS (
  SELECT x.*, ({w_ref} - {w_due}) / $mpd AS days_late
  FROM e x {j_due} {j_ref}
  WHERE coalesce(x.status, '') <> 'dilewati' AND x.has_std AND x.due_at IS NOT NULL AND x.started_at IS NOT NULL
    AND x.started_at < $as_of AND x.due_at < x.ref AND (x.finished_at IS NULL OR x.finished_at > $as_of)
    AND NOT x.finished_by_cut),
fin AS (
  SELECT x.*, {w_start} AS w_start, {w_due} AS w_due, {w_fin} AS w_fin
  FROM e x {j_start} {j_due} {j_fin}
  WHERE x.status = 'selesai' AND x.finished_at >= $lo AND x.finished_at < $hi),
cu AS (
  SELECT x.id, string_agg(coalesce(u.name, x.uid), ', ' ORDER BY x.pos) AS units
  FROM ({d.unit_positions}) x
  LEFT JOIN units u ON u.id = x.uid GROUP BY x.id),
sc AS (
  SELECT c.*, coalesce(t.total, 0) AS standard_minutes,
         CASE WHEN c.finished_by_cut THEN coalesce(t.total, 0)
              ELSE least(coalesce(d.done, 0), coalesce(t.total, 0)) END AS done_minutes,
         CASE WHEN c.finished_by_cut THEN {dash.STAGE_DONE} ELSE coalesce(g.stage, {dash.STAGE_NOT_STARTED}) END
           AS stage_reached,
         l.days_late, l.days_late IS NOT NULL AS late
  FROM c
  LEFT JOIN (SELECT kid, sum(std_minutes) AS total FROM std GROUP BY kid) t ON t.kid = c.kid
  LEFT JOIN (SELECT case_id, sum(std_minutes) AS done FROM e
             WHERE status IN ('selesai', 'dilewati')
               AND (coalesce(finished_at, started_at) IS NULL OR coalesce(finished_at, started_at) <= $as_of)
             GROUP BY case_id) d ON d.case_id = c.id
  LEFT JOIN (SELECT case_id, max(stage) AS stage FROM e
             WHERE (started_at IS NULL OR started_at <= $as_of) AND stage IS NOT NULL GROUP BY case_id) g
    ON g.case_id = c.id
  LEFT JOIN (SELECT case_id, max(days_late) AS days_late FROM opn GROUP BY case_id) l ON l.case_id = c.id),
ua AS (
  SELECT p.unit_id, count(DISTINCT sc.id) AS cases, count(*) FILTER (WHERE NOT sc.finished_by_cut) AS cases_open,
         count(*) FILTER (WHERE sc.finished_by_cut) AS cases_finished, count(*) FILTER (WHERE sc.late) AS cases_late,
         sum(sc.done_minutes) AS done_minutes, sum(sc.standard_minutes) AS standard_minutes,
         min(sc.stage_reached) FILTER (WHERE NOT sc.finished_by_cut) AS open_stage
  FROM (SELECT DISTINCT case_id, unit_id FROM ({d.unit_pairs}) pairs) p
  JOIN sc ON sc.id = p.case_id GROUP BY p.unit_id),
ul AS (
  SELECT u.id AS unit_id, u.name AS unit_name, u.org_id, o.name AS org_name,
         coalesce(ua.cases, 0) AS cases, coalesce(ua.cases_open, 0) AS cases_open,
         coalesce(ua.cases_finished, 0) AS cases_finished, coalesce(ua.cases_late, 0) AS cases_late,
         coalesce(ua.done_minutes, 0) AS done_minutes, coalesce(ua.standard_minutes, 0) AS standard_minutes,
         CASE WHEN ua.standard_minutes > 0 THEN ua.done_minutes / ua.standard_minutes ELSE 0 END AS share_done,
         CASE WHEN ua.unit_id IS NULL THEN NULL WHEN ua.cases_open > 0 THEN ua.open_stage
              ELSE {dash.STAGE_DONE} END AS stage_reached
  FROM units u LEFT JOIN ua ON ua.unit_id = u.id LEFT JOIN organisations o ON o.id = u.org_id
  WHERE (CAST($org AS VARCHAR) IS NULL OR u.org_id = $org) AND (coalesce(u.active, true) OR ua.unit_id IS NOT NULL))
"""
    # Every figure but the trend comes from ONE query, so that the step events are joined and placed
    # in working time once: each part below is a SELECT over the shared CTEs, the parts stacked and
    # told apart by ``part``; compute_sql splits them again.
    part_ctes = """,
q AS (
  SELECT q.* FROM complaints q LEFT JOIN units u ON u.id = q.unit_id
  WHERE CAST($org AS VARCHAR) IS NULL OR u.org_id = $org),
qo AS (
  SELECT due_at FROM q WHERE created_at <= $as_of
    AND (coalesce(status, '') NOT IN ('dijawab', 'ditutup') OR least(answered_at, closed_at) > $as_of)),
done_cases AS (SELECT * FROM c WHERE status = 'selesai' AND finished_at >= $lo AND finished_at < $hi),
oa AS (
  SELECT org_id, count(*) AS cases, count(*) FILTER (WHERE NOT finished_by_cut) AS cases_open,
         count(*) FILTER (WHERE finished_by_cut) AS cases_finished, count(*) FILTER (WHERE late) AS cases_late,
         sum(done_minutes) AS done_minutes, sum(standard_minutes) AS standard_minutes,
         min(stage_reached) FILTER (WHERE NOT finished_by_cut) AS open_stage
  FROM sc GROUP BY org_id),
ou AS (SELECT org_id, count(*) AS units, count(*) FILTER (WHERE cases > 0) AS units_with_cases FROM ul GROUP BY org_id),
judged AS (
  SELECT role, finished_at > due_at AS late,
         CASE WHEN finished_at > due_at THEN (w_fin - w_due) / $mpd END AS days_late
  FROM fin WHERE has_std AND due_at IS NOT NULL),
both_ AS (SELECT role, late, days_late FROM judged UNION ALL SELECT role, true, days_late FROM opn),
b AS (
  SELECT step_code, has_std, std_minutes, (w_fin - w_start) / $mpd AS actual,
         has_std AND due_at IS NOT NULL AND finished_at > due_at AS late,
         CASE WHEN has_std AND due_at IS NOT NULL AND finished_at > due_at THEN (w_fin - w_due) / $mpd ELSE 0 END
           AS lost
  FROM fin WHERE started_at IS NOT NULL AND step_order IS NOT NULL)
"""
    parts = {
        "headline": """
SELECT
  (SELECT count(*) FROM sc WHERE NOT finished_by_cut) AS cases_open,
  (SELECT count(*) FROM done_cases) AS cases_finished,
  (SELECT coalesce(sum(drafts1), 0) FROM done_cases WHERE track = 'permen') AS docs_permen,
  (SELECT coalesce(sum(drafts1), 0) FROM done_cases WHERE track = 'intern') AS docs_intern,
  (SELECT count(*) FROM judged) AS steps_judged,
  (SELECT count(*) FILTER (WHERE NOT late) FROM judged) AS steps_on_time,
  (SELECT count(DISTINCT case_id) FROM opn) AS cases_late,
  (SELECT count(*) FROM qo) AS complaints_open,
  (SELECT count(*) FILTER (WHERE due_at IS NOT NULL AND due_at < $as_of) FROM qo) AS complaints_overdue""",
        "orgs": f"""
SELECT o.id AS org_id, o.name AS org_name, o.sort_order, coalesce(ou.units, 0) AS units,
       coalesce(ou.units_with_cases, 0) AS units_with_cases, coalesce(oa.cases, 0) AS cases,
       coalesce(oa.cases_open, 0) AS cases_open, coalesce(oa.cases_finished, 0) AS cases_finished,
       coalesce(oa.cases_late, 0) AS cases_late, coalesce(oa.done_minutes, 0) AS done_minutes,
       coalesce(oa.standard_minutes, 0) AS standard_minutes,
       CASE WHEN oa.standard_minutes > 0 THEN oa.done_minutes / oa.standard_minutes ELSE 0 END AS share_done,
       CASE WHEN oa.org_id IS NULL THEN NULL WHEN oa.cases_open > 0 THEN oa.open_stage
            ELSE {dash.STAGE_DONE} END AS stage_reached
FROM organisations o LEFT JOIN oa ON oa.org_id = o.id LEFT JOIN ou ON ou.org_id = o.id
WHERE (CAST($org AS VARCHAR) IS NULL OR o.id = $org) AND (coalesce(o.active, true) OR oa.org_id IS NOT NULL)""",
        "units": "SELECT * FROM ul",
        "cases": f"""
SELECT sc.id AS case_id, sc.number, sc.title, sc.org_id, {d.unit_list('sc.unit_ids')} AS unit_ids,
       cu.units, sc.status, sc.track, sc.drafts, sc.started_at, sc.finished_at, sc.current_step, sc.stage_reached,
       sc.done_minutes, sc.standard_minutes,
       CASE WHEN sc.standard_minutes > 0 THEN sc.done_minutes / sc.standard_minutes ELSE 0 END AS share_done,
       sc.late, sc.days_late
FROM sc LEFT JOIN cu ON cu.id = sc.id""",
        "late_steps": """
SELECT o.case_id, c.number, c.title, c.status AS case_status, cu.units, o.step_code, o.step_name, o.stage, o.role,
       x.name AS executor, o.started_at, o.due_at, o.days_late
FROM opn o JOIN c ON c.id = o.case_id LEFT JOIN cu ON cu.id = c.id LEFT JOIN executors x ON x.id = o.actor_id""",
        "late_by_role": f"""
SELECT role, count(*) AS judged, count(*) FILTER (WHERE late) AS late,
       {d.ratio('count(*) FILTER (WHERE late)', 'count(*)')} AS late_share,
       coalesce(sum(days_late), 0) AS days_late_total, {d.median('days_late')} AS days_late_median
FROM both_ WHERE role IS NOT NULL GROUP BY role""",
        "bottlenecks": f"""
SELECT step_code, step_name, stage, role, step_order, n, standard_days, actual_q[1] AS actual_p25,
       actual_q[2] AS actual_median, actual_q[3] AS actual_p75, late, lost_days
FROM (SELECT b.step_code, s.step_name, s.stage, s.role, s.step_order, count(*) AS n,
             {d.median('CASE WHEN b.has_std THEN b.std_minutes / $mpd END')} AS standard_days,
             {d.quartiles('b.actual')} AS actual_q, count(*) FILTER (WHERE b.late) AS late,
             sum(b.lost) AS lost_days
      FROM b JOIN steps s ON s.step_code = b.step_code
      GROUP BY b.step_code, s.step_name, s.stage, s.role, s.step_order) AS per_step""",
    }
    trend = f"""
WITH c AS (
  SELECT coalesce(started_at, created_at) AS start, status, finished_at, greatest(coalesce(drafts, 1), 1) AS drafts1
  FROM cases
  WHERE coalesce(status, '') <> 'dibatalkan' AND (CAST($org AS VARCHAR) IS NULL OR org_id = $org)),
months AS ({d.months}),
op AS (SELECT {d.local_month('start')} AS m, count(*) AS n FROM c
       WHERE start >= $lo AND start < $hi AND start <= $as_of GROUP BY 1),
fc AS (SELECT {d.local_month('finished_at')} AS m, count(*) AS n, sum(drafts1) AS d FROM c
       WHERE status = 'selesai' AND finished_at >= $lo AND finished_at < $hi GROUP BY 1)
SELECT months.month, coalesce(op.n, 0) AS opened, coalesce(fc.n, 0) AS finished, coalesce(fc.d, 0) AS documents
FROM months LEFT JOIN op ON op.m = months.month LEFT JOIN fc ON fc.m = months.month ORDER BY months.month
"""
    return Queries(
        prep="""
SELECT (SELECT min(coalesce(started_at, created_at)) FROM cases) AS first_start,
       (SELECT least(min(started_at), min(due_at), min(finished_at)) FROM step_events) AS ev_min,
       (SELECT greatest(max(started_at), max(due_at), max(finished_at)) FROM step_events) AS ev_max
""",
        org_list="SELECT id, name, sort_order, active FROM organisations",
        keys=f"""
SELECT DISTINCT {pkey} AS pkey FROM cases
WHERE coalesce(status, '') <> 'dibatalkan' AND (CAST($org AS VARCHAR) IS NULL OR org_id = $org)
""",
        figures=base + part_ctes + d.stack(parts),
        trend=trend,
    )


PARTS = ("headline", "orgs", "units", "cases", "late_steps", "late_by_role", "bottlenecks")
QUERIES = {d.name: build_queries(d) for d in (DUCKDB, POSTGRES)}


def split_parts(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The stacked result of the figures query as one frame per part, with the part's own column names."""
    out = {}
    if "row" in df.columns and not any("__" in c for c in df.columns):  # PostgreSQL: one JSON object per row
        for name in PARTS:
            part = pd.DataFrame(list(df.loc[df["part"] == name, "row"])).reset_index(drop=True)
            # Instants arrive as ISO text whose fraction of a second has as many digits as it needs.
            for col, kind in dash.SPEC.get(name, ((), (), ()))[0]:
                if kind == "time" and col in part.columns:
                    part[col] = pd.to_datetime(part[col], utc=True, format="ISO8601")
            out[name] = part
        return out
    for name in PARTS:
        prefix = f"{name}__"
        cols = [c for c in df.columns if c.startswith(prefix)]
        rows = df.loc[df["part"] == name, cols]
        out[name] = rows.rename(columns={c: c[len(prefix):] for c in cols}).reset_index(drop=True)
    return out


def _bind(dialect: Dialect, sql: str, values: dict[str, Any]) -> tuple[str, Any]:
    """``$name`` placeholders as the driver wants them, with the values to pass."""
    names: list[str] = []
    text = dialect.placeholders(sql, names)
    if dialect is DUCKDB:
        return text, [values[n] for n in names]
    return text, {n: values[n] for n in names}


def _naive_utc(ts: pd.Timestamp) -> dt.datetime:
    return ts.tz_convert("UTC").tz_localize(None).to_pydatetime()


def _utc(value) -> pd.Timestamp:
    """An instant read back from the SQL (naive UTC from DuckDB, aware from PostgreSQL)."""
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tz is None else ts.tz_convert("UTC")


# ---- running the SQL: in the store, or over one batch read ------------------------------------

def _store_runner(repo) -> tuple[Run, contextlib.AbstractContextManager]:
    session = repo.session() if hasattr(repo, "session") else contextlib.nullcontext()
    return (lambda sql, params: repo.sql(sql, params)), session


# The columns the SQL reads, per table: only these are converted and handed to DuckDB.
SQL_COLUMNS = {
    "organisations": ["id", "name", "sort_order", "active"],
    "units": ["id", "org_id", "name", "active"],
    "executors": ["id", "name"],
    "cases": ["id", "number", "title", "org_id", "unit_ids", "status", "track", "drafts", "organisations",
              "meeting_location", "team_decree", "current_step", "started_at", "finished_at", "created_at",
              "hold_since"],
    "step_events": ["case_id", "step_code", "status", "started_at", "finished_at", "due_at", "actor_id"],
    "complaints": ["unit_id", "status", "created_at", "due_at", "answered_at", "closed_at"],
}


def frames_for_sql(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The typed frames as the store keeps them: naive UTC timestamps, lists as JSON text."""
    from data_access.schema import TYPES

    out = {}
    for table, cols in SQL_COLUMNS.items():
        df = frames[table][cols].copy()
        for col in cols:
            kind = TYPES[table][col]
            if kind == "datetime":
                s = pd.to_datetime(df[col], utc=True)
                df[col] = s.dt.tz_localize(None).astype("datetime64[us]")
            elif kind == "list":
                df[col] = df[col].map(lambda v: json.dumps(list(v), ensure_ascii=False)
                                      if isinstance(v, (list, tuple)) or hasattr(v, "tolist") else None)
                df[col] = df[col].astype(object)
        out[table] = df
    return out


def _frames_runner(repo, frames=None) -> tuple[Run, contextlib.AbstractContextManager]:
    frames = frames_for_sql(repo.frames(dash.TABLES) if frames is None else {t: frames[t] for t in dash.TABLES})
    con = duckdb.connect(":memory:")
    for table, df in frames.items():
        con.register(table, df)

    @contextlib.contextmanager
    def closing():
        try:
            yield
        finally:
            con.close()

    return (lambda sql, params: con.execute(sql, params).df()), closing()


SQL_DIALECTS = {"duckdb": DUCKDB, "postgres": POSTGRES}


def in_store(repo) -> bool:
    return getattr(repo, "backend", "") in SQL_DIALECTS and hasattr(repo, "sql")


# ---- the dashboard -----------------------------------------------------------------------------

def dashboard(repo, year: int, calendar: WorkCalendar, now, org_id: str | None = None, *,
              use_store_sql: bool | None = None, frames: dict[str, pd.DataFrame] | None = None) -> Dashboard:
    """All figures of the dashboard, computed in SQL (see the module's docstring).

    ``frames``: the tables already read (a page's cached batch read), used when the SQL does not
    run in the store; otherwise they are read here, once."""
    started = time.perf_counter()
    use_store_sql = in_store(repo) if use_store_sql is None else use_store_sql
    run, context = _store_runner(repo) if use_store_sql else _frames_runner(repo, frames)
    dialect = SQL_DIALECTS[repo.backend] if use_store_sql else DUCKDB
    read = time.perf_counter() - started
    with context:
        result = compute_sql(run, year, calendar, now, org_id, dialect)
    result.timings["read"] = read
    result.timings["total"] = time.perf_counter() - started
    return result


def compute_sql(run: Run, year: int, calendar: WorkCalendar, now, org_id: str | None = None,
                dialect: Dialect = DUCKDB) -> Dashboard:
    now = dash.utc(now)
    lo, hi = dash.year_bounds(year, calendar)
    as_of = min(hi, now)
    clock = dash.WorkClock(calendar)
    timings: dict[str, float] = {}

    def query(name: str, sql: str, values: dict) -> pd.DataFrame:
        t = time.perf_counter()
        text, params = _bind(dialect, sql, values)
        df = run(text, params)
        timings[name] = time.perf_counter() - t
        return df

    sql = QUERIES[dialect.name]
    prep = query("prep", sql.prep, {}).iloc[0]
    first = prep["first_start"]
    years = dash.available_years(None if pd.isna(first) else _utc(first), now, calendar)
    choices = dash.organisation_choices(query("org_list", sql.org_list, {}))
    keys = query("keys", sql.keys, {"org": org_id})["pkey"].tolist()
    std = dash.standard_table(keys, clock.mpd)
    kids = sorted(set(keys))
    steps = dash.step_table()

    # The day table spans every instant the queries place in working time, a day either side.
    instants = [as_of, now] + [_utc(v) for v in (prep["ev_min"], prep["ev_max"])
                               if not pd.isna(v)]
    local_days = [t.tz_convert(calendar.tz).date() for t in instants]
    cal_lo, cal_hi = min(local_days) - dt.timedelta(days=1), max(local_days) + dt.timedelta(days=1)
    offset = as_of.tz_convert(calendar.tz).utcoffset()
    # DuckDB keeps instants as naive UTC; PostgreSQL as timestamptz.
    instant = _naive_utc if dialect is DUCKDB else (lambda ts: ts.tz_convert("UTC").to_pydatetime())
    values = {
        "s_code": steps["step_code"].tolist(), "s_order": steps["step_order"].tolist(),
        "s_stage": steps["stage"].tolist(), "s_name": steps["step_name"].tolist(), "s_role": steps["role"].tolist(),
        "s_has": steps["has_std"].tolist(),
        "p_key": kids, "p_kid": list(range(len(kids))),
        "k_kid": std["pkey"].map({k: i for i, k in enumerate(kids)}).tolist(),
        "k_order": std["step_code"].map(steps.set_index("step_code")["step_order"]).astype(int).tolist(),
        "k_min": [float(m) for m in std["std_minutes"]],
        "hol": clock.holidays(cal_lo.year, cal_hi.year), "cal_lo": cal_lo, "cal_hi": cal_hi,
        "off": int(offset.total_seconds() // 60), "mpd": clock.mpd, "open": clock.open_minute,
        "lo": instant(lo), "hi": instant(hi), "as_of": instant(as_of), "org": org_id,
        "months": dash.months_shown(lo, hi, as_of, calendar),
    }
    if not values["k_kid"]:  # typed empty lists
        values.update(k_kid=[-1], k_order=[-1], k_min=[0.0])
    if not values["p_key"]:
        values.update(p_key=[""], p_kid=[-1])

    parts = split_parts(query("figures", sql.figures, values))
    h = parts.pop("headline").iloc[0]
    headline = Headline(**{f: int(h[f]) for f in Headline.__dataclass_fields__})
    out = {name: dash.conform(name, df) for name, df in parts.items()}
    out["trend"] = dash.conform("trend", query("trend", sql.trend, values))
    result = Dashboard(year, org_id, now, as_of, years, headline, out["orgs"], out["units"], out["cases"],
                       out["late_steps"], out["late_by_role"], out["bottlenecks"], out["trend"], choices)
    result.timings.update(timings)
    return result
