"""Run one page through Streamlit's AppTest against a real DuckDB file in a temp dir."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from domain.permissions import Actor

ROOT = Path(__file__).resolve().parent.parent

ACTORS = {
    "karo": Actor(id="acc-karo", username="karo", display_name="Karo", roles=frozenset({"Karo"}),
                  executor_id="EX-KARO"),
    "kabag": Actor(id="acc-kabag", username="kabag", display_name="Kabag", roles=frozenset({"Kabag"}),
                   executor_id="EX-KABAG"),
    "kasubbag": Actor(id="acc-kasubbag", username="kasubbag", display_name="Kasubbag",
                      roles=frozenset({"Kasubbag"}), executor_id="EX-KASUBBAG"),
    "staf1": Actor(id="acc-staf1", username="staf1", display_name="Staf Satu", roles=frozenset({"Staf"}),
                   executor_id="EX-STAF1"),
    "pimpinan": Actor(id="acc-pimpinan", username="pimpinan", display_name="Pimpinan",
                      roles=frozenset({"Pimpinan"})),
    "unit1": Actor(id="acc-unit1", username="unit1", display_name="Petugas Biro Umum", roles=frozenset({"Unit"}),
                   unit_id="UNIT-SETMEN-2"),
    "admin": Actor(id="acc-admin", username="admin", display_name="Admin", roles=frozenset({"Admin"})),
}


DEMO_PASSWORD = "Uji-Demo-2026!"  # the demo accounts' password in tests (SOP_DEMO_PASSWORD)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """``template(instant)``: a DuckDB file holding the demo data built for ``instant``, made once per
    test session (as the app makes it on first start) and copied by each test that uses it."""
    from data_access.demo import load_demo_if_empty
    from data_access.duckdb_store import DuckDBRepository
    from domain.calendar import WorkCalendar, fixed_clock, set_clock
    from tests.clock import TEST_NOW

    made: dict = {}

    def template(instant=TEST_NOW) -> Path:
        if instant not in made:
            folder = tmp_path_factory.mktemp("demo-template")
            old_password = os.environ.get("SOP_DEMO_PASSWORD")
            os.environ["SOP_DEMO_PASSWORD"] = DEMO_PASSWORD
            running = set_clock(fixed_clock(instant))
            repo = DuckDBRepository(folder / "app.duckdb")
            try:
                repo.init()
                load_demo_if_empty(repo, WorkCalendar())
            finally:
                repo.close()
                set_clock(running)
                if old_password is None:
                    os.environ.pop("SOP_DEMO_PASSWORD", None)
                else:
                    os.environ["SOP_DEMO_PASSWORD"] = old_password
            made[instant] = folder / "app.duckdb"
        return made[instant]

    return template


def _point_app_at(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SOP_BACKEND", "duckdb")
    monkeypatch.setenv("SOP_DUCKDB_PATH", str(tmp_path / "app.duckdb"))
    monkeypatch.setenv("SOP_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.setenv("SOP_ATTACHMENTS_DIR", str(tmp_path / "lampiran"))
    st.cache_resource.clear()
    st.cache_data.clear()
    return tmp_path / "app.duckdb"


@pytest.fixture
def app_store(tmp_path, monkeypatch, demo_template, app_clock):
    """The app pointed at its own copy of the demo store built for the test's instant (TEST_NOW);
    cached stores dropped before and after."""
    path = _point_app_at(tmp_path, monkeypatch)
    shutil.copyfile(demo_template(), path)
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_store_at(tmp_path, monkeypatch, demo_template, app_clock):
    """``app_store_at(instant)``: as ``app_store``, with the clock and the demo data at ``instant``."""
    def at(instant) -> Path:
        path = _point_app_at(tmp_path, monkeypatch)
        shutil.copyfile(demo_template(instant), path)
        app_clock(instant)
        return path

    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def empty_app_store(tmp_path, monkeypatch):
    """The app pointed at a store that stays empty (no demo data)."""
    monkeypatch.setenv("SOP_DEMO_DATA", "false")
    yield _point_app_at(tmp_path, monkeypatch)
    st.cache_resource.clear()
    st.cache_data.clear()


def run_page(page: str, actor: str | Actor | None = None, *, session: dict | None = None,
             query: dict | None = None, timeout: float = 60) -> AppTest:
    """Run ``screens/<page>.py`` (or a path) as ``actor`` (a name from ACTORS or an Actor)."""
    path = page if page.endswith(".py") else f"screens/{page}.py"
    at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
    if actor is not None:
        at.session_state["actor"] = ACTORS[actor] if isinstance(actor, str) else actor
    for key, value in (session or {}).items():
        at.session_state[key] = value
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def readable(markdown: str) -> str:
    """What a person reads of Markdown made inert by ui.safe_text: the escapes and word joiners gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "").replace("\u00a0", " ")


def texts(at: AppTest) -> str:
    """Everything the page shows as text (titles, markdown, alerts, captions), for assertions."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success",
                 "text"):
        parts += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    return readable("\n".join(parts))


@pytest.fixture
def downloads(monkeypatch):
    """The media file managers of AppTest runs, by the id of each deferred download they hold, so a
    test can generate a download button's file as the browser's click does (``execute_deferred``)."""
    managers: dict[str, MediaFileManager] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, *args, **kwargs):
        file_id = original(self, *args, **kwargs)
        managers[file_id] = self
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)

    def download(widget):
        file_id = widget.proto.deferred_file_id
        mgr = managers[file_id]
        url = mgr.execute_deferred(file_id)
        return mgr.read_file(url.rsplit("/", 1)[-1])  # content, mimetype, filename

    return download
