"""Bad input beyond the store's own checks: formula-like text on Google Sheets is stored as text
(never a formula), CSV/XLSX exports and the dashboard CSV hold no live formula, the evaluation PDF
prints odd names as plain text, and the pages show user text verbatim, never as Markdown or HTML."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import unicodedata

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from data_access.duckdb_store import DuckDBRepository
from data_access.repository import Update
from data_access.sheets_store import SheetsRepository
from domain import complaints as cp
from domain import tracker as trk
from domain.spreadsheet_safety import FORMULA_STARTS
from reports.exports import frame_to_csv
from reports.evaluation import build_executor_pdf
from reports.exports import to_csv, to_xlsx
from tests.contracts import complaints as cc
from tests.apptest_helpers import ACTORS, run_page
from tests.sheets_standin import SheetsStandIn, make_client, write_service_account_file
from tests.test_bad_input import NASTY
from tests.tracker_world import CAL, MONDAY, open_at, populate

pytestmark = pytest.mark.timeout(180)
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FORMULAS = ["=IMPORTXML(\"http://evil\",\"//a\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1 catatan",
            "=HYPERLINK(\"http://evil\",\"klik\")", "=1+1", "'=1+1", "+62 812 5555", "\uff1d1+1", "\uff20SUM(A1)"]
MARKUP = ["**tebal** ZQX", ":red[merah] ZQX", "[klik](javascript:alert(1)) ZQX", "<b>html</b> ZQX",
          "<script>alert(1)</script> ZQX", "# judul ZQX", "`kode` ZQX", "مرحبا ZQX \u200b"]


# ---- (a) Google Sheets: formula-like text is stored as text ---------------------------------------

@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    with SheetsStandIn() as standin:
        sa = tmp_path_factory.mktemp("sa") / "service_account.json"
        write_service_account_file(sa, standin)
        client = make_client(standin, sa, backoff=False, timeout=10)
        sid = standin.create_spreadsheet("SOP Tracker")
        repo = SheetsRepository(client, sid, backoff=0.01)
        repo.init()
        populate(repo)
        desk_sid = standin.create_spreadsheet("SOP Tracker pengaduan")
        desk = SheetsRepository(client, desk_sid, backoff=0.01)
        desk.init()
        cc.seed(desk)
        yield repo, standin, sid, desk, desk_sid
    assert standin.errors == []


def test_formula_like_text_on_every_write_path_is_stored_on_sheets_as_text_never_as_a_formula(sheets):
    repo, standin, sid, desk, desk_sid = sheets
    title, notes, step_note, reason = FORMULAS[0], FORMULAS[1], FORMULAS[2], FORMULAS[3]
    case = open_at(repo, title=title, notes=notes)
    v = trk.load_case(repo, case["id"], CAL.minutes_per_day)
    trk.finish_step(repo, ACTORS["staf1"], CAL, case["id"], "1.a", expected_version=v.version,
                    at=MONDAY + dt.timedelta(hours=1), note=step_note)
    v = trk.load_case(repo, case["id"], CAL.minutes_per_day)
    skipped = v.current_code()
    trk.skip_step(repo, ACTORS["staf1"], CAL, case["id"], skipped, expected_version=v.version,
                  reason=reason, at=MONDAY + dt.timedelta(hours=2))
    v = trk.load_case(repo, case["id"], CAL.minutes_per_day)
    trk.edit_case(repo, ACTORS["staf1"], case["id"], expected_version=v.version, changes={"notes": FORMULAS[5]})
    receipt = cp.submit_complaint(desk, cc.NOBODY, cc.CAL, cc.new(name="@Ani", subject=FORMULAS[6],
                                                                   description=FORMULAS[4] + "\n=2*3"), at=cc.MON)
    row = cp.delegate_complaint(desk, cc.KARO, cc.CAL, receipt.complaint["id"], instruction=FORMULAS[7],
                                expected_version=receipt.complaint["version"], at=cc.MON + dt.timedelta(hours=1))
    assert standin.formula_log == []
    assert standin.formula_cells(sid) == set() and standin.formula_cells(desk_sid) == set()
    for write in standin.requests_of("batchUpdate"):
        assert "formulaValue" not in repr(write.body)
    back = repo.get("cases", case["id"])
    assert (back["title"], back["notes"]) == (title, FORMULAS[5])
    events = {e["step_code"]: e for e in repo.list("step_events", {"case_id": case["id"]})}
    assert events["1.a"]["note"] == step_note and events[skipped]["reason"] == reason
    saved = desk.get("complaints", row["id"])
    assert (saved["name"], saved["subject"], saved["description"], saved["instruction"]) == (
        "@Ani", FORMULAS[6], (FORMULAS[4] + "\n=2*3").strip(), FORMULAS[7])


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.one_of(st.sampled_from(FORMULAS + NASTY[7:17]), st.text(min_size=1, max_size=40)))
def test_any_edited_case_notes_read_back_equal_from_sheets_and_no_cell_becomes_a_formula(sheets, text):
    repo, standin = sheets[:2]
    case = repo.list("cases")[0]
    try:
        trk.edit_case(repo, ACTORS["staf1"], case["id"], expected_version=case["version"], changes={"notes": text})
    except trk.ValidationError as exc:
        assert exc.field == "notes" and str(exc).strip()
        assert repo.get("cases", case["id"]) == case
    else:
        assert repo.get("cases", case["id"])["notes"] == (text.strip() or None)
    assert standin.formula_log == []


# ---- (b) exports: no live formula in a CSV or XLSX ----------------------------------------------

CELL = st.one_of(st.sampled_from(FORMULAS + NASTY + MARKUP), st.text(max_size=30), st.integers(), st.none(),
                 st.floats(allow_nan=False, allow_infinity=False, width=32), st.dates())


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or unicodedata.normalize("NFKC", text[:8]).startswith(FORMULA_STARTS)


@SETTINGS
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=5),
       header=st.sampled_from(["Judul", "=Judul", "@Kolom"]))
def test_no_exported_xlsx_cell_is_a_formula_and_every_formula_like_text_is_prefixed(rows, header):
    ws = load_workbook(io.BytesIO(to_xlsx([header, "B", "C"], rows))).active
    for line in ws.iter_rows():
        for c in line:
            assert c.data_type != "f", c.value
            if isinstance(c.value, str):
                assert not formula_like(c.value), repr(c.value)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            if isinstance(value, str) and formula_like(value):
                assert ws.cell(row=r, column=col).value.startswith("'")


@SETTINGS
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=5))
def test_no_exported_csv_cell_starts_like_a_formula(rows):
    text = to_csv(["=Judul", "B", "C"], rows).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(parsed) == len(rows) + 1
    for line in parsed:
        for cell in line:  # only a number (a negative one) may start with '-'
            assert not formula_like(cell) or re.fullmatch(r"-\d+(,\d+)?", cell), repr(cell)


@SETTINGS
@given(values=st.lists(st.one_of(st.sampled_from(FORMULAS + MARKUP), st.text(max_size=20)), min_size=1,
                       max_size=6))
def test_the_dashboard_csv_neutralises_every_formula_like_cell(values):
    frame = pd.DataFrame({"=Kolom": values, "Jumlah": range(len(values))})
    parsed = list(csv.reader(io.StringIO(frame_to_csv(frame).decode("utf-8-sig"), newline=""), delimiter=";"))
    assert parsed[0][0] == "'=Kolom"
    for line in parsed[1:]:
        assert not formula_like(line[0]), repr(line[0])
    assert [line[1] for line in parsed[1:]] == [str(i) for i in range(len(values))]


def test_a_line_break_inside_a_dashboard_cell_cannot_start_a_new_row_with_a_formula():
    frame = pd.DataFrame({"Judul": ["SOP\r=HYPERLINK(\"http://evil\")", "a\nb", "\r"], "Jumlah": [1, 2, 3]})
    parsed = list(csv.reader(io.StringIO(frame_to_csv(frame).decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(parsed) == 4 and [line[1] for line in parsed[1:]] == ["1", "2", "3"]
    assert parsed[1][0] == "SOP\r=HYPERLINK(\"http://evil\")" and parsed[3][0] == "'\r"


def test_the_case_list_export_of_hostile_titles_holds_no_formula(duckdb_repo):
    populate(duckdb_repo)
    with duckdb_repo.session():
        for title in FORMULAS[:5] + MARKUP[:3]:
            open_at(duckdb_repo, title=title, notes="\r=1+1")
        headers, rows = trk.export_rows(trk.load_summary(duckdb_repo, CAL, MONDAY + dt.timedelta(hours=3)))
    ws = load_workbook(io.BytesIO(to_xlsx(headers, rows))).active
    titles = [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)]
    typed = [t.strip() for t in FORMULAS[:5] + MARKUP[:3]]
    assert sorted(titles) == sorted(("'" + t if formula_like(t) else t) for t in typed)
    assert all(c.data_type != "f" for line in ws.iter_rows() for c in line)


# ---- (c) the evaluation PDF prints odd names as plain text ----------------------------------------

@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    from data_access.evaluation_data import evaluation_for_year
    from tests.evaluation_world import NOW, build_store
    from tests.evaluation_world import CAL as EV_CAL

    repo = build_store(tmp_path_factory.mktemp("pdf") / "store.duckdb")
    ev = evaluation_for_year(repo, 2026, EV_CAL, NOW)
    repo.close()
    return ev


@pytest.mark.parametrize("name", ["=IMPORTXML(\"http://evil\",\"//a\")", "<b>Ani</b> <script>x</script>",
                                  "مرحبا سارة", "@SUM(A1) -2+3", "**Ani** :red[x]"])
def test_the_executor_pdf_prints_a_hostile_name_as_plain_text(evaluation, name):
    ev = evaluation
    me = ev.evaluated_executors[0]
    renamed = dataclasses.replace(me, executor=dataclasses.replace(me.executor, name=name))
    ev2 = dataclasses.replace(ev, executors=tuple(renamed if e.executor.id == me.executor.id else e
                                                  for e in ev.executors))
    pdf = build_executor_pdf(ev2, me.executor.id)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    if name.startswith("مرحبا"):
        assert "سارة" in text or "ةراس" in text  # right-to-left text may be extracted in visual order
    else:
        assert name in text
    assert b"/JavaScript" not in pdf and b"/JS " not in pdf and b"/URI" not in pdf


# ---- (d) the pages show user text verbatim ------------------------------------------------------

RENDERED = ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success")
RAW_MARKUP = (":red[", "](javascript", "**tebal**", "**Setmen**", "**ZQX**", "<b>", "<script>", "`kode`")


def markdown_sources(at) -> list[str]:
    return [str(e.value) for kind in RENDERED for e in getattr(at, kind)]


def shown_verbatim(at) -> str:
    parts = [str(e.value) for e in at.text] + [str(e.value) for e in at.code]
    for frame in at.dataframe:
        parts += [str(v) for v in frame.value.astype(str).to_numpy().ravel()]
    return "\n".join(parts)


def assert_inert(at):
    """No Markdown element carries the user's markup unescaped."""
    assert not at.exception
    for source in markdown_sources(at):
        if "ZQX" in source:
            for raw in RAW_MARKUP:
                assert raw not in source, source


