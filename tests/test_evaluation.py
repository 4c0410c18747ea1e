"""The evaluation without a store (the vectorised clock, number formats) and the DuckDB read of a
year; the figures on a store are ``tests/contracts/evaluation.py``, run on every backend."""
from __future__ import annotations

import datetime as dt


from data_access.duckdb_store import DuckDBRepository
from data_access.repository import prepare_insert
from domain.evaluation import fmt_change, fmt_dec, fmt_int, fmt_pct
from tests.evaluation_world import build_store


def test_numbers_are_written_the_indonesian_way():
    assert (fmt_int(1234567), fmt_dec(1234.56), fmt_pct(0.4932), fmt_dec(None)) == ("1.234.567", "1.234,6", "49,3%",
                                                                                      "–")
    assert (fmt_change(0.5, 0.25, pct=True), fmt_change(3, 5), fmt_change(None, 1)) == ("+25,0 poin", "−2", "–")


def test_a_change_is_computed_from_the_values_as_printed_and_days_keep_their_decimal():
    # 0,14 and 0,06 both print as 0,1: no change, not "+0,1"
    assert fmt_change(0.14, 0.06) == "0"
    assert fmt_change(0.1494, 0.0506, pct=True) == "+9,8 poin"  # 14,9% against 5,1%, as printed
    assert (fmt_change(2.0, 1.0), fmt_change(4, 3)) == ("+1,0", "+1")  # days keep one decimal, counts none


# ---- the Karo's conclusions ---------------------------------------------------------------------

def test_the_duckdb_store_reads_for_a_year_without_the_cases_finished_before_the_year_before(tmp_path):
    from data_access.evaluation_data import year_frames

    repo = build_store(tmp_path / "world.duckdb")
    frames = year_frames(repo, 2027)  # 2026 and 2027: C3 (all of 2025) is not needed
    assert set(frames["step_events"]["case_id"].astype(str)) == {"C1", "C2", "C4"}
    repo.close()


def test_a_year_reads_only_the_step_events_of_cases_active_since_the_year_before(tmp_path):
    """The DuckDB read leaves out cases wholly finished before the year before; a case with a
    step still open, or one finished since then, comes with all its step events and codes."""
    from data_access.evaluation_data import evaluation_frames

    repo = DuckDBRepository(tmp_path / "since.duckdb")
    repo.init()
    at = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
    old, mixed, running = (dt.datetime(2023, 3, 1, 2, 0, tzinfo=dt.UTC), dt.datetime(2024, 6, 3, 2, 0, tzinfo=dt.UTC),
                           dt.datetime(2025, 2, 3, 2, 0, tzinfo=dt.UTC))
    rows = [
        {"id": "E1", "case_id": "C-OLD", "step_code": "1.a", "status": "selesai", "started_at": old,
         "finished_at": old},
        {"id": "E2", "case_id": "C-MIX", "step_code": "1.a", "status": "selesai", "started_at": mixed,
         "finished_at": mixed, "actor_id": "EX-1"},
        {"id": "E3", "case_id": "C-MIX", "step_code": "2.a", "status": "selesai", "started_at": mixed,
         "finished_at": dt.datetime(2025, 3, 3, 2, 0, tzinfo=dt.UTC)},
        {"id": "E4", "case_id": "C-RUN", "step_code": "1.a", "status": "berjalan", "started_at": running},
    ]
    repo.import_rows("step_events", [prepare_insert("step_events", r, "fixture", at) for r in rows])
    since = dt.datetime(2024, 12, 31, 17, 0, tzinfo=dt.UTC)  # 1 January 2025, Jakarta
    events = evaluation_frames(repo, since)["step_events"]
    assert sorted(events["case_id"].astype(str)) == ["C-MIX", "C-MIX", "C-RUN"]
    assert events["actor_id"].isna().sum() == 2 and set(events["actor_id"].dropna()) == {"EX-1"}
    assert str(events["started_at"].dtype) == "datetime64[us, UTC]"
    assert events.loc[events["case_id"] == "C-RUN", "finished_at"].isna().all()
    everything = evaluation_frames(repo)["step_events"]
    assert len(everything) == 4
    # Since a later date only the case with a step still open is active.
    none = evaluation_frames(repo, dt.datetime(2026, 6, 1, tzinfo=dt.UTC))["step_events"]
    assert len(none) == 1 and none["case_id"].iloc[0] == "C-RUN"
    repo.close()


def test_what_the_evaluation_reads_is_typed_as_the_schema_types_it():
    from data_access.schema import TYPES
    from domain.evaluation.inputs import READ

    assert {t: dict(cols) for t, cols in READ.items()} == {t: {c: TYPES[t][c] for c, _ in cols}
                                                           for t, cols in READ.items()}
