"""Pure rules for organization settings (no I/O)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import date
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import get_territory_currencies

from patron.identity.schemas import OrganizationSettings
from patron.kernel import validators
from patron.kernel.errors import FieldError, InvalidValue, ValidationFailed
from patron.kernel.messages import Message

# Optional customer fields whose behaviour an organization may configure.
CONFIGURABLE_FIELDS = frozenset(
    {
        "gender",
        "first_name",
        "last_name",
        "birthday",
        "phone",
        "fax",
        "other_emails",
        "other_phones",
        "company_name",
        "vat_id",
        "source",
    }
)
_TEXT_FIELDS = frozenset({"first_name", "last_name", "phone", "fax", "company_name", "vat_id"})

_NORMALISERS: dict[str, Callable[[str], str]] = {
    "locale": validators.normalise_locale,
    "region": validators.normalise_country,
    "currency": validators.normalise_currency,
    "timezone": validators.normalise_timezone,
}


def region_defaults(region: str, *, on: date) -> dict[str, str]:
    """The currency and language a country most likely uses, from CLDR (Babel's data).

    The currency is the first legal tender on `on` (`VN` → `VND`, `PA` → `PAB`), the language
    CLDR's likely subtag for the country (`und-VN` → `vi`). A country CLDR knows nothing for
    (`AQ`, or a code that is no country) gets no default, so the generic one stays and a bad
    region is reported by `normalise_settings` as such.
    """
    territory = region.strip().upper()
    if len(territory) != 2 or not territory.isalpha():
        return {}
    defaults: dict[str, str] = {}
    # A CLDR currency or language the validators do not accept leaves the generic default.
    with suppress(ValueError):
        for code in get_territory_currencies(territory, on, tender=True)[:1]:
            defaults["currency"] = validators.normalise_currency(code)
    with suppress(UnknownLocaleError, ValueError):
        defaults["locale"] = validators.normalise_locale(Locale.parse(f"und_{territory}").language)
    return defaults


def normalise_settings(settings: OrganizationSettings) -> OrganizationSettings:
    """Canonical settings, or ValidationFailed naming every bad field."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    for name, normalise in _NORMALISERS.items():
        try:
            values[name] = normalise(getattr(settings, name))
        except InvalidValue as exc:
            errors.append(FieldError(name, exc.message))
    for field, rule in settings.field_rules.items():
        if field not in CONFIGURABLE_FIELDS:
            allowed = ", ".join(sorted(CONFIGURABLE_FIELDS))
            errors.append(FieldError(f"field_rules.{field}", Message("field_rules.unknown_field", allowed=allowed)))
        elif rule.min_length is not None and field not in _TEXT_FIELDS:
            errors.append(FieldError(f"field_rules.{field}.min_length", Message("field_rules.min_length_text_only")))
    for key in settings.custom_fields:
        if not key.isidentifier() or len(key) > 60:
            errors.append(FieldError(f"custom_fields.{key}", Message("custom_field.bad_key")))
    if not settings.loyalty.tiers:
        errors.append(FieldError("loyalty.tiers", Message("loyalty.tiers_required")))
    if settings.loyalty.earn_points > settings.loyalty.earn_amount:
        # One point per minor unit at most: the largest order total then earns at most MAX_AWARD.
        errors.append(FieldError("loyalty.earn_points", Message("loyalty.earn_rate_too_high")))
    for name in settings.loyalty.tiers:
        if not name.strip():
            errors.append(FieldError(f"loyalty.tiers.{name}", Message("field.must_not_be_blank")))
    if errors:
        raise ValidationFailed(errors)
    for name, value in values.items():
        setattr(settings, name, value)
    return settings
