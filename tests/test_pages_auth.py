"""Sign-in page, session checks and the administration page through AppTest, on a real DuckDB file."""
import datetime as dt
import time

import pytest
from streamlit.testing.v1 import AppTest

from domain.permissions import ANONYMOUS, NOBODY, Actor, allowed
from tests.apptest_helpers import ACTORS, ROOT, readable, run_page, texts
from ui.navigation import PAGES

DEMO_PW = "Uji-Demo-2026!"
REFUSED = "Anda tidak berhak membuka halaman ini. Masuk dengan akun yang sesuai."


@pytest.fixture
def demo_store(app_store, monkeypatch):
    monkeypatch.setenv("SOP_DEMO_PASSWORD", DEMO_PW)
    return app_store


def store(path):
    from data_access.duckdb_store import DuckDBRepository

    return DuckDBRepository(path)


def widget(at, kind: str, label: str):
    matches = [w for w in getattr(at, kind) if readable(w.label) == label]
    assert matches, f"no {kind} labelled {label!r}"
    return matches[0]


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    widget(at, "text_input", "Nama pengguna").input(username)
    widget(at, "text_input", "Kata sandi").input(password)
    return widget(at, "button", "Masuk").click().run()


# ---- the sign-in page --------------------------------------------------------------------------------

def test_the_sign_in_page_has_the_labelled_fields_and_button_others_rely_on(demo_store):
    at = run_page("login")
    assert not at.exception
    assert widget(at, "text_input", "Kata sandi").proto.type == 1  # PASSWORD
    assert widget(at, "text_input", "Nama pengguna") and widget(at, "button", "Masuk")
    assert "Kata sandinya sama dengan SOP_DEMO_PASSWORD yang diatur di server." in texts(at)
    assert "demo-accounts.txt" not in texts(at)  # no such file was written for this store


def test_the_sign_in_page_names_the_demo_passwords_file_where_it_was_really_written(demo_store, tmp_path):
    from data_access.repository import Update

    repo = store(demo_store)
    written = tmp_path / "elsewhere" / "akun-demo.txt"
    mark = repo.get("settings", "demo_passwords")
    repo.apply([Update("settings", "demo_passwords", {"value": str(written)}, mark["version"])], actor="demo")
    repo.close()
    at = run_page("login")
    assert f"ditulis di server pada berkas {written}." in texts(at) and "data/demo-accounts.txt" not in texts(at)
    at = run_page("login", session={"lang": "en"})
    assert f"written on the server to the file {written}." in texts(at)


def test_signing_in_puts_the_account_as_actor_in_the_session(demo_store):
    at = sign_in(run_page("login"), "unit1", DEMO_PW)
    assert not at.exception
    assert at.session_state["actor"] == Actor(id="acc-unit1", username="unit1", display_name="Petugas Biro Umum",
                                              roles=frozenset({"Unit"}), unit_id="UNIT-SETMEN-2")
    assert "Berhasil masuk" in texts(at) and "Petugas Biro Umum (unit1)" in texts(at)
    assert any(e["action"] == "sign_in" and e["actor"] == "unit1" for e in store(demo_store).audit("accounts"))


def test_a_wrong_password_shows_a_plain_message_and_signs_no_one_in(demo_store):
    started = time.monotonic()
    at = sign_in(run_page("login"), "karo", "bukan-kata-sandinya")
    assert time.monotonic() - started >= 0.5, "a failed sign-in is answered after a small delay"
    assert [readable(e.value) for e in at.error] == [
        "Nama pengguna atau kata sandi salah, atau akun sedang dikunci. Setelah 5 kali salah berturut-turut akun "
        "dikunci 15 menit; hubungi administrator bila Anda lupa kata sandi."]
    assert "actor" not in at.session_state
    assert widget(at, "text_input", "Nama pengguna").value == "karo"


def test_repeated_failures_through_the_page_lock_the_account(demo_store, monkeypatch):
    monkeypatch.setenv("SOP_MAX_LOGIN_FAILURES", "2")
    monkeypatch.setenv("SOP_LOCKOUT_MINUTES", "20")
    at = run_page("login")
    sign_in(at, "staf2", "tebakan-pertama-1")
    first = readable(at.error[0].value)
    assert "Setelah 2 kali salah berturut-turut akun dikunci 20 menit" in first
    sign_in(at, "staf2", "tebakan-kedua-22")
    sign_in(at, "staf2", DEMO_PW)
    assert readable(at.error[0].value) == first and "actor" not in at.session_state  # locked: the same answer
    assert store(demo_store).get("accounts", "acc-staf2")["locked_until"] is not None
    unknown = run_page("login")  # another browser session, an unknown username: the very same answer
    sign_in(unknown, "tidak-ada-orangnya", DEMO_PW)
    assert readable(unknown.error[0].value) == first


