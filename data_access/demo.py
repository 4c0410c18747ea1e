"""Demo data, clearly labelled: the ministry's real organisations (Perpres 24/2015), invented units
and invented staff names. Loaded on first start into an empty store; ``python -m cli.demo``
loads it on demand (``--empty`` creates the schema and records in the store, as the ``settings`` row
``start_empty``, that it is meant to start empty, so the app does not fill it on its next start).

Cases are laid out along the procedure with the working-time calendar: some finished, some late,
some on hold, across both tracks, so every screen has something true to show.
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Callable

from data_access.frames import typed_frame
from data_access.checksums import row_text
from data_access.repository import Insert, Log, Repository, prepare_insert, utcnow
from data_access.snapshot import Snapshot
from domain import catalogue as cat
from domain import timing_update
from domain.calendar import JAKARTA, WorkCalendar, now
from domain.errors import DomainError
from domain.models import (
    ACTIVE, C_ANSWERED, C_CLOSED, C_DELEGATED, C_FOLLOW_UP, C_RECEIVED, DONE, FINISHED, ON_HOLD, ORIGINS,
    PROPOSAL_NEW, RUNNING, SKIPPED,
)

DEMO_ACTOR = "demo"
DEMO_MARK = "demo_data"
EMPTY_MARK = "start_empty"  # settings row written by ``--empty``: never load demo data on start-up
CONSOLE_ACTOR = "konsol"

ORGANISATIONS = [
    ("ORG-SETMEN", "Sekretariat Kementerian", "Setmen"),
    ("ORG-SETPRES", "Sekretariat Presiden", "Setpres"),
    ("ORG-SETWAPRES", "Sekretariat Wakil Presiden", "Setwapres"),
    ("ORG-SETMILPRES", "Sekretariat Militer Presiden", "Setmilpres"),
    ("ORG-HUKUM", "Deputi Bidang Hukum dan Perundang-undangan", "Dep. Hukum"),
    ("ORG-HUBLEM", "Deputi Bidang Hubungan Kelembagaan dan Kemasyarakatan", "Dep. Hublem"),
    ("ORG-ADMAPA", "Deputi Bidang Administrasi Aparatur", "Dep. Admapa"),
    ("ORG-SAHLI", "Staf Ahli", "Sahli"),
]

# Bureaus named by the seed, plus invented units (marked "(demo)") so each organisation has some.
UNITS = {
    "ORG-SETMEN": ["Biro Tata Usaha", "Biro Umum", "Biro Keuangan", "Biro Informasi dan Teknologi",
                   "Biro Sumber Daya Manusia (demo)"],
    "ORG-SETPRES": ["Biro Protokol Presiden (demo)", "Biro Pers dan Media (demo)"],
    "ORG-SETWAPRES": ["Biro Umum Setwapres (demo)", "Biro Protokol Wakil Presiden (demo)"],
    "ORG-SETMILPRES": ["Biro Tata Usaha Setmilpres (demo)"],
    "ORG-HUKUM": ["Biro Peraturan Perundang-undangan (demo)", "Biro Hukum (demo)"],
    "ORG-HUBLEM": ["Biro Hubungan Masyarakat (demo)", "Biro Pengaduan Masyarakat (demo)"],
    "ORG-ADMAPA": ["Biro Organisasi, Tata Laksana, dan Akuntabilitas Kinerja", "Biro Perencanaan (demo)"],
    "ORG-SAHLI": ["Sekretariat Staf Ahli (demo)"],
}

EXECUTORS = [
    ("EX-KARO", "Dr. Ratna Wulandari, S.H., M.Si. (demo)", "197204121998032001", cat.KARO),
    ("EX-KABAG", "Agus Prasetyo, S.Sos., M.AP. (demo)", "197808082003121002", cat.KABAG),
    ("EX-KASUBBAG", "Maria Theresia Sinaga, S.E. (demo)", "198501152009122003", cat.KASUBBAG),
    ("EX-STAF1", "Dimas Ardiansyah, S.Kom. (demo)", "199203302015031001", cat.STAF),
    ("EX-STAF2", "Siti Nurhaliza, S.AP. (demo)", "199407222018012002", cat.STAF),
    ("EX-STAF3", "I Gusti Ayu Made Sari, S.H. (demo)", "199511042019022001", cat.STAF),
    ("EX-STAF4", "Yohanes Kurniawan, A.Md. (demo)", "199609172020121001", cat.STAF),
]
ROLE_EXECUTOR = {cat.KARO: ["EX-KARO"], cat.KABAG: ["EX-KABAG"], cat.KASUBBAG: ["EX-KASUBBAG"],
                 cat.STAF: ["EX-STAF1", "EX-STAF2", "EX-STAF3", "EX-STAF4"]}

TITLES = ["Pelayanan Administrasi Persuratan", "Pengelolaan Arsip Dinamis", "Pelayanan Perjalanan Dinas",
          "Pengadaan Barang/Jasa", "Penyusunan Laporan Kinerja", "Pelayanan Tamu Pimpinan",
          "Pengelolaan Kendaraan Dinas", "Pelayanan Informasi Publik", "Penanganan Pengaduan Masyarakat",
          "Penyusunan Rancangan Peraturan", "Pengelolaan Kepegawaian", "Pelayanan Keprotokolan",
          "Pengelolaan Situs Web", "Pelayanan Rapat dan Acara"]


def _executor_for(step: cat.Step, rng: random.Random) -> str | None:
    for role in step.actors:
        if role in ROLE_EXECUTOR:
            return rng.choice(ROLE_EXECUTOR[role])
    return None


def build_demo(calendar: WorkCalendar, today: dt.datetime | None = None, seed: int = 2026,
               n_cases: int = 40) -> dict[str, list[dict]]:
    """Demo records per table (plain dicts), deterministic for a seed and a 'today'."""
    rng = random.Random(seed)
    today = (today or now()).astimezone(JAKARTA)
    out: dict[str, list[dict]] = {t: [] for t in ("organisations", "units", "executors", "cases",
                                                  "step_events", "holds", "proposals", "complaints",
                                                  "complaint_actions", "settings", "outputs")}
    out["settings"].append({"id": DEMO_MARK, "value": "Data demo: nama pegawai dan sebagian unit kerja rekaan."})
    for i, (oid, name, short) in enumerate(ORGANISATIONS):
        out["organisations"].append({"id": oid, "name": name, "short_name": short, "sort_order": i + 1,
                                     "active": True})
    unit_org: dict[str, str] = {}
    for oid, names in UNITS.items():
        for j, name in enumerate(names):
            uid = f"UNIT-{oid[4:]}-{j + 1}"
            unit_org[uid] = oid
            out["units"].append({"id": uid, "org_id": oid, "name": name, "active": True})
    for eid, name, nip, role in EXECUTORS:
        out["executors"].append({"id": eid, "name": name, "nip": nip, "role": role, "active": True})

    unit_ids = list(unit_org)
    for n in range(n_cases):
        org = rng.choice([o for o, _, _ in ORGANISATIONS])
        units = [u for u in unit_ids if unit_org[u] == org]
        chosen = rng.sample(units, k=rng.randint(1, len(units)))
        track = cat.PERMEN if rng.random() < 0.6 else cat.INTERN
        params = cat.CaseParams(track, drafts=rng.randint(2, 30), units=len(chosen), organisations=1,
                                meeting_location=cat.IN_TOWN if rng.random() < 0.7 else cat.OUT_OF_TOWN,
                                team_decree=cat.DECREE_MENTERI if rng.random() < 0.8 else cat.DECREE_DEPUTI)
        steps = cat.steps_for(params)
        sla = cat.step_minutes(params, calendar.minutes_per_day)
        # Spread the start dates over the last 14 months, older cases further along.
        age = rng.randint(120, 420) if n % 4 == 0 else rng.randint(3, 75)
        started = calendar.normalise(today - dt.timedelta(days=age))
        case_id = f"CASE-{n + 1:04d}"
        status, t, current = ACTIVE, started, None
        slowness = rng.choice([0.6, 0.8, 1.0, 1.0, 1.3, 1.8])
        for step in steps:
            if t > today:
                current = current or step.code
                break
            due = calendar.add(t, sla[step.code])
            actual = max(10, sla[step.code] * slowness * rng.uniform(0.5, 1.6)) if sla[step.code] else \
                rng.randint(1, 6) * calendar.minutes_per_day
            end = calendar.add(t, actual)
            skipped = step.code in ("9.b",) and rng.random() < 0.2
            event = {"id": f"{case_id}-{step.code}", "case_id": case_id, "step_code": step.code,
                     "started_at": t, "due_at": due, "actor_id": _executor_for(step, rng),
                     "backdated": False, "status": DONE, "finished_at": end, "note": None,
                     "doc_link": None, "reason": None}
            if skipped:
                event.update(status=SKIPPED, finished_at=t, reason="Pencetakan dilakukan oleh unit (demo)")
                end = t
            if end > today:
                event.update(status=RUNNING, finished_at=None)
                out["step_events"].append(event)
                current = step.code
                break
            out["step_events"].append(event)
            t = end
        else:
            status = FINISHED
        case = {"id": case_id, "number": f"K-{started.year}-{n + 1:04d}",
                "title": f"{params.track == cat.PERMEN and 'SP dan SOP' or 'SOP'} {rng.choice(TITLES)}",
                "org_id": org, "unit_ids": chosen, "doc_kind": rng.choice(["SP", "SOP", "SP dan SOP"]),
                "origin": rng.choice(ORIGINS), "track": track, "drafts": params.drafts, "organisations": 1,
                "meeting_location": params.meeting_location, "team_decree": params.team_decree,
                "status": status, "current_step": None if status == FINISHED else current,
                "pic_id": rng.choice(ROLE_EXECUTOR[cat.STAF]), "target_date": None,
                "notes": None, "started_at": started, "finished_at": t if status == FINISHED else None,
                "created_at": started}
        if status == ACTIVE and n % 9 == 4:
            case.update(status=ON_HOLD, hold_since=today - dt.timedelta(days=5),
                        hold_reason="Pimpinan meminta menunggu reorganisasi unit (demo)")
            out["holds"].append({"id": f"HOLD-{case_id}", "case_id": case_id, "start_at": case["hold_since"],
                                 "end_at": None, "reason": case["hold_reason"]})
        out["cases"].append(case)

    for i, uid in enumerate(rng.sample(unit_ids, 3)):
        out["proposals"].append({"id": f"PROP-{i + 1:03d}", "number": f"USL-{today.year}-{i + 1:04d}",
                                 "unit_id": uid, "doc_kind": "SOP", "kind": "revisi" if i else "baru",
                                 "n_docs": rng.randint(2, 12), "reason": "Perubahan tugas dan fungsi unit (demo)",
                                 "contact_name": "Petugas unit (demo)", "contact": "petugas.demo@example.go.id",
                                 "status": PROPOSAL_NEW, "created_at": today - dt.timedelta(days=i + 1)})

    statuses = [C_RECEIVED, C_RECEIVED, C_DELEGATED, C_FOLLOW_UP, C_ANSWERED, C_CLOSED, C_DELEGATED]
    subjects = ["Jadwal pembahasan draf SOP belum jelas", "Format SOP berbeda dengan pedoman",
                "Usulan penambahan SOP layanan baru", "Draf final belum diterima kembali",
                "Masukan tentang formulir usulan", "Permintaan salinan Permensesneg", "Rapat kerja bentrok"]
    for i, status in enumerate(statuses):
        created = calendar.normalise(today - dt.timedelta(days=3 + 4 * i))
        c = {"id": f"ADU-DEMO-{i + 1}", "receipt_no": f"ADU-{created.year}-{i + 1:04d}",
             "kind": ["pengaduan", "keluhan", "masukan"][i % 3], "unit_id": rng.choice(unit_ids),
             "name": f"Pegawai Unit {i + 1} (demo)", "email": f"pegawai{i + 1}.demo@example.go.id",
             "subject": subjects[i], "description": f"{subjects[i]}. Mohon tindak lanjut. (demo)",
             "status": status, "created_at": created,
             # The response clock runs from filing (complaint_response_days, default 5 working days).
             "due_at": calendar.add(created, 5 * calendar.minutes_per_day)}
        if status == C_ANSWERED and "UNIT-SETMEN-2" in unit_ids:
            c["unit_id"] = "UNIT-SETMEN-2"  # the demo unit account's unit: its list is not empty
        if status != C_RECEIVED:
            c.update(handler=cat.KABAG, delegated_to="EX-KABAG", delegated_at=created + dt.timedelta(hours=2),
                     instruction="Mohon ditindaklanjuti dan dilaporkan (demo)",
                     due_at=calendar.add(created, 5 * calendar.minutes_per_day))
            out["complaint_actions"].append({"id": f"ACT-{i + 1}-1", "complaint_id": c["id"], "kind": "delegasi",
                                             "text": c["instruction"], "created_at": c["delegated_at"],
                                             "created_by": "karo"})
        if status in (C_FOLLOW_UP, C_ANSWERED, C_CLOSED):
            out["complaint_actions"].append({"id": f"ACT-{i + 1}-2", "complaint_id": c["id"],
                                             "kind": "tindak_lanjut", "text": "Menghubungi unit melalui telepon (demo)",
                                             "created_at": created + dt.timedelta(days=1), "created_by": "kabag"})
        if status in (C_ANSWERED, C_CLOSED):
            c.update(answer="Telah dijelaskan dan draf diperbaiki (demo)", answered_at=created + dt.timedelta(days=2))
        if status == C_CLOSED:
            c.update(closed_at=created + dt.timedelta(days=3))
        out["complaints"].append(c)
    out["outputs"] = _demo_outputs(out, unit_org, seed)
    out["sequences"] = _counters(out)
    return out


def _demo_outputs(records: dict[str, list[dict]], unit_org: dict[str, str], seed: int) -> list[dict]:
    """The register's documents of the finished demo cases: one per draft, enacted together by one
    Permensesneg on that track, each an internal document on the other; the latest finished case not
    yet on the website. A random stream of its own, so the other tables stay as they were."""
    rng = random.Random(seed + 1)
    finished = sorted((c for c in records["cases"] if c["status"] == FINISHED), key=lambda c: c["finished_at"])
    unit_names = {u["id"]: u["name"] for u in records["units"]}
    rows = []
    for n, case in enumerate(finished):
        day = case["finished_at"].astimezone(JAKARTA).date()
        kinds = [k for k in ("SP", "SOP") if k in case["doc_kind"].replace("SOP", " SOP ").split()] or ["SOP"]
        regulation = f"Nomor {rng.randint(1, 40)} Tahun {day.year}"
        published = n < len(finished) - 1
        for i in range(case["drafts"]):
            unit = case["unit_ids"][i % len(case["unit_ids"])]
            kind = kinds[i % len(kinds)]
            number = regulation if case["track"] == cat.PERMEN else f"{kind}-{i + 1:02d}/{unit[5:]}/{day.year}"
            rows.append({
                "id": f"OUT-{case['id'][5:]}-{i + 1:02d}", "case_id": case["id"], "kind": kind,
                "title": f"{kind} {rng.choice(TITLES)} {unit_names[unit]} ({i + 1})",
                "unit_id": unit, "doc_number": number, "doc_date": day,
                "web_link": f"https://setneg.example.go.id/demo/sop/{case['id'].lower()}-{i + 1}" if published else None,
                "archive_ref": f"ARS/OTA/{day.year}/{n + 1:03d}-{i + 1:02d} (demo)", "attachment_id": None,
                "created_at": case["finished_at"]})
    return rows


def demo_pdf(title: str) -> bytes:
    """A one-page PDF saying it stands in for a signed document (demo data): written by hand so that
    loading the demo needs no PDF library."""
    text = f"CONTOH DATA DEMO - {title}".encode("latin-1", "replace").replace(b"\\", b"/")
    text = text.replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 60 780 Td (" + text[:90] + b") Tj 0 -24 Td (Bukan dokumen resmi.) Tj ET"
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
               b"<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def attach_demo_pdfs(records: dict[str, list[dict]], files) -> None:
    """Give each demo document a stand-in signed PDF in the file store (the app's first start does;
    a store loaded without a file store keeps its documents without one)."""
    import hashlib

    records.setdefault("attachments", [])
    for row in records.get("outputs", []):
        data = demo_pdf(row["title"])
        attachment_id = f"ATT-{row['id']}"
        path = files.put(attachment_id, data)
        records["attachments"].append({"id": attachment_id, "name": f"{row['id'].lower()}.pdf", "mime": "application/pdf",
                                       "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "path": path,
                                       "created_at": row["created_at"]})
        row["attachment_id"] = attachment_id


def _counters(records: dict[str, list[dict]]) -> list[dict]:
    """Numbering counters that continue after the demo's own numbers (receipts, proposals, cases)."""
    highest: dict[str, int] = {}
    for table, column, name in (("complaints", "receipt_no", "ADU-{year}"), ("proposals", "number", "usulan-{year}"),
                                ("cases", "number", "kasus-{year}")):
        for row in records[table]:
            _, year, n = row[column].split("-")
            key = name.format(year=year)
            highest[key] = max(highest.get(key, 0), int(n))
    return [{"id": key, "value": value} for key, value in sorted(highest.items())]


