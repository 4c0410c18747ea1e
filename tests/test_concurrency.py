"""Concurrent intake and edits on every backend, Sheets faults during domain saves, and every domain
write refused for a role that may not make it.

Both backends: a real DuckDB file in tmp, and Google Sheets through a real gspread client over HTTP to
the local stand-in. Loops are bounded by count and by time; the figures of the concurrent-edit run are
printed (``pytest -s``)."""
from __future__ import annotations

import collections
import datetime as dt
import threading
import time

import pytest

from data_access.checksums import store_summary
from data_access.duckdb_store import DuckDBRepository
from data_access.schema import TABLES, columns
from data_access.sheets_store import SheetsRepository
from domain import accounts, complaints as cp, directory, evaluation, proposals as prp, tracker as trk
from domain.errors import PermissionDenied, StaleWriteError, StoreUnavailableError
from domain.permissions import ANONYMOUS, MATRIX, NOBODY, ROLES, Actor
from tests.apptest_helpers import ACTORS, readable, run_page
from tests.sheets_standin import make_client
from tests.clock import TEST_NOW
from tests.tracker_world import CAL, MONDAY, open_at, populate

pytestmark = pytest.mark.timeout(180)

N_INTAKE = 50
EDIT_THREADS = 20
EDIT_SECONDS = 5.0
EDIT_ATTEMPTS = 400


# ---- backends -------------------------------------------------------------------------------------

class Backend:
    """One populated store; ``session()`` gives what one more browser session of the same server
    would use (DuckDB: the same repository; Sheets: its own client on the same spreadsheet)."""

    def __init__(self, name, repo, standin=None, sid=None, sa_file=None):
        self.name, self.repo, self.standin, self.sid, self.sa_file = name, repo, standin, sid, sa_file

    def session(self):
        if self.name == "duckdb":
            return self.repo
        return SheetsRepository(make_client(self.standin, self.sa_file, backoff=False, timeout=30), self.sid,
                                backoff=0.01)

    def sheet_rows(self, table: str) -> list[list]:
        return self.standin.rows(self.sid, table)


@pytest.fixture(params=["duckdb", "sheets"])
def backend(request, tmp_path):
    if request.param == "duckdb":
        repo = DuckDBRepository(tmp_path / "store.duckdb")
        repo.init()
        populate(repo)
        yield Backend("duckdb", repo)
        repo.close()
        return
    standin = request.getfixturevalue("standin")
    sa = request.getfixturevalue("sa_file")
    standin.clear_faults()
    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(make_client(standin, sa, backoff=False, timeout=30), sid, backoff=0.01)
    repo.init()
    populate(repo)
    yield Backend("sheets", repo, standin, sid, sa)
    standin.clear_faults()


def run_threads(n: int, target) -> list[BaseException]:
    errors, lock = [], threading.Lock()

    def wrapped(i):
        try:
            target(i)
        except BaseException as exc:  # noqa: BLE001
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    [t.start() for t in threads]
    [t.join(timeout=150) for t in threads]
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return errors


# ---- (2) concurrent intake ----------------------------------------------------------------------------

