"""The account page's e-mail notice choices through AppTest, on a real DuckDB file with the demo
accounts: the kinds a role is offered, saving them with the language, a stale save refused."""
from __future__ import annotations

import pytest

from data_access.duckdb_store import DuckDBRepository
from data_access.repository import Update
from domain.notices import kinds_for
from domain.texts import t
from tests.apptest_helpers import run_page, texts
from tests.test_pages_auth import DEMO_PW, sign_in, widget


@pytest.fixture
def demo_store(app_store, monkeypatch):
    monkeypatch.setenv("SOP_DEMO_PASSWORD", DEMO_PW)
    return app_store


def checkboxes(at) -> dict[str, bool]:
    return {c.label: c.value for c in at.checkbox}


def account(path, account_id: str) -> dict:
    repo = DuckDBRepository(path)
    try:
        return repo.get("accounts", account_id)
    finally:
        repo.close()


def set_email(path, account_id: str, email: str) -> None:
    repo = DuckDBRepository(path)
    try:
        row = repo.get("accounts", account_id)
        repo.apply([Update("accounts", account_id, {"email": email}, row["version"])], actor="admin")
    finally:
        repo.close()


def test_the_kabag_sees_his_kinds_turns_the_daily_digest_off_and_reads_english(demo_store):
    at = run_page("home")  # the store with the demo accounts
    set_email(demo_store, "acc-kabag", "kabag_uji@setneg.example.go.id")
    at = sign_in(run_page("login"), "kabag", DEMO_PW)
    assert not at.exception
    offered = [t(f"notice.kind.{k}") for k in kinds_for(["Kabag"])]
    assert list(checkboxes(at)) == offered and all(checkboxes(at).values())
    assert "kabag_uji@setneg.example.go.id" in texts(at)  # shown as data (texts() reads past the escapes)
    assert any("kabag\\_uji" in c.value for c in at.caption)  # ... which make it inert as Markdown
    widget(at, "checkbox", t("notice.kind.ringkasan_harian")).uncheck()
    widget(at, "selectbox", "Bahasa e-mail").set_value("en")
    at = widget(at, "button", "Simpan pilihan pemberitahuan").click().run()
    assert not at.exception and "Pilihan pemberitahuan disimpan." in texts(at)
    saved = account(demo_store, "acc-kabag")
    assert saved["notices_off"] == ["ringkasan_harian"] and saved["mail_lang"] == "en"
    assert checkboxes(at)[t("notice.kind.ringkasan_harian")] is False

    at = widget(at, "button", "Simpan pilihan pemberitahuan").click().run()
    assert "Tidak ada yang berubah." in texts(at)


def test_an_account_without_email_is_told_so_and_a_unit_user_is_offered_unit_kinds(demo_store):
    at = sign_in(run_page("login"), "unit1", DEMO_PW)
    assert "belum memiliki alamat e-mail" in texts(at)
    assert list(checkboxes(at)) == [t(f"notice.kind.{k}") for k in kinds_for(["Unit"])]
    assert "Pengiriman e-mail belum diaktifkan" in texts(at)


def test_the_administrator_has_no_notices_to_choose(demo_store):
    at = sign_in(run_page("login"), "admin", DEMO_PW)
    assert checkboxes(at) == {} and "tidak menerima pemberitahuan" in texts(at)


def test_a_choice_saved_over_a_change_made_meanwhile_is_refused_and_changes_nothing(demo_store):
    at = sign_in(run_page("login"), "karo", DEMO_PW)
    set_email(demo_store, "acc-karo", "karo@setneg.example.go.id")  # the administrator, meanwhile
    widget(at, "checkbox", t("notice.kind.langkah_mulai")).uncheck()
    at = widget(at, "button", "Simpan pilihan pemberitahuan").click().run()
    assert at.error and "admin" in at.error[0].value
    assert account(demo_store, "acc-karo")["notices_off"] is None


def test_a_person_makes_a_secret_calendar_link_and_replaces_it(demo_store, monkeypatch, tmp_path):
    monkeypatch.setenv("SOP_CALENDAR_DIR", str(tmp_path / "kalender"))
    monkeypatch.setenv("SOP_CALENDAR_URL", "https://sop.example.go.id/kalender/")
    at = sign_in(run_page("login"), "staf1", DEMO_PW)
    assert "Kalender tenggat" in texts(at) and not at.code
    at = widget(at, "button", "Buat tautan kalender").click().run()
    assert not at.exception and "Tautan kalender dibuat" in texts(at)
    token = account(demo_store, "acc-staf1")["calendar_token"]
    assert len(token) >= 32 and at.code[0].value == f"https://sop.example.go.id/kalender/{token}.ics"
    at = widget(at, "button", "Ganti tautan kalender").click().run()
    assert account(demo_store, "acc-staf1")["calendar_token"] not in (None, token)