def test_after_a_reset_the_person_sets_a_new_password_before_the_session_starts(demo_store):
    from domain.accounts import reset_password

    at = run_page("home")  # creates the store with the demo accounts
    repo = store(demo_store)
    temporary = reset_password(repo, ACTORS["admin"], "acc-staf1", repo.get("accounts", "acc-staf1")["version"])
    repo.close()
    at = sign_in(run_page("login"), "staf1", temporary)
    assert "actor" not in at.session_state
    assert "Buat kata sandi baru" in texts(at)
    widget(at, "text_input", "Kata sandi baru").input("Pilihan-Sendiri-2026")
    widget(at, "text_input", "Ulangi kata sandi baru").input("Pilihan-Sendiri-2026")
    at = widget(at, "button", "Simpan kata sandi").click().run()
    assert not at.exception
    assert at.session_state["actor"].username == "staf1"
    assert not store(demo_store).get("accounts", "acc-staf1")["must_change_password"]


def test_a_signed_in_person_sees_their_account_and_can_sign_out(demo_store):
    at = sign_in(run_page("login"), "kabag", DEMO_PW)
    at = widget(at, "button", "Keluar").click().run()
    assert "actor" not in at.session_state
    assert widget(at, "text_input", "Nama pengguna")
    assert any(e["action"] == "sign_out" and e["actor"] == "kabag" for e in store(demo_store).audit("accounts"))


def test_changing_ones_password_on_the_account_page(demo_store):
    at = sign_in(run_page("login"), "pimpinan", DEMO_PW)
    widget(at, "text_input", "Kata sandi sekarang").input(DEMO_PW)
    widget(at, "text_input", "Kata sandi baru").input("Sandi-Kuat-Baru-26")
    widget(at, "text_input", "Ulangi kata sandi baru").input("Sandi-Kuat-Baru-26")
    at = widget(at, "button", "Simpan kata sandi").click().run()
    assert "Kata sandi diganti." in texts(at)
    from domain.accounts import authenticate

    assert authenticate(store(demo_store), "pimpinan", "Sandi-Kuat-Baru-26").actor.username == "pimpinan"


# ---- every page refuses whoever may not open it ---------------------------------------------------------

def test_every_page_refuses_a_role_that_may_not_open_it_even_when_opened_directly(demo_store):
    who = {**ACTORS, ANONYMOUS: NOBODY}
    refused = [(spec, name) for spec in PAGES for name, actor in who.items() if not allowed(actor, spec.action)]
    assert len(refused) >= 30
    for spec, name in refused:
        at = run_page(spec.path, who[name] if name != ANONYMOUS else None)
        assert not at.exception, (spec.path, name)
        assert [readable(e.value) for e in at.error] == [REFUSED], (spec.path, name)
        assert not at.title and not at.dataframe and not at.button, (spec.path, name)
    refusals = [e for e in store(demo_store).audit("page") if e["action"] == "permission_refused"]
    assert {(e["actor"], e["new"]) for e in refusals} >= {("unit1", "case.view"), ("karo", "admin.accounts"),
                                                          ("anonim", "dashboard.view")}


def test_a_refused_write_is_shown_as_a_message_and_audited(demo_store):
    def script():
        from domain.accounts import AccountForm, create_account
        from ui.context import attempt, current_actor, repo

        attempt(create_account, repo(), current_actor(), AccountForm("baru", "Baru", "", ["Admin"]))

    at = AppTest.from_function(script, default_timeout=60)
    at.session_state["actor"] = ACTORS["unit1"]
    at.run()
    assert [readable(e.value) for e in at.error] == ["Anda tidak berhak melakukan ini."]
    entries = store(demo_store).audit("page", "write")
    assert [(e["actor"], e["new"]) for e in entries] == [("unit1", "admin.accounts")]


# ---- session checks (what app.py runs before every page) -------------------------------------------------

def _session_script():
    import streamlit as st

    from ui import auth_gate
    from ui.context import current_actor

    auth_gate.enforce_session()
    st.text(f"actor={current_actor().username} roles={sorted(current_actor().roles)}")
    with st.sidebar:  # as app.py calls it
        auth_gate.sidebar_controls()


