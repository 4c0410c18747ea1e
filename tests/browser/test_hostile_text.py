"""In Chromium, on both backends: a store whose every text field holds hostile strings (Markdown,
KaTeX, colour directives, icon and emoji codes, HTML), every page walked by the roles that see it,
and the browser's DOM checked after each: no link, image, bold, italic, heading, KaTeX, icon or
coloured span came from stored text. The walk includes the messages that quote values: the refusal
of a stale save on the case detail, the administrator's success and duplicate-name messages, and the
dashboard's projector mode. One server per backend for the whole module."""
from __future__ import annotations

import urllib.parse

import pytest

from data_access.duckdb_store import DuckDBRepository
from data_access.repository import Update
from data_access.sheets_store import SheetsRepository
from domain.calendar import WorkCalendar
from tests.browser.conftest import (DEMO_PASSWORD, AppServer, assert_no_exception, login, open_choice,
                                    wait_for_app, warm_up)
from tests.hostile_text import DOM_CHECK, FINDINGS, HOSTILE_ACTOR, LITERALS, fill, text_columns

CALENDAR = WorkCalendar.from_config("07:30", "16:00")


class HostileApp:
    def __init__(self, server: AppServer, world, open_store):
        self.server, self.world, self.open_store = server, world, open_store
        self.url = server.url


def _duckdb(tmp, browser) -> tuple[AppServer, object, object]:
    path = tmp / "store.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    world = fill(repo, CALENDAR, tmp / "lampiran", DEMO_PASSWORD)
    repo.close()
    server = AppServer({"SOP_BACKEND": "duckdb", "SOP_DUCKDB_PATH": str(path),
                        "SOP_ATTACHMENTS_DIR": str(tmp / "lampiran")}, tmp).start()
    return server, world, lambda: DuckDBRepository(path, lock_timeout=30)


@pytest.fixture(scope="module", params=["duckdb", "sheets"])
def hostile_app(request, tmp_path_factory, browser):
    tmp = tmp_path_factory.mktemp(f"hostile-{request.param}")
    standin = None
    if request.param == "duckdb":
        server, world, open_store = _duckdb(tmp, browser)
    else:
        from tests.sheets_standin import SheetsStandIn, make_client, write_service_account_file

        standin = SheetsStandIn().start()
        write_service_account_file(tmp / "service_account.json", standin)
        sid = standin.create_spreadsheet("SOP Tracker")

        def open_store():
            store = SheetsRepository(make_client(standin, tmp / "service_account.json"), sid, backoff=0.01)
            store.init()
            return store

        world = fill(open_store(), CALENDAR, tmp / "lampiran", DEMO_PASSWORD)
        server = AppServer({"SOP_BACKEND": "sheets", "SOP_SHEETS_KEY": sid, "SOP_SHEETS_ENDPOINT": standin.url,
                            "SOP_SERVICE_ACCOUNT_FILE": str(tmp / "service_account.json"),
                            "SOP_ATTACHMENTS_DIR": str(tmp / "lampiran")}, tmp).start()
    try:
        warm_up(browser, server.url)
        yield HostileApp(server, world, open_store)
    finally:
        server.stop()
        if standin is not None:
            standin.stop()


def settled(pg) -> None:
    """Rendered, and Streamlit's Markdown done loading its plugins (KaTeX, emoji) and drawing."""
    wait_for_app(pg)
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")
    pg.wait_for_timeout(400)
    wait_for_app(pg)


def check(pg, where: str, within: str | None = None) -> None:
    """Nothing on the page (or in the parts matching ``within``) came from stored text as an element,
    and stored text is there to be seen."""
    settled(pg)
    assert_no_exception(pg)
    found = pg.evaluate(DOM_CHECK, [LITERALS, within])
    assert found == [], (where, found)
    text = pg.evaluate("(within) => [...(within ? document.querySelectorAll(within) : [document.body])]"
                       ".map(e => e.textContent).join(' ')", within)
    assert "ZQ" in text, f"{where}: no stored text on the page"


def visit(pg, app: HostileApp, path: str, title: str) -> None:
    pg.goto(f"{app.url}/{path}")
    wait_for_app(pg, title)
    check(pg, path)


def test_every_stored_text_column_is_made_hostile(hostile_app):
    written = hostile_app.world.written
    assert {t for t in written} >= {"organisations", "units", "executors", "cases", "step_events", "holds",
                                    "proposals", "complaints", "complaint_actions", "attachments", "accounts"}
    assert all(text_columns(t) for t in written)


