"""RFC 9457 problem+json: every error the API answers goes through here."""

from __future__ import annotations

import inspect
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

from patron.http.i18n import allowed_values, decode_message, request_locale
from patron.kernel.errors import FieldError, PatronError, join_field_errors
from patron.kernel.messages import Message

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

_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")
_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")
_MISSING_PARAMETER = re.compile(r"^Missing required \w+ parameter '([^']+)'")
_MALFORMED_JSON = re.compile(r"^JSON is malformed: (.+)$")


class ProblemFieldError(msgspec.Struct, omit_defaults=True):
    field: str
    message: str
    # A character offset into the field's text, where the field is a query (`segment.invalid_query`).
    position: int | None = None


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
    400: "The request cannot be read, e.g. malformed JSON (`request.malformed_json`)",
    401: "No valid API key (`auth.unauthenticated`)",
    403: "The caller's role may not do this (`auth.forbidden`)",
    404: "No such record in the caller's organization (`*.not_found`)",
    409: "Conflicts with the stored state (e.g. `customer.email_taken`)",
    412: "If-Match names an outdated version (`resource.version_mismatch`)",
    413: "The body is too large (`request.too_large`)",
    415: "The body is not sent in a type the route takes (`application/json`; an upload's file types)",
    422: "Invalid input; `errors` names each field (`request.validation_failed`)",
}


def document_problems(handler: HTTPRouteHandler, *, extra: tuple[int, ...] = ()) -> None:
    """Declare the problem answers a route can give, for the OpenAPI document (every 4xx is
    problem+json, the 400 that Litestar would document in its own shape included)."""
    statuses = {400, 401, 403, 422, *extra}
    if "{" in "".join(handler.paths):
        statuses.add(404)
    parameters = inspect.signature(handler.fn).parameters
    if "data" in parameters or "openapi_request_body" in handler.opt:  # a JSON body, or an upload
        statuses.update((413, 415))
    if handler.http_methods & {"POST", "PATCH", "PUT", "DELETE"}:
        statuses.add(409)
    if any("If-Match" in str(parameter.annotation) for parameter in parameters.values()):
        statuses.add(412)
    declared = dict(handler.responses or {})
    for status in sorted(statuses):
        declared.setdefault(
            status,
            ResponseSpec(data_container=ProblemDetails, description=_DESCRIPTIONS[status], media_type=PROBLEM_JSON),
        )
    handler.responses = declared


