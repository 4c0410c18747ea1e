"""PostgreSQL bench: the same large store in a DuckDB file and in PostgreSQL, the app's main reads on each.

Prints, best of --repeat runs, for each backend: loading the store (bulk import), the dashboard's
figures in SQL in the store, the case list (``tracker.load_summary``: the small tables plus the
running steps), the year's evaluation (``evaluation_for_year``, which reads only its columns), and a
whole read of the step events (``frames``).

The PostgreSQL server is a throw-away cluster started here as the tests start theirs
(``tests/postgres_server.py``; Debian's ``postgresql``), or ``SOP_TEST_POSTGRES_URL``.

Run: .venv/bin/python -m bench.bench_postgres [--cases 10000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datagen import fill_store  # noqa: E402
from data_access import analytics  # noqa: E402
from data_access.duckdb_store import DuckDBRepository  # noqa: E402
from data_access.postgres_store import PostgresRepository  # noqa: E402
from domain import tracker as trk  # noqa: E402
from domain.calendar import JAKARTA, WorkCalendar  # noqa: E402
from data_access.evaluation_data import evaluation_for_year  # noqa: E402
from tests.postgres_server import fresh_schema, server  # noqa: E402

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=JAKARTA)


def best(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def measure(repo, cases: int, repeat: int, calendar: WorkCalendar) -> dict:
    t = time.perf_counter()
    fill_store(repo, cases, today=NOW.astimezone(dt.UTC), calendar=calendar)
    figures = {"fill_s": time.perf_counter() - t, "step_events": repo.count("step_events")}
    figures["dashboard_sql_s"], board = best(lambda: analytics.dashboard(repo, NOW.year, calendar, NOW), repeat)
    figures["case_list_s"], summary = best(lambda: trk.load_summary(repo, calendar, NOW), repeat)
    figures["evaluation_s"], _ = best(lambda: evaluation_for_year(repo, NOW.year, calendar, NOW), repeat)
    figures["frames_step_events_s"], _ = best(lambda: repo.frames(["step_events"]), repeat)
    figures["_check"] = (board.headline, len(summary))
    return figures


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    calendar = WorkCalendar()
    with tempfile.TemporaryDirectory() as tmp:
        duck = DuckDBRepository(str(Path(tmp) / "bench.duckdb"), keep_open=True)
        duck.init()
        on_duck = measure(duck, args.cases, args.repeat, calendar)
        duck.close()
    with server() as url, fresh_schema(url) as schema_url:
        pg = PostgresRepository(schema_url)
        pg.init()
        on_pg = measure(pg, args.cases, args.repeat, calendar)
        pg.close()
    same = on_duck.pop("_check") == on_pg.pop("_check")
    print(f"{args.cases:,} cases, {on_pg['step_events']:,} step events; best of {args.repeat}; "
          f"same headline and list length on both: {same}")
    print(f"{'':<26}{'DuckDB':>10}{'PostgreSQL':>12}{'ratio':>8}")
    for key, label in (("fill_s", "bulk load"), ("dashboard_sql_s", "dashboard figures (SQL)"),
                       ("case_list_s", "case list"), ("evaluation_s", "evaluation of the year"),
                       ("frames_step_events_s", "read all step events")):
        a, b = on_duck[key], on_pg[key]
        print(f"{label:<26}{a:>9.3f}s{b:>11.3f}s{b / a:>7.1f}×")
    return {"duckdb": on_duck, "postgres": on_pg, "same": same}


if __name__ == "__main__":
    main()
