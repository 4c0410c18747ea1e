"""The yearly evaluation on a store, written once and run on every backend: the figures of the
small world of ``tests/evaluation_world.py`` against values worked out by hand, the year's read,
and the Karo's conclusions."""
from __future__ import annotations

import json

import pytest

from domain import catalogue as cat
from domain.errors import PermissionDenied, StaleWriteError, ValidationError
from data_access.evaluation_data import evaluation_for_year, evaluation_frames, year_frames
from domain.changes import Insert
from domain.evaluation import (
    EXTERNAL, MET, NOT_MET, NOT_RATED, OUTPUT_KINDS, PARTLY_MET, CaseLine, DelayGroup, Figures, OutputRow,
    available_years, conclude_year, read_conclusions, read_note, record_sanction, reopen_year, save_acknowledger,
    save_conclusions, save_note, save_targets, withdraw_sanction,
)
from tests.apptest_helpers import ACTORS
from tests.evaluation_world import CAL, NON_LATIN, NOW, fill, j, karo  # noqa: F401

D = 510.0  # working minutes per day


def approx(minutes: float):
    return pytest.approx(minutes / D, abs=1e-9)


class EvaluationContract:
    """A backend's test class inherits this and provides the ``repo`` fixture: an empty,
    initialised repository of that backend."""

    @pytest.fixture
    def store(self, repo):
        fill(repo)
        return repo

    @pytest.fixture
    def evaluation(self, store):
        return evaluation_for_year(store, 2026, CAL, NOW)

    def test_each_executor_gets_the_figures_worked_out_by_hand(self, evaluation):
        # The rule judges what the seed times: each step with its own time, and block 2.a (1 day) as a
        # whole. C1's 1.b: 08:20 -> 15:50 = 450 min less the 60-minute hold = 390, 360 beyond its 30.
        kabag = evaluation.executor("EX-B").figures
        assert (kabag.steps_handled, kabag.steps_with_standard, kabag.on_time, kabag.late_finished,
                kabag.open_overdue) == (1, 1, 0, 1, 0)
        assert kabag.on_time_share == 0.0
        assert kabag.median_late_days == approx(360) and kabag.worst_late_days == approx(360)
        assert (kabag.cases_completed, kabag.documents_completed) == (1, 3)
        assert (kabag.complaints_delegated, kabag.complaints_handled, kabag.complaints_resolved) == (2, 2, 1)
        assert kabag.median_resolution_days == approx(1020) and kabag.worst_resolution_days == approx(1020)

        # 2.a.1 is a step of block 2.a, which counts against the step that took longest (2.a.2).
        kasubbag = evaluation.executor("EX-S").figures
        assert (kasubbag.steps_handled, kasubbag.steps_with_standard, kasubbag.on_time_share) == (1, 0, None)
        assert kasubbag.median_late_days is None and kasubbag.worst_late_days is None
        assert (kasubbag.cases_completed, kasubbag.documents_completed, kasubbag.complaints_handled) == (1, 3, 0)

        # Block 2.a: Tue 08:00 -> Fri 09:00 = 480 + 510 + 510 + 90 = 1590 min, 1080 beyond its 510;
        # its longest step is 2.a.2 (Tue 09:00 -> Thu 12:00 = 1200 min), done by EX-1.
        staf1 = evaluation.executor("EX-1").figures
        assert (staf1.steps_handled, staf1.on_time, staf1.late_finished, staf1.on_time_share) == (2, 0, 1, 0.0)
        assert staf1.median_late_days == approx(1080) and staf1.worst_late_days == approx(1080)
        assert (staf1.cases_completed, staf1.complaints_delegated, staf1.complaints_handled) == (1, 0, 1)

        # EX-2 did 4.a (2 hours a draft, 2 drafts: 240 min; it took 180: on time) and skipped one in C1
        # (not a share in C1).
        staf2 = evaluation.executor("EX-2").figures
        assert (staf2.steps_handled, staf2.on_time, staf2.late_finished) == (1, 1, 0)
        assert staf2.median_late_days is None
        assert (staf2.cases_completed, staf2.documents_completed) == (0, 0)

        karo = evaluation.executor("EX-K").figures
        assert (karo.steps_handled, karo.on_time, karo.open_overdue) == (1, 1, 1)
        assert karo.median_late_days == approx(720) and karo.worst_late_days == approx(720)
        assert (karo.cases_completed, karo.complaints_handled, karo.complaints_delegated) == (1, 1, 0)


    def test_executors_are_listed_by_role_and_the_karo_is_not_evaluated_as_an_executor(self, evaluation):
        assert [e.executor.id for e in evaluation.executors] == ["EX-B", "EX-S", "EX-1", "EX-2", "EX-K"]
        assert [e.executor.id for e in evaluation.evaluated_executors] == ["EX-B", "EX-S", "EX-1", "EX-2"]
        assert evaluation.executor("EX-3") is None  # inactive and nothing in the year
        assert evaluation.karo.name == "Dr. Ratna Wulandari" and evaluation.karo.nip == "197001012000032001"


    def test_roles_sum_their_executors_and_outside_parties_keep_their_own_steps(self, evaluation):
        roles = {r.role: r for r in evaluation.roles}
        # A step counts for the party it belongs to (the step's, or the one recorded), whoever did it:
        # 4.a, done by a staff member, is the Kabag's; 2.a.3, done by EX-1, the Kasubbag's.
        staf = roles[cat.STAF]
        assert staf.executors == 2
        f = staf.figures
        assert (f.steps_handled, f.on_time, f.late_finished, f.cases_completed, f.complaints_handled) == (1, 0, 1, 1, 1)
        assert f.median_late_days == approx(1080) and f.worst_late_days == approx(1080)
        kabag = roles[cat.KABAG].figures
        assert (kabag.steps_handled, kabag.steps_with_standard, kabag.on_time, kabag.late_finished) == (2, 2, 1, 1)
        assert roles[cat.KASUBBAG].figures.steps_handled == 2 and roles[cat.KASUBBAG].figures.steps_with_standard == 0
        ext = roles[EXTERNAL].figures
        assert (ext.steps_handled, ext.steps_with_standard, ext.on_time, ext.late_finished) == (2, 1, 1, 0)
        assert ext.worst_late_days is None  # 3.b: Fri 09:00 -> Tue 09:00 = 1020 min of its two weeks
        # The Bureau's roles and the drafting team add up to the Bureau.
        ours = [roles[r].figures for r in (cat.KABAG, cat.KASUBBAG, cat.STAF, cat.KARO, cat.TIM)]
        bureau = evaluation.bureau.figures
        for name in ("steps_handled", "steps_with_standard", "on_time", "late_finished", "open_overdue"):
            assert sum(getattr(x, name) for x in ours) == getattr(bureau, name), name


    def test_the_bureau_as_a_whole_matches_the_hand_count(self, evaluation):
        b = evaluation.bureau
        f = b.figures
        # judged: 1.a, 1.b, block 2.a, 4.a finished; C4's 1.a overdue. Late: 360, 1080 and 720 minutes.
        assert (f.steps_handled, f.steps_with_standard, f.on_time, f.late_finished, f.open_overdue) == (6, 4, 2, 2, 1)
        assert f.median_late_days == approx(720) and f.worst_late_days == approx(1080)
        assert (f.cases_completed, f.documents_completed) == (1, 3)
        assert (f.complaints_delegated, f.complaints_handled, f.complaints_resolved) == (2, 3, 2)
        # resolved from receipt: A1 1140 min, A3 5100 min
        assert f.median_resolution_days == approx((1140 + 5100) / 2) and f.worst_resolution_days == approx(5100)
        assert (b.complaints_received, b.complaints_open, b.complaints_within_standard) == (3, 1, 1)
        assert b.complaints_within_standard_share == 0.5
        assert (b.external_steps, b.external_with_standard, b.external_on_time) == (1, 1, 1)
        assert (b.cases_started, b.cases_active) == (3, 2)
        # C1: Mon 08:00 -> next Tue 09:00 = 480 + 4 x 510 + 510 + 90 = 3120 min, less the 60-minute hold
        assert b.median_case_days == approx(3060)
        params = cat.CaseParams(cat.INTERN, drafts=3, units=1)
        assert b.median_case_standard_days == pytest.approx(cat.planned_minutes(params, 510) / D)
        assert b.cases_within_plan == 1


    def test_the_previous_year_is_compared_where_it_has_data(self, evaluation):
        assert evaluation.previous_has_data
        prev = evaluation.executor("EX-B").previous
        assert (prev.steps_handled, prev.late_finished, prev.cases_completed, prev.documents_completed) == (1, 1, 1, 4)
        assert prev.median_late_days == approx(40)  # 1.b: 08:20 -> 09:30 = 70 min, 40 beyond its 30
        assert (prev.complaints_delegated, prev.complaints_resolved, prev.median_resolution_days) == (1, 1, 1.0)
        assert evaluation.executor("EX-1").previous == Figures()
        assert evaluation.previous_bureau.figures.steps_handled == 2
        months = {(m.year, m.month): (m.steps, m.on_time) for m in evaluation.months}
        assert months == {(2026, 3): (3, 1), (2026, 4): (1, 1), (2025, 5): (2, 1)}


    def test_stages_compare_standard_and_actual_time_less_holds(self, evaluation):
        stages = {s.stage: s for s in evaluation.stages}
        one = stages[1]
        assert (one.steps_finished, one.steps_on_time, one.cases) == (2, 1, 1)
        # C1 stage 1: Mon 08:00 -> 15:50 = 470 min, less the 60-minute hold; standard 30 + 30 minutes
        assert one.actual_days == approx(410) and one.median_actual_days == approx(410)
        assert one.standard_days == approx(60) and one.within_standard == 0
        # stage 2: three steps done, one judged item (block 2.a, late); the stage is unfinished
        assert (stages[2].steps_finished, stages[2].steps_with_standard, stages[2].steps_on_time,
                stages[2].cases) == (3, 1, 0, 0)
        assert stages[7].steps_finished == 1 and stages[7].steps_with_standard == 0


    def test_late_steps_are_listed_longest_first_with_who_was_responsible(self, evaluation):
        rows = [(s.step_code, s.who, round(s.late_days * D), s.open) for s in evaluation.late_steps]
        assert rows == [("2.a", "Đặng Thị Ngọc Ånström", 1080, False), ("1.a", "Dr. Ratna Wulandari", 720, True),
                        ("1.b", "Agus Prasetyo", 360, False)]
        assert evaluation.late_steps_total == 3
        assert evaluation.lateness_buckets == (("< 1", 1), ("1–3", 2), ("3–5", 0), ("5–10", 0), ("≥ 10", 0))
        assert [s.step_code for s in evaluation.executor("EX-1").late_steps] == ["2.a"]


    def test_complaints_of_the_year_are_listed_with_their_outcome(self, evaluation):
        out = {c.receipt_no: c for c in evaluation.complaints}
        assert list(out) == ["ADU-2026-0001", "ADU-2026-0002", "ADU-2026-0003"]
        a1 = out["ADU-2026-0001"]
        assert (a1.delegated_to, a1.outcome, a1.within_standard) == ("Agus Prasetyo", "Jadwal rapat sudah dikirim",
                                                                      True)
        assert a1.resolution_days == approx(1140)
        assert out["ADU-2026-0002"].resolved_at is None and out["ADU-2026-0002"].within_standard is None
        a3 = out["ADU-2026-0003"]
        assert (a3.delegated_to, a3.outcome, a3.within_standard) == (None, "Formulir diperbaiki", False)


    def test_a_year_without_records_has_no_data_and_no_previous_comparison(self, store):
        ev = evaluation_for_year(store, 2019, CAL, NOW)
        assert not ev.has_data and not ev.previous_has_data and ev.previous_bureau is None
        assert all(not e.figures.has_data for e in ev.executors)
        assert ev.late_steps == () and ev.complaints == ()


    def test_reading_for_a_year_reads_what_the_year_needs_and_never_a_password_hash(self, store):
        frames = year_frames(store, 2027)  # 2026 and 2027 (a store may leave out C3, all of 2025)
        assert set(frames["step_events"]["case_id"].astype(str)) >= {"C1", "C2", "C4"}
        assert "password_hash" not in frames["accounts"].columns
        assert available_years(evaluation_frames(store), NOW) == [2026, 2025]


    def test_the_karo_saves_conclusions_and_a_stale_second_save_is_refused_and_changes_nothing(self, store):
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
        assert [a["action"] for a in store.audit("evaluation_years", "2026")].count("evaluation.year") == 2
        assert evaluation_for_year(store, 2026, CAL, NOW).conclusions.follow_up == "Pelatihan."


    def test_saving_unchanged_conclusions_makes_no_new_version_and_no_audit_line(self, store):
        karo = ACTORS["karo"]
        assert save_conclusions(store, karo, 2026, "  ", "", expected_version=0).version == 0  # nothing to save
        assert store.get("evaluation_years", "2026") is None
        save_conclusions(store, karo, 2026, "Kinerja baik.", "Pelatihan staf.", expected_version=0)
        again = save_conclusions(store, karo, 2026, "Kinerja baik. ", " Pelatihan staf.", expected_version=1)
        assert (again.text, again.version) == ("Kinerja baik.", 1)
        assert store.get("evaluation_years", "2026")["version"] == 1
        assert [a["action"] for a in store.audit("evaluation_years", "2026")].count("evaluation.year") == 1

    def test_only_the_karo_may_write_conclusions_and_bad_input_names_the_field(self, store):
        with pytest.raises(PermissionDenied):
            save_conclusions(store, ACTORS["kabag"], 2026, "x", "", expected_version=0)
        with pytest.raises(ValidationError) as exc:
            save_conclusions(store, ACTORS["karo"], 2026, "x" * 9000, "", expected_version=0)
        assert exc.value.field == "conclusions" and "Kesimpulan" in exc.value.message
        with pytest.raises(ValidationError) as exc:
            save_conclusions(store, ACTORS["karo"], "dua ribu", "x", "", expected_version=0)
        assert exc.value.field == "year"
        assert store.get("evaluation_years", "2026") is None



    def test_an_empty_store_evaluates_without_error(self, repo):
        ev = evaluation_for_year(repo, 2026, CAL, NOW)
        assert not ev.has_data and ev.executors == () and ev.karo is None

    # ---- the Karo's records of a year ------------------------------------------------------------------

    def test_targets_and_who_acknowledges_are_saved_with_a_version_check_and_rate_every_executor(self, store):
        first = save_targets(store, karo(), 2026, "80", "1,0", expected_version=0)
        assert (first.targets.on_time_pct, first.targets.late_days, first.version) == (80.0, 1.0, 1)
        with pytest.raises(StaleWriteError):
            save_targets(store, karo(), 2026, 90, 1, expected_version=0)
        second = save_acknowledger(store, karo(), 2026, "Deputi Bidang Administrasi Aparatur", "Dr. Bambang",
                                   "196801011990031001", expected_version=1)
        assert second.acknowledger.name == "Dr. Bambang" and second.version == 2
        ev = evaluation_for_year(store, 2026, CAL, NOW)
        assert ev.conclusions.acknowledger.title == "Deputi Bidang Administrasi Aparatur"
        # EX-2: 1 of 1 on time, nothing late; EX-1: 0 of 1, 2,1 days late; EX-B: 0 of 1 on time but only
        # 0,7 days late; EX-S: nothing judged.
        rating = {e.executor.id: e.rating for e in ev.evaluated_executors}
        assert (rating["EX-2"].verdict, rating["EX-2"].rank, rating["EX-2"].ranked) == (MET, 1, 2)
        assert (rating["EX-1"].verdict, rating["EX-1"].rank, rating["EX-1"].on_time_met,
                rating["EX-1"].lateness_met) == (NOT_MET, 2, False, False)
        assert (rating["EX-B"].verdict, rating["EX-B"].rank, rating["EX-B"].ranked) == (PARTLY_MET, 1, 1)
        assert rating["EX-S"].verdict == NOT_RATED and rating["EX-S"].rank is None

    def test_bad_targets_name_their_field_and_change_nothing(self, store):
        for value, late, field in (("delapan puluh", 1, "on_time_target"), (120, 1, "on_time_target"),
                                   (80, -1, "late_days_target")):
            with pytest.raises(ValidationError) as exc:
                save_targets(store, karo(), 2026, value, late, expected_version=0)
            assert exc.value.field == field
        with pytest.raises(ValidationError) as exc:
            save_acknowledger(store, karo(), 2026, "", "Dr. Bambang", "", expected_version=0)
        assert exc.value.field == "acknowledger_title"
        with pytest.raises(PermissionDenied):
            save_targets(store, ACTORS["kabag"], 2026, 80, 1, expected_version=0)
        assert store.get("evaluation_years", "2026") is None

    def test_a_year_is_concluded_once_ended_written_and_targeted_and_then_carries_a_number(self, store):
        with pytest.raises(ValidationError) as exc:  # 2026 is still running on 30 June 2026
            conclude_year(store, karo(), 2026, expected_version=0, now=NOW)
        assert exc.value.field == "year" and "2026" in exc.value.message
        with pytest.raises(ValidationError) as exc:
            conclude_year(store, karo(), 2025, expected_version=0, now=NOW)
        assert exc.value.field == "conclusions"
        save_conclusions(store, karo(), 2025, "Kinerja 2025 baik.", "Pelatihan.", expected_version=0)
        with pytest.raises(ValidationError) as exc:
            conclude_year(store, karo(), 2025, expected_version=1, now=NOW)
        assert exc.value.field == "on_time_target"
        save_targets(store, karo(), 2025, 80, 1, expected_version=1)
        with pytest.raises(StaleWriteError):
            conclude_year(store, karo(), 2025, expected_version=1, now=NOW)
        done = conclude_year(store, karo(), 2025, expected_version=2, now=NOW)
        c = done.concluded
        assert done.final and c.document_no == "EKP-2025-001" and c.concluded_by == "karo"
        assert c.concluded_at == NOW and (c.signer.name, c.signer.nip) == ("Dr. Ratna Wulandari", "197001012000032001")
        assert any(a["action"] == "evaluation.concluded" and a["new"] == "EKP-2025-001" or
                   a["action"] == "evaluation.concluded" for a in store.audit("evaluation_years", "2025"))
        ev = evaluation_for_year(store, 2025, CAL, NOW)
        assert ev.final and not ev.provisional and ev.conclusions.concluded.document_no == "EKP-2025-001"
        assert evaluation_for_year(store, 2026, CAL, NOW).provisional

    def test_a_concluded_year_takes_no_change_until_reopened_and_is_concluded_again_under_a_new_number(self, store):
        save_conclusions(store, karo(), 2025, "Baik.", "", expected_version=0)
        save_targets(store, karo(), 2025, 80, 1, expected_version=1)
        conclude_year(store, karo(), 2025, expected_version=2, now=NOW)
        for attempt in (lambda: save_conclusions(store, karo(), 2025, "Ubah", "", expected_version=3),
                        lambda: save_targets(store, karo(), 2025, 50, 2, expected_version=3),
                        lambda: save_note(store, karo(), 2025, "EX-1", note="x", expected_version=0),
                        lambda: record_sanction(store, karo(), "EX-1", "teguran_lisan", "2025-05-05", "Terlambat", "",
                                                now=NOW)):
            with pytest.raises(ValidationError) as exc:
                attempt()
            assert "EKP-2025-001" in exc.value.message
        with pytest.raises(ValidationError) as exc:
            reopen_year(store, karo(), 2025, "  ", expected_version=3, now=NOW)
        assert exc.value.field == "reopen_reason"
        reopened = reopen_year(store, karo(), 2025, "Angka Januari dikoreksi", expected_version=3, now=NOW)
        assert not reopened.final
        first = store.list("evaluation_conclusions", {"year": 2025})[0]
        assert (first["document_no"], first["reopened_by"], first["reopen_reason"]) == (
            "EKP-2025-001", "karo", "Angka Januari dikoreksi")
        save_conclusions(store, karo(), 2025, "Baik, dikoreksi.", "", expected_version=reopened.version)
        again = conclude_year(store, karo(), 2025, expected_version=reopened.version + 1, now=NOW)
        assert again.concluded.document_no == "EKP-2025-002"
        assert len(store.list("evaluation_conclusions", {"year": 2025})) == 2

    def test_notes_on_an_executor_are_version_checked_and_last_year_s_recommendation_is_followed_up(self, store):
        note = save_note(store, karo(), 2025, "EX-1", competence={"a": "memadai", "c": "perlu_ditingkatkan"},
                         competence_note="Perlu pelatihan analisis SOP.", note="Teliti.",
                         recommendation="Ikut pelatihan penyusunan SOP.", expected_version=0)
        assert note.version == 1 and note.competence == {"a": "memadai", "c": "perlu_ditingkatkan"}
        with pytest.raises(StaleWriteError):
            save_note(store, karo(), 2025, "EX-1", note="Menimpa", expected_version=0)
        save_note(store, karo(), 2026, "EX-1", note="Lebih cepat.", recommendation="Pertahankan.",
                  follow_up="Sudah ikut pelatihan Maret 2026.", expected_version=0)
        with pytest.raises(ValidationError) as exc:
            save_note(store, karo(), 2026, "EX-1", competence={"z": "memadai"}, expected_version=1)
        assert exc.value.field == "competence"
        with pytest.raises(ValidationError) as exc:  # the Karo is the responsible official, not an executor
            save_note(store, karo(), 2026, "EX-K", note="x", expected_version=0)
        assert exc.value.field == "executor_id"
        me = evaluation_for_year(store, 2026, CAL, NOW).executor("EX-1")
        assert me.note.note == "Lebih cepat." and me.note.follow_up == "Sudah ikut pelatihan Maret 2026."
        assert me.previous_recommendation == "Ikut pelatihan penyusunan SOP."
        assert read_note(store, 2025, "EX-1").competence_note == "Perlu pelatihan analisis SOP."

    def test_sanctions_are_recorded_by_date_listed_in_their_year_and_withdrawn_with_a_reason(self, store):
        given = record_sanction(store, karo(), "EX-1", "teguran_tertulis", "2026-04-01", "Terlambat berulang",
                                "B-12/OTAK/04/2026", now=NOW)
        record_sanction(store, karo(), "EX-1", "teguran_lisan", "2025-12-01", "Terlambat", "", now=NOW)
        for kind, day, reason, field in (("hukuman", "2026-04-01", "x", "kind"), ("sanksi", "2026-07-01", "x",
                                                                                 "decided_on"),
                                         ("sanksi", "bukan tanggal", "x", "decided_on"),
                                         ("sanksi", "2026-04-01", " ", "reason")):
            with pytest.raises(ValidationError) as exc:
                record_sanction(store, karo(), "EX-1", kind, day, reason, "", now=NOW)
            assert exc.value.field == field
        me = evaluation_for_year(store, 2026, CAL, NOW).executor("EX-1")
        assert [(s.kind, s.reference) for s in me.sanctions] == [("teguran_tertulis", "B-12/OTAK/04/2026")]
        withdrawn = withdraw_sanction(store, karo(), given.id, "Salah orang", expected_version=given.version)
        assert withdrawn.withdrawn and withdrawn.withdraw_reason == "Salah orang"
        with pytest.raises(StaleWriteError):
            withdraw_sanction(store, ACTORS["karo"], given.id, "Lagi", expected_version=given.version)
        assert evaluation_for_year(store, 2026, CAL, NOW).executor("EX-1").sanctions[0].withdrawn

    def test_conclusions_kept_the_earlier_way_are_read_and_carried_into_the_year_record(self, store):
        store.apply([Insert("settings", {"id": "evaluation_conclusions_2026", "value": json.dumps(
            {"conclusions": "Ditulis dahulu.", "follow_up": "Tindak lanjut dahulu."})})], actor="fixture")
        assert evaluation_for_year(store, 2026, CAL, NOW).conclusions.text == "Ditulis dahulu."
        saved = save_targets(store, karo(), 2026, 75, 2, expected_version=0)
        assert (saved.text, saved.follow_up, saved.version) == ("Ditulis dahulu.", "Tindak lanjut dahulu.", 1)

    # ---- every table adds up ------------------------------------------------------------------------

    def test_every_table_adds_up_to_its_total(self, evaluation):
        ev = evaluation
        ours = [r.figures for r in ev.roles if r.role != EXTERNAL]
        for name in ("steps_handled", "steps_with_standard", "on_time", "late_finished", "open_overdue"):
            assert sum(getattr(f, name) for f in ours) == getattr(ev.bureau.figures, name), name
        assert sum(f.late_days_total for f in ours) == pytest.approx(ev.bureau.figures.late_days_total)
        assert sum(d.judged for d in ev.delays_by_party) == ev.external.judged
        assert sum(d.late for d in ev.delays_by_party) == ev.external.late_steps
        units = [d for d in ev.delays_by_party if d.name in ("Unit kerja", "Pimpinan unit kerja")]
        assert sum(d.judged for d in ev.delays_by_unit) == sum(d.judged for d in units)
        for e in ev.evaluated_executors:
            f = e.figures
            assert (sum(c.steps_handled for c in e.cases), sum(c.judged for c in e.cases),
                    sum(c.late for c in e.cases)) == (f.steps_handled, f.judged, f.late_steps), e.executor.id
            assert sum(c.late_days for c in e.cases) == pytest.approx(f.late_days_total)
        assert sum(sum(r.cases) for r in ev.output) == ev.bureau.figures.cases_completed
        assert sum(sum(r.documents) for r in ev.output) == ev.bureau.figures.documents_completed

    def test_the_world_s_cases_delays_and_output_are_the_hand_count(self, evaluation):
        ev = evaluation
        d = 1080 / D
        assert ev.executor("EX-1").cases == (CaseLine("K-2026-0001", "SOP Persuratan", False, True, 2, 1, 1, d),)
        assert ev.executor("EX-2").cases == (CaseLine("K-2026-0002", "SP Arsip", False, False, 1, 1, 0, 0.0),)
        assert [c.case_number for c in ev.executor("EX-K").cases] == ["K-2026-0003", "K-2026-0001"]
        assert (ev.executor("EX-S").pic_completed, ev.executor("EX-1").pic_active) == (1, 2)
        assert ev.delays_by_party == (DelayGroup("Unit kerja", 1, 0, 0.0, None, None),)
        assert ev.delays_by_unit == (DelayGroup("Biro Umum", 1, 0, 0.0, None, None),)
        assert ev.output_kinds == OUTPUT_KINDS
        assert ev.output == (OutputRow("permen", (0, 0, 0), (0, 0, 0)), OutputRow("intern", (0, 1, 0), (0, 3, 0)))
        stage7 = {s.stage: s for s in ev.stages}[7]  # the Minister's signature: untimed, shown on its own
        assert (stage7.standard_days, stage7.actual_days, stage7.untimed_days, stage7.cases) == (None, None, 1.0, 1)