def session_run(actor: Actor, **state) -> AppTest:
    at = AppTest.from_function(_session_script, default_timeout=60)
    at.session_state["actor"] = actor
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def minutes_ago(minutes: float):
    from domain.calendar import now

    return now() - dt.timedelta(minutes=minutes)


def test_an_idle_session_is_ended_and_audited(demo_store, monkeypatch):
    monkeypatch.setenv("SOP_SESSION_TIMEOUT_MINUTES", "30")
    at = session_run(ACTORS["karo"], _auth_seen=minutes_ago(29))
    assert at.text[0].value == "actor=karo roles=['Karo']"
    at = session_run(ACTORS["karo"], _auth_seen=minutes_ago(31))
    assert at.text[0].value == "actor= roles=[]"
    assert "lama tidak aktif" in readable(at.sidebar.warning[0].value)
    assert any(e["action"] == "session_expired" and e["actor"] == "karo" for e in store(demo_store).audit("accounts"))


def test_a_disabled_account_is_signed_out_at_its_next_action_and_role_changes_apply(demo_store):
    from domain.accounts import AccountForm, update_account

    at = session_run(ACTORS["staf1"])
    assert at.text[0].value.startswith("actor=staf1")
    repo = store(demo_store)
    acc = repo.get("accounts", "acc-staf1")
    update_account(repo, ACTORS["admin"], acc["id"], acc["version"],
                   AccountForm("staf1", "Staf Satu", "", ["Staf", "Pimpinan"], None, "EX-STAF1"))
    at.run()
    assert at.text[0].value == "actor=staf1 roles=['Pimpinan', 'Staf']"
    acc = repo.get("accounts", "acc-staf1")
    update_account(repo, ACTORS["admin"], acc["id"], acc["version"],
                   AccountForm("staf1", "Staf Satu", "", ["Staf"], None, "EX-STAF1", active=False))
    repo.close()
    at.run()
    assert at.text[0].value == "actor= roles=[]"
    assert "dinonaktifkan" in readable(at.sidebar.warning[0].value)


def test_the_sign_out_button_in_the_sidebar_ends_the_session(demo_store):
    at = session_run(ACTORS["kasubbag"])
    at = widget(at.sidebar, "button", "Keluar").click().run()
    assert at.text[0].value == "actor= roles=[]"
    assert "Anda telah keluar." in readable(at.sidebar.warning[0].value)


def test_a_sign_in_is_a_session_in_the_store_that_keeps_only_the_tokens_digest(demo_store):
    from domain import sign_in_sessions as ss

    at = sign_in(run_page("login"), "kabag", DEMO_PW)
    token = at.session_state["_auth_token"]
    rows = store(demo_store).list("sessions")
    assert [(r["account_id"], r["token_hash"], r["ended_at"]) for r in rows] == [("acc-kabag", ss.digest(token), None)]
    assert token not in str(rows) and token not in str(store(demo_store).audit())
    at = widget(at, "button", "Keluar").click().run()
    ended = store(demo_store).list("sessions")[0]
    assert ended["ended_at"] is not None and ended["end_reason"] == ss.SIGNED_OUT


def visit(monkeypatch, token: str | None) -> AppTest:
    """A new browser session (a reload, a link, another tab, another server) that brings only the
    ``sop_sesi`` cookie ``token``, through app.py (the store, the session check, the navigation) as a
    real visit runs it."""
    from ui import auth_gate

    monkeypatch.setattr(auth_gate, "_cookie_token", lambda: token)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def returning_visitor(monkeypatch, demo_store, account_id: str, idle_minutes: float) -> tuple[str, AppTest]:
    """A sign-in made ``idle_minutes`` ago (the store loaded first), then a visit with its cookie."""
    from domain import sign_in_sessions as ss

    monkeypatch.setenv("SOP_SESSION_TIMEOUT_MINUTES", "30")
    run_page("home")  # the app's store, with the demo accounts
    repo = store(demo_store)
    token, _ = ss.start(repo, account_id, "uji", minutes_ago(idle_minutes), ss.SessionPolicy())
    repo.close()
    return token, visit(monkeypatch, token)


