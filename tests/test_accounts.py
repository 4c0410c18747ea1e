"""Accounts: hashing, password policy, sign-in with lockout, password changes and resets,
administration, single sign-on mapping, the first administrator and the demo accounts."""
import datetime as dt
import logging
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from data_access.accounts_cli import main as accounts_cli
from data_access.demo_accounts import DEMO_ACCOUNTS, load_demo_accounts
from data_access.repository import Insert
from domain.accounts import (
    AccountForm, FailureTally, SignInPolicy, SignInRefused, account_for_email, after_failure, authenticate,
    change_password, create_account, create_admin, ensure_admin_from_secret, failure_delay, failures_so_far,
    hash_password,
    list_accounts, password_problem, random_password, reset_password, sign_in_with_email, unlock_account,
    update_account, verify_password,
)
from domain.errors import PermissionDenied, StaleWriteError, ValidationError
from domain.permissions import Actor

ROOT = Path(__file__).resolve().parent.parent
UTC = dt.UTC
T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
PW = "Rahasia-Kantor-77"
ADMIN_PW = "Kuat-Sekali-2026!"


def admin_actor(account: dict) -> Actor:
    return Actor(id=account["id"], username=account["username"], display_name="Admin", roles=frozenset({"Admin"}))


@pytest.fixture
def store(duckdb_repo):
    """A store with an organisation, a unit, an executor, an administrator and one staff account."""
    r = duckdb_repo
    r.apply([Insert("organisations", {"id": "ORG-SETMEN", "name": "Sekretariat Kementerian", "active": True}),
             Insert("units", {"id": "UNIT-SETMEN-2", "org_id": "ORG-SETMEN", "name": "Biro Umum", "active": True}),
             Insert("executors", {"id": "EX-STAF1", "name": "Dimas", "role": "Staf", "active": True}),
             Insert("executors", {"id": "EX-KARO", "name": "Ratna", "role": "Karo", "active": True})], actor="uji")
    admin = create_admin(r, "admin", ADMIN_PW, at=T0)
    r.admin = admin_actor(admin)
    staff, temporary = create_account(r, r.admin, AccountForm("staf1", "Staf Satu", "staf1@setneg.go.id", ["Staf"],
                                                             None, "EX-STAF1"), at=T0)
    change_password(r, Actor(id=staff["id"], username="staf1", roles=frozenset({"Staf"})), PW, at=T0)
    r.staff = r.get("accounts", staff["id"])
    return r


def every_stored_text(repo) -> str:
    parts = []
    for table in ("accounts", "audit", "settings"):
        for row in repo.list(table):
            parts += [str(v) for k, v in row.items() if k != "password_hash"]
    return "\n".join(parts)


# ---- hashing and policy -------------------------------------------------------------------------------

