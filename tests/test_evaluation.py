"""The yearly evaluation figures against values worked out by hand on a small fixed data set.

The data set (``build_store``, ``fill_store``) is stored in a real DuckDB file and on a PostgreSQL
server. The calendar has office hours 07:30–16:00 (510 working minutes a day) and no public holidays,
so every expected figure below can be checked with a pencil; the comment by each event gives the
working time it contributes.
"""
from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from data_access.duckdb_store import DuckDBRepository
from data_access.repository import prepare_insert
from domain import catalogue as cat
from domain.calendar import JAKARTA, WorkCalendar
from domain.errors import PermissionDenied, StaleWriteError, ValidationError
from domain.evaluation import (
    EXTERNAL, Figures, _WorkClock, available_years, evaluation_for_year, fmt_change, fmt_dec, fmt_int, fmt_pct,
    load_frames, read_conclusions, save_conclusions,
)
from tests.apptest_helpers import ACTORS

CAL = WorkCalendar(use_national_holidays=False)  # 510 working minutes a day, no holidays
NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=JAKARTA)  # Tuesday: the cut-off of the current year
NON_LATIN = "Σοφία Юлия Đặng"


def j(y, mo, d, h, mi=0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=JAKARTA)


EXECUTORS = [
    {"id": "EX-K", "name": "Dr. Ratna Wulandari", "nip": "197001012000032001", "role": cat.KARO, "active": True},
    {"id": "EX-B", "name": "Agus Prasetyo", "nip": "197808082003121002", "role": cat.KABAG, "active": True},
    {"id": "EX-S", "name": "Maria Sinaga", "nip": "198501152009122003", "role": cat.KASUBBAG, "active": True},
    {"id": "EX-1", "name": "Đặng Thị Ngọc Ånström", "nip": "199203302015031001", "role": cat.STAF, "active": True},
    {"id": "EX-2", "name": NON_LATIN, "nip": "199407222018012002", "role": cat.STAF, "active": True},
    {"id": "EX-3", "name": "Former Staff", "nip": None, "role": cat.STAF, "active": False},  # nothing: not listed
]

CASES = [
    # C1 intern, 3 drafts, finished in 2026: 3 documents.
    {"id": "C1", "number": "K-2026-0001", "title": "SOP Persuratan", "unit_ids": ["U1"], "track": cat.INTERN,
     "drafts": 3, "status": "selesai", "started_at": j(2026, 3, 2, 8), "finished_at": j(2026, 3, 10, 9)},
    {"id": "C2", "number": "K-2026-0002", "title": "SP Arsip", "unit_ids": ["U1"], "track": cat.PERMEN,
     "drafts": 2, "status": "aktif", "started_at": j(2026, 4, 1, 8)},
    # C3 finished in 2025 (the year before): 4 documents.
    {"id": "C3", "number": "K-2025-0001", "title": "SOP Kendaraan", "unit_ids": ["U1"], "track": cat.INTERN,
     "drafts": 4, "status": "selesai", "started_at": j(2025, 5, 5, 8), "finished_at": j(2025, 5, 6, 9)},
    {"id": "C4", "number": "K-2026-0003", "title": "SOP Tamu", "unit_ids": ["U1"], "track": cat.INTERN,
     "drafts": 1, "status": "aktif", "started_at": j(2026, 6, 29, 8)},
]


def ev(id, case, code, status, start, due, end, actor):
    return {"id": id, "case_id": case, "step_code": code, "status": status, "started_at": start, "due_at": due,
            "finished_at": end, "actor_id": actor, "backdated": False}


