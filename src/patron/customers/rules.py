"""Pure customer rules: normalising fields, the organization's field rules, change sections."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from patron.identity.schemas import CustomFieldDefinition, OrganizationSettings
from patron.kernel import clock, validators
from patron.kernel.errors import FieldError, InvalidValue, ValidationFailed
from patron.kernel.messages import Message

# Which section of a customer each field belongs to, for `customer.updated` events.
SECTIONS: dict[str, str] = {
    "gender": "personal",
    "first_name": "personal",
    "last_name": "personal",
    "birthday": "personal",
    "locale": "personal",
    "email": "contact",
    "other_emails": "contact",
    "phone": "contact",
    "other_phones": "contact",
    "fax": "contact",
    "company_name": "business",
    "vat_id": "business",
    "is_merchant": "business",
    "company_id": "business",
    "credit": "credit",
    "is_favorite": "favorite",
    "group_id": "group",
    "custom_fields": "custom_fields",
    "customer_number": "account",
    "is_guest": "account",
    "status": "crm",
    "tier": "crm",
    "source": "crm",
    "assigned_to": "crm",
    "tags": "crm",
}

_GENERATED_NUMBER = re.compile(r"^C-(\d{1,15})$")
_TEXT = ("first_name", "last_name", "company_name")


def generated_number(n: int) -> str:
    return f"C-{n:06d}"


def generated_number_value(customer_number: str) -> int | None:
    """The counter value a given number occupies, when it has the generated form."""
    match = _GENERATED_NUMBER.match(customer_number)
    return int(match.group(1)) if match else None


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _not_in_future(value: date) -> date:
    if value > clock.today():
        raise InvalidValue(Message("date.in_future"))
    return value


def _tags(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for raw in values:
        tag = raw.strip().lower()
        if not tag:
            raise InvalidValue(Message("tag.blank_in_list"))
        seen.setdefault(tag, None)
    return list(seen)


def _distinct(values: Iterable[str], normalise: Callable[[str], str]) -> list[str]:
    return list(dict.fromkeys(normalise(v) for v in values))


def normalise_fields(values: dict[str, Any], settings: OrganizationSettings) -> dict[str, Any]:
    """Canonical values for the fields given; ValidationFailed lists every bad one."""
    region = settings.region
    normalisers: dict[str, Callable[[Any], Any]] = {
        "email": validators.normalise_email,
        "other_emails": lambda v: _distinct(v, validators.normalise_email),
        "phone": lambda v: validators.normalise_phone(v, region),
        "fax": lambda v: validators.normalise_phone(v, region),
        "other_phones": lambda v: _distinct(v, lambda p: validators.normalise_phone(p, region)),
        "vat_id": lambda v: validators.normalise_vat_id(v, region),
        "locale": validators.normalise_locale,
        "birthday": _not_in_future,
        "tags": _tags,
        "customer_number": str.strip,
        "custom_fields": lambda v: _custom_fields(v, settings.custom_fields),
    }
    errors: list[FieldError] = []
    result: dict[str, Any] = {}
    for field, value in values.items():
        if field in _TEXT or field in {"phone", "fax", "vat_id"}:
            value = _blank_to_none(value)
        normalise = normalisers.get(field)
        if value is None or normalise is None:
            result[field] = value
            continue
        try:
            result[field] = normalise(value)
        except ValidationFailed as exc:
            errors.extend(FieldError(f"{field}.{e.field}", e.message) for e in exc.errors)
        except InvalidValue as exc:
            errors.append(FieldError(field, exc.message))
    if errors:
        raise ValidationFailed(errors)
    return result


def _custom_fields(values: dict[str, Any], definitions: dict[str, CustomFieldDefinition]) -> dict[str, Any]:
    errors: list[FieldError] = []
    result = _custom_values(values, definitions, errors)
    for key, definition in definitions.items():
        if definition.required and result.get(key) is None:
            errors.append(FieldError(key, Message("field.required")))
    if errors:
        raise ValidationFailed(errors)
    return result


def normalise_custom_values(values: dict[str, Any], definitions: dict[str, CustomFieldDefinition]) -> dict[str, Any]:
    """Some custom field values checked against their definitions, without asking for the required
    ones (an import row names a few; the whole record is checked when it is written)."""
    errors: list[FieldError] = []
    result = _custom_values(values, definitions, errors)
    if errors:
        raise ValidationFailed(errors)
    return result


def _custom_values(
    values: dict[str, Any], definitions: dict[str, CustomFieldDefinition], errors: list[FieldError]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in values.items():
        definition = definitions.get(key)
        if definition is None:
            errors.append(FieldError(key, Message("custom_field.unknown")))
            continue
        if value is None:
            continue
        checked = _custom_value(definition.type, value)
        if checked is None:
            errors.append(FieldError(key, Message("custom_field.wrong_type", type=definition.type)))
        else:
            result[key] = checked
    return result


def _custom_value(kind: str, value: Any) -> Any:
    if kind == "string":
        return value if isinstance(value, str) and len(value) <= 1000 else None
    if kind == "boolean":
        return value if isinstance(value, bool) else None
    if kind == "integer":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return value if ok else None
    if kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return None


def _is_empty(value: Any) -> bool:
    return value is None or value == [] or value == ""


def check_record(record: dict[str, Any], settings: OrganizationSettings, *, changed: Iterable[str] | None) -> None:
    """The organization's field rules and the name rule, on the whole record after a change.

    On updates (`changed` given) only the changed fields are held to the rules, so
    tightening a rule does not block unrelated edits of older customers.
    """
    errors: list[FieldError] = []
    fields = set(record) if changed is None else set(changed)
    has_company = not _is_empty(record.get("company_name"))
    for field, rule in settings.field_rules.items():
        if field not in fields:
            continue
        value = record.get(field)
        if rule.mode == "disabled" and not _is_empty(value):
            errors.append(FieldError(field, Message("field.disabled")))
        elif rule.mode == "required" and _is_empty(value):
            waived = field in ("first_name", "last_name") and has_company and settings.names_optional_with_company
            if not waived:
                errors.append(FieldError(field, Message("field.required_by_organization")))
        if rule.min_length and isinstance(value, str) and len(value) < rule.min_length:
            errors.append(FieldError(field, Message("field.too_short", min_length=rule.min_length)))
    name_fields = {"first_name", "last_name", "company_name"}
    if (changed is None or fields & name_fields) and all(_is_empty(record.get(f)) for f in name_fields):
        errors.append(FieldError("first_name", Message("customer.name_required")))
    if errors:
        raise ValidationFailed(errors)


def sections_of(fields: Iterable[str]) -> list[str]:
    return sorted({SECTIONS.get(field, "other") for field in fields})


# The CRM lifecycle (SPEC §4): action -> (from status, to status).
TRANSITIONS: dict[str, tuple[str, str]] = {
    "qualify": ("lead", "prospect"),
    "convert": ("prospect", "customer"),
    "churn": ("customer", "churned"),
    "reactivate": ("churned", "prospect"),
}


def allowed_transitions(status: str) -> list[dict[str, str]]:
    """The actions a customer in `status` may take, each with the status it leads to."""
    return [{"action": action, "to": to} for action, (start, to) in TRANSITIONS.items() if start == status]


def transition(status: str, action: str) -> str | None:
    """The status `action` leads to from `status`, or None when the lifecycle does not allow it."""
    start, to = TRANSITIONS[action]
    return to if start == status else None


def normalise_tags(values: Iterable[str]) -> list[str]:
    """Tags as stored: trimmed, lower case, not blank, each once in the order given."""
    return _tags(values)


def normalise_tag(value: str) -> str:
    """One tag as stored: trimmed, lower case, not blank."""
    [tag] = _tags([value])
    return tag
