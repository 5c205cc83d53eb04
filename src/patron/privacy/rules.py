"""Pure rules of erasure: which values are personal and how text and stored JSON lose them."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Final

# Keys whose values are personal wherever they appear in stored JSON (event payloads and their
# `changes`, merge journals, stored idempotent answers): the customer's, an address's, a
# subscriber's, an inquiry's, a memo's or an interaction's own fields.
PERSONAL_KEYS: Final = frozenset(
    {
        "first_name",
        "last_name",
        "name",
        "email",
        "other_emails",
        "phone",
        "other_phones",
        "fax",
        "birthday",
        "gender",
        "company_name",
        "company",
        "vat_id",
        "custom_fields",
        "tags",
        "street",
        "house_number",
        "extra_line",
        "postcode",
        "city",
        "state",
        "message",
        "body",
        "summary",
        "outcome",
        "note",
        "client_ip",
        "ip_address",
        "user_agent",
        "search_text",
        "name_key",
    }
)

# Personal values shorter than this are not looked for inside other text: a one-letter name
# would blank every text it touched.
MIN_NEEDLE = 3
REASON_MAX = 500
MASK = "*"

_DIGITS = re.compile(r"\D+")


def erased_email(record_id: uuid.UUID) -> str:
    """The placeholder of a required, unique email: unique by the record's id, personal to no one."""
    return f"erased-{record_id.hex}@erased.invalid"


class Needles:
    """The personal strings to look for in text, longest first (a longer one masks a shorter
    inside it), and the one compiled pattern that finds any of them.

    One pattern for all: compiling a pattern per needle per text cost ~75 ms of a ~110 ms erasure.
    """

    __slots__ = ("found", "pattern")

    def __init__(self, found: Iterable[str]) -> None:
        self.found = sorted(set(found), key=lambda n: (-len(n), n))
        self.pattern = re.compile("|".join(_pattern(n) for n in self.found), re.IGNORECASE) if self.found else None


def needles(values: Iterable[object]) -> Needles:
    """The needles of these personal values (None and values shorter than MIN_NEEDLE left out).

    Each as written and in lower case: a case-blind match of one misses the other for a few
    letters (`İ`), never for both. A phone contributes its digits too (`+84 912 345 678` is stored
    as `+84912345678`, a grep looks for `912345678`); a date its ISO text.
    """
    found: set[str] = set()
    for value in values:
        if value is None:
            continue
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        for candidate in (text, text.strip(), _DIGITS.sub("", text) if any(c.isdigit() for c in text) else ""):
            if len(candidate) >= MIN_NEEDLE:
                found.update((candidate, candidate.lower()))
        digits = _DIGITS.sub("", text)
        if len(digits) >= 9 and digits.startswith("84"):  # a Vietnamese number: its national form too
            found.add("0" + digits[2:])
            found.add(digits[2:])
    return Needles(found)


def scrub(text: str, needles: Needles) -> str:
    """`text` with every occurrence of a needle (any letter case, digits also across separators) masked.

    Masking repeats until none is left: a mask shrinks the text, so it ends.
    """
    pattern = needles.pattern
    if pattern is None:
        return text
    while True:
        changed = pattern.sub(MASK, text)
        if changed == text:
            return text
        text = changed


def _pattern(needle: str) -> str:
    if needle.isdigit():
        # digits written with spaces, dots or dashes between them (`0912 345 678`) match too
        return r"[\s.\-()]*".join(re.escape(d) for d in needle)
    return re.escape(needle)


def redact(value: Any, needles: Needles) -> Any:
    """Stored JSON without personal values: a personal key keeps its shape (an update's
    `{old, new}` stays an object) with null leaves; any other text is scrubbed of the needles."""
    return _redact(value, needles, personal=False)


def _redact(value: Any, needles: Needles, *, personal: bool) -> Any:
    if isinstance(value, Mapping):
        return {key: _redact(item, needles, personal=personal or key in PERSONAL_KEYS) for key, item in value.items()}
    if isinstance(value, list):
        return [] if personal else [_redact(item, needles, personal=False) for item in value]
    if personal:
        return None
    if isinstance(value, str):
        return scrub(value, needles)
    return value


def check_reason(reason: str) -> str | None:
    """The erasure's reason as stored, or None when it is blank."""
    stripped = reason.strip()
    return stripped or None
