import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data_access.duckdb_store import DuckDBRepository  # noqa: E402


@pytest.fixture
def duckdb_repo(tmp_path):
    """A real DuckDB file in a temp dir, schema created."""
    repo = DuckDBRepository(tmp_path / "store.duckdb")
    repo.init()
    yield repo
    repo.close()


@pytest.fixture
def memory_repo():
    repo = DuckDBRepository(":memory:")
    repo.init()
    yield repo
    repo.close()

from tests.apptest_helpers import app_store  # noqa: E402,F401  (fixture for AppTest page tests)
