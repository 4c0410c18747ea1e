"""Proposals: a unit proposes, the Kabag or Karo accepts (a case opens at step 1.a) or declines with
a reason; unit users see only their own unit's proposals."""
from __future__ import annotations

import pytest

from domain import proposals as prop
from domain.errors import PermissionDenied, StaleWriteError, ValidationError
from domain.models import ORIGIN_PROPOSAL, PROPOSAL_ACCEPTED, PROPOSAL_DECLINED, PROPOSAL_NEW, RUNNING
from domain.permissions import Actor
from tests.apptest_helpers import ACTORS
from tests.tracker_world import CAL, MONDAY, populated

UNIT1 = ACTORS["unit1"]  # a user of UNIT-SETMEN-2 (Biro Umum)
OTHER_UNIT = Actor(id="acc-hukum", username="hukum1", display_name="Petugas Biro Hukum", roles=frozenset({"Unit"}),
                   unit_id="UNIT-HUKUM-1")


@pytest.fixture
def world(duckdb_repo):
    with populated(duckdb_repo) as repo:
        yield repo


def proposal(**kw) -> prop.NewProposal:
    fields = dict(unit_id="UNIT-SETMEN-2", doc_kind="SOP", kind="revisi", n_docs=6,
                  reason="Perubahan tugas dan fungsi", contact_name="Ani", contact="ani@setneg.go.id")
    fields.update(kw)
    return prop.NewProposal(**fields)


def test_a_unit_user_proposes_for_their_own_unit_and_it_waits_in_the_queue(world):
    row = prop.submit_proposal(world, UNIT1, proposal(unit_id=""))
    assert row["unit_id"] == "UNIT-SETMEN-2" and row["status"] == PROPOSAL_NEW
    assert row["number"].startswith("USL-") and row["created_by"] == "unit1"
    assert [p["id"] for p in prop.proposal_queue(world, ACTORS["staf1"])] == [row["id"]]


def test_a_unit_user_cannot_propose_for_another_unit(world):
    with pytest.raises(PermissionDenied):
        prop.submit_proposal(world, UNIT1, proposal(unit_id="UNIT-HUKUM-1"))
    assert world.count("proposals") == 0


def test_unit_users_see_only_their_own_units_proposals(world):
    mine = prop.submit_proposal(world, UNIT1, proposal())
    theirs = prop.submit_proposal(world, OTHER_UNIT, proposal(unit_id="UNIT-HUKUM-1"))
    assert [p["id"] for p in prop.own_proposals(world, UNIT1)] == [mine["id"]]
    assert [p["id"] for p in prop.own_proposals(world, OTHER_UNIT)] == [theirs["id"]]
    assert prop.visible_proposal(world, UNIT1, mine["id"])["id"] == mine["id"]
    with pytest.raises(Exception) as hidden:
        prop.visible_proposal(world, UNIT1, theirs["id"])
    assert "tidak ditemukan" in str(hidden.value)
    with pytest.raises(PermissionDenied):
        prop.proposal_queue(world, UNIT1)


@pytest.mark.parametrize("changes,field,text", [
    ({"contact": "besok saja"}, "contact", "surel"),
    ({"n_docs": 0}, "n_docs", "Jumlah dokumen"),
    ({"reason": "  "}, "reason", "Alasan usulan"),
    ({"contact_name": ""}, "contact_name", "narahubung"),
    ({"doc_kind": "Peraturan"}, "doc_kind", "SP, SOP"),
])
def test_a_bad_proposal_is_refused_naming_the_field(world, changes, field, text):
    with pytest.raises(ValidationError) as bad:
        prop.submit_proposal(world, UNIT1, proposal(**changes))
    assert bad.value.field == field and text in bad.value.message
    assert world.count("proposals") == 0


def test_accepting_a_proposal_opens_a_case_at_step_1a_in_the_same_save(world):
    row = prop.submit_proposal(world, UNIT1, proposal())
    decided, case = prop.accept_proposal(
        world, ACTORS["kabag"], CAL, row["id"], expected_version=row["version"],
        acceptance=prop.Acceptance(track="permen", pic_id="EX-STAF2"), at=MONDAY)
    assert decided["status"] == PROPOSAL_ACCEPTED and decided["case_id"] == case["id"]
    assert decided["decided_by"] == "kabag"
    assert case["origin"] == ORIGIN_PROPOSAL and case["proposal_id"] == row["id"]
    assert case["unit_ids"] == ["UNIT-SETMEN-2"] and case["org_id"] == "ORG-SETMEN"
    assert case["drafts"] == 6 and case["current_step"] == "1.a" and case["title"] == "SOP Biro Umum"
    ev = world.get("step_events", f"{case['id']}-1.a")
    assert ev["status"] == RUNNING and ev["started_at"] == MONDAY
    assert prop.proposal_queue(world, ACTORS["kabag"]) == []
    assert prop.own_proposals(world, UNIT1)[0]["status"] == PROPOSAL_ACCEPTED


def test_declining_needs_a_reason_the_unit_can_read(world):
    row = prop.submit_proposal(world, UNIT1, proposal())
    with pytest.raises(ValidationError) as no_reason:
        prop.decline_proposal(world, ACTORS["karo"], row["id"], expected_version=row["version"], reason="")
    assert no_reason.value.field == "decision_reason"
    prop.decline_proposal(world, ACTORS["karo"], row["id"], expected_version=row["version"],
                          reason="SOP unit baru disahkan tahun lalu")
    seen = prop.own_proposals(world, UNIT1)[0]
    assert seen["status"] == PROPOSAL_DECLINED and seen["decision_reason"] == "SOP unit baru disahkan tahun lalu"
    assert world.count("cases") == 0


def test_only_the_kabag_or_karo_decides_and_only_once(world):
    row = prop.submit_proposal(world, ACTORS["staf1"], proposal())
    with pytest.raises(PermissionDenied):
        prop.decline_proposal(world, ACTORS["staf1"], row["id"], expected_version=row["version"], reason="x")
    prop.decline_proposal(world, ACTORS["kabag"], row["id"], expected_version=row["version"], reason="Ditolak")
    with pytest.raises(StaleWriteError) as stale:
        prop.accept_proposal(world, ACTORS["karo"], CAL, row["id"], expected_version=row["version"],
                             acceptance=prop.Acceptance())
    assert stale.value.saved_by == "kabag"
    fresh = world.get("proposals", row["id"])
    with pytest.raises(ValidationError) as decided:
        prop.accept_proposal(world, ACTORS["karo"], CAL, row["id"], expected_version=fresh["version"],
                             acceptance=prop.Acceptance())
    assert "sudah diputuskan" in decided.value.message
    assert world.count("cases") == 0
