"""The case tracker's rules on a store, written once and run on every backend: step order,
skipping, reopening, back-dating, holds, whose clock runs, lateness, stale saves, the list and the
audit trail."""
from __future__ import annotations

import datetime as dt

import pytest

from domain import catalogue as cat
from domain import tracker as trk
from domain.calendar import JAKARTA
from domain.errors import PermissionDenied, StaleWriteError, ValidationError
from domain.models import ACTIVE, CANCELLED, DONE, FINISHED, ON_HOLD, RUNNING, SKIPPED
from tests.apptest_helpers import ACTORS
from tests.clock import TEST_NOW
from tests.tracker_world import CAL, MONDAY, finish_all, finish_current, open_at, populated, record_outputs, view

STAF = ACTORS["staf1"]
HOUR = dt.timedelta(hours=1)


class TrackerContract:
    """A backend's test class inherits this and provides the ``repo`` fixture: an empty,
    initialised repository of that backend. The tests fill it with the small world of
    ``tests/tracker_world.py``."""

    @pytest.fixture
    def world(self, repo):
        with populated(repo) as store:
            yield store

    def test_a_new_case_starts_at_step_1a_with_its_clock_running(self, world):
        case = open_at(world)
        v = view(world, case["id"])
        assert case["status"] == ACTIVE and case["current_step"] == "1.a"
        assert case["number"].startswith("K-2026-")
        ev = v.events["1.a"]
        assert ev["status"] == RUNNING and ev["started_at"] == MONDAY
        assert ev["due_at"] == CAL.add(MONDAY, 30)  # 30 minutes of working time
        actions = [e["action"] for e in world.audit("cases", case["id"])]
        assert "create" in actions and "case.open" in actions


    def test_a_case_needs_a_title_and_a_unit_and_says_which_field_is_wrong(self, world):
        with pytest.raises(ValidationError) as no_title:
            open_at(world, title="  ")
        assert no_title.value.field == "title" and "Judul" in no_title.value.message
        with pytest.raises(ValidationError) as no_unit:
            open_at(world, unit_ids=[])
        assert no_unit.value.field == "unit_ids" and "Unit kerja" in no_unit.value.message
        with pytest.raises(ValidationError) as future:
            open_at(world, start=TEST_NOW + dt.timedelta(days=3))
        assert "masa depan" in future.value.message
        assert world.count("cases") == 0


    def test_only_bureau_roles_open_cases_and_move_steps(self, world):
        with pytest.raises(PermissionDenied):
            open_at(world, actor="unit1")
        case = open_at(world)
        v = view(world, case["id"])
        with pytest.raises(PermissionDenied):
            trk.finish_step(world, ACTORS["pimpinan"], CAL, case["id"], "1.a", expected_version=v.version,
                            at=MONDAY + HOUR)
        assert view(world, case["id"]).events["1.a"]["status"] == RUNNING


    # ---- order -------------------------------------------------------------------------------------

    def test_finishing_the_current_step_starts_the_next_at_the_same_instant(self, world):
        case = open_at(world)
        at = MONDAY + HOUR
        v = finish_current(world, case["id"], at)
        assert v.events["1.a"]["status"] == DONE and v.events["1.a"]["finished_at"] == at
        assert v.events["1.a"]["actor_id"] == "EX-STAF1"
        nxt = v.events["1.b"]
        assert nxt["status"] == RUNNING and nxt["started_at"] == at
        assert nxt["due_at"] == CAL.add(at, v.plan.sla["1.b"])
        assert v.case["current_step"] == "1.b"


    def test_a_step_that_is_not_the_current_one_cannot_be_recorded_or_started(self, world):
        case = open_at(world)
        v = view(world, case["id"])
        with pytest.raises(ValidationError) as later:
            trk.record_done_earlier(world, STAF, CAL, case["id"], "2.a.1", expected_version=v.version,
                                    finished_at=MONDAY + HOUR, reason="sudah")
        assert "hanya langkah saat ini (1.a)" in later.value.message
        with pytest.raises(ValidationError) as not_started:
            trk.finish_step(world, STAF, CAL, case["id"], "1.b", expected_version=v.version, at=MONDAY + HOUR)
        assert "1.b belum dimulai" in not_started.value.message
        with pytest.raises(ValidationError) as running:
            trk.start_step(world, STAF, CAL, case["id"], "1.a", expected_version=v.version, at=MONDAY + HOUR)
        assert "sudah berjalan" in running.value.message
        with pytest.raises(ValidationError) as foreign:
            trk.finish_step(world, STAF, CAL, case["id"], "5.b.1", expected_version=v.version, at=MONDAY + HOUR)
        assert "tidak termasuk" in foreign.value.message  # an intern case has no draft regulation
        assert view(world, case["id"]).version == v.version


    def test_a_current_step_without_a_clock_is_started_with_a_due_instant_in_working_time(self, world):
        # A case brought over without its step events (as the demo data or a restored copy can hold):
        # its current step 1.a has no clock yet.
        record, writes = trk.case_writes(world, STAF, CAL, trk.NewCase(
            title="SOP Tanpa Jam", unit_ids=["UNIT-SETMEN-1"], track="intern", pic_id="EX-STAF1", started_at=MONDAY),
            at=MONDAY)
        world.apply([w for w in writes if getattr(w, "table", None) != "step_events"], actor=STAF.audit_name)
        case_id = record["id"]
        v = view(world, case_id)
        assert v.events == {} and v.current_code() == "1.a"
        read = v.version
        friday = dt.datetime(2026, 3, 6, 15, 45, tzinfo=JAKARTA)  # 15 working minutes before closing time
        with pytest.raises(ValidationError) as not_current:
            trk.start_step(world, STAF, CAL, case_id, "1.b", expected_version=read, at=friday)
        assert "hanya langkah saat ini (1.a)" in not_current.value.message
        assert view(world, case_id).events == {}

        kasubbag = ACTORS["kasubbag"]
        trk.start_step(world, kasubbag, CAL, case_id, "1.a", expected_version=read, at=friday)
        v = view(world, case_id)
        ev = v.events["1.a"]
        std = cat.STEP_BY_CODE["1.a"].std.minutes(v.params, CAL.minutes_per_day)
        assert std == v.plan.sla["1.a"] == 30
        assert ev["status"] == RUNNING and ev["started_at"] == friday
        assert ev["due_at"] == CAL.add(friday, std)
        assert ev["due_at"] == dt.datetime(2026, 3, 9, 7, 45, tzinfo=JAKARTA)  # over the weekend, into Monday
        assert ev["actor_id"] == "EX-KASUBBAG" and not ev["backdated"]
        assert v.version == read + 1
        assert v.case["status"] == ACTIVE and v.case["current_step"] == "1.a"
        starts = [e for e in world.audit("cases", case_id) if e["action"] == "step.start"]
        assert [(e["actor"], e["new"]) for e in starts] == [("kasubbag", "Langkah 1.a dimulai 6 Maret 2026 15.45 WIB")]
        assert any(e["action"] == "create" for e in trk.step_history(world, f"{case_id}-1.a"))
        # A second start from a page read before is refused, naming who started it; nothing changes.
        with pytest.raises(StaleWriteError) as stale:
            trk.start_step(world, STAF, CAL, case_id, "1.a", expected_version=read, at=friday + HOUR)
        assert stale.value.saved_by == "kasubbag"
        after = view(world, case_id)
        assert after.version == v.version and after.events["1.a"]["started_at"] == friday


    def test_a_step_cannot_finish_before_it_started(self, world):
        case = open_at(world)
        v = view(world, case["id"])
        with pytest.raises(ValidationError) as early:
            trk.finish_step(world, STAF, CAL, case["id"], "1.a", expected_version=v.version, at=MONDAY - HOUR)
        assert "sebelum langkah dimulai" in early.value.message


    def test_finishing_every_step_finishes_the_case(self, world):
        case = open_at(world, track="intern")
        v, at = finish_all(world, case["id"], MONDAY, dt.timedelta(minutes=40))
        assert v.case["status"] == FINISHED and v.case["finished_at"] == at and v.case["current_step"] is None
        assert all(e["status"] == DONE for e in v.events.values())
        assert len(v.events) == len(cat.steps_for(v.params))


    def test_a_case_whose_output_is_not_recorded_is_refused_its_last_step_with_what_is_missing(self, world):
        case = open_at(world, track="intern", drafts=2)
        at = MONDAY
        v = view(world, case["id"])
        while len([s for s in v.steps if v.status_of(s.code) not in trk.CLOSED_STEP]) > 1:
            at += dt.timedelta(minutes=40)
            v = finish_current(world, case["id"], at)
        last = v.current_code()
        assert last == "9.d"
        at += dt.timedelta(minutes=40)
        with pytest.raises(ValidationError) as none:
            trk.finish_step(world, STAF, CAL, case["id"], last, expected_version=v.version, at=at)
        assert none.value.field == "outputs"
        assert "keluaran belum tercatat lengkap" in none.value.message
        assert "dicatat 0 dari 2 dokumen" in none.value.message
        with pytest.raises(ValidationError) as skipped:
            trk.skip_step(world, STAF, CAL, case["id"], last, expected_version=v.version, reason="tidak perlu",
                          at=at)
        assert skipped.value.field == "outputs"
        record_outputs(world, case["id"], at)
        doc = world.list("outputs", {"case_id": case["id"]})[0]
        world.apply([trk.Update("outputs", doc["id"], {"archive_ref": None, "attachment_id": None},
                                expected_version=doc["version"])], actor="uji")  # a record left incomplete
        v = view(world, case["id"])
        with pytest.raises(ValidationError) as partial:
            trk.finish_step(world, STAF, CAL, case["id"], last, expected_version=v.version, at=at)
        assert f'"{doc["title"]}" tanpa Nomor arsip, PDF bertanda tangan' in partial.value.message
        v = view(world, case["id"])
        assert v.case["status"] == ACTIVE and v.events[last]["status"] == RUNNING  # nothing changed
        world.apply([trk.Update("outputs", doc["id"], {"archive_ref": "ARS-1", "attachment_id": "ATT-x"},
                                expected_version=doc["version"] + 1)], actor="uji")
        trk.finish_step(world, STAF, CAL, case["id"], last, expected_version=v.version, at=at)
        assert view(world, case["id"]).case["status"] == FINISHED


    # ---- skip --------------------------------------------------------------------------------------

    def test_skipping_needs_a_reason_and_moves_the_clock_to_the_next_step(self, world):
        case = open_at(world)
        v = view(world, case["id"])
        with pytest.raises(ValidationError) as no_reason:
            trk.skip_step(world, STAF, CAL, case["id"], "1.a", expected_version=v.version, reason=" ", at=MONDAY + HOUR)
        assert no_reason.value.field == "reason" and "Alasan" in no_reason.value.message
        trk.skip_step(world, STAF, CAL, case["id"], "1.a", expected_version=v.version, reason="Arahan lisan",
                      at=MONDAY + HOUR)
        v = view(world, case["id"])
        assert v.events["1.a"]["status"] == SKIPPED and v.events["1.a"]["reason"] == "Arahan lisan"
        assert v.events["1.b"]["status"] == RUNNING and v.current_code() == "1.b"


    def test_a_later_step_can_be_skipped_ahead_without_moving_the_current_one(self, world):
        case = open_at(world, track="permen")
        v = view(world, case["id"])
        trk.skip_step(world, STAF, CAL, case["id"], "9.b", expected_version=v.version, reason="Dicetak unit",
                      at=MONDAY + HOUR)
        v = view(world, case["id"])
        assert v.events["9.b"]["status"] == SKIPPED and v.current_code() == "1.a"
        with pytest.raises(ValidationError):
            trk.skip_step(world, STAF, CAL, case["id"], "9.b", expected_version=v.version, reason="lagi",
                          at=MONDAY + HOUR)


    # ---- reopen ------------------------------------------------------------------------------------

    def test_reopening_a_done_step_makes_it_run_again_and_current(self, world):
        case = open_at(world)
        finish_current(world, case["id"], MONDAY + HOUR)
        v = finish_current(world, case["id"], MONDAY + 2 * HOUR)
        assert v.current_code() == "2.a.1"
        at = MONDAY + 3 * HOUR
        with pytest.raises(ValidationError):
            trk.reopen_step(world, STAF, CAL, case["id"], "1.b", expected_version=v.version, reason="", at=at)
        trk.reopen_step(world, STAF, CAL, case["id"], "1.b", expected_version=v.version, reason="Konsep Tim diubah",
                        at=at)
        v = view(world, case["id"])
        ev = v.events["1.b"]
        assert ev["status"] == RUNNING and ev["started_at"] == at and ev["finished_at"] is None
        assert ev["due_at"] == CAL.add(at, v.plan.sla["1.b"])
        assert v.current_code() == "1.b" and v.case["current_step"] == "1.b"
        assert v.events["2.a.1"]["status"] == RUNNING  # the work that had moved on keeps running
        with pytest.raises(ValidationError) as running:
            trk.reopen_step(world, STAF, CAL, case["id"], "2.a.1", expected_version=v.version, reason="x", at=at)
        assert "belum selesai" in running.value.message


    def test_reopening_a_step_of_a_finished_case_makes_it_active_again(self, world):
        case = open_at(world, track="intern")
        v, at = finish_all(world, case["id"], MONDAY, dt.timedelta(minutes=40))
        trk.reopen_step(world, STAF, CAL, case["id"], "9.d", expected_version=v.version, reason="Unggah ulang",
                        at=at + HOUR)
        v = view(world, case["id"])
        assert v.case["status"] == ACTIVE and v.case["finished_at"] is None and v.current_code() == "9.d"


    # ---- back-dating -------------------------------------------------------------------------------

    def test_a_step_done_earlier_is_recorded_back_dated_with_its_reason(self, world):
        case = open_at(world)
        v = view(world, case["id"])
        done = MONDAY + 2 * HOUR
        trk.record_done_earlier(world, STAF, CAL, case["id"], "1.a", expected_version=v.version,
                                finished_at=done, reason="Arahan diberikan dalam rapat", doc_link="ND-12/2026")
        v = view(world, case["id"])
        ev = v.events["1.a"]
        assert ev["status"] == DONE and ev["backdated"] and ev["finished_at"] == done
        assert ev["reason"] == "Arahan diberikan dalam rapat" and ev["doc_link"] == "ND-12/2026"
        assert v.events["1.b"]["started_at"] == done  # the next step's clock starts when this one ended


    def test_back_dating_into_the_future_or_before_the_previous_step_is_refused(self, world):
        case = open_at(world)
        v = finish_current(world, case["id"], MONDAY + 2 * HOUR)
        with pytest.raises(ValidationError) as future:
            trk.record_done_earlier(world, STAF, CAL, case["id"], "1.b", expected_version=v.version,
                                    finished_at=TEST_NOW + dt.timedelta(days=1), reason="x")
        assert future.value.field == "finished_at" and "masa depan" in future.value.message
        with pytest.raises(ValidationError) as before:
            trk.record_done_earlier(world, STAF, CAL, case["id"], "1.b", expected_version=v.version,
                                    started_at=MONDAY + HOUR, finished_at=MONDAY + 3 * HOUR, reason="x")
        assert before.value.field == "started_at" and "sebelum langkah sebelumnya selesai" in before.value.message
        with pytest.raises(ValidationError) as backwards:
            trk.record_done_earlier(world, STAF, CAL, case["id"], "1.b", expected_version=v.version,
                                    started_at=MONDAY + 5 * HOUR, finished_at=MONDAY + 4 * HOUR, reason="x")
        assert "sebelum langkah dimulai" in backwards.value.message
        with pytest.raises(ValidationError) as no_reason:
            trk.record_done_earlier(world, STAF, CAL, case["id"], "1.b", expected_version=v.version,
                                    finished_at=MONDAY + 4 * HOUR, reason="")
        assert no_reason.value.field == "reason"
        assert view(world, case["id"]).events["1.b"]["status"] == RUNNING


    def test_back_dating_the_first_step_moves_the_case_start_back(self, world):
        case = open_at(world)
        earlier = MONDAY - dt.timedelta(days=7)
        v = view(world, case["id"])
        trk.record_done_earlier(world, STAF, CAL, case["id"], "1.a", expected_version=v.version, started_at=earlier,
                                finished_at=earlier + HOUR, reason="Kasus dimulai sebelum aplikasi dipakai")
        v = view(world, case["id"])
        assert v.case["started_at"] == earlier


    # ---- holds and whose clock is running -----------------------------------------------------------

    def test_a_hold_pauses_the_case_and_resuming_moves_running_due_dates_by_the_held_working_time(self, world):
        case = open_at(world)
        v = view(world, case["id"])
        due_before = v.events["1.a"]["due_at"]
        with pytest.raises(PermissionDenied):
            trk.hold_case(world, STAF, CAL, case["id"], expected_version=v.version, reason="x", at=MONDAY + HOUR)
        kabag = ACTORS["kabag"]
        with pytest.raises(ValidationError) as no_reason:
            trk.hold_case(world, kabag, CAL, case["id"], expected_version=v.version, reason="", at=MONDAY + HOUR)
        assert no_reason.value.field == "reason"
        held_at = MONDAY + dt.timedelta(minutes=10)
        trk.hold_case(world, kabag, CAL, case["id"], expected_version=v.version,
                      reason="Pimpinan meminta menunggu reorganisasi", at=held_at)
        v = view(world, case["id"])
        assert v.case["status"] == ON_HOLD and v.case["hold_reason"].startswith("Pimpinan")
        with pytest.raises(ValidationError) as moving:
            trk.finish_step(world, STAF, CAL, case["id"], "1.a", expected_version=v.version, at=held_at + HOUR)
        assert "ditunda" in moving.value.message
        # Shown as paused: during the hold the step is not late, and its shown due moves with the hold.
        three_days_later = held_at + dt.timedelta(days=3)
        rows = trk.checklist(v, CAL, three_days_later)
        assert not rows[0].late and rows[0].due_at > due_before
        resume_at = dt.datetime(2026, 3, 5, 9, 0, tzinfo=JAKARTA)  # Thursday
        trk.resume_case(world, kabag, CAL, case["id"], expected_version=v.version, at=resume_at)
        v = view(world, case["id"])
        held = CAL.working_minutes(held_at, resume_at)
        assert v.case["status"] == ACTIVE and v.case["hold_since"] is None
        assert v.events["1.a"]["due_at"] == CAL.add(due_before, held)
        assert v.holds[0]["end_at"] == resume_at and v.holds[0]["reason"].startswith("Pimpinan")


    def test_lateness_of_an_external_step_counts_against_that_party_not_the_executors(self, world):
        case = open_at(world)
        at = MONDAY
        v = view(world, case["id"])
        while v.current_code() != "2.b.1.g":
            at += dt.timedelta(minutes=20)
            v = finish_current(world, case["id"], at)
        rows = {r.code: r for r in trk.checklist(v, CAL, at + dt.timedelta(days=30))}
        late = rows["2.b.1.g"]
        assert late.late and late.late_days > 10
        assert late.responsible == cat.UNIT_HEAD and late.external
        header = trk.case_header(v, list(rows.values()), CAL, at + dt.timedelta(days=30))
        assert header.clock_with == cat.UNIT_HEAD and header.clock_external and header.late
        summary = trk.load_summary(world, CAL, at + dt.timedelta(days=30))
        assert summary.iloc[0]["clock_with"] == cat.UNIT_HEAD and bool(summary.iloc[0]["late"])


    def test_steps_without_a_standard_time_are_never_late(self, world):
        case = open_at(world, track="permen")
        at = MONDAY
        v = view(world, case["id"])
        while v.current_code() != "7":
            at += dt.timedelta(minutes=20)
            v = finish_current(world, case["id"], at)
        assert v.events["7"]["due_at"] is None
        row = next(r for r in trk.checklist(v, CAL, at + dt.timedelta(days=200)) if r.code == "7")
        assert row.status == RUNNING and not row.late


    # ---- no lost update ----------------------------------------------------------------------------

    def test_a_stale_save_is_refused_naming_who_saved_first_and_changes_nothing(self, world):
        case = open_at(world)
        read = view(world, case["id"]).version  # both people opened the case at this version
        trk.edit_case(world, ACTORS["kasubbag"], case["id"], expected_version=read, changes={"pic_id": "EX-STAF2"})
        with pytest.raises(StaleWriteError) as stale:
            trk.edit_case(world, STAF, case["id"], expected_version=read, changes={"pic_id": "EX-STAF1", "notes": "x"})
        assert stale.value.saved_by == "kasubbag"
        assert stale.value.changed == {"PIC (penanggung jawab)": "Staf Dua"}
        after = world.get("cases", case["id"])
        assert after["pic_id"] == "EX-STAF2" and after["notes"] is None


    def test_a_step_finished_in_another_browser_refuses_the_second_finish(self, world):
        case = open_at(world)
        read = view(world, case["id"]).version
        trk.finish_step(world, ACTORS["kasubbag"], CAL, case["id"], "1.a", expected_version=read, at=MONDAY + HOUR)
        with pytest.raises(StaleWriteError) as stale:
            trk.finish_step(world, STAF, CAL, case["id"], "1.a", expected_version=read, at=MONDAY + 2 * HOUR)
        assert stale.value.saved_by == "kasubbag"
        assert any("1.a selesai" in str(v) for v in stale.value.changed.values())
        ev = view(world, case["id"]).events["1.a"]
        assert ev["finished_at"] == MONDAY + HOUR  # the first finish stands


    # ---- editing -----------------------------------------------------------------------------------

    def test_editing_a_case_checks_each_field_and_refuses_holds_by_status(self, world):
        case = open_at(world)
        v = view(world, case["id"])
        for changes, field, text in [
            ({"status": ON_HOLD}, "status", "Tunda/Lanjutkan"),
            ({"status": FINISHED}, "status", "selesai dengan sendirinya"),
            ({"status": "macet"}, "status", "pilih salah satu"),
            ({"pic_id": "EX-NOBODY"}, "pic_id", "PIC"),
            ({"target_date": dt.date(2025, 1, 1)}, "target_date", "sebelum kasus dimulai"),
            ({"notes": "x" * 3000}, "notes", "paling banyak"),
            ({"current_step": "9.d"}, "current_step", "tidak dapat diubah"),
        ]:
            with pytest.raises(ValidationError) as bad:
                trk.edit_case(world, STAF, case["id"], expected_version=v.version, changes=changes)
            assert bad.value.field == field and text in bad.value.message, changes
        saved = trk.edit_case(world, STAF, case["id"], expected_version=v.version,
                              changes={"status": CANCELLED, "target_date": dt.date(2026, 6, 30), "notes": "=SUM(A1)"})
        assert saved["status"] == CANCELLED and saved["target_date"] == dt.date(2026, 6, 30)
        assert saved["notes"] == "=SUM(A1)"  # stored verbatim; neutralised only in exports
        assert trk.edit_case(world, STAF, case["id"], expected_version=saved["version"],
                             changes={"status": CANCELLED}) is None


    def test_bulk_edit_reports_per_row_what_was_saved_and_what_was_refused_and_why(self, world):
        a, b, c = open_at(world), open_at(world, title="SOP B"), open_at(world, title="SOP C")
        trk.edit_case(world, ACTORS["kabag"], b["id"], expected_version=b["version"], changes={"notes": "dulu"})
        rows = [trk.BulkRow(a["id"], a["version"], {"pic_id": "EX-STAF2", "target_date": dt.date(2026, 12, 31)}),
                trk.BulkRow(b["id"], b["version"], {"notes": "nanti"}),
                trk.BulkRow(c["id"], c["version"], {"status": ON_HOLD})]
        results = trk.bulk_edit(world, STAF, rows)
        assert [r.saved for r in results] == [True, False, False]
        assert set(results[0].changed) == {"pic_id", "target_date"}
        assert isinstance(results[1].error, StaleWriteError) and results[1].error.saved_by == "kabag"
        assert isinstance(results[2].error, ValidationError) and "Tunda" in results[2].error.message
        assert world.get("cases", a["id"])["pic_id"] == "EX-STAF2"
        assert world.get("cases", b["id"])["notes"] == "dulu"
        with pytest.raises(PermissionDenied):
            trk.bulk_edit(world, ACTORS["pimpinan"], rows)


    def test_the_case_list_filters_sorts_and_counts(self, world):
        a = open_at(world, title="SOP Persuratan", unit_ids=["UNIT-SETMEN-1"], track="intern")
        b = open_at(world, title="SOP Rapat", unit_ids=["UNIT-HUKUM-1"], track="permen", pic_id="EX-STAF2",
                    start=MONDAY - dt.timedelta(days=400))
        c = open_at(world, title="SOP Arsip", unit_ids=["UNIT-SETMEN-2", "UNIT-SETMEN-1"], track="permen")
        v = view(world, c["id"])
        trk.edit_case(world, STAF, c["id"], expected_version=v.version, changes={"status": CANCELLED})
        now = MONDAY + dt.timedelta(days=2)
        s = trk.load_summary(world, CAL, now)
        assert len(s) == 3

        def numbers(**kw):
            return set(trk.filter_cases(s, trk.CaseFilter(**kw))["id"])

        assert numbers(org_ids=["ORG-HUKUM"]) == {b["id"]}
        assert numbers(unit_ids=["UNIT-SETMEN-1"]) == {a["id"], c["id"]}
        assert numbers(statuses=[CANCELLED]) == {c["id"]}
        assert numbers(tracks=["intern"]) == {a["id"]}
        assert numbers(stages=[1]) == {a["id"], b["id"]}
        assert numbers(pic_ids=["EX-STAF2"]) == {b["id"]}
        assert numbers(years=[2025]) == {b["id"]}
        assert numbers(text="rapat hukum") == {b["id"]}
        assert numbers(text="tidak ada") == set()
        # 1.a has 30 minutes: two days later both open cases are late, and it is the Karo's clock.
        assert numbers(timing="late") == {a["id"], b["id"]}
        assert numbers(timing="on_time") == set()
        late = s.set_index("id").loc[a["id"]]
        assert late["clock_with"] == cat.KARO and late["late_days"] > 1
        ordered = trk.filter_cases(s, trk.CaseFilter(sort="started_at", descending=True))
        assert list(ordered["id"])[-1] == b["id"]
        counts = trk.case_counts(s)
        assert counts == {"total": 3, "active": 2, "on_hold": 0, "finished": 0, "cancelled": 1, "late": 2}


    def test_a_case_within_its_standard_time_is_listed_on_time_and_not_late(self, world):
        running = open_at(world, title="SOP Tepat Waktu")  # 1.a (30 minutes) due at 08:30
        late = open_at(world, title="SOP Terlambat", start=MONDAY - dt.timedelta(days=7))
        finished = open_at(world, title="SOP Selesai", start=MONDAY - dt.timedelta(days=60))
        v, at = finish_all(world, finished["id"], MONDAY - dt.timedelta(days=60))
        assert v.case["status"] == FINISHED and at < MONDAY
        cancelled = open_at(world, title="SOP Batal")
        trk.edit_case(world, STAF, cancelled["id"], expected_version=cancelled["version"],
                      changes={"status": CANCELLED})
        now = MONDAY + dt.timedelta(minutes=20)
        s = trk.load_summary(world, CAL, now)
        row = s.set_index("id").loc[running["id"]]
        assert not row["late"] and row["late_days"] == 0 and row["due_at"] > now

        def ids(timing):
            return set(trk.filter_cases(s, trk.CaseFilter(timing=timing))["id"])

        assert ids("on_time") == {running["id"], finished["id"]}
        assert ids("late") == {late["id"]}
        assert ids(None) == {running["id"], late["id"], finished["id"], cancelled["id"]}
        assert trk.case_counts(s)["late"] == 1
        # Eleven minutes past its due instant, the same case moves from on time to late.
        later = trk.load_summary(world, CAL, MONDAY + dt.timedelta(minutes=41))
        assert running["id"] in set(trk.filter_cases(later, trk.CaseFilter(timing="late"))["id"])
        assert running["id"] not in set(trk.filter_cases(later, trk.CaseFilter(timing="on_time"))["id"])


    def test_the_summary_forecasts_and_plans_like_the_detail_page(self, world):
        case = open_at(world, track="permen", drafts=12)
        v = finish_current(world, case["id"], MONDAY + HOUR)
        now = MONDAY + 3 * HOUR
        s = trk.load_summary(world, CAL, now).iloc[0]
        rows = trk.checklist(v, CAL, now)
        h = trk.case_header(v, rows, CAL, now)
        assert s["planned_finish"].to_pydatetime() == h.planned_finish
        assert abs((s["forecast_finish"].to_pydatetime() - h.forecast_finish).total_seconds()) < 2
        assert h.planned_finish == CAL.add(MONDAY, v.plan.total)


    def test_the_case_history_shows_field_changes_and_step_actions(self, world):
        case = open_at(world)
        v = finish_current(world, case["id"], MONDAY + HOUR)
        trk.edit_case(world, ACTORS["kabag"], case["id"], expected_version=v.version, changes={"pic_id": "EX-STAF2"})
        history = trk.case_history(world, case["id"])
        pic = next(e for e in history if e["field"] == "pic_id")
        assert (pic["actor"], pic["old"], pic["new"]) == ("kabag", "EX-STAF1", "EX-STAF2")
        assert any(e["action"] == "step.finish" and "1.a selesai" in e["new"] for e in history)
        step = trk.step_history(world, f"{case['id']}-1.a")
        assert any(e["field"] == "status" and e["new"] == DONE for e in step)


    def test_the_timeline_has_a_plan_bar_per_step_and_an_actual_bar_per_started_step(self, world):
        case = open_at(world)
        v = finish_current(world, case["id"], MONDAY + dt.timedelta(days=3))  # 1.a late
        soon = MONDAY + dt.timedelta(days=3, minutes=10)
        frame = trk.timeline_frame(trk.checklist(v, CAL, soon), soon)
        assert (frame["kind"] == "plan").sum() == len(v.steps)
        actual = frame[frame["kind"] == "actual"].set_index("code")
        assert actual.loc["1.a", "state"] == "late" and actual.loc["1.b", "state"] == "running"
        assert (frame["end"] > frame["start"]).all()
