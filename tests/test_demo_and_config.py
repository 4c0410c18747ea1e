"""Demo data on first start, the command that loads it, and configuration."""
import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from cli import demo as demo_cli
from data_access import demo
from data_access.config import load_settings
from data_access.demo import DEMO_MARK, EMPTY_MARK, build_demo, load_demo, load_demo_if_empty
from data_access.duckdb_store import DuckDBRepository
from data_access.repository import Insert
from domain.calendar import JAKARTA, WorkCalendar

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.datetime(2026, 11, 27, 10, 0, tzinfo=JAKARTA)


def test_demo_data_is_realistic_and_labelled():
    data = build_demo(WorkCalendar(), TODAY)
    assert len(data["organisations"]) == 8 and len(data["cases"]) == 40
    assert any("(demo)" in e["name"] for e in data["executors"])
    assert {c["track"] for c in data["cases"]} == {"permen", "intern"}
    statuses = Counter(c["status"] for c in data["cases"])
    assert statuses["aktif"] >= 5 and statuses["selesai"] >= 5 and statuses["ditunda"] >= 1
    stages = {c["current_step"].split(".")[0] for c in data["cases"] if c["current_step"]}
    assert len(stages) >= 4
    late = [e for e in data["step_events"] if e["finished_at"] and e["finished_at"] > e["due_at"]]
    assert late, "some steps must be late"
    assert {c["status"] for c in data["complaints"]} >= {"diterima", "didelegasikan", "ditutup"}


def test_demo_data_is_loaded_only_into_an_empty_store(duckdb_repo):
    assert load_demo_if_empty(duckdb_repo, WorkCalendar()) is True
    n = duckdb_repo.count("cases")
    assert n == 40 and duckdb_repo.get("settings", "demo_data") is not None
    assert load_demo_if_empty(duckdb_repo, WorkCalendar()) is False
    assert duckdb_repo.count("cases") == n
    assert any(e["action"] == "demo_loaded" for e in duckdb_repo.audit())


def test_a_store_with_data_is_never_given_demo_data(duckdb_repo):
    duckdb_repo.apply([Insert("organisations", {"id": "O1", "name": "Satuan Nyata"})], actor="admin")
    assert load_demo_if_empty(duckdb_repo, WorkCalendar()) is False
    assert duckdb_repo.count("cases") == 0


