"""Dashboard figures against values worked out by hand on small fixed data sets.

Every expectation is checked three ways: the reference in pandas (``domain.dashboard.compute``),
the SQL run inside the DuckDB store, and the same SQL over one batch read of the tables (the
route every other backend takes). The working-time calendar here has no national holidays and one
extra holiday, Wednesday 4 March 2026; office hours 07.30–16.00 WIB, so a working day is 510 minutes.

"Now" is Wednesday 11 March 2026, 10.00 WIB. March 2026: Mon 2, Tue 3, (Wed 4 holiday), Thu 5,
Fri 6, Mon 9, Tue 10, Wed 11. February 2026 starts on a Sunday: Mon 2 ... Fri 27.

The rule (``domain.timing``): what the seed times is judged — steps with a time of their own (1.a
and 1.b 30 minutes each) and timed blocks as a whole (2.a: one day, 510 minutes, from its first
step's start to its last step's finish). Stored ``due_at`` values play no part.

Plan totals (``catalogue.plan``: each step's own time, each judged block's time; 7, 8.a, 9.b
none), in working minutes, with u units, o organisations, d drafts, meetings in town:
  permen: 1.a 30 + 1.b 30 + 2.a 510 + 2.b 5100 + 3.a 510 + 3.b 5100 + four meeting
          administrations 4 x 510 + 5.a.2 510 + 5.a.3 1530 + 5.b 7650 + 6 2550 + 8.b 1020 + 9.a 180
          + 9.c 1020 + 9.d 180 = 27960, plus 4.a 120d, 4.b.2.a.* 2 x 150u, 4.b.2.b.* 2 x 1530o and
          5.a.1 1530o: 27960 + 120d + 300u + 4590o.
  intern: without 5.b, 6, 8.b, 9.a, 9.c (12420): 15540 + 120d + 300u + 4590o.
  Meetings 3 and 4 out of town: their administrations take 3 days (1530) instead of 1: +2040.
  K1 permen, d 3, u 1: 27960 + 360 + 300 + 4590 = 33210   K3 permen, d 5: 33450
  K2 intern, d 2, u 2: 15540 + 240 + 600 + 4590 = 20970   K6 and K7 intern, d 1, u 1: 20550
Progress is the plan's time before the current step: block 2.a's 510 minutes are shared by its
four steps as guidance, 128 + 128 + 127 + 127.
"""
from __future__ import annotations

import datetime as dt

import pytest

from data_access import analytics
from data_access.repository import prepare_insert
from domain import catalogue as cat
from domain import dashboard as dash
from domain.calendar import JAKARTA, WorkCalendar

CAL = WorkCalendar(use_national_holidays=False, extra_holidays=frozenset({dt.date(2026, 3, 4)}))
NOW = dt.datetime(2026, 3, 11, 10, 0, tzinfo=JAKARTA)
MPD = 510
T1, T2, T3, T6, T7 = 33210, 20970, 33450, 20550, 20550


def wib(y, m, d, hh=8, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=JAKARTA)


def case(cid, org, units, track, drafts, status, started, finished=None):
    return {"id": cid, "number": cid.replace("CASE", "K"), "title": f"SOP {cid}", "org_id": org, "unit_ids": units,
            "track": track, "drafts": drafts, "organisations": 1, "meeting_location": "dalam_kota",
            "team_decree": "menteri", "status": status, "started_at": started, "finished_at": finished,
            "created_at": started}


def event(cid, code, status, started, due, finished=None, actor=None, party=None):
    return {"id": f"{cid}-{code}", "case_id": cid, "step_code": code, "status": status, "started_at": started,
            "due_at": due, "finished_at": finished, "actor_id": actor, "party": party}