STEP_EVENTS = [
    ev("E1", "C1", "1.a", "selesai", j(2026, 3, 2, 8), j(2026, 3, 2, 8, 30), j(2026, 3, 2, 8, 20), "EX-K"),  # on time
    # late 08:50 -> 15:50 = 420 min = 0.823529 d
    ev("E2", "C1", "1.b", "selesai", j(2026, 3, 2, 8, 20), j(2026, 3, 2, 8, 50), j(2026, 3, 2, 15, 50), "EX-B"),
    ev("E3", "C1", "2.a.1", "selesai", j(2026, 3, 3, 8), j(2026, 3, 3, 10), j(2026, 3, 3, 9), "EX-S"),  # on time
    # late Tue 12:00 -> Thu 12:00 = 240 + 510 + 270 = 1020 min = 2.0 d
    ev("E4", "C1", "2.a.2", "selesai", j(2026, 3, 3, 9), j(2026, 3, 3, 12), j(2026, 3, 5, 12), "EX-1"),
    ev("E5", "C1", "2.a.3", "selesai", j(2026, 3, 5, 12), j(2026, 3, 6, 10), j(2026, 3, 6, 9), "EX-1"),  # on time
    # skipped: not counted, and not a share in C1 for EX-2
    ev("E10", "C1", "2.a.4", "dilewati", j(2026, 3, 6, 9), j(2026, 3, 6, 9), j(2026, 3, 6, 9), "EX-2"),
    # external (unit): late Mon 09:00 -> Tue 09:00 = 420 + 90 = 510 min = 1.0 d, never an executor's
    ev("E6", "C1", "3.b", "selesai", j(2026, 3, 6, 9), j(2026, 3, 9, 9), j(2026, 3, 10, 9), None),
    # the Minister: no standard time, handled but not on time or late
    ev("E7", "C2", "7", "selesai", j(2026, 5, 4, 8), j(2026, 5, 4, 8), j(2026, 5, 5, 8), None),
    # step 4.a (Kabag responsible) done by a staff member: credited to EX-2 and to Staf. Late 60 min = 0.117647 d
    ev("E11", "C2", "4.a", "selesai", j(2026, 4, 6, 8), j(2026, 4, 6, 10), j(2026, 4, 6, 11), "EX-2"),
    # still running past due at the cut-off: Mon 08:30 -> Tue 12:00 = 450 + 270 = 720 min = 1.411765 d
    ev("E8", "C4", "1.a", "berjalan", j(2026, 6, 29, 8), j(2026, 6, 29, 8, 30), None, "EX-K"),
    # 2025: on time, and late 08:30 -> 09:30 = 60 min = 0.117647 d
    ev("P1", "C3", "1.a", "selesai", j(2025, 5, 5, 8), j(2025, 5, 5, 8, 30), j(2025, 5, 5, 8, 20), "EX-K"),
    ev("P2", "C3", "1.b", "selesai", j(2025, 5, 5, 8, 20), j(2025, 5, 5, 8, 30), j(2025, 5, 5, 9, 30), "EX-B"),
]

# C1 was on hold 10:00-11:00 on its first day: 60 working minutes off its stage 1 and its duration.
HOLDS = [{"id": "H1", "case_id": "C1", "start_at": j(2026, 3, 2, 10), "end_at": j(2026, 3, 2, 11), "reason": "uji"}]

COMPLAINTS = [
    # delegated Mon 10:00, answered Wed 10:00: 360 + 510 + 150 = 1020 min = 2.0 d from delegation;
    # from receipt Mon 08:00: 480 + 510 + 150 = 1140 min = 2.235294 d (within the 5-day standard)
    {"id": "A1", "receipt_no": "ADU-2026-0001", "kind": "pengaduan", "unit_id": "U1", "name": "Pelapor",
     "subject": "Jadwal rapat belum jelas", "status": "dijawab", "handler": cat.KABAG, "delegated_to": "EX-B",
     "delegated_at": j(2026, 3, 2, 10), "answer": "Jadwal rapat sudah dikirim", "answered_at": j(2026, 3, 4, 10),
     "created_at": j(2026, 3, 2, 8)},
    # delegated, still open at the cut-off
    {"id": "A2", "receipt_no": "ADU-2026-0002", "kind": "keluhan", "unit_id": "U1", "name": "Pelapor",
     "subject": "Format SOP berbeda", "status": "ditindaklanjuti", "handler": cat.KABAG, "delegated_to": "EX-B",
     "delegated_at": j(2026, 3, 9, 8), "created_at": j(2026, 3, 9, 8)},
    # handled by the Karo, closed after two weeks: 5100 min = 10.0 d (over the standard)
    {"id": "A3", "receipt_no": "ADU-2026-0003", "kind": "masukan", "unit_id": "U1", "name": "Pelapor",
     "subject": "Usul formulir", "status": "ditutup", "handler": cat.KARO, "resolution": "Formulir diperbaiki",
     "closed_at": j(2026, 4, 20, 8), "created_at": j(2026, 4, 6, 8)},
    # 2025: delegated and answered after 510 min = 1.0 d
    {"id": "A4", "receipt_no": "ADU-2025-0001", "kind": "pengaduan", "unit_id": "U1", "name": "Pelapor",
     "subject": "Lama", "status": "dijawab", "handler": cat.KABAG, "delegated_to": "EX-B",
     "delegated_at": j(2025, 5, 5, 8), "answer": "Selesai", "answered_at": j(2025, 5, 6, 8),
     "created_at": j(2025, 5, 5, 8)},
]