def test_fifty_simultaneous_complaints_and_proposals_give_fifty_whole_rows_each(backend):
    repos = [backend.session() for _ in range(4)]  # a few sessions, shared by the threads
    complaint_subjects = {f"Pengaduan serentak nomor {i}" for i in range(N_INTAKE)}
    proposal_reasons = {f"Usulan serentak nomor {i}" for i in range(N_INTAKE)}
    receipts, numbers, lock = [], [], threading.Lock()

    def file_one(i):
        repo = repos[i % len(repos)]
        # each thread files one complaint and one proposal
        r = cp.submit_complaint(repo, NOBODY, CAL, cp.NewComplaint(
            kind="pengaduan", unit_id="UNIT-SETMEN-1", name=f"Pelapor {i}", email=f"p{i}@setneg.go.id",
            subject=f"Pengaduan serentak nomor {i}", description="Isi pengaduan."))
        p = prp.submit_proposal(repo, ACTORS["unit1"], prp.NewProposal(
            unit_id="UNIT-SETMEN-2", reason=f"Usulan serentak nomor {i}", contact_name="Petugas",
            contact="petugas@setneg.go.id"))
        with lock:
            receipts.append(r.receipt_no)
            numbers.append(p["number"])

    errors = run_threads(N_INTAKE, file_one)
    assert errors == []
    repo = backend.repo
    stored = repo.list("complaints")
    assert len(stored) == N_INTAKE and repo.count("complaints") == N_INTAKE
    assert {c["subject"] for c in stored} == complaint_subjects  # none overwritten, none lost
    assert all(c["receipt_no"] and c["id"] for c in stored)
    assert len({c["receipt_no"] for c in stored}) == N_INTAKE and sorted(receipts) == sorted(
        c["receipt_no"] for c in stored)
    assert len({c["id"] for c in stored}) == N_INTAKE
    props = repo.list("proposals")
    assert len(props) == N_INTAKE and {p["reason"] for p in props} == proposal_reasons
    assert all(p["number"] and p["id"] for p in props)
    assert len({p["number"] for p in props}) == N_INTAKE and sorted(numbers) == sorted(p["number"] for p in props)
    # each complaint has exactly one filing entry in the audit log
    filed = collections.Counter(e["entity_id"] for e in repo.audit("complaints") if e["action"] == "complaint.submit")
    assert set(filed) == {c["id"] for c in stored} and set(filed.values()) == {1}
    if backend.name == "sheets":  # appends inserted rows: header + 50, no blank rows, ids in place
        for table in ("complaints", "proposals"):
            rows = backend.sheet_rows(table)
            assert len(rows) == 1 + N_INTAKE, table
            idpos = rows[0].index("id")
            assert all(r and r[idpos] for r in rows[1:]), table


# ---- (3) concurrent edits -----------------------------------------------------------------------------

def test_twenty_sessions_editing_the_same_and_different_cases_lose_no_update(backend):
    repo = backend.repo
    case_ids = [open_at(repo, title=f"SOP serentak {k}")["id"] for k in range(4)]
    shared = case_ids[0]
    sessions = [backend.session() for _ in range(4)] if backend.name == "sheets" else [repo]
    accepted, refused, other = [], [], []  # accepted: (case_id, kind, value, version)
    lock = threading.Lock()
    attempts = iter(range(EDIT_ATTEMPTS))
    deadline = time.monotonic() + EDIT_SECONDS
    finishers = {3, 11}  # a few sessions finish the current step instead of editing notes

    def work(i):
        r = sessions[i % len(sessions)]
        target = shared if i % 2 == 0 else case_ids[1 + i % 3]
        n = 0
        while time.monotonic() < deadline:
            with lock:
                if next(attempts, None) is None:
                    return
            n += 1
            fresh = trk.load_case(r, target, CAL.minutes_per_day)
            try:
                if i in finishers:
                    code = fresh.current_code()
                    trk.finish_step(r, ACTORS["staf1"], CAL, target, code, expected_version=fresh.version,
                                    at=MONDAY + dt.timedelta(minutes=n))
                    with lock:
                        accepted.append((target, "finish", code, None))
                else:
                    value = f"sesi {i} percobaan {n}"
                    saved = trk.edit_case(r, ACTORS["kasubbag"], target, expected_version=fresh.version,
                                          changes={"notes": value})
                    with lock:
                        accepted.append((target, "notes", value, saved["version"]))
            except StaleWriteError:
                with lock:
                    refused.append(target)
            except Exception as exc:  # noqa: BLE001  - anything else is a failure of the test
                with lock:
                    other.append(exc)
                return

    errors = run_threads(EDIT_THREADS, work)
    assert errors == [] and other == []
    assert accepted, "no save was accepted"
    print(f"\n[{backend.name}] concurrent edits: {len(accepted)} accepted, {len(refused)} refused "
          f"(StaleWriteError), {len(accepted) + len(refused)} attempts, {EDIT_THREADS} threads, "
          f"{len(case_ids)} cases")
    for cid in case_ids:
        case = repo.get("cases", cid)
        mine = [a for a in accepted if a[0] == cid]
        entries = [e for e in repo.audit("cases", cid) if e["action"] == "update"]
        versions = sorted({int(e["version"]) for e in entries})
        # versions strictly increase without gaps: 2..N, and every accepted save is one of them
        assert versions == list(range(2, case["version"] + 1)), cid
        assert len(mine) == case["version"] - 1, cid  # zero lost updates, counted
        notes = {(e["new"], int(e["version"])) for e in entries if e["field"] == "notes"}
        for _, kind, value, version in mine:
            if kind == "notes":
                assert (value, version) in notes, (cid, value, version)
        note_saves = [a for a in mine if a[1] == "notes"]
        assert len(notes) == len(note_saves), cid
        if note_saves:  # the last accepted note is the one stored
            assert case["notes"] == max(note_saves, key=lambda a: a[3])[2]
        finished = [a for a in mine if a[1] == "finish"]
        view = trk.load_case(repo, cid, CAL.minutes_per_day)
        assert sum(1 for e in view.events.values() if e["status"] == "selesai") == len(finished), cid


