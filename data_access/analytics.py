"""The leadership dashboard's figures computed in SQL where the data lives.

On DuckDB and PostgreSQL the queries run in the store (``Repository.sql``): only the results leave
it. On Google Sheets the tables are read once (``Repository.frames``, one batch read) and the same
SQL runs over those DataFrames in an in-memory DuckDB.

The figures and their definitions are those of ``domain.dashboard.compute`` (the reference in
pandas), on the one timing rule of ``domain.timing``; both return a ``domain.dashboard.Dashboard``
and tests hold them equal. Nothing of the rule is written here as a literal: the statuses, the
judged items and their members for each distinct set of case parameters, the plan, the parties a
step may count against, the parameter defaults and the closed days of the working-time clock are
bound as parameters from the domain.

Working time is counted as ``domain.worktime.WorkClock`` counts it, on the same range of days: a
day table (each day's office hours from the Bureau's calendar, cumulated) gives each instant its *ordinal*, the
working minutes from the clock's first day; the working time between two instants is the
difference. Where an instant must come back from working time (a due instant), the SQL returns the
ordinal and Python turns it into an instant with the same clock.

The queries are written once, in what DuckDB and PostgreSQL share: CTEs, window functions,
``CASE``, ``FILTER``, ``percentile_cont … WITHIN GROUP``, bound lists unnested from cast arrays.
What the two spell differently (an instant's microseconds, integer division, a case's unit list,
stacking the figures' parts in one result, the parameter markers) comes from a
``data_access.sql_dialect.Dialect``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable

import duckdb
import pandas as pd

from data_access.sql_dialect import DIALECTS, DUCKDB, Dialect
from domain.ports import RunsSql, store_session
from domain import case_params, timing
from domain import catalogue as cat
from domain import dashboard as dash
from domain.calendar import WorkCalendar
from domain.dashboard import Dashboard, Headline
from domain.models import ACTIVE, C_ANSWERED, C_CLOSED, CANCELLED, DONE, FINISHED, ON_HOLD, SKIPPED
from domain.worktime import WorkClock, clock_for

Run = Callable[[str, Any], pd.DataFrame]  # SQL and its bound values, as the dialect binds them

DAY_US = 86_400_000_000
# What ``str.strip`` strips: a blank parameter padded with any of these is still blank.
WHITESPACE = "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace())

# ---- the working-time clock in SQL ----------------------------------------------------------------

def local_us(col: str, d: Dialect = DUCKDB) -> str:
    """Local time of a stored instant as microseconds since 1970 (the calendar's fixed offset added)."""
    return f"{d.epoch_us(col)} + $off_us"


def _day_of(us: str, d: Dialect) -> str:
    """Integer day number of microseconds since 1970 (positive: no instant before 1970 is placed)."""
    return f"({us} {d.int_div} {DAY_US})"


# ---- the SQL ----------------------------------------------------------------------------------
# Named parameters ($name) are bound by the dialect; the same name may appear many times.

def _list(name: str, kind: str) -> str:
    return f"unnest(CAST(${name} AS {kind}[]))"


def ordinal(us: str, day: str, d: Dialect = DUCKDB) -> str:
    """The clock's ordinal of a local instant ``us`` (microseconds, NULL for none), its day's row of
    ``cal`` joined as ``day``: as ``WorkClock.ordinal``, an instant out of office hours counts as
    the next working instant, and one outside the clock's range as its first or last instant."""
    return (f"CASE WHEN {us} IS NULL THEN NULL "
            f"WHEN {day}.dn IS NULL THEN CASE WHEN {_day_of(us, d)} < $dn_lo THEN 0 ELSE $ord_end END "
            f"ELSE {day}.before_min + CASE WHEN {day}.work THEN least(greatest("
            f"CAST({us} - {day}.dn * {DAY_US} AS DOUBLE PRECISION) / 60000000 - {day}.open_min, 0), {day}.len_min) "
            f"ELSE 0 END END")


def join_day(alias: str, us: str, d: Dialect = DUCKDB) -> str:
    return f"LEFT JOIN cal {alias} ON {alias}.dn = {_day_of(us, d)}"


def _holds_within(spans: str, a: str, b: str) -> str:
    """(cno, a, b, held): the working minutes of each case's holds inside the spans [a, b] (ordinals)
    of ``spans``, as ``timing._held``; only the cases with holds, the others hold nothing."""
    return (f"SELECT s.cno, s.{a}, s.{b}, sum(greatest(least(s.{b}, h.b_ord) - greatest(s.{a}, h.a_ord), 0)) "
            f"AS held FROM (SELECT DISTINCT cno, {a}, {b} FROM {spans} WHERE cno IN (SELECT cno FROM hold_ord)) s "
            f"JOIN hold_ord h ON h.cno = s.cno GROUP BY s.cno, s.{a}, s.{b}")


def _canonical(col: str, choices: str, default: str) -> str:
    text = f"trim(BOTH $ws FROM {col})"
    return f"CASE WHEN {text} IN (SELECT {_list(choices, 'VARCHAR')}) THEN {text} ELSE ${default} END"


# The cases of the year (cancelled cases count nowhere): started by the cut-off and not finished
# before the year began; with their plan parameters read as ``case_params.read`` reads them (a
# blank or unknown value takes the default).
def scope(d: Dialect) -> str:
    return f"""
  SELECT cs.id, cs.number, cs.title, cs.org_id, cs.unit_ids, cs.status, cs.track, cs.drafts, cs.started_at,
         cs.finished_at, cs.hold_since, coalesce(cs.started_at, cs.created_at) AS start,
         greatest(coalesce(cs.drafts, 1), 1) AS drafts1,
         coalesce(cs.status = $finished AND cs.finished_at IS NOT NULL AND cs.finished_at <= $cut, false)
           AS finished_by_cut,
         {_canonical('cs.track', 'tracks', 'd_track')} AS p_track,
         CASE WHEN cs.drafts >= 1 THEN cs.drafts ELSE $d_drafts END AS p_drafts,
         -- as many units as listed, at least one (case_params._units)
         CASE WHEN {d.json_length('cs.unit_ids')} >= 1 THEN {d.json_length('cs.unit_ids')} ELSE 1 END AS p_units,
         CASE WHEN cs.organisations >= 1 THEN cs.organisations ELSE $d_orgs END AS p_orgs,
         {_canonical('cs.meeting_location', 'meetings', 'd_meeting')} AS p_meeting,
         {_canonical('cs.team_decree', 'decrees', 'd_decree')} AS p_decree
  FROM cases cs
  WHERE coalesce(cs.status, '') <> $cancelled AND (CAST($org AS VARCHAR) IS NULL OR cs.org_id = $org)
    AND coalesce(cs.started_at, cs.created_at) <= $cut AND (cs.finished_at IS NULL OR cs.finished_at >= $lo)"""

PARAM_COLUMNS = ("p_track", "p_drafts", "p_units", "p_orgs", "p_meeting", "p_decree")

# What the figures need before they can be computed: the first case (the years to choose from),
# the span of the year's instants (the clock's range, as ``compute`` takes it) and the distinct
# parameter sets of the year's cases.
def prep_sql(d: Dialect) -> str:
    return f"""
WITH x AS ({scope(d)})
SELECT f.first_start, r.lo_at, r.hi_at, p.*
FROM (SELECT min(coalesce(started_at, created_at)) AS first_start FROM cases) f
CROSS JOIN (
  SELECT least((SELECT min(start) FROM x), min(e.started_at), min(e.finished_at)) AS lo_at,
         greatest((SELECT max(start) FROM x), max(e.started_at), max(e.finished_at)) AS hi_at
  FROM step_events e WHERE e.case_id IN (SELECT id FROM x)) r
LEFT JOIN (SELECT DISTINCT {", ".join(PARAM_COLUMNS)} FROM x) p ON true
"""

ORGS_LIST_SQL = "SELECT id, name, sort_order, active FROM organisations"

# The working-time clock's days: each day's opening minute and length (0: not a working day), as the
# Bureau's calendar gives them, cumulated (``WorkClock``'s arrays).
CLOCK_CTES = f"""days AS (
  SELECT {_list('day_dn', 'BIGINT')} AS dn, {_list('day_open', 'DOUBLE PRECISION')} AS open_min,
         {_list('day_len', 'DOUBLE PRECISION')} AS len_min),
cal AS (
  SELECT dn, len_min > 0 AS work, open_min, len_min,
         coalesce(sum(len_min) OVER (ORDER BY dn ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before_min
  FROM days)"""

def base(d: Dialect) -> str:
    """The shared CTEs of every figure but the trend: the domain's tables, the clock, the year's cases,
    every judged step and block (``j``), each case at the cut-off (``sc``) and the units (``ul``)."""
    j_s, j_f = join_day("ds", "je.s_us", d), join_day("df", "je.f_us", d)
    j_cs, j_cf = join_day("ds", "ca0.s_us", d), join_day("df", "ca0.f_us", d)
    j_ha, j_hb = join_day("da", "h0.a_us", d), join_day("db", "h0.b_us", d)
    return f"""
WITH
-- ---- the domain's tables, bound as lists
steps AS (
  SELECT {_list('s_order', 'BIGINT')} AS step_order, {_list('s_code', 'VARCHAR')} AS step_code,
         {_list('s_stage', 'BIGINT')} AS stage, {_list('s_party', 'VARCHAR')} AS responsible),
choices AS (SELECT {_list('ch_order', 'BIGINT')} AS step_order, {_list('ch_party', 'VARCHAR')} AS party),
psets AS (
  SELECT {_list('p_pid', 'BIGINT')} AS pid, {_list('p_track', 'VARCHAR')} AS p_track,
         {_list('p_drafts', 'BIGINT')} AS p_drafts, {_list('p_units', 'BIGINT')} AS p_units,
         {_list('p_orgs', 'BIGINT')} AS p_orgs, {_list('p_meeting', 'VARCHAR')} AS p_meeting,
         {_list('p_decree', 'VARCHAR')} AS p_decree),
items AS (
  SELECT {_list('i_gid', 'BIGINT')} AS gid, {_list('i_code', 'VARCHAR')} AS item,
         {_list('i_std', 'DOUBLE PRECISION')} AS std_minutes, {_list('i_members', 'BIGINT')} AS n_members,
         {_list('i_stage', 'BIGINT')} AS stage),
members AS (
  SELECT {_list('m_pid', 'BIGINT')} AS pid, {_list('m_order', 'BIGINT')} AS step_order,
         {_list('m_gid', 'BIGINT')} AS gid),
plan AS (
  SELECT {_list('l_pid', 'BIGINT')} AS pid, {_list('l_pos', 'BIGINT')} AS pos,
         {_list('l_order', 'BIGINT')} AS step_order, {_list('l_code', 'VARCHAR')} AS step_code,
         {_list('l_offset', 'DOUBLE PRECISION')} AS offset_minutes),
totals AS (
  SELECT {_list('t_pid', 'BIGINT')} AS pid, {_list('t_total', 'DOUBLE PRECISION')} AS plan_minutes,
         {_list('t_steps', 'BIGINT')} AS n_steps),
item_info AS (
  SELECT {_list('n_code', 'VARCHAR')} AS item, {_list('n_name', 'VARCHAR')} AS step_name,
         {_list('n_stage', 'BIGINT')} AS stage, {_list('n_order', 'BIGINT')} AS step_order,
         {_list('n_party', 'VARCHAR')} AS role),
{CLOCK_CTES},
-- ---- the cases of the year, each with its parameter set and a number to join on
c AS (
  SELECT x.*, ps.pid, row_number() OVER (ORDER BY x.id) AS cno FROM ({scope(d)}) x
  JOIN psets ps ON ps.p_track = x.p_track AND ps.p_drafts = x.p_drafts AND ps.p_units = x.p_units
    AND ps.p_orgs = x.p_orgs AND ps.p_meeting = x.p_meeting AND ps.p_decree = x.p_decree),
ev AS (
  SELECT c.cno, c.pid, e.status, e.started_at, e.finished_at, e.party, e.actor_id, s.step_order, s.stage
  FROM step_events e JOIN c ON c.id = e.case_id LEFT JOIN steps s ON s.step_code = e.step_code),
-- ---- the holds up to the cut-off (timing.hold_intervals): the holds recorded, and a case on hold
-- without an open hold recorded held from its hold_since
h0 AS (
  SELECT c.cno, {local_us('h.start_at', d)} AS a_us,
         {local_us("CASE WHEN h.end_at IS NOT NULL AND h.end_at < $cut THEN h.end_at ELSE $cut END", d)} AS b_us
  FROM holds h JOIN c ON c.id = h.case_id WHERE h.start_at IS NOT NULL AND h.start_at < $cut
  UNION ALL
  SELECT c.cno, {local_us('c.hold_since', d)}, {local_us('$cut', d)}
  FROM c WHERE c.status = $on_hold AND c.hold_since IS NOT NULL AND c.hold_since < $cut
    AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.case_id = c.id AND h.start_at IS NOT NULL AND h.start_at < $cut
                    AND (h.end_at IS NULL OR h.end_at >= $cut))),
hold_ord AS (
  SELECT h0.cno, {ordinal('h0.a_us', 'da', d)} AS a_ord, {ordinal('h0.b_us', 'db', d)} AS b_ord
  FROM h0 {j_ha} {j_hb}),
-- ---- every judged step and block at the cut-off (timing.judge)
je AS (
  SELECT ev.cno, ev.pid, ev.step_order, ev.status, ev.party, ev.actor_id, ev.finished_at,
         coalesce(ev.status IN ($done, $skipped) AND ev.finished_at IS NOT NULL AND ev.finished_at <= $cut, false)
           AS closed,
         {local_us('ev.started_at', d)} AS s_us, {local_us('ev.finished_at', d)} AS f_us
  FROM ev WHERE ev.started_at IS NOT NULL AND ev.started_at <= $cut
    AND EXISTS (SELECT 1 FROM members m WHERE m.pid = ev.pid AND m.step_order = ev.step_order)),
jo AS (
  SELECT je.cno, je.pid, je.step_order, je.status, je.party, je.actor_id, je.finished_at, je.closed,
         {ordinal('je.s_us', 'ds', d)} AS s_ord,
         CASE WHEN je.closed THEN {ordinal('je.f_us', 'df', d)} ELSE $cut_ord END AS f_ord
  FROM je {j_s} {j_f}),
jh AS ({_holds_within('jo', 's_ord', 'f_ord')}),
-- each step's own working time, less holds: what a block's attribution compares
ji AS (
  SELECT jo.*, m.gid, (jo.f_ord - jo.s_ord) - coalesce(jh.held, 0) AS row_used
  FROM jo JOIN members m ON m.pid = jo.pid AND m.step_order = jo.step_order
  LEFT JOIN jh ON jh.cno = jo.cno AND jh.s_ord = jo.s_ord AND jh.f_ord = jo.f_ord),
ja AS (
  SELECT cno, gid, min(s_ord) AS first_start, max(f_ord) AS last_end,
         count(*) FILTER (WHERE closed) AS n_closed, count(*) FILTER (WHERE status = $skipped) AS n_skipped,
         count(*) AS n_rows, max(CASE WHEN closed THEN finished_at END) AS finish,
         max(row_used) AS top_used
  FROM ji GROUP BY cno, gid),
-- whom an item counts against: its step with the longest working time, the earlier step on a tie
jt AS (
  SELECT cno, gid, step_order, party, actor_id FROM (
    SELECT ji.cno, ji.gid, ji.step_order, ji.party, ji.actor_id,
           row_number() OVER (PARTITION BY ji.cno, ji.gid ORDER BY ji.step_order) AS rk
    FROM ji JOIN ja ON ja.cno = ji.cno AND ja.gid = ji.gid AND ji.row_used = ja.top_used) r
  WHERE rk = 1),
j0 AS (
  SELECT ja.*, i.item, i.std_minutes, i.stage, ja.n_closed >= i.n_members AS finished,
         CASE WHEN ja.n_closed >= i.n_members THEN ja.last_end ELSE $cut_ord END AS end_ord,
         c.finished_by_cut AS case_finished, coalesce(c.status = $cancelled, false) AS case_cancelled
  FROM ja JOIN items i ON i.gid = ja.gid JOIN c ON c.cno = ja.cno),
j0h AS ({_holds_within('j0', 'first_start', 'end_ord')}),
j1 AS (
  SELECT j0.*, coalesce(j0h.held, 0) AS held FROM j0
  LEFT JOIN j0h ON j0h.cno = j0.cno AND j0h.first_start = j0.first_start AND j0h.end_ord = j0.end_ord),
j2 AS (
  SELECT j1.*, (j1.end_ord - j1.first_start) - j1.held AS used,
         CASE WHEN j1.finished AND j1.n_skipped >= j1.n_rows THEN $st_skipped
              WHEN NOT j1.finished AND j1.case_cancelled THEN $st_not_judged
              WHEN j1.finished THEN CASE WHEN (j1.end_ord - j1.first_start) - j1.held - j1.std_minutes > $tol
                                         THEN $st_late ELSE $st_on_time END
              WHEN (j1.end_ord - j1.first_start) - j1.held - j1.std_minutes > $tol THEN $st_overdue
              ELSE $st_running END AS state
  FROM j1),
j AS (
  SELECT j2.cno, j2.item, j2.stage, j2.std_minutes, j2.first_start, j2.finish, j2.used, j2.state,
         j2.case_finished, (j2.first_start + j2.std_minutes) + j2.held AS due_ord,
         j2.state IN ($st_late, $st_overdue) AS late,
         CASE WHEN j2.state IN ($st_late, $st_overdue) THEN j2.used - j2.std_minutes ELSE 0 END AS late_minutes,
         coalesce(ch.party, s.responsible) AS party,
         CASE WHEN coalesce(ch.party, s.responsible) IN (SELECT {_list('executor_roles', 'VARCHAR')})
              THEN jt.actor_id END AS executor_id
  FROM j2 JOIN jt ON jt.cno = j2.cno AND jt.gid = j2.gid JOIN steps s ON s.step_order = jt.step_order
  LEFT JOIN choices ch ON ch.step_order = jt.step_order AND ch.party = jt.party),
-- ---- each case at the cut-off (timing.cases_at): current step, progress, late and by how much
cp AS (
  SELECT ev.cno, p.pos FROM ev JOIN plan p ON p.pid = ev.pid AND p.step_order = ev.step_order
  WHERE ev.status IN ($done, $skipped) AND ev.finished_at IS NOT NULL AND ev.finished_at <= $cut),
cps AS (SELECT cno, count(DISTINCT pos) AS n, max(pos) AS mx FROM cp GROUP BY cno),
-- The current step is the plan's first step not done or skipped: the k-th when the k steps closed
-- are the plan's first k (as they mostly are); else where the closed positions first leave their ranks.
cur AS (
  SELECT cno, n AS k FROM cps WHERE mx = n - 1
  UNION ALL
  SELECT r.cno, count(*) FILTER (WHERE r.pos = r.rn - 1) FROM (
    SELECT d.cno, d.pos, row_number() OVER (PARTITION BY d.cno ORDER BY d.pos) AS rn
    FROM (SELECT DISTINCT cp.cno, cp.pos FROM cp JOIN cps ON cps.cno = cp.cno WHERE cps.mx <> cps.n - 1) d) r
  GROUP BY r.cno),
ca0 AS (
  SELECT c.cno, c.status, c.finished_by_cut, t.plan_minutes, t.n_steps, coalesce(cur.k, 0) AS k,
         p.step_code AS cur_code, p.offset_minutes,
         {local_us('c.started_at', d)} AS s_us, {local_us('c.finished_at', d)} AS f_us
  FROM c JOIN totals t ON t.pid = c.pid LEFT JOIN cur ON cur.cno = c.cno
  LEFT JOIN plan p ON p.pid = c.pid AND p.pos = coalesce(cur.k, 0)),
ca1 AS (
  SELECT ca0.*, {ordinal('ca0.s_us', 'ds', d)} AS start_ord, {ordinal('ca0.f_us', 'df', d)} AS fin_ord
  FROM ca0 {j_cs} {j_cf}),
ca2 AS (SELECT ca1.*, CASE WHEN ca1.finished_by_cut THEN ca1.fin_ord ELSE $cut_ord END AS end_ord FROM ca1),
ca2h AS ({_holds_within('ca2', 'start_ord', 'end_ord')}),
ca3 AS (
  SELECT ca2.*, (ca2.start_ord + ca2.plan_minutes) + coalesce(ca2h.held, 0) AS planned_ord FROM ca2
  LEFT JOIN ca2h ON ca2h.cno = ca2.cno AND ca2h.start_ord = ca2.start_ord AND ca2h.end_ord = ca2.end_ord),
ov AS (SELECT cno, max(late_minutes) AS over_open FROM j WHERE state = $st_overdue GROUP BY cno),
ca AS (
  SELECT ca3.cno, ca3.plan_minutes,
         CASE WHEN ca3.finished_by_cut OR ca3.k >= ca3.n_steps THEN ca3.plan_minutes ELSE ca3.offset_minutes END
           AS progress_minutes,
         CASE WHEN ca3.finished_by_cut OR ca3.k >= ca3.n_steps THEN NULL ELSE ca3.cur_code END AS current_step,
         -- open at the cut-off: not finished by then (a case finished later was open then), not cancelled
         CASE WHEN coalesce(ca3.status <> $cancelled, true) AND NOT ca3.finished_by_cut
                   AND ov.over_open IS NOT NULL THEN ov.over_open / $mpd
              WHEN ca3.finished_by_cut AND ca3.fin_ord - ca3.planned_ord > $tol
                THEN (ca3.fin_ord - ca3.planned_ord) / $mpd END AS late_days
  FROM ca3 LEFT JOIN ov ON ov.cno = ca3.cno),
case_units AS ({d.case_units}),
cu AS (
  SELECT x.case_id, string_agg(coalesce(u.name, x.unit_id), ', ' ORDER BY x.pos) AS units
  FROM case_units x LEFT JOIN units u ON u.id = x.unit_id GROUP BY x.case_id),
sc AS (
  SELECT c.*, ca.plan_minutes AS standard_minutes, ca.progress_minutes AS done_minutes, ca.current_step,
         CASE WHEN c.finished_by_cut THEN {dash.STAGE_DONE} ELSE coalesce(g.stage, {dash.STAGE_NOT_STARTED}) END
           AS stage_reached,
         ca.late_days IS NOT NULL AS late, ca.late_days AS days_late
  FROM c JOIN ca ON ca.cno = c.cno
  LEFT JOIN (SELECT cno, max(stage) AS stage FROM ev
             WHERE started_at IS NOT NULL AND started_at <= $cut AND stage IS NOT NULL GROUP BY cno) g
    ON g.cno = c.cno),
ua AS (
  SELECT p.unit_id, count(DISTINCT sc.id) AS cases, count(*) FILTER (WHERE NOT sc.finished_by_cut) AS cases_open,
         count(*) FILTER (WHERE sc.finished_by_cut) AS cases_finished, count(*) FILTER (WHERE sc.late) AS cases_late,
         sum(sc.done_minutes) AS done_minutes, sum(sc.standard_minutes) AS standard_minutes,
         min(sc.stage_reached) FILTER (WHERE NOT sc.finished_by_cut) AS open_stage
  FROM (SELECT DISTINCT case_id, unit_id FROM case_units WHERE unit_id IS NOT NULL) p
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

# Every figure but the trend comes from ONE query, so that the step events are judged once: each
# part below is a SELECT over the shared CTEs; the parts are stacked (see FIGURES_SQL) and told
# apart by ``part``; compute_sql splits them again.
PART_CTES = """,
q AS (
  SELECT q.* FROM complaints q LEFT JOIN units u ON u.id = q.unit_id
  WHERE CAST($org AS VARCHAR) IS NULL OR u.org_id = $org),
qo AS (
  SELECT due_at FROM q WHERE created_at <= $cut
    AND (coalesce(status, '') NOT IN ($q_answered, $q_closed) OR least(answered_at, closed_at) > $cut)),
done_cases AS (SELECT * FROM c WHERE status = $finished AND finished_at >= $lo AND finished_at < $hi),
oa AS (
  SELECT org_id, count(*) AS cases, count(*) FILTER (WHERE NOT finished_by_cut) AS cases_open,
         count(*) FILTER (WHERE finished_by_cut) AS cases_finished, count(*) FILTER (WHERE late) AS cases_late,
         sum(done_minutes) AS done_minutes, sum(standard_minutes) AS standard_minutes,
         min(stage_reached) FILTER (WHERE NOT finished_by_cut) AS open_stage
  FROM sc GROUP BY org_id),
ou AS (SELECT org_id, count(*) AS units, count(*) FILTER (WHERE cases > 0) AS units_with_cases FROM ul GROUP BY org_id),
-- what was judged in the year (finished in it), and what is overdue at the cut-off
fin AS (SELECT * FROM j WHERE state IN ($st_on_time, $st_late) AND finish >= $lo AND finish < $hi),
overdue AS (SELECT * FROM j WHERE state = $st_overdue AND NOT case_finished),
both_ AS (
  SELECT party, late, CASE WHEN late THEN late_minutes / $mpd END AS days_late FROM fin
  UNION ALL
  SELECT party, late, CASE WHEN late THEN late_minutes / $mpd END FROM overdue)
"""

PARTS = {
    "headline": """
SELECT
  (SELECT count(*) FROM sc WHERE NOT finished_by_cut) AS cases_open,
  (SELECT count(*) FROM done_cases) AS cases_finished,
  (SELECT coalesce(sum(drafts1), 0) FROM done_cases WHERE track = $permen) AS docs_permen,
  (SELECT coalesce(sum(drafts1), 0) FROM done_cases WHERE track = $intern) AS docs_intern,
  (SELECT count(*) FROM fin) AS steps_judged,
  (SELECT count(*) FILTER (WHERE NOT late) FROM fin) AS steps_on_time,
  (SELECT count(*) FROM sc WHERE late AND NOT finished_by_cut) AS cases_late,
  (SELECT count(*) FROM qo) AS complaints_open,
  (SELECT count(*) FILTER (WHERE due_at IS NOT NULL AND due_at < $cut) FROM qo) AS complaints_overdue""",
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
    "cases": """
SELECT sc.id AS case_id, sc.number, sc.title, sc.org_id, sc.unit_ids, cu.units, sc.status, sc.track, sc.drafts,
       sc.started_at, sc.finished_at, sc.current_step, sc.stage_reached, sc.done_minutes, sc.standard_minutes,
       CASE WHEN sc.standard_minutes > 0 THEN sc.done_minutes / sc.standard_minutes ELSE 0 END AS share_done,
       sc.late, sc.days_late
FROM sc LEFT JOIN cu ON cu.case_id = sc.id""",
    # Start and due instant as ordinals: Python turns them into instants with the same clock.
    "late_steps": """
SELECT c.id AS case_id, c.number, c.title, c.status AS case_status, cu.units, o.item AS step_code, n.step_name,
       o.stage, o.party AS role, x.name AS executor, o.first_start AS start_ord, o.due_ord,
       o.late_minutes / $mpd AS days_late
FROM overdue o JOIN c ON c.cno = o.cno LEFT JOIN cu ON cu.case_id = c.id
LEFT JOIN item_info n ON n.item = o.item LEFT JOIN executors x ON x.id = o.executor_id""",
    "late_by_role": """
SELECT party AS role, count(*) AS judged, count(*) FILTER (WHERE late) AS late,
       CAST(count(*) FILTER (WHERE late) AS DOUBLE PRECISION) / count(*) AS late_share,
       coalesce(sum(days_late), 0) AS days_late_total,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days_late) AS days_late_median
