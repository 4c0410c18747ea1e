"""The ways of computing the dashboard agree (pandas; SQL in the DuckDB store; the same SQL over one
batch read, as on Google Sheets; the same SQL in a PostgreSQL server, a real one the tests start),
on the hand-checked sets, the demo data and messy random stores; and the SQL's working time, in
DuckDB and in PostgreSQL, is the one clock's (``domain.worktime``), which equals the calendar's own,
on random samples."""
from __future__ import annotations

import datetime as dt
import random

import duckdb
import numpy as np
import pandas as pd
import psycopg
import pytest

from data_access import analytics
from data_access.demo import load_demo
from data_access.repository import prepare_insert
from data_access.sql_dialect import DUCKDB, POSTGRES
from domain import case_params
from domain import catalogue as cat
from domain import dashboard as dash
from domain.calendar import JAKARTA, WorkCalendar
from domain.models import CANCELLED, CASE_STATUSES, COMPLAINT_STATUSES, DONE, ON_HOLD, RUNNING, SKIPPED
from domain.worktime import WorkClock, clock_for
from tests import test_dashboard as hand
from tests.calendars import IRREGULAR

CAL = WorkCalendar()
OTHER_CAL = WorkCalendar(dt.time(8, 0), dt.time(15, 30), extra_holidays=frozenset({dt.date(2025, 7, 1)}))
NOW = dt.datetime(2026, 5, 20, 10, 0, tzinfo=JAKARTA)


def assert_same(a: dash.Dashboard, b: dash.Dashboard) -> None:
    assert a.headline == b.headline
    assert a.years == b.years and a.as_of == b.as_of and a.org_choices == b.org_choices
    for name in dash.SPEC:
        pd.testing.assert_frame_equal(a.frame(name), b.frame(name), check_exact=False, rtol=1e-9, atol=1e-7,
                                      obj=name)


def all_three(repo, year, org, calendar=CAL, now=NOW):
    reference = dash.compute(repo.frames(dash.TABLES), year, calendar, now, org)
    for in_store in (True, False):
        assert_same(reference, analytics.dashboard(repo, year, calendar, now, org, use_store_sql=in_store))
    return reference


def load(repo, records: dict[str, list[dict]]) -> None:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for table, rows in records.items():
        repo.import_rows(table, [prepare_insert(table, r, "uji", at) for r in rows])


# ---- working time -------------------------------------------------------------------------------

def random_instants(rng: random.Random, n: int) -> list[dt.datetime]:
    start = dt.datetime(2024, 12, 1, tzinfo=dt.UTC)
    out = []
    for _ in range(n):
        t = start + dt.timedelta(seconds=rng.randint(0, 800 * 86400),
                                 microseconds=rng.choice([0, rng.randint(0, 10**6)]))
        if rng.random() < 0.3:  # often exactly on office boundaries
            local = t.astimezone(JAKARTA)
            hh, mm = rng.choice([(7, 30), (8, 0), (15, 0), (15, 30), (16, 0), (16, 30), (0, 0), (12, 0)])
            t = local.replace(hour=hh, minute=mm, second=0, microsecond=0)
        out.append(t)
    return out


@pytest.mark.parametrize("calendar", [CAL, OTHER_CAL, IRREGULAR],
                         ids=["default", "other-hours-and-extra-holiday", "irregular-days"])
def test_the_one_clock_counts_working_minutes_and_due_instants_as_the_calendar_does(calendar):
    rng = random.Random(61)
    a, b = random_instants(rng, 400), random_instants(rng, 400)
    clock = clock_for(calendar, a, b)
    got = clock.minutes(pd.Series(pd.to_datetime(a, utc=True)), pd.Series(pd.to_datetime(b, utc=True)))
    expected = np.array([calendar.working_minutes(x, y) for x, y in zip(a, b, strict=True)])
    assert np.allclose(got, expected, atol=1e-6)
    assert (expected < 0).any() and (expected > 0).any()  # both directions were sampled
    # Some working time on (with none, an instant after hours is the close of its day on the clock and
    # the next opening for ``add``: the same point of working time).
    minutes = [rng.choice([30, 510, 2550, rng.uniform(1, 9000)]) for _ in a]
    due = clock.instant(clock.ordinal(pd.Series(pd.to_datetime(a, utc=True))) + np.array(minutes))
    added = [pd.Timestamp(calendar.add(x, m)).round("s") for x, m in zip(a, minutes, strict=True)]
    assert list(due) == added