def test_rows_sorted_and_inserted_by_hand_between_read_and_save_do_not_misdirect_an_update(standin, sa_file):
    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(make_client(standin, sa_file, backoff=False, timeout=30), sid, backoff=0.01)
    repo.init()
    populate(repo)
    ids = [open_at(repo, title=f"SOP {name}")["id"] for name in ("Arsip", "Mutasi", "Persuratan", "Zonasi")]
    target = ids[1]
    read = trk.load_case(repo, target, CAL.minutes_per_day)
    before = {c["id"]: c for c in repo.list("cases")}
    with standin.lock:  # someone sorts the sheet Z-A by title and types rows in between
        sh = standin.sheet(sid, "cases")
        title = columns("cases").index("title")
        sh["rows"][1:] = sorted(sh["rows"][1:], key=lambda r: r[title], reverse=True)
        sh["rows"].insert(2, [])
        sh["rows"].insert(1, [None, None, "catatan tanpa ID"])
        sh["rowCount"] += 2
    saved = trk.edit_case(repo, ACTORS["kasubbag"], target, expected_version=read.version,
                          changes={"notes": "dipindah oleh pengguna"})
    assert saved["id"] == target and saved["version"] == read.version + 1
    after = {c["id"]: c for c in repo.list("cases")}
    assert after[target]["notes"] == "dipindah oleh pengguna" and after[target]["title"] == "SOP Mutasi"
    for cid in ids:
        if cid != target:
            assert after[cid] == before[cid], cid
    entries = [e for e in repo.audit("cases", target) if e["action"] == "update"]
    assert [(e["field"], e["new"], e["version"]) for e in entries] == [("notes", "dipindah oleh pengguna", 2)]


# ---- (4) Sheets faults during domain saves ------------------------------------------------------------

# ``n`` matching writes get the fault. Opening a case writes twice (the case-number claim, then the
# case with its first step and audit entries): n=2 hits both; an edit is one write.
FAULTS = {
    "429 then success": lambda s, n: s.fail_next(n, 429, kind="batchUpdate"),
    "500 then success": lambda s, n: s.fail_next(n, 500, kind="batchUpdate"),
    "500 after the write landed": lambda s, n: s.fail_next(n, 500, kind="batchUpdate", apply_first=True),
    "slow answer beyond the timeout": lambda s, n: s.delay_next(n, 1.5, kind="batchUpdate"),
    "connection dropped after the write landed": lambda s, n: s.drop_next(n, kind="batchUpdate", apply_first=True),
    "connection dropped before the write": lambda s, n: s.drop_next(n, kind="batchUpdate"),
}
RECOVERED = {"429 then success", "500 then success", "500 after the write landed",
             "connection dropped after the write landed"}


