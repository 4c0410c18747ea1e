"""Every contract suite on DuckDB: a real file in a temp dir (and, for the repository itself, a
store in memory too)."""
import pytest

from tests.contracts.accounts import AccountsContract
from tests.contracts.calendar import CalendarContract
from tests.contracts.register import RegisterContract
from tests.contracts.complaints import ComplaintsContract
from tests.contracts.evaluation import EvaluationContract
from tests.contracts.repository import RepositoryContract
from tests.contracts.sessions import SessionsContract
from tests.contracts.tracker import TrackerContract


class OnDuckDBFile:
    @pytest.fixture
    def repo(self, duckdb_repo):
        return duckdb_repo


class TestRepositoryOnDuckDBFile(OnDuckDBFile, RepositoryContract):
    pass


class TestRepositoryOnDuckDBMemory(RepositoryContract):
    @pytest.fixture
    def repo(self, memory_repo):
        return memory_repo


class TestComplaintsOnDuckDB(OnDuckDBFile, ComplaintsContract):
    concurrency = 8


class TestTrackerOnDuckDB(OnDuckDBFile, TrackerContract):
    pass


class TestCalendarOnDuckDB(OnDuckDBFile, CalendarContract):
    pass


class TestRegisterOnDuckDB(OnDuckDBFile, RegisterContract):
    pass


class TestAccountsOnDuckDB(OnDuckDBFile, AccountsContract):
    pass


class TestEvaluationOnDuckDB(OnDuckDBFile, EvaluationContract):
    pass


class TestSessionsOnDuckDB(OnDuckDBFile, SessionsContract):
    pass
