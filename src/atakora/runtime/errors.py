"""Errors raised by the runtime; the HTTP layer maps each family to a status code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of a request body (``field`` is ``""`` for the body itself)."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        """Return the JSON shape used in ``400 validation_failed`` responses."""
        return {"field": self.field, "message": self.message}


class StoreError(Exception):
    """Base class of every error raised by an ``EntityStore``; unmapped ones answer 500."""


class NotFoundError(StoreError):
    """No live item has this id in this partition (answers 404)."""


class ConflictError(StoreError):
    """An item with this id already exists in this partition (answers 409)."""


class PreconditionFailedError(StoreError):
    """The ``If-Match`` ETag does not match the stored item (answers 412)."""


class InvalidContinuationError(StoreError):
    """A continuation token is malformed or belongs to another query (answers 400)."""


class ThrottledError(StoreError):
    """The database is rate limiting after the SDK's own retries (answers 503 with ``Retry-After``)."""

    def __init__(self, message: str, retry_after_seconds: int = 1) -> None:
        super().__init__(message)
        self.retry_after_seconds = max(1, retry_after_seconds)


class StoreUnavailableError(StoreError):
    """The database did not answer in time or is unavailable (answers 503)."""


class ItemTooLargeError(StoreError):
    """The database refused the item as too large (answers 413)."""


class StoreRejectedError(StoreError):
    """The database refused the request as invalid (answers 400 with ``message``)."""


class RequestError(Exception):
    """The request itself is wrong (answers 400); ``errors`` lists every problem found."""

    def __init__(self, errors: list[FieldError], code: str = "validation_failed") -> None:
        super().__init__("; ".join(f"{e.field or 'body'}: {e.message}" for e in errors))
        self.errors = errors
        self.code = code


class SettingsError(Exception):
    """An app setting is missing or invalid; the message names the setting."""