def assert_no_duplicate_ids(standin, sid):
    for table in ("cases", "step_events", "audit", "sequences"):
        rows = standin.rows(sid, table)
        idpos = rows[0].index("id")
        counts = collections.Counter(r[idpos] for r in rows[1:] if len(r) > idpos and r[idpos])
        assert [k for k, n in counts.items() if n > 1] == [], table


def assert_cases_whole(repo):
    """Each case is there with its creation audit and first step (with its own audit), or none of
    them is; each case's update versions run 2..N without a gap."""
    cases = {c["id"]: c for c in repo.list("cases")}
    created = {e["entity_id"] for e in repo.audit("cases") if e["action"] == "create"}
    events = repo.list("step_events")
    assert set(cases) == created == {e["case_id"] for e in events}
    assert {e["id"] for e in events} == {e["entity_id"] for e in repo.audit("step_events") if e["action"] == "create"}
    for cid, case in cases.items():
        versions = sorted({int(e["version"]) for e in repo.audit("cases", cid) if e["action"] == "update"})
        assert versions == list(range(2, case["version"] + 1)), cid


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_sheets_fault_during_a_case_save_leaves_the_case_and_its_audit_whole(standin, sa_file, fault):
    standin.clear_faults()
    sid = standin.create_spreadsheet("SOP Tracker")
    repo = SheetsRepository(make_client(standin, sa_file, backoff=False, timeout=0.8), sid, backoff=0.01)
    repo.init()
    populate(repo)
    first = open_at(repo, title="SOP sebelum gangguan")
    saves = {  # name: (faulted writes, call)
        "claim": (1, lambda: open_at(repo, title="SOP A")),
        "claim and case": (2, lambda: open_at(repo, title="SOP B")),
        "edit": (1, lambda: trk.edit_case(repo, ACTORS["kasubbag"], first["id"], expected_version=1,
                                          changes={"notes": "x"})),
    }
    outcomes = {}
    for name, (n, call) in saves.items():
        FAULTS[fault](standin, n)
        try:
            call()
            outcomes[name] = "ok"
        except StoreUnavailableError as exc:
            assert str(exc).startswith("Google Sheets tidak dapat dihubungi"), str(exc)
            outcomes[name] = "unavailable"
        if "slow" in fault:
            time.sleep(1.5)  # a held request is still carried out by the server after the client gave up
        standin.clear_faults()
        assert_no_duplicate_ids(standin, sid)
        assert_cases_whole(repo)
    titles = collections.Counter(c["title"] for c in repo.list("cases"))
    assert titles["SOP sebelum gangguan"] == 1 and titles["SOP A"] <= 1 and titles["SOP B"] <= 1
    notes = repo.get("cases", first["id"])["notes"]
    if fault in RECOVERED:  # retried; a write that landed is not sent again
        assert outcomes == dict.fromkeys(saves, "ok")
        assert titles["SOP A"] == titles["SOP B"] == 1 and notes == "x"
    elif "slow" in fault:  # the person is told; the save may still land, whole
        assert set(outcomes.values()) == {"unavailable"}
        assert notes == "x" and repo.get("cases", first["id"])["version"] == 2
    else:  # dropped before it reached the sheet: retried once the sheet shows it did not land
        assert all(o in ("ok", "unavailable") for o in outcomes.values())
        assert (titles["SOP A"] == 1) == (outcomes["claim"] == "ok")
        assert (titles["SOP B"] == 1) == (outcomes["claim and case"] == "ok")
        assert (notes == "x") == (outcomes["edit"] == "ok")
    print(f"\n[sheets fault: {fault}] outcomes {outcomes}")


# ---- (6) every domain write refused for a role that may not -------------------------------------------