def problem(
    request: Request[Any, Any, Any],
    *,
    status: int,
    code: str,
    title: Message,
    detail: Message,
    errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    """The problem+json answer, every text rendered in the request's language."""
    locale = request_locale(request.headers.get("accept-language", ""))
    body: dict[str, Any] = {
        "type": f"https://patron.dev/problems/{code}",
        "title": title.render(locale),
        "status": status,
        "detail": join_field_errors(errors, locale) if errors else detail.render(locale),
        "code": code,
        "instance": request.url.path,
    }
    if errors is not None:
        body["errors"] = [_field_error_body(e, locale) for e in errors]
    if extra:
        body.update(extra)
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_error_body(error: FieldError, locale: str) -> dict[str, Any]:
    body: dict[str, Any] = {"field": error.field, "message": error.message.render(locale)}
    if error.position is not None:
        body["position"] = error.position
    return body


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
    if exc.status in (429, 503) and "retry_after" in exc.extra:
        return {"Retry-After": str(exc.extra["retry_after"])}
    return None


def _field_error(request: Request[Any, Any, Any], item: dict[str, Any]) -> FieldError:
    key = str(item.get("key") or "body")
    message = str(item.get("message") or "")
    if match := _UNKNOWN_FIELD.search(message):
        name = match.group(1)
        field = name if key in ("data", "body") else f"{key}.{name}"
        if name in SERVER_OWNED:
            return FieldError(field, Message("field.server_owned"))
        if name in LIFECYCLE_FIELDS:
            return FieldError(field, Message("field.lifecycle_only"))
        return FieldError(field, Message("field.unknown"))
    if match := _MISSING_FIELD.search(message):
        name = match.group(1)
        return FieldError(name if key in ("data", "body") else f"{key}.{name}", Message("field.required"))
    if key == "data":
        key = "body"
    decoded = decode_message(message)
    if decoded.id == "enum.invalid_value" and (allowed := _allowed_values(request, item, key)):
        decoded = Message("enum.invalid", value=decoded.params["value"], allowed=", ".join(allowed))
    return FieldError(_wire_name(request, key), decoded)


def _wire_name(request: Request[Any, Any, Any], key: str) -> str:
    """A query parameter by the name the client sends (`type`), not the function's (`event_type`)."""
    name, dot, rest = key.partition(".")
    field = request.route_handler.parsed_fn_signature.parameters.get(name)
    alias = getattr(field.kwarg_definition, "query", None) if field is not None else None
    return f"{alias}{dot}{rest}" if alias else key


def _allowed_values(request: Request[Any, Any, Any], item: dict[str, Any], key: str) -> list[str] | None:
    """The choices of the field an enum error names, read from the route handler's signature."""
    parameters = request.route_handler.parsed_fn_signature.parameters
    if item.get("source") == "body" and "data" in parameters:
        return allowed_values(parameters["data"].annotation, key)
    name, _, rest = key.partition(".")
    if name in parameters:
        return allowed_values(parameters[name].annotation, rest)
    return None


def handle_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    """Litestar's decode/validation failures: 422 naming each field."""
    items = exc.extra if isinstance(exc.extra, list) else []
    errors = [_field_error(request, item) for item in items if isinstance(item, dict)]
    if not errors:
        text = str(exc.detail)
        if match := _MISSING_PARAMETER.match(text):
            errors = [FieldError(match.group(1), Message("field.required"))]
        else:
            errors = [FieldError("body", decode_message(text))]
    return problem(
        request,
        status=422,
        code="request.validation_failed",
        title=Message("title.validation_failed"),
        detail=Message("request.invalid_input"),
        errors=errors,
    )


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    status = exc.status_code
    detail = str(exc.detail)
    bad_request = Message("title.bad_request")
    if status == 400 and (match := _MALFORMED_JSON.match(detail)):
        return problem(
            request,
            status=400,
            code="request.malformed_json",
            title=bad_request,
            detail=Message("request.malformed_json", reason=match.group(1)),
        )
    if isinstance(exc, NotFoundException):
        return problem(
            request,
            status=404,
            code="route.not_found",
            title=Message("title.not_found"),
            detail=Message("route.not_found"),
        )
    if isinstance(exc, MethodNotAllowedException):
        headers = dict(exc.headers or {})
        return problem(
            request,
            status=405,
            code="route.method_not_allowed",
            title=Message("title.method_not_allowed"),
            detail=Message("route.method_not_allowed", method=request.method, allowed=headers.get("allow", "")),
            headers=headers,
        )
    if status == 413:
        return problem(
            request,
            status=413,
            code="request.too_large",
            title=Message("title.content_too_large"),
            detail=Message("request.too_large", limit=request.route_handler.resolve_request_max_body_size() or 0),
        )
    if status == 429:
        return problem(
            request,
            status=429,
            code="request.rate_limited",
            title=Message("title.too_many_requests"),
            detail=Message("request.rate_limited"),
            headers=dict(exc.headers or {}),
        )
    if status >= 500:
        log.error("HTTP %s: %s", status, detail)
        return problem(
            request,
            status=status,
            code="server.error",
            title=Message("title.server_error"),
            detail=Message("server.error"),
        )
    return problem(
        request,
        status=status,
        code="request.invalid",
        title=bad_request,
        detail=Message("request.invalid", reason=detail),
    )


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        request,
        status=500,
        code="server.error",
        title=Message("title.server_error"),
        detail=Message("server.error"),
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    PatronError: handle_patron_error,
    ValidationException: handle_validation,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
