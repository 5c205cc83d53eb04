"""Errors the domain raises; the HTTP layer turns each into problem+json."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class FieldError:
    """One invalid input field, named by its path in the request (`customers[3].email`)."""

    field: str
    message: str


class PatronError(Exception):
    """Base of every expected error: carries an HTTP status and a stable code."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "request.invalid"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, *, code: str | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code  # type: ignore[misc]
        self.extra = extra or {}


class NotFound(PatronError):
    status = 404
    code = "resource.not_found"
    title = "Not found"


class Conflict(PatronError):
    status = 409
    code = "resource.conflict"
    title = "Conflict"


class PreconditionFailed(PatronError):
    status = 412
    code = "resource.version_mismatch"
    title = "Precondition failed"


class Unauthorized(PatronError):
    status = 401
    code = "auth.unauthenticated"
    title = "Unauthenticated"


class Forbidden(PatronError):
    status = 403
    code = "auth.forbidden"
    title = "Forbidden"


class TooManyRequests(PatronError):
    """429; `extra["retry_after"]` holds the seconds until the client may try again."""

    status = 429
    code = "request.rate_limited"
    title = "Too many requests"


class ValidationFailed(PatronError):
    """422 with the list of fields that are wrong."""

    status = 422
    code = "request.validation_failed"
    title = "Validation failed"

    def __init__(self, errors: list[FieldError], *, code: str | None = None) -> None:
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors) or "invalid input"
        super().__init__(detail, code=code)
        self.errors = errors

    @classmethod
    def single(cls, field: str, message: str, *, code: str | None = None) -> ValidationFailed:
        return cls([FieldError(field, message)], code=code)

    def prefixed(self, prefix: str) -> ValidationFailed:
        """The same errors with field paths under `prefix` (for batch rows)."""
        return ValidationFailed([FieldError(f"{prefix}.{e.field}", e.message) for e in self.errors], code=self.code)
