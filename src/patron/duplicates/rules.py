"""How alike two customers are: the evidence one pair shows, and its score in 0-1. Pure, no I/O.

Each reason is evidence with a weight; independent evidence combines as 1 - prod(1 - s), so two
weak signs make a stronger one and no amount of evidence passes 1. Conflicting evidence (two
different birthdays, two different VAT ids, clearly different names, no phone in common where
both have phones) multiplies the whole score down. The weights are plain numbers here, so the
README's table and the tests read the same values.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from rapidfuzz.distance import Indel

Reason = Literal["same_email", "same_phone", "same_vat_id", "similar_name"]
REASONS: tuple[Reason, ...] = ("same_email", "same_phone", "same_vat_id", "similar_name")

# The weight of each piece of evidence alone.
SAME_VAT_ID = 0.90
SAME_EMAIL = 0.85
SAME_PHONE = 0.75
# A similar name counts only with something that backs it; each backing is its own evidence.
NAME_WITH_BIRTHDAY = 0.75
NAME_WITH_COMPANY = 0.60
NAME_WITH_POSTCODE = 0.55
# Name similarity (0-100, rapidfuzz's normalized Indel similarity of the folded, sorted name
# tokens): from SIMILAR_NAME a name is "similar", its evidence scaled from x0.75 up to x1 at 100.
SIMILAR_NAME = 85.0
NAME_SCALE_AT_THRESHOLD = 0.75
# Below DIFFERENT_NAME two names are clearly not the same person's.
DIFFERENT_NAME = 75.0
# A name shared by this many live customers or more, and by this share of the organization, says
# little: its evidence is discounted. How many namesakes are a coincidence grows with the
# organization: 20 people named alike in 1,000 customers is a common name, in 100,000 it is not.
COMMON_NAME_MEMBERS = 20
COMMON_NAME_SHARE = 0.001
COMMON_NAME_DISCOUNT = 0.6
# Likewise a company many customers share (a large employer, "Private"): backing by it is discounted.
COMMON_COMPANY_MEMBERS = 20
COMMON_COMPANY_DISCOUNT = 0.6
# Conflicts multiply the combined score.
CONFLICTING = 0.5  # different birthdays, different VAT ids
DIFFERENT = 0.6  # clearly different names, different phones

_DIGITS = re.compile(r"[0-9]+")

DIGITS = 4  # scores are rounded, so a cursor carries the exact value the list is ordered by


@dataclass(frozen=True, slots=True)
class Profile:
    """What the comparison reads of one customer: folded and normalized as stored."""

    name_key: str | None
    emails: frozenset[str]  # the primary email and other emails, lower case
    phones: frozenset[str]  # the primary phone and other phones, E.164 as stored
    vat_id: str | None
    birthday: date | None
    company: str | None  # folded company name
    postcodes: frozenset[str]


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one pair shows, for and against being one person."""

    same_email: bool = False
    same_phone: bool = False
    same_vat_id: bool = False
    name_similarity: float | None = None  # None when either has no name
    same_birthday: bool = False
    same_company: bool = False
    same_postcode: bool = False
    common_name: bool = False
    common_company: bool = False
    different_birthdays: bool = False
    different_vat_ids: bool = False
    different_phones: bool = False


def _numbers(text: str) -> list[str]:
    return _DIGITS.findall(text)


def name_similarity(a: str, b: str) -> float:
    """0-100: how alike two folded name keys are (100: the same); names with different numbers
    in them ("Guest 12", "Guest 13", a walk-in placeholder) are not alike at all."""
    if a == b:
        return 100.0
    similarity = float(Indel.normalized_similarity(a, b) * 100)
    # Below DIFFERENT_NAME the numbers change nothing, so most pairs skip the regex.
    if similarity >= DIFFERENT_NAME and _numbers(a) != _numbers(b):
        return 0.0
    return similarity


def common_name(members: int, customers: int) -> bool:
    """Whether a name `members` of the organization's `customers` live customers carry is common."""
    return members >= max(COMMON_NAME_MEMBERS, COMMON_NAME_SHARE * customers)


def compare(a: Profile, b: Profile, *, common_name: bool = False, common_company: bool = False) -> Evidence:
    """The evidence between two customers; the same whichever comes first."""
    similarity = None
    if a.name_key and b.name_key:
        similarity = name_similarity(a.name_key, b.name_key)
    both_phones = bool(a.phones and b.phones)
    return Evidence(
        same_email=not a.emails.isdisjoint(b.emails),
        same_phone=not a.phones.isdisjoint(b.phones),
        same_vat_id=a.vat_id is not None and a.vat_id == b.vat_id,
        name_similarity=similarity,
        same_birthday=a.birthday is not None and a.birthday == b.birthday,
        same_company=a.company is not None and a.company == b.company,
        same_postcode=not a.postcodes.isdisjoint(b.postcodes),
        common_name=common_name,
        common_company=common_company,
        different_birthdays=a.birthday is not None and b.birthday is not None and a.birthday != b.birthday,
        different_vat_ids=a.vat_id is not None and b.vat_id is not None and a.vat_id != b.vat_id,
        different_phones=both_phones and a.phones.isdisjoint(b.phones),
    )


def _name_scale(similarity: float) -> float:
    span = (similarity - SIMILAR_NAME) / (100.0 - SIMILAR_NAME)
    return NAME_SCALE_AT_THRESHOLD + (1.0 - NAME_SCALE_AT_THRESHOLD) * span


def _combine(weights: Sequence[float]) -> float:
    missing = 1.0
    for weight in weights:
        missing *= 1.0 - weight
    return 1.0 - missing


def score(evidence: Evidence) -> tuple[float, list[Reason]]:
    """The pair's score in 0-1 and its reasons, in `REASONS` order; (0, []) when none holds."""
    reasons: list[Reason] = []
    weights: list[float] = []
    if evidence.same_email:
        reasons.append("same_email")
        weights.append(SAME_EMAIL)
    if evidence.same_phone:
        reasons.append("same_phone")
        weights.append(SAME_PHONE)
    if evidence.same_vat_id:
        reasons.append("same_vat_id")
        weights.append(SAME_VAT_ID)
    similarity = evidence.name_similarity
    if similarity is not None and similarity >= SIMILAR_NAME:
        company = NAME_WITH_COMPANY * (COMMON_COMPANY_DISCOUNT if evidence.common_company else 1.0)
        backing = [
            weight
            for holds, weight in (
                (evidence.same_birthday, NAME_WITH_BIRTHDAY),
                (evidence.same_company, company),
                (evidence.same_postcode, NAME_WITH_POSTCODE),
            )
            if holds
        ]
        if backing:
            reasons.append("similar_name")
            scale = _name_scale(similarity) * (COMMON_NAME_DISCOUNT if evidence.common_name else 1.0)
            weights.extend(weight * scale for weight in backing)
    if not reasons:
        return 0.0, []
    value = _combine(weights)
    if evidence.different_birthdays:
        value *= CONFLICTING
    if evidence.different_vat_ids:
        value *= CONFLICTING
    if similarity is not None and similarity < DIFFERENT_NAME:
        value *= DIFFERENT
    if evidence.different_phones:
        value *= DIFFERENT
    return round(min(max(value, 0.0), 1.0), DIGITS), reasons


def pair(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """The pair as stored and listed: (low id, high id), the order both databases sort UUIDs in."""
    return (a, b) if a < b else (b, a)