def test_working_minutes_skip_holidays_and_weekends_and_are_nan_where_an_instant_is_missing():
    clock = clock_for(CAL, dt.datetime(2026, 8, 14, tzinfo=JAKARTA))
    # Friday 14 August 2026 15.00 WIB to Tuesday 18 August 10.00: Monday 17 August is Independence Day.
    a = pd.Series(pd.to_datetime([dt.datetime(2026, 8, 14, 15, tzinfo=JAKARTA), None], utc=True))
    b = pd.Series(pd.to_datetime([dt.datetime(2026, 8, 18, 10, tzinfo=JAKARTA)] * 2, utc=True))
    got = clock.minutes(a, b)
    assert got[0] == pytest.approx(60 + 150) and np.isnan(got[1])
    assert clock.days(a.iloc[:1], b.iloc[0])[0] == pytest.approx(210 / 510)


def sql_ordinals(clock: WorkClock, instants: list, pg=None) -> np.ndarray:
    """The SQL's ordinal of each instant, from the day table the dashboard's SQL builds: in DuckDB, or
    in the PostgreSQL store ``pg`` (the instants stored there as ``timestamptz``, as every instant is)."""
    d = DUCKDB if pg is None else POSTGRES
    values = analytics.clock_values(clock, pd.Timestamp(instants[0]))
    sql = (f"WITH {analytics.CLOCK_CTES}, x AS (SELECT i, {analytics.local_us('t', d)} AS us FROM instants) "
           f"SELECT {analytics.ordinal('x.us', 'd', d)} AS o FROM x {analytics.join_day('d', 'x.us', d)} "
           "ORDER BY i")
    text, params = d.bind(sql, values)
    if pg is not None:
        with psycopg.connect(pg.url, autocommit=True) as con:
            con.execute("CREATE TABLE instants (i BIGINT, t TIMESTAMPTZ)")
            with con.cursor().copy("COPY instants (i, t) FROM STDIN") as copy:
                for i, t in enumerate(instants):
                    copy.write_row((i, t))
        return pg.sql(text, params)["o"].to_numpy(dtype=float)
    frame = pd.DataFrame({"i": range(len(instants)),
                          "t": pd.to_datetime(pd.Series(instants), utc=True).dt.tz_localize(None)})
    con = duckdb.connect()
    con.register("instants", frame)
    try:
        return con.execute(text, params).df()["o"].to_numpy(dtype=float)
    finally:
        con.close()


def check_sql_ordinals(calendar, pg=None) -> None:
    rng = random.Random(7)
    instants = random_instants(rng, 600) + [None]
    clock = clock_for(calendar, dt.datetime(2025, 6, 1, tzinfo=dt.UTC))  # 2024-2029
    # Instants before and after the clock's range count as its first and last instant.
    instants += [dt.datetime(2020, 3, 3, 9, tzinfo=JAKARTA), dt.datetime(2031, 3, 3, 9, tzinfo=JAKARTA)]
    expected = clock.ordinal(pd.Series(pd.to_datetime(instants, utc=True)))
    got = sql_ordinals(clock, instants, pg)
    assert np.isnan(got[600]) and np.isnan(expected[600])
    mask = ~np.isnan(expected)
    assert (got[mask] == expected[mask]).all()  # bit for bit: both paths must judge the same ties alike
    assert got[-2] == 0 and got[-1] == clock.end_ordinal
    assert any(t.microsecond for t in instants[:600])  # microseconds were sampled, and kept


CALENDARS = pytest.mark.parametrize("calendar", [CAL, OTHER_CAL, IRREGULAR],
                                    ids=["default", "other-hours-and-extra-holiday", "irregular-days"])


