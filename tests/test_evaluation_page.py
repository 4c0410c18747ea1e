"""The /evaluasi page through AppTest on a real DuckDB file with the demo data."""
from __future__ import annotations

import io

from pyarrow import ipc

from pypdf import PdfReader

from data_access.duckdb_store import DuckDBRepository
from domain.evaluation import read_conclusions, read_note, save_conclusions
from tests.apptest_helpers import ACTORS, readable, run_page, texts
from tests.clock import TEST_NOW

YEAR = TEST_NOW.year


def button(at, label):
    return next(b for b in at.button if readable(b.label) == label)


def test_the_karo_previews_the_year_and_gets_the_pdf_in_two_clicks(app_store):
    at = run_page("evaluation", "karo", timeout=120)
    assert not at.exception
    assert at.selectbox(key="evaluation.year").value == YEAR
    assert len(at.dataframe) == 5  # executors, roles and Bureau, stages, late steps, complaints
    names = at.dataframe[0].value.iloc[:, 0].tolist()
    assert "Agus Prasetyo, S.Sos., M.AP. (demo)" in names
    # The charts tab: the same charts as the PDF, as altair charts drawn by the browser.
    charts = at.get("vega_lite_chart")
    assert len(charts) == 4
    assert all("Dalam waktu standar (%)" in c.proto.spec for c in charts[:1])
    chart_names = [n for c in charts for d in c.proto.datasets if "name" in (table := ipc.open_stream(
        d.data.data).read_all()).column_names for n in table.column("name").to_pylist()]
    assert "Agus Prasetyo, S.Sos., M.AP. (demo)" in chart_names
    assert [m.label for m in at.metric][:4] == ["Langkah selesai", "Dalam waktu standar", "Kasus selesai",
                                                "Pengaduan diterima"]
    # A fall against the year before carries an ASCII minus, so Streamlit's arrow points down.
    deltas = [m.proto.delta for m in at.metric[:4] if m.proto.delta]
    assert deltas and all(d[0] in "+-0" for d in deltas), deltas
    button(at, "Siapkan PDF tahunan").click().run(timeout=120)  # click 1
    assert not at.exception
    data = at.session_state[f"evaluation.pdf.{YEAR}"]
    pages = PdfReader(io.BytesIO(data)).pages
    assert f"PDF siap: {len(pages)} halaman" in texts(at)
    assert f"Halaman 1 dari {len(pages)}" in pages[0].extract_text()
    # click 2 is the browser's download of these bytes; the production of the PDF is audited
    assert any(a["action"] == "evaluation.pdf" and a["actor"] == "karo"
               for a in DuckDBRepository(app_store).audit("evaluation", str(YEAR)))


def test_the_karo_saves_conclusions_and_they_reach_the_store(app_store):
    at = run_page("evaluation", "karo", timeout=120)
    at.text_area(key=f"evaluation.conclusions.{YEAR}.text").input("Kinerja **membaik**; <b>tetap</b> dipantau.")
    at.text_area(key=f"evaluation.conclusions.{YEAR}.follow_up").input("Pelatihan SOP.")
    at.button(key="FormSubmitter:" + f"evaluation.conclusions.{YEAR}.form-Simpan kesimpulan").click().run(timeout=120)
    assert not at.exception
    assert f"Kesimpulan tahun {YEAR} tersimpan (versi 1)." in texts(at)
    saved = read_conclusions(DuckDBRepository(app_store), YEAR)
    assert (saved.text, saved.follow_up, saved.version) == ("Kinerja **membaik**; <b>tetap</b> dipantau.",
                                                            "Pelatihan SOP.", 1)


def test_saving_the_conclusions_unchanged_says_so_and_makes_no_new_version(app_store):
    repo = DuckDBRepository(app_store)
    save_conclusions(repo, ACTORS["karo"], YEAR, "Kinerja baik.", "", expected_version=0)
    repo.close()
    at = run_page("evaluation", "karo", timeout=120)
    at.button(key="FormSubmitter:" + f"evaluation.conclusions.{YEAR}.form-Simpan kesimpulan").click().run(timeout=120)
    assert not at.exception and not at.error
    assert f"Kesimpulan tahun {YEAR} tidak berubah; tidak ada versi baru (tetap versi 1)." in texts(at)
    assert read_conclusions(DuckDBRepository(app_store), YEAR).version == 1


