"""Errors the domain raises; the HTTP layer turns each into problem+json.

Every text an error carries is a `Message` (an id in the catalogs), never a `str`: the HTTP
layer renders it in the caller's language, `str(exc)` and logs in English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from patron.kernel.messages import Message


@dataclass(frozen=True, slots=True)
class FieldError:
    """One invalid input field, named by its path in the request (`customers[3].email`)."""

    field: str
    message: Message
    # Where in the field's text the error is (a character offset), for inputs that are a
    # small language of their own (a segment's query); None for every other field.
    position: int | None = None

    def __post_init__(self) -> None:
        _require_message(self.message)


def _require_message(value: object) -> None:
    # mypy strict rejects a str here already; this catches callers outside type checking.
    if not isinstance(value, Message):
        raise TypeError(f"errors carry a kernel.messages.Message, not {type(value).__name__}: {value!r}")


class InvalidValue(ValueError):
    """A value a normaliser refused, with the message for the user (a ValueError, so callers may catch either)."""

    def __init__(self, message: Message) -> None:
        _require_message(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


# The members every problem+json answer has (RFC 9457 and SPEC §10); an error's `extra`
# members sit beside them, so one named like these would overwrite the answer's own
# (an inquiry's state once came out as `"status": "lost"` on a 409).
PROBLEM_MEMBERS = frozenset({"type", "title", "status", "detail", "code", "instance", "errors"})


class PatronError(Exception):
    """Base of every expected error: carries an HTTP status and a stable code.

    `extra` adds members to the problem answer; naming one of `PROBLEM_MEMBERS` is a
    programming error and raises ValueError where the error is made.
    """

    status: ClassVar[int] = 400
    code: ClassVar[str] = "request.invalid"
    title: ClassVar[Message] = Message("title.bad_request")

    def __init__(self, detail: Message, *, code: str | None = None, extra: dict[str, Any] | None = None) -> None:
        _require_message(detail)
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code  # type: ignore[misc]
        if extra and (taken := PROBLEM_MEMBERS.intersection(extra)):
            raise ValueError(f"extra members {sorted(taken)} would overwrite the problem's own")
        self.extra = extra or {}

    def __str__(self) -> str:
        return str(self.detail)


class NotFound(PatronError):
    status = 404
    code = "resource.not_found"
    title = Message("title.not_found")


class Conflict(PatronError):
    status = 409
    code = "resource.conflict"
    title = Message("title.conflict")


class PreconditionFailed(PatronError):
    status = 412
    code = "resource.version_mismatch"
    title = Message("title.precondition_failed")


class Unauthorized(PatronError):
    status = 401
    code = "auth.unauthenticated"
    title = Message("title.unauthenticated")


class Forbidden(PatronError):
    status = 403
    code = "auth.forbidden"
    title = Message("title.forbidden")


class TooManyRequests(PatronError):
    """429; `extra["retry_after"]` holds the seconds until the client may try again."""

    status = 429
    code = "request.rate_limited"
    title = Message("title.too_many_requests")


class ValidationFailed(PatronError):
    """422 with the list of fields that are wrong."""

    status = 422
    code = "request.validation_failed"
    title = Message("title.validation_failed")

    def __init__(self, errors: list[FieldError], *, code: str | None = None) -> None:
        super().__init__(Message("request.invalid_input"), code=code)
        self.errors = errors

    def __str__(self) -> str:
        return join_field_errors(self.errors) or str(self.detail)

    @classmethod
    def single(cls, field: str, message: Message, *, code: str | None = None) -> ValidationFailed:
        return cls([FieldError(field, message)], code=code)

    @classmethod
    def at(cls, field: str, position: int, message: Message, *, code: str | None = None) -> ValidationFailed:
        """One error at a character `position` of the field's text."""
        return cls([FieldError(field, message, position)], code=code)

    def prefixed(self, prefix: str) -> ValidationFailed:
        """The same errors with field paths under `prefix` (for batch rows)."""
        return ValidationFailed(
            [FieldError(f"{prefix}.{e.field}", e.message, e.position) for e in self.errors], code=self.code
        )


def join_field_errors(errors: list[FieldError], locale: str = "en") -> str:
    """`field: message; field: message`, the detail of a 422."""
    return "; ".join(f"{e.field}: {e.message.render(locale)}" for e in errors)
