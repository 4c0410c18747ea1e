"""The app's pages on a PostgreSQL store (a real server), through AppTest: the demo data loads on
first use, the case list, a case detail (finishing a step), the dashboard, the complaint inbox and
the complaint form work as on DuckDB, and what they save lands in the server."""
from __future__ import annotations

import pytest
import streamlit as st

from data_access.postgres_store import PostgresRepository
from domain.models import DONE, RUNNING
from tests.apptest_helpers import readable, run_page, texts

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def pg_app(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SOP_BACKEND", "postgres")
    monkeypatch.setenv("SOP_POSTGRES_URL", pg_url)
    monkeypatch.setenv("SOP_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.setenv("SOP_ATTACHMENTS_DIR", str(tmp_path / "lampiran"))
    monkeypatch.setenv("SOP_DEMO_ACCOUNTS_FILE", str(tmp_path / "demo-accounts.txt"))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield pg_url
    st.cache_resource.clear()
    st.cache_data.clear()


def test_the_pages_work_on_postgresql_and_a_finished_step_is_stored_there(pg_app):
    home = run_page("home", None)
    assert not home.exception and "Penyimpanan: postgres" in texts(home)
    repo = PostgresRepository(pg_app)
    assert repo.count("cases") > 0 and repo.count("accounts") > 0  # demo data loaded into the server

    cases = run_page("cases", "staf1")
    assert not cases.exception and len(cases.dataframe) >= 1

    open_cases = {c["id"] for c in repo.list("cases", {"status": "aktif"}) if not c["hold_since"]}
    running = min((e for e in repo.list("step_events", {"status": RUNNING}) if e["case_id"] in open_cases),
                  key=lambda e: e["id"])
    code = running["step_code"]
    detail = run_page("case_detail", "staf1", query={"id": running["case_id"]})
    assert not detail.exception and f"Langkah saat ini: {code}" in readable(texts(detail))
    next(b for b in detail.button if readable(b.label) == f"Selesaikan langkah {code}").click().run()
    assert not detail.exception
    assert any(readable(s.value) == f"Langkah {code} selesai." for s in detail.success)
    assert repo.get("step_events", running["id"])["status"] == DONE

    dashboard = run_page("dashboard", "pimpinan")
    assert not dashboard.exception and not dashboard.error

    inbox = run_page("complaint_inbox", "karo")
    assert not inbox.exception and "ADU-" in texts(inbox)

    form = run_page("complaint_form", None)
    assert not form.exception
    repo.close()
