"""The ways of computing the dashboard agree (pandas; SQL in the DuckDB store; the same SQL over one
batch read, as on Google Sheets; the SQL in a PostgreSQL store), and the vectorised working-time
count equals the calendar's own, on random samples."""
from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from data_access import analytics
from data_access.demo import load_demo
from data_access.repository import prepare_insert
from domain import catalogue as cat
from domain import dashboard as dash
from domain.calendar import JAKARTA, WorkCalendar
from domain.models import CASE_STATUSES, COMPLAINT_STATUSES, STEP_STATUSES

CAL = WorkCalendar()
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


# ---- working time -------------------------------------------------------------------------------

def random_instants(rng: random.Random, n: int) -> list[dt.datetime]:
    start = dt.datetime(2024, 12, 1, tzinfo=dt.UTC)
    out = []
    for _ in range(n):
        t = start + dt.timedelta(seconds=rng.randint(0, 800 * 86400))
        if rng.random() < 0.3:  # often exactly on office boundaries
            local = t.astimezone(JAKARTA)
            hh, mm = rng.choice([(7, 30), (16, 0), (0, 0), (12, 0)])
            t = local.replace(hour=hh, minute=mm, second=0, microsecond=0)
        out.append(t)
    return out


@pytest.mark.parametrize("calendar", [CAL, WorkCalendar(dt.time(8, 0), dt.time(15, 30),
                                                        extra_holidays=frozenset({dt.date(2025, 7, 1)}))],
                         ids=["default", "other-hours-and-extra-holiday"])
def test_vectorised_working_minutes_equal_the_calendar_on_random_pairs(calendar):
    rng = random.Random(61)
    a, b = random_instants(rng, 400), random_instants(rng, 400)
    got = dash.WorkClock(calendar).minutes(pd.Series(pd.to_datetime(a, utc=True)),
                                           pd.Series(pd.to_datetime(b, utc=True)))
    expected = np.array([calendar.working_minutes(x, y) for x, y in zip(a, b, strict=True)])
    assert np.allclose(got, expected, atol=1e-6)
    assert (expected < 0).any() and (expected > 0).any()  # both directions were sampled


def test_working_minutes_skip_holidays_and_weekends_and_are_nan_where_an_instant_is_missing():
    clock = dash.WorkClock(CAL)
    # Friday 14 August 2026 15.00 WIB to Tuesday 18 August 10.00: Monday 17 August is Independence Day.
    a = pd.Series(pd.to_datetime([dt.datetime(2026, 8, 14, 15, tzinfo=JAKARTA), None], utc=True))
    b = pd.Series(pd.to_datetime([dt.datetime(2026, 8, 18, 10, tzinfo=JAKARTA)] * 2, utc=True))
    got = clock.minutes(a, b)
    assert got[0] == pytest.approx(60 + 150) and np.isnan(got[1])
    assert clock.days(a.iloc[:1], b.iloc[0])[0] == pytest.approx(210 / 510)


# ---- the same figures three ways ------------------------------------------------------------------

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