# Other areas (accounts) may register extra demo loaders: fn(repo, records) -> None.
EXTRA_LOADERS: list[Callable[[Repository, dict], None]] = []


def _load_demo_accounts(repo: Repository, records: dict) -> None:
    from data_access.demo_accounts import load_demo_accounts  # one account per role, see that module

    load_demo_accounts(repo, records)


EXTRA_LOADERS.append(_load_demo_accounts)


class DemoNotStored(DomainError):
    """The store accepted the demo data, yet reading it back does not find all of it."""


def load_demo(repo: Repository, calendar: WorkCalendar, today: dt.datetime | None = None, *,
              verify: bool = False, files=None) -> dict[str, int]:
    """Bulk-load the demo set (one import, one audit entry saying so). ``verify``: read it back
    afterwards (one read on Google Sheets) and raise DemoNotStored naming what is not there.
    ``files``: the attachment file store, for the register documents' stand-in PDFs."""
    records = build_demo(calendar, today)
    if files is not None:
        attach_demo_pdfs(records, files)
    # Due instants as the timing rule has them, and the store marked as following it.
    frames = {t: typed_frame(t, [prepare_insert(t, r, DEMO_ACTOR, utcnow()) for r in records[t]])
              for t in ("cases", "step_events", "holds")}
    due = timing_update.due_instants(frames["step_events"], frames["cases"], frames["holds"], calendar,
                                     (today or now()).astimezone(JAKARTA))
    for e in records["step_events"]:
        e["due_at"] = due.get(e["id"])
    at = utcnow()
    written = {table: [prepare_insert(table, row, DEMO_ACTOR, at) for row in rows] for table, rows in records.items()}
    for table, rows in written.items():
        repo.import_rows(table, rows)
    repo.apply([Log("demo_loaded", "store", "", f"{sum(map(len, records.values()))} baris data demo")],
               actor=DEMO_ACTOR)
    for loader in EXTRA_LOADERS:
        loader(repo, records)
    if verify:
        problems = not_stored(repo, written)
        if problems:
            raise DemoNotStored("data demo tidak tersimpan utuh — " + "; ".join(problems)
                                + ". Periksa penyimpanan (di Google Sheets: lembar yang diubah atau dihapus).")
    return {table: len(rows) for table, rows in records.items()}


