"""Tracker bench: a DuckDB store with 10,000 cases (~500,000 step events, bulk-imported as
DataFrames), then the time to compute the case list, and to render the case list page and one case
detail page through Streamlit's AppTest: the first render in the process (imports included), cold
(caches emptied, as after a save) and warm; plus peak memory.
Target: each render under 1.5 s on a 2-core machine.

Run: .venv/bin/python -m bench.bench_tracker [--cases 10000] [--repeat 3]"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fill(path: str, cases: int) -> None:
    from bench.datagen import fill_store
    from data_access.duckdb_store import DuckDBRepository

    repo = DuckDBRepository(path, keep_open=True)
    repo.init()
    fill_store(repo, cases)
    repo.close()


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--fill-only", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.fill_only:
        fill(args.fill_only, args.cases)
        return {}

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "bench.duckdb")
        t = time.perf_counter()
        # Filled by another process, so the peak memory below is the app's reading and drawing only.
        subprocess.run([sys.executable, "-m", "bench.bench_tracker", "--cases", str(args.cases), "--fill-only",
                        path], cwd=ROOT, check=True)
        fill_s = time.perf_counter() - t
        os.environ.update(SOP_BACKEND="duckdb", SOP_DUCKDB_PATH=path, SOP_DEMO_DATA="false",
                          SOP_SECRETS_FILE=str(Path(tmp) / "none.toml"), SOP_ATTACHMENTS_DIR=str(Path(tmp) / "att"))

        import streamlit as st

        from data_access.duckdb_store import DuckDBRepository
        from domain import tracker as trk
        from domain.calendar import WorkCalendar
        from tests.apptest_helpers import run_page

        repo = DuckDBRepository(path)
        repo.init()
        counts = {t: repo.count(t) for t in ("cases", "step_events")}
        cal = WorkCalendar()

        t = time.perf_counter()
        summary = trk.load_summary(repo, cal)  # first call: also builds the calendar arrays and plans
        summary_cold = time.perf_counter() - t
        summary_warm, summary = best_of(lambda: trk.load_summary(repo, cal), args.repeat)
        tracemalloc.start()  # a separate pass: tracing slows Python down several times
        trk.load_summary(repo, cal)
        _, py_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        filter_s, shown = best_of(lambda: trk.filter_cases(summary, trk.CaseFilter(
            statuses=["aktif"], text="sop", sort="late_days", descending=True)), args.repeat)
        open_case = summary[summary["status"] == "aktif"].iloc[0]["id"]
        repo.close()

        def page(name: str, **query) -> float:
            t = time.perf_counter()
            at = run_page(name, "staf1", query=query)
            elapsed = time.perf_counter() - t
            if at.exception:
                raise RuntimeError(f"{name}: {at.exception[0].value}")
            return elapsed

        page("home")  # Streamlit's own first-run cost (imports, the store handle), not the tracker's
        # first: the first time in the process (the page's imports too); cold: caches emptied as
        # after a save; warm: cached list. Each includes AppTest's own overhead per run.
        st.cache_data.clear()
        list_first = page("cases")
        st.cache_data.clear()
        list_cold = page("cases")
        list_warm, _ = best_of(lambda: page("cases"), args.repeat)
        st.cache_data.clear()
        detail_first = page("case_detail", id=open_case)
        st.cache_data.clear()
        detail_cold = page("case_detail", id=open_case)
        detail_warm, _ = best_of(lambda: page("case_detail", id=open_case), args.repeat)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    figures = {
        "cases": counts["cases"], "step_events": counts["step_events"], "fill_s": round(fill_s, 2),
        "case_list_compute_cold_s": round(summary_cold, 3), "case_list_compute_warm_s": round(summary_warm, 3),
        "filter_sort_search_s": round(filter_s, 4), "filtered_rows": len(shown),
        "case_list_page_first_s": round(list_first, 3), "case_list_page_cold_s": round(list_cold, 3),
        "case_list_page_warm_s": round(list_warm, 3), "case_detail_page_first_s": round(detail_first, 3),
        "case_detail_page_cold_s": round(detail_cold, 3), "case_detail_page_warm_s": round(detail_warm, 3),
        "peak_python_MB_case_list": round(py_peak / 2**20, 1), "peak_rss_MB": round(rss, 1),
    }
    width = max(map(len, figures))
    for k, v in figures.items():
        print(f"{k:>{width}}: {v}")
    return figures


if __name__ == "__main__":
    main()
