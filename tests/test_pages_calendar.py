"""The calendar page (/kalender-kerja) through AppTest on the demo store: the Admin adds a non-working
day with its basis and the running steps' due instants move with it (audited); without a basis the
form is refused with the field's message and nothing is stored; others read it, a unit user is
refused."""
from __future__ import annotations

import datetime as dt

from data_access.duckdb_store import DuckDBRepository
from domain import bureau_calendar as bc
from domain.models import RUNNING
from tests.apptest_helpers import readable, run_page, texts


def button(at, label: str):
    return next(b for b in at.button if readable(b.label) == label)


def store(path) -> DuckDBRepository:
    repo = DuckDBRepository(path)
    repo.init()
    return repo


def test_the_admin_adds_a_non_working_day_and_the_running_due_instants_move(app_store):
    repo = store(app_store)
    running_before = {e["id"]: e["due_at"] for e in repo.list("step_events", {"status": RUNNING})}
    repo.close()
    at = run_page("work_calendar", "admin")
    assert not at.exception
    assert "Hari kerja baku: 07.30–16.00 (510 menit)" in texts(at)
    at.date_input(key="cal_h_first").set_value(dt.date(2026, 12, 7))
    at.text_input(key="cal_h_reason").input("SKB 3 Menteri No. 855/2026")
    button(at, "Simpan").click().run()
    assert not at.exception
    shown = texts(at)
    assert "Tersimpan: Hari libur 7 Desember 2026." in shown and "dihitung ulang" in shown
    days = at.dataframe[0].value
    row = days[days["Tanggal"] == "7 Desember 2026"]
    assert list(row["Sumber"]) == ["Ditetapkan Admin"] and list(row["Keterangan"]) == ["SKB 3 Menteri No. 855/2026"]
    repo = store(app_store)
    try:
        entry = repo.list(bc.TABLE)[0]
        assert entry["kind"] == bc.HOLIDAY and entry["first_day"] == dt.date(2026, 12, 7)
        moved = [e for e in repo.list("step_events", {"status": RUNNING}) if e["due_at"] != running_before[e["id"]]]
        assert moved  # the demo has running steps whose due instant lies after 7 December
        log = next(e for e in repo.audit(bc.TABLE, entry["id"]) if e["action"] == "calendar.recomputed")
        assert f"{len(moved)} batas waktu" in log["new"]
    finally:
        repo.close()


def test_a_non_working_day_without_its_basis_is_refused_and_nothing_is_stored(app_store):
    at = run_page("work_calendar", "admin")
    at.date_input(key="cal_h_first").set_value(dt.date(2026, 12, 7))
    button(at, "Simpan").click().run()
    assert not at.exception
    assert any("Dasar wajib diisi" in readable(e.value) for e in at.error)
    repo = store(app_store)
    try:
        assert repo.count(bc.TABLE) == 0
    finally:
        repo.close()


def test_the_bureau_reads_the_calendar_and_a_unit_user_is_refused(app_store):
    at = run_page("work_calendar", "karo")
    assert not at.exception and "Hanya Admin yang dapat mengubah kalender." in texts(at)
    assert not [b for b in at.button if readable(b.label) == "Simpan"]
    assert "Cuti Bersama Hari Raya Natal" in set(at.dataframe[0].value["Keterangan"])
    refused = run_page("work_calendar", "unit1")
    assert any("tidak berhak" in readable(e.value) for e in refused.error)


def test_office_hours_read_as_the_ministry_writes_them_in_entries_and_on_the_page(app_store):
    friday = {"kind": bc.WEEKDAY, "weekday": 4, "opens": "07:30", "closes": "16:30"}
    assert "07.30–16.30" in bc.describe(friday) and "07:30" not in bc.describe(friday)
    assert "07.30" not in bc.describe({"kind": bc.STANDARD, "opens": "16:30", "closes": "07:30"})  # not a day
    at = run_page("work_calendar", "admin")
    hours = at.dataframe[1].value
    assert list(hours.iloc[:, 1]) == ["07.30–16.00"] * 5 + ["tutup"] * 2