FROM both_ GROUP BY party""",
    "bottlenecks": """
SELECT f.item AS step_code, n.step_name, n.stage, n.role, count(*) AS n,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f.std_minutes / $mpd) AS standard_days,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY f.used / $mpd) AS actual_median,
       percentile_cont(0.25) WITHIN GROUP (ORDER BY f.used / $mpd) AS actual_p25,
       percentile_cont(0.75) WITHIN GROUP (ORDER BY f.used / $mpd) AS actual_p75,
       count(*) FILTER (WHERE f.late) AS late, sum(f.late_minutes / $mpd) AS lost_days
FROM fin f LEFT JOIN item_info n ON n.item = f.item
GROUP BY f.item, n.step_name, n.stage, n.role""",
}


def figures_sql(d: Dialect) -> str:
    """Every figure but the trend in one query: the parts stacked as the dialect stacks them."""
    return base(d) + PART_CTES + d.stack(PARTS)


TREND_SQL = """
WITH c AS (
  SELECT coalesce(started_at, created_at) AS start, status, finished_at, greatest(coalesce(drafts, 1), 1) AS drafts1
  FROM cases
  WHERE coalesce(status, '') <> $cancelled AND (CAST($org AS VARCHAR) IS NULL OR org_id = $org)),
months AS (SELECT unnest(CAST($months AS BIGINT[])) AS month),
op AS (SELECT extract(month FROM start + $off) AS m, count(*) AS n FROM c
       WHERE start >= $lo AND start < $hi AND start <= $cut GROUP BY 1),
