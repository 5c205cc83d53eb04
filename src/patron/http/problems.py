"""RFC 9457 problem+json: every error the API answers goes through here."""

from __future__ import annotations

import logging
import re
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec

from patron.http.i18n import to_vietnamese
from patron.kernel.errors import FieldError, PatronError

log = logging.getLogger("patron.http")

PROBLEM_JSON = "application/problem+json"

# Known-but-not-writable fields get a clearer message than "unknown field".
SERVER_OWNED = frozenset(
    {
        "id",
        "org_id",
        "points_balance",
        "loyalty_tier",
        "version",
        "created_at",
        "updated_at",
        "deleted_at",
        "churned_at",
        "user_id",
    }
)
LIFECYCLE_FIELDS = frozenset({"status"})

_TITLES_VI = {
    "Bad request": "Yêu cầu không hợp lệ",
    "Not found": "Không tìm thấy",
    "Conflict": "Xung đột dữ liệu",
    "Precondition failed": "Điều kiện tiên quyết không thỏa",
    "Unauthenticated": "Chưa xác thực",
    "Forbidden": "Không có quyền",
    "Validation failed": "Dữ liệu không hợp lệ",
    "Method not allowed": "Phương thức không được hỗ trợ",
    "Too many requests": "Quá nhiều yêu cầu",
    "Internal server error": "Lỗi máy chủ",
}

_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")
_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")


class ProblemFieldError(msgspec.Struct):
    field: str
    message: str


class ProblemDetails(msgspec.Struct):
    """RFC 9457 problem details as Patron sends them."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str
    errors: list[ProblemFieldError] | None = None


_DESCRIPTIONS = {
    401: "No valid API key (`auth.unauthenticated`)",
    403: "The caller's role may not do this (`auth.forbidden`)",
    404: "No such record in the caller's organization (`*.not_found`)",
    409: "Conflicts with the stored state (e.g. `customer.email_taken`)",
    412: "If-Match names an outdated version (`resource.version_mismatch`)",
    422: "Invalid input; `errors` names each field (`request.validation_failed`)",
}


def document_problems(handler: HTTPRouteHandler, *, extra: tuple[int, ...] = ()) -> None:
    """Declare the problem answers a route can give, for the OpenAPI document."""
    statuses = {401, 403, 422, *extra}
    if "{" in "".join(handler.paths):
        statuses.add(404)
    declared = dict(handler.responses or {})
    for status in sorted(statuses):
        declared.setdefault(
            status,
            ResponseSpec(data_container=ProblemDetails, description=_DESCRIPTIONS[status], media_type=PROBLEM_JSON),
        )
    handler.responses = declared


def _wants_vietnamese(request: Request[Any, Any, Any]) -> bool:
    header = request.headers.get("accept-language", "")
    first = header.split(",")[0].strip().lower()
    return first.startswith("vi")


def problem(
    request: Request[Any, Any, Any],
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    vietnamese = _wants_vietnamese(request)
    if vietnamese:
        title = _TITLES_VI.get(title, title)
        detail = to_vietnamese(detail)
        if errors:
            errors = [FieldError(e.field, to_vietnamese(e.message)) for e in errors]
    if errors:
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
    body: dict[str, Any] = {
        "type": f"https://patron.dev/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
    }
    if errors is not None:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    if extra:
        body.update(extra)
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def handle_patron_error(request: Request[Any, Any, Any], exc: PatronError) -> Response[dict[str, Any]]:
    return problem(
        request,
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        errors=getattr(exc, "errors", None),
        extra=exc.extra,
        headers=_headers_of(exc),
    )


def _headers_of(exc: PatronError) -> dict[str, str] | None:
    if exc.status == 401:
        return {"WWW-Authenticate": "Bearer"}
    if exc.status == 429 and "retry_after" in exc.extra:
        return {"Retry-After": str(exc.extra["retry_after"])}
    return None


def _field_error(item: dict[str, Any]) -> FieldError:
    key = str(item.get("key") or "body")
    message = str(item.get("message") or "is invalid")
    if match := _UNKNOWN_FIELD.search(message):
        name = match.group(1)
        field = name if key in ("data", "body") else f"{key}.{name}"
        if name in SERVER_OWNED:
            return FieldError(field, "is set by the server and cannot be written")
        if name in LIFECYCLE_FIELDS:
            return FieldError(field, "changes only through the lifecycle routes")
        return FieldError(field, "is not a known field")
    if match := _MISSING_FIELD.search(message):
        name = match.group(1)
        return FieldError(name if key in ("data", "body") else f"{key}.{name}", "is required")
    if key == "data":
        key = "body"
    return FieldError(key, message)


def handle_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    """Litestar's decode/validation failures: 422 naming each field."""
    items = exc.extra if isinstance(exc.extra, list) else []
    errors = [_field_error(item) for item in items if isinstance(item, dict)]
    if not errors:
        errors = [FieldError("body", str(exc.detail))]
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
    return problem(
        request, status=422, code="request.validation_failed", title="Validation failed", detail=detail, errors=errors
    )


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    status = exc.status_code
    detail = str(exc.detail)
    if status == 400 and "JSON is malformed" in detail:
        return problem(request, status=400, code="request.malformed_json", title="Bad request", detail=detail)
    if isinstance(exc, NotFoundException):
        return problem(request, status=404, code="route.not_found", title="Not found", detail="no such route")
    if isinstance(exc, MethodNotAllowedException):
        return problem(
            request,
            status=405,
            code="route.method_not_allowed",
            title="Method not allowed",
            detail=detail,
            headers=dict(exc.headers or {}),
        )
    if status == 429:
        return problem(
            request,
            status=429,
            code="request.rate_limited",
            title="Too many requests",
            detail=detail,
            headers=dict(exc.headers or {}),
        )
    if status >= 500:
        log.error("HTTP %s: %s", status, detail)
        return problem(request, status=status, code="server.error", title="Internal server error", detail="")
    return problem(request, status=status, code="request.invalid", title="Bad request", detail=detail)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        request,
        status=500,
        code="server.error",
        title="Internal server error",
        detail="an unexpected error happened; it has been logged",
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    PatronError: handle_patron_error,
    ValidationException: handle_validation,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