def test_a_stale_save_of_the_conclusions_is_refused_and_changes_nothing(app_store):
    at = run_page("evaluation", "karo", timeout=120)  # the Karo reads version 0 ...
    repo = DuckDBRepository(app_store)
    save_conclusions(repo, ACTORS["karo"], YEAR, "Dari sesi lain", "", expected_version=0)  # ... someone saves
    repo.close()
    at.text_area(key=f"evaluation.conclusions.{YEAR}.text").input("Menimpa")
    at.button(key="FormSubmitter:" + f"evaluation.conclusions.{YEAR}.form-Simpan kesimpulan").click().run(timeout=120)
    assert not at.exception
    assert any("sudah diubah" in readable(e.value) for e in at.error)
    assert "Muat ulang kesimpulan tersimpan" in [b.label for b in at.button]
    assert at.text_area(key=f"evaluation.conclusions.{YEAR}.text").value == "Menimpa"  # the input is kept
    assert read_conclusions(DuckDBRepository(app_store), YEAR).text == "Dari sesi lain"


def test_a_staff_member_sees_only_their_own_sheet(app_store):
    at = run_page("evaluation", "staf1", timeout=120)
    assert not at.exception
    assert len(at.dataframe) == 0 and "Siapkan PDF tahunan" not in [b.label for b in at.button]
    assert not at.text_area
    button(at, "Siapkan lembar saya").click().run(timeout=120)
    assert not at.exception
    pages = PdfReader(io.BytesIO(at.session_state[f"evaluation.own.{YEAR}"])).pages
    assert len(pages) == 1 and "Dimas Ardiansyah" in pages[0].extract_text()


def test_pimpinan_views_without_writing_and_has_no_own_sheet(app_store):
    at = run_page("evaluation", "pimpinan", timeout=120)
    assert not at.exception
    assert len(at.dataframe) == 5 and not at.text_area
    assert "Hanya Kepala Biro yang dapat menulis kesimpulan." in texts(at)
    assert "tidak terhubung dengan data pelaksana" in texts(at)


def test_a_unit_user_is_refused(app_store):
    at = run_page("evaluation", "unit1")
    assert not at.exception
    assert any("tidak berhak" in readable(e.value) for e in at.error)
    assert not at.selectbox


def test_the_karo_sets_targets_and_a_running_year_cannot_be_concluded(app_store):
    at = run_page("evaluation", "karo", timeout=120)
    key = f"evaluation.conclusions.{YEAR}"
    at.text_input(key=f"{key}.on_time").input("80")
    at.text_input(key=f"{key}.late_days").input("1,5")
    at.button(key=f"FormSubmitter:{key}.targets-Simpan target").click().run(timeout=120)
    assert not at.exception
    assert f"Target tahun {YEAR} tersimpan (versi 1)." in texts(at)
    saved = read_conclusions(DuckDBRepository(app_store), YEAR)
    assert (saved.targets.on_time_pct, saved.targets.late_days) == (80.0, 1.5)
    at.button(key=f"{key}.conclude").click().run(timeout=120)
    assert not at.exception
    assert any(f"Tahun {YEAR} belum berakhir" in readable(e.value) for e in at.error)
    assert not read_conclusions(DuckDBRepository(app_store), YEAR).final


def test_the_karo_concludes_an_ended_year_on_the_page_and_its_pdf_is_numbered_and_signed(app_store):
    at = run_page("evaluation", "karo", timeout=120)
    year = YEAR - 1
    assert year in at.selectbox(key="evaluation.year").options or str(year) in at.selectbox(
        key="evaluation.year").options
    at.selectbox(key="evaluation.year").select(year).run(timeout=120)
    key = f"evaluation.conclusions.{year}"
    at.text_area(key=f"{key}.text").input("Kinerja tahun lalu baik.")
    at.button(key=f"FormSubmitter:{key}.form-Simpan kesimpulan").click().run(timeout=120)
    at.text_input(key=f"{key}.on_time").input("75")
    at.text_input(key=f"{key}.late_days").input("2")
    at.button(key=f"FormSubmitter:{key}.targets-Simpan target").click().run(timeout=120)
    at.button(key=f"{key}.conclude").click().run(timeout=120)
    assert not at.exception, at.exception
    assert not at.error, [readable(e.value) for e in at.error]
    number = f"EKP-{year}-001"
    assert any(number in readable(s.value) for s in at.success)
    stored = read_conclusions(DuckDBRepository(app_store), year)
    assert stored.final and stored.concluded.document_no == number and stored.concluded.concluded_by == "karo"
    button(at, "Siapkan PDF tahunan").click().run(timeout=120)
    text = " ".join(pg.extract_text() for pg in PdfReader(io.BytesIO(at.session_state[f"evaluation.pdf.{year}"])).pages)
    assert f"Nomor {number}" in text and "selaku penanggung jawab" in text and "DRAF" not in text


