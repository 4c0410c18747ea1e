"""The yearly PDF read back with pypdf for what the Karo signs: a running year printed as provisional
and as a draft without signatures; a concluded year with its number, the Karo's signature and the
official who acknowledges it; tables whose rows add up to their printed totals; each executor's
sheet with their own cases, the Karo's notes and their acknowledgement line."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from data_access.evaluation_data import evaluation_for_year
from domain.evaluation import (
    conclude_year, fmt_days, fmt_int, record_sanction, save_acknowledger, save_conclusions, save_note, save_targets,
)
from reports.evaluation import build_executor_pdf, build_yearly_pdf
from tests.evaluation_world import CAL, NOW, build_store, karo


def pages_of(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    repo = build_store(tmp_path_factory.mktemp("state") / "store.duckdb")
    save_conclusions(repo, karo(), 2025, "Kinerja 2025 baik.", "Pelatihan.", expected_version=0)
    save_targets(repo, karo(), 2025, 80, 1, expected_version=1)
    save_acknowledger(repo, karo(), 2025, "Deputi Bidang Administrasi Aparatur", "Dr. Bambang Sutrisno",
                      "196801011990031001", expected_version=2)
    save_note(repo, karo(), 2025, "EX-1", competence={"a": "memadai", "c": "perlu_ditingkatkan"},
              competence_note="Perlu pelatihan analisis.", note="Teliti dan rapi.",
              recommendation="Ikut pelatihan penyusunan SOP.", expected_version=0)
    record_sanction(repo, karo(), "EX-1", "teguran_lisan", "2025-05-05", "Terlambat berulang", "B-7/OTAK/2025",
                    now=NOW)
    conclude_year(repo, karo(), 2025, expected_version=3, now=NOW)
    running = evaluation_for_year(repo, 2026, CAL, NOW)
    closed = evaluation_for_year(repo, 2025, CAL, NOW)
    repo.close()
    return running, closed


def test_a_running_year_is_provisional_and_a_draft_on_every_page_without_a_signature(world):
    running, _ = world
    assert running.provisional and not running.final
    pages = pages_of(build_yearly_pdf(running))
    assert "sementara, data s.d. 30 Juni 2026" in pages[0] and "DRAF" in pages[0]
    for i, page in enumerate(pages[1:], start=2):
        assert "DRAF · sementara, data s.d. 30 Juni 2026" in page, i
    text = " ".join(pages)
    assert "belum ditetapkan oleh Kepala Biro" in text
    for part in ("selaku penanggung jawab", "NIP 197001012000032001", "Mengetahui", "Nomor EKP-"):
        assert part not in text, part


def test_a_concluded_closed_year_carries_its_number_the_signature_and_the_acknowledging_official(world):
    _, closed = world
    assert closed.final and not closed.provisional
    pages = pages_of(build_yearly_pdf(closed))
    assert "Nomor EKP-2025-001" in pages[0]
    for i, page in enumerate(pages[1:], start=2):
        assert "(Nomor EKP-2025-001)" in page, i
    text = " ".join(pages)
    for part in ("sementara", "DRAF", "belum ditetapkan"):
        assert part not in text, part
    signature = next(p for p in pages if "selaku penanggung jawab" in p)
    for part in ("Jakarta, 30 Juni 2026", "Dr. Ratna Wulandari", "NIP 197001012000032001", "Mengetahui,",
                 "Deputi Bidang Administrasi Aparatur,", "Dr. Bambang Sutrisno", "NIP 196801011990031001"):
        assert part in signature, part


def test_the_roles_table_adds_up_to_the_bureau_total_row_printed_under_it(world):
    running, _ = world
    page = next(p for p in pages_of(build_yearly_pdf(running)) if "Per peran" in p)
    table = page[page.index("Per peran"):]
    found = {}
    for r in running.roles:
        label = {"Karo": "Kepala Biro", "Kabag": "Kepala Bagian", "Kasubbag": "Kepala Subbagian", "Staf": "Staf",
                 "Tim Penyusun": "Tim Penyusun", "eksternal": "Pihak di luar Biro"}[r.role]
        m = re.search(re.escape(label) + r" (\S+) (\d+) (?:– |[\d,]+% \((\d+)/(\d+)\) )(\d+) / (\d+)", table)
        assert m, label
        found[r.role] = [int(m.group(2)), int(m.group(3) or 0), int(m.group(4) or 0), int(m.group(5)),
                         int(m.group(6))]
    total = re.search(r"Jumlah — Biro secara keseluruhan \S+ (\d+) [\d,]+% \((\d+)/(\d+)\) (\d+) / (\d+)", table)
    assert total
    ours = [v for k, v in found.items() if k != "eksternal"]
    assert [sum(col) for col in zip(*ours, strict=True)] == [int(g) for g in total.groups()]
    f = running.bureau.figures
    assert [int(g) for g in total.groups()] == [f.steps_handled, f.on_time, f.steps_with_standard, f.late_finished,
                                                 f.open_overdue]


def test_the_delay_and_output_tables_print_totals_equal_to_their_rows(world):
    running, _ = world
    text = " ".join(pages_of(build_yearly_pdf(running)))
    party = text[text.index("Per pihak"):text.index("Unit kerja dan pimpinannya")]
    rows = re.findall(r"(Unit kerja|Pimpinan unit kerja|[A-Z][\w ]+?) (\d+) (\d+) ([\d,]+) ", party)
    judged = sum(g.judged for g in running.delays_by_party)
    assert f"Jumlah {fmt_int(judged)} {fmt_int(sum(g.late for g in running.delays_by_party))}" in party
    assert sum(int(r[1]) for r in rows if r[0] != "Jumlah") == judged == running.external.judged
    output = text[text.index("Hasil: kasus selesai"):]
    cases = sum(sum(r.cases) for r in running.output)
    docs = sum(sum(r.documents) for r in running.output)
    assert (cases, docs) == (running.bureau.figures.cases_completed, running.bureau.figures.documents_completed)
    assert re.search(rf"Jumlah .*{cases} kasus / {docs} dokumen", output)


def test_each_executor_sheet_shows_their_own_cases_adding_up_to_their_figures(world):
    running, _ = world
    sheets = {}
    for e in running.evaluated_executors:
        text = pages_of(build_executor_pdf(running, e.executor.id))[0]
        sheets[e.executor.id] = text
        for c in e.cases:
            assert c.case_number in text, (e.executor.id, c.case_number)
        f = e.figures
        if e.cases:
            assert (f"Jumlah {fmt_int(f.steps_handled)} {fmt_int(f.judged)} {fmt_int(f.late_steps)} "
                    f"{fmt_days(f.late_days_total)}") in text, e.executor.id
    # their own, not the Bureau's: EX-1 worked on K-2026-0001 only, EX-2 on K-2026-0002 only
    assert "K-2026-0001" in sheets["EX-1"] and "K-2026-0002" not in sheets["EX-1"]
    assert "K-2026-0002" in sheets["EX-2"] and "K-2026-0001" not in sheets["EX-2"]


def test_a_concluded_sheet_carries_the_karo_s_notes_the_reprimand_and_the_executor_s_acknowledgement(world):
    _, closed = world
    pages = pages_of(build_executor_pdf(closed, "EX-1"))
    assert len(pages) == 1
    text = pages[0]
    for part in ("Nomor EKP-2025-001", "butir a: memadai; butir c: perlu ditingkatkan", "Perlu pelatihan analisis.",
                 "Teguran lisan 5 Mei 2025: Terlambat berulang (B-7/OTAK/2025)", "Teliti dan rapi.",
                 "Ikut pelatihan penyusunan SOP.", "Telah membaca dan menerima evaluasi ini,",
                 "Pelaksana yang dievaluasi,", "NIP 199203302015031001", "Dr. Ratna Wulandari", "Mengetahui,"):
        assert part in text, part
    assert "sementara" not in text and "DRAF" not in text


def test_the_ratings_page_names_the_targets_and_each_executor_s_verdict_and_rank(world):
    _, closed = world
    text = " ".join(pages_of(build_yearly_pdf(closed)))
    page = text[text.index("Penilaian pelaksana terhadap target"):]
    assert "sekurang-kurangnya 80,0% langkah dinilai" in page and "paling lama 1,0 hari kerja" in page
    for e in closed.evaluated_executors:
        assert e.executor.name in page


def test_long_titles_in_the_late_list_are_shortened_after_a_whole_word():
    from reports.evaluation_pdf import _short

    assert _short("Kabag menugaskan Kasubbag mengumpulkan dokumen (pasal 3)", 50) == \
        "Kabag menugaskan Kasubbag mengumpulkan dokumen…"
    assert _short("Pengadaan Barang/Jasa Pemerintah", 25) == "Pengadaan Barang/Jasa…"
    assert _short("Pendek", 25) == "Pendek"


def test_the_minister_s_untimed_signature_is_shown_apart_from_the_stage_s_actual_time(world):
    running, _ = world
    text = " ".join(pages_of(build_yearly_pdf(running)))
    stage7 = {s.stage: s for s in running.stages}[7]
    assert stage7.actual_days is None and stage7.untimed_days == 1.0
    assert "Langkah tanpa waktu standar" in text
    assert re.search(r"7\. Penandatanganan Permensesneg oleh Menteri 1 – – – – – 1,0", text)


def test_an_arabic_name_is_printed_joined_and_extracted_in_its_logical_order(world, tmp_path):
    import dataclasses
    import subprocess

    running, _ = world
    name = "محمد عبد الله"
    ev = dataclasses.replace(running, executors=tuple(
        dataclasses.replace(e, executor=dataclasses.replace(e.executor, name=name)) if e.executor.id == "EX-2" else e
        for e in running.executors))
    path = tmp_path / "sheet.pdf"
    path.write_bytes(build_executor_pdf(ev, "EX-2"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert name in text  # logical order, as spelt
    assert name[::-1] not in text