fc AS (SELECT extract(month FROM finished_at + $off) AS m, count(*) AS n, sum(drafts1) AS d FROM c
       WHERE status = $finished AND finished_at >= $lo AND finished_at < $hi GROUP BY 1)
SELECT months.month, coalesce(op.n, 0) AS opened, coalesce(fc.n, 0) AS finished, coalesce(fc.d, 0) AS documents
FROM months LEFT JOIN op ON op.m = months.month LEFT JOIN fc ON fc.m = months.month ORDER BY months.month
"""


@dataclass(frozen=True)
class Queries:
    prep: str
    figures: str


# Built once per dialect; the organisations' list and the trend are the same text in both.
QUERIES = {d.name: Queries(prep_sql(d), figures_sql(d)) for d in DIALECTS.values()}


# ---- the domain's constants, as the SQL's parameters ---------------------------------------------

def scope_values(year: int, calendar: WorkCalendar, now, org_id: str | None) -> dict[str, Any]:
    """The year, the cut-off, the statuses and the parameter defaults: what selects the year's cases
    and reads their parameters."""
    now = dash.utc(now)
    lo, hi = dash.year_bounds(year, calendar)
    cut = min(hi, now)
    defaults = case_params.DEFAULTS
    return {
        "lo": lo, "hi": hi, "cut": cut, "org": org_id,
        "active": ACTIVE, "on_hold": ON_HOLD, "finished": FINISHED, "cancelled": CANCELLED, "done": DONE,
        "skipped": SKIPPED, "q_answered": C_ANSWERED, "q_closed": C_CLOSED, "permen": cat.PERMEN, "intern": cat.INTERN,
        "ws": WHITESPACE, "tracks": list(case_params.CHOICES["track"]),
        "meetings": list(case_params.CHOICES["meeting_location"]),
        "decrees": list(case_params.CHOICES["team_decree"]),
        "d_track": defaults.track, "d_drafts": defaults.drafts, "d_orgs": defaults.organisations,
        "d_meeting": defaults.meeting_location, "d_decree": defaults.team_decree,
    }


def _fixed_offset(clock: WorkClock) -> dt.timedelta:
    """The calendar's UTC offset, which the SQL applies to every instant: it must not change over
    the clock's range (Asia/Jakarta has kept +07.00 since 1964)."""
    offsets = {dt.datetime(y, m, 1, tzinfo=clock.tz).utcoffset() for y in range(clock.lo.year, clock.hi.year + 1)
               for m in (1, 7)}
    if len(offsets) != 1:
        raise ValueError(f"the SQL figures need one UTC offset for {clock.tz}, it has {sorted(offsets)}")
    return offsets.pop()


