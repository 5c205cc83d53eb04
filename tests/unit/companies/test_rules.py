"""Join codes without a database: their shape, what a person may type, hashing and status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patron.companies import rules

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
_codes = st.text(alphabet=ALPHABET, min_size=16, max_size=16).map(
    lambda raw: "-".join(raw[i : i + 4] for i in (0, 4, 8, 12))
)


def test_generated_codes_are_four_groups_of_four_unambiguous_characters_and_differ() -> None:
    codes = {rules.generate_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4, 4]
        assert set("".join(groups)) <= set(ALPHABET)
        assert rules.normalise_code(code) == code


@given(_codes, st.lists(st.sampled_from(["", " ", "-", "  "]), min_size=17, max_size=17), st.booleans())
def test_a_code_typed_in_any_case_with_any_spaces_or_dashes_reads_as_itself(
    code: str, separators: list[str], lower: bool
) -> None:
    compact = code.replace("-", "")
    typed = "".join(sep + ch for sep, ch in zip(separators, compact, strict=False)) + separators[-1]
    assert rules.normalise_code(typed.lower() if lower else typed) == code


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ABCD-EFGH-JKMN-PQR",  # 15 characters
        "ABCD-EFGH-JKMN-PQRST",  # 17 characters
        "ABCD-EFGH-JKMN-PQRI",  # I is not in the alphabet (reads as 1)
        "ABCD-EFGH-JKMN-PQRO",  # O reads as 0
        "ABCD-EFGH-JKMN-PQRU",
        "ABCD_EFGH_JKMN_PQRS",  # underscores are not separators
        "ÀBCD-EFGH-JKMN-PQRS",
    ],
)
def test_what_cannot_be_a_code_reads_as_none(typed: str) -> None:
    assert rules.normalise_code(typed) is None


def test_the_hash_is_sha256_of_the_canonical_code_and_the_hint_its_last_group() -> None:
    code = "ABCD-EFGH-JKMN-PQRS"
    assert rules.hash_code(code) == rules.hash_code(rules.normalise_code("abcd efgh jkmn pqrs") or "")
    assert len(rules.hash_code(code)) == 32
    assert rules.hash_code(code) != rules.hash_code("ABCD-EFGH-JKMN-PQRT")
    assert rules.hint(code) == "PQRS"


@pytest.mark.parametrize(
    ("expires_in", "used", "revoked", "expected"),
    [
        (timedelta(hours=1), False, False, "active"),
        (timedelta(0), False, False, "expired"),  # it expires at the instant, not after
        (-timedelta(seconds=1), False, False, "expired"),
        (timedelta(hours=1), False, True, "revoked"),
        (-timedelta(hours=1), False, True, "revoked"),  # revoked before it expired says so
        (timedelta(hours=1), True, False, "used"),
        (-timedelta(hours=1), True, True, "used"),  # a used code stays used whatever happened next
    ],
)
def test_status(expires_in: timedelta, used: bool, revoked: bool, expected: str) -> None:
    earlier = NOW - timedelta(days=1)
    status = rules.status(
        expires_at=NOW + expires_in,
        used_at=earlier if used else None,
        revoked_at=earlier if revoked else None,
        now=NOW,
    )
    assert status == expected
