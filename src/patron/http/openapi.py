"""The OpenAPI document as served: Litestar's, completed with what it cannot say by itself.

Litestar builds the document from the route handlers; it drops constraints of list items and
`forbid_unknown_fields` of msgspec structs, documents no header a route reads or sends by hand,
and cannot say that a route needs no authentication (`security: []`). `complete()` adds these,
reading the handlers themselves, so the document stays true as routes are added (schemathesis
checks it in tests/api/http/test_schemathesis.py).
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any, get_args, get_origin

import msgspec
from litestar import Litestar, Request, Response
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.routes import HTTPRoute

from patron.http.guards import Access

OPENAPI_PARAMETERS = "openapi_parameters"
# A request body a route reads by hand (an upload), declared in its opt.
OPENAPI_REQUEST_BODY = "openapi_request_body"
SCHEMA_REF = "#/components/schemas/{name}"
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Repeating a request with the same key and body answers the first answer (with "
    "`Idempotent-Replayed: true`) and changes nothing more; the same key with another body is 422.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}
ADMIN_SCHEME = {"type": "http", "scheme": "bearer", "description": "The platform's PATRON_ADMIN_TOKEN"}
ETAG = {
    "description": "The customer's version: send it back as If-Match to change only that version.",
    "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
}
LOCATION = {"description": "The path of the created record.", "schema": {"type": "string"}}
# Text the API takes holds no C0 control character but tab, line feed and carriage return
# (`patron.http.wire` refuses them with 422): said on every free-text string of a request.
PRINTABLE = {"pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$"}
# Route helpers that set a header on the answer they build.
_HEADER_HELPERS = {"Location": ("customer_response",)}
_METHODS = ("get", "put", "post", "delete", "patch")


def document(app: Litestar) -> dict[str, Any]:
    """The completed document, built once per app on first use."""
    state = app.state
    if "openapi_document" not in state:
        state.openapi_document = complete(app, app.openapi_schema.to_schema())
    completed: dict[str, Any] = state.openapi_document
    return completed


def serve_document(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    return Response(document(request.app), media_type="application/vnd.oai.openapi+json")


class CompletedJsonPlugin(JsonRenderPlugin):
    """`/docs/openapi.json`: the same completed document as `/openapi.json`."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, document(request.app))


