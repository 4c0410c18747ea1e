"""The attachment file store: a local folder named by configuration (``attachments_dir``).

Both backends keep attachments the same way: the bytes here, the metadata (name, type, size,
SHA-256, path) as a row of the ``attachments`` table. A file is found by its attachment ID; its
checksum is verified on every read, so a changed or swapped file is refused, never served.
Paths are built from the ID only (never from a name a person typed) and stay inside the folder.
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
        if hashlib.sha256(data).hexdigest() != (sha256 or "").lower():
            raise AttachmentMissing(f"Berkas lampiran {attachment_id} berubah sejak diunggah (checksum berbeda).")
        return data

    def delete(self, attachment_id: str, path: str | None = None) -> None:
        """Remove a file (used only to undo a write whose record could not be saved)."""
        target = self._resolve(attachment_id, path)
        target.unlink(missing_ok=True)

    def exists(self, attachment_id: str) -> bool:
        return self._path(attachment_id)[1].exists()


def open_file_store(settings: Settings) -> LocalFileStore:
    return LocalFileStore(settings.resolve(settings.attachments_dir))
