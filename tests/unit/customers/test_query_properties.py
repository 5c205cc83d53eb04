"""Properties of the filter parser (`filter[<field>]=<op>|<value>`, SPEC §8)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from patron.customers import query
from patron.kernel.errors import ValidationFailed

TEXT_FIELDS = sorted(name for name, f in query.FIELDS.items() if f.kind == "text" and name != "email")
NOT_LIKE_FIELDS = sorted(name for name, f in query.FIELDS.items() if "like" not in f.ops)
# Values as a client sends them: no NUL (refused), no leading `<letters>|` (that is an operator).
values = st.text(st.characters(exclude_characters="\x00"), max_size=40).filter(
    lambda v: query._OP_PREFIX.match(v) is None
)


def _parsed_or_refused(key: str, raw: str) -> query.Condition | None:
    """The condition, or None when it was refused naming its parameter (and nothing else)."""
    try:
        return query.parse_condition(key, raw)
    except ValidationFailed as refused:
        fields = [e.field for e in refused.errors]
    assert fields == [key]
    return None


@given(st.sampled_from(TEXT_FIELDS), values, values)
def test_a_bare_value_with_a_star_is_a_like_pattern_of_itself(name: str, before: str, after: str) -> None:
    raw = f"{before}*{after}"
    condition = query.parse_condition(f"filter[{name}]", raw)
    assert (condition.op, condition.value) == ("like", raw)


@given(st.sampled_from(TEXT_FIELDS), values.filter(lambda v: "*" not in v))
def test_a_bare_value_without_a_star_is_compared_whole(name: str, raw: str) -> None:
    condition = query.parse_condition(f"filter[{name}]", raw)
    assert (condition.op, condition.value) == ("eq", raw)


@given(st.sampled_from(TEXT_FIELDS), values)
def test_eq_compares_a_star_literally(name: str, raw: str) -> None:
    condition = query.parse_condition(f"filter[{name}]", f"eq|{raw}*")
    assert (condition.op, condition.value) == ("eq", f"{raw}*")


@given(st.sampled_from(NOT_LIKE_FIELDS), values)
def test_a_star_never_makes_a_like_on_a_field_without_one(name: str, raw: str) -> None:
    condition = _parsed_or_refused(f"filter[{name}]", f"{raw}*")
    assert condition is None or condition.op in ("eq", "has")


@given(st.text(max_size=30), st.text(max_size=60))
def test_any_parameter_parses_or_is_refused_naming_it(key: str, raw: str) -> None:
    condition = _parsed_or_refused(key, raw)
    assert condition is None or condition.op in condition.field.ops
