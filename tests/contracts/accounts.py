"""Accounts on a store, written once and run on every backend: hashing as stored, sign-in with
lockout, password changes and resets, administration, single sign-on and the first administrator."""
import datetime as dt
import logging
import threading

import pytest
from argon2 import PasswordHasher

from cli.accounts import main as accounts_cli
from data_access.repository import Insert
from domain.accounts import (
    AccountForm, FailureTally, SignInPolicy, SignInRefused, authenticate, change_password, choose_language,
    create_account, create_admin, ensure_admin_from_secret, hash_password,
    list_accounts, password_problem, reset_password, sign_in_with_email, unlock_account,
    update_account, verify_password,
)
from domain.errors import PermissionDenied, StaleWriteError, ValidationError
from domain.permissions import Actor

UTC = dt.UTC
T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
PW = "Rahasia-Kantor-77"
ADMIN_PW = "Kuat-Sekali-2026!"


def admin_actor(account: dict) -> Actor:
    return Actor(id=account["id"], username=account["username"], display_name="Admin", roles=frozenset({"Admin"}))


def every_stored_text(repo) -> str:
    parts = []
    for table in ("accounts", "audit", "settings"):
        for row in repo.list(table):
            parts += [str(v) for k, v in row.items() if k != "password_hash"]
    return "\n".join(parts)


def store_update(store, changes):
    from data_access.repository import Update

    current = store.get("accounts", store.staff["id"])
    return Update("accounts", current["id"], changes, current["version"])


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



def answers(store, username: str, guesses: list[str], policy: SignInPolicy, tally: FailureTally) -> list[tuple]:
    """What a person trying ``guesses`` for ``username`` sees: the words and the wait before them."""
    seen = []
    for i, guess in enumerate(guesses):
        with pytest.raises(SignInRefused) as exc:
            authenticate(store, username, guess, policy, tally=tally, at=T0 + dt.timedelta(seconds=i))
        seen.append((exc.value.key, exc.value.message, exc.value.delay))
    return seen


