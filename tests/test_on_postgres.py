"""Every contract suite on PostgreSQL: a real server the tests start (tests/postgres_server.py), an
empty schema per test. Then what only a comparison of the backends shows: the same evaluation as
the DuckDB file gives."""
from __future__ import annotations

import pytest

from data_access.evaluation_data import evaluation_for_year
from tests.contracts.accounts import AccountsContract
from tests.contracts.calendar import CalendarContract
from tests.contracts.register import RegisterContract
from tests.contracts.complaints import ComplaintsContract
from tests.contracts.evaluation import EvaluationContract
from tests.contracts.repository import RepositoryContract
from tests.contracts.sessions import SessionsContract
from tests.contracts.tracker import TrackerContract
from tests.evaluation_world import CAL, NOW, build_store, fill


class OnPostgres:
    @pytest.fixture
    def repo(self, pg_repo):
        return pg_repo


class TestRepositoryOnPostgres(OnPostgres, RepositoryContract):
    concurrency = 12


class TestComplaintsOnPostgres(OnPostgres, ComplaintsContract):
    concurrency = 12


class TestTrackerOnPostgres(OnPostgres, TrackerContract):
    pass


class TestCalendarOnPostgres(OnPostgres, CalendarContract):
    pass


class TestRegisterOnPostgres(OnPostgres, RegisterContract):
    pass


class TestAccountsOnPostgres(OnPostgres, AccountsContract):
    pass


class TestEvaluationOnPostgres(OnPostgres, EvaluationContract):
    pass


class TestSessionsOnPostgres(OnPostgres, SessionsContract):
    @pytest.fixture
    def twin(self, pg_url):
        """Another app server: its own connections to the same database."""
        from data_access.postgres_store import PostgresRepository

        other = PostgresRepository(pg_url)
        other.init()
        yield other
        other.close()


def test_the_evaluation_on_postgresql_equals_the_one_from_the_duckdb_file(pg_repo, tmp_path):
    duck = build_store(tmp_path / "store.duckdb")
    fill(pg_repo)
    for year in (2025, 2026):
        assert evaluation_for_year(pg_repo, year, CAL, NOW) == evaluation_for_year(duck, year, CAL, NOW)
    duck.close()