@CALENDARS
def test_the_sql_places_instants_in_working_time_exactly_as_the_one_clock(calendar):
    check_sql_ordinals(calendar)


@CALENDARS
def test_postgresql_places_instants_in_working_time_exactly_as_the_one_clock(pg_repo, calendar):
    check_sql_ordinals(calendar, pg_repo)


# ---- the same figures three ways ------------------------------------------------------------------

@pytest.mark.parametrize("records", ["RECORDS", "RECORDS_B"])
def test_pandas_and_sql_agree_on_the_hand_checked_sets(duckdb_repo, records):
    load(duckdb_repo, getattr(hand, records))
    for year, org in [(2026, None), (2025, None), (2026, "ORG-A")]:
        all_three(duckdb_repo, year, org, hand.CAL, hand.NOW)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    from data_access.duckdb_store import DuckDBRepository

    repo = DuckDBRepository(tmp_path_factory.mktemp("demo") / "demo.duckdb")
    repo.init()
    load_demo(repo, CAL, NOW)
    yield repo
    repo.close()


@pytest.mark.parametrize("year,org", [(2026, None), (2025, None), (2026, "ORG-HUKUM"), (2026, "ORG-TIDAK-ADA")])
def test_pandas_and_sql_agree_on_the_demo_data(demo_store, year, org):
    d = all_three(demo_store, year, org)
    if org is None and year == 2026:
        assert d.headline.cases_open > 0 and len(d.units) == 17 and len(d.bottlenecks) > 10
        assert d.headline.steps_judged > d.headline.steps_on_time > 0 and len(d.late_steps) > 0


# ---- messy random stores --------------------------------------------------------------------------

EXECUTORS = [("EX-KARO", "Karo"), ("EX-KABAG", "Kabag"), ("EX-KASUBBAG", "Kasubbag"), ("EX-STAF", "Staf")]
# Blank, padded and unknown values beside the valid ones: each must read as case_params reads it.
TRACK_VALUES = [*cat.TRACKS] * 4 + [None, " ", " permen ", "intern\t", "\u00a0intern", "regional"]
MEETING_VALUES = [*cat.MEETING_LOCATIONS] * 3 + [None, " ", "luar_negeri", " luar_kota\n"]
DECREE_VALUES = [*cat.TEAM_DECREES] * 3 + [None, "presiden", "deputi "]


