"""Dashboard figures against values worked out by hand on a small fixed data set.

Every expectation is checked three ways: the reference in pandas (``domain.dashboard.compute``),
the SQL run inside the DuckDB store, and the same SQL over one batch read of the tables (the
route every other backend takes). The working-time calendar here has no national holidays and one
extra holiday, Wednesday 4 March 2026; office hours 07.30–16.00 WIB, so a working day is 510 minutes.

"Now" is Wednesday 11 March 2026, 10.00 WIB. March 2026: Mon 2, Tue 3, (Wed 4 holiday), Thu 5,
Fri 6, Mon 9, Tue 10, Wed 11.

Standard minutes of the checklists (``catalogue.step_minutes``; 1.a and 1.b 30 each, block 2.a of
one day split 128 + 128 + 127 + 127):
  K1 permen, 3 drafts, 1 unit: 24792   K2 intern, 2 drafts, 2 units: 19440
  K3 permen, 5 drafts, 1 unit: 25100   K6 and K7 intern, 1 draft, 1 unit: 19020
"""
from __future__ import annotations

import datetime as dt

import pytest

from data_access import analytics
from data_access.repository import prepare_insert
from domain import dashboard as dash
from domain.calendar import JAKARTA, WorkCalendar

CAL = WorkCalendar(use_national_holidays=False, extra_holidays=frozenset({dt.date(2026, 3, 4)}))
NOW = dt.datetime(2026, 3, 11, 10, 0, tzinfo=JAKARTA)
MPD = 510
T1, T2, T3, T6, T7 = 24792, 19440, 25100, 19020, 19020


def wib(y, m, d, hh=8, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=JAKARTA)


def case(cid, org, units, track, drafts, status, started, finished=None):
    return {"id": cid, "number": cid.replace("CASE", "K"), "title": f"SOP {cid}", "org_id": org, "unit_ids": units,
            "track": track, "drafts": drafts, "organisations": 1, "meeting_location": "dalam_kota",
            "team_decree": "menteri", "status": status, "started_at": started, "finished_at": finished,
            "created_at": started}


