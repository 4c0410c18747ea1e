"""`python -m cli.evaluation` as a scheduled job runs it: a subprocess on the configured store,
also while another process (the app) keeps using the same DuckDB file."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.evaluation_world import NON_LATIN, build_store
from tests.waiting import read_line

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store_file(tmp_path):
    path = tmp_path / "store.duckdb"
    build_store(path).close()
    return path


def cli_env(tmp_path, store: Path) -> dict:
    return {**os.environ, "SOP_BACKEND": "duckdb", "SOP_DUCKDB_PATH": str(store),
            "SOP_SECRETS_FILE": str(tmp_path / "no-secrets.toml"), "PYTHONPATH": str(ROOT)}


def run_cli(tmp_path, store, *args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.evaluation", *args], cwd=ROOT,
                          env=cli_env(tmp_path, store), capture_output=True, text=True, timeout=timeout)


def test_the_command_line_writes_the_yearly_pdf_from_the_configured_store(tmp_path, store_file):
    out = tmp_path / "evaluasi-2026.pdf"
    done = run_cli(tmp_path, store_file, "--year", "2026", "--out", str(out))
    assert done.returncode == 0, done.stderr
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    n = len(reader.pages)
    assert "Evaluasi Kinerja Pelaksana tahun 2026: sementara (data s.d. 3 Desember 2026), draf" in done.stdout
    assert f"Halaman: {n}\n" in done.stdout and "Pelaksana dievaluasi: 4\n" in done.stdout
    assert f"Berkas: {out.resolve()} (" in done.stdout
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Agus Prasetyo" in text and NON_LATIN in text and f"Halaman {n} dari {n}" in text
    assert not (tmp_path / "evaluasi-2026.pdf.tmp").exists()


def test_the_command_line_writes_one_executor_sheet(tmp_path, store_file):
    out = tmp_path / "lembar.pdf"
    done = run_cli(tmp_path, store_file, "--year", "2026", "--executor", "EX-1", "--out", str(out))
    assert done.returncode == 0, done.stderr
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 1 and "Đặng Thị Ngọc Ånström" in reader.pages[0].extract_text()


def test_the_command_line_says_plainly_when_the_store_file_is_missing(tmp_path):
    done = run_cli(tmp_path, tmp_path / "nothing-here.duckdb", "--year", "2026", "--out", str(tmp_path / "x.pdf"))
    assert done.returncode == 2
    assert "tidak ada" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "nothing-here.duckdb").exists()


HOLDER = textwrap.dedent("""
    import sys, time
    from data_access.duckdb_store import DuckDBRepository
    from data_access.repository import Log
    repo = DuckDBRepository(sys.argv[1])  # like the app: opens the file per unit of work
    repo.apply([Log("app.start", "store", "", "holder")], actor="app")
    print("ready", flush=True)
    done, deadline = 0, time.monotonic() + float(sys.argv[2])
    while time.monotonic() < deadline:
        repo.get("executors", "EX-1")
        repo.apply([Log("app.tick", "store", "", str(done))], actor="app")
        done += 1
        time.sleep(0.02)
    print("units", done, flush=True)
""")


def test_the_command_line_succeeds_while_another_process_keeps_using_the_duckdb_file(tmp_path, store_file):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(store_file), "20"], cwd=ROOT,
                              env=cli_env(tmp_path, store_file), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        read_line(holder, what="the other process opening the store", wanted=lambda line: line == "ready")
        time.sleep(0.2)  # the other process has just used the file and goes on using it
        out = tmp_path / "evaluasi.pdf"
        done = run_cli(tmp_path, store_file, "--year", "2026", "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert out.stat().st_size > 10_000
        assert holder.poll() is None  # the app went on working all along
    finally:
        holder.terminate()
        holder.wait(15)


def test_the_figures_are_computed_before_the_pdf_library_is_loaded(tmp_path, store_file):
    """The command line's peak memory is that of the larger part, not of both, only if fpdf2 is
    not loaded until the figures are done: importing the command's module must not import it."""
    code = ("import sys; import reports.evaluation as r; from cli.evaluation import load_evaluation; "
            "ev = load_evaluation(2026); loaded = 'fpdf' in sys.modules; r.build_yearly_pdf(ev); "
            "print(loaded, 'fpdf' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=cli_env(tmp_path, store_file),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True"]


def test_freed_memory_goes_back_through_malloc_trim_where_the_c_library_has_it(monkeypatch):
    from cli import process_memory

    calls = []

    class Libc:
        def malloc_trim(self, pad):
            calls.append(pad)

    monkeypatch.setattr(process_memory.ctypes, "CDLL", lambda name: Libc())
    process_memory.return_freed_memory()
    assert calls == [0]

    class NoTrim:  # a C library without malloc_trim (musl, macOS): nothing happens, no error
        pass

    monkeypatch.setattr(process_memory.ctypes, "CDLL", lambda name: NoTrim())
    process_memory.return_freed_memory()
    assert calls == [0]