ACTIONS = [
    {"id": "T1", "complaint_id": "A1", "kind": "tindak_lanjut", "text": "x", "created_at": j(2026, 3, 3, 9),
     "created_by": "kabag"},
    {"id": "T2", "complaint_id": "A2", "kind": "tindak_lanjut", "text": "x", "created_at": j(2026, 3, 10, 9),
     "created_by": "staf1"},
    {"id": "T3", "complaint_id": "A2", "kind": "tindak_lanjut", "text": "x", "created_at": j(2026, 3, 11, 9),
     "created_by": "kabag"},
    {"id": "T4", "complaint_id": "A3", "kind": "tindak_lanjut", "text": "x", "created_at": j(2026, 4, 7, 9),
     "created_by": "karo"},
    {"id": "T5", "complaint_id": "A4", "kind": "tindak_lanjut", "text": "x", "created_at": j(2025, 5, 5, 9),
     "created_by": "kabag"},
]

ACCOUNTS = [{"id": f"acc-{u}", "username": u, "display_name": u, "roles": [r], "executor_id": e, "active": True}
            for u, r, e in (("karo", "Karo", "EX-K"), ("kabag", "Kabag", "EX-B"), ("staf1", "Staf", "EX-1"))]


def build_store(path) -> DuckDBRepository:
    repo = DuckDBRepository(path)
    repo.init()
    return fill_store(repo)


def fill_store(repo):
    """The data set, in an empty store of any backend."""
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    tables = {"units": [{"id": "U1", "org_id": "O1", "name": "Biro Umum", "active": True}],
              "executors": EXECUTORS, "cases": CASES, "step_events": STEP_EVENTS, "holds": HOLDS,
              "complaints": COMPLAINTS, "complaint_actions": ACTIONS, "accounts": ACCOUNTS}
    for table, rows in tables.items():
        repo.import_rows(table, [prepare_insert(table, dict(r), "fixture", at) for r in rows])
    return repo


@pytest.fixture(params=["duckdb", "postgres"])
def store(request, tmp_path):
    """The data set on the embedded file and on a PostgreSQL server."""
    if request.param == "postgres":
        yield fill_store(request.getfixturevalue("pg_repo"))
        return
    repo = build_store(tmp_path / "evaluation.duckdb")
    yield repo
    repo.close()


@pytest.fixture
def evaluation(store):
    return evaluation_for_year(store, 2026, CAL, NOW)


D = 510.0  # working minutes per day


def approx(minutes: float):
    return pytest.approx(minutes / D, abs=1e-9)