class AccountsContract:
    """A backend's test class inherits this and provides the ``repo`` fixture: an empty,
    initialised repository of that backend."""

    @pytest.fixture
    def store(self, repo):
        """A store with an organisation, a unit, an executor, an administrator and one staff account."""
        r = repo
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

    def test_a_password_is_stored_as_an_argon2id_hash_never_in_clear(self, store):
        row = store.get("accounts", store.staff["id"])
        assert row["password_hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert PW not in row["password_hash"]
        assert verify_password(row["password_hash"], PW) and not verify_password(row["password_hash"], PW + "x")
        assert hash_password(PW) != hash_password(PW), "each hash has its own salt"
        assert PW not in every_stored_text(store)


    def test_a_hash_with_older_parameters_is_upgraded_at_sign_in(self, store):
        old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PW)
        store.apply([store_update(store, {"password_hash": old})], actor="uji")
        authenticate(store, "staf1", PW, at=T0)
        assert store.get("accounts", store.staff["id"])["password_hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")


    def test_the_right_password_signs_in_as_the_account_and_is_audited(self, store):
        result = authenticate(store, " STAF1 ", PW, at=T0)
        assert result.actor == Actor(id=store.staff["id"], username="staf1", display_name="Staf Satu",
                                     roles=frozenset({"Staf"}), executor_id="EX-STAF1")
        assert not result.must_change_password
        assert store.get("accounts", store.staff["id"])["last_login_at"] == T0
        entries = store.audit("accounts", store.staff["id"])
        assert any(e["action"] == "sign_in" and e["actor"] == "staf1" for e in entries)


    def test_a_wrong_password_and_an_unknown_username_get_the_same_answer(self, store):
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


    def test_an_empty_username_or_password_is_refused_before_any_lookup(self, store):
        for user, pw in (("", PW), ("staf1", ""), ("   ", PW)):
            with pytest.raises(SignInRefused) as exc:
                authenticate(store, user, pw, at=T0)
            assert exc.value.key == "auth.err.missing"
        assert store.get("accounts", store.staff["id"])["failed_attempts"] == 0


    def test_brute_force_locks_the_account_even_against_the_right_password_until_the_lock_runs_out(self, store):
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


    def test_parallel_failures_are_all_counted(self, store):
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


    def test_a_disabled_account_cannot_sign_in(self, store):
        acc = store.get("accounts", store.staff["id"])
        update_account(store, store.admin, acc["id"], acc["version"],
                       AccountForm("staf1", "Staf Satu", "", ["Staf"], None, "EX-STAF1", active=False))
        with pytest.raises(SignInRefused) as exc:
            authenticate(store, "staf1", PW, at=T0)
        assert exc.value.key == "auth.err.inactive"


    def test_no_password_or_hash_reaches_the_audit_log_or_the_logs(self, store, caplog):
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

    def test_changing_a_password_needs_the_current_one_a_match_and_a_different_new_one(self, store):
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


    def test_a_chosen_language_is_kept_with_the_account_and_the_same_choice_writes_nothing(self, store):
        staff = Actor(id=store.staff["id"], username="staf1", roles=frozenset({"Staf"}))
        assert store.get("accounts", staff.id)["ui_lang"] is None
        assert choose_language(store, staff, "en", at=T0) is True
        kept = store.get("accounts", staff.id)
        assert kept["ui_lang"] == "en"
        assert choose_language(store, staff, "en", at=T0) is False
        assert store.get("accounts", staff.id)["version"] == kept["version"]
        with pytest.raises(ValidationError) as exc:
            choose_language(store, staff, "fr", at=T0)
        assert exc.value.field == "ui_lang" and "Bahasa" in exc.value.message
        with pytest.raises(PermissionDenied):
            choose_language(store, Actor(), "en", at=T0)  # nobody signed in has no account to keep it with
        assert store.get("accounts", staff.id)["ui_lang"] == "en"

    def test_a_change_without_the_current_password_is_refused_unless_one_is_required(self, store):
        staff = Actor(id=store.staff["id"], username="staf1", roles=frozenset({"Staf"}))
        with pytest.raises(PermissionDenied):
            change_password(store, staff, "Sandi-Baru-Kantor-88")
        with pytest.raises(PermissionDenied):
            change_password(store, Actor(), "Sandi-Baru-Kantor-88", current_password=PW)


    def test_after_an_admin_reset_the_person_must_set_a_new_password_at_next_sign_in(self, store):
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
        entries = store.audit("accounts", acc["id"])
        assert any(e["action"] == "password_reset" and e["actor"] == "admin" for e in entries)


    def test_a_reset_also_unlocks_and_an_unlock_lets_the_person_try_again(self, store):
        policy = SignInPolicy(max_failures=1, lockout_minutes=60)
        with pytest.raises(SignInRefused):
            authenticate(store, "staf1", "salah-sekali-123", policy, at=T0)
        acc = store.get("accounts", store.staff["id"])
        assert acc["locked_until"] is not None
        unlock_account(store, store.admin, acc["id"], acc["version"], at=T0)
        assert authenticate(store, "staf1", PW, policy, at=T0).actor.username == "staf1"


    # ---- administration -----------------------------------------------------------------------------------

    def test_a_new_account_gets_a_one_time_password_that_must_be_changed(self, store):
        record, temporary = create_account(store, store.admin, AccountForm("unit1", "Petugas Biro Umum", "",
                                                                           ["Unit"], "UNIT-SETMEN-2"))
        assert "password_hash" not in record and record["must_change_password"]
        assert password_problem(temporary) is None
        assert authenticate(store, "unit1", temporary).must_change_password
        assert all("password_hash" not in a for a in list_accounts(store, store.admin))


    def test_a_bad_account_field_is_refused_by_name_and_nothing_is_stored(self, store):
        before = store.count("accounts")
        for form, field in BAD_ACCOUNTS:
            with pytest.raises(ValidationError) as exc:
                create_account(store, store.admin, form)
            assert exc.value.field == field, form
        assert store.count("accounts") == before


    def test_a_person_may_hold_several_roles(self, store):
        record, _ = create_account(store, store.admin, AccountForm("karo", "Dr. Ratna Wulandari, S.H., M.Si.", "",
                                                                   ["Karo", "Admin", "Pimpinan"], None, "EX-KARO"))
        assert record["roles"] == ["Karo", "Pimpinan", "Admin"]


    def test_the_last_active_administrator_cannot_be_removed_and_no_one_disables_themselves(self, store):
        admin = store.get("accounts", store.admin.id)
        for form, field in ((AccountForm("admin", "Administrator", "", ["Pimpinan"]), "roles"),
                            (AccountForm("admin", "Administrator", "", ["Admin"], active=False), "active")):
            with pytest.raises(ValidationError) as exc:
                update_account(store, store.admin, admin["id"], admin["version"], form)
            assert exc.value.field == field
        assert store.get("accounts", admin["id"])["roles"] == ["Admin"]


    def test_a_stale_account_save_is_refused_and_changes_nothing(self, store):
        acc = store.get("accounts", store.staff["id"])
        update_account(store, store.admin, acc["id"], acc["version"],
                       AccountForm("staf1", "Staf Pertama", "", ["Staf"], None, "EX-STAF1"))
        with pytest.raises(StaleWriteError) as exc:
            update_account(store, store.admin, acc["id"], acc["version"],
                           AccountForm("staf1", "Staf Kedua", "", ["Staf"], None, "EX-STAF1"))
        assert exc.value.saved_by == "admin"
        assert store.get("accounts", acc["id"])["display_name"] == "Staf Pertama"


    def test_the_username_cannot_be_changed_afterwards(self, store):
        acc = store.get("accounts", store.staff["id"])
        update_account(store, store.admin, acc["id"], acc["version"],
                       AccountForm("ganti-nama", "Staf Satu", "", ["Staf"], None, "EX-STAF1"))
        assert store.get("accounts", acc["id"])["username"] == "staf1"


    def test_only_an_administrator_may_administer_accounts(self, store):
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

    def test_signing_in_with_an_sso_email_is_audited_and_an_unknown_one_refused(self, store):
        assert sign_in_with_email(store, "STAF1@setneg.go.id", at=T0).actor.username == "staf1"
        assert any(e["action"] == "sign_in" and e["new"] == "SSO" for e in store.audit("accounts", store.staff["id"]))
        with pytest.raises(SignInRefused) as exc:
            sign_in_with_email(store, "orang.lain@contoh.id", at=T0)
        assert exc.value.key == "auth.err.sso_unknown"


    # ---- the first administrator ------------------------------------------------------------------------

    def test_the_command_resets_and_unlocks_for_recovery(self, store, capsys):
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

    def test_the_first_administrator_comes_from_the_secret_once_and_never_overwrites(self, repo):
        made = ensure_admin_from_secret(repo, "kepala.admin", ADMIN_PW, at=T0)
        assert made["roles"] == ["Admin"] and made["must_change_password"]
        assert authenticate(repo, "kepala.admin", ADMIN_PW).must_change_password
        assert ensure_admin_from_secret(repo, "kepala.admin", "Lain-Sekali-2027!") is None
        assert ensure_admin_from_secret(repo, "admin.kedua", "Lain-Sekali-2027!") is None
        assert repo.count("accounts") == 1
        assert ensure_admin_from_secret(repo, None, None) is None

    def test_a_weak_secret_password_creates_no_administrator(self, repo):
        with pytest.raises(ValidationError) as exc:
            ensure_admin_from_secret(repo, "admin", "admin")
        assert exc.value.field == "password" and repo.count("accounts") == 0

    def test_an_unknown_username_is_answered_like_a_real_account_through_and_past_its_lockout(self, store):
        policy = SignInPolicy(max_failures=3, lockout_minutes=15)
        tally = FailureTally(store, window=dt.timedelta(minutes=15))
        guesses = ["tebakan-1-salah", "tebakan-2-salah", "tebakan-3-salah", "tebakan-4-salah", PW]
        real = answers(store, "staf1", guesses, policy, tally)  # locked at the third; the right password refused
        unknown = answers(store, "tidakada", guesses, policy, tally)
        assert store.get("accounts", store.staff["id"])["locked_until"] is not None
        assert real == unknown
        assert len({message for _, message, _ in real}) == 1  # one answer, locked or not
        assert [delay for *_, delay in real] == [0.5, 1.0, 1.5, 2.0, 2.0]  # growing the same way for both
        everything = every_stored_text(store) + "\n".join(str(r) for r in store.list("flood_counts"))
        assert "tidakada" not in everything, "an unknown username is never stored, in the audit log or elsewhere"

    def test_the_failures_of_one_username_do_not_slow_another_and_a_success_clears_them(self, store):
        tally = FailureTally(store)
        assert [tally.failed("staf1", T0) for _ in range(3)] == [1, 2, 3]
        assert tally.failed("STAF2 ", T0) == 1 and tally.failed("staf2", T0) == 2  # as usernames are compared
        assert tally.failed("staf1", T0 + dt.timedelta(minutes=16)) == 1  # older failures forgotten
        with pytest.raises(SignInRefused):
            authenticate(store, "staf1", "tebakan-salah-1", tally=tally, at=T0 + dt.timedelta(minutes=16))
        authenticate(store, "staf1", PW, tally=tally, at=T0 + dt.timedelta(minutes=16))
        assert tally.failed("staf1", T0 + dt.timedelta(minutes=16)) == 1

    def test_the_failure_tally_is_kept_in_the_store_so_every_server_and_a_restart_count_on(self, store):
        one, other = FailureTally(store), FailureTally(store)  # two app servers (or one before and after a restart)
        assert one.failed("staf1", T0) == 1 and other.failed("staf1", T0) == 2 and one.failed("staf1", T0) == 3
        kept = [r for r in store.list("flood_counts") if r["kind"] == "sign_in_username"]
        assert len(kept) == 1 and len(kept[0]["hits"]) == 3
        assert "staf1" not in str(kept[0]), "the typed username is kept only as its hash"
        salt = store.get("settings", "sign_in_tally_salt")["value"]
        assert len(bytes.fromhex(salt)) == 16 and FailureTally(store).failed("staf1", T0) == 4
