"""Google Sheets bench: API calls and wall time per page view and per save, on the local Sheets
stand-in (real HTTP, real gspread and google-auth), for 1,000 cases by default.

Beside it, a naive baseline written the usual gspread way: open the spreadsheet and read each
worksheet separately on every rerun; a save finds the row, writes it, appends the step event and
each audit entry. Prints both and the ratios. Targets: 1 read call per cold page view, 0 warm (the
UI's st.cache_data), at most 2 calls per save, at least 5x fewer calls than the baseline.
Run: .venv/bin/python -m bench.bench_sheets [--cases 1000]"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datagen import fill_store  # noqa: E402
from data_access.config import Settings  # noqa: E402
from data_access.repository import Insert, Update  # noqa: E402
from data_access.sheets_store import open_sheets_repository  # noqa: E402
from tests.sheets_standin import SheetsStandIn, make_client, write_service_account_file  # noqa: E402

# What the tracker/dashboard pages read for one view.
PAGE_TABLES = ["cases", "step_events", "holds", "units", "organisations", "executors"]


class NaiveStore:
    """The baseline: gspread's high-level API, no batching, no cache."""

    def __init__(self, gc, key: str):
        self.gc, self.key = gc, key

    def page_view(self, tables):
        sh = self.gc.open_by_key(self.key)
        return {t: sh.worksheet(t).get_all_records() for t in tables}

    def save(self, case_id: str, changes: dict, event_row: list, audit_rows: list[list]):
        sh = self.gc.open_by_key(self.key)
        cases = sh.worksheet("cases")
        rows = cases.get_all_values()
        header = rows[0]
        rownum = next(i for i, r in enumerate(rows, start=1) if r and r[0] == case_id)
        for col, value in changes.items():
            cases.update_cell(rownum, header.index(col) + 1, value)
        sh.worksheet("step_events").append_row(event_row, value_input_option="RAW",
                                               insert_data_option="INSERT_ROWS")
        audit = sh.worksheet("audit")
        for row in audit_rows:
            audit.append_row(row, value_input_option="RAW", insert_data_option="INSERT_ROWS")


def measure(standin, fn, repeat: int):
    calls, times = [], []
    for i in range(repeat):
        standin.reset_counts()
        t = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t)
        calls.append(standin.count() - standin.count("token"))
    return statistics.mean(calls), statistics.median(times)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import streamlit as st

    with tempfile.TemporaryDirectory() as tmp, SheetsStandIn() as standin:
        sa = tmp + "/sa.json"
        info = write_service_account_file(sa, standin)
        sid = standin.create_spreadsheet("SOP Tracker bench")
        repo = open_sheets_repository(Settings(backend="sheets", sheets_key=sid, sheets_endpoint=standin.url,
                                               service_account=info))
        repo.init()
        t = time.perf_counter()
        standin.reset_counts()
        counts = fill_store(repo, args.cases)
        fill_s, fill_calls = time.perf_counter() - t, standin.count()

        # ---- page view: cold (one batchGet) and warm (served by the UI cache) -------------------
        cold_calls, cold_s = measure(standin, lambda i: repo.frames(PAGE_TABLES), args.repeat)

        @st.cache_data(ttl=30, show_spinner=False)
        def cached(tables: tuple[str, ...]):
            return repo.frames(list(tables))

        cached(tuple(PAGE_TABLES))
        warm_calls, warm_s = measure(standin, lambda i: cached(tuple(PAGE_TABLES)), args.repeat)

        # ---- save: a step finished on a case and its step event, with audit entries ------------
        frames = repo.frames(["cases"])
        ids = list(frames["cases"]["id"][: args.repeat * 2])
        versions = dict(zip(frames["cases"]["id"], frames["cases"]["version"], strict=True))

        def save(i):
            cid = ids[i]
            repo.apply([Update("cases", cid, {"notes": f"catatan {i}", "status": "ditunda"}, int(versions[cid])),
                        Insert("step_events", {"id": f"B{i}", "case_id": cid, "step_code": "1.a",
                                               "status": "berjalan",
                                               "started_at": dt.datetime.now(dt.UTC)})], actor="bench")

        save_calls, save_s = measure(standin, save, args.repeat)

        # ---- the naive baseline on the same spreadsheet -------------------------------------------
        naive = NaiveStore(make_client(standin, sa, backoff=False, timeout=60), sid)
        naive_view_calls, naive_view_s = measure(standin, lambda i: naive.page_view(PAGE_TABLES), args.repeat)

        def naive_save(i):
            cid = ids[args.repeat + i]
            now = dt.datetime.now(dt.UTC).isoformat()
            naive.save(cid, {"notes": f"catatan {i}", "status": "ditunda", "updated_at": now,
                             "updated_by": "bench", "version": 2},
                       [f"N{i}", cid, "1.a", "berjalan", now],
                       [[f"A{i}-{k}", now, "bench", "update", "cases", cid] for k in range(2)]
                       + [[f"A{i}-e", now, "bench", "create", "step_events", f"N{i}"]])

        naive_save_calls, naive_save_s = measure(standin, naive_save, args.repeat)
        repo.close()

    reruns = 10  # one visit: ten reruns (widget clicks) of a page and one save
    ours_visit = cold_calls + (reruns - 1) * warm_calls + save_calls + cold_calls  # re-read after the save
    naive_visit = reruns * naive_view_calls + naive_save_calls + naive_view_calls
    figures = {
        "cases": counts["cases"], "step_events": counts["step_events"],
        "fill_s": round(fill_s, 2), "fill_calls": fill_calls,
        "page_view_cold_calls": cold_calls, "page_view_cold_s": round(cold_s, 3),
        "page_view_warm_calls": warm_calls, "page_view_warm_s": round(warm_s, 4),
        "save_calls": save_calls, "save_s": round(save_s, 3),
        "naive_page_view_calls": naive_view_calls, "naive_page_view_s": round(naive_view_s, 3),
        "naive_save_calls": naive_save_calls, "naive_save_s": round(naive_save_s, 3),
        "ratio_page_view_cold": round(naive_view_calls / cold_calls, 1),
        "ratio_save": round(naive_save_calls / save_calls, 1),
        "visit_calls_ours": ours_visit, "visit_calls_naive": naive_visit,
        "ratio_visit": round(naive_visit / ours_visit, 1),
    }
    for k, v in figures.items():
        print(f"{k:>24}: {v}")
    return figures


if __name__ == "__main__":
    main()
