"""Normalisers for values with real-world formats, each backed by a maintained library.

Each returns the canonical form or raises InvalidValue (a ValueError) carrying the message id for the user.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import phonenumbers
import pycountry
from babel import Locale, UnknownLocaleError
from email_validator import EmailNotValidError, validate_email
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

from patron.kernel.errors import InvalidValue
from patron.kernel.messages import Message


def normalise_email(value: str) -> str:
    """Syntax-checked (no DNS lookup), lower-cased address."""
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidValue(email_message(str(exc))) from None
    return result.normalized.lower()


def normalise_phone(value: str, region: str | None) -> str:
    """E.164 (`+84912345678`), reading national numbers in the organization's region."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise InvalidValue(Message("phone.unparsable")) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidValue(Message("phone.invalid"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_vat_id(value: str, region: str | None) -> str:
    """A VAT id checked by its country's rule: the id's own prefix (`DE…`), else the org's region.

    EU ids keep their country prefix (the VIES form); others are stored as written, compacted.
    """
    compact = "".join(ch for ch in value.upper() if ch.isalnum())
    if not compact:
        raise InvalidValue(Message("field.empty"))
    prefix = compact[:2].lower() if compact[:2].isalpha() else None
    if prefix in eu_vat.MEMBER_STATES or prefix == "el":
        try:
            return str(eu_vat.validate(compact))
        except StdnumError:
            raise InvalidValue(Message("vat.invalid", country=compact[:2])) from None
    country, number = (prefix, compact[2:]) if prefix else ((region or "").lower(), compact)
    module = _vat_module(country)
    if module is None:
        raise InvalidValue(Message("vat.unknown_country"))
    try:
        module.validate(number)
    except StdnumError:
        raise InvalidValue(Message("vat.invalid", country=country.upper())) from None
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
                raise InvalidValue(Message("locale.invalid"))
            region = part.upper()
        else:
            raise InvalidValue(Message("locale.unsupported"))
    if not (2 <= len(language) <= 3 and language.isalpha()):
        raise InvalidValue(Message("locale.invalid"))
    try:
        Locale(language)
    except (UnknownLocaleError, ValueError):
        raise InvalidValue(Message("locale.unknown_language", language=repr(language))) from None
    if region is not None and region.isalpha() and pycountry.countries.get(alpha_2=region) is None:
        raise InvalidValue(Message("locale.unknown_region", region=repr(region)))
    return "-".join(p for p in (language, script, region) if p)


def normalise_country(value: str) -> str:
    """ISO 3166-1 alpha-2, upper case."""
    country = pycountry.countries.get(alpha_2=value.strip().upper())
    if country is None:
        raise InvalidValue(Message("country.invalid"))
    return str(country.alpha_2)


def normalise_currency(value: str) -> str:
    currency = pycountry.currencies.get(alpha_3=value.strip().upper())
    if currency is None:
        raise InvalidValue(Message("currency.invalid"))
    return str(currency.alpha_3)


def normalise_timezone(value: str) -> str:
    if value not in zoneinfo.available_timezones():
        raise InvalidValue(Message("timezone.invalid"))
    return value


# email-validator writes English sentences and exposes nothing else; the ones a person typing an
# address meets get their own id (a sentence as the library writes it, or a pattern where it carries a
# number or the characters), the rest keep the library's sentence as a parameter.
_EMAIL_SENTENCES: dict[str, Message] = {
    "An email address must have an @-sign.": Message("email.no_at_sign"),
    "There must be something before the @-sign.": Message("email.nothing_before_at"),
    "There must be something after the @-sign.": Message("email.nothing_after_at"),
    "The part after the @-sign is not valid. It should have a period.": Message("email.domain_needs_period"),
    "The part after the @-sign is not valid. It is not within a valid top-level domain.": (
        Message("email.unknown_top_level_domain")
    ),
    "The part after the @-sign is a special-use or reserved name that cannot be used with email.": (
        Message("email.reserved_domain")
    ),
    "An email address cannot have two periods in a row.": Message("email.two_periods"),
    "An email address cannot have a period and a hyphen next to each other.": Message("email.period_next_to_hyphen"),
    "An email address cannot start with a period.": Message("email.starts_with_period"),
    "An email address cannot end with a period.": Message("email.ends_with_period"),
    "An email address cannot have a period immediately before the @-sign.": Message("email.period_before_at"),
    "An email address cannot have a period immediately after the @-sign.": Message("email.period_after_at"),
    "An email address cannot start with a hyphen.": Message("email.starts_with_hyphen"),
    "An email address cannot end with a hyphen.": Message("email.ends_with_hyphen"),
    "An email address cannot have a hyphen immediately before the @-sign.": Message("email.hyphen_before_at"),
    "An email address cannot have a hyphen immediately after the @-sign.": Message("email.hyphen_after_at"),
    "There can't be anything after the email address.": Message("email.text_after_address"),
}
_EMAIL_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Message]]] = [
    (
        re.compile(r"^The email address contains invalid characters before the @-sign: (.+)\.$"),
        lambda m: Message("email.bad_characters_before_at", characters=m[1]),
    ),
    (
        re.compile(r"^The part after the @-sign contains invalid characters: (.+)\.$"),
        lambda m: Message("email.bad_characters_after_at", characters=m[1]),
    ),
    (
        re.compile(r"^The email address is too long before the @-sign \((\d+) characters? too many\)\.$"),
        lambda m: Message("email.too_long_before_at", excess=int(m[1])),
    ),
    (
        re.compile(r"^The email address is too long after the @-sign \((\d+) characters? too many\)\.$"),
        lambda m: Message("email.too_long_after_at", excess=int(m[1])),
    ),
    (
        re.compile(r"^The email address is too long \((\d+) characters? too many\)\.$"),
        lambda m: Message("email.too_long", excess=int(m[1])),
    ),
]


def email_message(text: str) -> Message:
    """The message id of one of email-validator's errors."""
    if (known := _EMAIL_SENTENCES.get(text)) is not None:
        return known
    for pattern, build in _EMAIL_PATTERNS:
        if match := pattern.match(text):
            return build(match)
    return Message("email.invalid", reason=text)


@dataclass(frozen=True, slots=True)
class Checked:
    """`Annotated` marker of a wire field: the normaliser its service runs on it.

    The service runs its own checks on a body that decodes; when a body is refused for its
    types, the HTTP layer runs these on the fields that did decode, so one 422 lists every
    bad field (wrong types and bad emails alike). `check(value, region)` raises InvalidValue.
    """

    check: Callable[[str, str | None], object]
    needs_region: bool = False


def _unless_blank(normalise: Callable[[str, str | None], object]) -> Callable[[str, str | None], object]:
    # Services read a blank phone or VAT id as none given.
    return lambda value, region: normalise(value, region) if value.strip() else None


EMAIL = Checked(lambda value, _region: normalise_email(value))
PHONE = Checked(_unless_blank(normalise_phone), needs_region=True)
VAT_ID = Checked(_unless_blank(normalise_vat_id), needs_region=True)
LOCALE = Checked(lambda value, _region: normalise_locale(value))
COUNTRY = Checked(lambda value, _region: normalise_country(value))
CURRENCY = Checked(lambda value, _region: normalise_currency(value))
TIMEZONE = Checked(lambda value, _region: normalise_timezone(value))