def clock_values(clock: WorkClock, cut: pd.Timestamp) -> dict[str, Any]:
    """The clock's days with their office hours: the SQL builds the clock's day table from them."""
    offset = _fixed_offset(clock)
    dn_lo = (clock.lo - dt.date(1970, 1, 1)).days
    return {
        "day_dn": list(range(dn_lo, dn_lo + clock.n)), "day_open": clock.open_min.tolist(),
        "day_len": clock.length.tolist(), "dn_lo": dn_lo, "ord_end": clock.end_ordinal,
        "off_us": int(offset / dt.timedelta(microseconds=1)), "off": offset,
        "mpd": clock.mpd, "cut_ord": float(clock.ordinal([cut])[0]),
    }


def domain_values(params: list[cat.CaseParams], minutes_per_day: int) -> dict[str, list]:
    """The catalogue's steps, the parties each may count against, and for each parameter set its
    judged items, their members and its plan."""
    out: dict[str, list] = {k: [] for k in (
        "s_order", "s_code", "s_stage", "s_party", "ch_order", "ch_party", "p_pid", "p_track", "p_drafts", "p_units",
        "p_orgs", "p_meeting", "p_decree", "i_gid", "i_code", "i_std", "i_members", "i_stage", "m_pid", "m_order",
        "m_gid", "l_pid", "l_pos", "l_order", "l_code", "l_offset", "t_pid", "t_total", "t_steps", "n_code",
        "n_name", "n_stage", "n_order", "n_party")}
    for i, s in enumerate(cat.STEPS):
        out["s_order"].append(i)
        out["s_code"].append(s.code)
        out["s_stage"].append(s.stage)
        out["s_party"].append(s.responsible)
        for party in s.choices:
            out["ch_order"].append(i)
            out["ch_party"].append(party)
    for info in cat.ITEMS.values():
        for key, value in (("n_code", info.code), ("n_name", info.name), ("n_stage", info.stage),
                           ("n_order", info.order), ("n_party", info.responsible)):
            out[key].append(value)
    gid = 0
    for pid, p in enumerate(params):
        for key, value in (("p_pid", pid), ("p_track", p.track), ("p_drafts", p.drafts), ("p_units", p.units),
                           ("p_orgs", p.organisations), ("p_meeting", p.meeting_location),
                           ("p_decree", p.team_decree)):
            out[key].append(value)
        for j in timing.items_of(p, minutes_per_day):
            for key, value in (("i_gid", gid), ("i_code", j.code), ("i_std", float(j.minutes)),
                               ("i_members", len(j.members)), ("i_stage", j.stage)):
                out[key].append(value)
            for code in j.members:
                out["m_pid"].append(pid)
                out["m_order"].append(cat.STEP_ORDER[code])
                out["m_gid"].append(gid)
            gid += 1
        plan = cat.plan(p, minutes_per_day)
        for pos, ps in enumerate(plan.steps):
            for key, value in (("l_pid", pid), ("l_pos", pos), ("l_order", cat.STEP_ORDER[ps.step.code]),
                               ("l_code", ps.step.code), ("l_offset", float(ps.offset))):
                out[key].append(value)
        out["t_pid"].append(pid)
        out["t_total"].append(float(plan.total))
        out["t_steps"].append(len(plan.steps))
    return out