def event(cid, code, status, started, due, finished=None, actor=None):
    return {"id": f"{cid}-{code}", "case_id": cid, "step_code": code, "status": status, "started_at": started,
            "due_at": due, "finished_at": finished, "actor_id": actor}


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
        # K6: on hold; 1.a on time, 1.b skipped, 2.a.1 late, 2.a.2 running but not yet due.
        case("CASE-6", "ORG-B", ["U-B1"], "intern", 1, "ditunda", wib(2026, 2, 2)),
        # K7: started 31 Dec 2025 18.00 UTC = 1 Jan 2026 01.00 WIB: a January 2026 case, not a 2025 one.
        case("CASE-7", "ORG-B", ["U-B1"], "intern", 1, "aktif",
             dt.datetime(2025, 12, 31, 18, 0, tzinfo=dt.UTC)),
    ],
    "step_events": [
        event("CASE-1", "1.a", "selesai", wib(2026, 1, 5, 8), wib(2026, 1, 5, 8, 30), wib(2026, 1, 5, 8, 20)),
        # 1.b finished 09.50, due 08.50: 60 minutes late.
        event("CASE-1", "1.b", "selesai", wib(2026, 1, 5, 8, 20), wib(2026, 1, 5, 8, 50), wib(2026, 1, 5, 9, 50)),
        # finished exactly at the due instant: on time.
        event("CASE-2", "1.a", "selesai", wib(2026, 3, 2, 8), wib(2026, 3, 2, 8, 30), wib(2026, 3, 2, 8, 30)),
        event("CASE-2", "1.b", "selesai", wib(2026, 3, 2, 8, 30), wib(2026, 3, 2, 9), wib(2026, 3, 2, 9)),
        # running, due 2 Mar 11.08: late by 292 (2 Mar) + 510 (3 Mar) + 0 (4 Mar holiday) + 510 (5 Mar)
        # + 510 (6 Mar) + 510 (9 Mar) + 510 (10 Mar) + 150 (11 Mar to 10.00) = 2992 minutes.
        event("CASE-2", "2.a.1", "berjalan", wib(2026, 3, 2, 9), wib(2026, 3, 2, 11, 8), actor="EX-KARO"),
        # running, due 9 Mar 08.30: late by 450 + 510 + 150 = 1110 minutes.
        event("CASE-3", "1.a", "berjalan", wib(2026, 3, 9, 8), wib(2026, 3, 9, 8, 30), actor="EX-KARO"),
        event("CASE-4", "1.a", "berjalan", wib(2026, 2, 2, 8), wib(2026, 2, 2, 8, 30)),
        event("CASE-5", "1.a", "selesai", wib(2025, 6, 2, 8), wib(2025, 6, 2, 8, 30), wib(2025, 6, 2, 9)),
        event("CASE-6", "1.a", "selesai", wib(2026, 2, 2, 8), wib(2026, 2, 2, 8, 30), wib(2026, 2, 2, 8, 10)),
        event("CASE-6", "1.b", "dilewati", wib(2026, 2, 2, 8, 10), wib(2026, 2, 2, 8, 40), wib(2026, 2, 2, 8, 10)),
        # due 2 Feb 10.18, finished 3 Feb 16.00: late by 342 + 510 = 852 minutes; took 470 + 510 = 980.
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
    # Finished in 2026 with a standard: K1 1.a, K1 1.b (late), K2 1.a, K2 1.b, K6 1.a, K6 2.a.1 (late);
    # K6 1.b was skipped.
    assert (h.steps_judged, h.steps_on_time) == (6, 4)
    assert h.on_time_share == pytest.approx(4 / 6)
    # Late now: K2 (2.a.1) and K3 (1.a); K4's late step does not count, it is cancelled.
    assert h.cases_late == 2
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
    assert late["number"].tolist() == ["K-2", "K-3"]
    first, second = late.to_dict("records")
    assert (first["step_code"], first["role"], first["units"], first["executor"]) == (
        "2.a.1", "Kasubbag", "Unit A1, Unit A2", "Bu Karo")
    assert first["days_late"] == pytest.approx(2992 / MPD)
    assert (second["step_code"], second["role"], second["case_status"]) == ("1.a", "Karo", "aktif")
    assert second["days_late"] == pytest.approx(1110 / MPD)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_late_share_by_role_counts_steps_finished_in_the_year_and_steps_late_now(figures, engine):
    r = rows(figures(engine).late_by_role, "role")
    assert list(r) == ["Kasubbag", "Kabag", "Karo"]  # most late share first
    # 2.a.1 (Kasubbag): K6 finished 852 minutes late, K2 running 2992 minutes late.
    assert (r["Kasubbag"]["judged"], r["Kasubbag"]["late"]) == (2, 2)
    assert r["Kasubbag"]["days_late_total"] == pytest.approx((852 + 2992) / MPD)
    assert r["Kasubbag"]["days_late_median"] == pytest.approx((852 + 2992) / 2 / MPD)
    # 1.b (Kabag): K1 60 minutes late, K2 on time.
    assert (r["Kabag"]["judged"], r["Kabag"]["late"], r["Kabag"]["late_share"]) == (2, 1, 0.5)
    assert r["Kabag"]["days_late_total"] == pytest.approx(60 / MPD)
    # 1.a (Karo): K1, K2, K6 on time; K3 running 1110 minutes late.
    assert (r["Karo"]["judged"], r["Karo"]["late"], r["Karo"]["late_share"]) == (4, 1, 0.25)
    assert r["Karo"]["days_late_total"] == pytest.approx(1110 / MPD)


@pytest.mark.parametrize("engine", ENGINES)
def test_bottlenecks_compare_actual_working_time_with_the_standard_and_rank_by_time_lost(figures, engine):
    b = figures(engine).bottlenecks
    assert b["step_code"].tolist() == ["2.a.1", "1.b", "1.a"]
    r = rows(b, "step_code")
    # 2.a.1: K6 only, took 980 minutes against 128, lost 852.
    assert (r["2.a.1"]["n"], r["2.a.1"]["late"]) == (1, 1)
    assert r["2.a.1"]["actual_median"] == pytest.approx(980 / MPD)
    assert r["2.a.1"]["standard_days"] == pytest.approx(128 / MPD)
    assert r["2.a.1"]["lost_days"] == pytest.approx(852 / MPD)
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
    assert c["CASE-2"]["share_done"] == pytest.approx(60 / T2) and c["CASE-2"]["stage_reached"] == 2
    assert c["CASE-2"]["late"] and c["CASE-2"]["days_late"] == pytest.approx(2992 / MPD)
    assert c["CASE-2"]["unit_ids"] == ["U-A1", "U-A2"]
    assert (c["CASE-3"]["share_done"], c["CASE-3"]["stage_reached"], c["CASE-3"]["late"]) == (0.0, 1, True)
    # K6: 1.a done (30), 1.b skipped (30), 2.a.1 done (128).
    assert c["CASE-6"]["share_done"] == pytest.approx(188 / T6) and not c["CASE-6"]["late"]
    assert (c["CASE-7"]["share_done"], c["CASE-7"]["stage_reached"]) == (0.0, dash.STAGE_NOT_STARTED)


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
    assert (b1["cases"], b1["cases_open"], b1["cases_late"], b1["stage_reached"]) == (3, 3, 1, 0)
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
    assert o["ORG-B"]["stage_reached"] == 0
    only_b = figures(engine, org="ORG-B")
    assert only_b.orgs["org_id"].tolist() == ["ORG-B"]
    assert sorted(only_b.units["unit_id"]) == ["U-B1", "U-B2"]
    assert sorted(only_b.cases["case_id"]) == ["CASE-3", "CASE-6", "CASE-7"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_case_on_hold_is_late_only_if_its_step_was_late_when_the_hold_began(duckdb_repo, engine):
    records = {
        "organisations": RECORDS["organisations"][:1], "units": RECORDS["units"][:1],
        "cases": [
            # On hold since 5 March 08.00; its step was due 3 March 09.00: late when the hold began, by
            # 420 (3 March) + 0 (4 March, holiday) + 30 (5 March to 08.00) = 450 minutes, and no more.
            {**case("CASE-H1", "ORG-A", ["U-A1"], "intern", 1, "ditunda", wib(2026, 3, 2)),
             "hold_since": wib(2026, 3, 5, 8)},
            # On hold since 2 March 12.00; its step was due 3 March: not late, although now is past it.
            {**case("CASE-H2", "ORG-A", ["U-A1"], "intern", 1, "ditunda", wib(2026, 3, 2)),
             "hold_since": wib(2026, 3, 2, 12)},
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
    assert d.late_steps["days_late"].iloc[0] == pytest.approx(450 / MPD)