def test_a_returning_visitor_whose_cookie_session_sat_idle_too_long_is_signed_out_and_audited(demo_store,
                                                                                            monkeypatch):
    from domain import sign_in_sessions as ss

    token, at = returning_visitor(monkeypatch, demo_store, "acc-admin", idle_minutes=31)
    assert not at.exception
    assert "actor" not in at.session_state and "_auth_token" not in at.session_state
    assert [readable(w.value) for w in at.sidebar.warning] == [
        "Sesi Anda berakhir karena lama tidak aktif. Silakan masuk lagi."]
    assert at.session_state["_auth_clear_cookie"] is True  # the browser is told to drop the cookie
    row = ss.find(store(demo_store), token)
    assert row["ended_at"] is not None and row["end_reason"] == ss.EXPIRED, "the idle token opens nothing any more"
    expired = [e for e in store(demo_store).audit("accounts") if e["action"] == "session_expired"]
    assert [(e["actor"], e["entity_id"]) for e in expired] == [("admin", "acc-admin")]
    at.switch_page("screens/admin.py").run()
    assert [readable(e.value) for e in at.error] == [REFUSED] and not at.title
    at.switch_page("screens/login.py").run()
    assert widget(at, "text_input", "Nama pengguna") and widget(at, "button", "Masuk")


def test_a_returning_visitor_with_a_recent_cookie_session_is_signed_back_in(demo_store, monkeypatch):
    from domain import sign_in_sessions as ss
    from domain.calendar import now

    token, at = returning_visitor(monkeypatch, demo_store, "acc-admin", idle_minutes=29)
    assert not at.exception
    assert at.session_state["actor"].username == "admin" and at.session_state["_auth_token"] == token
    seen = ss.find(store(demo_store), token)["last_seen"]
    assert now() - seen < dt.timedelta(minutes=1), "the visit counts as activity"
    assert not at.sidebar.warning
    assert not [e for e in store(demo_store).audit("accounts") if e["action"] == "session_expired"]
    at.switch_page("screens/admin.py").run()
    assert not at.exception and not at.error and readable(at.title[0].value) == "Akun dan Data Induk"


def test_activity_is_written_to_the_session_at_most_every_five_minutes(demo_store, monkeypatch):
    from domain import sign_in_sessions as ss

    token, at = returning_visitor(monkeypatch, demo_store, "acc-kabag", idle_minutes=2)
    assert at.session_state["actor"].username == "kabag"
    before = ss.find(store(demo_store), token)
    for _ in range(3):
        at.run()  # clicks within the interval
    assert ss.find(store(demo_store), token)["version"] == before["version"], "nothing written for them"
    _, later = returning_visitor(monkeypatch, demo_store, "acc-kabag", idle_minutes=6)
    assert later.session_state["actor"].username == "kabag"
    rows = {r["id"]: r for r in store(demo_store).list("sessions")}
    touched = [r for r in rows.values() if r["id"] != before["id"]]
    assert len(touched) == 1 and touched[0]["version"] == 2, "a visit six minutes after the last wrote once"


def test_a_restart_of_the_server_signs_no_one_out(demo_store, monkeypatch):
    import streamlit as st

    at = sign_in(run_page("login"), "kasubbag", DEMO_PW)
    token = at.session_state["_auth_token"]
    st.cache_resource.clear()  # what the process held is gone, as after a restart
    st.cache_data.clear()
    again = visit(monkeypatch, token)
    assert not again.exception and again.session_state["actor"].username == "kasubbag"
    assert not again.sidebar.warning


def test_signing_out_in_one_tab_ends_the_other_tabs_at_their_next_action(demo_store, monkeypatch):
    first = sign_in(run_page("login"), "staf1", DEMO_PW)
    other = visit(monkeypatch, first.session_state["_auth_token"])
    assert other.session_state["actor"].username == "staf1"
    widget(first, "button", "Keluar").click().run()
    other.run()
    assert "actor" not in other.session_state
    assert [readable(w.value) for w in other.sidebar.warning] == [
        "Sesi Anda telah diakhiri (keluar di tab lain, atau oleh administrator). Silakan masuk lagi."]


# ---- the administration page ---------------------------------------------------------------------------

def test_the_admin_page_creates_an_account_and_shows_its_one_time_password_once(demo_store):
    at = run_page("admin", "admin")
    assert not at.exception
    assert "karo" in at.dataframe[0].value.iloc[:, 0].tolist()
    at.text_input(key="adm_new_username").input("unit2")
    at.text_input(key="adm_new_name").input("Petugas Biro Keuangan")
    at.multiselect(key="adm_new_roles").set_value(["Unit"])
    at.selectbox(key="adm_new_unit").set_value("UNIT-SETMEN-3")
    at = widget(at, "button", "Buat akun").click().run()
    assert not at.exception
    assert "Akun 'unit2' dibuat." in texts(at)
    temporary = at.code[0].value
    from domain.accounts import authenticate

    assert authenticate(store(demo_store), "unit2", temporary).must_change_password
    at.run()
    assert not at.code, "the one-time password is shown once"