def test_a_password_is_stored_as_an_argon2id_hash_never_in_clear(store):
    row = store.get("accounts", store.staff["id"])
    assert row["password_hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PW not in row["password_hash"]
    assert verify_password(row["password_hash"], PW) and not verify_password(row["password_hash"], PW + "x")
    assert hash_password(PW) != hash_password(PW), "each hash has its own salt"
    assert PW not in every_stored_text(store)


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


def test_a_hash_with_older_parameters_is_upgraded_at_sign_in(store):
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PW)
    store.apply([store_update(store, {"password_hash": old})], actor="uji")
    authenticate(store, "staf1", PW, at=T0)
    assert store.get("accounts", store.staff["id"])["password_hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def store_update(store, changes):
    from data_access.repository import Update

    current = store.get("accounts", store.staff["id"])
    return Update("accounts", current["id"], changes, current["version"])


# ---- sign-in and lockout -------------------------------------------------------------------------------

def test_the_right_password_signs_in_as_the_account_and_is_audited(store):
    result = authenticate(store, " STAF1 ", PW, at=T0)
    assert result.actor == Actor(id=store.staff["id"], username="staf1", display_name="Staf Satu",
                                 roles=frozenset({"Staf"}), executor_id="EX-STAF1")
    assert not result.must_change_password
    assert store.get("accounts", store.staff["id"])["last_login_at"] == T0
    assert any(e["action"] == "sign_in" and e["actor"] == "staf1" for e in store.audit("accounts", store.staff["id"]))


def test_a_wrong_password_and_an_unknown_username_get_the_same_answer(store):
    with pytest.raises(SignInRefused) as wrong:
        authenticate(store, "staf1", "bukan-kata-sandinya", at=T0)
    with pytest.raises(SignInRefused) as unknown:
        authenticate(store, "tidakada", "bukan-kata-sandinya", at=T0)
    assert wrong.value.key == unknown.value.key == "auth.err.wrong"
    assert wrong.value.message == unknown.value.message
    assert wrong.value.message.startswith("Nama pengguna atau kata sandi salah, atau akun sedang dikunci.")
    failures = [e for e in store.audit("accounts") if e["action"] == "sign_in_failed"]
    assert len(failures) == 2
    assert not any("tidakada" in str(e.values()) for e in store.audit()), "an unknown username is not recorded"


def test_an_empty_username_or_password_is_refused_before_any_lookup(store):
    for user, pw in (("", PW), ("staf1", ""), ("   ", PW)):
        with pytest.raises(SignInRefused) as exc:
            authenticate(store, user, pw, at=T0)
        assert exc.value.key == "auth.err.missing"
    assert store.get("accounts", store.staff["id"])["failed_attempts"] == 0


def test_brute_force_locks_the_account_even_against_the_right_password_until_the_lock_runs_out(store):
    policy = SignInPolicy(max_failures=3, lockout_minutes=15)
    for i in range(3):
        with pytest.raises(SignInRefused):
            authenticate(store, "staf1", f"tebakan-ke-{i}-salah", policy, at=T0 + dt.timedelta(seconds=i))
    for guess in ("tebakan-lagi-salah", PW):
        with pytest.raises(SignInRefused) as exc:
            authenticate(store, "staf1", guess, policy, at=T0 + dt.timedelta(minutes=5))
        assert exc.value.key == "auth.err.wrong" and exc.value.params == {"n": 3, "minutes": 15}
    account = store.get("accounts", store.staff["id"])
    assert account["failed_attempts"] == 3 and account["locked_until"] == T0 + dt.timedelta(seconds=2, minutes=15)
    actions = [e["action"] for e in store.audit("accounts", store.staff["id"])]
    assert actions.count("sign_in_failed") == 3 and "account_locked" in actions
    assert actions.count("sign_in_refused_locked") == 2

    later = T0 + dt.timedelta(minutes=16)
    assert authenticate(store, "staf1", PW, policy, at=later).actor.username == "staf1"
    account = store.get("accounts", store.staff["id"])
    assert account["failed_attempts"] == 0 and account["locked_until"] is None


def test_a_run_out_lock_starts_a_fresh_count():
    policy = SignInPolicy(3, 10)
    locked = {"failed_attempts": 3, "locked_until": T0}
    assert failures_so_far(locked, T0 - dt.timedelta(minutes=1)) == 3
    assert failures_so_far(locked, T0) == 0
    assert after_failure(locked, T0 + dt.timedelta(minutes=1), policy) == ({"failed_attempts": 1, "locked_until": None},
                                                                            False)
    changes, locks = after_failure({"failed_attempts": 2}, T0, policy)
    assert locks and changes["locked_until"] == T0 + dt.timedelta(minutes=10)


def answers(store, username: str, guesses: list[str], policy: SignInPolicy, tally: FailureTally) -> list[tuple]:
    """What a person trying ``guesses`` for ``username`` sees: the words and the wait before them."""
    seen = []
    for i, guess in enumerate(guesses):
        with pytest.raises(SignInRefused) as exc:
            authenticate(store, username, guess, policy, tally=tally, at=T0 + dt.timedelta(seconds=i))
        seen.append((exc.value.key, exc.value.message, exc.value.delay))
    return seen


def test_an_unknown_username_is_answered_like_a_real_account_through_and_past_its_lockout(store):
    policy = SignInPolicy(max_failures=3, lockout_minutes=15)
    tally = FailureTally(window=dt.timedelta(minutes=15))
    guesses = ["tebakan-1-salah", "tebakan-2-salah", "tebakan-3-salah", "tebakan-4-salah", PW]
    real = answers(store, "staf1", guesses, policy, tally)  # locked at the third; the right password refused
    unknown = answers(store, "tidakada", guesses, policy, tally)
    assert store.get("accounts", store.staff["id"])["locked_until"] is not None
    assert real == unknown
    assert len({message for _, message, _ in real}) == 1  # one answer, locked or not
    assert [delay for *_, delay in real] == [0.5, 1.0, 1.5, 2.0, 2.0]  # growing the same way for both
    assert not any("tidakada" in str(e.values()) for e in store.audit()), "an unknown username is not recorded"


def test_the_failures_of_one_username_do_not_slow_another_and_a_success_clears_them(store):
    tally = FailureTally()
    assert [tally.failed("staf1", T0) for _ in range(3)] == [1, 2, 3]
    assert tally.failed("STAF2 ", T0) == 1 and tally.failed("staf2", T0) == 2  # as usernames are compared
    assert tally.failed("staf1", T0 + dt.timedelta(minutes=16)) == 1  # older failures forgotten
    authenticate(store, "staf1", PW, tally=tally, at=T0)
    assert tally.failed("staf1", T0) == 1


def test_the_delay_after_a_failure_grows_a_little_and_is_capped():
    assert [failure_delay(n) for n in (1, 2, 3, 4, 10)] == [0.5, 1.0, 1.5, 2.0, 2.0]


def test_parallel_failures_are_all_counted(store):
    policy = SignInPolicy(max_failures=50, lockout_minutes=1)

    def guess(i):
        with pytest.raises(SignInRefused):
            authenticate(store, "staf1", f"tebakan-paralel-{i}", policy, at=T0)
    threads = [threading.Thread(target=guess, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert store.get("accounts", store.staff["id"])["failed_attempts"] == 4


def test_a_disabled_account_cannot_sign_in(store):
    acc = store.get("accounts", store.staff["id"])
    update_account(store, store.admin, acc["id"], acc["version"],
                   AccountForm("staf1", "Staf Satu", "", ["Staf"], None, "EX-STAF1", active=False))
    with pytest.raises(SignInRefused) as exc:
        authenticate(store, "staf1", PW, at=T0)
    assert exc.value.key == "auth.err.inactive"


def test_no_password_or_hash_reaches_the_audit_log_or_the_logs(store, caplog):
    caplog.set_level(logging.DEBUG)
    authenticate(store, "staf1", PW, at=T0)
    with pytest.raises(SignInRefused):
        authenticate(store, "staf1", "Salah-Tebak-123", at=T0)
    with pytest.raises(SignInRefused):
        authenticate(store, "Salah-Tebak-456", "Salah-Tebak-456", at=T0)
    staff = Actor(id=store.staff["id"], username="staf1", roles=frozenset({"Staf"}))
    change_password(store, staff, "Sandi-Baru-Kantor-88", current_password=PW, at=T0)
    acc = store.get("accounts", store.staff["id"])
    temporary = reset_password(store, store.admin, acc["id"], acc["version"], at=T0)
    hashes = [a["password_hash"] for a in store.list("accounts")]
    secrets_ = [PW, "Salah-Tebak-123", "Salah-Tebak-456", "Sandi-Baru-Kantor-88", temporary, ADMIN_PW] + hashes
    audit_text = "\n".join(str(e) for e in store.audit())
    for secret in secrets_:
        assert secret not in audit_text and secret not in caplog.text
    assert "$argon2" not in audit_text
    masked = [e for e in store.audit("accounts") if e["field"] == "password_hash"]
    assert masked and all(e["old"] in (None, "***") and e["new"] == "***" for e in masked)


# ---- changing and resetting passwords -------------------------------------------------------------

def test_changing_a_password_needs_the_current_one_a_match_and_a_different_new_one(store):
    staff = Actor(id=store.staff["id"], username="staf1", roles=frozenset({"Staf"}))
    cases = [({"current_password": "salah-sekali-123"}, "current_password"),
             ({"current_password": PW, "repeat": "lain-sekali-456"}, "repeat"),
             ({"current_password": PW, "new": PW}, "new_password"),
             ({"current_password": PW, "new": "pendek"}, "new_password")]
    for kwargs, field in cases:
        new = kwargs.pop("new", "Sandi-Baru-Kantor-88")
        with pytest.raises(ValidationError) as exc:
            change_password(store, staff, new, **kwargs)
        assert exc.value.field == field
    assert verify_password(store.get("accounts", staff.id)["password_hash"], PW)
    change_password(store, staff, "Sandi-Baru-Kantor-88", current_password=PW, repeat="Sandi-Baru-Kantor-88")
    assert authenticate(store, "staf1", "Sandi-Baru-Kantor-88").actor.id == staff.id


def test_a_change_without_the_current_password_is_refused_unless_one_is_required(store):
    staff = Actor(id=store.staff["id"], username="staf1", roles=frozenset({"Staf"}))
    with pytest.raises(PermissionDenied):
        change_password(store, staff, "Sandi-Baru-Kantor-88")
    with pytest.raises(PermissionDenied):
        change_password(store, Actor(), "Sandi-Baru-Kantor-88", current_password=PW)


def test_after_an_admin_reset_the_person_must_set_a_new_password_at_next_sign_in(store):
    acc = store.get("accounts", store.staff["id"])
    temporary = reset_password(store, store.admin, acc["id"], acc["version"], at=T0)
    with pytest.raises(SignInRefused):
        authenticate(store, "staf1", PW, at=T0)
    result = authenticate(store, "staf1", temporary, at=T0)
    assert result.must_change_password
    change_password(store, result.actor, "Sandi-Pilihan-Sendiri-9", at=T0)
    assert not store.get("accounts", acc["id"])["must_change_password"]
    assert not authenticate(store, "staf1", "Sandi-Pilihan-Sendiri-9", at=T0).must_change_password
    with pytest.raises(SignInRefused):
        authenticate(store, "staf1", temporary, at=T0)
    assert any(e["action"] == "password_reset" and e["actor"] == "admin" for e in store.audit("accounts", acc["id"]))


def test_a_reset_also_unlocks_and_an_unlock_lets_the_person_try_again(store):
    policy = SignInPolicy(max_failures=1, lockout_minutes=60)
    with pytest.raises(SignInRefused):
        authenticate(store, "staf1", "salah-sekali-123", policy, at=T0)
    acc = store.get("accounts", store.staff["id"])
    assert acc["locked_until"] is not None
    unlock_account(store, store.admin, acc["id"], acc["version"], at=T0)
    assert authenticate(store, "staf1", PW, policy, at=T0).actor.username == "staf1"


# ---- administration -----------------------------------------------------------------------------------

def test_a_new_account_gets_a_one_time_password_that_must_be_changed(store):
    record, temporary = create_account(store, store.admin, AccountForm("unit1", "Petugas Biro Umum", "",
                                                                       ["Unit"], "UNIT-SETMEN-2"))
    assert "password_hash" not in record and record["must_change_password"]
    assert password_problem(temporary) is None
    assert authenticate(store, "unit1", temporary).must_change_password
    assert all("password_hash" not in a for a in list_accounts(store, store.admin))


BAD_ACCOUNTS = [
    (AccountForm("Staf 1!", "Nama", "", ["Staf"], None, "EX-STAF1"), "username"),
    (AccountForm("staf1", "Nama", "", ["Staf"], None, "EX-STAF1"), "username"),
    (AccountForm("baru", "", "", ["Pimpinan"]), "display_name"),
    (AccountForm("baru", "**Tebal** [tautan](http://x)", "", ["Pimpinan"]), "display_name"),
    (AccountForm("baru", "Nama", "bukan-email", ["Pimpinan"]), "email"),
    (AccountForm("baru", "Nama", "STAF1@setneg.go.id", ["Pimpinan"]), "email"),
    (AccountForm("baru", "Nama", "", []), "roles"),
    (AccountForm("baru", "Nama", "", ["Raja"]), "roles"),
    (AccountForm("baru", "Nama", "", ["Unit"]), "unit_id"),
    (AccountForm("baru", "Nama", "", ["Unit"], "UNIT-TIDAK-ADA"), "unit_id"),
    (AccountForm("baru", "Nama", "", ["Staf"]), "executor_id"),
    (AccountForm("baru", "Nama", "", ["Staf"], None, "EX-KARO"), "executor_id"),
]


def test_a_bad_account_field_is_refused_by_name_and_nothing_is_stored(store):
    before = store.count("accounts")
    for form, field in BAD_ACCOUNTS:
        with pytest.raises(ValidationError) as exc:
            create_account(store, store.admin, form)
        assert exc.value.field == field, form
    assert store.count("accounts") == before


def test_a_person_may_hold_several_roles(store):
    record, _ = create_account(store, store.admin, AccountForm("karo", "Dr. Ratna Wulandari, S.H., M.Si.", "",
                                                               ["Karo", "Admin", "Pimpinan"], None, "EX-KARO"))
    assert record["roles"] == ["Karo", "Pimpinan", "Admin"]


def test_the_last_active_administrator_cannot_be_removed_and_no_one_disables_themselves(store):
    admin = store.get("accounts", store.admin.id)
    for form, field in ((AccountForm("admin", "Administrator", "", ["Pimpinan"]), "roles"),
                        (AccountForm("admin", "Administrator", "", ["Admin"], active=False), "active")):
        with pytest.raises(ValidationError) as exc:
            update_account(store, store.admin, admin["id"], admin["version"], form)
        assert exc.value.field == field
    assert store.get("accounts", admin["id"])["roles"] == ["Admin"]


def test_a_stale_account_save_is_refused_and_changes_nothing(store):
    acc = store.get("accounts", store.staff["id"])
    update_account(store, store.admin, acc["id"], acc["version"],
                   AccountForm("staf1", "Staf Pertama", "", ["Staf"], None, "EX-STAF1"))
    with pytest.raises(StaleWriteError) as exc:
        update_account(store, store.admin, acc["id"], acc["version"],
                       AccountForm("staf1", "Staf Kedua", "", ["Staf"], None, "EX-STAF1"))
    assert exc.value.saved_by == "admin"
    assert store.get("accounts", acc["id"])["display_name"] == "Staf Pertama"


def test_the_username_cannot_be_changed_afterwards(store):
    acc = store.get("accounts", store.staff["id"])
    update_account(store, store.admin, acc["id"], acc["version"],
                   AccountForm("ganti-nama", "Staf Satu", "", ["Staf"], None, "EX-STAF1"))
    assert store.get("accounts", acc["id"])["username"] == "staf1"


def test_only_an_administrator_may_administer_accounts(store):
    karo = Actor(id="acc-karo", username="karo", roles=frozenset({"Karo", "Pimpinan"}), executor_id="EX-KARO")
    acc = store.get("accounts", store.staff["id"])
    audit_before = len(store.audit())
    for call in (lambda: create_account(store, karo, AccountForm("x1", "X", "", ["Pimpinan"])),
                 lambda: update_account(store, karo, acc["id"], acc["version"],
                                        AccountForm("staf1", "X", "", ["Admin"])),
                 lambda: reset_password(store, karo, acc["id"], acc["version"]),
                 lambda: unlock_account(store, karo, acc["id"], acc["version"]),
                 lambda: list_accounts(store, karo)):
        with pytest.raises(PermissionDenied):
            call()
    assert len(store.audit()) == audit_before and store.get("accounts", acc["id"])["version"] == acc["version"]


# ---- single sign-on -------------------------------------------------------------------------------

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


def test_signing_in_with_an_sso_email_is_audited_and_an_unknown_one_refused(store):
    assert sign_in_with_email(store, "STAF1@setneg.go.id", at=T0).actor.username == "staf1"
    assert any(e["action"] == "sign_in" and e["new"] == "SSO" for e in store.audit("accounts", store.staff["id"]))
    with pytest.raises(SignInRefused) as exc:
        sign_in_with_email(store, "orang.lain@contoh.id", at=T0)
    assert exc.value.key == "auth.err.sso_unknown"


# ---- the first administrator ------------------------------------------------------------------------

def test_the_first_administrator_comes_from_the_secret_once_and_never_overwrites(duckdb_repo):
    made = ensure_admin_from_secret(duckdb_repo, "kepala.admin", ADMIN_PW, at=T0)
    assert made["roles"] == ["Admin"] and made["must_change_password"]
    assert authenticate(duckdb_repo, "kepala.admin", ADMIN_PW).must_change_password
    assert ensure_admin_from_secret(duckdb_repo, "kepala.admin", "Lain-Sekali-2027!") is None
    assert ensure_admin_from_secret(duckdb_repo, "admin.kedua", "Lain-Sekali-2027!") is None
    assert duckdb_repo.count("accounts") == 1
    assert ensure_admin_from_secret(duckdb_repo, None, None) is None


def test_a_weak_secret_password_creates_no_administrator(duckdb_repo):
    with pytest.raises(ValidationError) as exc:
        ensure_admin_from_secret(duckdb_repo, "admin", "admin")
    assert exc.value.field == "password" and duckdb_repo.count("accounts") == 0


def test_the_command_creates_an_administrator_from_the_environment(tmp_path):
    env = {**os.environ, "SOP_DUCKDB_PATH": str(tmp_path / "a.duckdb"), "SOP_SECRETS_FILE": str(tmp_path / "x.toml"),
           "SOP_ADMIN_PASSWORD": ADMIN_PW}
    run = subprocess.run([sys.executable, "-m", "data_access.accounts_cli", "create-admin", "--username", "Kepala",
                          "--email", "kepala@setneg.go.id"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0 and "'kepala' dibuat" in run.stdout, run.stderr
    assert ADMIN_PW not in run.stdout + run.stderr
    weak = subprocess.run([sys.executable, "-m", "data_access.accounts_cli", "create-admin", "--username", "kedua"],
                          cwd=ROOT, env={**env, "SOP_ADMIN_PASSWORD": "12345"}, capture_output=True, text=True,
                          timeout=120)
    assert weak.returncode == 1 and "minimal 10" in weak.stderr
    listed = subprocess.run([sys.executable, "-m", "data_access.accounts_cli", "list"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert "kepala" in listed.stdout and "kedua" not in listed.stdout and "$argon2" not in listed.stdout


def test_the_command_resets_and_unlocks_for_recovery(store, capsys):
    with pytest.raises(SignInRefused):
        authenticate(store, "admin", "salah-sekali-123", SignInPolicy(1, 60))
    assert accounts_cli(["unlock", "--username", "admin"], repo=store) == 0
    assert store.get("accounts", store.admin.id)["locked_until"] is None
    assert accounts_cli(["reset-password", "--username", "admin"], repo=store) == 0
    temporary = capsys.readouterr().out.split(": ")[1].split()[0]
    assert authenticate(store, "admin", temporary).must_change_password
    assert accounts_cli(["unlock", "--username", "siapa"], repo=store) == 1
    assert any(e["actor"] == "konsol" and e["action"] == "password_reset" for e in store.audit("accounts"))


# ---- demo accounts -------------------------------------------------------------------------------------

def test_demo_accounts_use_the_demo_password_when_it_is_set(duckdb_repo, monkeypatch):
    monkeypatch.setenv("SOP_DEMO_PASSWORD", "Uji-Demo-2026!")
    assert load_demo_accounts(duckdb_repo) == [u for u, *_ in DEMO_ACCOUNTS]
    unit1 = authenticate(duckdb_repo, "unit1", "Uji-Demo-2026!").actor
    assert unit1 == Actor(id="acc-unit1", username="unit1", display_name="Petugas Biro Umum",
                          roles=frozenset({"Unit"}), unit_id="UNIT-SETMEN-2")
    assert authenticate(duckdb_repo, "karo", "Uji-Demo-2026!").actor.executor_id == "EX-KARO"
    assert not (Path(duckdb_repo.path).parent / "demo-accounts.txt").exists()
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
    assert all(v not in every_stored_text(duckdb_repo) for v in pairs.values())
