"""Complaints and their follow-up log, written once and run on every backend: a class per backend
inherits ``ComplaintsContract`` and gives a ``repo`` fixture (an empty, initialised repository).

The DuckDB file, Google Sheets (a real gspread client over HTTP to the local stand-in) and PostgreSQL
(a real server) run here; a new backend adds one class."""
from __future__ import annotations

import datetime as dt
import hashlib
import threading

import pytest

from data_access.file_store import LocalFileStore
from data_access.repository import Insert
from domain import complaints as cp
from domain.calendar import JAKARTA, WorkCalendar
from domain.errors import PermissionDenied, StaleWriteError, ValidationError
from domain.permissions import NOBODY, Actor

CAL = WorkCalendar()
MON = dt.datetime(2026, 11, 2, 9, 0, tzinfo=JAKARTA)  # a Monday, no holiday that week
PDF = b"%PDF-1.4\n%%EOF\n"

KARO = Actor(id="acc-karo", username="karo", display_name="Karo", roles=frozenset({"Karo"}), executor_id="EX-KARO")
KABAG = Actor(id="acc-kabag", username="kabag", display_name="Kabag", roles=frozenset({"Kabag"}),
              executor_id="EX-KABAG")
KASUBBAG = Actor(id="acc-kasubbag", username="kasubbag", display_name="Kasubbag", roles=frozenset({"Kasubbag"}),
                 executor_id="EX-KASUBBAG")
STAF = Actor(id="acc-staf1", username="staf1", display_name="Staf Satu", roles=frozenset({"Staf"}),
             executor_id="EX-STAF1")
UNIT = Actor(id="acc-unit1", username="unit1", display_name="Petugas Biro Umum", roles=frozenset({"Unit"}),
             unit_id="U1")
PIMPINAN = Actor(id="acc-pimpinan", username="pimpinan", display_name="Pimpinan", roles=frozenset({"Pimpinan"}))


def seed(repo) -> None:
    """Two units of one organisation, the executors, the unit user's account and one case of U1."""
    repo.apply([
        Insert("organisations", {"id": "ORG1", "name": "Sekretariat Kementerian", "short_name": "Setmen",
                                 "sort_order": 1, "active": True}),
        Insert("units", {"id": "U1", "org_id": "ORG1", "name": "Biro Umum", "active": True}),
        Insert("units", {"id": "U2", "org_id": "ORG1", "name": "Biro Hukum", "active": True}),
        Insert("units", {"id": "U3", "org_id": "ORG1", "name": "Biro Lama", "active": False}),
        Insert("executors", {"id": "EX-KARO", "name": "Karo", "role": "Karo", "active": True}),
        Insert("executors", {"id": "EX-KABAG", "name": "Kabag", "role": "Kabag", "active": True}),
        Insert("accounts", {"id": "acc-unit1", "username": "unit1", "display_name": "Petugas Biro Umum",
                            "email": "petugas@setneg.go.id", "roles": ["Unit"], "unit_id": "U1", "active": True}),
        Insert("accounts", {"id": "acc-kabag", "username": "kabag", "display_name": "Kepala Bagian",
                            "roles": ["Kabag"], "active": True}),
        Insert("cases", {"id": "C1", "number": "K-2026-0001", "title": "SOP Persuratan", "org_id": "ORG1",
                         "unit_ids": ["U1"], "status": "aktif"}),
        Insert("cases", {"id": "C2", "number": "K-2026-0002", "title": "SOP Bantuan Hukum", "org_id": "ORG1",
                         "unit_ids": ["U2"], "status": "aktif"}),
    ], actor="seed", at=MON - dt.timedelta(days=30))


def new(**kw) -> cp.NewComplaint:
    base = dict(kind="pengaduan", unit_id="U1", name="Ani Wijaya", email="ani@setneg.go.id",
                subject="Draf SOP belum dikembalikan", description="Draf kami kirim sebulan lalu.\nMohon kabar.")
    base.update(kw)
    return cp.NewComplaint(**base)


def submit(repo, actor=NOBODY, at=MON, **kw):
    upload = kw.pop("upload", None)
    files = kw.pop("files", None)
    return cp.submit_complaint(repo, actor, CAL, new(**kw), upload=upload, files=files, at=at)


