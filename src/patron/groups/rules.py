"""Pure rules: normalising names and product references, and who may buy what.

Precedence of `decide`, most specific first; the first that applies wins:

1. the customer's deny list names the product: denied;
2. the customer's allow list names it: allowed;
3. the customer has an allow list without it: denied (an allow list means "only these");
4. to 6. the same three steps with the customer's group's lists;
7. nothing applies: allowed.

So a customer's own lists override its group's, and at each level deny beats allow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from patron.kernel.errors import FieldError, InvalidValue, ValidationFailed
from patron.kernel.messages import Message

Level = Literal["customer", "group", "default"]
Rule = Literal["deny", "allow", "allow_list", "default"]


@dataclass(frozen=True, slots=True)
class Lists:
    allow: frozenset[str]
    deny: frozenset[str]


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    level: Level
    rule: Rule


def decide(product_ref: str, *, customer: Lists, group: Lists | None) -> Decision:
    """May a customer with these lists (and its group's, if any) buy `product_ref`?"""
    levels: tuple[tuple[Level, Lists | None], ...] = (("customer", customer), ("group", group))
    for level, lists in levels:
        if lists is None:
            continue
        if product_ref in lists.deny:
            return Decision(False, level, "deny")
        if product_ref in lists.allow:
            return Decision(True, level, "allow")
        if lists.allow:
            return Decision(False, level, "allow_list")
    return Decision(True, "default", "default")


def normalise_ref(value: str) -> str:
    """A product reference as stored: trimmed, not blank, no control characters; case is kept (SKUs)."""
    ref = value.strip()
    if not ref:
        raise InvalidValue(Message("field.blank"))
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in ref):
        raise InvalidValue(Message("field.control_characters"))
    return ref


def normalise_refs(values: Iterable[str], field: str) -> list[str]:
    """Distinct normalised references, sorted; ValidationFailed names each bad one (`allow[2]`)."""
    errors: list[FieldError] = []
    result: set[str] = set()
    for i, value in enumerate(values):
        try:
            result.add(normalise_ref(value))
        except InvalidValue as exc:
            errors.append(FieldError(f"{field}[{i}]", exc.message))
    if errors:
        raise ValidationFailed(errors)
    return sorted(result)


def normalise_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise ValidationFailed.single("name", Message("field.blank"))
    return name