def random_records(seed: int, n_cases: int = 150, calendar: WorkCalendar = CAL) -> dict[str, list[dict]]:
    """Messy data on purpose: every status, blank and unknown parameters, both tracks and every
    alternative, steps done, skipped, running, reopened, back-dated and finished after hours,
    parties recorded (allowed or not), holds recorded, open, overlapping and missing, unknown and
    inapplicable steps, missing instants and units."""
    rng = random.Random(seed)
    # Instants with a fraction of a second (as the app saves them) beside whole minutes, drawn apart so
    # that the rest of the store is drawn as it always was.
    fractions = random.Random(seed + 1000)
    mpd = calendar.minutes_per_day
    orgs = [{"id": f"O{i}", "name": f"Satuan {i}", "sort_order": rng.choice([i, None]), "active": i != 3}
            for i in range(4)]
    units = [{"id": f"U{i}", "org_id": f"O{i % 4}", "name": f"Unit {i}", "active": rng.random() < 0.8}
             for i in range(9)]
    base = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

    def later(t: dt.datetime, days: float) -> dt.datetime:
        return t + dt.timedelta(minutes=round(days * 1440 * rng.random()))

    def odd_hour(t: dt.datetime) -> dt.datetime:
        local = t.astimezone(JAKARTA)
        return local.replace(hour=rng.choice([6, 12, 17, 21]), minute=rng.randint(0, 59))

    cases, events, holds, complaints = [], [], [], []
    for i in range(n_cases):
        cid = f"C{i}"
        start = later(base, 500) + dt.timedelta(microseconds=fractions.choice([0, fractions.randint(1, 999_999)]))
        status = rng.choice(CASE_STATUSES)
        unit_ids = rng.sample([u["id"] for u in units] + ["U-HILANG"], rng.randint(0, 3))
        raw = {"track": rng.choice(TRACK_VALUES), "drafts": rng.choice([None, 0, -2, 1, 1, 3, 16]),
               "organisations": rng.choice([None, 0, 1, 1, 2, 3]), "meeting_location": rng.choice(MEETING_VALUES),
               "team_decree": rng.choice(DECREE_VALUES)}
        params = case_params.read(raw["track"], raw["drafts"], unit_ids, raw["organisations"],
                                  raw["meeting_location"], raw["team_decree"]).params
        plan = cat.plan(params, mpd).steps
        n_steps = rng.choice([0, 2, 5, 9, 15, 25, 40, len(plan)])
        t, rows = start, []
        for k, ps in enumerate(plan[:n_steps]):
            step = ps.step
            # From nothing to several times the step's plan time; a block's steps share its time.
            minutes = rng.choice([0, 0, 5, ps.duration * 0.5, ps.duration, ps.duration, ps.duration * 1.5,
                                  ps.duration * 4, 20 * mpd])
            finish = calendar.add(t, minutes)
            if rng.random() < 0.1:
                finish = odd_hour(finish)  # after hours, before the office opens, or a back-dated slip
            state = DONE
            if k == n_steps - 1 and rng.random() < 0.6:
                state = RUNNING
            elif rng.random() < 0.1:
                state, finish = SKIPPED, rng.choice([t, finish])
            if step.parties:
                party = rng.choice([*step.parties, None, "Menteri", " Staf"])
            else:
                party = rng.choice([None] * 6 + ["Deputi", step.responsible])
            rows.append({"id": f"E{i}-{k}", "case_id": cid, "step_code": step.code, "status": state,
                         "started_at": None if rng.random() < 0.03 else t,
                         "due_at": rng.choice([None, finish]), "finished_at": None if state == RUNNING else finish,
                         "actor_id": rng.choice([None, "EX-X", *[e for e, _ in EXECUTORS]]), "party": party})
            t = finish if state != RUNNING else t
        closed = [r for r in rows if r["status"] != RUNNING]
        if closed and rng.random() < 0.25:  # reopened: running again from a later instant
            r = rng.choice(closed)
            r.update(status=RUNNING, started_at=later(t, 10), finished_at=None, reason="dibuka kembali")
        if rng.random() < 0.15:  # a step of the other alternative or track, or no step at all
            used = {r["step_code"] for r in rows}
            code = rng.choice([s.code for s in cat.STEPS if s.code not in used] + ["99.z"])
            rows.append({"id": f"E{i}-x", "case_id": cid, "step_code": code, "status": rng.choice([DONE, RUNNING]),
                         "started_at": later(start, 60), "finished_at": later(start, 90), "actor_id": None})
        events += rows
        finished_at = None
        if status == "selesai":
            finished_at = rng.choice([t, t, later(t, 30), None])
        elif rng.random() < 0.1:
            finished_at = later(start, 300)
        hold_since = None
        if status == ON_HOLD:
            hold_since = rng.choice([later(start, 200), later(t, 5), None])
        elif rng.random() < 0.05:
            hold_since = later(start, 100)  # left over on a case no longer held: ignored
        if status == ON_HOLD and hold_since and rng.random() < 0.5:
            holds.append({"id": f"H{i}-open", "case_id": cid, "start_at": hold_since, "end_at": None})
        for k in range(rng.choice([0, 0, 0, 1, 2])):
            h_start = later(start, 150)
            holds.append({"id": f"H{i}-{k}", "case_id": cid, "start_at": h_start,
                          "end_at": rng.choice([later(h_start, 15), later(h_start, 15), None])})
        cases.append({"id": cid, "number": f"K-{i:03d}", "title": f"=Judul {i}", "org_id": f"O{rng.randint(0, 4)}",
                      "unit_ids": unit_ids, **raw, "status": status, "started_at": rng.choice([start, start, None]),
                      "finished_at": finished_at, "hold_since": hold_since, "created_at": start})
    holds.append({"id": "H-lost", "case_id": "C-TIDAK-ADA", "start_at": base, "end_at": None})
    for i in range(30):
        created = later(base, 540)
        complaints.append({"id": f"Q{i}", "unit_id": rng.choice([u["id"] for u in units] + [None]),
                           "status": rng.choice(COMPLAINT_STATUSES), "created_at": created,
                           "due_at": rng.choice([created + dt.timedelta(days=7), None]),
                           "answered_at": rng.choice([created + dt.timedelta(days=3), None]),
                           "closed_at": rng.choice([created + dt.timedelta(days=4), None])})
    return {"organisations": orgs, "units": units, "cases": cases, "step_events": events, "holds": holds,
            "complaints": complaints,
            "executors": [{"id": e, "name": f"Bu {n}", "role": n} for e, n in EXECUTORS]}


