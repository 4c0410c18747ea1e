"""Attachments on PostgreSQL (a real server the tests start): the bytes live in the database itself,
so every app server reaches them without a shared folder, and every download checks the SHA-256 as
the folder store does."""
from __future__ import annotations

import hashlib

import psycopg
import pytest

from data_access.config import Settings
from data_access.file_store import AttachmentMissing, DatabaseFileStore, LocalFileStore, open_file_store
from data_access.postgres_store import PostgresRepository
from domain import complaints as cp
from domain.errors import StoreUnavailableError, ValidationError
from tests.contracts.complaints import KARO, PDF, seed, submit

SHA = hashlib.sha256(PDF).hexdigest()


@pytest.fixture
def files(pg_repo, tmp_path) -> DatabaseFileStore:
    return open_file_store(Settings(backend="postgres", attachments_dir=str(tmp_path / "lampiran")), pg_repo)


def test_on_postgresql_the_attachments_go_to_the_database_not_the_folder(files, pg_repo, tmp_path):
    assert isinstance(files, DatabaseFileStore)
    path = files.put("ATT-0123456789abcdef", PDF)
    assert path == "db:ATT-0123456789abcdef" and files.get("ATT-0123456789abcdef", path, SHA) == PDF
    assert not (tmp_path / "lampiran").exists()
    assert isinstance(open_file_store(Settings(attachments_dir=str(tmp_path / "x"))), LocalFileStore)


def test_a_file_filed_on_one_server_is_downloaded_on_another(files, pg_url, tmp_path):
    seed(files.store)
    receipt = submit(files.store, upload=cp.Upload("bukti.pdf", PDF), files=files)
    other = PostgresRepository(pg_url)  # another app server: its own connections, no folder shared
    elsewhere = open_file_store(Settings(backend="postgres", attachments_dir=str(tmp_path / "lain")), other)
    meta, data = cp.attachment_content(other, KARO, elsewhere, receipt.complaint["attachment_id"])
    assert data == PDF and meta["sha256"] == SHA and meta["path"].startswith("db:")
    other.close()


def test_bytes_changed_in_the_database_are_refused_not_served(files, pg_url):
    path = files.put("ATT-1", PDF)
    with psycopg.connect(pg_url) as con:
        con.execute("UPDATE attachment_files SET data = %s WHERE id = 'ATT-1'", [b"%PDF-1.4 swapped"])
    with pytest.raises(AttachmentMissing, match="checksum"):
        files.get("ATT-1", path, SHA)


def test_a_missing_file_and_a_path_that_is_not_its_own_are_messages(files):
    with pytest.raises(AttachmentMissing, match="tidak ada"):
        files.get("ATT-2", "db:ATT-2", SHA)
    files.put("ATT-3", PDF)
    with pytest.raises(AttachmentMissing):
        files.get("ATT-3", "../../etc/passwd", SHA)
    with pytest.raises(ValidationError):
        files.put("../etc", PDF)


def test_a_file_filed_into_the_folder_before_the_move_to_postgresql_is_still_read(files, tmp_path):
    path = LocalFileStore(tmp_path / "lampiran").put("ATT-4", PDF)
    assert files.get("ATT-4", path, SHA) == PDF


def test_a_save_that_fails_removes_the_bytes_it_wrote(files, monkeypatch):
    seed(files.store)
    real_apply = files.store.apply

    def failing(writes, actor, at=None):
        if any(getattr(w, "table", "") == "complaints" for w in writes):
            raise StoreUnavailableError("disk penuh")
        return real_apply(writes, actor, at)

    monkeypatch.setattr(files.store, "apply", failing)
    with pytest.raises(StoreUnavailableError):
        submit(files.store, upload=cp.Upload("bukti.pdf", PDF), files=files)
    with psycopg.connect(files.store.url) as con:
        assert con.execute("SELECT count(*) FROM attachment_files").fetchone()[0] == 0
