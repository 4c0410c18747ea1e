"""Complaints: the state machine (every allowed and refused move), who may make each move, filing
with its checks, the status lookup, the inbox flags and the dashboard figures. On a DuckDB file."""
from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest

from data_access.duckdb_store import DuckDBRepository
from data_access.file_store import LocalFileStore
from data_access.repository import Insert, new_id
from domain import complaints as cp
from domain.errors import PermissionDenied, StaleWriteError, StoreUnavailableError, ValidationError, ValidationErrors
from domain.models import COMPLAINT_STATUSES
from domain.permissions import NOBODY
from tests.contracts.complaints import (CAL, KABAG, KARO, KASUBBAG, MON, PDF, PIMPINAN, STAF, UNIT, new, seed,
                                            submit)

# Written out by hand from the issue's flow, not read from the code, so a change in the code fails here.
EXPECTED = {
    "diterima": {"tangani": "ditindaklanjuti", "delegasi": "didelegasikan"},
    "didelegasikan": {"delegasi": "didelegasikan", "tindak_lanjut": "ditindaklanjuti",
                      "usulan": "ditindaklanjuti"},
    "ditindaklanjuti": {"delegasi": "didelegasikan", "tindak_lanjut": "ditindaklanjuti",
                        "usulan": "ditindaklanjuti", "jawab": "dijawab"},
    "dijawab": {"tutup": "ditutup", "buka_kembali": "ditindaklanjuti"},
    "ditutup": {"buka_kembali": "ditindaklanjuti"},
}
EVENTS = ("tangani", "delegasi", "tindak_lanjut", "usulan", "jawab", "tutup", "buka_kembali")
PAIRS = list(itertools.product(COMPLAINT_STATUSES, EVENTS))


