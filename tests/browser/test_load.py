"""A bounded load run in the suite: 20 concurrent Chromium sessions doing the staff and complaint
flows for a minute against the real app. Zero errors expected; the times are printed, not judged
(bench/load_run.py and bench/run_all.py report them)."""
import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.load_run import run, summary
from data_access.duckdb_store import DuckDBRepository

# Its own step, after the rest of the suite and alone on the machine (pytest.ini deselects it;
# `pytest -m load` runs it): 20 sessions in parallel with other tests would measure those tests.
pytestmark = pytest.mark.load


def test_twenty_concurrent_sessions_work_without_a_single_error(duckdb_app, capsys):
    # The suite's own (sync) Playwright holds this thread's event loop; the load runs beside it.
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(asyncio.run, run(duckdb_app.url, sessions=20, seconds=75)).result()
    with capsys.disabled():
        print(f"\nload run: {results.actions} flows, {len(results.errors)} errors")
        for row in summary(results):
            print(f"  {row['page']:<22} n={row['n']:<4} median {row['median_s']} s  p95 {row['p95_s']} s")
    assert results.errors == []
    assert results.actions >= 20  # every session finished at least one flow
    filed = results.times.get("pengaduan (kirim)", [])
    assert filed, "no complaint was filed"
    store = DuckDBRepository(duckdb_app.env["SOP_DUCKDB_PATH"], lock_timeout=30)
    receipts = [c["receipt_no"] for c in store.list("complaints") if (c["subject"] or "").startswith("Uji beban")]
    assert len(receipts) == len(filed) and len(set(receipts)) == len(receipts)