class ComplaintsContract:
    @pytest.fixture
    def world(self, repo):
        seed(repo)
        return repo

    def test_a_filed_complaint_reads_back_whole_with_its_receipt_number_and_due(self, world):
        receipt = submit(world, nip="19800101 200501 1 001", phone="+62 812-3456-7890", case_ref=" k-2026-0001 ")
        assert receipt.receipt_no == "ADU-2026-0001"
        row = world.get("complaints", receipt.complaint["id"])
        assert row["receipt_no"] == "ADU-2026-0001" and row["status"] == "diterima"
        assert row["nip"] == "198001012005011001" and row["phone"] == "+62 812-3456-7890"
        assert row["description"] == "Draf kami kirim sebulan lalu.\nMohon kabar."
        # Anonymous: the typed case number is kept as text, never looked up; no case id.
        assert row["case_id"] is None and row["case_ref"] == "K-2026-0001" and row["created_by"] == "anonim"
        assert row["assigned_to"] in (None, [])
        assert row["created_at"] == MON
        assert row["due_at"] == dt.datetime(2026, 11, 9, 9, 0, tzinfo=JAKARTA)  # 5 working days
        assert row["handler"] is None and row["answer"] is None

    def test_a_unit_user_picks_a_case_of_their_own_unit_and_it_is_stored_by_id(self, world):
        row = world.get("complaints", submit(world, actor=UNIT, case_id="C1").complaint["id"])
        assert row["case_id"] == "C1" and row["case_ref"] is None and row["created_by"] == "unit1"

    def test_receipt_numbers_follow_each_other_and_skip_numbers_already_used(self, world):
        world.import_rows("complaints", [{"id": "OLD", "receipt_no": "ADU-2026-0002", "kind": "masukan",
                                          "unit_id": "U1", "name": "x", "subject": "s", "description": "d",
                                          "status": "ditutup", "version": 1}])
        numbers = [submit(world).receipt_no for _ in range(3)]
        assert numbers == ["ADU-2026-0001", "ADU-2026-0003", "ADU-2026-0004"]

    def test_concurrent_filings_get_distinct_receipt_numbers(self, world):
        got, errors, lock = [], [], threading.Lock()

        def file_one(i):
            try:
                r = submit(world, subject=f"Pengaduan {i}")
                with lock:
                    got.append(r.receipt_no)
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(exc)

        threads = [threading.Thread(target=file_one, args=(i,)) for i in range(self.concurrency)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        assert errors == []
        assert sorted(got) == [f"ADU-2026-{i:04d}" for i in range(1, self.concurrency + 1)]
        assert world.count("complaints") == self.concurrency

    def test_the_whole_path_is_recorded_with_who_and_when(self, world, tmp_path):
        files = LocalFileStore(tmp_path / "lampiran")
        cid = submit(world).complaint["id"]
        cp.delegate_complaint(world, KARO, CAL, cid, instruction="Hubungi unit, laporkan Jumat.",
                              at=MON + dt.timedelta(hours=1))
        cp.log_follow_up(world, KABAG, cid, kind="menghubungi_unit", text="Menelepon Bu Ani.",
                         upload=cp.Upload("notulen.pdf", PDF), files=files, at=MON + dt.timedelta(hours=2))
        cp.answer_complaint(world, KABAG, cid, answer="Draf dikembalikan hari ini.", at=MON + dt.timedelta(hours=3))
        cp.close_complaint(world, KARO, cid, at=MON + dt.timedelta(hours=4))
        row = world.get("complaints", cid)
        assert row["status"] == "ditutup" and row["handler"] == "Kabag" and row["delegated_to"] == "EX-KABAG"
        assert row["instruction"] == "Hubungi unit, laporkan Jumat."
        assert row["answered_at"] == MON + dt.timedelta(hours=3) and row["closed_at"] == MON + dt.timedelta(hours=4)
        actions = sorted(world.list("complaint_actions", {"complaint_id": cid}), key=lambda a: a["created_at"])
        assert [(a["kind"], a["created_by"]) for a in actions] == [
            ("delegasi", "karo"), ("menghubungi_unit", "kabag"), ("jawaban", "kabag"), ("penutupan", "karo")]
        assert actions[1]["created_at"] == MON + dt.timedelta(hours=2)
        meta = world.get("attachments", actions[1]["attachment_id"])
        assert meta["name"] == "notulen.pdf" and meta["sha256"] == hashlib.sha256(PDF).hexdigest()
        assert files.get(meta["id"], meta["path"], meta["sha256"]) == PDF
        statuses = [(e["old"], e["new"]) for e in world.audit("complaints", cid) if e["field"] == "status"]
        assert statuses == [("diterima", "didelegasikan"), ("didelegasikan", "ditindaklanjuti"),
                            ("ditindaklanjuti", "dijawab"), ("dijawab", "ditutup")]

    def test_the_lookup_finds_by_number_and_contact_and_nothing_else(self, world):
        mine = submit(world, email="Ani@Setneg.go.id", phone="0812 3456 7890").receipt_no
        other = submit(world, name="Budi", email="budi@setneg.go.id").receipt_no
        assert cp.lookup_status(world, NOBODY, mine.lower(), "ani@setneg.go.id").status == "diterima"
        assert cp.lookup_status(world, NOBODY, mine, "+62 812-3456-7890").receipt_no == mine
        with pytest.raises(cp.ComplaintNotFound) as wrong_contact:
            cp.lookup_status(world, NOBODY, mine, "budi@setneg.go.id")
        with pytest.raises(cp.ComplaintNotFound) as wrong_number:
            cp.lookup_status(world, NOBODY, "ADU-2026-9999", "ani@setneg.go.id")
        assert wrong_contact.value.message == wrong_number.value.message
        assert cp.lookup_status(world, NOBODY, other, "budi@setneg.go.id").receipt_no == other

    def test_a_save_on_an_old_version_is_refused_and_changes_nothing(self, world):
        cid = submit(world).complaint["id"]
        seen = world.get("complaints", cid)["version"]
        cp.take_complaint(world, KARO, cid, expected_version=seen)
        with pytest.raises(StaleWriteError):
            cp.delegate_complaint(world, KARO, CAL, cid, instruction="x", expected_version=seen)
        row = world.get("complaints", cid)
        assert row["status"] == "ditindaklanjuti" and row["version"] == seen + 1
        assert [a["kind"] for a in world.list("complaint_actions", {"complaint_id": cid})] == ["ditangani_karo"]

    def test_the_kabags_assignment_reads_back_as_a_list_and_gates_the_follow_up(self, world):
        world.apply([Insert("executors", {"id": "EX-STAF1", "name": "Staf Satu", "role": "Staf", "active": True}),
                     Insert("executors", {"id": "EX-KASUBBAG", "name": "Kasubbag", "role": "Kasubbag",
                                          "active": True})], actor="seed", at=MON - dt.timedelta(days=1))
        cid = submit(world).complaint["id"]
        row = cp.delegate_complaint(world, KARO, CAL, cid, instruction="Tindak lanjuti.", at=MON)
        with pytest.raises(PermissionDenied):
            cp.log_follow_up(world, STAF, cid, text="Belum ditugaskan.", at=MON + dt.timedelta(minutes=30))
        cp.assign_executors(world, KABAG, cid, ["EX-STAF1", "EX-KASUBBAG"], expected_version=row["version"],
                            at=MON + dt.timedelta(hours=1))
        assert world.get("complaints", cid)["assigned_to"] == ["EX-KASUBBAG", "EX-STAF1"]
        assert cp.log_follow_up(world, STAF, cid, text="Menghubungi unit.",
                                at=MON + dt.timedelta(hours=2))["status"] == "ditindaklanjuti"
        assert [a["kind"] for a in world.list("complaint_actions", {"complaint_id": cid})] == [
            "delegasi", "penugasan", "tindak_lanjut"]

    def test_a_refused_filing_writes_nothing(self, world):
        with pytest.raises(ValidationError):
            submit(world, email="", nip="", phone="")
        assert world.count("complaints") == 0 and world.count("sequences") == 0
        assert [e for e in world.audit() if e["entity"] == "complaints"] == []


class TestComplaintsDuckDB(ComplaintsContract):
    concurrency = 8

    @pytest.fixture
    def repo(self, duckdb_repo):
        return duckdb_repo


# ---- Google Sheets, through the local stand-in ------------------------------------------------------

class TestComplaintsSheets(ComplaintsContract):
    concurrency = 4

    @pytest.fixture
    def repo(self, standin, sheets_client):
        from data_access.sheets_store import SheetsRepository

        standin.clear_faults()
        repo = SheetsRepository(sheets_client, standin.create_spreadsheet("SOP Tracker"), backoff=0.01)
        repo.init()
        return repo


# ---- PostgreSQL, on the server the tests start ------------------------------------------------------

class TestComplaintsPostgres(ComplaintsContract):
    concurrency = 12

    @pytest.fixture
    def repo(self, pg_repo):
        return pg_repo