def test_the_random_stores_hold_what_the_rule_must_handle():
    records = random_records(1)
    cases, events, holds = records["cases"], records["step_events"], records["holds"]
    read = [case_params.read(c["track"], c["drafts"], c["unit_ids"], c["organisations"], c["meeting_location"],
                             c["team_decree"]) for c in cases]
    assert {f for r in read for f in r.defaulted} == {"track", "drafts", "organisations", "meeting_location",
                                                       "team_decree"}
    assert {(r.params.track, r.params.meeting_location, r.params.team_decree) for r in read} == {
        (t, m, d) for t in cat.TRACKS for m in cat.MEETING_LOCATIONS for d in cat.TEAM_DECREES}
    assert {c["status"] for c in cases} == set(CASE_STATUSES)
    assert {e["status"] for e in events} == {DONE, SKIPPED, RUNNING}
    assert any(e.get("reason") for e in events)  # reopened
    assert any(e["party"] == "Deputi" and cat.STEP_BY_CODE[e["step_code"]].parties for e in events
               if e["step_code"] in cat.STEP_BY_CODE)
    assert any(h["end_at"] is None for h in holds) and len(holds) > 20
    assert any(c["status"] == ON_HOLD and c["hold_since"] and not any(
        h["case_id"] == c["id"] and h["end_at"] is None for h in holds) for c in cases)
    assert any(c["status"] == CANCELLED for c in cases)
    assert {bool(c["created_at"].microsecond) for c in cases} == {True, False}


@pytest.mark.parametrize("seed,calendar", [(1, CAL), (2, CAL), (3, OTHER_CAL), (4, IRREGULAR)])
def test_pandas_and_sql_agree_on_messy_random_data(duckdb_repo, seed, calendar):
    load(duckdb_repo, random_records(seed, calendar=calendar))
    judged = 0
    for year, org in [(2025, None), (2026, None), (2026, "O1"), (2025, "O2")]:
        d = all_three(duckdb_repo, year, org, calendar)
        judged += d.headline.steps_judged
        if org is None:
            assert len(d.late_steps) and d.late_by_role["late"].sum() > 0 and d.cases["late"].any()
    assert judged > 100


def test_an_empty_store_gives_empty_figures_the_same_way(duckdb_repo):
    d = all_three(duckdb_repo, 2026, None)
    assert d.headline == dash.Headline() and d.years == [2026] and d.units.empty
    assert d.trend["month"].tolist() == [1, 2, 3, 4, 5]


def test_complaints_open_and_overdue_now_agree_with_the_complaint_desk(demo_store):
    from domain.complaints import complaint_figures

    frames = demo_store.frames(dash.TABLES)
    desk = complaint_figures(frames["complaints"], NOW)
    d = analytics.dashboard(demo_store, NOW.year, CAL, NOW)
    assert (d.headline.complaints_open, d.headline.complaints_overdue) == (desk.open, desk.overdue)
    assert desk.open > 0


# ---- the same SQL in PostgreSQL ---------------------------------------------------------------------