def _same_text(table: str, row: dict) -> str:
    """A row as compared after reading back: an empty list and an empty cell are the same."""
    return row_text(table, {k: (None if v == [] else v) for k, v in row.items()})


def not_stored(repo: Repository, written: dict[str, list[dict]]) -> list[str]:
    """What of ``written`` the store does not give back as written, per table (all tables in one read)."""
    back = Snapshot(repo.frames(list(written)))
    problems = []
    for table, rows in written.items():
        found = {r["id"]: r for r in back.list(table)}
        present = [r for r in rows if r["id"] in found]
        changed = sum(1 for r in present if _same_text(table, r) != _same_text(table, found[r["id"]]))
        if len(present) < len(rows) or changed:
            problems.append(f"{table}: {len(rows)} baris ditulis, {len(present)} terbaca kembali"
                            + (f", {changed} berbeda" if changed else ""))
    return problems


def is_empty(repo: Repository) -> bool:
    return all(repo.count(t) == 0 for t in ("organisations", "units", "cases", "accounts"))


def wants_empty(repo: Repository) -> bool:
    """True once ``--empty`` has recorded that this store is meant to start without demo data."""
    return repo.get("settings", EMPTY_MARK) is not None


def mark_empty(repo: Repository, actor: str = CONSOLE_ACTOR) -> bool:
    """Record (audited) that the store starts empty; False if it was already recorded."""
    if wants_empty(repo):
        return False
    repo.apply([Insert("settings", {"id": EMPTY_MARK,
                                    "value": "Penyimpanan disiapkan kosong (--empty): data demo tidak dimuat."})],
               actor=actor)
    return True


def load_demo_if_empty(repo: Repository, calendar: WorkCalendar, files=None) -> bool:
    if not is_empty(repo) or wants_empty(repo):
        return False
    load_demo(repo, calendar, files=files)
    return True

