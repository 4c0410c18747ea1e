"""The procedure catalogue: every step of the seed, with its standard times, as data."""
import pytest

from domain.catalogue import (
    BLOCKS, DECREE_DEPUTI, INTERN, OUT_OF_TOWN, PERMEN, STEP_BY_CODE, STEPS, CaseParams, judged_items, plan,
    planned_minutes, step_minutes, steps_for,
)

D = 510  # one office day 07:30-16:00


def test_every_numbered_step_of_the_seed_is_in_the_catalogue():
    expected = ["1.a", "1.b", "2.a.1", "2.a.4", "2.b.1.a", "2.b.1.f", "2.b.1.g", "2.b.2.a", "2.b.2.g",
                "2.b.2.h", "2.b.3.f", "3.a.6", "3.b", "4.a", "4.b.1.1.e/1", "4.b.1.2.f/3", "4.b.2.a.1",
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
        + 4 * 1 * D        # 4.b.1 meeting administration in town: 1 day before each of the 4 meetings
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
    assert by_hand == 40740
    assert planned_minutes(params, D) == by_hand


def test_the_internal_track_skips_what_only_a_regulation_needs():
    codes = {s.code for s in steps_for(CaseParams(INTERN))}
    for skipped in ("5.b.1", "6", "7", "8.a", "8.b.1", "9.a", "9.b", "9.c"):
        assert skipped not in codes
    assert {"5.a.3", "9.d"} <= codes
    assert planned_minutes(CaseParams(INTERN), D) < planned_minutes(CaseParams(PERMEN), D)


def test_out_of_town_meetings_take_three_days_of_administration_before_each_working_meeting():
    town = planned_minutes(CaseParams(), D)
    away = planned_minutes(CaseParams(meeting_location=OUT_OF_TOWN), D)
    assert away - town == 2 * (3 * D - 1 * D)  # two working meetings: 3 days each instead of 1
    codes = [s.code for s in steps_for(CaseParams(meeting_location=OUT_OF_TOWN))]
    # The discussions in the office always have the in-town administration; the working meetings
    # the out-of-town one, each right before its meeting rather than all up front.
    stage4 = [c for c in codes if c.startswith("4.")]
    assert stage4.index("4.b.1.1.e/1") < stage4.index("4.b.2.a.1") < stage4.index("4.b.1.1.a/2")
    assert stage4.index("4.b.2.a.2") < stage4.index("4.b.1.2.a/3") < stage4.index("4.b.1.2.f/3") \
        < stage4.index("4.b.2.b.1") < stage4.index("4.b.1.2.a/4") < stage4.index("4.b.2.b.2")
    assert "4.b.1.1.a/3" not in codes
    items = judged_items(CaseParams(meeting_location=OUT_OF_TOWN), D)
    assert [(c, j.minutes) for c, j in items.items() if c.startswith("4.b.1")] == [
        ("4.b.1.1/1", D), ("4.b.1.1/2", D), ("4.b.1.2/3", 3 * D), ("4.b.1.2/4", 3 * D)]


def test_what_the_seed_times_is_judged_steps_by_their_own_time_and_blocks_as_a_whole():
    items = judged_items(CaseParams(PERMEN, drafts=20, units=4, organisations=2), D)
    kinds = {c: j.kind for c, j in items.items()}
    assert kinds["1.a"] == kinds["3.b"] == kinds["2.b.1.g"] == kinds["5.b.3"] == "step"
    assert kinds["2.a"] == kinds["2.b"] == kinds["3.a"] == kinds["5.a.2"] == kinds["8.b"] == "block"
    assert items["2.b"].minutes == 10 * D and "2.b.1.g" in items["2.b"].members  # the week lies inside 2.b
    assert "5.b" not in items  # every step of 5.b has its own time: judged through them
    for code in ("2.a.2", "2.b.2.g", "7", "8.a", "9.b"):  # no time of their own: not judged on their own
        assert code not in items
    assert items["4.a"].minutes == 2 * 60 * 20


def test_a_deputi_may_sign_where_the_seed_lets_one_and_the_step_counts_against_who_signed():
    memo = STEP_BY_CODE["2.b.1.e"]
    assert memo.choices == ("Karo", "Deputi") and memo.party(None) == "Karo" and memo.party("Deputi") == "Deputi"
    assert memo.party("Menteri") == "Karo"  # not a party the seed allows here
    assert STEP_BY_CODE["4.b.1.2.d/3"].choices == ("Karo", "Deputi")
    assert STEP_BY_CODE["4.b.1.2.f/4"].choices == ("Kasubbag", "Staf")


def test_a_deputi_decree_names_the_keputusan_deputi():
    params = CaseParams(team_decree=DECREE_DEPUTI)
    names = {s.code: s.name_for(params) for s in steps_for(params)}
    assert "Keputusan Deputi" in names["2.b.2.b"] and "Kepmensesneg" not in names["2.b.2.b"]
    assert "Salinan Keputusan Deputi" in names["2.b.3.b"]
    assert "Kepmensesneg" in STEP_BY_CODE["2.b.2.b"].name_for(CaseParams())


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
    assert 75 <= len(p.steps) <= 90  # 84 with the administration before each of the four meetings


@pytest.mark.parametrize("bad", [{"drafts": 0}, {"track": "x"}, {"meeting_location": "moon"}])
def test_impossible_case_parameters_are_refused(bad):
    with pytest.raises(ValueError):
        CaseParams(**bad)
