"""Faults on the DuckDB store: a killed process, a read-only file, a full disk.

After each, a record and its audit entries are both there or both absent, committed data survive,
and the person gets a plain message."""
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from data_access.duckdb_store import DuckDBRepository
from data_access.repository import Insert
from domain.errors import StoreUnavailableError
from tests.waiting import read_line

ROOT = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent("""
    import sys, itertools
    sys.path.insert(0, {root!r})
    from data_access.duckdb_store import DuckDBRepository
    from data_access.repository import Insert, Update
    repo = DuckDBRepository({path!r}, keep_open=True)
    repo.init()
    print("ready", flush=True)
    for i in itertools.count():
        repo.apply([Insert("cases", {{"id": f"C{{i}}", "title": "x" * 2000, "status": "aktif"}}),
                    Insert("step_events", {{"id": f"E{{i}}", "case_id": f"C{{i}}", "step_code": "1.a"}})],
                   actor="writer")
        if i % 10 == 0:
            print(i, flush=True)
""")


def assert_each_record_has_its_audit(repo):
    cases = {c["id"] for c in repo.list("cases")}
    events = {e["case_id"] for e in repo.list("step_events")}
    audited = {e["entity_id"] for e in repo.audit("cases") if e["action"] == "create"}
    assert cases == audited == events


def test_a_process_killed_mid_save_leaves_whole_saves_only(tmp_path):
    path = str(tmp_path / "kill.duckdb")
    proc = subprocess.Popen([sys.executable, "-c", WRITER.format(root=str(ROOT), path=path)],
                            stdout=subprocess.PIPE, text=True)
    read_line(proc, what="the writer process starting", wanted=lambda line: line == "ready")
    # Thirty saves reported as done before the kill.
    read_line(proc, what="the writer reporting 30 saves", wanted=lambda line: line.isdigit() and int(line) >= 30)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    repo = DuckDBRepository(path)
    repo.init()
    assert repo.count("cases") >= 30  # everything reported as saved survived the kill
    assert_each_record_has_its_audit(repo)


def test_a_read_only_store_refuses_writes_with_a_message_and_changes_nothing(tmp_path):
    path = tmp_path / "ro.duckdb"
    repo = DuckDBRepository(path)
    repo.init()
    repo.apply([Insert("units", {"id": "U1", "name": "Biro Umum"})], actor="a")
    ro = DuckDBRepository(path, read_only=True)
    with pytest.raises(StoreUnavailableError) as err:
        ro.apply([Insert("units", {"id": "U2", "name": "Biro Keuangan"})], actor="a")
    assert "hanya-baca" in str(err.value)
    assert ro.get("units", "U1")["name"] == "Biro Umum" and ro.count("units") == 1


FULL_DISK = textwrap.dedent("""
    import resource, signal, sys
    sys.path.insert(0, {root!r})
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full disk: writes fail with EFBIG
    from data_access.duckdb_store import DuckDBRepository
    from data_access.repository import Insert
    from domain.errors import StoreUnavailableError
    repo = DuckDBRepository({path!r})
    repo.init()
    size = __import__("os").path.getsize({path!r})
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 300_000, size + 300_000))
    saved = 0
    try:
        for i in range(2000):
            repo.apply([Insert("cases", {{"id": f"C{{i}}", "title": "x" * 5000}})], actor="w")
            saved += 1
        print("NOFULL")
    except StoreUnavailableError as exc:
        print("SAVED", saved)
        print("MESSAGE", exc)
""")


def test_a_full_disk_gives_a_message_and_committed_data_survive(tmp_path):
    path = str(tmp_path / "full.duckdb")
    out = subprocess.run([sys.executable, "-c", FULL_DISK.format(root=str(ROOT), path=path)],
                         capture_output=True, text=True, timeout=120)
    assert "NOFULL" not in out.stdout, out.stdout + out.stderr
    assert "MESSAGE" in out.stdout and "penuh" in out.stdout, out.stdout + out.stderr
    saved = int(out.stdout.split("SAVED")[1].split()[0])
    repo = DuckDBRepository(path)
    repo.init()
    assert repo.count("cases") >= saved
    assert_each_record_has_its_audit_or_no_events(repo)


def assert_each_record_has_its_audit_or_no_events(repo):
    cases = {c["id"] for c in repo.list("cases")}
    audited = {e["entity_id"] for e in repo.audit("cases") if e["action"] == "create"}
    assert cases == audited
