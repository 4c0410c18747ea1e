"""Foundation bench: a DuckDB store with 10,000 cases and ~500,000 step events.

Prints the time to load the tracker list (the app's ``tracker.load_summary``: cases with their
current step and lateness) and to compute per-unit progress (the dashboard's figures, computed in
the store by ``analytics.dashboard``), beside plain SQL for each, and the peak memory.
Targets: each < 1 s, peak < 500 MB.
Run: .venv/bin/python -m bench.bench_store [--cases 10000]"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datagen import fill_store  # noqa: E402
from data_access import analytics  # noqa: E402
from data_access.duckdb_store import DuckDBRepository  # noqa: E402
from domain import tracker as trk  # noqa: E402
from domain.calendar import WorkCalendar  # noqa: E402
from domain.calendar import now as jakarta_now  # noqa: E402

TRACKER_LIST_SQL = """
SELECT c.id, c.number, c.title, c.status, c.track, c.current_step, c.pic_id, u.name AS unit,
       e.due_at, e.started_at, (e.status = 'berjalan' AND e.due_at < now()::TIMESTAMP) AS late
FROM cases c
LEFT JOIN units u ON u.id = json_extract_string(c.unit_ids, '$[0]')
LEFT JOIN step_events e ON e.case_id = c.id AND e.step_code = c.current_step
ORDER BY c.started_at DESC
"""

PROGRESS_SQL = """
SELECT json_extract_string(c.unit_ids, '$[0]') AS unit_id, count(DISTINCT c.id) AS cases,
       count(*) FILTER (WHERE e.status IN ('selesai', 'dilewati')) AS steps_done,
       max(CAST(split_part(e.step_code, '.', 1) AS INTEGER)) AS stage_reached
FROM cases c JOIN step_events e ON e.case_id = c.id
GROUP BY 1 ORDER BY 1
"""


def timed(fn, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def fill(path: str, cases: int) -> None:
    repo = DuckDBRepository(path, keep_open=True)
    repo.init()
    fill_store(repo, cases)
    repo.close()


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--fill-only", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.fill_only:
        fill(args.fill_only, args.cases)
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "bench.duckdb")
        # The store is filled by another process so the peak memory below is the app's reading only.
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bench.bench_store", "--cases", str(args.cases), "--fill-only", path],
                       cwd=ROOT, check=True)
        fill_s = time.perf_counter() - t
        repo = DuckDBRepository(path, keep_open=True)
        repo.init()
        counts = {t: repo.count(t) for t in ("cases", "step_events")}
        # The app's own functions: the case list of the tracker, and the dashboard's figures (per
        # organisation and unit progress) computed in the store; the plain SQL beside them.
        calendar, now = WorkCalendar(), jakarta_now()
        list_s, df = timed(lambda: trk.load_summary(repo, calendar, now))
        progress_s, dash = timed(lambda: analytics.dashboard(repo, now.year, calendar, now))
        prog = dash.units
        sql_list_s, _ = timed(lambda: repo.sql(TRACKER_LIST_SQL))
        sql_progress_s, _ = timed(lambda: repo.sql(PROGRESS_SQL))
        frames_s, _ = timed(lambda: repo.frames(["cases"]), repeat=1)
        # Python's allocations in a second pass: tracemalloc slows Python down several times.
        tracemalloc.start()
        trk.load_summary(repo, calendar, now)
        analytics.dashboard(repo, now.year, calendar, now)
        _, py_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        repo.close()
    figures = {
        "cases": counts["cases"], "step_events": counts["step_events"], "fill_s": round(fill_s, 2),
        "tracker_list_s": round(list_s, 3), "tracker_list_rows": len(df),
        "unit_progress_s": round(progress_s, 3), "units": len(prog),
        "plain_sql_list_s": round(sql_list_s, 3), "plain_sql_progress_s": round(sql_progress_s, 3),
        "cases_frame_s": round(frames_s, 3),
        "peak_python_MB": round(py_peak / 2**20, 1), "peak_rss_MB": round(rss, 1),
    }
    for k, v in figures.items():
        print(f"{k:>20}: {v}")
    return figures


if __name__ == "__main__":
    main()