def actor_of(role: str) -> Actor:
    if role == ANONYMOUS:
        return NOBODY
    return Actor(id=f"acc-{role.lower()}", username=f"uji-{role.lower()}", display_name=role,
                 roles=frozenset({role}), unit_id="UNIT-SETMEN-2" if role == "Unit" else None,
                 executor_id="EX-STAF1" if role in ("Karo", "Kabag", "Kasubbag", "Staf") else None)


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    """A store with one of everything a write may touch."""
    repo = DuckDBRepository(tmp_path_factory.mktemp("sec") / "store.duckdb")
    repo.init()
    populate(repo)
    case = open_at(repo)
    proposal = prp.submit_proposal(repo, ACTORS["unit1"], prp.NewProposal(
        unit_id="UNIT-SETMEN-2", reason="Usulan", contact_name="Petugas", contact="petugas@setneg.go.id"))
    complaint = cp.submit_complaint(repo, NOBODY, CAL, cp.NewComplaint(
        unit_id="UNIT-SETMEN-1", name="Ani", email="ani@setneg.go.id", subject="S", description="D")).complaint
    account, _ = accounts.create_account(repo, ACTORS["admin"], accounts.AccountForm("ani", "Ani", "", ["Pimpinan"]))
    evaluation.save_conclusions(repo, ACTORS["karo"], 2026, "Kesimpulan", "Tindak lanjut", 0)
    yield repo, case, proposal, complaint, account
    repo.close()


def _writes(case, proposal, complaint, account):
    cid, pid, kid, aid = case["id"], proposal["id"], complaint["id"], account["id"]
    v = 1
    return [  # (action the matrix names, function, call)
        ("case.create", "tracker.open_case", lambda r, a: trk.open_case(r, a, CAL, trk.NewCase(
            title="SOP baru", unit_ids=["UNIT-SETMEN-1"], track="intern", started_at=MONDAY), at=MONDAY)),
        ("case.edit", "tracker.edit_case", lambda r, a: trk.edit_case(r, a, cid, expected_version=None,
                                                                      changes={"notes": "x"})),
        ("case.bulk_edit", "tracker.bulk_edit", lambda r, a: _bulk(r, a, cid)),
        ("step.update", "tracker.finish_step", lambda r, a: trk.finish_step(r, a, CAL, cid, "1.a",
                                                                            expected_version=None)),
        ("step.update", "tracker.skip_step", lambda r, a: trk.skip_step(r, a, CAL, cid, "1.a",
                                                                        expected_version=None, reason="x")),
        ("step.update", "tracker.annotate_step", lambda r, a: trk.annotate_step(
            r, a, CAL, cid, "1.a", expected_version=None, note="x", doc_link=None)),
        ("case.hold", "tracker.hold_case", lambda r, a: trk.hold_case(r, a, CAL, cid, expected_version=None,
                                                                      reason="menunggu")),
        ("proposal.submit", "proposals.submit_proposal", lambda r, a: prp.submit_proposal(r, a, prp.NewProposal(
            unit_id="UNIT-SETMEN-2", reason="x", contact_name="x", contact="x@setneg.go.id"))),
        ("proposal.decide", "proposals.accept_proposal", lambda r, a: prp.accept_proposal(
            r, a, CAL, pid, expected_version=None, acceptance=prp.Acceptance(track="intern"))),
        ("proposal.decide", "proposals.decline_proposal", lambda r, a: prp.decline_proposal(
            r, a, pid, expected_version=None, reason="x")),
        ("complaint.delegate", "complaints.delegate_complaint", lambda r, a: cp.delegate_complaint(
            r, a, CAL, kid, instruction="x")),
        ("complaint.delegate", "complaints.take_complaint", lambda r, a: cp.take_complaint(r, a, kid)),
        ("complaint.follow_up", "complaints.log_follow_up", lambda r, a: cp.log_follow_up(r, a, kid, text="x")),
        ("complaint.answer", "complaints.answer_complaint", lambda r, a: cp.answer_complaint(r, a, kid, answer="x")),
        ("complaint.close", "complaints.close_complaint", lambda r, a: cp.close_complaint(r, a, kid)),
        ("complaint.reopen", "complaints.reopen_complaint", lambda r, a: cp.reopen_complaint(
            r, a, CAL, kid, reason="x")),
        ("admin.accounts", "accounts.create_account", lambda r, a: accounts.create_account(
            r, a, accounts.AccountForm("budi", "Budi", "", ["Admin"]))),
        ("admin.accounts", "accounts.update_account", lambda r, a: accounts.update_account(
            r, a, aid, v, accounts.AccountForm("ani", "Ani", "", ["Pimpinan"]))),
        ("admin.accounts", "accounts.reset_password", lambda r, a: accounts.reset_password(r, a, aid, v)),
        ("admin.accounts", "accounts.unlock_account", lambda r, a: accounts.unlock_account(r, a, aid, v)),
        ("admin.units", "directory.save_unit", lambda r, a: directory.save_unit(
            r, a, directory.UnitForm("ORG-SETMEN", "Unit baru"))),
        ("admin.units", "directory.save_organisation", lambda r, a: directory.save_organisation(
            r, a, directory.OrganisationForm("Org baru"))),
        ("admin.executors", "directory.save_executor", lambda r, a: directory.save_executor(
            r, a, directory.ExecutorForm("Pelaksana baru", "", "Staf"))),
        ("evaluation.conclude", "evaluation.save_conclusions", lambda r, a: evaluation.save_conclusions(
            r, a, 2026, "diubah", "diubah", 1)),
    ]


