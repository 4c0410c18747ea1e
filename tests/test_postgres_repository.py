"""The Repository contract on PostgreSQL (a real server started by the tests), plus what only a shared
server brings: two app processes see each other's saves, a stale save is refused whichever process
made the other one, receipt numbers stay unique across processes, and an unreachable server is a plain
message."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from data_access.postgres_store import PostgresRepository
from data_access.repository import Insert
from data_access.schema import SCHEMA_VERSION
from domain.errors import StoreUnavailableError
from tests.contracts.repository import unit

ROOT = Path(__file__).resolve().parent.parent


def test_the_schema_is_created_on_first_use_and_recorded(pg_repo):
    assert pg_repo.schema_version() == SCHEMA_VERSION


def test_bulk_import_loads_rows_without_audit(pg_repo):
    rows = [unit(f"U{i}") | {"version": 1} for i in range(50)]
    assert pg_repo.import_rows("units", rows) == 50
    assert pg_repo.count("units") == 50 and pg_repo.audit() == []


def test_bulk_import_keeps_every_odd_text_exactly(pg_repo):
    texts = ["\\.", "   ", "NA", "\\N", "a,b;\"c\"", "baris\nbaru\r\nlagi", "\rCR", "\tTab", "=SUM(A1)", "✅ ‏שלום"]
    pg_repo.import_rows("units", [unit(f"U{i}", t) | {"version": 1} for i, t in enumerate(texts)])
    pg_repo.import_rows("units", [unit("U-NOL", None) | {"version": 1, "active": None}])
    assert [pg_repo.get("units", f"U{i}")["name"] for i in range(len(texts))] == texts
    blank = pg_repo.get("units", "U-NOL")
    assert blank["name"] is None and blank["active"] is None and blank["version"] == 1


def test_an_unreachable_server_is_a_plain_message_without_the_password(tmp_path):
    url = f"postgresql://sop:rahasia-sekali@/sop?host={tmp_path}&port=1"
    repo = PostgresRepository(url, connect_timeout=2)
    with pytest.raises(StoreUnavailableError) as err:
        repo.init()
    text = str(err.value)
    assert "tidak dapat dihubungi" in text and "rahasia-sekali" not in text and "Traceback" not in text


# Other app servers are separate interpreters (not multiprocessing): a spawned child would re-import
# whatever module the test process runs as __main__, which AppTest may have pointed at a page file.
TAKE_NUMBERS = """
import json, sys
from data_access.postgres_store import PostgresRepository
repo = PostgresRepository(sys.argv[1])
print(json.dumps([repo.next_number("ADU-2026", "lain") for _ in range(int(sys.argv[2]))]), flush=True)
repo.close()
"""

SAVE_NOTES = """
import sys
from data_access.postgres_store import PostgresRepository
from data_access.repository import Update
from domain.errors import StaleWriteError
repo = PostgresRepository(sys.argv[1])
try:
    repo.apply([Update("units", "U1", {"name": "dari proses lain"}, int(sys.argv[2]))], actor="proses-b")
    print("saved", flush=True)
except StaleWriteError as exc:
    print(f"stale:{exc.saved_by}", flush=True)
repo.close()
"""


def _another_server(code: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _answer(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, f"the other process failed:\n{err[-3000:]}"
    return out.strip().splitlines()[-1]


def test_receipt_numbers_are_unique_across_processes(pg_url, pg_repo):
    others = [_another_server(TAKE_NUMBERS, pg_url, 25) for _ in range(2)]
    mine = [pg_repo.next_number("ADU-2026", "saya") for _ in range(25)]
    got = mine + sum((json.loads(_answer(p)) for p in others), [])
    assert sorted(got) == list(range(1, 76))


def test_a_save_made_on_an_old_version_is_refused_in_another_process(pg_url, pg_repo):
    from data_access.repository import Update

    pg_repo.apply([Insert("units", unit())], actor="a")
    pg_repo.apply([Update("units", "U1", {"name": "Biro Umum dan Protokol"}, 1)], actor="proses-a")
    assert _answer(_another_server(SAVE_NOTES, pg_url, 1)) == "stale:proses-a"
    got = pg_repo.get("units", "U1")
    assert got["name"] == "Biro Umum dan Protokol" and got["version"] == 2


def test_frames_read_odd_text_lists_and_instants_back_as_get_does(pg_repo):
    import datetime as dt

    texts = ["   ", "NA", "null", "\\N", "a,b;\"c\"", "baris\nbaru\r\nlagi", "\tTab", "=SUM(A1)", "✅ ‏שלום",
             "é" * 5000]
    pg_repo.apply([Insert("units", unit(f"U{i}", t)) for i, t in enumerate(texts)], actor="a")
    at = dt.datetime(2026, 3, 2, 1, 15, 30, 120000, tzinfo=dt.UTC)
    pg_repo.apply([Insert("cases", {"id": "C1", "unit_ids": ["U1", "U,2", "U\"3"], "started_at": at,
                                    "drafts": 0, "target_date": dt.date(2026, 12, 31)}),
                   Insert("cases", {"id": "C2", "unit_ids": []})], actor="a")
    units = pg_repo.frames(["units"])["units"].set_index("id")
    assert [units.loc[f"U{i}", "name"] for i in range(len(texts))] == texts
    cases = pg_repo.frames(["cases"])["cases"].set_index("id")
    assert cases.loc["C1", "unit_ids"] == ["U1", "U,2", "U\"3"] and cases.loc["C2", "unit_ids"] == []
    assert cases.loc["C1", "started_at"] == at and cases.loc["C1", "drafts"] == 0
    assert cases.loc["C2", "notes"] is None and units["active"].dtype == "boolean"


def test_empty_frames_have_the_dtypes_of_duckdbs(pg_repo, duckdb_repo):
    import pandas as pd

    from data_access.schema import TABLES

    on_server, on_file = pg_repo.frames(list(TABLES)), duckdb_repo.frames(list(TABLES))
    for table in TABLES:
        pd.testing.assert_frame_equal(on_server[table], on_file[table], obj=table)


def test_every_save_counts_the_tables_it_wrote_for_every_server_to_see(pg_url, pg_repo):
    """What each app server keys its cached reads on: a save made by one server moves the count of
    each table it wrote, as the other reads it."""
    from data_access.repository import Update

    other = PostgresRepository(pg_url)
    before = other.change_counts()
    pg_repo.apply([Insert("units", unit("U1"))], actor="a")
    after_insert = other.change_counts()
    assert after_insert.get("units", 0) == before.get("units", 0) + 1
    assert after_insert.get("audit", 0) == before.get("audit", 0) + 1 and "cases" not in after_insert
    pg_repo.apply([Update("units", "U1", {"name": "Biro Umum Baru"}, 1)], actor="a")
    pg_repo.next_number("ADU-2026", "a")
    pg_repo.import_rows("organisations", [{"id": "ORG-1", "name": "Setmen", "version": 1}])
    counts = other.change_counts()
    assert counts["units"] == after_insert["units"] + 1 and counts["sequences"] >= 1 and counts["organisations"] >= 1
    other.close()


def test_start_up_work_runs_on_one_server_at_a_time(pg_url, pg_repo):
    import threading
    import time

    inside, overlaps, errors = [], [], []

    def server():
        repo = PostgresRepository(pg_url)
        repo.init()
        try:
            with repo.exclusive():
                inside.append(1)
                overlaps.append(len(inside))
                time.sleep(0.2)
                inside.pop()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            repo.close()

    threads = [threading.Thread(target=server) for _ in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == [] and overlaps == [1, 1, 1]