RECORDS = {
    "organisations": [{"id": "ORG-A", "name": "Satuan A", "sort_order": 1, "active": True},
                      {"id": "ORG-B", "name": "Satuan B", "sort_order": 2, "active": True}],
    "units": [{"id": "U-A1", "org_id": "ORG-A", "name": "Unit A1", "active": True},
              {"id": "U-A2", "org_id": "ORG-A", "name": "Unit A2", "active": True},
              {"id": "U-B1", "org_id": "ORG-B", "name": "Unit B1", "active": True},
              {"id": "U-B2", "org_id": "ORG-B", "name": "Unit B2", "active": True},  # no case at all
              {"id": "U-BX", "org_id": "ORG-B", "name": "Unit lama", "active": False}],  # inactive: not listed
    "executors": [{"id": "EX-KARO", "name": "Bu Karo", "role": "Karo", "active": True}],
    "cases": [
        # K1: finished 20 Feb 2026 -> finished in 2026, its 3 drafts are permen documents.
        case("CASE-1", "ORG-A", ["U-A1"], "permen", 3, "selesai", wib(2026, 1, 5), wib(2026, 2, 20, 10)),
        # K2: open, intern, two units of ORG-A.
        case("CASE-2", "ORG-A", ["U-A1", "U-A2"], "intern", 2, "aktif", wib(2026, 3, 2)),
        # K3: open, its first step runs late.
        case("CASE-3", "ORG-B", ["U-B1"], "permen", 5, "aktif", wib(2026, 3, 9)),
        # K4: cancelled: counts nowhere, although its step runs past due.
        case("CASE-4", "ORG-B", ["U-B1"], "intern", 4, "dibatalkan", wib(2026, 2, 2)),
        # K5: finished in 2025 (7 permen documents then), not a 2026 case.
        case("CASE-5", "ORG-A", ["U-A2"], "permen", 7, "selesai", wib(2025, 6, 2), wib(2025, 12, 15, 10)),
        # K6: on hold with no hold recorded (no hold_since, no hold row): nothing to subtract. 1.a on
        # time, 1.b skipped, block 2.a running since 2 February.
        case("CASE-6", "ORG-B", ["U-B1"], "intern", 1, "ditunda", wib(2026, 2, 2)),
        # K7: started 31 Dec 2025 18.00 UTC = 1 Jan 2026 01.00 WIB: a January 2026 case, not a 2025 one.
        case("CASE-7", "ORG-B", ["U-B1"], "intern", 1, "aktif",
             dt.datetime(2025, 12, 31, 18, 0, tzinfo=dt.UTC)),
    ],
    "step_events": [
        # 1.a took 20 minutes of its 30: on time.
        event("CASE-1", "1.a", "selesai", wib(2026, 1, 5, 8), wib(2026, 1, 5, 8, 30), wib(2026, 1, 5, 8, 20)),
        # 1.b took 08.20-09.50 = 90 minutes of its 30: 60 minutes late.
        event("CASE-1", "1.b", "selesai", wib(2026, 1, 5, 8, 20), wib(2026, 1, 5, 8, 50), wib(2026, 1, 5, 9, 50)),
        # 1.a took exactly its 30 minutes: nothing beyond the standard, on time.
        event("CASE-2", "1.a", "selesai", wib(2026, 3, 2, 8), wib(2026, 3, 2, 8, 30), wib(2026, 3, 2, 8, 30)),
        event("CASE-2", "1.b", "selesai", wib(2026, 3, 2, 8, 30), wib(2026, 3, 2, 9), wib(2026, 3, 2, 9)),
        # Block 2.a runs from 2 Mar 09.00 (its only step so far): 420 (2 Mar) + 510 (3 Mar) + 0 (4 Mar,
        # holiday) + 4 x 510 (5, 6, 9, 10 Mar) + 150 (11 Mar to 10.00) = 2610 + 510 = 3120 minutes
        # against 510: overdue by 2610. Due 2 Mar 09.00 + 510 = 3 Mar 09.00. It counts against
        # 2.a.1's party, the Kasubbag, done by Bu Karo's account.
        event("CASE-2", "2.a.1", "berjalan", wib(2026, 3, 2, 9), wib(2026, 3, 2, 11, 8), actor="EX-KARO"),
        # 1.a running since 9 Mar 08.00: 480 + 510 + 150 = 1140 minutes against 30: overdue by 1110;
        # due 9 Mar 08.30; against the Karo.
        event("CASE-3", "1.a", "berjalan", wib(2026, 3, 9, 8), wib(2026, 3, 9, 8, 30), actor="EX-KARO"),
        event("CASE-4", "1.a", "berjalan", wib(2026, 2, 2, 8), wib(2026, 2, 2, 8, 30)),
        event("CASE-5", "1.a", "selesai", wib(2025, 6, 2, 8), wib(2025, 6, 2, 8, 30), wib(2025, 6, 2, 9)),
        event("CASE-6", "1.a", "selesai", wib(2026, 2, 2, 8), wib(2026, 2, 2, 8, 30), wib(2026, 2, 2, 8, 10)),
        event("CASE-6", "1.b", "dilewati", wib(2026, 2, 2, 8, 10), wib(2026, 2, 2, 8, 40), wib(2026, 2, 2, 8, 10)),
        # Block 2.a from 2 Feb 08.10, still running (2.a.2 runs, 2.a.3 and 2.a.4 not started): 470 (2 Feb)
        # + 19 days in February (3-6, 9-13, 16-20, 23-27) + 6 in March (2, 3, 5, 6, 9, 10) = 25 x 510
        # = 12750, + 150 (11 Mar) = 13370 minutes against 510: overdue by 12860. Its longest step is
        # 2.a.1 (2 Feb 08.10 - 3 Feb 16.00, 980 minutes; 2.a.2 has run 60): against the Kasubbag.
        event("CASE-6", "2.a.1", "selesai", wib(2026, 2, 2, 8, 10), wib(2026, 2, 2, 10, 18), wib(2026, 2, 3, 16)),
        event("CASE-6", "2.a.2", "berjalan", wib(2026, 3, 11, 9), wib(2026, 3, 11, 11, 8)),
    ],
    "complaints": [
        {"id": "Q1", "unit_id": "U-A1", "status": "diterima", "created_at": wib(2026, 3, 2), "due_at": wib(2026, 3, 9)},
        {"id": "Q2", "unit_id": "U-B1", "status": "didelegasikan", "created_at": wib(2026, 3, 10),
         "due_at": wib(2026, 3, 17)},
        {"id": "Q3", "unit_id": "U-A2", "status": "dijawab", "created_at": wib(2026, 2, 2), "due_at": wib(2026, 2, 9),
         "answered_at": wib(2026, 2, 5)},
        {"id": "Q4", "unit_id": "U-A1", "status": "ditutup", "created_at": wib(2026, 2, 2), "due_at": wib(2026, 2, 9),
         "answered_at": wib(2026, 2, 4), "closed_at": wib(2026, 2, 6)},
        {"id": "Q5", "unit_id": None, "status": "diterima", "created_at": wib(2026, 3, 10), "due_at": None},
    ],
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from data_access.duckdb_store import DuckDBRepository

    repo = DuckDBRepository(tmp_path_factory.mktemp("dash") / "store.duckdb")
    repo.init()
    at = dt.datetime(2026, 3, 11, tzinfo=dt.UTC)
    for table, rows in RECORDS.items():
        repo.import_rows(table, [prepare_insert(table, r, "uji", at) for r in rows])
    yield repo
    repo.close()


ENGINES = ["pandas", "sql_in_store", "sql_over_frames"]


@pytest.fixture(scope="module")
def figures(store):
    cache = {}

    def get(engine: str, year: int = 2026, org: str | None = None) -> dash.Dashboard:
        key = (engine, year, org)
        if key not in cache:
            if engine == "pandas":
                cache[key] = dash.compute(store.frames(dash.TABLES), year, CAL, NOW, org)
            else:
                cache[key] = analytics.dashboard(store, year, CAL, NOW, org,
                                                 use_store_sql=engine == "sql_in_store")
        return cache[key]

    return get


def rows(df, key):
    return {r[key]: r for r in df.to_dict("records")}


@pytest.mark.parametrize("engine", ENGINES)
def test_the_headline_of_2026_counts_open_and_finished_cases_documents_steps_and_complaints(figures, engine):
    h = figures(engine).headline
    # Open: K2, K3, K6, K7 (K4 cancelled, K1 finished, K5 not a 2026 case). Finished: K1 with 3 permen drafts.
    assert (h.cases_open, h.cases_finished, h.docs_permen, h.docs_intern) == (4, 1, 3, 0)
    # Judged items finished in 2026: K1 1.a, K1 1.b (late), K2 1.a, K2 1.b, K6 1.a. K6 1.b was skipped
    # (not judged); the 2.a blocks of K2 and K6 are still running.
    assert (h.steps_judged, h.steps_on_time) == (5, 4)
    assert h.on_time_share == pytest.approx(4 / 5)
    # Open and overdue now: K2 (2.a), K3 (1.a), K6 (2.a); K4's overdue step does not count, it is cancelled.
    assert h.cases_late == 3
    # Open complaints: Q1, Q2, Q5; overdue: Q1 (due 9 March).
    assert (h.complaints_open, h.complaints_overdue) == (3, 1)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_headline_of_one_organisation_counts_only_its_cases_and_its_units_complaints(figures, engine):
    h = figures(engine, org="ORG-A").headline
    assert (h.cases_open, h.cases_finished, h.docs_permen, h.docs_intern) == (1, 1, 3, 0)
    assert (h.steps_judged, h.steps_on_time, h.cases_late) == (4, 3, 1)
    assert (h.complaints_open, h.complaints_overdue) == (1, 1)  # Q1 only; Q5 has no unit


@pytest.mark.parametrize("engine", ENGINES)
def test_a_past_year_is_counted_at_its_last_instant(figures, engine):
    d = figures(engine, year=2025)
    h = d.headline
    # Only K5 belongs to 2025 (K7 started 1 January 2026 WIB); no complaint existed yet.
    assert (h.cases_open, h.cases_finished, h.docs_permen, h.docs_intern) == (0, 1, 7, 0)
    assert (h.steps_judged, h.steps_on_time, h.cases_late) == (1, 0, 0)
    assert (h.complaints_open, h.complaints_overdue) == (0, 0)
    assert d.as_of == dash.utc(dt.datetime(2026, 1, 1, tzinfo=JAKARTA))
    assert d.years == [2025, 2026]
    trend = d.trend.set_index("month")
    assert len(trend) == 12
    assert trend.loc[6, "opened"] == 1 and trend["opened"].sum() == 1
    assert (trend.loc[12, "finished"], trend.loc[12, "documents"]) == (1, 7)


@pytest.mark.parametrize("engine", ENGINES)
def test_late_steps_now_are_listed_with_case_unit_role_and_working_days_late_most_late_first(figures, engine):
    late = figures(engine).late_steps
    assert late["number"].tolist() == ["K-6", "K-2", "K-3"]
    k6, k2, k3 = late.to_dict("records")
    # K6's block 2.a: 12860 minutes over; 2.a.1 had no executor recorded.
    assert (k6["step_code"], k6["role"], k6["executor"], k6["case_status"]) == ("2.a", "Kasubbag", None, "ditunda")
    assert k6["days_late"] == pytest.approx(12860 / MPD)
    assert k6["due_at"] == wib(2026, 2, 3, 8, 10)  # 2 Feb 08.10 + 510: 470 that day, 40 the next
    assert (k2["step_code"], k2["role"], k2["units"], k2["executor"]) == ("2.a", "Kasubbag", "Unit A1, Unit A2",
                                                                       "Bu Karo")
    assert k2["step_name"] == "Penyusunan rencana kerja"  # the block's name, not its first step's
    assert k2["days_late"] == pytest.approx(2610 / MPD)
    assert (k2["started_at"], k2["due_at"]) == (wib(2026, 3, 2, 9), wib(2026, 3, 3, 9))
    assert (k3["step_code"], k3["role"], k3["case_status"]) == ("1.a", "Karo", "aktif")
    assert k3["days_late"] == pytest.approx(1110 / MPD)
    assert k3["due_at"] == wib(2026, 3, 9, 8, 30)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_late_share_by_role_counts_steps_finished_in_the_year_and_steps_late_now(figures, engine):
    r = rows(figures(engine).late_by_role, "role")
    assert list(r) == ["Kasubbag", "Kabag", "Karo"]  # most late share first
    # 2.a (Kasubbag): K6 overdue by 12860 minutes, K2 by 2610.
    assert (r["Kasubbag"]["judged"], r["Kasubbag"]["late"]) == (2, 2)
    assert r["Kasubbag"]["days_late_total"] == pytest.approx((12860 + 2610) / MPD)
    assert r["Kasubbag"]["days_late_median"] == pytest.approx((12860 + 2610) / 2 / MPD)
    # 1.b (Kabag): K1 60 minutes late, K2 on time.
    assert (r["Kabag"]["judged"], r["Kabag"]["late"], r["Kabag"]["late_share"]) == (2, 1, 0.5)
    assert r["Kabag"]["days_late_total"] == pytest.approx(60 / MPD)
    # 1.a (Karo): K1, K2, K6 on time; K3 running 1110 minutes late.
    assert (r["Karo"]["judged"], r["Karo"]["late"], r["Karo"]["late_share"]) == (4, 1, 0.25)
    assert r["Karo"]["days_late_total"] == pytest.approx(1110 / MPD)


@pytest.mark.parametrize("engine", ENGINES)
def test_bottlenecks_compare_actual_working_time_with_the_standard_and_rank_by_time_lost(figures, engine):
    b = figures(engine).bottlenecks
    # Only what finished in the year: no 2.a block has finished, and 2.a.1 is no longer judged alone.
    assert b["step_code"].tolist() == ["1.b", "1.a"]
    r = rows(b, "step_code")
    # 1.b: K1 took 90 minutes, K2 30 -> median 60, quartiles 45 and 75; lost 60.
    assert r["1.b"]["actual_median"] == pytest.approx(60 / MPD)
    assert (r["1.b"]["actual_p25"], r["1.b"]["actual_p75"]) == (pytest.approx(45 / MPD), pytest.approx(75 / MPD))
    assert r["1.b"]["lost_days"] == pytest.approx(60 / MPD)
    # 1.a: 20, 30 and 10 minutes -> median 20, quartiles 15 and 25; nothing lost.
    assert r["1.a"]["n"] == 3 and r["1.a"]["actual_median"] == pytest.approx(20 / MPD)
    assert (r["1.a"]["actual_p25"], r["1.a"]["actual_p75"]) == (pytest.approx(15 / MPD), pytest.approx(25 / MPD))
    assert (r["1.a"]["late"], r["1.a"]["lost_days"]) == (0, 0)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_trend_shows_each_month_up_to_now_in_jakarta_time(figures, engine):
    t = figures(engine).trend
    # Opened: K1 and K7 in January (K7 at 01.00 WIB on 1 January), K6 in February, K2 and K3 in March.
    assert t.to_dict("list") == {"month": [1, 2, 3], "opened": [2, 1, 2], "finished": [0, 1, 0],
                                 "documents": [0, 3, 0]}


@pytest.mark.parametrize("engine", ENGINES)
def test_case_progress_is_the_share_of_standard_time_done_and_the_stage_reached(figures, engine):
    c = rows(figures(engine).cases, "case_id")
    assert sorted(c) == ["CASE-1", "CASE-2", "CASE-3", "CASE-6", "CASE-7"]
    assert (c["CASE-1"]["share_done"], c["CASE-1"]["stage_reached"]) == (1.0, dash.STAGE_DONE)
    # K1 finished on 20 Feb, 34 working days after its start, well within its plan of 33210 minutes
    # (65 days): not late.
    assert not c["CASE-1"]["late"] and c["CASE-1"]["current_step"] is None
    # K2: 1.a and 1.b done, the current step 2.a.1 begins at minute 60 of the plan.
    assert c["CASE-2"]["share_done"] == pytest.approx(60 / T2) and c["CASE-2"]["stage_reached"] == 2
    assert c["CASE-2"]["current_step"] == "2.a.1" and c["CASE-2"]["standard_minutes"] == T2
    assert c["CASE-2"]["late"] and c["CASE-2"]["days_late"] == pytest.approx(2610 / MPD)
    assert c["CASE-2"]["unit_ids"] == ["U-A1", "U-A2"]
    assert (c["CASE-3"]["share_done"], c["CASE-3"]["stage_reached"], c["CASE-3"]["late"]) == (0.0, 1, True)
    assert c["CASE-3"]["days_late"] == pytest.approx(1110 / MPD)
    # K6: 1.a done (30), 1.b skipped (30), 2.a.1 done (128 of the block's 510): 2.a.2 is current at
    # minute 188; its block is overdue, so the case is late.
    assert c["CASE-6"]["share_done"] == pytest.approx(188 / T6) and c["CASE-6"]["current_step"] == "2.a.2"
    assert c["CASE-6"]["late"] and c["CASE-6"]["days_late"] == pytest.approx(12860 / MPD)
    assert (c["CASE-7"]["share_done"], c["CASE-7"]["stage_reached"]) == (0.0, dash.STAGE_NOT_STARTED)
    assert not c["CASE-7"]["late"] and c["CASE-7"]["current_step"] == "1.a"


@pytest.mark.parametrize("engine", ENGINES)
def test_unit_progress_adds_the_standard_time_of_the_units_cases(figures, engine):
    u = rows(figures(engine).units, "unit_id")
    assert set(u) == {"U-A1", "U-A2", "U-B1", "U-B2"}  # the inactive unit without cases is not listed
    a1 = u["U-A1"]  # K1 (finished) and K2
    assert (a1["cases"], a1["cases_open"], a1["cases_finished"], a1["cases_late"]) == (2, 1, 1, 1)
    assert a1["share_done"] == pytest.approx((T1 + 60) / (T1 + T2))
    assert a1["stage_reached"] == 2  # its least advanced open case
    assert u["U-A2"]["share_done"] == pytest.approx(60 / T2)
    b1 = u["U-B1"]  # K3, K6, K7
    assert (b1["cases"], b1["cases_open"], b1["cases_late"], b1["stage_reached"]) == (3, 3, 2, 0)
    assert b1["share_done"] == pytest.approx(188 / (T3 + T6 + T7))
    assert (u["U-B2"]["cases"], u["U-B2"]["share_done"]) == (0, 0.0)
    assert u["U-B2"]["stage_reached"] is None or str(u["U-B2"]["stage_reached"]) == "<NA>"
    # Most done first.
    assert figures(engine).units["unit_id"].tolist()[0] == "U-A1"


@pytest.mark.parametrize("engine", ENGINES)
def test_organisation_progress_counts_each_case_once_and_drills_down_to_its_units(figures, engine):
    o = rows(figures(engine).orgs, "org_id")
    assert list(o) == ["ORG-A", "ORG-B"]
    assert (o["ORG-A"]["cases"], o["ORG-A"]["units"], o["ORG-A"]["units_with_cases"]) == (2, 2, 2)
    assert o["ORG-A"]["share_done"] == pytest.approx((T1 + 60) / (T1 + T2))
    assert (o["ORG-B"]["cases"], o["ORG-B"]["units"], o["ORG-B"]["units_with_cases"]) == (3, 2, 1)
    assert (o["ORG-B"]["stage_reached"], o["ORG-B"]["cases_late"]) == (0, 2)
    only_b = figures(engine, org="ORG-B")
    assert only_b.orgs["org_id"].tolist() == ["ORG-B"]
    assert sorted(only_b.units["unit_id"]) == ["U-B1", "U-B2"]
    assert sorted(only_b.cases["case_id"]) == ["CASE-3", "CASE-6", "CASE-7"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_case_on_hold_is_late_only_if_its_step_was_late_when_the_hold_began(duckdb_repo, engine):
    records = {
        "organisations": RECORDS["organisations"][:1], "units": RECORDS["units"][:1],
        "cases": [
            # On hold since 5 March 08.00, no hold row: the hold runs from then to now. 1.a ran from
            # 2 March 08.00 to the hold: 480 (2 March) + 510 (3 March) + 0 (4 March, holiday) + 30
            # (5 March to 08.00) = 1020 minutes against 30: overdue by 990, and no more since.
            {**case("CASE-H1", "ORG-A", ["U-A1"], "intern", 1, "ditunda", wib(2026, 3, 2)),
             "hold_since": wib(2026, 3, 5, 8)},
            # On hold since 2 March 08.20: 1.a had run 20 of its 30 minutes. Not late, although now
            # is long past its start plus 30 minutes; its due instant moves on with the hold.
            {**case("CASE-H2", "ORG-A", ["U-A1"], "intern", 1, "ditunda", wib(2026, 3, 2)),
             "hold_since": wib(2026, 3, 2, 8, 20)},
        ],
        "step_events": [event("CASE-H1", "1.a", "berjalan", wib(2026, 3, 2), wib(2026, 3, 3, 9)),
                        event("CASE-H2", "1.a", "berjalan", wib(2026, 3, 2), wib(2026, 3, 3, 9))],
    }
    at = dt.datetime(2026, 3, 11, tzinfo=dt.UTC)
    for table, rows_ in records.items():
        duckdb_repo.import_rows(table, [prepare_insert(table, r, "uji", at) for r in rows_])
    if engine == "pandas":
        d = dash.compute(duckdb_repo.frames(dash.TABLES), 2026, CAL, NOW)
    else:
        d = analytics.dashboard(duckdb_repo, 2026, CAL, NOW, use_store_sql=engine == "sql_in_store")
    assert d.headline.cases_late == 1
    assert d.late_steps["case_id"].tolist() == ["CASE-H1"]
    assert d.late_steps["days_late"].iloc[0] == pytest.approx(990 / MPD)
    # Due: the start plus 30 minutes plus the hold's working time so far (5 March 08.00 to now: 480 +
    # 510 + 510 + 510 + 150 = 2160): 2190 working minutes after 2 March 08.00 = 480 (2 March) + 510
    # (3 March) + 510 (5 March) + 510 (6 March) + 180 (9 March from 07.30): 9 March 10.30.
    assert d.late_steps["due_at"].iloc[0] == wib(2026, 3, 9, 10, 30)


# ---- blocks, parties, holds and defaults, worked out by hand ----------------------------------------
# B1 (permen, 1 draft, aktif; plan 27960 + 120 + 300 + 4590 = 32970):
#   1.a 2 Feb 08.00-08.30 and 1.b 08.30-09.00: 30 minutes each, on time.
#   Block 2.a (510): 2.a.1 09.00-11.00 (120), 2.a.2 11.00-15.00 (240), 2.a.3 15.00-16.00 (60), 2.a.4
#     3 Feb 07.30-09.00 (90): 420 + 90 = 510 from first start to last finish, nothing beyond: on time.
#     Longest step 2.a.2 (Staf).
#   Block 2.b (two weeks, 5100): 2.b.1.a-d at 3 Feb 09.00 (no time); 2.b.1.e, which the seed lets a
#     Deputi sign, signed by the Deputi 3 Feb 09.00 - 13 Feb 09.00: 420 + 7 x 510 (4-6, 9-12 Feb) + 90
#     = 4080; 2.b.1.f at 13 Feb 09.00; 2.b.1.g (one week, 2550, judged on its own too) 13 Feb 09.00 -
#     19 Feb 09.00: 420 + 3 x 510 (16-18 Feb) + 90 = 2040, on time; the rest of 2.b at 19 Feb 09.00.
#     The block: 3 Feb 09.00 - 19 Feb 09.00 = 420 + 11 x 510 + 90 = 6120: late by 1020, against the
#     Deputi (2.b.1.e took longest).
#   Block 3.a (510): 3.a.1 19 Feb 09.00-10.00, 3.a.2 running since (Pak Staf). A hold from 20 Feb
#     07.30 to 9 Mar 07.30 (10 working days, 5100). From 19 Feb 09.00 to now: 420 + 12 x 510 (20, 23-27
#     Feb, 2, 3, 5, 6, 9, 10 Mar) + 150 = 6690, less the hold: 1590 against 510: overdue by 1080.
#     3.a.2 ran 6630 - 5100 = 1530, 3.a.1 60: against the Staf. Due 19 Feb 09.00 + 510 + 5100: 420
#     that day, then 10 days (20 Feb - 6 Mar), then 90 minutes: 9 Mar 09.00.
#   Current step 3.a.2: 60 + 510 + 5100 + 85 (3.a.1's share of 3.a, 510 / 6) = 5755 of 32970.
# B2 (track intern; drafts blank, organisations 0, meetings " ", decree "presiden": the defaults, 1
#   draft, 1 organisation, in town, the Minister's decree; plan 15540 + 120 + 300 + 4590 = 20550;
#   finished 10 Mar 12.00):
#   1.a 2 Feb 15.30-18.00: 30 working minutes; finished after its due instant (16.00) but with no
#     working time beyond: on time.
#   1.b 2 Feb 18.00 - 6 Feb 14.00 (party "Kasubbag" recorded, which 1.b does not allow: the Kabag's):
#     3 x 510 (3-5 Feb) + 390 = 1920: late by 1890.
#   Block 2.a: 2.a.1 6 Feb 14.00-15.00, 2.a.2 15.00-15.30, 2.a.3 15.30 - 16 Feb 08.30, 2.a.4 08.30-09.00,
#     a hold 9 Feb 07.30 - 16 Feb 07.30 (2550): 120 + 2550 + 90 = 2760 less 2550 = 210: on time.
#     2.a.3 ran 30 + 60 = 90 outside the hold, the longest: against the Kasubbag.
# B3 (intern, 1 draft, working meetings out of town, a Deputi's decree; plan 20550 + 2040 = 22590;
#   started 5 Jan 08.00, finished 10 Mar 16.00: 480 + 45 x 510 (19 days in January, 20 in February,
#   6 in March) = 23430 working minutes: 840 beyond its plan, late by 840 / 510 days):
#   the administration before working meeting 3, out of town (3 days, 1530): a 2 Feb 08.00-12.00, b
#   -13.00, c -14.00, d (the Surat Perintah, signed by the Deputi) 2 Feb 14.00 - 4 Feb 14.00 (120 +
#   510 + 390 = 1020), e -15.00, f (by staff) 4 Feb 15.00 - 5 Feb 10.00: 480 + 510 + 510 + 150 = 1650:
#   late by 120, against the Deputi.

def steps_of(block: str, params: cat.CaseParams) -> list[str]:
    return [s.code for s in cat.steps_for(params) if s.block == block]


def chain(cid, steps, actor="EX-STAF", parties=None):
    """Done steps, each (code, start, finish)."""
    parties = parties or {}
    return [event(cid, code, "selesai", a, None, b, actor=actor, party=parties.get(code)) for code, a, b in steps]


B1_2B = steps_of("2.b", cat.CaseParams(cat.PERMEN))
RECORDS_B = {
    "organisations": RECORDS["organisations"], "units": RECORDS["units"],
    "executors": [{"id": "EX-STAF", "name": "Pak Staf", "role": "Staf", "active": True}],
    "cases": [
        case("CASE-B1", "ORG-A", ["U-A1"], "permen", 1, "aktif", wib(2026, 2, 2)),
        {**case("CASE-B2", "ORG-B", ["U-B1"], "intern", None, "selesai", wib(2026, 2, 2), wib(2026, 3, 10, 12)),
         "organisations": 0, "meeting_location": " ", "team_decree": "presiden"},
        {**case("CASE-B3", "ORG-B", ["U-B2"], "intern", 1, "selesai", wib(2026, 1, 5), wib(2026, 3, 10, 16)),
         "meeting_location": "luar_kota", "team_decree": "deputi"},
    ],
    "step_events": [
        *chain("CASE-B1", [("1.a", wib(2026, 2, 2, 8), wib(2026, 2, 2, 8, 30)),
                           ("1.b", wib(2026, 2, 2, 8, 30), wib(2026, 2, 2, 9)),
                           ("2.a.1", wib(2026, 2, 2, 9), wib(2026, 2, 2, 11)),
                           ("2.a.2", wib(2026, 2, 2, 11), wib(2026, 2, 2, 15)),
                           ("2.a.3", wib(2026, 2, 2, 15), wib(2026, 2, 2, 16)),
                           ("2.a.4", wib(2026, 2, 3, 7, 30), wib(2026, 2, 3, 9))]),
        *chain("CASE-B1", [(code, wib(2026, 2, 3, 9), wib(2026, 2, 3, 9)) for code in B1_2B[:4]]
               + [("2.b.1.e", wib(2026, 2, 3, 9), wib(2026, 2, 13, 9)),
                  ("2.b.1.f", wib(2026, 2, 13, 9), wib(2026, 2, 13, 9)),
                  ("2.b.1.g", wib(2026, 2, 13, 9), wib(2026, 2, 19, 9))]
               + [(code, wib(2026, 2, 19, 9), wib(2026, 2, 19, 9)) for code in B1_2B[7:]],
               parties={"2.b.1.e": "Deputi"}),
        *chain("CASE-B1", [("3.a.1", wib(2026, 2, 19, 9), wib(2026, 2, 19, 10))]),
        event("CASE-B1", "3.a.2", "berjalan", wib(2026, 2, 19, 10), None, actor="EX-STAF"),
        *chain("CASE-B2", [("1.a", wib(2026, 2, 2, 15, 30), wib(2026, 2, 2, 18)),
                           ("1.b", wib(2026, 2, 2, 18), wib(2026, 2, 6, 14)),
                           ("2.a.1", wib(2026, 2, 6, 14), wib(2026, 2, 6, 15)),
                           ("2.a.2", wib(2026, 2, 6, 15), wib(2026, 2, 6, 15, 30)),
                           ("2.a.3", wib(2026, 2, 6, 15, 30), wib(2026, 2, 16, 8, 30)),
                           ("2.a.4", wib(2026, 2, 16, 8, 30), wib(2026, 2, 16, 9))], parties={"1.b": "Kasubbag"}),
        *chain("CASE-B3", [("4.b.1.2.a/3", wib(2026, 2, 2, 8), wib(2026, 2, 2, 12)),
                           ("4.b.1.2.b/3", wib(2026, 2, 2, 12), wib(2026, 2, 2, 13)),
                           ("4.b.1.2.c/3", wib(2026, 2, 2, 13), wib(2026, 2, 2, 14)),
                           ("4.b.1.2.d/3", wib(2026, 2, 2, 14), wib(2026, 2, 4, 14)),
                           ("4.b.1.2.e/3", wib(2026, 2, 4, 14), wib(2026, 2, 4, 15)),
                           ("4.b.1.2.f/3", wib(2026, 2, 4, 15), wib(2026, 2, 5, 10))],
               parties={"4.b.1.2.d/3": "Deputi", "4.b.1.2.f/3": "Staf"}),
    ],
    "holds": [{"id": "H-B1", "case_id": "CASE-B1", "start_at": wib(2026, 2, 20, 7, 30),
               "end_at": wib(2026, 3, 9, 7, 30)},
              {"id": "H-B2", "case_id": "CASE-B2", "start_at": wib(2026, 2, 9, 7, 30),
               "end_at": wib(2026, 2, 16, 7, 30)}],
}
B1_PLAN, B2_PLAN, B3_PLAN = 32970, 20550, 22590


@pytest.fixture(scope="module")
def figures_b(tmp_path_factory):
    from data_access.duckdb_store import DuckDBRepository

    repo = DuckDBRepository(tmp_path_factory.mktemp("dash_b") / "store.duckdb")
    repo.init()
    at = dt.datetime(2026, 3, 11, tzinfo=dt.UTC)
    for table, rows_ in RECORDS_B.items():
        repo.import_rows(table, [prepare_insert(table, r, "uji", at) for r in rows_])
    cache = {}

    def get(engine: str) -> dash.Dashboard:
        if engine not in cache:
            if engine == "pandas":
                cache[engine] = dash.compute(repo.frames(dash.TABLES), 2026, CAL, NOW)
            else:
                cache[engine] = analytics.dashboard(repo, 2026, CAL, NOW, use_store_sql=engine == "sql_in_store")
        return cache[engine]

    yield get
    repo.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_blocks_are_judged_whole_and_count_against_the_party_that_held_them_longest(figures_b, engine):
    d = figures_b(engine)
    # Finished in 2026 and judged: B1 1.a, 1.b, 2.a, 2.b (late), 2.b.1.g; B2 1.a, 1.b (late), 2.a;
    # B3's administration before meeting 3 (late).
    assert (d.headline.steps_judged, d.headline.steps_on_time) == (9, 6)
    r = rows(d.late_by_role, "role")
    assert list(r) == ["Deputi", "Kabag", "Staf", "Karo", "Kasubbag", "Pimpinan unit kerja"]
    # The Deputi signed 2.b.1.e in B1 (block 2.b, 1020 late) and 4.b.1.2.d/3 in B3 (120 late).
    assert (r["Deputi"]["judged"], r["Deputi"]["late"]) == (2, 2)
    assert r["Deputi"]["days_late_total"] == pytest.approx(1140 / MPD)
    assert r["Deputi"]["days_late_median"] == pytest.approx(570 / MPD)
    # B2's 1.b counts against the Kabag: the "Kasubbag" recorded is not a party 1.b allows.
    assert (r["Kabag"]["judged"], r["Kabag"]["late"]) == (2, 1)
    assert r["Kabag"]["days_late_total"] == pytest.approx(1890 / MPD)
    # B1's 2.a (2.a.2 longest, on time) and its 3.a (overdue by 1080).
    assert (r["Staf"]["judged"], r["Staf"]["late"]) == (2, 1)
    assert r["Staf"]["days_late_total"] == pytest.approx(1080 / MPD)
    assert (r["Karo"]["judged"], r["Kasubbag"]["judged"], r["Pimpinan unit kerja"]["judged"]) == (2, 1, 1)
    assert r["Karo"]["late"] == r["Kasubbag"]["late"] == r["Pimpinan unit kerja"]["late"] == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_bottlenecks_list_blocks_and_steps_with_their_own_standard(figures_b, engine):
    b = figures_b(engine).bottlenecks
    # Most time lost first (1.b 1890, 2.b 1020, the administration 120), then in procedure order.
    assert b["step_code"].tolist() == ["1.b", "2.b", "4.b.1.2/3", "1.a", "2.a", "2.b.1.g"]
    r = rows(b, "step_code")
    # 2.a: B1 took 510, B2 210 (the hold left out): median 360 against one day.
    assert (r["2.a"]["n"], r["2.a"]["late"], r["2.a"]["lost_days"]) == (2, 0, 0)
    assert r["2.a"]["actual_median"] == pytest.approx(360 / MPD) and r["2.a"]["standard_days"] == 1
    assert (r["2.a"]["actual_p25"], r["2.a"]["actual_p75"]) == (pytest.approx(285 / MPD), pytest.approx(435 / MPD))
    assert (r["2.b"]["actual_median"], r["2.b"]["standard_days"]) == (pytest.approx(6120 / MPD), 10)
    assert r["2.b"]["lost_days"] == pytest.approx(1020 / MPD) and r["2.b"]["role"] == "Kasubbag"
    assert r["2.b.1.g"]["actual_median"] == pytest.approx(2040 / MPD) and r["2.b.1.g"]["standard_days"] == 5
    assert r["4.b.1.2/3"]["standard_days"] == 3 and r["4.b.1.2/3"]["lost_days"] == pytest.approx(120 / MPD)


@pytest.mark.parametrize("engine", ENGINES)
def test_holds_are_left_out_of_the_working_time_and_move_the_due_instant(figures_b, engine):
    d = figures_b(engine)
    late = d.late_steps.to_dict("records")
    assert [(x["number"], x["step_code"], x["role"], x["executor"]) for x in late] == [
        ("K-B1", "3.a", "Staf", "Pak Staf")]
    assert late[0]["days_late"] == pytest.approx(1080 / MPD)
    assert (late[0]["started_at"], late[0]["due_at"]) == (wib(2026, 2, 19, 9), wib(2026, 3, 9, 9))
    assert d.headline.cases_late == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_cases_take_default_parameters_and_a_finished_case_is_late_past_its_planned_finish(figures_b, engine):
    d = figures_b(engine)
    c = rows(d.cases, "case_id")
    assert c["CASE-B1"]["current_step"] == "3.a.2" and c["CASE-B1"]["stage_reached"] == 3
    assert c["CASE-B1"]["share_done"] == pytest.approx(5755 / B1_PLAN)
    assert c["CASE-B1"]["late"] and c["CASE-B1"]["days_late"] == pytest.approx(1080 / MPD)
    # B2's blank and unknown parameters take the defaults: a full plan, not a zero one.
    assert (c["CASE-B2"]["standard_minutes"], c["CASE-B2"]["share_done"]) == (B2_PLAN, 1.0)
    assert not c["CASE-B2"]["late"] and c["CASE-B2"]["current_step"] is None
    assert c["CASE-B3"]["standard_minutes"] == B3_PLAN
    assert c["CASE-B3"]["late"] and c["CASE-B3"]["days_late"] == pytest.approx(840 / MPD)
    # Finished cases late past their plan count in the unit's late cases, not in the open cases late now.
    u = rows(d.units, "unit_id")
    assert (u["U-B2"]["cases"], u["U-B2"]["cases_late"], u["U-B2"]["cases_open"]) == (1, 1, 0)
    assert (u["U-A1"]["cases_late"], u["U-B1"]["cases_late"]) == (1, 0)
    h = d.headline
    assert (h.cases_open, h.cases_finished, h.docs_permen, h.docs_intern, h.cases_late) == (1, 2, 0, 2, 1)


def test_a_figure_is_written_with_the_readers_decimal_mark_and_no_trailing_zeros():
    from domain.dashboard import number_text

    assert [number_text(v, "id") for v in (80.0, 0.2, 1234.56, 12345, None)] == ["80", "0,2", "1.234,6", "12.345", "–"]
    assert [number_text(v, "en") for v in (80.0, 0.2, 1234.56)] == ["80", "0.2", "1,234.6"]