def test_each_executor_gets_the_figures_worked_out_by_hand(evaluation):
    kabag = evaluation.executor("EX-B").figures
    assert (kabag.steps_handled, kabag.steps_with_standard, kabag.on_time, kabag.late_finished,
            kabag.open_overdue) == (1, 1, 0, 1, 0)
    assert kabag.on_time_share == 0.0
    assert kabag.median_late_days == approx(420) and kabag.worst_late_days == approx(420)
    assert (kabag.cases_completed, kabag.documents_completed) == (1, 3)
    assert (kabag.complaints_delegated, kabag.complaints_handled, kabag.complaints_resolved) == (2, 2, 1)
    assert kabag.median_resolution_days == approx(1020) and kabag.worst_resolution_days == approx(1020)

    kasubbag = evaluation.executor("EX-S").figures
    assert (kasubbag.steps_handled, kasubbag.on_time, kasubbag.on_time_share) == (1, 1, 1.0)
    assert kasubbag.median_late_days is None and kasubbag.worst_late_days is None
    assert (kasubbag.cases_completed, kasubbag.documents_completed, kasubbag.complaints_handled) == (1, 3, 0)

    staf1 = evaluation.executor("EX-1").figures
    assert (staf1.steps_handled, staf1.on_time, staf1.late_finished, staf1.on_time_share) == (2, 1, 1, 0.5)
    assert staf1.median_late_days == approx(1020) and staf1.worst_late_days == approx(1020)
    assert (staf1.cases_completed, staf1.complaints_delegated, staf1.complaints_handled) == (1, 0, 1)

    # EX-2 did a Kabag-responsible step (credited to EX-2) and skipped one in C1 (not a share in C1).
    staf2 = evaluation.executor("EX-2").figures
    assert (staf2.steps_handled, staf2.on_time, staf2.late_finished) == (1, 0, 1)
    assert staf2.median_late_days == approx(60)
    assert (staf2.cases_completed, staf2.documents_completed) == (0, 0)

    karo = evaluation.executor("EX-K").figures
    assert (karo.steps_handled, karo.on_time, karo.open_overdue) == (1, 1, 1)
    assert karo.median_late_days == approx(720) and karo.worst_late_days == approx(720)
    assert (karo.cases_completed, karo.complaints_handled, karo.complaints_delegated) == (1, 1, 0)


def test_executors_are_listed_by_role_and_the_karo_is_not_evaluated_as_an_executor(evaluation):
    assert [e.executor.id for e in evaluation.executors] == ["EX-B", "EX-S", "EX-1", "EX-2", "EX-K"]
    assert [e.executor.id for e in evaluation.evaluated_executors] == ["EX-B", "EX-S", "EX-1", "EX-2"]
    assert evaluation.executor("EX-3") is None  # inactive and nothing in the year
    assert evaluation.karo.name == "Dr. Ratna Wulandari" and evaluation.karo.nip == "197001012000032001"


def test_roles_sum_their_executors_and_outside_parties_keep_their_own_steps(evaluation):
    roles = {r.role: r for r in evaluation.roles}
    staf = roles[cat.STAF]
    assert staf.executors == 2
    f = staf.figures
    assert (f.steps_handled, f.on_time, f.late_finished, f.cases_completed, f.complaints_handled) == (3, 1, 2, 1, 1)
    assert f.median_late_days == approx((1020 + 60) / 2) and f.worst_late_days == approx(1020)
    assert roles[cat.KABAG].figures == evaluation.executor("EX-B").figures
    ext = roles[EXTERNAL].figures
    assert (ext.steps_handled, ext.steps_with_standard, ext.on_time, ext.late_finished) == (2, 1, 0, 1)
    assert ext.worst_late_days == approx(510)


def test_the_bureau_as_a_whole_matches_the_hand_count(evaluation):
    b = evaluation.bureau
    f = b.figures
    assert (f.steps_handled, f.steps_with_standard, f.on_time, f.late_finished, f.open_overdue) == (6, 6, 3, 3, 1)
    # late: 60, 420, 720, 1020 minutes -> median (420 + 720) / 2
    assert f.median_late_days == approx(570) and f.worst_late_days == approx(1020)
    assert (f.cases_completed, f.documents_completed) == (1, 3)
    assert (f.complaints_delegated, f.complaints_handled, f.complaints_resolved) == (2, 3, 2)
    # resolved from receipt: A1 1140 min, A3 5100 min
    assert f.median_resolution_days == approx((1140 + 5100) / 2) and f.worst_resolution_days == approx(5100)
    assert (b.complaints_received, b.complaints_open, b.complaints_within_standard) == (3, 1, 1)
    assert b.complaints_within_standard_share == 0.5
    assert (b.external_steps, b.external_with_standard, b.external_on_time) == (2, 1, 0)
    assert (b.cases_started, b.cases_active) == (3, 2)
    # C1: Mon 08:00 -> next Tue 09:00 = 480 + 4 x 510 + 510 + 90 = 3120 min, less the 60-minute hold
    assert b.median_case_days == approx(3060)
    params = cat.CaseParams(cat.INTERN, drafts=3, units=1)
    assert b.median_case_standard_days == pytest.approx(cat.planned_minutes(params, 510) / D)
    assert b.cases_within_plan == 1