def test_case_title_notes_and_step_note_with_markup_are_shown_as_typed_on_the_case_detail(empty_app_store):
    repo = DuckDBRepository(empty_app_store)
    repo.init()
    populate(repo)
    org_name = "**Setmen** :red[uji] ZQX"  # names typed by an administrator are shown as typed too
    repo.apply([Update("organisations", "ORG-SETMEN", {"name": org_name}, 1)], actor="uji")
    with repo.session():
        case = open_at(repo, title=MARKUP[0] + " " + MARKUP[1], notes=MARKUP[2] + "\n" + MARKUP[3])
        v = trk.load_case(repo, case["id"], CAL.minutes_per_day)
        trk.finish_step(repo, ACTORS["staf1"], CAL, case["id"], "1.a", expected_version=v.version,
                        at=MONDAY + dt.timedelta(hours=1), note=MARKUP[4] + " " + MARKUP[5],
                        doc_link="[klik](javascript:alert(1))")
    repo.close()
    at = run_page("case_detail", "staf1", query={"id": case["id"]})
    assert_inert(at)
    sources = "\n".join(markdown_sources(at))
    assert any("ZQX" in s for s in markdown_sources(at)), "the title is shown"
    assert "\\*\\*tebal\\*\\*" in sources and "\\:\u2060red\\[merah\\]" in sources  # escaped, shown as typed
    assert "\\*\\*Setmen\\*\\* \\:\u2060red\\[uji\\]" in sources
    verbatim = shown_verbatim(at)
    assert MARKUP[4] + " " + MARKUP[5] in verbatim  # the step note in the checklist table
    assert "[klik](javascript:alert(1))" in verbatim


