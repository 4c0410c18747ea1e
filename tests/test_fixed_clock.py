"""Checks that depend on "now" give the same answers at any hour: each runs on demo data built for
an awkward instant (early morning, after office hours, a Friday evening, the last day of the year,
inside cuti bersama) with the app's clock set to that instant."""
from __future__ import annotations

import pytest

from data_access.duckdb_store import DuckDBRepository
from domain import dashboard as dash
from domain import tracker as trk
from domain.calendar import WorkCalendar, now
from tests.apptest_helpers import run_page
from tests.clock import AWKWARD_INSTANTS

INSTANTS = list(AWKWARD_INSTANTS)


def store_frames(path) -> dict:
    repo = DuckDBRepository(path)
    try:
        return repo.frames(list(dash.TABLES))
    finally:
        repo.close()


def test_the_app_clock_reads_the_instant_the_test_set(app_store_at):
    for instant in AWKWARD_INSTANTS.values():
        app_store_at(instant)
        assert abs((now() - instant).total_seconds()) < 60


@pytest.mark.parametrize("name", INSTANTS)
def test_picking_a_unit_on_the_dashboard_lists_exactly_that_units_cases(app_store_at, name):
    instant = AWKWARD_INSTANTS[name]
    path = app_store_at(instant)
    expected = dash.compute(store_frames(path), instant.year, WorkCalendar(), instant)
    units = expected.units[expected.units["cases"] > 0]
    # The organisation whose units have the most cases this year: the check needs several units.
    org = units.groupby("org_id")["unit_id"].size().sort_values(ascending=False).index[0]
    at = run_page("dashboard", "pimpinan")
    assert not at.exception
    at = at.selectbox(key="dash.org").set_value(org).run()
    listed = {}
    for unit_id in units.loc[units["org_id"] == org, "unit_id"]:
        at = at.selectbox(key="dash.unit").set_value(unit_id).run()
        assert not at.exception
        # The unit's cases: the table with each case's current step (the late-step list has none).
        tables = [df.value for df in at.dataframe if "Langkah sekarang" in df.value.columns]
        assert len(tables) <= 1, (name, unit_id)
        listed[unit_id] = set(tables[0]["Nomor kasus"]) if tables else set()
        of_unit = expected.cases["unit_ids"].map(lambda ids, unit=unit_id: unit in ids)
        wanted = set(expected.cases.loc[of_unit, "number"])
        assert listed[unit_id] == wanted, (name, unit_id)
    assert any(listed.values()), name


@pytest.mark.parametrize("name", INSTANTS)
def test_the_case_list_counts_what_the_tracker_computes_at_that_instant(app_store_at, name):
    instant = AWKWARD_INSTANTS[name]
    path = app_store_at(instant)
    frames = store_frames(path)
    events = frames["step_events"]
    summary = trk.case_summary(frames, events, WorkCalendar(), instant)
    counts = trk.case_counts(summary)
    at = run_page("cases", "staf1")
    assert not at.exception
    shown = {m.label: int(m.value.replace(".", "")) for m in at.metric}
    assert shown == {"Kasus": counts["total"], "Aktif": counts["active"],
                     "Ditunda": counts["on_hold"], "Selesai": counts["finished"],
                     "Terlambat": counts["late"]}, name
    assert counts["total"] > 0 and counts["late"] > 0, name
