"""Run one page through Streamlit's AppTest against a real DuckDB file in a temp dir."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
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


@pytest.fixture
def app_store(tmp_path, monkeypatch):
    """Point the app at a fresh DuckDB file (demo data loads on first use) and drop cached stores."""
    monkeypatch.setenv("SOP_BACKEND", "duckdb")
    monkeypatch.setenv("SOP_DUCKDB_PATH", str(tmp_path / "app.duckdb"))
    monkeypatch.setenv("SOP_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.setenv("SOP_ATTACHMENTS_DIR", str(tmp_path / "lampiran"))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield tmp_path / "app.duckdb"
    st.cache_resource.clear()
    st.cache_data.clear()


def run_page(page: str, actor: str | Actor | None = None, *, session: dict | None = None,
             query: dict | None = None, timeout: float = 60) -> AppTest:
    """Run ``pages/<page>.py`` (or a path) as ``actor`` (a name from ACTORS or an Actor)."""
    path = page if page.endswith(".py") else f"pages/{page}.py"
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
