"""Errors are values the UI can show: each carries a message key for the text catalogue.

An error raised with a key and no message of its own (``keyed``) is worded from the catalogue with
its parameters, in the reader's language at the UI edge (``text(lang)``); its ``message`` is the
Indonesian wording, for logs and the command-line tools."""
from __future__ import annotations

from domain.texts import DEFAULT_LANG, TEXTS, Worded, t


class DomainError(Exception):
    """Base of every error a page may show to a person instead of a traceback."""

    key = "error.generic"

    def __init__(self, message: str = "", *, key: str | None = None, **params):
        if isinstance(message, Worded) and key is None:  # a catalogue text: worded again for its reader
            key, params, message = message.key, message.params, ""
        self.key = key or self.key
        self.params = params
        self.keyed = not message and self.key in TEXTS
        super().__init__(message or (t(self.key, DEFAULT_LANG, **params) if self.keyed else self.key))

    @property
    def message(self) -> str:
        return str(self.args[0])

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The message in ``lang``: from the catalogue when the error is keyed, else as raised."""
        return t(self.key, lang, **self.params) if self.keyed else self.message


class ValidationError(DomainError):
    """Bad input for one field; nothing was changed."""

    key = "error.validation"

    def __init__(self, field: str, message: str = "", *, key: str | None = None, **params):
        self.field = field
        super().__init__(message, key=key, **params)


class ValidationErrors(ValidationError):
    """Several fields of one form are bad: every problem at once, so the person fixes them in one go.
    ``field`` and the message are the first problem's; ``errors`` holds each, in the form's order."""

    def __init__(self, errors: list[ValidationError]):
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.field, first.message)
        self.key, self.params, self.keyed = first.key, first.params, first.keyed

    def texts(self, lang: str = DEFAULT_LANG) -> list[str]:
        return [e.text(lang) for e in self.errors]


def raise_all(errors: list[ValidationError]) -> None:
    """Raise the problems found: one as itself, several together; nothing when there are none."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationErrors(errors)


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
    """The store cannot be used now (file locked, sheet offline, access refused ...); the user's
    input must stay. ``retry``: whether trying again may help; only then does the message say so."""

    key = "error.store_unavailable"
    retry = True


class StoreUnreachable(StoreUnavailableError):
    """No answer, a dropped connection, or the service busy or failing: trying again may help."""

    key = "store.unreachable.connection"
    retry = True


class StoreAccessRefused(StoreUnavailableError):
    """The store refused the app (spreadsheet not shared, service-account key revoked ...)."""

    key = "store.refused.request"
    retry = False


class StoreNotFoundError(StoreUnavailableError):
    """The configured store does not exist (a wrong spreadsheet key)."""

    key = "store.not_found"
    retry = False


class StoreConfigError(StoreUnavailableError):
    """The store is not configured completely (key or service account missing or damaged)."""

    key = "store.config.no_key"
    retry = False


class StoreLayoutError(StoreUnavailableError):
    """A sheet is not as the app wrote it (a header renamed, a row duplicated); nothing was written."""

    key = "store.layout.missing"
    retry = False


class UnreadableCellError(StoreUnavailableError):
    """One cell cannot be read as its column's type, where the app cannot go on without it."""

    key = "store.cell.unreadable"
    retry = False
