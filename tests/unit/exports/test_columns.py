"""The export's cell rules: formula guard and columns, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patron.exports.columns import DEFAULT_COLUMNS, guard, parse_columns
from patron.identity.schemas import CustomFieldDefinition
from patron.kernel.errors import ValidationFailed

RUNS_AS_FORMULA = ("=", "@", "\t", "\r")


@given(st.text())
def test_guarded_text_is_the_text_or_the_text_after_a_quote(text: str) -> None:
    guarded = guard(text)
    assert guarded in (text, "'" + text)
    starts_formula = text.startswith(RUNS_AS_FORMULA) or (
        text[:1] in ("+", "-") and not (len(text) > 1 and text[1] in "0123456789")
    )
    assert (guarded != text) == starts_formula


@pytest.mark.parametrize(
    ("text", "expected"),
    [("+84912345678", "+84912345678"), ("-12", "-12"), ("-", "'-"), ("+x", "'+x"), ("=1+1", "'=1+1"), ("a=b", "a=b")],
)
def test_guard_examples(text: str, expected: str) -> None:
    assert guard(text) == expected


def test_columns_default_custom_and_refusals() -> None:
    definitions = {"card": CustomFieldDefinition(type="string"), "kids": CustomFieldDefinition(type="integer")}
    assert [c.name for c in parse_columns(None, definitions)] == list(DEFAULT_COLUMNS)
    assert DEFAULT_COLUMNS[-1] == "newsletter_status"
    assert "custom_fields" not in DEFAULT_COLUMNS
    chosen = parse_columns("email, custom_fields,tags", definitions)
    assert [c.name for c in chosen] == ["email", "custom.card", "custom.kids", "tags"]
    for bad in ("email,email", "custom.card,custom_fields", "custom.nope", "", "email,"):
        with pytest.raises(ValidationFailed) as raised:
            parse_columns(bad, definitions)
        assert raised.value.errors[0].field == "columns"
