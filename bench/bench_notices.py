"""E-mail notices bench: a DuckDB store with 10,000 cases (the tracker bench's synthetic data) and
the demo accounts with e-mail addresses; the time to load what a run decides from, to decide which
notices are due (``domain.notices.due_notices``: the tracker's checklist for every running step),
and to write them as mails; plus peak memory. Nothing is sent.

Run: .venv/bin/python -m bench.bench_notices [--cases 10000] [--repeat 3]"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))  # Monday, 09:00 WIB


def main(argv=None) -> dict:
    from bench.datagen import fill_store
    from data_access.demo_accounts import demo_account_records
    from data_access.duckdb_store import DuckDBRepository
    from data_access.repository import prepare_insert, utcnow
    from domain import notices as nt
    from domain.calendar import WorkCalendar
    from domain.notice_mail import compose
    from mailer.service import load_data

    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    calendar = WorkCalendar()
    with tempfile.TemporaryDirectory() as tmp:
        repo = DuckDBRepository(Path(tmp) / "bench.duckdb", keep_open=True)
        repo.init()
        fill_store(repo, args.cases)
        rows, _ = demo_account_records("Bench-Sandi-2026!")
        repo.import_rows("accounts", [prepare_insert("accounts", {**r, "email": f"{r['username']}@bench.go.id"},
                                                     "bench", utcnow()) for r in rows])
        load_s = decide_s = compose_s = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            data = load_data(repo)
            load_s = min(load_s, time.perf_counter() - t)
            t = time.perf_counter()
            notices = nt.due_notices(data, calendar, NOW)
            decide_s = min(decide_s, time.perf_counter() - t)
            t = time.perf_counter()
            mails = [compose(n, "https://sop.example.go.id") for n in notices]
            compose_s = min(compose_s, time.perf_counter() - t)
        running = sum(1 for e in data.step_events)
        repo.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"cases": args.cases, "running_steps": running, "notices_due": len(notices),
               "load_s": round(load_s, 3), "decide_s": round(decide_s, 3), "compose_s": round(compose_s, 3),
               "peak_rss_MB": round(peak)}
    print(f"{args.cases} cases, {running} running steps: {len(notices)} notices due at {NOW.isoformat()}")
    print(f"  load {load_s:.2f} s, decide {decide_s:.2f} s, write {len(mails)} mails {compose_s:.2f} s; "
          f"peak {peak:.0f} MB RSS")
    return figures


if __name__ == "__main__":
    main()