def on_postgres(duck, pg, year, org, calendar=CAL, now=NOW) -> dash.Dashboard:
    """The figures computed in the PostgreSQL server equal the pandas reference for the same records
    (and so DuckDB's): the reference from the DuckDB store's read, which PostgreSQL's read equals."""
    reference = dash.compute(duck.frames(dash.TABLES), year, calendar, now, org)
    assert_same(reference, dash.compute(pg.frames(dash.TABLES), year, calendar, now, org))
    got = analytics.dashboard(pg, year, calendar, now, org)
    assert_same(reference, got)
    return got


def load_both(duck, pg, records: dict[str, list[dict]]) -> None:
    load(duck, records)
    load(pg, records)


@pytest.fixture
def pg_in_server(pg_repo, monkeypatch):
    """The PostgreSQL store, which may not be read whole: its figures must be computed in the server."""
    assert analytics.in_store(pg_repo)

    def refused(tables):
        raise AssertionError(f"read whole: {tables}")

    monkeypatch.setattr(pg_repo, "frames", refused)
    return pg_repo


def test_the_postgresql_figures_are_computed_in_the_server_not_over_a_read_of_its_tables(pg_in_server):
    with pytest.raises(AssertionError, match="read whole"):
        analytics.dashboard(pg_in_server, 2026, CAL, NOW, use_store_sql=False)
    d = analytics.dashboard(pg_in_server, 2026, CAL, NOW)
    assert d.headline == dash.Headline() and d.units.empty and d.trend["month"].tolist() == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("records", ["RECORDS", "RECORDS_B"])
def test_postgresql_sql_agrees_with_pandas_on_the_hand_checked_sets(duckdb_repo, pg_repo, records):
    load_both(duckdb_repo, pg_repo, getattr(hand, records))
    for year, org in [(2026, None), (2025, None), (2026, "ORG-A")]:
        d = on_postgres(duckdb_repo, pg_repo, year, org, hand.CAL, hand.NOW)
        if year == 2026 and org is None:
            assert d.headline.steps_judged > 0 and len(d.cases) > 0


@pytest.fixture(scope="module")
def pg_demo(pg_server, demo_store):
    """The demo data of ``demo_store``, copied as it is into a PostgreSQL store of its own."""
    from data_access.postgres_store import PostgresRepository
    from tests.postgres_server import fresh_schema

    with fresh_schema(pg_server) as url:
        repo = PostgresRepository(url)
        repo.init()
        for table in dash.TABLES:
            repo.import_rows(table, demo_store.list(table))
        yield repo
        repo.close()


@pytest.mark.parametrize("year,org", [(2026, None), (2025, None), (2026, "ORG-HUKUM"), (2026, "ORG-TIDAK-ADA")])
def test_postgresql_sql_agrees_with_pandas_on_the_demo_data(demo_store, pg_demo, year, org):
    d = on_postgres(demo_store, pg_demo, year, org)
    if org is None and year == 2026:
        assert d.headline.cases_open > 0 and len(d.units) == 17 and len(d.bottlenecks) > 10
        assert d.headline.steps_judged > d.headline.steps_on_time > 0 and len(d.late_steps) > 0


@pytest.mark.parametrize("seed,calendar", [(1, CAL), (2, CAL), (3, OTHER_CAL)])
def test_postgresql_sql_agrees_with_pandas_on_messy_random_data(duckdb_repo, pg_repo, seed, calendar):
    load_both(duckdb_repo, pg_repo, random_records(seed, calendar=calendar))
    judged = 0
    for year, org in [(2025, None), (2026, None), (2026, "O1"), (2025, "O2")]:
        d = on_postgres(duckdb_repo, pg_repo, year, org, calendar)
        judged += d.headline.steps_judged
        if org is None:
            assert len(d.late_steps) and d.late_by_role["late"].sum() > 0 and d.cases["late"].any()
    assert judged > 100


def test_an_empty_postgresql_store_gives_empty_figures(duckdb_repo, pg_repo):
    d = on_postgres(duckdb_repo, pg_repo, 2026, None)
    assert d.headline == dash.Headline() and d.years == [2026] and d.units.empty and d.late_steps.empty
    assert d.trend["month"].tolist() == [1, 2, 3, 4, 5]
