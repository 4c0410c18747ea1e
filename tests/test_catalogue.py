"""The procedure catalogue: every step of the seed, with its standard times, as data."""
import pytest

from domain.catalogue import (
    BLOCKS, DECREE_DEPUTI, INTERN, OUT_OF_TOWN, PERMEN, STEP_BY_CODE, STEPS, CaseParams, plan,
    planned_minutes, step_minutes, steps_for,
)

D = 510  # one office day 07:30-16:00


def test_every_numbered_step_of_the_seed_is_in_the_catalogue():
    expected = ["1.a", "1.b", "2.a.1", "2.a.4", "2.b.1.a", "2.b.1.f", "2.b.1.g", "2.b.2.a", "2.b.2.g",
                "2.b.2.h", "2.b.3.f", "3.a.6", "3.b", "4.a", "4.b.1.1.e", "4.b.1.2.f", "4.b.2.a.1",
                "4.b.2.a.2", "4.b.2.b.1", "4.b.2.b.2", "5.a.1", "5.a.2.e", "5.a.3", "5.b.1", "5.b.6",
                "6", "7", "8.a", "8.b.5", "9.a", "9.b", "9.c", "9.d"]
    for code in expected:
        assert code in STEP_BY_CODE, code
    assert {s.stage for s in STEPS} == set(range(1, 10))


def test_the_planned_duration_matches_a_total_worked_out_by_hand_from_the_seed():
    params = CaseParams(PERMEN, drafts=20, units=4, organisations=2)
    by_hand = (
        30 + 30            # 1.a, 1.b: 30 minutes each
        + 1 * D            # 2.a work plan: 1 day
        + 10 * D           # 2.b team: 2 weeks (the 1-week wait for units lies inside it)
        + 1 * D            # 3.a memo: 1 day
        + 10 * D           # 3.b units draft: 2 weeks
        + 2 * 60 * 20      # 4.a review: 2 hours per draft x 20
        + 1 * D            # 4.b.1 meeting administration in town: 1 day
        + 2 * 150 * 4      # 4.b.2.a two in-office sessions x 2.5 hours per unit x 4
        + 2 * 3 * D * 2    # 4.b.2.b two working meetings x 3 days per organisation x 2
        + 3 * D * 2        # 5.a.1 finalisation: 3 days per organisation x 2
        + 1 * D            # 5.a.2 signature memo: 1 day
        + 3 * D            # 5.a.3 unit heads sign within 3 days
        + 15 * D           # 5.b whole: 3 weeks (its steps take 20/15 day + 11 hours, less)
        + 5 * D            # 6 harmonisation: 1 week
        + 0 + 0            # 7 Minister, 8.a numbering: no standard time
        + 2 * D            # 8.b copies and PDF: 2 days
        + 3 * 60           # 9.a printing request: 3 hours
        + 0                # 9.b printing: no standard time
        + 2 * D            # 9.c distribution: 2 days
        + 3 * 60           # 9.d upload request: 3 hours
    )
    assert by_hand == 39210
    assert planned_minutes(params, D) == by_hand


def test_the_internal_track_skips_what_only_a_regulation_needs():
    codes = {s.code for s in steps_for(CaseParams(INTERN))}
    for skipped in ("5.b.1", "6", "7", "8.a", "8.b.1", "9.a", "9.b", "9.c"):
        assert skipped not in codes
    assert {"5.a.3", "9.d"} <= codes
    assert planned_minutes(CaseParams(INTERN), D) < planned_minutes(CaseParams(PERMEN), D)


def test_out_of_town_meetings_take_three_days_per_working_meeting():
    town = planned_minutes(CaseParams(), D)
    away = planned_minutes(CaseParams(meeting_location=OUT_OF_TOWN), D)
    assert away - town == 2 * 3 * D - 1 * D
    codes = {s.code for s in steps_for(CaseParams(meeting_location=OUT_OF_TOWN))}
    assert "4.b.1.2.a" in codes and "4.b.1.1.a" not in codes


def test_a_deputi_decree_replaces_the_ministers_signature():
    codes = {s.code for s in steps_for(CaseParams(team_decree=DECREE_DEPUTI))}
    assert "2.b.2.fd" in codes and "2.b.2.g" not in codes and "2.b.2.f" not in codes


def test_fifteen_documents_a_day_is_a_rate():
    assert step_minutes(CaseParams(drafts=15), D)["5.b.1"] == D
    assert step_minutes(CaseParams(drafts=30), D)["5.b.1"] == 2 * D
    assert step_minutes(CaseParams(drafts=1), D)["5.b.1"] == 34  # 510/15


def test_block_time_is_shared_by_its_untimed_steps_and_sums_exactly():
    params = CaseParams()
    sla = step_minutes(params, D)
    for code, block in BLOCKS.items():
        members = [s for s in steps_for(params) if s.block == code]
        if members and all(s.std is None for s in members):
            assert sum(sla[s.code] for s in members) == block.std.minutes(params, D)


def test_external_waits_are_marked_and_count_against_their_party():
    assert STEP_BY_CODE["2.b.1.g"].external and STEP_BY_CODE["2.b.1.g"].responsible == "Pimpinan unit kerja"
    assert STEP_BY_CODE["3.b"].external and STEP_BY_CODE["6"].responsible == "Deputi Hukum"
    assert not STEP_BY_CODE["4.a"].external


def test_the_plan_is_sequential_and_ends_at_the_planned_total():
    p = plan(CaseParams(), D)
    for a, b in zip(p.steps, p.steps[1:], strict=False):
        assert b.offset >= a.end
    assert p.total == planned_minutes(CaseParams(), D)
    assert 55 <= len(p.steps) <= 75


@pytest.mark.parametrize("bad", [{"drafts": 0}, {"track": "x"}, {"meeting_location": "moon"}])
def test_impossible_case_parameters_are_refused(bad):
    with pytest.raises(ValueError):
        CaseParams(**bad)