def account_form(at: AppTest, account_id: str) -> tuple[AppTest, str]:
    """Pick ``account_id`` on the admin page; return the page and the key prefix of its form."""
    at = at.selectbox(key="adm_pick_account").set_value(account_id).run()
    [box] = [w for w in at.checkbox if w.key and w.key.startswith(f"adm_acc_{account_id}_")]
    return at, box.key.removesuffix("_active")


def test_the_admin_page_resets_a_password_shows_the_one_time_password_once_and_ends_open_sessions(demo_store):
    from domain import sign_in_sessions as ss
    from domain.accounts import SignInRefused, authenticate

    at, k = account_form(run_page("admin", "admin"), "acc-staf1")
    open_session, _ = ss.start(store(demo_store), "acc-staf1", "staf1", minutes_ago(1), ss.SessionPolicy())
    at = at.button(key=f"{k}_reset").click().run()
    assert not at.exception
    assert "Kata sandi 'staf1' diatur ulang" in texts(at)
    assert "Kata sandi sekali pakai untuk 'staf1'" in texts(at) and len(at.code) == 1
    temporary = at.code[0].value
    assert len(temporary) >= 12 and temporary != DEMO_PW
    assert ss.find(store(demo_store), open_session)["ended_at"] is not None, "the sign-in staf1 had open is ended"
    at.run()
    assert not at.code and "sekali pakai" not in texts(at), "the one-time password is shown once"
    repo = store(demo_store)
    with pytest.raises(SignInRefused):
        authenticate(repo, "staf1", DEMO_PW)
    result = authenticate(repo, "staf1", temporary)
    assert result.actor.username == "staf1" and result.must_change_password
    assert any(e["action"] == "password_reset" for e in repo.audit("accounts"))


def test_the_admin_page_unlocks_a_locked_account(demo_store):
    from domain.accounts import SignInPolicy, SignInRefused, authenticate

    at = run_page("admin", "admin")  # creates the store with the demo accounts
    repo = store(demo_store)
    for guess in ("tebakan-1", "tebakan-2"):
        with pytest.raises(SignInRefused):
            authenticate(repo, "staf2", guess, SignInPolicy(max_failures=2, lockout_minutes=30))
    with pytest.raises(SignInRefused) as locked:
        authenticate(repo, "staf2", DEMO_PW)
    assert locked.value.key == "auth.err.wrong" and repo.get("accounts", "acc-staf2")["locked_until"] is not None
    repo.close()
    at, k = account_form(at, "acc-staf2")
    at = at.button(key=f"{k}_unlock").click().run()
    assert not at.exception and "Kunci akun 'staf2' dibuka." in texts(at)
    at, k = account_form(at, "acc-staf2")
    assert not [b for b in at.button if b.key == f"{k}_unlock"], "an unlocked account offers no Unlock"
    assert authenticate(store(demo_store), "staf2", DEMO_PW).actor.username == "staf2"


def test_unticking_active_on_the_admin_page_stops_the_account_signing_in(demo_store):
    from domain import sign_in_sessions as ss
    from domain.accounts import SignInRefused, authenticate

    at, k = account_form(run_page("admin", "admin"), "acc-kasubbag")
    open_session, _ = ss.start(store(demo_store), "acc-kasubbag", "kasubbag", minutes_ago(1), ss.SessionPolicy())
    at.checkbox(key=f"{k}_active").uncheck()
    at = [b for b in at.button if b.label == "Simpan"][0].click().run()
    assert not at.exception and not at.error
    assert "Perubahan disimpan." in texts(at)
    assert ss.find(store(demo_store), open_session)["ended_at"] is not None, "the account's open sign-in is ended"
    repo = store(demo_store)
    assert repo.get("accounts", "acc-kasubbag")["active"] is False
    with pytest.raises(SignInRefused) as refused:
        authenticate(repo, "kasubbag", DEMO_PW)
    assert refused.value.key == "auth.err.inactive"
    assert authenticate(repo, "kabag", DEMO_PW).actor.username == "kabag"  # others still can