def test_the_previous_year_is_compared_where_it_has_data(evaluation):
    assert evaluation.previous_has_data
    prev = evaluation.executor("EX-B").previous
    assert (prev.steps_handled, prev.late_finished, prev.cases_completed, prev.documents_completed) == (1, 1, 1, 4)
    assert prev.median_late_days == approx(60)
    assert (prev.complaints_delegated, prev.complaints_resolved, prev.median_resolution_days) == (1, 1, 1.0)
    assert evaluation.executor("EX-1").previous == Figures()
    assert evaluation.previous_bureau.figures.steps_handled == 2
    months = {(m.year, m.month): (m.steps, m.on_time) for m in evaluation.months}
    assert months == {(2026, 3): (5, 3), (2026, 4): (1, 0), (2025, 5): (2, 1)}


def test_stages_compare_standard_and_actual_time_less_holds(evaluation):
    stages = {s.stage: s for s in evaluation.stages}
    one = stages[1]
    assert (one.steps_finished, one.steps_on_time, one.cases) == (2, 1, 1)
    # C1 stage 1: Mon 08:00 -> 15:50 = 470 min, less the 60-minute hold; standard 30 + 30 minutes
    assert one.actual_days == approx(410) and one.median_actual_days == approx(410)
    assert one.standard_days == approx(60) and one.within_standard == 0
    assert (stages[2].steps_finished, stages[2].steps_on_time, stages[2].cases) == (3, 2, 0)  # stage 2 unfinished
    assert stages[7].steps_finished == 1 and stages[7].steps_with_standard == 0


def test_late_steps_are_listed_longest_first_with_who_was_responsible(evaluation):
    rows = [(s.step_code, s.who, round(s.late_days * D), s.open) for s in evaluation.late_steps]
    assert rows == [("2.a.2", "Đặng Thị Ngọc Ånström", 1020, False), ("1.a", "Dr. Ratna Wulandari", 720, True),
                    ("3.b", cat.UNIT, 510, False), ("1.b", "Agus Prasetyo", 420, False),
                    ("4.a", NON_LATIN, 60, False)]
    assert evaluation.late_steps_total == 5
    assert evaluation.lateness_buckets == (("< 1", 2), ("1–3", 2), ("3–5", 0), ("5–10", 0), ("≥ 10", 0))
    assert [s.step_code for s in evaluation.executor("EX-1").late_steps] == ["2.a.2"]


def test_complaints_of_the_year_are_listed_with_their_outcome(evaluation):
    out = {c.receipt_no: c for c in evaluation.complaints}
    assert list(out) == ["ADU-2026-0001", "ADU-2026-0002", "ADU-2026-0003"]
    a1 = out["ADU-2026-0001"]
    assert (a1.delegated_to, a1.outcome, a1.within_standard) == ("Agus Prasetyo", "Jadwal rapat sudah dikirim", True)
    assert a1.resolution_days == approx(1140)
    assert out["ADU-2026-0002"].resolved_at is None and out["ADU-2026-0002"].within_standard is None
    a3 = out["ADU-2026-0003"]
    assert (a3.delegated_to, a3.outcome, a3.within_standard) == (None, "Formulir diperbaiki", False)


def test_a_year_without_records_has_no_data_and_no_previous_comparison(store):
    ev = evaluation_for_year(store, 2019, CAL, NOW)
    assert not ev.has_data and not ev.previous_has_data and ev.previous_bureau is None
    assert all(not e.figures.has_data for e in ev.executors)
    assert ev.late_steps == () and ev.complaints == ()


@pytest.mark.parametrize("backend", ["duckdb_repo", "pg_repo"])
def test_an_empty_store_evaluates_without_error(backend, request):
    ev = evaluation_for_year(request.getfixturevalue(backend), 2026, CAL, NOW)
    assert not ev.has_data and ev.executors == () and ev.karo is None