def test_complaint_text_with_markup_is_shown_as_typed_in_the_inbox_and_the_status_lookup(empty_app_store):
    repo = DuckDBRepository(empty_app_store)
    repo.init()
    cc.seed(repo)
    repo.apply([Update("units", "U1", {"name": "Biro :red[Umum] **ZQX**"}, 1)], actor="uji")
    with repo.session():
        receipt = cp.submit_complaint(repo, cc.NOBODY, cc.CAL, cc.new(
            name=MARKUP[4], subject=MARKUP[1], description=MARKUP[2] + "\n" + MARKUP[0]), at=cc.MON)
        row = cp.delegate_complaint(repo, cc.KARO, cc.CAL, receipt.complaint["id"], instruction=MARKUP[3],
                                    expected_version=receipt.complaint["version"], at=cc.MON + dt.timedelta(hours=1))
        cp.log_follow_up(repo, cc.KABAG, row["id"], text="Menghubungi unit.", at=cc.MON + dt.timedelta(hours=2))
        row = repo.get("complaints", row["id"])
        cp.answer_complaint(repo, cc.KABAG, row["id"], answer=MARKUP[5] + " " + MARKUP[1],
                            expected_version=row["version"], at=cc.MON + dt.timedelta(hours=3))
    repo.close()
    at = run_page("complaint_inbox", "karo", query={"nomor": receipt.receipt_no})
    assert_inert(at)
    assert any("Biro \\:\u2060red\\[Umum\\] \\*\\*ZQX\\*\\*" in s for s in markdown_sources(at))
    verbatim = shown_verbatim(at)
    for text in (MARKUP[1], MARKUP[2] + "\n" + MARKUP[0], MARKUP[3], MARKUP[5] + " " + MARKUP[1]):
        assert text in verbatim, text
    status = run_page("complaint_status")
    status.text_input(key="cs_number").set_value(receipt.receipt_no)
    status.text_input(key="cs_contact").set_value("ani@setneg.go.id")
    status = next(b for b in status.button if b.label == "Cek status").click().run()
    assert_inert(status)
    verbatim = shown_verbatim(status)
    assert MARKUP[1] in verbatim and MARKUP[5] + " " + MARKUP[1] in verbatim
