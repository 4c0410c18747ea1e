"""The public service standard page (/standar-pelayanan) through AppTest on the demo store: no account
needed, every component of the seed, the times the app computes with (the plan, the Bureau's
calendar, the complaint standard), the documents published; a calendar change shows at once."""
from __future__ import annotations

import datetime as dt

import pytest

from data_access.duckdb_store import DuckDBRepository
from domain import bureau_calendar as bc
from domain import catalogue as cat
from domain import service_standard as ss
from domain.calendar import WorkCalendar
from domain.tracker import fmt_days
from tests.apptest_helpers import ACTORS, readable, run_page, texts

COMPONENTS = ["A. Dasar Hukum", "B. Latar Belakang", "C. Maksud dan Tujuan", "D. Ruang Lingkup",
              "A. Kerangka Prosedur", "B. Uraian Prosedur dan Waktu Pelayanan", "C. Persyaratan",
              "D. Sarana dan Prasarana Pelayanan", "E. Biaya Pelayanan", "F. Tempat Pelayanan", "G. Jadwal Pelayanan",
              "H. Penanganan Pengaduan, Keluhan, dan Masukan", "I. Pengawasan Internal", "J. Jaminan Pelayanan",
              "K. Jaminan Keamanan dan Keselamatan Pelayanan", "L. Evaluasi Kinerja Pelaksana"]


def tables(at) -> list:
    return [t.value.map(lambda v: readable(str(v))) for t in at.table]


def planned_days(params: cat.CaseParams, calendar: WorkCalendar) -> str:
    return fmt_days(round(cat.planned_minutes(params, calendar.minutes_per_day) / calendar.minutes_per_day, 1))


def test_the_public_page_shows_every_component_and_the_computed_times(app_store):
    at = run_page("service_standard")  # no one signed in
    assert not at.exception
    shown = texts(at)
    assert [h for h in COMPONENTS if h not in shown] == []
    assert "Bagian Kesatu — Pendahuluan" in shown and "Bagian Kedua — Mekanisme dan Ketentuan Pelayanan" in shown
    for words in ("Tidak ada",  # E: cost
                  "Pengguna pelayanan: seluruh satuan organisasi",  # D.5
                  "Keluaran (output): draf final standar pelayanan dan SOP",  # D.6
                  "menguasai teknik penyusunan peraturan perundang-undangan",  # D.8 b (A.8 competence)
                  "mengajukan usulan kegiatan penyusunan standar pelayanan/SOP",  # C.2 a
                  "Supervisi atasan langsung", "Dilakukan sistem pengendalian intern pemerintah",  # I
                  "tidak diskriminatif", "dapat diakses melalui website",  # J
                  "diarsipkan dengan baik", "minimal sekali dalam setahun",  # K, L
                  "Pelayanan diselenggarakan di Biro Organisasi"):  # F
        assert words in shown, words
    # G: the hours from the calendar; H: the response standard from the settings, and the form's link.
    assert "Senin–Jumat: 07.30–16.00" in shown and "Sabtu–Minggu: tutup" in shown
    assert "Tanggapan paling lambat 5 hari kerja" in shown
    links = " ".join(m.value for m in at.markdown)
    assert "](pengaduan)" in links and "](status-pengaduan)" in links and "](bagan-alir)" in links
    # B: the whole service time as the plan has it, for both tracks, and every step of the catalogue.
    examples, stages, steps = tables(at)[:3]
    for i, params in enumerate(ss.TYPICAL):
        intern = cat.CaseParams(cat.INTERN, params.drafts, params.units, params.organisations,
                                params.meeting_location, params.team_decree)
        assert examples.iloc[i, 1] == planned_days(params, WorkCalendar())
        assert examples.iloc[i, 2] == planned_days(intern, WorkCalendar())
    assert examples.iloc[0, 1] == "64,6"  # 1 unit, 1 draft, in town: the plan's 32.970 working minutes of 510 a day
    assert list(steps["Kode"]) == [s.code for s in cat.STEPS]
    assert steps.set_index("Kode").loc["3.b", "Waktu baku"] == "2 minggu"
    assert steps.set_index("Kode").loc["4.a", "Waktu baku"] == "2 jam/draf"
    assert stages.iloc[5, 2] == "–"  # stage 6 (harmonisation): not on the internal track
    assert stages.iloc[6, 1] == "–"  # stage 7 (the Minister signs): no standard time


def test_the_public_page_lists_what_is_published_and_nothing_else(app_store):
    repo = DuckDBRepository(app_store)
    repo.init()
    try:
        docs = repo.list("outputs")
        published = sorted(d["title"] for d in docs if d.get("web_link"))
        unpublished = [d["title"] for d in docs if not d.get("web_link")]
    finally:
        repo.close()
    assert published and unpublished  # the demo has both
    at = run_page("service_standard")
    listed = at.dataframe[0].value
    assert sorted(listed["Judul"]) == published
    assert not set(unpublished) & set(listed["Judul"])
    assert "Nomor arsip" not in listed.columns and "Nomor kasus" not in listed.columns  # internal details stay in


def test_a_change_of_the_bureaus_calendar_shows_on_the_public_page(app_store):
    repo = DuckDBRepository(app_store)
    repo.init()
    try:
        bc.save_entry(repo, ACTORS["admin"], bc.CalendarChange(bc.WEEKDAY, weekday=4, opens="07:30", closes="16:30"),
                      office=("07:30", "16:00"), now=dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC))
        bc.save_entry(repo, ACTORS["admin"], bc.CalendarChange(bc.STANDARD, opens="08:00", closes="16:00",
                                                              reason="Keputusan Sesmen tentang jam kerja"),
                      office=("07:30", "16:00"), now=dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC))
        calendar = bc.calendar_from(repo.list(bc.TABLE))
    finally:
        repo.close()
    at = run_page("service_standard")
    shown = texts(at)
    assert "Senin–Kamis: 08.00–16.00" in shown and "Jumat: 07.30–16.30" in shown
    assert "satu hari kerja baku (08.00–16.00, 480 menit)" in shown
    assert tables(at)[0].iloc[0, 1] == planned_days(ss.TYPICAL[0], calendar) != "64,6"


@pytest.mark.parametrize("lang, words", [("en", ["Service Standard", "None (the service is free)",
                                                 "E. Cost", "L. Executor Performance Evaluation"])])
def test_the_page_reads_in_english_too(app_store, lang, words):
    at = run_page("service_standard", session={"lang": lang})
    shown = texts(at)
    assert all(w in shown for w in words)