def test_the_vectorised_clock_equals_the_calendar_including_holidays():
    cal = WorkCalendar()  # with Indonesian holidays and collective leave
    rng = random.Random(7)
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    a = [base + dt.timedelta(minutes=rng.randint(0, 3 * 365 * 1440)) for _ in range(200)]
    b = [x + dt.timedelta(minutes=rng.randint(-20 * 1440, 60 * 1440)) for x in a]
    got = _WorkClock(cal).minutes(pd.Series(pd.to_datetime(a, utc=True)), pd.Series(pd.to_datetime(b, utc=True)))
    assert list(got) == pytest.approx([cal.working_minutes(x, y) for x, y in zip(a, b, strict=True)], abs=1e-6)


def test_reading_for_a_year_leaves_out_cases_finished_before_the_year_before(store):
    frames = load_frames(store, 2027)  # 2026 and 2027: C3 (all of 2025) is not needed
    assert set(frames["step_events"]["case_id"].astype(str)) == {"C1", "C2", "C4"}
    assert "password_hash" not in frames["accounts"].columns
    assert available_years(load_frames(store), NOW) == [2026, 2025]


def test_numbers_are_written_the_indonesian_way():
    assert (fmt_int(1234567), fmt_dec(1234.56), fmt_pct(0.4932), fmt_dec(None)) == ("1.234.567", "1.234,6", "49,3%",
                                                                                      "–")
    assert (fmt_change(0.5, 0.25, pct=True), fmt_change(3, 5), fmt_change(None, 1)) == ("+25,0 poin", "−2", "–")


# ---- the Karo's conclusions ---------------------------------------------------------------------

def test_the_karo_saves_conclusions_and_a_stale_second_save_is_refused_and_changes_nothing(store):
    karo = ACTORS["karo"]
    first = save_conclusions(store, karo, 2026, "Kinerja baik.", "Pelatihan staf.", expected_version=0)
    assert (first.text, first.follow_up, first.version) == ("Kinerja baik.", "Pelatihan staf.", 1)
    second = save_conclusions(store, karo, 2026, "Kinerja cukup baik.", "Pelatihan.", expected_version=1)
    assert second.version == 2
    with pytest.raises(StaleWriteError):
        save_conclusions(store, karo, 2026, "Menimpa", "", expected_version=1)
    with pytest.raises(StaleWriteError):  # a second "first" save is stale too
        save_conclusions(store, karo, 2026, "Menimpa", "", expected_version=0)
    assert read_conclusions(store, 2026).text == "Kinerja cukup baik."
    assert [a["action"] for a in store.audit("settings", "evaluation_conclusions_2026")].count(
        "evaluation.conclude") == 2
    assert evaluation_for_year(store, 2026, CAL, NOW).conclusions.follow_up == "Pelatihan."


def test_only_the_karo_may_write_conclusions_and_bad_input_names_the_field(store):
    with pytest.raises(PermissionDenied):
        save_conclusions(store, ACTORS["kabag"], 2026, "x", "", expected_version=0)
    with pytest.raises(ValidationError) as exc:
        save_conclusions(store, ACTORS["karo"], 2026, "x" * 9000, "", expected_version=0)
    assert exc.value.field == "conclusions" and "Kesimpulan" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        save_conclusions(store, ACTORS["karo"], "dua ribu", "x", "", expected_version=0)
    assert exc.value.field == "year"
    assert store.get("settings", "evaluation_conclusions_2026") is None


@pytest.mark.parametrize("backend", ["duckdb_repo", "pg_repo"])
def test_a_year_reads_only_the_step_events_of_cases_active_since_the_year_before(backend, request):
    """The database read leaves out cases wholly finished before the year before; a case with a
    step still open, or one finished since then, comes with all its step events and codes."""
    from data_access.evaluation_data import evaluation_frames

    repo = request.getfixturevalue(backend)
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


def test_the_evaluation_on_postgresql_equals_the_one_from_the_duckdb_file(pg_repo, tmp_path):
    duck = build_store(tmp_path / "store.duckdb")
    fill_store(pg_repo)
    for year in (2025, 2026):
        assert evaluation_for_year(pg_repo, year, CAL, NOW) == evaluation_for_year(duck, year, CAL, NOW)
    duck.close()