def complete(app: Litestar, schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("components", {}).setdefault("securitySchemes", {})["admin"] = ADMIN_SCHEME
    components = schema["components"].setdefault("schemas", {})
    handlers = list(_operations(app, schema))
    _use_msgspec_schemas(components, [handler for handler, _, _ in handlers])
    for handler, method, operation in handlers:
        access = handler.opt.get("access")
        if access is Access.PLATFORM:
            operation["security"] = [{"admin": []}]
        elif access in (Access.PUBLIC, None) or operation.get("security") == [{}]:
            # `[]`: no authentication at all (`[{}]` would mean "optional"); routes outside the API
            # (probes, metrics) declare no access rule and are public too.
            operation["security"] = []
        # Parameters a route reads by hand (e.g. `filter[…]` of GET /customers), declared in its opt.
        operation.setdefault("parameters", []).extend(handler.opt.get(OPENAPI_PARAMETERS, []))
        if OPENAPI_REQUEST_BODY in handler.opt:
            operation["requestBody"] = handler.opt[OPENAPI_REQUEST_BODY]
        _query_list_items(handler, operation)
        if method == "post" and _calls(handler, "run_idempotent"):
            operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
        for status, response in operation.get("responses", {}).items():
            if not status.startswith("2"):
                continue
            headers = response.setdefault("headers", {})
            if _refers_to(response, "CustomerRead"):
                headers["ETag"] = ETAG
            if status == "201" and _sends_header(handler, "Location"):
                headers["Location"] = LOCATION
    _no_control_characters(schema)
    metrics = schema["paths"].get("/metrics", {}).get("get")
    if metrics:
        metrics["responses"]["200"]["content"] = {"text/plain": {"schema": {"type": "string"}}}
    return schema


def _operations(app: Litestar, schema: dict[str, Any]) -> Iterator[tuple[HTTPRouteHandler, str, dict[str, Any]]]:
    paths = schema.get("paths", {})
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path_format not in paths:
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                operation = paths[route.path_format].get(method.lower())
                if method.lower() in _METHODS and operation is not None:
                    yield handler, method.lower(), operation


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def _calls(handler: HTTPRouteHandler, name: str) -> bool:
    """Whether the route's function calls `name` (ctx.run_idempotent honours Idempotency-Key)."""
    return any(name in code.co_names for code in _code_objects(handler.fn.__code__))


def _sends_header(handler: HTTPRouteHandler, name: str) -> bool:
    """Whether the route's function (or a function inside it, or a helper that sets it) sets the header `name`."""
    codes = list(_code_objects(handler.fn.__code__))
    helpers = _HEADER_HELPERS.get(name, ())
    return any(name in code.co_consts or any(h in code.co_names for h in helpers) for code in codes)


def _refers_to(response: dict[str, Any], component: str) -> bool:
    ref = SCHEMA_REF.format(name=component)
    return any(media.get("schema", {}).get("$ref") == ref for media in response.get("content", {}).values())


def _structs(annotation: Any) -> Iterator[type[msgspec.Struct]]:
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        yield annotation
    for arg in get_args(annotation):
        yield from _structs(arg)
    origin = get_origin(annotation)
    if origin is not None and not get_args(annotation):
        yield from _structs(origin)


def _use_msgspec_schemas(components: dict[str, Any], handlers: list[HTTPRouteHandler]) -> None:
    """Replace Litestar's schema of each msgspec struct with msgspec's own, which keeps every
    constraint (list items' lengths and patterns, `additionalProperties: false` of structs that
    refuse unknown fields) the server applies when it decodes."""
    structs: set[type[msgspec.Struct]] = set()
    for handler in handlers:
        signature = handler.parsed_fn_signature
        for parameter in signature.parameters.values():
            structs.update(_structs(parameter.annotation))
        structs.update(_structs(signature.return_type.annotation))
        for spec in (handler.responses or {}).values():
            structs.update(_structs(spec.data_container))
    ordered = sorted(structs, key=lambda struct: (struct.__module__, struct.__qualname__))
    _, generated = msgspec.json.schema_components(ordered, ref_template=SCHEMA_REF)
    for name, schema in generated.items():
        components[name] = schema


def _no_control_characters(schema: dict[str, Any]) -> None:
    """PRINTABLE on the free-text strings of request bodies (and of what they refer to) and of
    query parameters: strings with a format, an enum or a pattern of their own are left as they are."""
    components = schema.get("components", {}).get("schemas", {})
    seen: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name not in seen and name in components:
                seen.add(name)
                visit(components[name])
        if node.get("type") == "string" and not {"format", "enum", "const", "pattern"} & node.keys():
            node.update(PRINTABLE)
        for key, value in node.items():
            if key != "$ref":
                visit(value)

    for path in schema.get("paths", {}).values():
        for method in _METHODS:
            operation = path.get(method)
            if operation is None:
                continue
            visit(operation.get("requestBody", {}).get("content", {}))
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    visit(parameter.get("schema"))


def _query_list_items(handler: HTTPRouteHandler, operation: dict[str, Any]) -> None:
    """A repeatable query parameter's item constraints (`list[Annotated[str, Meta(...)]]`), which
    Litestar drops: its schema as msgspec makes it."""
    parameters = {parameter["name"]: parameter for parameter in operation.get("parameters", [])}
    for name, field in handler.parsed_fn_signature.parameters.items():
        alias = getattr(field.kwarg_definition, "query", None) or name
        parameter = parameters.get(alias)
        if parameter is None or parameter.get("in") != "query":
            continue
        lists = [arg for arg in get_args(field.annotation) or (field.annotation,) if get_origin(arg) is list]
        if any(
            isinstance(meta, msgspec.Meta) for item in lists for meta in getattr(get_args(item)[0], "__metadata__", ())
        ):
            parameter["schema"] = msgspec.json.schema(field.annotation)
