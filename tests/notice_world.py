"""A fixed world for the e-mail notice tests, as records: cases with running steps, complaints,
a proposal and accounts, all dated around Monday 7 December 2026 09:00 WIB. Hostile text sits in a
case title, a complaint's subject and name, an instruction, an answer and a decline reason.

What is due at ``NOW`` (16 mails), by rule:
  * K-2026-0001 step 3.b (the unit drafts) started Friday        -> started: unit1
  * K-2026-0002 step 1.b (Kabag) started Thursday, due 30 minutes later -> started: kabag;
    overdue: kabag (its PIC staf2 turned overdue notices off)
  * K-2026-0003 step 5.a.1 (Kabag, 3 days) due Monday 10:00      -> started: kabag; due soon: kabag, staf1
  * K-2026-0004 is on hold                                        -> nothing
  * ADU-2026-0001 filed Monday with an e-mail                    -> receipt: the complainant
  * ADU-2026-0002 delegated Friday, Kasubbag assigned            -> delegated: kabag; assigned: kasubbag
  * ADU-2026-0003 answered Monday                                -> answer: the complainant
  * ADU-2026-0004 handled by the Karo, due 30 November           -> overdue: karo
  * USL-2026-0001 declined Friday                                -> unit1 and the proposal's contact
  * daily digest: karo, kabag; weekly digest: pimpinan
kabag reads English (``mail_lang``); admin and an inactive Kabag get nothing.
"""
from __future__ import annotations

import datetime as dt

from data_access.repository import prepare_insert
from domain import catalogue as cat
from domain import tracker
from domain.calendar import JAKARTA, WorkCalendar
from domain.complaints import response_due

CAL = WorkCalendar()
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=JAKARTA)  # Monday, a working day
BASE_URL = "https://sop.example.go.id"
SENDER = "SOP Tracker <sop-tracker@setneg.example.go.id>"
HOSTILE_TITLE = '<script>alert("judul")</script> SOP Persuratan "><b>tebal</b>'
HOSTILE_SUBJECT = "<img src=x onerror=alert(1)> Draf tidak diterima"
HOSTILE_NAME = '"><b>Budi</b> Santoso'
HOSTILE_ANSWER = '<a href="javascript:alert(1)">klik</a> Terima kasih, draf sudah diperbaiki.'
HOSTILE_REASON = "Sudah ada SOP yang sama <iframe src=//x></iframe>"
HOSTILE_INSTRUCTION = "Hubungi unit <svg onload=alert(1)> hari ini"


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=JAKARTA)


EMAIL = {"karo": "karo@setneg.example.go.id", "kabag": "kabag@setneg.example.go.id",
         "kasubbag": "kasubbag@setneg.example.go.id", "staf1": "staf1@setneg.example.go.id",
         "staf2": "staf2@setneg.example.go.id", "pimpinan": "pimpinan@setneg.example.go.id",
         "unit1": "unit1@setneg.example.go.id", "admin": "admin@setneg.example.go.id",
         "old": "kabag.lama@setneg.example.go.id", "complainant": "pengadu@example.go.id",
         "answered": "warga@example.go.id", "contact": "kontak.unit@example.go.id"}

UNITS = [("UNIT-A", "ORG-1", "Biro Umum"), ("UNIT-B", "ORG-1", "Biro Keuangan")]
EXECUTORS = [("EX-KARO", "Karo Uji", "Karo"), ("EX-KABAG", "Kabag Uji", "Kabag"),
             ("EX-KASUBBAG", "Kasubbag Uji", "Kasubbag"), ("EX-STAF1", "Staf Satu", "Staf"),
             ("EX-STAF2", "Staf Dua", "Staf")]
ACCOUNTS = [
    # username, name, roles, unit, executor, extra
    ("karo", "Karo Uji", ["Karo"], None, "EX-KARO", {}),
    ("kabag", "Kabag Uji", ["Kabag"], None, "EX-KABAG", {"mail_lang": "en"}),
    ("kasubbag", "Kasubbag Uji", ["Kasubbag"], None, "EX-KASUBBAG", {}),
    ("staf1", "Staf Satu", ["Staf"], None, "EX-STAF1", {}),
    ("staf2", "Staf Dua", ["Staf"], None, "EX-STAF2", {"notices_off": ["langkah_terlambat"]}),
    ("pimpinan", "Pimpinan Uji", ["Pimpinan"], None, None, {}),
    ("unit1", "Petugas Biro Umum", ["Unit"], "UNIT-A", None, {}),
    ("admin", "Admin", ["Admin"], None, None, {}),
    ("old", "Kabag Lama", ["Kabag"], None, "EX-KABAG", {"active": False}),
]


def _case(n: int, title: str, units: list[str], pic: str, code: str, **kw) -> dict:
    return {"id": f"CASE-{n}", "number": f"K-2026-000{n}", "title": title, "org_id": "ORG-1", "unit_ids": units,
            "doc_kind": "SOP", "origin": "arahan_pimpinan", "track": "intern", "drafts": 1, "organisations": 1,
            "meeting_location": "dalam_kota", "team_decree": "menteri", "status": "aktif", "current_step": code,
            "pic_id": pic, "started_at": at(1, 8), **kw}


def _running(case: dict, code: str, start: dt.datetime) -> dict:
    # Every step of this world has its own time: due its standard time after it started.
    std = cat.STEP_BY_CODE[code].std.minutes(tracker.params_of(case), CAL.minutes_per_day)
    return {"id": f"{case['id']}-{code}", "case_id": case["id"], "step_code": code, "status": "berjalan",
            "started_at": start, "due_at": CAL.add(start, std), "backdated": False}