def test_the_demo_command_loads_once_and_can_start_empty(tmp_path):
    env = {**os.environ, "SOP_DUCKDB_PATH": str(tmp_path / "a.duckdb"), "SOP_SECRETS_FILE": str(tmp_path / "x.toml")}
    empty = subprocess.run([sys.executable, "-m", "cli.demo", "--empty"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert empty.returncode == 0 and "kosong" in empty.stdout
    first = subprocess.run([sys.executable, "-m", "cli.demo"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    assert first.returncode == 0 and "cases=40" in first.stdout, first.stderr
    again = subprocess.run([sys.executable, "-m", "cli.demo"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 1 and "sudah berisi data" in again.stdout


def _demo_command(tmp_path, *args):
    env = {**os.environ, "SOP_DUCKDB_PATH": str(tmp_path / "a.duckdb"), "SOP_SECRETS_FILE": str(tmp_path / "x.toml")}
    return subprocess.run([sys.executable, "-m", "cli.demo", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_empty_is_remembered_so_the_next_start_loads_no_demo_data(tmp_path):
    run = _demo_command(tmp_path, "--empty")
    assert run.returncode == 0, run.stderr
    repo = DuckDBRepository(tmp_path / "a.duckdb")
    repo.init()
    marker = repo.get("settings", EMPTY_MARK)
    assert marker is not None and marker["created_by"] == "konsol"
    assert any(e["action"] == "create" and e["entity"] == "settings" and e["entity_id"] == EMPTY_MARK
               and e["actor"] == "konsol" for e in repo.audit())
    assert load_demo_if_empty(repo, WorkCalendar()) is False  # what ui/context.py does on start-up
    assert repo.count("cases") == 0 and repo.count("organisations") == 0 and repo.count("accounts") == 0
    assert repo.get("settings", DEMO_MARK) is None
    repo.close()
    again = _demo_command(tmp_path, "--empty")  # running it twice is harmless: one marker, one audit entry
    assert again.returncode == 0, again.stderr
    repo = DuckDBRepository(tmp_path / "a.duckdb")
    assert [e["entity_id"] for e in repo.audit("settings")] == [EMPTY_MARK]


def test_without_empty_the_next_start_loads_demo_data(tmp_path):
    repo = DuckDBRepository(tmp_path / "a.duckdb")
    repo.init()
    assert repo.get("settings", EMPTY_MARK) is None
    assert load_demo_if_empty(repo, WorkCalendar()) is True
    assert repo.count("cases") == 40


def test_empty_on_a_store_with_data_changes_nothing(duckdb_repo):
    duckdb_repo.apply([Insert("organisations", {"id": "O1", "name": "Satuan Nyata"})], actor="admin")
    duckdb_repo.close()
    env = {**os.environ, "SOP_DUCKDB_PATH": duckdb_repo.path, "SOP_SECRETS_FILE": duckdb_repo.path + ".toml"}
    run = subprocess.run([sys.executable, "-m", "cli.demo", "--empty"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "sudah berisi data" in run.stdout, run.stderr
    assert duckdb_repo.get("settings", EMPTY_MARK) is None


def test_settings_default_to_duckdb_without_any_configuration():
    s = load_settings(secrets={}, env={})
    assert s.backend == "duckdb" and s.duckdb_path == "data/sop_tracker.duckdb" and s.demo_data


def test_environment_wins_over_the_secrets_file():
    secrets = {"sop_tracker": {"backend": "sheets", "sheets_key": "abc", "office_start": "08:00"},
               "gcp_service_account": {"client_email": "x@y"}}
    s = load_settings(secrets=secrets, env={"SOP_BACKEND": "duckdb", "SOP_DEMO_DATA": "false"})
    assert s.backend == "duckdb" and s.sheets_key == "abc" and s.office_start == "08:00"
    assert s.demo_data is False and s.service_account == {"client_email": "x@y"}


def test_an_unknown_backend_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="duckdb"):
        load_settings(secrets={}, env={"SOP_BACKEND": "excel"})


def test_load_demo_counts_match_the_store(memory_repo):
    counts = load_demo(memory_repo, WorkCalendar(), TODAY)
    for table, n in counts.items():
        assert memory_repo.count(table) == n


@pytest.fixture
def demo_on_sheets(tmp_path, monkeypatch):
    """The demo command's configuration pointing at a spreadsheet on the local Sheets stand-in."""
    from tests.sheets_standin import SheetsStandIn, write_service_account_file

    with SheetsStandIn() as standin:
        write_service_account_file(tmp_path / "sa.json", standin)
        sid = standin.create_spreadsheet("demo")
        for var, value in {"SOP_BACKEND": "sheets", "SOP_SHEETS_KEY": sid, "SOP_SHEETS_ENDPOINT": standin.url,
                           "SOP_SERVICE_ACCOUNT_FILE": str(tmp_path / "sa.json"), "SOP_DEMO_PASSWORD": "Uji-Demo-2026!",
                           "SOP_SECRETS_FILE": str(tmp_path / "x.toml")}.items():
            monkeypatch.setenv(var, value)
        yield standin, sid


def test_the_demo_command_reads_the_demo_back_before_saying_it_is_loaded(demo_on_sheets, capsys):
    standin, sid = demo_on_sheets
    assert demo_cli.main([]) == demo_cli.EXIT_OK
    assert "terbaca kembali utuh" in capsys.readouterr().out
    assert len(standin.rows(sid, "cases")) == 41


def test_the_demo_command_fails_loudly_when_what_it_wrote_is_not_there(demo_on_sheets, monkeypatch, capsys):
    standin, sid = demo_on_sheets

    def rows_lost(repo, records):  # between the write and the read back, rows vanish from the sheet
        with standin.lock:
            del standin.sheet(sid, "cases")["rows"][5:8]

    monkeypatch.setattr(demo, "EXTRA_LOADERS", [*demo.EXTRA_LOADERS, rows_lost])
    assert demo_cli.main([]) == demo_cli.EXIT_NOT_STORED
    printed = capsys.readouterr()
    assert "cases: 40 baris ditulis, 37 terbaca kembali" in printed.err and "Gagal" in printed.err
    assert "dimuat" not in printed.out


def test_the_flood_limits_come_from_secrets_or_the_environment_and_the_earlier_name_still_counts():
    from domain.flood_limits import FloodLimits

    default = FloodLimits.of(load_settings(secrets={}, env={}))
    assert default == FloodLimits(5, 60, 10, 5, 60)
    s = load_settings(secrets={"sop_tracker": {"submissions_per_session": 3, "lookup_window_minutes": 15}},
                      env={"SOP_LOOKUP_FAILURES_PER_RECEIPT": "2", "SOP_CLIENT_ADDRESS_HEADER": "X-Real-IP"})
    assert FloodLimits.of(s) == FloodLimits(3, 60, 10, 2, 15)
    assert s.client_address_header == "X-Real-IP" and "submissions_per_session" not in s.extra
    assert load_settings(secrets={}, env={"SOP_SUBMISSIONS_PER_SESSION": "4"}).complaints_per_address == 4