def test_the_admin_page_names_the_field_of_a_bad_account_and_keeps_the_input(demo_store):
    at = run_page("admin", "admin")
    at.text_input(key="adm_new_username").input("unit2")
    at.text_input(key="adm_new_name").input("Petugas")
    at.multiselect(key="adm_new_roles").set_value(["Unit"])
    at = widget(at, "button", "Buat akun").click().run()
    assert [readable(e.value) for e in at.error] == ["Unit kerja: wajib untuk peran Pengguna unit kerja."]
    assert at.text_input(key="adm_new_username").value == "unit2"
    assert store(demo_store).list("accounts", {"username": "unit2"}) == []


def test_the_admin_page_refuses_a_save_over_someone_elses_change(demo_store):
    from domain.accounts import AccountForm, update_account

    at = run_page("admin", "admin")
    at.selectbox(key="adm_pick_account").set_value("acc-pimpinan").run()
    name_box = [w for w in at.text_input if w.key and w.key.endswith("_name") and w.value == "Pimpinan"][0]
    repo = store(demo_store)
    acc = repo.get("accounts", "acc-pimpinan")
    update_account(repo, ACTORS["admin"], acc["id"], acc["version"], AccountForm("pimpinan", "Pimpinan Baru", "",
                                                                                 ["Pimpinan"]))
    repo.close()
    name_box.input("Pimpinan Saya")
    at = [b for b in at.button if b.label == "Simpan"][0].click().run()
    assert any("sudah diubah oleh admin" in readable(e.value) for e in at.error)
    assert store(demo_store).get("accounts", "acc-pimpinan")["display_name"] == "Pimpinan Baru"


def test_the_admin_page_names_the_field_of_a_nul_in_a_unit_name(demo_store):
    at = run_page("admin", "admin")
    at.selectbox(key="adm_new_unit_org").set_value("ORG-SETMEN")
    [w for w in at.text_input if w.label == "Unit kerja"][0].input("Biro\x00Baru")
    at = [b for b in at.button if b.label == "Tambah"][0].click().run()
    assert not at.exception
    assert [readable(e.value) for e in at.error] == [
        "Nama: mengandung karakter kendali (misalnya NUL) yang tidak dapat disimpan."]
    assert not [u for u in store(demo_store).list("units") if "Baru" in u["name"]]


def test_the_admin_page_manages_units_organisations_and_executors(demo_store):
    at = run_page("admin", "admin")
    at.selectbox(key="adm_new_unit_org").set_value("ORG-SETMEN")
    [w for w in at.text_input if w.label == "Unit kerja"][0].input("Biro Hukum dan Humas")
    at = [b for b in at.button if b.label == "Tambah"][0].click().run()
    assert "'Biro Hukum dan Humas' ditambahkan." in texts(at)
    units = store(demo_store).list("units", {"name": "Biro Hukum dan Humas"})
    assert len(units) == 1 and units[0]["org_id"] == "ORG-SETMEN"
    at.selectbox(key="adm_pick_unit").set_value("UNIT-SETMEN-2").run()
    box = [w for w in at.checkbox if w.key and w.key.startswith("adm_unit_UNIT-SETMEN-2")][0]
    box.uncheck()
    at = [b for b in at.button if b.label == "Simpan"][0].click().run()
    assert any("masih ada akun aktif di unit ini (unit1)" in readable(e.value) for e in at.error)
    assert store(demo_store).get("units", "UNIT-SETMEN-2")["active"] is True


def test_the_sign_in_log_shows_sign_ins_failures_and_refusals_without_secrets(demo_store):
    at = sign_in(run_page("login"), "kabag", "bukan-kata-sandinya")
    sign_in(at, "kabag", DEMO_PW)
    run_page("admin", "unit1")
    at = run_page("admin", "admin")
    log = at.dataframe[-1].value
    events = set(log.iloc[:, 1])
    assert {"Masuk", "Gagal masuk", "Akses ditolak"} <= events
    assert "bukan-kata-sandinya" not in log.to_string() and DEMO_PW not in log.to_string()


def test_in_sso_mode_the_sign_in_page_offers_only_sso_and_says_when_it_is_not_configured(demo_store, monkeypatch):
    monkeypatch.setenv("SOP_AUTH_MODE", "oidc")
    at = run_page("login")
    assert not at.exception
    assert not [w for w in at.text_input if w.label == "Kata sandi"]
    at = widget(at, "button", "Masuk dengan SSO").click().run()
    assert not at.exception
    assert [readable(e.value) for e in at.error][0].startswith("SSO belum siap")
