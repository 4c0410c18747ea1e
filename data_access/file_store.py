"""Where complaint attachments' bytes live; their metadata (name, type, size, SHA-256, path) is a row
of the ``attachments`` table, on every backend.

- ``LocalFileStore``: a folder named by configuration (``attachments_dir``), for DuckDB and Google
  Sheets. With several app servers it must be one folder they all reach (a shared mount).
- ``DatabaseFileStore``: the PostgreSQL database itself (table ``attachment_files``), when the
  backend is PostgreSQL: every app server reaches it, and nothing else needs sharing. Attachments
  filed into the folder before the store moved to PostgreSQL stay readable from there.

A file is found by its attachment ID; its checksum is verified on every read, so a changed or
swapped file is refused, never served. Paths are built from the ID only (never from a name a person
typed) and stay inside the folder.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from data_access.config import Settings
from domain.errors import DomainError, StoreUnavailableError, ValidationError

_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


class AttachmentMissing(DomainError):
    key = "complaint.err.attachment_missing"


class LocalFileStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, attachment_id: str) -> tuple[str, Path]:
        if not _ID.match(attachment_id or ""):
            raise ValidationError("attachment", f"ID lampiran tidak sah: {attachment_id!r}")
        rel = f"{attachment_id[-2:].lower()}/{attachment_id}.bin"
        return rel, self.root / rel

    def _resolve(self, attachment_id: str, path: str | None) -> Path:
        rel, expected = self._path(attachment_id)
        if path and path != rel:  # a path in the table that does not match its ID is not followed
            raise AttachmentMissing(f"Lampiran {attachment_id}: lokasi berkas tidak cocok")
        return expected

    def put(self, attachment_id: str, data: bytes) -> str:
        """Write the bytes atomically (temp file + rename) and return the path relative to the root."""
        rel, target = self._path(attachment_id)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StoreUnavailableError(f"Folder lampiran tidak dapat ditulis ({exc.strerror or exc}).") from None
        return rel

    def get(self, attachment_id: str, path: str | None, sha256: str) -> bytes:
        target = self._resolve(attachment_id, path)
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            raise AttachmentMissing(f"Berkas lampiran {attachment_id} tidak ada di folder lampiran.") from None
        except OSError as exc:
            raise StoreUnavailableError(f"Folder lampiran tidak dapat dibaca ({exc.strerror or exc}).") from None
        return _verified(attachment_id, data, sha256)

    def delete(self, attachment_id: str, path: str | None = None) -> None:
        """Remove a file (used only to undo a write whose record could not be saved)."""
        target = self._resolve(attachment_id, path)
        target.unlink(missing_ok=True)

    def exists(self, attachment_id: str) -> bool:
        return self._path(attachment_id)[1].exists()


def _verified(attachment_id: str, data: bytes, sha256: str) -> bytes:
    if hashlib.sha256(data).hexdigest() != (sha256 or "").lower():
        raise AttachmentMissing(f"Berkas lampiran {attachment_id} berubah sejak diunggah (checksum berbeda).")
    return data


class DatabaseFileStore:
    """Attachment bytes in the PostgreSQL database (``PostgresRepository.put_file`` and ``file``).

    The path recorded for such a file is ``db:<id>``; an older record's folder path is read from
    ``folder`` (the attachments folder), checked the same way."""

    PREFIX = "db:"

    def __init__(self, store, folder: LocalFileStore | None = None):
        self.store, self.folder = store, folder

    def _path(self, attachment_id: str) -> str:
        if not _ID.match(attachment_id or ""):
            raise ValidationError("attachment", f"ID lampiran tidak sah: {attachment_id!r}")
        return self.PREFIX + attachment_id

    def put(self, attachment_id: str, data: bytes) -> str:
        path = self._path(attachment_id)
        self.store.put_file(attachment_id, data)
        return path

    def get(self, attachment_id: str, path: str | None, sha256: str) -> bytes:
        expected = self._path(attachment_id)
        if path and path != expected:
            if self.folder is None:
                raise AttachmentMissing(f"Lampiran {attachment_id}: lokasi berkas tidak cocok")
            return self.folder.get(attachment_id, path, sha256)  # filed before the move to PostgreSQL
        data = self.store.file(attachment_id)
        if data is None:
            raise AttachmentMissing(f"Berkas lampiran {attachment_id} tidak ada di basis data.")
        return _verified(attachment_id, data, sha256)

    def delete(self, attachment_id: str, path: str | None = None) -> None:
        """Remove a file (used only to undo a write whose record could not be saved)."""
        if path and path != self._path(attachment_id):
            raise AttachmentMissing(f"Lampiran {attachment_id}: lokasi berkas tidak cocok")
        self.store.delete_file(attachment_id)

    def exists(self, attachment_id: str) -> bool:
        return self.store.file(attachment_id) is not None


def open_file_store(settings: Settings, store=None) -> LocalFileStore | DatabaseFileStore:
    """The attachments' store for ``settings``: the database itself on PostgreSQL (``store``, the
    app's repository), else the folder."""
    folder = LocalFileStore(settings.resolve(settings.attachments_dir))
    if store is not None and hasattr(store, "put_file"):
        return DatabaseFileStore(store, folder)
    return folder
