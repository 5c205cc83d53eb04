"""What a request must be before a route sees it.

A body is JSON (`application/json` or `application/*+json`), at most `MAX_DEPTH` levels deep,
decoded once and strictly into the route's `data` type (a string is not a number, `"true"` is
not a bool); its text, and every path and query value, holds no control characters (PostgreSQL
refuses NUL in text, and none belongs in a name or an address). A body that does not decode is
then checked field by field, so that one 422 names every bad field, with the domain checks its
types are marked with (`kernel.validators.Checked`) run on the fields that did decode.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from typing import Any, Union

import msgspec
from litestar import Request
from litestar.types import Empty

from patron.http.i18n import allowed_values, decode_message
from patron.http.problems import LIFECYCLE_FIELDS, SERVER_OWNED
from patron.kernel.errors import FieldError, InvalidValue, NotFound, PatronError, ValidationFailed
from patron.kernel.messages import Message
from patron.kernel.validators import Checked

MAX_DEPTH = 32
ACCEPTED_MEDIA_TYPES = ("application/json", "application/*+json")
_INT64 = 2**63

# C0 control characters but tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LONG_DIGITS = re.compile(rb"[0-9]{19}")
_NOT_DIGITS = bytes(b for b in range(256) if b not in b"0123456789")
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_INNERMOST = re.compile(rb"\[\]|\{\}")  # one pass: `{[]}` loses one level, not two
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_AT = re.compile(r"^(.*?) - at `\$(.*)`$")
_UNKNOWN = re.compile(r"^Object contains unknown field `([^`]+)`$")
_MISSING = re.compile(r"^Object missing required field `([^`]+)`$")


class UnsupportedMediaType(PatronError):
    status = 415
    code = "request.unsupported_media_type"
    title = Message("title.unsupported_media_type")


class PatronRequest(Request[Any, Any, Any]):
    """Litestar's request, whose `json()` is the body decoded as the route's `data` type.

    Litestar's JSON body extractor calls `json()`, then converts the result to the `data`
    annotation with `strict=False`; an instance of that type passes through unchanged, so the
    strict decode here is the only one.
    """

    async def json(self) -> Any:
        data_field = self.route_handler.parsed_data_field
        if data_field is None:
            return await super().json()
        settings = getattr(self.state, "org_settings", None)
        return decode_body(
            await self.body(),
            self.content_type,
            data_field.annotation,
            region=settings.region if settings is not None else None,
            knows_region=settings is not None,
        )

    async def body_up_to(self, limit: int) -> bytes | None:
        """The whole body, or None as soon as it passes `limit` bytes (for a route without Litestar's
        own limit: an upload's is a setting). Kept like `body()` keeps it, so `form()` reads it."""
        if self._body is Empty and self._connection_state.body is not Empty:
            self._body = self._connection_state.body  # read already, by another view of this request
        if self._body is not Empty:
            return self._body if len(self._body) <= limit else None
        if self.content_length is not None and self.content_length > limit:
            return None
        chunks: list[bytes] = []
        size = 0
        async for chunk in self.stream():
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        self._body = self._connection_state.body = b"".join(chunks)
        return self._body


def decode_body(
    raw: bytes, content_type: tuple[str, dict[str, str]], target: Any, *, region: str | None, knows_region: bool
) -> Any:
    """`raw` as a `target`; PatronError (415, 400) or ValidationFailed naming every bad field."""
    _require_json(content_type)
    _require_shallow(raw)
    try:
        value = _decoder(target).decode(raw)
    except msgspec.ValidationError as exc:
        integral = _with_integral_numbers(raw, target)
        if integral is None:
            raise ValidationFailed(
                _field_errors(raw, target, region, knows_region) or [_error_of(exc, target, "")]
            ) from None
        value, raw = integral
    except msgspec.DecodeError as exc:
        raise _malformed(str(exc)) from None
    if _suspect(raw) and (errors := _field_errors(raw, target, region, knows_region)):
        raise ValidationFailed(errors)
    return value


def _with_integral_numbers(raw: bytes, target: Any) -> tuple[Any, bytes] | None:
    """The body as a `target`, and as JSON with `2` for `2.0`, when its only fault was an integer
    written as `2.0`; else None.

    JSON does not tell 2 from 2.0 and JSON Schema counts 2.0 an integer, but msgspec's strict
    decode takes only `2` for an int. Only on a body that failed (the fast path is untouched).
    """
    changed = False

    def integral(value: Any) -> Any:
        nonlocal changed
        if isinstance(value, float) and value.is_integer() and abs(value) < _INT64:
            changed = True
            return int(value)
        if isinstance(value, list):
            return [integral(item) for item in value]
        if isinstance(value, dict):
            return {key: integral(item) for key, item in value.items()}
        return value

    try:
        fixed = integral(msgspec.json.decode(raw))
        return (msgspec.convert(fixed, target, strict=True), msgspec.json.encode(fixed)) if changed else None
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


def _suspect(raw: bytes) -> bool:
    """Whether a decoded body may hold a control character or an integer beyond 64 bits.

    msgspec refuses raw control characters in a string, so they arrive only as escapes; and only a
    run of 19 digits can be such an integer. Plain `in` and a digit count, because one regex over
    the body measured 8 µs, more than the decode itself (3.5 µs for a customer).
    """
    if b"\\u00" in raw or b"\\b" in raw or b"\\f" in raw:
        return True
    return len(raw.translate(None, _NOT_DIGITS)) >= 19 and _LONG_DIGITS.search(raw) is not None


@functools.cache
def _decoder(target: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(target, strict=True)


def _require_json(content_type: tuple[str, dict[str, str]]) -> None:
    media_type, options = content_type
    if media_type == "application/json" and not options:
        return
    kind, _, subtype = media_type.lower().partition("/")
    charset = options.get("charset", "utf-8").lower()
    if kind == "application" and (subtype == "json" or subtype.endswith("+json")) and charset in ("utf-8", "utf8"):
        return
    raise UnsupportedMediaType(
        Message(
            "request.unsupported_media_type",
            media_type=media_type or "none",
            accepted=", ".join(ACCEPTED_MEDIA_TYPES),
        ),
        extra={"accepted": list(ACCEPTED_MEDIA_TYPES)},
    )


def _require_shallow(raw: bytes) -> None:
    """Refuse nesting beyond MAX_DEPTH before msgspec recurses into it (it fails near 1,000 levels)."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return  # cannot nest deeper than it has brackets: every usual body ends here
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    # Each round drops the innermost pairs: a body MAX_DEPTH deep is empty after MAX_DEPTH rounds.
    for _ in range(MAX_DEPTH):
        fewer = _INNERMOST.sub(b"", brackets)
        if not fewer:
            return
        if fewer == brackets:
            raise _malformed("brackets do not match")
        brackets = fewer
    raise PatronError(Message("request.nesting_too_deep", limit=MAX_DEPTH), code="request.nesting_too_deep")


def _malformed(text: str) -> PatronError:
    reason = text.removeprefix("JSON is malformed: ")
    return PatronError(Message("request.malformed_json", reason=reason), code="request.malformed_json")


async def refuse_control_characters(request: Request[Any, Any, Any]) -> None:
    """Path values with control characters name no record (404); query values are refused (422).

    Async although it awaits nothing: Litestar runs a sync `before_request` hook in a worker thread.
    """
    for value in request.path_params.values():
        if isinstance(value, str) and _CONTROL.search(value):
            raise NotFound(Message("path.control_characters"))
    for name, value in request.query_params.multi_items():
        if _CONTROL.search(name) or _CONTROL.search(value):
            raise ValidationFailed.single(_printable(name), Message("field.control_characters"))
        if value == "null" and _takes_no_text(request, name):
            raise ValidationFailed.single(name, Message("field.null_in_query"))


def _takes_no_text(request: Request[Any, Any, Any], name: str) -> bool:
    """Whether the query parameter is an optional id, number or choice, which msgspec's lax
    conversion would read `null` as None for (leaving it out is how to ask for no filter)."""
    parameter = request.route_handler.parsed_fn_signature.parameters.get(name)
    if parameter is None:
        return False
    annotation = parameter.annotation
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = annotation.__origin__
    if typing.get_origin(annotation) not in (Union, types.UnionType):
        return False
    choices = [typing.get_origin(choice) or choice for choice in typing.get_args(annotation)]
    return type(None) in choices and str not in choices and list not in choices


def _printable(text: str) -> str:
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode(), text)


# --- a body that did not decode, field by field ---------------------------------------------


def _field_errors(raw: bytes, target: Any, region: str | None, knows_region: bool) -> list[FieldError]:
    try:
        value = msgspec.json.decode(raw)
    except msgspec.ValidationError:
        return []  # a number beyond a float's range (1e400): the typed decode's error names its field
    except msgspec.DecodeError as exc:
        # Malformed after a first value the typed decode already refused (`33 garbage` for an object).
        raise _malformed(str(exc)) from None
    errors: list[FieldError] = []
    _Walk(errors, region, knows_region).value(value, target, "")
    return errors


class _Walk:
    def __init__(self, errors: list[FieldError], region: str | None, knows_region: bool) -> None:
        self.errors = errors
        self.region = region
        self.knows_region = knows_region

    def value(self, value: Any, annotation: Any, path: str) -> None:
        base, _ = _unwrap(annotation)
        if isinstance(value, dict) and _is_struct(base):
            self.struct(value, base, path)
            return
        if (
            isinstance(value, list)
            and typing.get_origin(base) is list
            and _is_struct(_unwrap(typing.get_args(base)[0])[0])
        ):
            self.rows(value, annotation, path)
            return
        self.leaf(value, annotation, path)

    def struct(self, value: dict[str, Any], struct: type[msgspec.Struct], path: str) -> None:
        fields = _struct_fields(struct)
        for key in value:
            if key in fields:
                continue
            if _CONTROL.search(key):
                self.errors.append(FieldError(path or "body", Message("field.control_characters_in_key")))
            elif struct.__struct_config__.forbid_unknown_fields:
                self.errors.append(FieldError(_join(path, key), _unknown_field(key)))
        for name, info in fields.items():
            if name in value:
                self.value(value[name], info.type, _join(path, name))
            elif info.required:
                self.errors.append(FieldError(_join(path, name), Message("field.required")))

    def rows(self, value: list[Any], annotation: Any, path: str) -> None:
        base, metas = _unwrap(annotation)
        shape: Any = typing.Annotated[(list[Any], *metas)] if metas else list[Any]
        try:
            msgspec.convert(value, shape, strict=True)  # the list's own bounds (its length)
        except msgspec.ValidationError as exc:
            self.errors.append(_error_of(exc, annotation, path))
            return
        item = typing.get_args(base)[0]
        for i, row in enumerate(value):
            self.value(row, item, f"{path}[{i}]")

    def leaf(self, value: Any, annotation: Any, path: str) -> None:
        if (unfit := _unfit(value, path)) is not None:
            self.errors.append(unfit)
            return
        try:
            msgspec.convert(value, annotation, strict=True)
        except msgspec.ValidationError as exc:
            self.errors.append(_error_of(exc, annotation, path))
            return
        checked, per_item = _checked(annotation)
        if checked is None or (checked.needs_region and not self.knows_region):
            return
        texts = list(enumerate(value)) if per_item and isinstance(value, list) else [(None, value)]
        for i, text in texts:
            if not isinstance(text, str):
                continue
            try:
                checked.check(text, self.region)
            except InvalidValue as exc:
                self.errors.append(FieldError(path if i is None else f"{path}[{i}]", exc.message))


def _unfit(value: Any, path: str) -> FieldError | None:
    """A control character or a number beyond 64 bits anywhere in `value`, which no type allows."""
    if isinstance(value, str):
        return FieldError(path or "body", Message("field.control_characters")) if _CONTROL.search(value) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return None if -_INT64 <= value < _INT64 else FieldError(path or "body", Message("field.integer_out_of_range"))
    if isinstance(value, dict):
        for key, item in value.items():
            if _CONTROL.search(key):
                return FieldError(path or "body", Message("field.control_characters_in_key"))
            if (unfit := _unfit(item, _join(path, key))) is not None:
                return unfit
    if isinstance(value, list):
        for i, item in enumerate(value):
            if (unfit := _unfit(item, f"{path}[{i}]")) is not None:
                return unfit
    return None


def _error_of(exc: msgspec.ValidationError, annotation: Any, path: str) -> FieldError:
    """msgspec's `Expected `int`, got `str` - at `$.credit``, as the field it names under `path`."""
    text, at = str(exc), ""
    if match := _AT.match(text):
        text, at = match[1], match[2]
    field = (path + at).removeprefix(".")
    if unknown := _UNKNOWN.match(text):
        return FieldError(_join(field, unknown[1]), _unknown_field(unknown[1]))
    if missing := _MISSING.match(text):
        return FieldError(_join(field, missing[1]), Message("field.required"))
    message = decode_message(text)
    if message.id == "enum.invalid_value" and (allowed := allowed_values(annotation, at)):
        message = Message("enum.invalid", value=message.params["value"], allowed=", ".join(allowed))
    return FieldError(field or "body", message)


def _unknown_field(name: str) -> Message:
    if name in SERVER_OWNED:
        return Message("field.server_owned")
    if name in LIFECYCLE_FIELDS:
        return Message("field.lifecycle_only")
    return Message("field.unknown")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _is_struct(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, msgspec.Struct)


@functools.cache
def _struct_fields(struct: type[msgspec.Struct]) -> dict[str, msgspec.structs.FieldInfo]:
    return {info.encode_name: info for info in msgspec.structs.fields(struct)}


def _unwrap(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """`Annotated[X, ...] | None` (or `| UnsetType`) as X and its metadata."""
    if typing.get_origin(annotation) in (Union, types.UnionType):
        kept = [a for a in typing.get_args(annotation) if a not in (type(None), msgspec.UnsetType)]
        if len(kept) != 1:
            return annotation, ()
        annotation = kept[0]
    if typing.get_origin(annotation) is typing.Annotated:
        return annotation.__origin__, annotation.__metadata__
    return annotation, ()


def _checked(annotation: Any) -> tuple[Checked | None, bool]:
    """The domain check a field is marked with, and whether it applies to each item of a list."""
    base, metas = _unwrap(annotation)
    for meta in metas:
        if isinstance(meta, Checked):
            return meta, False
    if typing.get_origin(base) is list:
        for meta in _unwrap(typing.get_args(base)[0])[1]:
            if isinstance(meta, Checked):
                return meta, True
    return None, False
