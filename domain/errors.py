"""Errors are values the UI can show: each carries a message key for the text catalogue."""
from __future__ import annotations


class DomainError(Exception):
    """Base of every error a page may show to a person instead of a traceback."""

    key = "error.generic"

    def __init__(self, message: str = "", *, key: str | None = None, **params):
        self.key = key or self.key
        self.params = params
        super().__init__(message or self.key)

    @property
    def message(self) -> str:
        return str(self.args[0])


class ValidationError(DomainError):
    """Bad input for one field; nothing was changed."""

    key = "error.validation"

    def __init__(self, field: str, message: str, *, key: str | None = None, **params):
        self.field = field
        super().__init__(message, key=key, **params)


class StaleWriteError(DomainError):
    """Someone else saved the record first; our save was refused and changed nothing."""

    key = "error.stale"

    def __init__(self, table: str, record_id: str, expected: int, actual: int | None,
                 saved_by: str | None = None, saved_at=None, changed: dict | None = None):
        self.table, self.record_id = table, record_id
        self.expected, self.actual = expected, actual
        self.saved_by, self.saved_at = saved_by, saved_at
        self.changed = changed or {}
        super().__init__(
            f"{table} {record_id}: versi {expected} sudah diganti versi {actual}"
            + (f" oleh {saved_by}" if saved_by else "")
        )


class NotFoundError(DomainError):
    key = "error.not_found"

    def __init__(self, table: str, record_id: str):
        self.table, self.record_id = table, record_id
        super().__init__(f"{table} {record_id} tidak ditemukan")


class PermissionDenied(DomainError):
    key = "error.permission"

    def __init__(self, action: str, who: str = "", explanation: str = ""):
        # ``explanation``: a message for the person saying why (shown instead of the generic one).
        self.action, self.who, self.explanation = action, who, explanation
        super().__init__(f"Akses ditolak: {who or 'pengguna'} tidak berhak '{action}'")


class StoreUnavailableError(DomainError):
    """The store cannot be reached (file locked, sheet offline); the user's input must stay."""

    key = "error.store_unavailable"
