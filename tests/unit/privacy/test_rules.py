"""Erasure's pure rules: masking personal values in text and redacting them from stored JSON."""

from __future__ import annotations

import uuid
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from patron.privacy import rules

_words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_needles = st.lists(st.text(min_size=rules.MIN_NEEDLE, max_size=12), max_size=4)


@given(prefix=_words, suffix=_words, needles=_needles)
def test_no_needle_is_left_in_scrubbed_text(prefix: str, suffix: str, needles: list[str]) -> None:
    listed = rules.needles(needles)
    text = prefix + "".join(needles) + suffix
    scrubbed = rules.scrub(text, listed)
    assert not [n for n in needles if n in scrubbed]
    assert not [n for n in listed.found if n in scrubbed.lower()]
    assert len(scrubbed) <= len(text)


@given(text=_words)
def test_text_without_needles_is_kept(text: str) -> None:
    assert rules.scrub(text, rules.needles([])) == text


def test_phone_digits_are_masked_across_separators_and_in_national_form() -> None:
    listed = rules.needles(["+84912345678"])
    assert "0912345678" in listed.found
    assert rules.scrub("call 0912 345 678 or +84-912-345-678", listed) == "call * or +*"


def test_needles_drop_short_values_and_take_dates_as_iso() -> None:
    assert rules.needles([None, "Al", date(1987, 6, 15), "Zoë"]).found == ["1987-06-15", "19870615", "Zoë", "zoë"]


@given(value=st.recursive(st.none() | st.integers() | st.text(max_size=10), lambda inner: st.lists(inner, max_size=3)))
def test_redaction_keeps_the_shape_of_a_personal_key(value: object) -> None:
    redacted = rules.redact({"email": value, "tier": "gold"}, rules.needles(["zz-never"]))
    assert redacted["tier"] == "gold"
    leaf = redacted["email"]
    assert leaf is None or leaf == []


def test_an_update_keeps_its_old_and_new_as_nulls_and_other_text_is_masked() -> None:
    data = {
        "sections": ["personal"],
        "changes": {"first_name": {"old": "Zeph", "new": "Zephyrine"}, "tier": {"old": "free", "new": "pro"}},
        "title": "Deal with Zephyrine",
    }
    redacted = rules.redact(data, rules.needles(["Zephyrine"]))
    assert redacted == {
        "sections": ["personal"],
        "changes": {"first_name": {"old": None, "new": None}, "tier": {"old": "free", "new": "pro"}},
        "title": "Deal with *",
    }


def test_an_erased_email_is_unique_and_names_no_one() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    assert rules.erased_email(a) != rules.erased_email(b)
    assert rules.erased_email(a).endswith("@erased.invalid")


def test_a_reason_is_stripped_and_a_blank_one_refused() -> None:
    assert rules.check_reason("  asked  ") == "asked"
    assert rules.check_reason(" \t ") is None
