"""Browser tests: the real app (`streamlit run app.py`) on a free localhost port with a temp store,
driven by Debian's Chromium through Playwright. Marked `browser`; `pytest -m "not browser"` skips them."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.clock import TEST_NOW
from tests.waiting import READY_SECONDS, wait_until

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SOP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Every browser of the tests comes from this machine, one address: the flood limits (complaints filed
# and failed look-ups per address) would count all of them together. Their own tests set them low.
ONE_ADDRESS = {"SOP_COMPLAINTS_PER_ADDRESS": "100000", "SOP_LOOKUP_FAILURES_PER_ADDRESS": "100000"}


class AppServer:
    """`streamlit run app.py` as a subprocess with its own environment (backend, store path ...)."""

    def __init__(self, env: dict[str, str], tmp: Path, script: str = "app.py", options: tuple[str, ...] = ()):
        self.script, self.options = script, tuple(options)  # another script (a bench's bare page), flags
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / f"streamlit-{self.port}.log"
        # The server's clock runs from the tests' instant: pages never depend on the hour of the run.
        self.env = {**os.environ, "SOP_SECRETS_FILE": str(tmp / "no-secrets.toml"),
                    "SOP_CLOCK_START": TEST_NOW.isoformat(), **ONE_ADDRESS, **env}
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = READY_SECONDS) -> AppServer:
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", self.script, "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", *self.options],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

        def healthy() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError(f"streamlit ended with {self.proc.returncode}:\n{self.log()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        wait_until(healthy, what=f"streamlit on port {self.port}", seconds=timeout, every=0.3,
                   seen=lambda: self.log()[-3000:])
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def log(self) -> str:
        return self.log_path.read_text()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def warm_up(browser, url: str) -> None:
    """Run the app once before the tests: the first run opens the store and loads the demo data,
    which the tests' own timeouts need not wait for."""
    context = browser.new_context()
    pg = context.new_page()
    pg.goto(url)
    pg.locator('[data-testid="stSidebarNav"]').get_by_text("Beranda").wait_for(timeout=120_000)  # app.py's own
    context.close()


@pytest.fixture(scope="module")
def duckdb_app(tmp_path_factory, browser):
    """The app on a fresh DuckDB file (demo data loaded on first start)."""
    tmp = tmp_path_factory.mktemp("app")
    server = AppServer({"SOP_BACKEND": "duckdb", "SOP_DUCKDB_PATH": str(tmp / "store.duckdb"),
                        "SOP_ATTACHMENTS_DIR": str(tmp / "lampiran"), "SOP_DEMO_PASSWORD": DEMO_PASSWORD},
                       tmp).start()
    warm_up(browser, server.url)
    yield server
    server.stop()


def sheets_server(tmp: Path, secrets: str = "") -> AppServer:
    """The app on Google Sheets, not yet started: the local Sheets stand-in (server.standin, started,
    and server.spreadsheet_id), signed in with a service-account file of its own key; demo data
    loaded on first start. ``secrets``: lines for [sop_tracker] in the server's secrets file."""
    from tests.sheets_standin import SheetsStandIn, write_service_account_file

    standin = SheetsStandIn().start()
    write_service_account_file(tmp / "service_account.json", standin)
    sid = standin.create_spreadsheet("SOP Tracker")
    (tmp / "secrets.toml").write_text("[sop_tracker]\n" + secrets)
    server = AppServer({"SOP_BACKEND": "sheets", "SOP_SHEETS_KEY": sid, "SOP_SHEETS_ENDPOINT": standin.url,
                        "SOP_SERVICE_ACCOUNT_FILE": str(tmp / "service_account.json"),
                        "SOP_SECRETS_FILE": str(tmp / "secrets.toml"),
                        "SOP_ATTACHMENTS_DIR": str(tmp / "lampiran"), "SOP_DEMO_PASSWORD": DEMO_PASSWORD},
                       tmp)
    server.standin, server.spreadsheet_id = standin, sid
    return server


@pytest.fixture(scope="module")
def sheets_app(tmp_path_factory):
    """The app on Google Sheets (``sheets_server``), started for the module's tests."""
    server = sheets_server(tmp_path_factory.mktemp("sheets-app"))
    try:
        server.start()
        yield server
    finally:
        server.stop()
        server.standin.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    pg = context.new_page()
    pg.set_default_timeout(30000)
    yield pg
    context.close()


def wait_for_app(pg, text: str | None = None) -> None:
    """Wait until Streamlit has rendered the page (and a given text, if any)."""
    pg.wait_for_selector('[data-testid="stAppViewContainer"]')
    if text:
        pg.get_by_text(text, exact=False).first.wait_for()
    # Streamlit reruns after first paint; wait until it reports it is not running.
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') || "
        "!document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')")


def open_choice(pg, key: str, tries: int = 5) -> None:
    """Open the drop-down list of the selectbox with widget key ``key``.

    A click that lands while Streamlit is still swapping the element for its rerun's copy opens
    nothing; a person clicks again, and so does this."""
    box = pg.locator(f".st-key-{key}")
    for _ in range(tries):
        settle = box.locator("input").first if box.locator("input").count() else box
        settle.click()
        try:
            pg.get_by_role("option").first.wait_for(timeout=3000)
            return
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError; try the click again
            wait_for_app(pg)
    pg.get_by_role("option").first.wait_for()


def assert_no_exception(pg) -> None:
    assert pg.locator('[data-testid="stException"]').count() == 0, pg.content()[:2000]


# Accounts of the demo data carry this password in tests (the app reads SOP_DEMO_PASSWORD when it
# loads demo data into an empty store; without it demo accounts get random passwords).
DEMO_PASSWORD = "Uji-Demo-2026!"


def login(pg, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the sign-in page the way a person does."""
    pg.goto(f"{base_url}/masuk")
    wait_for_app(pg, "Nama pengguna")
    pg.get_by_label("Nama pengguna").fill(username)
    pg.get_by_label("Kata sandi").fill(password)
    pg.get_by_role("button", name="Masuk").click()
    pg.get_by_text("Masuk sebagai").first.wait_for()
    # Other addresses see the sign-in through a cookie the page sets by script: wait for it, as a
    # person's next click always comes after it.
    pg.wait_for_function("() => document.cookie.includes('sop_sesi=')")