@pytest.fixture
def world(duckdb_repo):
    seed(duckdb_repo)
    return duckdb_repo


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One DuckDB file for the many table-driven moves (each works on a complaint of its own)."""
    repo = DuckDBRepository(tmp_path_factory.mktemp("moves") / "store.duckdb")
    repo.init()
    seed(repo)
    yield repo
    repo.close()


def complaint_in(repo, status: str, handler: str | None = "Kabag", **kw) -> dict:
    """A complaint already in ``status`` (as if moved there), delegated to the Kabag by default."""
    row = {"id": new_id("Q-"), "receipt_no": f"ADU-2026-{COMPLAINT_STATUSES.index(status) + 100:04d}",
           "kind": "pengaduan", "unit_id": "U1", "name": "Ani", "email": "ani@setneg.go.id", "subject": "Draf",
           "description": "Uraian", "status": status, "handler": handler,
           "due_at": MON + dt.timedelta(days=7), **kw}
    if status in ("dijawab", "ditutup"):
        row.update(answer="Jawaban lama", answered_at=MON)
    if status == "ditutup":
        row["closed_at"] = MON + dt.timedelta(hours=1)
    return repo.apply([Insert("complaints", row)], actor="seed", at=MON - dt.timedelta(days=1)).records[0]


def make_move(repo, actor, row: dict, event: str, files=None):
    at = MON + dt.timedelta(hours=2)
    cid, v = row["id"], row["version"]
    if event == "tangani":
        return cp.take_complaint(repo, actor, cid, expected_version=v, at=at)
    if event == "delegasi":
        return cp.delegate_complaint(repo, actor, CAL, cid, instruction="Tindak lanjuti.", expected_version=v, at=at)
    if event == "tindak_lanjut":
        return cp.log_follow_up(repo, actor, cid, text="Menghubungi unit.", at=at)
    if event == "usulan":
        return cp.propose_resolution(repo, actor, cid, text="Perbaiki draf.", expected_version=v, at=at)
    if event == "jawab":
        return cp.answer_complaint(repo, actor, cid, answer="Sudah diperbaiki.", expected_version=v, at=at)
    if event == "tutup":
        return cp.close_complaint(repo, actor, cid, expected_version=v, at=at)
    if event == "buka_kembali":
        return cp.reopen_complaint(repo, actor, CAL, cid, reason="Jawaban belum menjawab.", expected_version=v, at=at)
    raise AssertionError(event)


# ---- the state machine --------------------------------------------------------------------------

def test_the_table_of_moves_is_exactly_the_issues_flow():
    assert {(s, e): n for s, moves in EXPECTED.items() for e, n in moves.items()} == cp.TRANSITIONS


@pytest.mark.parametrize("status, event", PAIRS)
def test_next_status_allows_exactly_the_moves_of_the_flow(status, event):
    expected = EXPECTED[status].get(event)
    if expected:
        assert cp.next_status(status, event) == expected
    else:
        with pytest.raises(ValidationError) as err:
            cp.next_status(status, event)
        assert err.value.field == "status"
        assert cp.status_label(status) in err.value.message  # the message names the present status
        assert "tidak dapat dilakukan" in err.value.message


@pytest.mark.parametrize("status, event", PAIRS)
def test_every_move_on_a_stored_complaint_is_saved_or_refused_with_nothing_changed(shared, status, event):
    world = shared
    row = complaint_in(world, status)
    before_audit = len(world.audit("complaints", row["id"]))
    expected = EXPECTED[status].get(event)
    if expected:
        saved = make_move(world, KARO, row, event)
        assert saved["status"] == expected == world.get("complaints", row["id"])["status"]
        actions = world.list("complaint_actions", {"complaint_id": row["id"]})
        assert len(actions) == 1 and actions[0]["created_by"] == "karo"
        audit = world.audit("complaints", row["id"])[before_audit:]
        assert any(e["action"] == f"complaint.{event}" for e in audit)
        if expected != status:
            assert any(e["field"] == "status" and (e["old"], e["new"]) == (status, expected) for e in audit)
    else:
        with pytest.raises(ValidationError, match="tidak dapat dilakukan"):
            make_move(world, KARO, row, event)
        assert world.get("complaints", row["id"]) == row
        assert world.list("complaint_actions", {"complaint_id": row["id"]}) == []
        assert len(world.audit("complaints", row["id"])) == before_audit


# ---- who may make which move --------------------------------------------------------------------

@pytest.mark.parametrize("actor, event, status, handler, ok", [
    (KABAG, "delegasi", "diterima", None, False),  # only the Karo delegates
    (KABAG, "tangani", "diterima", None, False),
    (UNIT, "delegasi", "diterima", None, False),
    (NOBODY, "tindak_lanjut", "didelegasikan", "Kabag", False),
    (PIMPINAN, "tindak_lanjut", "didelegasikan", "Kabag", False),
    (KABAG, "tindak_lanjut", "didelegasikan", "Kabag", True),
    (KASUBBAG, "tindak_lanjut", "didelegasikan", "Kabag", False),  # the Kabag's team: only when assigned
    (STAF, "tindak_lanjut", "ditindaklanjuti", "Kabag", False),
    (STAF, "usulan", "ditindaklanjuti", "Kabag", False),
    (KABAG, "tindak_lanjut", "ditindaklanjuti", "Karo", False),  # the Karo handles it himself
    (KABAG, "jawab", "ditindaklanjuti", "Karo", False),
    (KABAG, "jawab", "ditindaklanjuti", "Kabag", True),
    (KASUBBAG, "jawab", "ditindaklanjuti", "Kabag", False),
    (STAF, "jawab", "ditindaklanjuti", "Kabag", False),
    (KABAG, "tutup", "dijawab", "Kabag", True),  # the Kabag closes what was delegated to him
    (KABAG, "tutup", "dijawab", "Karo", False),
    (STAF, "tutup", "dijawab", "Kabag", False),
    (KABAG, "buka_kembali", "ditutup", "Kabag", False),  # reopening is the Karo's
    (KARO, "tindak_lanjut", "ditindaklanjuti", "Kabag", True),
    (KARO, "jawab", "ditindaklanjuti", "Karo", True),
])
def test_who_may_make_a_move_depends_on_role_and_on_delegation(shared, actor, event, status, handler, ok):
    world = shared
    row = complaint_in(world, status, handler=handler)
    assert cp.may(actor, row, event) is ok
    if ok:
        assert make_move(world, actor, row, event)["status"] == EXPECTED[status][event]
    else:
        with pytest.raises(PermissionDenied):
            make_move(world, actor, row, event)
        assert world.get("complaints", row["id"]) == row


# ---- the Kabag assigns executors ----------------------------------------------------------------

@pytest.fixture
def team(world):
    world.apply([Insert("executors", {"id": "EX-KASUBBAG", "name": "Kasubbag", "role": "Kasubbag", "active": True}),
                 Insert("executors", {"id": "EX-STAF1", "name": "Staf Satu", "role": "Staf", "active": True}),
                 Insert("executors", {"id": "EX-STAF2", "name": "Staf Dua", "role": "Staf", "active": True}),
                 Insert("executors", {"id": "EX-OLD", "name": "Staf Lama", "role": "Staf", "active": False})],
                actor="seed", at=MON - dt.timedelta(days=30))
    return world


def delegated_complaint(repo) -> dict:
    cid = submit(repo).complaint["id"]
    return cp.delegate_complaint(repo, KARO, CAL, cid, instruction="Tindak lanjuti.", at=MON + dt.timedelta(hours=1))


def test_only_assigned_kasubbag_and_staff_may_log_and_the_assignment_is_logged_and_audited(team):
    row = delegated_complaint(team)
    assert [e["id"] for e in cp.assignable_executors(team)] == ["EX-KASUBBAG", "EX-STAF2", "EX-STAF1"]  # by name
    with pytest.raises(PermissionDenied) as err:  # nobody assigned yet: the staff member is refused
        cp.log_follow_up(team, STAF, row["id"], text="Menghubungi unit.", at=MON + dt.timedelta(hours=2))
    assert "hanya Kasubbag/staf yang ditugaskan Kabag" in err.value.explanation
    assert team.list("complaint_actions", {"complaint_id": row["id"]})[-1]["kind"] == "delegasi"

    saved = cp.assign_executors(team, KABAG, row["id"], ["EX-STAF1"], expected_version=row["version"],
                                at=MON + dt.timedelta(hours=2))
    assert saved["assigned_to"] == ["EX-STAF1"] == team.get("complaints", row["id"])["assigned_to"]
    assert saved["status"] == "didelegasikan"  # not a status move
    log = team.list("complaint_actions", {"complaint_id": row["id"]})[-1]
    assert (log["kind"], log["text"], log["created_by"]) == ("penugasan", "Ditugaskan: Staf Satu", "kabag")
    audit = team.audit("complaints", row["id"])
    assert any(e["action"] == "complaint.tugaskan" for e in audit)
    assert any(e["field"] == "assigned_to" and "EX-STAF1" in (e["new"] or "") for e in audit)

    after = cp.log_follow_up(team, STAF, row["id"], text="Menghubungi unit.", at=MON + dt.timedelta(hours=3))
    assert after["status"] == "ditindaklanjuti"
    assert cp.propose_resolution(team, STAF, row["id"], text="Perbaiki draf.", at=MON + dt.timedelta(hours=4))
    for other in (KASUBBAG, STAF2):  # not assigned: refused, nothing written
        before = team.get("complaints", row["id"])
        assert not cp.may(other, before, "tindak_lanjut")
        with pytest.raises(PermissionDenied):
            cp.log_follow_up(team, other, row["id"], text="Ikut mencatat.", at=MON + dt.timedelta(hours=5))
        assert team.get("complaints", row["id"]) == before
    # The Kabag and the Karo still log without being assigned.
    cp.log_follow_up(team, KABAG, row["id"], text="Rapat.", kind="rapat", at=MON + dt.timedelta(hours=5))
    cp.log_follow_up(team, KARO, row["id"], text="Dicek.", at=MON + dt.timedelta(hours=6))

    # Re-assigning replaces the list: the staff member taken off may no longer log.
    cur = team.get("complaints", row["id"])
    cp.assign_executors(team, KABAG, row["id"], ["EX-KASUBBAG", "EX-STAF2"], expected_version=cur["version"],
                        at=MON + dt.timedelta(hours=7))
    assert team.get("complaints", row["id"])["assigned_to"] == ["EX-KASUBBAG", "EX-STAF2"]
    with pytest.raises(PermissionDenied):
        cp.log_follow_up(team, STAF, row["id"], text="Lagi.", at=MON + dt.timedelta(hours=8))
    cp.log_follow_up(team, KASUBBAG, row["id"], text="Draf diperbaiki.", kind="perbaikan_draf",
                     at=MON + dt.timedelta(hours=8))


STAF2 = STAF.__class__(id="acc-staf2", username="staf2", display_name="Staf Dua", roles=frozenset({"Staf"}),
                       executor_id="EX-STAF2")


@pytest.mark.parametrize("actor", [KARO, KASUBBAG, STAF, PIMPINAN, UNIT, NOBODY])
def test_only_the_kabag_assigns(team, actor):
    row = delegated_complaint(team)
    with pytest.raises(PermissionDenied):
        cp.assign_executors(team, actor, row["id"], ["EX-STAF1"], expected_version=row["version"])
    assert team.get("complaints", row["id"]) == row


def test_the_kabag_assigns_only_on_an_open_complaint_delegated_to_him(team):
    mine = complaint_in(team, "ditindaklanjuti", handler="Karo")  # the Karo handles it himself
    answered = complaint_in(team, "dijawab")
    for row in (mine, answered):
        assert not cp.may_assign(KABAG, row)
        with pytest.raises(PermissionDenied) as err:
            cp.assign_executors(team, KABAG, row["id"], ["EX-STAF1"], expected_version=row["version"])
        assert "hanya Kabag yang dapat menugaskan" in err.value.explanation
        assert team.get("complaints", row["id"]) == row


@pytest.mark.parametrize("ids, words", [(["EX-KABAG"], "bukan Kasubbag atau staf aktif"),
                                        (["EX-OLD"], "bukan Kasubbag atau staf aktif"),
                                        (["NOPE"], "NOPE"), ([], "tidak ada perubahan")])
def test_an_assignment_of_unknown_inactive_or_other_roles_or_no_change_is_refused(team, ids, words):
    row = delegated_complaint(team)
    with pytest.raises(ValidationError) as err:
        cp.assign_executors(team, KABAG, row["id"], ids, expected_version=row["version"])
    assert err.value.field == "assigned_to" and words in err.value.message
    assert team.get("complaints", row["id"]) == row


def test_an_assignment_on_an_old_version_is_refused(team):
    row = delegated_complaint(team)
    cp.assign_executors(team, KABAG, row["id"], ["EX-STAF1"], expected_version=row["version"])
    with pytest.raises(StaleWriteError):
        cp.assign_executors(team, KABAG, row["id"], ["EX-STAF2"], expected_version=row["version"])
    assert team.get("complaints", row["id"])["assigned_to"] == ["EX-STAF1"]


# ---- filing ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fields, field, words", [
    (dict(nip="", email="", phone=""), "contact", "paling sedikit satu"),
    (dict(nip="12345"), "nip", "18 angka"),
    (dict(nip="19800101200501100A"), "nip", "18 angka"),
    (dict(email="ani@"), "email", "alamat tidak sah"),
    (dict(email="", phone="12-34"), "phone", "8–15 angka"),
    (dict(email="", phone="0812abc5678"), "phone", "nomor tidak sah"),
    (dict(subject="x" * 201), "subject", "paling banyak 200 karakter"),
    (dict(description="x" * 10_001), "description", "paling banyak 10.000 karakter"),
    (dict(subject="   "), "subject", "wajib diisi"),
    (dict(name=""), "name", "wajib diisi"),
    (dict(unit_id="NOPE"), "unit_id", "Unit kerja"),
    (dict(unit_id="U3"), "unit_id", "Unit kerja"),  # inactive
    (dict(kind="gugatan"), "kind", "Jenis"),
    (dict(case_id="C2"), "case_id", "Kasus terkait"),  # a case of another unit
    (dict(description="a\x00b"), "description", "tidak dapat disimpan"),
])
def test_bad_input_is_refused_with_a_message_naming_the_field_and_nothing_is_stored(world, fields, field, words):
    with pytest.raises(ValidationError) as err:
        submit(world, **fields)
    assert err.value.field == field and words in err.value.message
    assert world.count("complaints") == 0


def test_every_bad_field_is_named_at_once_in_the_forms_order_with_the_attachment_and_nothing_is_stored(world,
                                                                                                        tmp_path):
    files = LocalFileStore(tmp_path / "lampiran")
    with pytest.raises(ValidationErrors) as err:
        submit(world, unit_id="", name="", email="ani@", subject="", description="",
               upload=cp.Upload("kosong.pdf", b""), files=files)
    assert [e.field for e in err.value.errors] == ["unit_id", "name", "email", "subject", "description", "attachment"]
    assert err.value.field == "unit_id"  # a single field still names the first
    english = err.value.texts("en")
    assert english[1] == "Name: required." and all("wajib" not in text for text in english)
    assert world.count("complaints") == 0 and world.count("attachments") == 0


def test_a_missing_contact_is_one_problem_only_when_no_contact_was_typed_at_all(world):
    with pytest.raises(ValidationErrors) as err:
        submit(world, name="", email="")
    assert [e.field for e in err.value.errors] == ["name", "contact"]
    with pytest.raises(ValidationError) as err:
        submit(world, email="bukan-email")  # a typed contact that is wrong: that field, not "no contact"
    assert err.value.field == "email" and not isinstance(err.value, ValidationErrors)


def test_a_complaint_at_the_length_limits_is_accepted(world):
    r = submit(world, subject="s" * 200, description="d" * 10_000)
    assert len(world.get("complaints", r.complaint["id"])["description"]) == 10_000


@pytest.mark.parametrize("contact", [dict(nip="198001012005011001", email=""),
                                     dict(email="", phone="+62 812 3456 7890"), dict()])
def test_any_one_contact_is_enough(world, contact):
    assert submit(world, **contact).receipt_no.startswith("ADU-2026-")


def test_an_attachment_is_kept_in_the_file_store_and_referenced_by_id_and_checksum(world, tmp_path):
    files = LocalFileStore(tmp_path / "lampiran")
    r = submit(world, upload=cp.Upload("../surat.exe:bukti.pdf", PDF), files=files)
    meta = world.get("attachments", r.complaint["attachment_id"])
    assert meta["name"] == "surat_exe_bukti.pdf" and meta["mime"] == "application/pdf" and meta["size"] == len(PDF)
    assert cp.attachment_content(world, KARO, files, meta["id"]) == (meta, PDF)
    with pytest.raises(PermissionDenied):
        cp.attachment_content(world, NOBODY, files, meta["id"])


def test_an_attachment_of_the_wrong_kind_is_refused_and_nothing_is_written(world, tmp_path):
    files = LocalFileStore(tmp_path / "lampiran")
    with pytest.raises(ValidationError, match="jenis berkas tidak diterima"):
        submit(world, upload=cp.Upload("laporan.pdf", b"MZ\x90\x00program"), files=files)
    assert world.count("complaints") == 0 and world.count("attachments") == 0
    assert not (tmp_path / "lampiran").exists() or not any((tmp_path / "lampiran").rglob("*.bin"))


class FailingSaves(DuckDBRepository):
    """Fault injection: the store refuses the final save (as a full disk or a lost connection would)."""

    def apply(self, writes, actor, at=None):
        if any(isinstance(w, Insert) and w.table == "complaints" for w in writes):
            raise StoreUnavailableError("disk penuh")
        return super().apply(writes, actor, at)


def test_when_the_save_fails_the_attachment_file_is_removed_again(tmp_path):
    repo = FailingSaves(tmp_path / "store.duckdb")
    repo.init()
    seed(repo)
    files = LocalFileStore(tmp_path / "lampiran")
    with pytest.raises(StoreUnavailableError):
        submit(repo, upload=cp.Upload("bukti.pdf", PDF), files=files)
    assert list((tmp_path / "lampiran").rglob("*.bin")) == []
    assert repo.count("complaints") == 0 and repo.count("attachments") == 0
    repo.close()




def test_a_signed_in_unit_user_gets_the_form_prefilled_and_the_filing_carries_their_name(world):
    assert cp.prefill(world, UNIT) == {"name": "Petugas Biro Umum", "unit_id": "U1", "email": "petugas@setneg.go.id"}
    assert cp.prefill(world, NOBODY) == {}
    r = submit(world, actor=UNIT)
    assert r.complaint["created_by"] == "unit1"


def test_the_case_choice_lists_only_the_units_cases(world):
    assert [c["number"] for c in cp.cases_for_unit(world, "U1")] == ["K-2026-0001"]
    assert cp.cases_for_unit(world, "U3") == [] and cp.cases_for_unit(world, None) == []


def test_the_case_choice_is_offered_only_to_who_may_see_the_units_cases(world):
    # Anonymous visitors and users of another unit see no case numbers or titles.
    # (The form lists cases_for_unit only when may_pick_case; the page caches the list per unit.)
    assert not cp.may_pick_case(NOBODY, "U1")
    assert not cp.may_pick_case(UNIT, "U2")  # unit1 belongs to U1
    assert cp.may_pick_case(UNIT, "U1") and [c["number"] for c in cp.cases_for_unit(world, "U1")] == ["K-2026-0001"]
    assert cp.may_pick_case(KARO, "U2") and cp.may_pick_case(PIMPINAN, "U2")
    assert [c["number"] for c in cp.cases_for_unit(world, "U2")] == ["K-2026-0002"]


@pytest.mark.parametrize("actor, unit_id, case_id", [(NOBODY, "U1", "C1"), (UNIT, "U2", "C2"), (UNIT, "U1", "C2")])
def test_a_case_id_from_who_may_not_pick_it_is_refused(world, actor, unit_id, case_id):
    with pytest.raises(ValidationError) as err:
        submit(world, actor=actor, unit_id=unit_id, case_id=case_id)
    assert err.value.field == "case_id" and "Kasus terkait" in err.value.message
    assert world.count("complaints") == 0


def test_a_typed_case_number_is_checked_for_its_form_only_and_kept_as_text(world):
    # Not looked up, so the form tells nobody whether a case exists.
    row = submit(world, case_ref="k-2099-9999").complaint
    assert row["case_ref"] == "K-2099-9999" and row["case_id"] is None
    with pytest.raises(ValidationError) as err:
        submit(world, case_ref="<script>")
    assert err.value.field == "case_ref" and "Nomor kasus terkait" in err.value.message
    with pytest.raises(ValidationError):
        submit(world, case_ref="K" * 41)
    assert world.count("complaints") == 1


def test_a_unit_user_lists_their_own_units_complaints_without_contacts_or_notes(world):
    mine = submit(world, nip="198001012005011001", subject="Draf kami", at=MON).complaint
    submit(world, unit_id="U2", subject="Urusan unit lain", at=MON + dt.timedelta(hours=1))
    cp.delegate_complaint(world, KARO, CAL, mine["id"], instruction="Arahan internal.", at=MON + dt.timedelta(hours=2))
    rows = cp.own_unit_complaints(world, UNIT)
    assert [r["subject"] for r in rows] == ["Draf kami"]
    assert set(rows[0]) == set(cp.UNIT_VIEW_FIELDS) and rows[0]["status"] == "didelegasikan"
    assert not {"name", "nip", "email", "phone", "instruction", "resolution", "answer", "description",
                "assigned_to"} & set(rows[0])
    for other in (NOBODY, KARO, PIMPINAN):
        with pytest.raises(PermissionDenied):
            cp.own_unit_complaints(world, other)


def test_the_receipt_text_names_number_date_and_how_to_check(world):
    r = submit(world)
    text = cp.receipt_text(r)
    assert "ADU-2026-0001" in text and "2 November 2026 09.00 WIB" in text and "Biro Umum" in text
    assert "Status Pengaduan" in text and "ani@setneg.go.id" not in text  # no contact on the receipt


# ---- lookup --------------------------------------------------------------------------------------

def test_the_lookup_shows_the_answer_only_once_answered_and_no_contact_details(world):
    r = submit(world, nip="198001012005011001")
    cid = r.complaint["id"]
    first = cp.lookup_status(world, NOBODY, r.receipt_no, "1980 0101 2005 0110 01")
    assert first.answer is None and not hasattr(first, "email") and not hasattr(first, "name")
    cp.take_complaint(world, KARO, cid)
    cp.propose_resolution(world, KARO, cid, text="Usulan internal")
    assert cp.lookup_status(world, NOBODY, r.receipt_no, "198001012005011001").answer is None
    cp.answer_complaint(world, KARO, cid, answer="Sudah kami perbaiki.")
    shown = cp.lookup_status(world, NOBODY, r.receipt_no, "198001012005011001")
    assert shown.status == "dijawab" and shown.answer == "Sudah kami perbaiki."
    cp.reopen_complaint(world, KARO, CAL, cid, reason="Belum tuntas")
    again = cp.lookup_status(world, NOBODY, r.receipt_no, "198001012005011001")
    assert again.status == "ditindaklanjuti" and again.answer is None


@pytest.mark.parametrize("number, contact", [("", "ani@setneg.go.id"), ("ADU-2026-0001", "  ")])
def test_the_lookup_asks_for_both_number_and_contact(world, number, contact):
    submit(world)
    with pytest.raises(ValidationError, match="nomor tanda terima dan kontak"):
        cp.lookup_status(world, NOBODY, number, contact)


@pytest.mark.parametrize("contact", ["ani", "setneg.go.id", "0", "%", "ani@setneg.go.i", "ADU-2026-0001"])
def test_partial_or_guessed_contacts_do_not_match(world, contact):
    r = submit(world, phone="081234567890")
    with pytest.raises(cp.ComplaintNotFound):
        cp.lookup_status(world, NOBODY, r.receipt_no, contact)


# ---- the Bureau's side ---------------------------------------------------------------------------

def test_the_inbox_flags_new_and_overdue_complaints_and_puts_overdue_first(world):
    fresh = submit(world, subject="baru", at=MON + dt.timedelta(days=14)).complaint["id"]
    late = submit(world, subject="terlambat", at=MON).complaint["id"]
    answered = submit(world, subject="dijawab", at=MON).complaint["id"]
    closed = submit(world, subject="ditutup", at=MON).complaint["id"]
    for cid in (answered, closed):
        cp.take_complaint(world, KARO, cid, at=MON)
        cp.answer_complaint(world, KARO, cid, answer="ok", at=MON)
    cp.close_complaint(world, KARO, closed, at=MON)
    now = MON + dt.timedelta(days=15)
    rows = cp.inbox(world, KARO, now=now)
    assert [r["id"] for r in rows] == [late, fresh, answered]
    flags = {r["id"]: (r["new"], r["overdue"]) for r in rows}
    assert flags == {late: (True, True), fresh: (True, False), answered: (False, False)}
    assert closed in [r["id"] for r in cp.inbox(world, KARO, now=now, include_done=True)]
    with pytest.raises(PermissionDenied):
        cp.inbox(world, UNIT, now=now)


def test_contact_details_are_hidden_from_roles_that_do_not_handle_complaints(world):
    row = world.get("complaints", submit(world, nip="198001012005011001", phone="0812345678").complaint["id"])
    assert cp.redact(row, KARO)["email"] == "ani@setneg.go.id"
    hidden = cp.redact(row, PIMPINAN)
    assert [hidden[f] for f in ("name", "nip", "email", "phone")] == [None] * 4
    assert hidden["subject"] == row["subject"]


def test_the_detail_shows_the_log_with_names_attachments_unit_and_case(world, tmp_path):
    files = LocalFileStore(tmp_path)
    cid = submit(world, actor=UNIT, case_id="C1").complaint["id"]
    cp.delegate_complaint(world, KARO, CAL, cid, instruction="Segera.", at=MON + dt.timedelta(hours=1))
    cp.log_follow_up(world, KABAG, cid, kind="rapat", text="Rapat dengan unit.", upload=cp.Upload("n.png",
                     b"\x89PNG\r\n\x1a\n" + b"0" * 10), files=files, at=MON + dt.timedelta(hours=2))
    d = cp.complaint_detail(world, KARO, cid)
    assert d["unit_name"] == "Biro Umum" and d["case"]["number"] == "K-2026-0001"
    assert [(a["kind"], a["who"]) for a in d["actions"]] == [("delegasi", "karo"), ("rapat", "Kepala Bagian")]
    assert d["actions"][1]["attachment"]["mime"] == "image/png"
    assert "Segera." in d["actions"][0]["text"] and "9 November 2026" in d["actions"][0]["text"]


def test_the_delegation_due_defaults_to_the_response_standard_in_working_days(world):
    cid = submit(world, at=MON).complaint["id"]
    friday = dt.datetime(2026, 11, 6, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    row = cp.delegate_complaint(world, KARO, CAL, cid, instruction="x", response_days=3, at=friday)
    assert row["due_at"] == dt.datetime(2026, 11, 11, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert row["delegated_at"] == friday and row["delegated_to"] == "EX-KABAG"


def test_a_due_date_picked_in_the_form_means_the_end_of_that_office_day_and_not_the_past(world):
    cid = submit(world, at=MON).complaint["id"]
    with pytest.raises(ValidationError, match="Tenggat"):
        cp.delegate_complaint(world, KARO, CAL, cid, instruction="x", due=dt.date(2026, 11, 1), at=MON)
    row = cp.delegate_complaint(world, KARO, CAL, cid, instruction="x", due=dt.date(2026, 11, 4), at=MON)
    assert row["due_at"] == dt.datetime(2026, 11, 4, 16, 0, tzinfo=cp.JAKARTA)


def test_reopening_withdraws_the_answer_and_sets_a_new_due(world):
    cid = submit(world, at=MON).complaint["id"]
    cp.take_complaint(world, KARO, cid, at=MON)
    cp.answer_complaint(world, KARO, cid, answer="Selesai.", at=MON)
    cp.close_complaint(world, KARO, cid, at=MON)
    later = MON + dt.timedelta(days=14)
    with pytest.raises(ValidationError, match="Alasan dibuka kembali: wajib diisi"):
        cp.reopen_complaint(world, KARO, CAL, cid, reason="", at=later)
    row = cp.reopen_complaint(world, KARO, CAL, cid, reason="Unit belum menerima draf.", at=later)
    assert (row["status"], row["answer"], row["closed_at"], row["reopen_reason"]) == (
        "ditindaklanjuti", None, None, "Unit belum menerima draf.")
    assert row["due_at"] == CAL.add_working_days(later, 5)


def test_a_follow_up_needs_text_and_a_known_kind(world):
    row = complaint_in(world, "didelegasikan")
    with pytest.raises(ValidationError, match="Uraian tindak lanjut: wajib diisi"):
        cp.log_follow_up(world, KABAG, row["id"], text=" ")
    with pytest.raises(ValidationError, match="Jenis tindak lanjut"):
        cp.log_follow_up(world, KABAG, row["id"], kind="lainnya?", text="x")
    assert world.get("complaints", row["id"]) == row


# ---- dashboard figures -------------------------------------------------------------------------

def test_complaint_figures_count_open_overdue_and_new(world):
    submit(world, at=MON)  # new, overdue by the 20th
    b = submit(world, at=MON + dt.timedelta(days=10)).complaint["id"]
    c = submit(world, at=MON).complaint["id"]
    cp.delegate_complaint(world, KARO, CAL, b, instruction="x", at=MON + dt.timedelta(days=10))
    cp.take_complaint(world, KARO, c, at=MON)
    cp.answer_complaint(world, KARO, c, answer="ok", at=MON)  # answered: neither open nor overdue
    frame = world.frames(["complaints"])["complaints"]
    figures = cp.complaint_figures(frame, MON + dt.timedelta(days=14))
    assert figures == cp.ComplaintFigures(total=3, open=2, overdue=1, new=1)
    assert cp.complaint_figures(frame, MON) == cp.ComplaintFigures(total=3, open=2, overdue=0, new=1)
    assert cp.complaint_figures(frame.iloc[0:0], MON) == cp.ComplaintFigures()
    with pytest.raises(ValidationError):
        cp.complaint_figures(frame, dt.datetime(2026, 11, 20))


def test_complaint_figures_accept_a_plain_frame_too():
    frame = pd.DataFrame({"status": ["diterima", "dijawab", "ditindaklanjuti"],
                          "due_at": [MON, MON, None]})
    assert cp.complaint_figures(frame, MON + dt.timedelta(days=1)) == cp.ComplaintFigures(3, 2, 1, 1)


def _macro_docx() -> bytes:
    from tests.test_attachments import DOCM_MAIN, VBA, VBA_RELATION, VBA_TYPE, docx

    return docx(DOCM_MAIN, (("bin", VBA_TYPE),), ((VBA_RELATION, "data1.bin", ""),), {"word/data1.bin": VBA})


REFUSED_UPLOADS = [(cp.Upload("besar.pdf", PDF + b"0" * (5 * 1024 * 1024 + 1)), "paling besar 5 MB"),
                   (cp.Upload("surat.docx", _macro_docx()), "makro"),
                   (cp.Upload("kosong.pdf", b""), "kosong")]


@pytest.mark.parametrize("upload, message", REFUSED_UPLOADS, ids=["over-limit", "macro", "empty"])
def test_filing_called_directly_refuses_a_bad_attachment_and_files_nothing(world, tmp_path, upload, message):
    files = LocalFileStore(tmp_path / "lampiran")
    with pytest.raises(ValidationError, match=message) as err:
        cp.submit_complaint(world, NOBODY, CAL, new(), upload=upload, files=files, at=MON)
    assert err.value.field == "attachment"
    assert world.count("complaints") == 0 and world.count("attachments") == 0
    assert not list((tmp_path / "lampiran").rglob("*.bin"))


@pytest.mark.parametrize("upload, message", REFUSED_UPLOADS, ids=["over-limit", "macro", "empty"])
def test_a_follow_up_called_directly_refuses_a_bad_attachment_and_logs_nothing(world, tmp_path, upload, message):
    row = complaint_in(world, "didelegasikan")
    files = LocalFileStore(tmp_path / "lampiran")
    with pytest.raises(ValidationError, match=message):
        cp.log_follow_up(world, KARO, row["id"], text="Sudah dihubungi.", upload=upload, files=files,
                         at=MON + dt.timedelta(hours=2))
    assert world.count("complaint_actions") == 0 and world.count("attachments") == 0
    assert world.get("complaints", row["id"])["version"] == row["version"]
