"""A small world for the tracker tests: two organisations, three units, five executors, in a real
DuckDB file; and a helper to open a case at a fixed instant."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import tempfile

from data_access.file_store import LocalFileStore
from data_access.repository import prepare_insert, utcnow
from domain import outputs as out
from domain import tracker as trk
from domain.ports import store_session
from domain.calendar import JAKARTA, WorkCalendar
from tests.apptest_helpers import ACTORS

CAL = WorkCalendar()
# Monday 2 March 2026, 08:00 WIB: a working day well in the past.
MONDAY = dt.datetime(2026, 3, 2, 8, 0, tzinfo=JAKARTA)

ORGS = [("ORG-SETMEN", "Sekretariat Kementerian"), ("ORG-HUKUM", "Deputi Bidang Hukum dan Perundang-undangan")]
UNITS = [("UNIT-SETMEN-1", "ORG-SETMEN", "Biro Tata Usaha"), ("UNIT-SETMEN-2", "ORG-SETMEN", "Biro Umum"),
         ("UNIT-HUKUM-1", "ORG-HUKUM", "Biro Hukum (uji)")]
EXECUTORS = [("EX-KARO", "Karo Uji", "Karo"), ("EX-KABAG", "Kabag Uji", "Kabag"),
             ("EX-KASUBBAG", "Kasubbag Uji", "Kasubbag"), ("EX-STAF1", "Staf Satu", "Staf"),
             ("EX-STAF2", "Staf Dua", "Staf")]


def populate(repo) -> None:
    at = utcnow()
    repo.import_rows("organisations", [prepare_insert("organisations", {"id": i, "name": n, "active": True}, "uji", at)
                                       for i, n in ORGS])
    repo.import_rows("units", [prepare_insert("units", {"id": i, "org_id": o, "name": n, "active": True}, "uji", at)
                               for i, o, n in UNITS])
    repo.import_rows("executors", [prepare_insert("executors", {"id": i, "name": n, "role": r, "active": True},
                                                  "uji", at) for i, n, r in EXECUTORS])


@contextmanager
def populated(repo):
    """The populated store, held open for the test (as one page run holds it). Test modules
    define their ``world`` fixture with it."""
    populate(repo)
    with store_session(repo):
        yield repo


def open_at(repo, start: dt.datetime = MONDAY, actor: str = "staf1", **kw) -> dict:
    fields = dict(title="SOP Pelayanan Persuratan", unit_ids=["UNIT-SETMEN-1"], track="intern", drafts=3,
                  pic_id="EX-STAF1", started_at=start)
    fields.update(kw)
    return trk.open_case(repo, ACTORS[actor], CAL, trk.NewCase(**fields), at=start)


def view(repo, case_id: str) -> trk.CaseView:
    return trk.load_case(repo, case_id, CAL.minutes_per_day)


def finish_current(repo, case_id: str, at: dt.datetime, actor: str = "staf1") -> trk.CaseView:
    v = view(repo, case_id)
    trk.finish_step(repo, ACTORS[actor], CAL, case_id, v.current_code(), expected_version=v.version, at=at)
    return view(repo, case_id)


# A signed document as a scanner writes it: a small but real PDF.
SIGNED_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
              b"trailer<</Root 1 0 R>>\n%%EOF\n")


def record_outputs(repo, case_id: str, at: dt.datetime, files=None, actor: str = "staf1") -> list[dict]:
    """Record every document the case drafts (what a case needs before its last step closes)."""
    case = repo.get("cases", case_id)
    files = files or LocalFileStore(tempfile.mkdtemp(prefix="lampiran-"))
    have = len(repo.list("outputs", {"case_id": case_id}))
    kind = out.kinds_of(case.get("doc_kind"))[0]
    saved = []
    for i in range(have, int(case.get("drafts") or 1)):
        form = out.OutputForm(kind=kind, title=f"{kind} {case['title']} {i + 1}", unit_id=case["unit_ids"][0],
                              doc_number=f"{i + 1}/{at.year}", doc_date=at.astimezone(JAKARTA).date(),
                              archive_ref=f"ARS-{case['number']}-{i + 1}", pdf_name=f"ttd-{i + 1}.pdf",
                              pdf=SIGNED_PDF)
        saved.append(out.record_output(repo, ACTORS[actor], case_id, form, files=files, at=at))
    return saved


def finish_all(repo, case_id: str, at: dt.datetime, step: dt.timedelta = dt.timedelta(minutes=20),
               actor: str = "staf1") -> tuple[trk.CaseView, dt.datetime]:
    """Finish every step of a case one ``step`` after the other, its output recorded before the last."""
    v = view(repo, case_id)
    while v.current_code():
        at += step
        if len([s for s in v.steps if v.status_of(s.code) not in trk.CLOSED_STEP]) == 1:
            record_outputs(repo, case_id, at, actor=actor)
        v = finish_current(repo, case_id, at, actor)
    return v, at
