"""Sign-in figures: argon2id hash and verify, a full sign-in and a failed one against a DuckDB file,
and loading the demo accounts. Prints medians; never part of the test run.

    .venv/bin/python -m bench.bench_sign_in [--rounds 20]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_access.demo_accounts import load_demo_accounts  # noqa: E402
from data_access.duckdb_store import DuckDBRepository  # noqa: E402
from domain.accounts import SignInPolicy, SignInRefused, authenticate, hash_password, verify_password  # noqa: E402


def timed(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args(argv)
    pw = "Bench-Sandi-2026!"
    stored = hash_password(pw)
    figures = {"hash_ms": timed(lambda: hash_password(pw), args.rounds),
               "verify_ms": timed(lambda: verify_password(stored, pw), args.rounds)}
    with tempfile.TemporaryDirectory() as tmp:
        repo = DuckDBRepository(Path(tmp) / "bench.duckdb")
        repo.init()
        os.environ["SOP_DEMO_PASSWORD"] = pw
        t = time.perf_counter()
        load_demo_accounts(repo)
        figures["demo_accounts_shared_password_ms"] = (time.perf_counter() - t) * 1000
        del os.environ["SOP_DEMO_PASSWORD"]
        repo2 = DuckDBRepository(Path(tmp) / "bench2.duckdb")
        repo2.init()
        t = time.perf_counter()
        load_demo_accounts(repo2)
        figures["demo_accounts_random_passwords_ms"] = (time.perf_counter() - t) * 1000
        figures["sign_in_ms"] = timed(lambda: authenticate(repo, "karo", pw), args.rounds)
        policy = SignInPolicy(max_failures=10**6, lockout_minutes=1)

        def fail():
            try:
                authenticate(repo, "kabag", "bukan-sandinya-1", policy)
            except SignInRefused:
                pass
        figures["failed_sign_in_ms"] = timed(fail, args.rounds)
    print(f"sign-in bench ({args.rounds} rounds, medians):")
    for k, v in figures.items():
        print(f"  {k:<36} {v:8.1f} ms")
    return figures


if __name__ == "__main__":
    main()