def timing_values() -> dict[str, Any]:
    return {"st_on_time": timing.ON_TIME, "st_late": timing.LATE, "st_overdue": timing.OVERDUE,
            "st_running": timing.RUNNING, "st_skipped": timing.SKIPPED_ITEM, "st_not_judged": timing.NOT_JUDGED,
            "tol": timing.TOLERANCE, "executor_roles": list(cat.EXECUTOR_ROLES)}


# ---- running the SQL: in the store, or over one batch read ------------------------------------

def _store_runner(repo) -> tuple[Run, contextlib.AbstractContextManager]:
    return (lambda sql, params: repo.sql(sql, params)), store_session(repo)


# The columns the SQL reads, per table: only these are converted and handed to DuckDB.
SQL_COLUMNS = {
    "organisations": ["id", "name", "sort_order", "active"],
    "units": ["id", "org_id", "name", "active"],
    "executors": ["id", "name"],
    "cases": ["id", "number", "title", "org_id", "unit_ids", "status", "track", "drafts", "organisations",
              "meeting_location", "team_decree", "current_step", "started_at", "finished_at", "created_at",
              "hold_since"],
    "step_events": ["case_id", "step_code", "status", "started_at", "finished_at", "actor_id", "party"],
    "holds": ["case_id", "start_at", "end_at"],
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


def in_store(repo) -> bool:
    """Whether the figures run in the store itself (DuckDB, PostgreSQL), not over a batch read."""
    return isinstance(repo, RunsSql) and repo.sql_dialect in DIALECTS


# ---- the dashboard -----------------------------------------------------------------------------

def dashboard(repo, year: int, calendar: WorkCalendar, now, org_id: str | None = None, *,
              use_store_sql: bool | None = None, frames: dict[str, pd.DataFrame] | None = None) -> Dashboard:
    """All figures of the dashboard, computed in SQL (see the module's docstring).

    ``frames``: the tables already read (a page's cached batch read), used when the SQL does not
    run in the store; otherwise they are read here, once."""
    started = time.perf_counter()
    use_store_sql = in_store(repo) if use_store_sql is None else use_store_sql
    run, context = _store_runner(repo) if use_store_sql else _frames_runner(repo, frames)
    dialect = DIALECTS[repo.sql_dialect] if use_store_sql else DUCKDB
    read = time.perf_counter() - started
    with context:
        result = compute_sql(run, year, calendar, now, org_id, dialect)
    result.timings["read"] = read
    result.timings["total"] = time.perf_counter() - started
    return result


def _utc_or_none(value) -> pd.Timestamp | None:
    """An instant read back from the SQL: naive UTC from DuckDB, aware from PostgreSQL."""
    if value is None or pd.isna(value):
        return None
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tz is None else ts.tz_convert("UTC")


def _unit_list(value) -> list:
    """A case's units as the SQL returns them: JSON text from DuckDB, a list from PostgreSQL."""
    if isinstance(value, str):
        return json.loads(value)
    return list(value) if isinstance(value, (list, tuple)) else []


def _instants(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """The part's instants as instants: PostgreSQL's parts come as JSON, with instants as ISO text
    (with or without a fraction of a second)."""
    for col, kind in dash.SPEC[name][0]:
        if kind == "time" and col in df.columns and not pd.api.types.is_datetime64_any_dtype(df[col]):
            df[col] = pd.to_datetime(df[col], utc=True, format="ISO8601")
    return df


def compute_sql(run: Run, year: int, calendar: WorkCalendar, now, org_id: str | None = None,
                dialect: Dialect = DUCKDB) -> Dashboard:
    now = dash.utc(now)
    lo, hi = dash.year_bounds(year, calendar)
    as_of = min(hi, now)
    timings: dict[str, float] = {}

    def query(name: str, sql: str, values: dict) -> pd.DataFrame:
        t = time.perf_counter()
        text, params = dialect.bind(sql, values)
        df = run(text, params)
        timings[name] = time.perf_counter() - t
        return df

    values = scope_values(year, calendar, now, org_id)
    sql = QUERIES[dialect.name]
    prep = query("prep", sql.prep, values)
    head = prep.iloc[0]
    years = dash.available_years(_utc_or_none(head["first_start"]), now, calendar)
    choices = dash.organisation_choices(query("org_list", ORGS_LIST_SQL, {}))
    # The clock ``compute`` takes: over the year's cases' starts and their events' instants.
    clock = clock_for(calendar, [_utc_or_none(head["lo_at"]), _utc_or_none(head["hi_at"])], as_of)
    sets = prep.loc[prep["p_track"].notna(), list(PARAM_COLUMNS)].drop_duplicates()
    params = sorted({cat.CaseParams(r.p_track, int(r.p_drafts), int(r.p_units), int(r.p_orgs), r.p_meeting,
                                    r.p_decree) for r in sets.itertuples(index=False)},
                    key=lambda p: (p.track, p.drafts, p.units, p.organisations, p.meeting_location, p.team_decree))
    values |= clock_values(clock, as_of) | domain_values(params, calendar.minutes_per_day) | timing_values()
    values["months"] = list(range(1, dash.months_shown(lo, hi, as_of, calendar) + 1))

    parts = dialect.split(query("figures", sql.figures, values), PARTS)
    h = parts.pop("headline").iloc[0]
    headline = Headline(**{f: int(h[f]) for f in Headline.__dataclass_fields__})
    cs = parts["cases"]
    if "unit_ids" in cs.columns:
        cs["unit_ids"] = pd.Series([_unit_list(v) for v in cs["unit_ids"]], index=cs.index, dtype=object)
    ls = parts["late_steps"]
    if len(ls):
        ls["started_at"] = clock.instant(ls["start_ord"].to_numpy(dtype=float))
        ls["due_at"] = clock.instant(ls["due_ord"].to_numpy(dtype=float))
    out = {name: dash.conform(name, _instants(df, name)) for name, df in parts.items()}
    out["trend"] = dash.conform("trend", query("trend", TREND_SQL, values))
    result = Dashboard(year, org_id, now, as_of, years, headline, out["orgs"], out["units"], out["cases"],
                       out["late_steps"], out["late_by_role"], out["bottlenecks"], out["trend"], choices)
    result.timings.update(timings)
    return result