def test_the_karo_writes_notes_on_an_executor_and_they_reach_the_store(app_store):
    at = run_page("evaluation", "karo", timeout=120)
    who = at.selectbox(key=f"evaluation.notes.{YEAR}.who").value
    key = f"evaluation.notes.{YEAR}.{who}"
    at.selectbox(key=f"{key}.c.a").select("memadai")
    at.selectbox(key=f"{key}.c.c").select("perlu_ditingkatkan")
    at.text_area(key=f"{key}.note").input("Teliti; <b>tetap</b> dipantau.")
    at.text_area(key=f"{key}.recommendation").input("Pelatihan analisis SOP.")
    at.button(key=f"FormSubmitter:{key}.form-Simpan catatan").click().run(timeout=120)
    assert not at.exception
    assert any("tersimpan (versi 1)" in readable(s.value) for s in at.success)
    saved = read_note(DuckDBRepository(app_store), YEAR, who)
    assert saved.competence == {"a": "memadai", "c": "perlu_ditingkatkan"}
    assert (saved.note, saved.recommendation, saved.version) == ("Teliti; <b>tetap</b> dipantau.",
                                                                 "Pelatihan analisis SOP.", 1)


def test_the_karo_names_the_acknowledging_official_and_records_a_reprimand_on_the_page(app_store):
    import datetime as dt

    at = run_page("evaluation", "karo", timeout=120)
    key = f"evaluation.conclusions.{YEAR}"
    at.text_input(key=f"{key}.ack_title").input("Deputi Bidang Administrasi Aparatur")
    at.text_input(key=f"{key}.ack_name").input("Dr. Bambang Sutrisno")
    at.text_input(key=f"{key}.ack_nip").input("196801011990031001")
    at.button(key=f"FormSubmitter:{key}.ack-Simpan pejabat yang mengetahui").click().run(timeout=120)
    assert not at.exception
    saved = read_conclusions(DuckDBRepository(app_store), YEAR)
    assert saved.acknowledger.name == "Dr. Bambang Sutrisno" and saved.version == 1
    who = at.selectbox(key=f"evaluation.notes.{YEAR}.who").value
    note = f"evaluation.notes.{YEAR}.{who}"
    at.selectbox(key=f"{note}.s.kind").select("teguran_tertulis")
    at.date_input(key=f"{note}.s.day").set_value(dt.date(YEAR, 4, 1))
    at.text_input(key=f"{note}.s.reason").input("Terlambat berulang")
    at.button(key=f"FormSubmitter:{note}.sanction-Catat teguran atau sanksi").click().run(timeout=120)
    assert not at.exception and not at.error, [readable(e.value) for e in at.error]
    rows = DuckDBRepository(app_store).list("evaluation_sanctions", {"executor_id": who})
    assert [(r["kind"], r["decided_on"], r["reason"]) for r in rows] == [
        ("teguran_tertulis", dt.date(YEAR, 4, 1), "Terlambat berulang")]


def test_a_reprimand_without_a_reason_names_the_field_and_records_nothing(app_store):
    at = run_page("evaluation", "karo", timeout=120)
    who = at.selectbox(key=f"evaluation.notes.{YEAR}.who").value
    note = f"evaluation.notes.{YEAR}.{who}"
    at.button(key=f"FormSubmitter:{note}.sanction-Catat teguran atau sanksi").click().run(timeout=120)
    assert not at.exception
    assert at.error
    assert DuckDBRepository(app_store).list("evaluation_sanctions", {"executor_id": who}) == []
