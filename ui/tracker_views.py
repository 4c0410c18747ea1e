"""The UI edge of the case tracker pages: the cached case list, labels, display tables, the version
a person saw, and messages that survive the rerun after a save."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from domain import catalogue as cat
from domain import tracker as trk
from domain.calendar import JAKARTA, MONTHS_EN, MONTHS_ID
from data_access.snapshot import Snapshot
from domain.models import UnreadableCell
from domain.texts import t
from ui.context import READ_CACHE_SECONDS, calendar, clear_read_caches, page_source, read_generation, repo
from ui.page_reads import LIST_TABLES, LOOKUP_TABLES
from ui.safe_text import md

FLASH_KEY = "trk_flash"


# ---- cached reads (cleared by every write through clear_read_caches) ---------------------------

def _store_id() -> str:
    r = repo()
    return f"{r.backend}:{getattr(r, 'path', '')}"


# On Google Sheets these come from the page's ONE cached batch read (the summary, the case picker and
# the labels share it); DuckDB answers each with a local query. Each is kept while the tables it is
# made from are unchanged by this app (read_generation), and at most READ_CACHE_SECONDS.


@st.cache_data(ttl=READ_CACHE_SECONDS, show_spinner=False, max_entries=4)
def _summary(store: str, generation: tuple[int, ...]) -> pd.DataFrame:
    return trk.load_summary(page_source(*LIST_TABLES), calendar())


def case_summary() -> pd.DataFrame:
    """Every case with its current step, lateness and whose clock runs (vectorised, cached)."""
    return _summary(_store_id(), read_generation(*LIST_TABLES, "calendar_entries"))


@st.cache_data(ttl=READ_CACHE_SECONDS, show_spinner=False, max_entries=4)
def _case_index(store: str, generation: tuple[int, ...]) -> pd.DataFrame:
    return case_index_from_frame(page_source("cases").frames(["cases"])["cases"])


def case_index_from_frame(cases: pd.DataFrame) -> pd.DataFrame:
    """Number, title and status of every case, with the text a search matches."""
    cases = cases[["id", "number", "title", "status", "notes"]]
    return cases.assign(search=(cases["number"].fillna("") + " " + cases["title"].fillna("")).str.lower())


def case_index() -> pd.DataFrame:
    """Number, title and status of every case: enough to pick one (lighter than the summary)."""
    return _case_index(_store_id(), read_generation("cases"))


@st.cache_data(ttl=READ_CACHE_SECONDS, show_spinner=False, max_entries=4)
def _lookups(store: str, generation: tuple[int, ...]) -> dict:
    return lookups_from_frames(page_source(*LOOKUP_TABLES).frames(list(LOOKUP_TABLES)))


def lookups_from_frames(frames: dict[str, pd.DataFrame]) -> dict:
    """Names of organisations, units and executors for labels and choices, from their frames."""
    orgs = frames["organisations"].sort_values(["sort_order", "name"], na_position="last")
    units = frames["units"].sort_values("name")
    execs = frames["executors"]
    role_order = {r: i for i, r in enumerate(cat.EXECUTOR_ROLES)}
    execs = execs.assign(_o=execs["role"].map(role_order)).sort_values(["_o", "name"])
    return {
        "orgs": dict(zip(orgs["id"], orgs["name"], strict=True)),
        "org_short": {i: (s or n) for i, s, n in zip(orgs["id"], orgs["short_name"], orgs["name"], strict=True)},
        "units": dict(zip(units["id"], units["name"], strict=True)),
        "unit_org": dict(zip(units["id"], units["org_id"], strict=True)),
        "active_units": [u for u, a in zip(units["id"], units["active"], strict=True) if a is not False],
        "executors": dict(zip(execs["id"], execs["name"], strict=True)),
        "active_executors": [e for e, a in zip(execs["id"], execs["active"], strict=True) if a is not False],
        "executor_role": dict(zip(execs["id"], execs["role"], strict=True)),
    }


def lookups() -> dict:
    """Names of organisations, units and executors for labels and choices."""
    return _lookups(_store_id(), read_generation(*LOOKUP_TABLES))


def unreadable_cells(table: str) -> dict[tuple[str, str], UnreadableCell]:
    """The cells of ``table`` this page view's read could not read, by (record id, column): a date
    typed by hand in a form no one can read, on Google Sheets. Their fields show empty and marked."""
    source = page_source(table)
    if not isinstance(source, Snapshot):  # DuckDB keeps typed columns: nothing to mark
        return {}
    return {(c.record_id, c.column): c for c in source.frames([table])[table].attrs.get("unreadable", ())}


def unreadable_mark(cell: UnreadableCell, lang: str) -> str:
    return t("store.cell.mark", lang, value=cell.value)


# ---- after a save --------------------------------------------------------------------------------

def done(message: str) -> None:
    """A write succeeded: drop read caches, keep the message (plain text: it is shown inert) for the
    next run, rerun."""
    clear_read_caches()
    st.session_state[FLASH_KEY] = message
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(md(message), icon="✅")


def seen_version(kind: str, record_id: str) -> int | None:
    """The version of a record as the person last saw it (set at the end of the previous run).
    A save carries this, not the version read in the run the button triggers, so a change made
    by someone else in between is refused instead of overwritten."""
    return st.session_state.get(f"trk_seen:{kind}:{record_id}")


def remember_version(kind: str, record_id: str, version: int) -> None:
    st.session_state[f"trk_seen:{kind}:{record_id}"] = int(version)


# ---- labels ------------------------------------------------------------------------------------

def status_label(status: str | None, lang: str) -> str:
    return t(f"tracker.status.{status}", lang) if status else "–"


def step_status_label(status: str | None, lang: str) -> str:
    return t(f"tracker.step.{status or 'none'}", lang)


def track_label(track: str | None, lang: str) -> str:
    return t(f"tracker.track.{track}", lang) if track else "–"


def clock_label(role: str | None, external: bool, lang: str) -> str:
    if not role:
        return "–"
    return t("tracker.clock.external", lang, role=role) if external else role


def fmt_dates(s: pd.Series, lang: str, with_time: bool = False) -> pd.Series:
    """A column of instants or dates as '29 November 2026' (Asia/Jakarta), '–' when empty."""
    if s.dtype.kind == "M" and getattr(s.dt, "tz", None) is not None:
        local = s.dt.tz_convert(JAKARTA)
    else:
        local = pd.to_datetime(s)
    months = pd.Series(MONTHS_ID if lang == "id" else MONTHS_EN, index=range(1, 13))
    text = (local.dt.day.astype("Int64").astype(str) + " " + local.dt.month.map(months).astype(str) + " "
            + local.dt.year.astype("Int64").astype(str))
    if with_time:
        text = text + " " + local.dt.strftime("%H.%M") + " WIB"
    return text.where(local.notna(), "–")


def fmt_date(value, lang: str) -> str:
    from domain.calendar import format_date

    return format_date(value, lang) if value is not None and not pd.isna(value) else "–"


def fmt_datetime(value, lang: str) -> str:
    from domain.calendar import format_datetime

    return format_datetime(value, lang) if value is not None and not pd.isna(value) else "–"


# ---- tables ------------------------------------------------------------------------------------

# The columns people act on first: what, how late, which step, whose clock, who.
LIST_COLUMNS = ("number", "title", "status", "timing", "current_step", "clock_with", "pic", "units", "stage", "track",
                "started_at", "planned_finish", "forecast_finish", "target_date")


def list_frame(df: pd.DataFrame, lang: str, unreadable: dict | None = None) -> pd.DataFrame:
    """The case list as shown: Indonesian headers, dates as the ministry writes them; a field whose
    cell could not be read (``unreadable_cells("cases")``) is marked instead of left blank."""
    mpd = calendar().minutes_per_day
    late_text = df["late_days"].map(lambda d: trk.late_text(d, mpd, lang))
    timing = late_text.where(df["late"], t("tracker.timing.on_time", lang)).where(df["status"] != "dibatalkan", "–")
    clock = df["clock_with"].fillna("")
    clock = clock.where(~df["clock_external"], clock.map(lambda r: t("tracker.clock.external", lang, role=r)))
    status = df["status"].map(lambda s: status_label(s, lang))
    out = pd.DataFrame({
        "number": df["number"], "title": df["title"], "units": df["units"], "status": status,
        "track": df["track"].map(lambda v: track_label(v, lang)), "stage": df["stage"],
        "current_step": df["current_step"].fillna("–"), "pic": df["pic"].fillna("–"),
        "started_at": fmt_dates(df["started_at"], lang), "planned_finish": fmt_dates(df["planned_finish"], lang),
        "forecast_finish": fmt_dates(df["forecast_finish"], lang), "target_date": fmt_dates(df["target_date"], lang),
        "timing": timing, "clock_with": clock.replace("", "–")})
    out = out[list(LIST_COLUMNS)]
    for (case_id, column), cell in (unreadable or {}).items():
        if column in out.columns:
            out.loc[df["id"] == case_id, column] = unreadable_mark(cell, lang)
    out.columns = [t(f"tracker.col.{c}", lang) for c in LIST_COLUMNS]
    return out.reset_index(drop=True)
