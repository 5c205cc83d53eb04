"""Pure merge rules: which requests are valid and what the survivor's fields become. No I/O."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from patron.kernel.errors import FieldError, ValidationFailed
from patron.kernel.messages import Message

# Filled from the first source that has a value when the survivor has none.
FILLABLE = (
    "gender",
    "first_name",
    "last_name",
    "birthday",
    "phone",
    "fax",
    "company_name",
    "vat_id",
    "company_id",
    "group_id",
    "source",
    "assigned_to",
)
# What `prefer` may name: the fillable fields and those that always have a value.
PREFERABLE = frozenset({*FILLABLE, "email", "locale", "status", "tier", "is_merchant", "is_favorite"})
# Written by the merge beside the preferred and filled fields.
COMBINED = ("tags", "custom_fields", "other_emails", "other_phones", "credit")


def check_request(survivor_id: uuid.UUID, from_ids: Sequence[uuid.UUID], prefer: Mapping[str, uuid.UUID]) -> None:
    """422 naming `from_ids`, `from_ids[i]` or `prefer.<field>` for a request no merge can follow."""
    errors: list[FieldError] = []
    if not from_ids:
        errors.append(FieldError("from_ids", Message("merge.no_sources")))
    seen: set[uuid.UUID] = set()
    for i, source_id in enumerate(from_ids):
        if source_id == survivor_id:
            errors.append(FieldError(f"from_ids[{i}]", Message("merge.source_is_survivor")))
        elif source_id in seen:
            errors.append(FieldError(f"from_ids[{i}]", Message("merge.source_repeated")))
        seen.add(source_id)
    for field, source_id in sorted(prefer.items()):
        if field not in PREFERABLE:
            errors.append(FieldError(f"prefer.{field}", Message("merge.field_not_preferable")))
        elif source_id not in seen:
            errors.append(FieldError(f"prefer.{field}", Message("merge.prefer_not_a_source")))
    if errors:
        raise ValidationFailed(errors)


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _united(*groups: Iterable[Any], leaving: Iterable[Any] = ()) -> list[Any]:
    """Every value once, in first-seen order, without `leaving` and empty values."""
    left = {value for value in leaving if not _empty(value)}
    found: list[Any] = []
    for group in groups:
        for value in group:
            if not _empty(value) and value not in left and value not in found:
                found.append(value)
    return found


def merged_values(
    survivor: Mapping[str, Any], sources: Sequence[Mapping[str, Any]], prefer: Mapping[str, uuid.UUID]
) -> dict[str, Any]:
    """The survivor's fields after the merge (every field the merge may write, changed or not).

    The survivor keeps its values but where `prefer` names a source; its empty fields take
    the first source's value that is not empty (in `sources` order); tags and custom fields
    are united (the survivor's keys win); every email and phone not the new primary one
    joins `other_emails` / `other_phones`; store credit adds up.
    """
    by_id = {source["id"]: source for source in sources}
    values: dict[str, Any] = {}
    for field in FILLABLE:
        current = survivor[field]
        if _empty(current):
            current = next((s[field] for s in sources if not _empty(s[field])), current)
        values[field] = current
    for field, source_id in prefer.items():
        values[field] = by_id[source_id][field]
    email = values.get("email", survivor["email"])
    phone = values["phone"]
    everyone = [survivor, *sources]
    values["email"] = email
    values["other_emails"] = _united(*([p["email"], *p["other_emails"]] for p in everyone), leaving=[email])
    values["other_phones"] = _united(*([p["phone"], *p["other_phones"]] for p in everyone), leaving=[phone])
    values["tags"] = _united(*(p["tags"] for p in everyone))
    custom: dict[str, Any] = {}
    for person in reversed(everyone):
        custom.update(person["custom_fields"])
    values["custom_fields"] = custom
    values["credit"] = sum(int(p["credit"]) for p in everyone)
    for field in PREFERABLE - set(FILLABLE) - {"email"}:
        values[field] = by_id[prefer[field]][field] if field in prefer else survivor[field]
    return values
