"""A small fixed world for the yearly evaluation, with figures that can be worked out by hand.

The calendar has office hours 07:30–16:00 (510 working minutes a day) and no public holidays, so
every expected figure can be checked with a pencil; the comment by each event gives the working
time it contributes."""
from __future__ import annotations

import datetime as dt

from data_access.duckdb_store import DuckDBRepository
from data_access.repository import prepare_insert
from domain import catalogue as cat
from domain.calendar import JAKARTA, WorkCalendar

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
     "doc_kind": "SOP", "pic_id": "EX-S", "drafts": 3, "status": "selesai", "started_at": j(2026, 3, 2, 8),
     "finished_at": j(2026, 3, 10, 9)},
    {"id": "C2", "number": "K-2026-0002", "title": "SP Arsip", "unit_ids": ["U1"], "track": cat.PERMEN,
     "doc_kind": "SP", "pic_id": "EX-1", "drafts": 2, "status": "aktif", "started_at": j(2026, 4, 1, 8)},
    # C3 finished in 2025 (the year before): 4 documents.
    {"id": "C3", "number": "K-2025-0001", "title": "SOP Kendaraan", "unit_ids": ["U1"], "track": cat.INTERN,
     "doc_kind": "SOP", "drafts": 4, "status": "selesai", "started_at": j(2025, 5, 5, 8),
     "finished_at": j(2025, 5, 6, 9)},
    {"id": "C4", "number": "K-2026-0003", "title": "SOP Tamu", "unit_ids": ["U1"], "track": cat.INTERN,
     "doc_kind": "SP dan SOP", "pic_id": "EX-1", "drafts": 1, "status": "aktif", "started_at": j(2026, 6, 29, 8)},
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


def fill(repo) -> None:
    """The world's records into an empty, initialised repository of any backend."""
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    tables = {"units": [{"id": "U1", "org_id": "O1", "name": "Biro Umum", "active": True}],
              "executors": EXECUTORS, "cases": CASES, "step_events": STEP_EVENTS, "holds": HOLDS,
              "complaints": COMPLAINTS, "complaint_actions": ACTIONS, "accounts": ACCOUNTS}
    for table, rows in tables.items():
        repo.import_rows(table, [prepare_insert(table, dict(r), "fixture", at) for r in rows])


def build_store(path) -> DuckDBRepository:
    """The world in a DuckDB file at ``path``."""
    repo = DuckDBRepository(path)
    repo.init()
    fill(repo)
    return repo




def karo():
    """The world's Kepala Biro as an actor (the account ``karo``, executor EX-K)."""
    from domain.permissions import Actor

    return Actor(id="acc-karo", username="karo", display_name="Karo", roles=frozenset({cat.KARO}), executor_id="EX-K")
