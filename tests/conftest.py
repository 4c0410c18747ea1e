import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data_access.duckdb_store import DuckDBRepository  # noqa: E402
from domain.calendar import clock_from, fixed_clock, set_clock  # noqa: E402
from tests.clock import TEST_NOW  # noqa: E402


# One clock for the whole test session (each xdist worker has its own): it starts at TEST_NOW and
# runs on, so every fixture, of any scope, and every test sees a later instant than the one before.
SESSION_CLOCK = clock_from(TEST_NOW)
set_clock(SESSION_CLOCK)
# Commands and servers the tests start run on a clock from the same instant.
os.environ["SOP_CLOCK_START"] = TEST_NOW.isoformat()


@pytest.fixture(autouse=True)
def app_clock():
    """The app's clock for a test: the session clock, unless the test moves it with
    ``app_clock(instant)`` (it then runs on from there) or stops it with ``app_clock.freeze(instant)``;
    the session clock is back after the test."""
    class Clock:
        def __call__(self, instant=TEST_NOW):
            set_clock(clock_from(instant))
            return instant

        def freeze(self, instant=TEST_NOW):
            set_clock(fixed_clock(instant))
            return instant

    set_clock(SESSION_CLOCK)
    yield Clock()
    set_clock(SESSION_CLOCK)


@pytest.fixture
def duckdb_repo(tmp_path):
    """A real DuckDB file in a temp dir, schema created, kept open for the test (as a page run holds
    it): opening the file for every read is the app's way to share it with the command line, and is
    tested on its own (tests/test_duckdb_repository.py, tests/test_cli_locked_store.py)."""
    repo = DuckDBRepository(tmp_path / "store.duckdb", keep_open=True)
    repo.init()
    yield repo
    repo.close()


@pytest.fixture
def memory_repo():
    repo = DuckDBRepository(":memory:")
    repo.init()
    yield repo
    repo.close()



# ---- PostgreSQL: one real server per test session, an empty schema per test ------------------------

@pytest.fixture(scope="session")
def pg_server():
    """The URL of a real PostgreSQL server (started here, or SOP_TEST_POSTGRES_URL)."""
    from tests.postgres_server import server

    with server() as url:
        yield url


@pytest.fixture
def pg_url(pg_server):
    """A connection URL working in a new, empty schema of its own."""
    from tests.postgres_server import fresh_schema

    with fresh_schema(pg_server) as url:
        yield url


@pytest.fixture
def pg_repo(pg_url):
    """An empty PostgreSQL store, schema created."""
    from data_access.postgres_store import PostgresRepository

    repo = PostgresRepository(pg_url)
    repo.init()
    yield repo
    repo.close()

from tests.apptest_helpers import (  # noqa: E402,F401  (fixtures for AppTest page tests)
    app_store, app_store_at, demo_template, downloads, empty_app_store)


# ---- Google Sheets: one local stand-in of the Sheets v4 API per test module (real HTTP) -----------

@pytest.fixture(scope="module")
def standin():
    from tests.sheets_standin import SheetsStandIn

    with SheetsStandIn() as s:
        yield s
    assert s.errors == [], "the stand-in crashed while handling a request"


@pytest.fixture(scope="module")
def sa_file(standin, tmp_path_factory):
    """A service-account file whose token URI is the stand-in's (the real google-auth flow)."""
    from tests.sheets_standin import write_service_account_file

    path = tmp_path_factory.mktemp("sa") / "service_account.json"
    write_service_account_file(path, standin)
    return path


@pytest.fixture(scope="module")
def sheets_client(standin, sa_file):
    """A gspread client on the stand-in, without back-off: errors surface at once."""
    from tests.sheets_standin import make_client

    return make_client(standin, sa_file, backoff=False, timeout=5)