def random_records(seed: int, n_cases: int = 120) -> dict[str, list[dict]]:
    """Messy data on purpose: every status, missing instants, unknown steps and units, odd params."""
    rng = random.Random(seed)
    orgs = [{"id": f"O{i}", "name": f"Satuan {i}", "sort_order": rng.choice([i, None]), "active": i != 3}
            for i in range(4)]
    units = [{"id": f"U{i}", "org_id": f"O{i % 4}", "name": f"Unit {i}", "active": rng.random() < 0.8}
             for i in range(9)]
    codes = [s.code for s in cat.STEPS] + ["99.z"]
    base = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

    def instant():
        return base + dt.timedelta(minutes=rng.randint(0, 540 * 1440))

    cases, events, complaints = [], [], []
    for i in range(n_cases):
        start = instant()
        status = rng.choice(CASE_STATUSES)
        cases.append({"id": f"C{i}", "number": f"K-{i:03d}", "title": f"=Judul {i}", "org_id": f"O{rng.randint(0, 4)}",
                      "unit_ids": rng.sample([u["id"] for u in units] + ["U-HILANG"], rng.randint(0, 3)),
                      "track": rng.choice(cat.TRACKS), "drafts": rng.choice([None, 0, 1, 4, 16]),
                      "organisations": rng.choice([None, 1, 2]),
                      "meeting_location": rng.choice(cat.MEETING_LOCATIONS),
                      "team_decree": rng.choice(cat.TEAM_DECREES), "status": status,
                      "started_at": rng.choice([start, start, None]),
                      "finished_at": start + dt.timedelta(days=rng.randint(1, 300)) if rng.random() < 0.4 else None,
                      "hold_since": rng.choice([None, start + dt.timedelta(days=rng.randint(0, 200))]),
                      "created_at": start})
        for j, code in enumerate(rng.sample(codes, rng.randint(0, 12))):
            s = start + dt.timedelta(hours=rng.randint(0, 4000))
            events.append({"id": f"E{i}-{j}", "case_id": f"C{i}", "step_code": code,
                           "status": rng.choice(STEP_STATUSES),
                           "started_at": rng.choice([s, s, s, None]),
                           "due_at": rng.choice([s + dt.timedelta(hours=rng.randint(0, 300)), None]),
                           "finished_at": rng.choice([s + dt.timedelta(hours=rng.randint(0, 600)), None]),
                           "actor_id": rng.choice([None, "EX-KARO", "EX-X"])})
    for i in range(30):
        created = instant()
        complaints.append({"id": f"Q{i}", "unit_id": rng.choice([u["id"] for u in units] + [None]),
                           "status": rng.choice(COMPLAINT_STATUSES), "created_at": created,
                           "due_at": rng.choice([created + dt.timedelta(days=7), None]),
                           "answered_at": rng.choice([created + dt.timedelta(days=3), None]),
                           "closed_at": rng.choice([created + dt.timedelta(days=4), None])})
    return {"organisations": orgs, "units": units, "cases": cases, "step_events": events, "complaints": complaints,
            "executors": [{"id": "EX-KARO", "name": "Karo", "role": "Karo"}]}


@pytest.mark.parametrize("seed", [1, 2])
def test_pandas_and_sql_agree_on_messy_random_data(duckdb_repo, seed):
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for table, rows in random_records(seed).items():
        duckdb_repo.import_rows(table, [prepare_insert(table, r, "uji", at) for r in rows])
    for year, org in [(2025, None), (2026, None), (2026, "O1")]:
        all_three(duckdb_repo, year, org)


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

def all_on_postgres(duck, pg, year, org, calendar=CAL, now=NOW):
    """The figures in PostgreSQL equal the pandas reference (and so DuckDB's) for the same records."""
    reference = dash.compute(duck.frames(dash.TABLES), year, calendar, now, org)
    assert_same(reference, dash.compute(pg.frames(dash.TABLES), year, calendar, now, org))
    assert analytics.in_store(pg)
    got = analytics.dashboard(pg, year, calendar, now, org)
    assert_same(reference, got)
    return got


def copy_tables(source, target) -> None:
    for table in dash.TABLES:
        target.import_rows(table, source.list(table))


@pytest.mark.parametrize("year,org", [(2026, None), (2025, None), (2026, "ORG-HUKUM")])
def test_postgresql_sql_agrees_with_pandas_on_the_demo_data(demo_store, pg_repo, year, org):
    copy_tables(demo_store, pg_repo)
    d = all_on_postgres(demo_store, pg_repo, year, org)
    if org is None and year == 2026:
        assert d.headline.cases_open > 0 and len(d.units) == 17 and len(d.bottlenecks) > 10


def with_fractions(records: dict[str, list[dict]], seed: int) -> dict[str, list[dict]]:
    """Some instants with a fraction of a second of 1 to 6 digits, as saves made by people have."""
    rng = random.Random(seed)
    for rows in records.values():
        for row in rows:
            for key, value in row.items():
                if isinstance(value, dt.datetime) and rng.random() < 0.5:
                    row[key] = value.replace(microsecond=rng.choice([200000, 120000, 123000, 123400, 123450, 123456]))
    return records


@pytest.mark.parametrize("seed", [1, 2])
def test_postgresql_sql_agrees_with_pandas_on_messy_random_data(duckdb_repo, pg_repo, seed):
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for table, rows in with_fractions(random_records(seed), seed).items():
        prepared = [prepare_insert(table, r, "uji", at) for r in rows]
        duckdb_repo.import_rows(table, prepared)
        pg_repo.import_rows(table, prepared)
    for year, org in [(2025, None), (2026, None), (2026, "O1")]:
        all_on_postgres(duckdb_repo, pg_repo, year, org)


def test_an_empty_postgresql_store_gives_empty_figures(duckdb_repo, pg_repo):
    d = all_on_postgres(duckdb_repo, pg_repo, 2026, None)
    assert d.headline == dash.Headline() and d.years == [2026] and d.units.empty
    assert d.trend["month"].tolist() == [1, 2, 3, 4, 5]
