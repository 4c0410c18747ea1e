"""Console commands facing a DuckDB file held by another process: a plain message and exit code 2."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli import accounts as accounts_cli
from cli import demo as demo_cli
from data_access import demo
from data_access.duckdb_store import DuckDBRepository
from domain.errors import StoreUnavailableError
from tests.locks import held_store

ROOT = Path(__file__).resolve().parent.parent
LOCKED = "sedang dipakai proses lain"

# No setting shortens the commands' lock wait (DuckDBRepository's 10 s default, not in config.py),
# so they run side by side against one holder.
COMMANDS = [
    ["cli.demo"],
    ["cli.demo", "--empty"],
    ["cli.accounts", "list"],
    ["cli.accounts", "unlock", "--username", "admin"],
]


@pytest.fixture
def locked_store(tmp_path):
    path = str(tmp_path / "s.duckdb")
    with held_store(path) as unlock:
        yield path, unlock


def test_commands_on_a_locked_file_exit_2_with_a_plain_message(locked_store, tmp_path):
    path, unlock = locked_store
    env = {**os.environ, "SOP_DUCKDB_PATH": path, "SOP_SECRETS_FILE": str(tmp_path / "x.toml"),
           "SOP_ADMIN_PASSWORD": "Sandi-yang-cukup-panjang-1"}
    procs = [subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for args in COMMANDS]
    results = []
    for args, proc in zip(COMMANDS, procs, strict=True):
        out, err = proc.communicate(timeout=120)
        results.append((args, proc.returncode, out, err))
    for args, code, out, err in results:
        assert code == 2, (args, code, out, err)
        assert "Traceback" not in err, (args, err)
        assert err.startswith("Gagal: ") and LOCKED in err and path in err, (args, err)
    unlock()
    repo = DuckDBRepository(path)  # nothing was written: no demo data, no --empty marker, no audit
    assert repo.count("cases") == 0 and repo.get("settings", demo.EMPTY_MARK) is None and repo.audit() == []


def test_the_store_failing_during_a_command_also_exits_2(capsys):
    class Unavailable:
        backend = "duckdb"

        def list(self, table, where=None):
            raise StoreUnavailableError("Berkas basis data x.duckdb sedang dipakai proses lain.")

    assert accounts_cli.main(["list"], repo=Unavailable()) == 2
    err = capsys.readouterr().err
    assert err.startswith("Gagal: ") and LOCKED in err


def test_demo_command_reports_an_unavailable_store_in_process(monkeypatch, capsys):
    def refuse(settings=None, **kw):
        raise StoreUnavailableError("Berkas basis data x.duckdb sedang dipakai proses lain.")

    monkeypatch.setattr("data_access.factory.open_repository", refuse)
    monkeypatch.setenv("SOP_SECRETS_FILE", "/nonexistent/secrets.toml")
    assert demo_cli.main(["--empty"]) == 2
    assert demo_cli.main([]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("Gagal: ") == 2 and LOCKED in captured.err and captured.out == ""
