"""Every domain event type, collected from each domain's `events.EVENTS`, and their documentation.

It sits above every domain (see the import-linter layers), so no domain imports it: the
registry is for the documentation, its test and anything at the edges that must know
every type. A new event class joins by being listed in its module's `EVENTS`; a test
fails for a subclass of DomainEvent that is not.
"""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import inspect

from patron.addresses import events as addresses
from patron.companies import events as companies
from patron.crm import events as crm
from patron.customers import events as customers
from patron.deals import events as deals
from patron.duplicates import events as duplicates
from patron.events import events as delivery
from patron.groups import events as groups
from patron.identity import events as identity
from patron.imports import events as imports
from patron.inquiries import events as inquiries
from patron.kernel.events import JSON, DomainEvent, registry
from patron.lists import events as lists
from patron.loyalty import events as loyalty
from patron.merging import events as merging
from patron.newsletter import events as newsletter
from patron.orders import events as orders
from patron.privacy import events as privacy
from patron.segments import events as segments

# In the order the documentation lists them.
REGISTRY: dict[str, type[DomainEvent]] = registry(
    customers.EVENTS,
    privacy.EVENTS,
    merging.EVENTS,
    groups.EVENTS,
    addresses.EVENTS,
    lists.EVENTS,
    companies.EVENTS,
    deals.EVENTS,
    crm.EVENTS,
    orders.EVENTS,
    loyalty.EVENTS,
    newsletter.EVENTS,
    inquiries.EVENTS,
    identity.EVENTS,
    imports.EVENTS,
    duplicates.EVENTS,
    segments.EVENTS,
    delivery.EVENTS,
)
# What webhooks and `GET /events?type=` may name (patterns are checked against these).
KNOWN_TYPES: frozenset[str] = frozenset(REGISTRY)

_HEADER = """\
# Events

<!-- Generated from the event classes by `patron events-doc`; edit those, not this file. -->

Every change writes a domain event in its own transaction (the outbox). The same JSON
reaches `GET /api/v1/events`, `GET /api/v1/events/stream` (as SSE `data`), webhook
deliveries (the POST body) and NATS (the message body, subject `patron.<org_slug>.<type>`):

```
{"id": "…", "cursor": "…", "type": "customer.created", "occurred_at": "2026-12-01T09:30:00.000000Z",
 "actor": {"type": "staff", "id": "…"}, "subject_id": "…", "data": {…}}
```

| field | type | meaning |
|---|---|---|
| `id` | UUID string | the event's id: deliveries are at least once, drop repeats by it |
| `cursor` | string | pass as `after` to `GET /events` (or `Last-Event-ID` to the stream) to read on |
| `type` | string | one of the types below |
| `occurred_at` | date-time string | when the change committed (UTC) |
| `actor` | object | by whom: `type` (`staff`, `api_key`, `customer`, `public`, `system`, `platform`), `id` or null |
| `subject_id` | UUID string | what the event is about; each type says what it names |
| `data` | object | the fields of its type, below; a field marked *optional* is absent when it does not apply |
"""

_JSON_INFO = inspect.type_info(JSON)


def document() -> str:
    """docs/events.md: every event type with its fields, their types and meaning."""
    blocks = [_HEADER.strip(), "## Types"]
    blocks.append("\n".join(f"- [`{name}`](#{_anchor(name)}): {_doc(cls)}" for name, cls in REGISTRY.items()))
    shapes: dict[str, type[msgspec.Struct]] = {}
    for name, cls in REGISTRY.items():
        blocks += [f"## {name}", _doc(cls), f"`subject_id`: the {cls.subject}."]
        blocks.append(_fields(cls, shapes, skip=("org_id", "subject_id")) or "`data` is `{}`.")
    blocks += ["## Shapes", "Objects that payloads carry."]
    done: set[str] = set()
    while pending := [s for s in shapes if s not in done]:  # a shape may carry another
        for shape in pending:
            done.add(shape)
            blocks += [f"### {shape}", _doc(shapes[shape]), _fields(shapes[shape], shapes, skip=())]
    return "\n\n".join(blocks) + "\n"


def _doc(cls: type) -> str:
    return " ".join((cls.__doc__ or "").split())


def _anchor(heading: str) -> str:
    return "".join(c for c in heading.lower() if c.isalnum() or c in "-_ ").replace(" ", "-")


def _fields(cls: type[msgspec.Struct], shapes: dict[str, type[msgspec.Struct]], *, skip: tuple[str, ...]) -> str:
    info = inspect.type_info(cls)
    assert isinstance(info, inspect.StructType)
    rows = ["| field | type | meaning |", "|---|---|---|"]
    for field in info.fields:
        if field.name in skip:
            continue
        kind, description = _unwrap(field.type)
        optional = "" if field.required else "*optional* "
        rows.append(f"| `{field.encode_name}` | {optional}{_type(kind, shapes)} | {description} |")
    return "\n".join(rows) if len(rows) > 2 else ""


def _unwrap(kind: inspect.Type) -> tuple[inspect.Type, str]:
    if isinstance(kind, inspect.Metadata):
        schema: dict[str, Any] = kind.extra_json_schema or {}
        return kind.type, str(schema.get("description", ""))
    return kind, ""


_NAMES: dict[type[inspect.Type], str] = {
    inspect.StrType: "string",
    inspect.UUIDType: "UUID string",
    inspect.DateTimeType: "date-time string",
    inspect.DateType: "date string",
    inspect.IntType: "integer",
    inspect.FloatType: "number",
    inspect.BoolType: "boolean",
    inspect.NoneType: "null",
    inspect.AnyType: "any JSON",
}


def _type(kind: inspect.Type, shapes: dict[str, type[msgspec.Struct]]) -> str:
    kind = _unwrap(kind)[0]
    if kind == _JSON_INFO:
        return "any JSON"
    if isinstance(kind, inspect.UnionType):
        return " or ".join(_type(t, shapes) for t in kind.types)
    if isinstance(kind, inspect.LiteralType):
        return " or ".join(f"`{msgspec.json.encode(v).decode()}`" for v in kind.values)
    if isinstance(kind, inspect.ListType):
        return f"list of {_type(kind.item_type, shapes)}"
    if isinstance(kind, inspect.DictType):
        return f"object: field name → {_type(kind.value_type, shapes)}"
    if isinstance(kind, inspect.StructType):
        shapes[kind.cls.__name__] = kind.cls
        return f"[{kind.cls.__name__}](#{_anchor(kind.cls.__name__)})"
    name = _NAMES.get(type(kind))
    if name is None:
        raise TypeError(f"no documentation for the type {kind!r}")
    return name