def test_pages_open_to_everyone_show_stored_text_as_text(hostile_app, page):
    app, world = hostile_app, hostile_app.world
    page.goto(app.url)
    wait_for_app(page, "Beranda")
    page.goto(f"{app.url}/status-pengaduan")
    wait_for_app(page, "Cek status")
    page.locator(".st-key-cs_number input").fill(world.lookup_receipt)
    page.locator(".st-key-cs_contact input").fill(world.lookup_email)
    page.get_by_role("button", name="Cek status").click()
    page.get_by_text(f"Status pengaduan {world.lookup_receipt}").first.wait_for()
    check(page, "status-pengaduan (hasil)")
    page.goto(f"{app.url}/pengaduan")
    wait_for_app(page, "Sampaikan Pengaduan")
    open_choice(page, "cf_unit_0")  # the unit choice lists the stored unit names
    check(page, "pengaduan (pilihan unit)")


def test_a_unit_user_sees_stored_text_as_text(hostile_app, page):
    app = hostile_app
    page.goto(app.url)
    wait_for_app(page, "Beranda")
    login(page, app.url, "unit1")
    check(page, "masuk (unit1)")
    for path, title in (("usulan", "Usulan SP/SOP"), ("status-pengaduan", "Status Pengaduan"),
                        ("pengaduan", "Sampaikan Pengaduan")):
        visit(page, app, path, title)


def test_the_bureau_sees_cases_complaints_and_reports_with_stored_text_as_text(hostile_app, page):
    app, world = hostile_app, hostile_app.world
    page.goto(app.url)
    wait_for_app(page, "Beranda")
    login(page, app.url, "karo")
    visit(page, app, "kasus", "Daftar Kasus")
    for state, case_id in world.cases.items():
        visit(page, app, f"detail-kasus?id={case_id}", "Riwayat")
        check(page, f"judul kasus ({state})", within='[data-testid="stHeading"]')
    visit(page, app, "ubah-massal", "Ubah Massal")
    for receipt in (world.attachment_receipt, world.delegated_receipt):
        visit(page, app, f"kotak-pengaduan?nomor={urllib.parse.quote(receipt)}", "Kotak Masuk Pengaduan")
        check(page, f"kotak-pengaduan {receipt} (rincian)", within='[data-testid="stMain"]')
    visit(page, app, "usulan", "Usulan SP/SOP")
    visit(page, app, "evaluasi", "Evaluasi Kinerja Pelaksana")
    visit(page, app, "masuk", "Keluar")


def test_the_dashboard_and_its_projector_mode_show_stored_text_as_text(hostile_app, page):
    app = hostile_app
    page.goto(app.url)
    wait_for_app(page, "Beranda")
    login(page, app.url, "pimpinan")
    visit(page, app, "dasbor", "Dasbor Pimpinan")
    visit(page, app, "evaluasi", "Evaluasi Kinerja Pelaksana")
    page.goto(f"{app.url}/dasbor")
    wait_for_app(page, "Mode proyektor")
    page.get_by_text("Mode proyektor").click()
    page.locator('[data-testid="stTable"]').first.wait_for()
    check(page, "dasbor (mode proyektor)")
    check(page, "dasbor (tabel mode proyektor)", within='[data-testid="stTable"]')


def test_a_stale_save_refusal_quotes_the_other_persons_text_as_text(hostile_app, page):
    app, world = hostile_app, hostile_app.world
    case_id = world.cases["aktif"]
    page.goto(app.url)
    wait_for_app(page, "Beranda")
    login(page, app.url, "karo")
    page.goto(f"{app.url}/detail-kasus?id={case_id}")
    wait_for_app(page, "Riwayat")
    page.get_by_role("tab", name="Data kasus & catatan").click()
    page.get_by_label("Catatan kasus").fill("Catatan saya")
    store = app.open_store()  # someone else saves the case meanwhile
    case = store.get("cases", case_id)
    store.apply([Update("cases", case_id, {"notes": "\n".join(FINDINGS), "title": FINDINGS[2]}, case["version"])],
                actor=HOSTILE_ACTOR)
    store.close()
    page.get_by_role("button", name="Simpan data kasus").click()
    refusal = page.get_by_text("Simpanan Anda ditolak").first
    refusal.wait_for()
    check(page, "detail-kasus (simpanan ditolak)")
    shown = refusal.inner_text().replace("\u2060", "")
    assert "![x](http://127.0.0.1:9/pixel.png)" in shown and ":material/warning:" in shown


def test_the_administrators_messages_quote_a_unit_name_as_text(hostile_app, page):
    app = hostile_app
    name = " ".join(FINDINGS) + f" {app.server.port}"
    page.goto(app.url)
    wait_for_app(page, "Beranda")
    login(page, app.url, "admin")
    visit(page, app, "admin", "Akun dan Data Induk")
    for expected in ("ditambahkan", "sudah ada"):
        page.get_by_role("tab", name="Unit kerja").click()
        adder = page.locator('[data-testid="stExpander"]').filter(has_text="Tambah unit kerja")
        if not adder.get_by_label("Unit kerja").is_visible():
            adder.get_by_text("Tambah unit kerja").click()
        adder.get_by_label("Unit kerja").fill(name)
        adder.get_by_role("button", name="Tambah").click()
        page.get_by_text(expected).first.wait_for(state="attached")
        check(page, f"admin ({expected})")