def _bulk(repo, actor, cid):
    return trk.bulk_edit(repo, actor, [trk.BulkRow(cid, 1, {"notes": "massal"})])


def test_every_domain_write_called_directly_by_a_role_that_may_not_is_refused_and_changes_nothing(secured):
    repo, *world = secured
    tables = [t for t in TABLES if t != "audit"] + ["audit"]
    before = store_summary(repo, tables)
    tried = 0
    with repo.session():  # one open of the file for the whole table, as one page run holds it
        for action, name, call in _writes(*world):
            assert action in MATRIX, action
            for role in (*ROLES, ANONYMOUS):
                if role in MATRIX[action]:
                    continue
                with pytest.raises(PermissionDenied) as refused:
                    call(repo, actor_of(role))
                assert refused.value.action == action, (name, role, refused.value.action)
                tried += 1
    assert tried >= 100
    print(f"\n{tried} refused direct calls of {len(_writes(*world))} write functions")
    assert store_summary(repo, tables) == before  # not one row, not one audit entry


def test_a_role_taken_away_between_render_and_click_finishes_nothing(empty_app_store):
    """A crafted session: the page was drawn for a staff member, then the session's actor became a
    Pimpinan (read-only) before the button press. The rerun draws the page for the Pimpinan, who is
    not offered the button, so the press reaches no write: no traceback, the step stays running, and
    nothing at all is recorded (no save, and no refusal either: nothing was attempted)."""
    repo = DuckDBRepository(empty_app_store)
    repo.init()
    populate(repo)
    cid = open_at(repo, start=TEST_NOW - dt.timedelta(days=3))["id"]
    before = store_summary(repo, list(TABLES))
    repo.close()
    at = run_page("case_detail", "staf1", query={"id": cid})
    finish = next(b for b in at.button if readable(b.label) == "Selesaikan langkah 1.a")
    at.session_state["actor"] = ACTORS["pimpinan"]
    finish.click().run()
    assert not at.exception
    assert not [b for b in at.button if readable(b.label) == "Selesaikan langkah 1.a"], "not offered to a Pimpinan"
    repo = DuckDBRepository(empty_app_store)
    assert repo.get("step_events", f"{cid}-1.a")["status"] == "berjalan"
    after = store_summary(repo, list(TABLES))
    assert after == before  # not a step, case or audit row: the press wrote nothing
    assert [e for e in repo.audit() if e["actor"] == "pimpinan"] == []


def test_a_staff_member_opening_the_admin_page_is_refused_and_the_refusal_audited(app_store):
    at = run_page("admin", "staf1")
    assert not at.exception
    assert at.error and not at.button and not at.text_input
    entries = [e for e in DuckDBRepository(app_store).audit("page") if e["action"] == "permission_refused"]
    assert [(e["actor"], e["new"]) for e in entries] == [("staf1", "admin.accounts")]