def records() -> dict[str, list[dict]]:
    c1 = _case(1, HOSTILE_TITLE, ["UNIT-A"], "EX-STAF1", "3.b")
    c2 = _case(2, "SOP Pengelolaan Arsip", ["UNIT-B"], "EX-STAF2", "1.b")
    c3 = _case(3, "SP Layanan Rapat", ["UNIT-B"], "EX-STAF1", "5.a.1")
    c4 = _case(4, "SOP Ditunda", ["UNIT-B"], "EX-STAF1", "1.b", status="ditunda", hold_since=at(4, 9),
               hold_reason="Menunggu arahan")
    events = [_running(c1, "3.b", at(4, 9)), _running(c2, "1.b", at(3, 10)), _running(c3, "5.a.1", at(2, 10)),
              _running(c4, "1.b", at(3, 10))]
    complaints = [
        {"id": "C1", "receipt_no": "ADU-2026-0001", "kind": "pengaduan", "unit_id": "UNIT-A", "name": HOSTILE_NAME,
         "email": EMAIL["complainant"], "subject": HOSTILE_SUBJECT, "description": "Uraian", "status": "diterima",
         "due_at": response_due(CAL, at(7, 8, 30), 5), "created_at": at(7, 8, 30)},
        {"id": "C2", "receipt_no": "ADU-2026-0002", "kind": "keluhan", "unit_id": "UNIT-B", "name": "Sari",
         "phone": "081234567890", "subject": "Jadwal rapat", "description": "Uraian", "status": "didelegasikan",
         "handler": "Kabag", "delegated_to": "EX-KABAG", "delegated_at": at(4, 14), "instruction": HOSTILE_INSTRUCTION,
         "due_at": at(10, 16), "assigned_to": ["EX-KASUBBAG"], "created_at": at(1, 10)},
        {"id": "C3", "receipt_no": "ADU-2026-0003", "kind": "masukan", "unit_id": "UNIT-B", "name": "Warga",
         "email": EMAIL["answered"], "subject": "Format SOP", "description": "Uraian", "status": "dijawab",
         "handler": "Karo", "answer": HOSTILE_ANSWER, "answered_at": at(7, 8), "due_at": at(4, 16),
         "created_at": at(30, 8, month=11)},
        {"id": "C4", "receipt_no": "ADU-2026-0004", "kind": "pengaduan", "unit_id": "UNIT-B", "name": "Anton",
         "phone": "081298765432", "subject": "Lama tidak dijawab", "description": "Uraian",
         "status": "ditindaklanjuti", "handler": "Karo", "due_at": at(30, 9, month=11),
         "created_at": at(23, 9, month=11)},
    ]
    actions = [{"id": "ACT-1", "complaint_id": "C2", "kind": "penugasan", "text": "Ditugaskan: Kasubbag Uji",
                "created_at": at(4, 15)}]
    proposals = [{"id": "P1", "number": "USL-2026-0001", "unit_id": "UNIT-A", "doc_kind": "SOP", "kind": "baru",
                  "n_docs": 2, "reason": "Perlu SOP baru", "contact_name": "Kontak Unit", "contact": EMAIL["contact"],
                  "status": "ditolak", "decision_reason": HOSTILE_REASON, "decided_at": at(4, 13),
                  "decided_by": "kabag", "created_at": at(1, 9)}]
    accounts = [{"id": f"acc-{u}", "username": u, "display_name": name, "email": EMAIL[u], "roles": roles,
                 "unit_id": unit, "executor_id": ex, "active": True, **extra}
                for u, name, roles, unit, ex, extra in ACCOUNTS]
    return {
        "organisations": [{"id": "ORG-1", "name": "Sekretariat Kementerian", "active": True}],
        "units": [{"id": i, "org_id": o, "name": n, "active": True} for i, o, n in UNITS],
        "executors": [{"id": i, "name": n, "role": r, "active": True} for i, n, r in EXECUTORS],
        "accounts": accounts, "cases": [c1, c2, c3, c4], "step_events": events,
        "holds": [{"id": "HOLD-1", "case_id": "CASE-4", "start_at": at(4, 9), "reason": "Menunggu arahan"}],
        "complaints": complaints, "complaint_actions": actions, "proposals": proposals,
    }


def load(repo) -> None:
    """The world into a store, stamped as written on 1 December (bulk load, like the demo data)."""
    stamp = at(1, 7, 30)
    for table, rows in records().items():
        repo.import_rows(table, [prepare_insert(table, r, "uji", r.get("created_at") or stamp) for r in rows])


# (kind, recipient) of every mail due at NOW
EXPECTED = sorted([
    ("langkah_mulai", EMAIL["unit1"]), ("langkah_mulai", EMAIL["kabag"]), ("langkah_terlambat", EMAIL["kabag"]),
    ("langkah_mulai", EMAIL["kabag"]), ("langkah_jatuh_tempo", EMAIL["kabag"]),
    ("langkah_jatuh_tempo", EMAIL["staf1"]), ("pengaduan_didelegasikan", EMAIL["kabag"]),
    ("pengaduan_ditugaskan", EMAIL["kasubbag"]), ("pengaduan_terlambat", EMAIL["karo"]),
    ("pengaduan_tanda_terima", EMAIL["complainant"]), ("pengaduan_jawaban", EMAIL["answered"]),
    ("usulan_diputuskan", EMAIL["unit1"]), ("usulan_diputuskan", EMAIL["contact"]),
    ("ringkasan_harian", EMAIL["karo"]), ("ringkasan_harian", EMAIL["kabag"]),
    ("ringkasan_mingguan", EMAIL["pimpinan"]),
])
assert len(EXPECTED) == 16 and cat.STEP_BY_CODE["5.a.1"].responsible == "Kabag"
