"""The evaluation PDF opened with pypdf: pages, page numbers, names and figures as text, the empty
year, the one-page executor sheet, non-Latin names, and a clear message without the font."""
from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pypdf import PdfReader

from data_access.evaluation_data import evaluation_for_year
from domain.evaluation import LateStep, fmt_int, fmt_pct, save_conclusions
from reports.evaluation import build_executor_pdf, build_yearly_pdf, page_count
from reports.pdf_fonts import FontMissingError
from reports.pdf_charts import nice_ticks, tick_label
from tests.apptest_helpers import ACTORS
from tests.evaluation_world import CAL, NON_LATIN, NOW, build_store


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    repo = build_store(tmp_path_factory.mktemp("pdf") / "store.duckdb")
    save_conclusions(repo, ACTORS["karo"], 2026, "Kinerja membaik; Σοφία Юлия memimpin.\nBaris kedua.",
                     "Pelatihan penyusunan SOP bagi staf.", expected_version=0)
    ev = evaluation_for_year(repo, 2026, CAL, NOW)
    empty = evaluation_for_year(repo, 2019, CAL, NOW)
    repo.close()
    return ev, empty


@pytest.fixture(scope="module")
def yearly(evaluated):
    pdf = build_yearly_pdf(evaluated[0])
    return pdf, [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_page_is_numbered_halaman_x_dari_y(yearly):
    pdf, pages = yearly
    n = len(pages)
    assert n == page_count(pdf) and n >= 10
    for i, text in enumerate(pages, start=1):
        assert f"Halaman {i} dari {n}" in text


def test_the_cover_names_the_ministry_the_bureau_the_title_and_the_year(yearly):
    cover = squash(yearly[1][0])
    for text in ("KEMENTERIAN SEKRETARIAT NEGARA", "BIRO ORGANISASI, TATA LAKSANA, DAN AKUNTABILITAS KINERJA",
                 "Evaluasi Kinerja Pelaksana", "Tahun 2026", "Periode 1 Januari 2026 sampai dengan 31 Desember 2026",
                 "Data sampai dengan 30 Juni 2026"):
        assert text in cover


def test_each_executor_has_a_page_with_their_name_and_figures(yearly, evaluated):
    pages = [squash(p) for p in yearly[1]]
    ev = evaluated[0]
    # 1.b 360 min late = 0,7 working days; block 2.a 1080 min = 2,1; 4.a on time (240 min allowed)
    expected = {"Agus Prasetyo": ["0,0% (0/1)", "1 / 0", "0,7"],
                "Maria Sinaga": ["Maria Sinaga"],
                "Đặng Thị Ngọc Ånström": ["0,0% (0/1)", "2,1"],
                NON_LATIN: ["100,0% (1/1)"]}
    for e in ev.evaluated_executors:
        own = [p for p in pages if f"NIP {e.executor.nip}" in p]
        assert len(own) == 1, e.executor.name
        assert e.executor.name in own[0]
        for figure in expected[e.executor.name]:
            assert figure in own[0], (e.executor.name, figure)
    assert "Tahun 2025" in pages[1]  # the summary compares with the year before


def test_the_summary_lists_and_signature_are_present(yearly):
    text = squash(" ".join(yearly[1]))
    for part in ("Ringkasan", "Biro secara keseluruhan", "Per peran", "Pihak di luar Biro",
                 "Waktu per tahap", "Daftar langkah terlambat", "masih berjalan", "Daftar pengaduan dan hasilnya",
                 "ADU-2026-0001", "Jadwal rapat sudah dikirim", "Kinerja membaik; Σοφία Юлия memimpin.",
                 "Pelatihan penyusunan SOP bagi staf.", "Cara penghitungan", "Jakarta, 30 Juni 2026",
                 "Lampiran: daftar langkah terlambat", "Penilaian pelaksana terhadap target",
                 "Keterlambatan pihak di luar Biro", "Hasil: kasus selesai per jalur dan jenis dokumen"):
        assert part in text, part
    assert re.search(r"ADU-2026-0001 (Pengaduan|Keluhan|Masukan) ", text)  # the kind's label, not its code
    assert not re.search(r"ADU-2026-\d{4} (pengaduan|keluhan|masukan) ", text)


def test_the_charts_are_drawn_as_vectors_with_their_figures_as_text(yearly, evaluated):
    ev = evaluated[0]
    reader = PdfReader(io.BytesIO(yearly[0]))
    pages = [squash(p) for p in yearly[1]]
    first = next(i for i, p in enumerate(pages) if "Langkah selesai dalam waktu standar per bulan" in p)
    text = pages[first]
    # Month by month: the month names and the years in the legend.
    assert "Jan" in text and "Des" in text and "2026" in text
    assert ("2025" in text) == any(m.year == 2025 for m in ev.months)
    # Lateness: each bucket's label and its count.
    for label, n in ev.lateness_buckets:
        assert label in text and fmt_int(n) in text
    # Per executor: each name with its share, in order.
    chart = next(p for p in pages if "per pelaksana (%)" in p)
    shown = [e for e in ev.evaluated_executors if e.figures.on_time_share is not None]
    assert shown
    at = -1
    for e in shown:
        found = chart.find(f"{e.executor.name} {fmt_pct(e.figures.on_time_share)}", at + 1)
        assert found > at, e.executor.name
        at = found
    # Stages: the legend and every stage with cases, drawn on the stages page.
    stages_page = next(p for p in pages if "Waktu per tahap: standar (kotak putih)" in p)
    assert "Standar" in stages_page and "Realisasi" in stages_page
    for s in ev.stages:
        if s.cases:
            assert f"{s.stage}. " in stages_page
    # Vectors, not pictures: boxes in the page's drawing, no image anywhere.
    drawing = reader.pages[first].get_contents().get_data()
    assert len(re.findall(rb"\bre\b", drawing)) >= len(ev.lateness_buckets)
    assert sum(len(p.images) for p in reader.pages) == 0


def test_nice_ticks_are_round_and_reach_the_top():
    assert nice_ticks(97_376, integer=True) == [0, 20_000, 40_000, 60_000, 80_000, 100_000]
    assert nice_ticks(16.1) == [0, 5, 10, 15, 20]
    assert nice_ticks(3, integer=True) == [0, 1, 2, 3]
    assert nice_ticks(0)[0] == 0 and nice_ticks(0)[-1] >= 1  # nothing to show still gives an axis
    assert [tick_label(v) for v in (0, 2.5, 20_000)] == ["0", "2,5", "20.000"]


def test_an_empty_year_gives_a_clear_no_data_page_not_a_crash(evaluated):
    pdf = build_yearly_pdf(evaluated[1])
    pages = [squash(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2
    assert "Tidak ada data" in pages[1] and "tahun 2019" in pages[1]
    assert "Halaman 2 dari 2" in pages[1] and "Tahun 2019" in pages[0]


def test_the_draft_executor_sheet_is_one_page_marked_draf_without_signatures(evaluated):
    pdf = build_executor_pdf(evaluated[0], "EX-1")
    pages = [squash(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 1
    text = pages[0]
    for part in ("Lembar Evaluasi Kinerja Pelaksana", "Tahun 2026", "Đặng Thị Ngọc Ånström", "0,0% (0/1)",
                 "Halaman 1 dari 1", "NIP 199203302015031001", "DRAF", "sementara, data s.d. 30 Juni 2026"):
        assert part in text, part
    for part in ("Pelaksana yang dievaluasi", "Dr. Ratna Wulandari", "selaku penanggung jawab"):
        assert part not in text, part


def test_the_executor_sheet_stays_on_one_page_with_many_late_steps_and_long_names(evaluated):
    ev = evaluated[0]
    me = ev.executor("EX-2")
    step = LateStep("K-2026-9999", "Judul kasus yang sangat panjang " * 4, "2.b.2.c", "Langkah " * 30,
                    me.executor.name, "EX-2", NOW, None, 12.5)
    crowded = dataclasses.replace(me, late_steps=(step,) * 8, late_steps_total=40,
                                  executor=dataclasses.replace(me.executor, name=NON_LATIN + " " + "Panjang " * 12))
    ev2 = dataclasses.replace(ev, executors=tuple(crowded if e.executor.id == "EX-2" else e for e in ev.executors))
    reader = PdfReader(io.BytesIO(build_executor_pdf(ev2, "EX-2")))
    assert len(reader.pages) == 1
    assert "Σοφία Юлия Đặng" in reader.pages[0].extract_text()


def test_characters_the_font_lacks_print_as_a_box_instead_of_vanishing(evaluated):
    ev = evaluated[0]
    me = ev.executor("EX-1")
    renamed = dataclasses.replace(me, executor=dataclasses.replace(me.executor, name="Wang 王小明"))
    ev2 = dataclasses.replace(ev, executors=tuple(renamed if e.executor.id == "EX-1" else e for e in ev.executors))
    text = PdfReader(io.BytesIO(build_executor_pdf(ev2, "EX-1"))).pages[0].extract_text()
    assert "Wang □□□" in text


def test_a_missing_font_is_reported_with_how_to_install_it(evaluated, monkeypatch, tmp_path):
    monkeypatch.setenv("SOP_PDF_FONT_DIR", str(tmp_path))
    with pytest.raises(FontMissingError) as exc:
        build_yearly_pdf(evaluated[1])
    assert "fonts-dejavu-core" in exc.value.message and "DejaVuSans.ttf" in exc.value.message


def test_english_is_available(evaluated):
    pdf = build_executor_pdf(evaluated[0], "EX-1", lang="en")
    text = squash(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "Executor Evaluation Sheet" in text and "Page 1 of 1" in text and "30 June 2026" in text
