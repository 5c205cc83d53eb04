"""The normalised text a customer is found by, and the search terms of a `q=` query.

Both sides go through the same folding, so the databases only ever compare plain
lower-case tokens: FTS5 prefix queries on SQLite, `LIKE '% token%'` on a trigram
index on PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import phonenumbers

# Fields whose change changes the search text.
SEARCH_FIELDS = frozenset(
    {"first_name", "last_name", "company_name", "email", "other_emails", "phone", "other_phones", "customer_number"}
)

# Letters that carry no combining mark to strip, so NFKD leaves them alone.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "æ": "ae", "Æ": "ae"})
# A token is a run of letters and digits: the same rule as FTS5's unicode61 tokenizer.
_TOKEN = re.compile(r"[^\W_]+")
_PHONE_QUERY = re.compile(r"^[\d\s+().\-/]+$")


def fold(text: str) -> str:
    """Lower case without accents: `Nguyễn` -> `nguyen`, `Đặng` -> `dang`, `Müller` -> `muller`."""
    if text.isascii():
        # Normalisation leaves ASCII unchanged (no marks, no compatibility forms): 5x faster.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def _phone_forms(e164: str) -> list[str]:
    """The digits of a stored E.164 number, and of its national form (`+84912…` -> `84912…`, `0912…`)."""
    forms = ["".join(c for c in e164 if c.isdigit())]
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return forms
    national = "".join(
        c for c in phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL) if c.isdigit()
    )
    if national and national not in forms:
        forms.append(national)
    return forms


def document(customer: Mapping[Any, Any]) -> str:
    """The space-separated, de-duplicated tokens a customer is found by (with a leading space)."""
    parts: list[str] = []
    for name in ("first_name", "last_name", "company_name", "customer_number", "email"):
        if value := customer.get(name):
            parts.extend(tokens(value))
    for email in customer.get("other_emails") or ():
        parts.extend(tokens(email))
    phones: Iterable[str] = [customer["phone"]] if customer.get("phone") else []
    for phone in [*phones, *(customer.get("other_phones") or ())]:
        parts.extend(_phone_forms(phone))
    return " " + " ".join(dict.fromkeys(parts))


# Fields whose change changes the name key.
NAME_FIELDS = frozenset({"first_name", "last_name"})


def name_key(customer: Mapping[Any, Any]) -> str | None:
    """The folded name tokens, sorted: the block duplicates by name are found in.

    `Nguyễn Văn An`, `an nguyen van` and `NGUYEN VAN AN` share one key; a typo does not
    (those pairs are found by birthday blocks and scored by rapidfuzz instead).
    """
    names = f"{customer.get('first_name') or ''} {customer.get('last_name') or ''}"
    return " ".join(sorted(tokens(names)))[:200] or None


def query_terms(q: str) -> list[str]:
    """The tokens of a search; a phone-looking query (`0912 345`) is one run of digits."""
    q = q.strip()
    if _PHONE_QUERY.match(q) and any(c.isdigit() for c in q):
        return ["".join(c for c in q if c.isdigit())]
    return list(dict.fromkeys(tokens(q)))
