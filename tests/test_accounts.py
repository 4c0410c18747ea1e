"""Accounts without a store (password policy, lockout arithmetic, SSO mapping) and the ones tied to
the DuckDB file (command line, demo accounts); the rest is ``tests/contracts/accounts.py``, run on
every backend."""
import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from data_access.demo_accounts import DEMO_ACCOUNTS, load_demo_accounts
from domain.accounts import (
    SignInPolicy, account_for_email, after_failure, authenticate, failure_delay, failures_so_far, password_problem,
    random_password,
)
from domain.permissions import Actor
from tests.contracts.accounts import ADMIN_PW, T0, every_stored_text

ROOT = Path(__file__).resolve().parent.parent


# ---- hashing and policy -------------------------------------------------------------------------------

@pytest.mark.parametrize("password, why", [
    ("pendek1!", "minimal 10"), ("a" * 129, "paling banyak"), (" spasi-di-depan1", "spasi"),
    ("abababababab", "berbeda"), ("Staf1-kantor-baru", "nama pengguna"), ("Password123", "umum"),
    ("katasandi1!!", "umum"), ("Kemensetneg", "umum"),
])
def test_the_password_policy_refuses_weak_passwords_with_a_reason(password, why):
    problem = password_problem(password, "staf1")
    assert problem and why in problem and problem.startswith("Kata sandi baru")


def test_random_passwords_pass_the_policy_and_differ():
    made = {random_password() for _ in range(50)}
    assert len(made) == 50
    assert all(password_problem(p) is None and len(p) == 16 for p in made)


# ---- sign-in and lockout -------------------------------------------------------------------------------

def test_a_run_out_lock_starts_a_fresh_count():
    policy = SignInPolicy(3, 10)
    locked = {"failed_attempts": 3, "locked_until": T0}
    assert failures_so_far(locked, T0 - dt.timedelta(minutes=1)) == 3
    assert failures_so_far(locked, T0) == 0
    assert after_failure(locked, T0 + dt.timedelta(minutes=1), policy) == ({"failed_attempts": 1, "locked_until": None},
                                                                            False)
    changes, locks = after_failure({"failed_attempts": 2}, T0, policy)
    assert locks and changes["locked_until"] == T0 + dt.timedelta(minutes=10)


def test_the_delay_after_a_failure_grows_a_little_and_is_capped():
    assert [failure_delay(n) for n in (1, 2, 3, 4, 10)] == [0.5, 1.0, 1.5, 2.0, 2.0]


def test_an_sso_email_maps_to_exactly_one_active_account():
    accounts = [{"id": "a", "email": "Budi@Setneg.go.id", "active": True},
                {"id": "b", "email": "siti@setneg.go.id", "active": False},
                {"id": "c", "email": "dua@setneg.go.id", "active": True},
                {"id": "d", "email": "dua@setneg.go.id ", "active": True},
                {"id": "e", "email": None, "active": True}]
    assert account_for_email(accounts, "  budi@SETNEG.go.id ")["id"] == "a"
    assert account_for_email(accounts, "siti@setneg.go.id") is None, "inactive"
    assert account_for_email(accounts, "dua@setneg.go.id") is None, "ambiguous"
    assert account_for_email(accounts, "") is None and account_for_email(accounts, None) is None
    assert account_for_email(accounts, "bukan email") is None


def test_the_command_creates_an_administrator_from_the_environment(tmp_path):
    env = {**os.environ, "SOP_DUCKDB_PATH": str(tmp_path / "a.duckdb"), "SOP_SECRETS_FILE": str(tmp_path / "x.toml"),
           "SOP_ADMIN_PASSWORD": ADMIN_PW}
    run = subprocess.run([sys.executable, "-m", "cli.accounts", "create-admin", "--username", "Kepala",
                          "--email", "kepala@setneg.go.id"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0 and "'kepala' dibuat" in run.stdout, run.stderr
    assert ADMIN_PW not in run.stdout + run.stderr
    weak = subprocess.run([sys.executable, "-m", "cli.accounts", "create-admin", "--username", "kedua"],
                          cwd=ROOT, env={**env, "SOP_ADMIN_PASSWORD": "12345"}, capture_output=True, text=True,
                          timeout=120)
    assert weak.returncode == 1 and "minimal 10" in weak.stderr
    listed = subprocess.run([sys.executable, "-m", "cli.accounts", "list"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert "kepala" in listed.stdout and "kedua" not in listed.stdout and "$argon2" not in listed.stdout


def test_demo_accounts_use_the_demo_password_when_it_is_set(duckdb_repo, monkeypatch):
    monkeypatch.setenv("SOP_DEMO_PASSWORD", "Uji-Demo-2026!")
    assert load_demo_accounts(duckdb_repo) == [u for u, *_ in DEMO_ACCOUNTS]
    unit1 = authenticate(duckdb_repo, "unit1", "Uji-Demo-2026!").actor
    assert unit1 == Actor(id="acc-unit1", username="unit1", display_name="Petugas Biro Umum",
                          roles=frozenset({"Unit"}), unit_id="UNIT-SETMEN-2")
    assert authenticate(duckdb_repo, "karo", "Uji-Demo-2026!").actor.executor_id == "EX-KARO"
    assert not (Path(duckdb_repo.path).parent / "demo-accounts.txt").exists()
    assert duckdb_repo.get("settings", "demo_passwords")["value"] == "SOP_DEMO_PASSWORD"
    assert load_demo_accounts(duckdb_repo) == [], "loaded once"


def test_without_a_demo_password_each_demo_account_gets_its_own_written_to_a_private_file(duckdb_repo, monkeypatch):
    monkeypatch.delenv("SOP_DEMO_PASSWORD", raising=False)
    monkeypatch.delenv("SOP_DEMO_ACCOUNTS_FILE", raising=False)
    load_demo_accounts(duckdb_repo)
    path = Path(duckdb_repo.path).parent / "demo-accounts.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pairs = dict(line.split("\t") for line in path.read_text().splitlines() if line and not line.startswith("#"))
    assert set(pairs) == {u for u, *_ in DEMO_ACCOUNTS} and len(set(pairs.values())) == len(pairs)
    assert authenticate(duckdb_repo, "pimpinan", pairs["pimpinan"]).actor.roles == {"Pimpinan"}
    assert duckdb_repo.get("settings", "demo_passwords")["value"] == str(path.resolve())  # for the sign-in page
    assert all(v not in every_stored_text(duckdb_repo) for v in pairs.values())
