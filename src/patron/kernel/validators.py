"""Normalisers for values with real-world formats, each backed by a maintained library.

Each returns the canonical form or raises ValueError with a message fit for a user.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

import phonenumbers
import pycountry
from babel import Locale, UnknownLocaleError
from email_validator import EmailNotValidError, validate_email
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError


def normalise_email(value: str) -> str:
    """Syntax-checked (no DNS lookup), lower-cased address."""
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None
    return result.normalized.lower()


def normalise_phone(value: str, region: str | None) -> str:
    """E.164 (`+84912345678`), reading national numbers in the organization's region."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValueError("is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_vat_id(value: str, region: str | None) -> str:
    """A VAT id checked by its country's rule: the id's own prefix (`DE…`), else the org's region.

    EU ids keep their country prefix (the VIES form); others are stored as written, compacted.
    """
    compact = "".join(ch for ch in value.upper() if ch.isalnum())
    if not compact:
        raise ValueError("is empty")
    prefix = compact[:2].lower() if compact[:2].isalpha() else None
    if prefix in eu_vat.MEMBER_STATES or prefix == "el":
        try:
            return str(eu_vat.validate(compact))
        except StdnumError:
            raise ValueError(f"is not a valid VAT id for {compact[:2]}") from None
    country, number = (prefix, compact[2:]) if prefix else ((region or "").lower(), compact)
    module = _vat_module(country)
    if module is None:
        raise ValueError("has no country whose VAT rule is known: prefix it with its ISO country code")
    try:
        module.validate(number)
    except StdnumError:
        raise ValueError(f"is not a valid VAT id for {country.upper()}") from None
    return compact


def _vat_module(country: str) -> Any:
    if not country:
        return None
    try:
        return get_cc_module(country, "vat")
    except ImportError:
        return None


def normalise_locale(value: str) -> str:
    """A BCP 47 tag (`vi`, `de-DE`, `zh-Hant-TW`): known language, ISO 3166 or UN M.49 region."""
    parts = value.strip().replace("_", "-").split("-")
    language = parts[0].lower()
    script = region = None
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha() and script is None and region is None:
            script = part.title()
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            if region is not None:
                raise ValueError("is not a BCP 47 locale")
            region = part.upper()
        else:
            raise ValueError("is not a BCP 47 locale this service understands")
    if not (2 <= len(language) <= 3 and language.isalpha()):
        raise ValueError("is not a BCP 47 locale")
    try:
        Locale(language)
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"has an unknown language {language!r}") from None
    if region is not None and region.isalpha() and pycountry.countries.get(alpha_2=region) is None:
        raise ValueError(f"has an unknown region {region!r}")
    return "-".join(p for p in (language, script, region) if p)


def normalise_country(value: str) -> str:
    """ISO 3166-1 alpha-2, upper case."""
    country = pycountry.countries.get(alpha_2=value.strip().upper())
    if country is None:
        raise ValueError("is not an ISO 3166-1 alpha-2 country code")
    return str(country.alpha_2)


def normalise_currency(value: str) -> str:
    currency = pycountry.currencies.get(alpha_3=value.strip().upper())
    if currency is None:
        raise ValueError("is not an ISO 4217 currency code")
    return str(currency.alpha_3)


def normalise_timezone(value: str) -> str:
    if value not in zoneinfo.available_timezones():
        raise ValueError("is not an IANA time zone")
    return value
