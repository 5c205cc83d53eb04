"""The body decoder's rules as properties: nesting bound, control characters, strict types, every field."""

from __future__ import annotations

import json
from typing import Annotated, Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from patron.customers.schemas import CustomerBatchCreate, CustomerCreate
from patron.http.wire import MAX_DEPTH, decode_body
from patron.kernel.errors import PatronError, ValidationFailed

JSON = ("application/json", {})


class Free(msgspec.Struct, forbid_unknown_fields=True):
    value: Any = None
    note: Annotated[str, msgspec.Meta(max_length=5)] | None = None


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**62), 2**62) | st.text(alphabet='ab[]{}"\\ ', max_size=5),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(alphabet="k[]{", max_size=3), inner, max_size=2)
    ),
    max_leaves=60,
)


def decode(raw: bytes, target: Any = Free) -> Any:
    return decode_body(raw, JSON, target, region=None, knows_region=False)


@given(json_values)
def test_nesting_is_refused_exactly_beyond_the_bound(value: Any) -> None:
    raw = json.dumps({"value": value}).encode()
    if depth({"value": value}) > MAX_DEPTH:
        with pytest.raises(PatronError) as refused:
            decode(raw)
        assert refused.value.code == "request.nesting_too_deep"
    else:
        assert decode(raw).value == value


@pytest.mark.parametrize("levels", [MAX_DEPTH, MAX_DEPTH + 1, 1000, 100_000])
def test_deep_lists_answer_400_before_msgspec_recurses(levels: int) -> None:
    raw = b'{"value": ' + b"[" * (levels - 1) + b"]" * (levels - 1) + b"}"
    if levels <= MAX_DEPTH:
        decode(raw)
        return
    with pytest.raises(PatronError) as refused:
        decode(raw)
    assert (refused.value.status, refused.value.code) == (400, "request.nesting_too_deep")


def test_unbalanced_brackets_are_malformed_not_recursed_into() -> None:
    with pytest.raises(PatronError) as refused:
        decode(b'{"value": ' + b"[" * 5000 + b"}")
    assert refused.value.code == "request.malformed_json"


@given(st.text(max_size=8), st.sampled_from([chr(c) for c in range(32) if c not in (9, 10, 13)]), st.text(max_size=8))
def test_control_characters_are_refused_in_values_and_keys(before: str, control: str, after: str) -> None:
    text = before + control + after
    for body, field in [({"value": {"k": [text]}}, "value.k[0]"), ({"value": {text: 1}}, "value")]:
        with pytest.raises(ValidationFailed) as refused:
            decode(json.dumps(body).encode())
        assert [e.field for e in refused.value.errors] == [field]
        assert refused.value.errors[0].message.id.startswith("field.control_characters")


@given(
    st.text(
        alphabet=st.characters(min_codepoint=32, blacklist_categories=("Cs",)) | st.sampled_from("\t\n\r"), max_size=20
    )
)
def test_tab_newline_and_printable_text_pass(text: str) -> None:
    assert decode(json.dumps({"value": text}).encode()).value == text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"email": "a@example.com", "credit": "100"}', "credit"),
        (b'{"email": "a@example.com", "is_favorite": "true"}', "is_favorite"),
        (b'{"email": 5}', "email"),
        (b'{"email": "a@example.com", "credit": 18446744073709551616}', "credit"),
        (b'{"email": "a@example.com", "custom_fields": {"n": 9223372036854775808}}', "custom_fields.n"),
        (b'{"email": "a@example.com", "credit": 1e400}', "credit"),
    ],
)
def test_types_are_strict(body: bytes, field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        decode(body, CustomerCreate)
    assert [e.field for e in refused.value.errors] == [field]


def test_every_bad_field_is_listed_with_the_domain_checks() -> None:
    body = b'{"email": "not-an-email", "gender": "x", "credit": -1, "tier": "gold", "phone": "12", "nick": 1}'
    with pytest.raises(ValidationFailed) as refused:
        decode_body(body, JSON, CustomerCreate, region="VN", knows_region=True)
    assert [e.field for e in refused.value.errors] == ["nick", "email", "gender", "phone", "credit", "tier"]


def test_rows_of_a_batch_are_all_checked() -> None:
    body = {"customers": [{"email": "a@example.com", "credit": "1"}, {"first_name": 1}, {"email": "b@"}]}
    with pytest.raises(ValidationFailed) as refused:
        decode(json.dumps(body).encode(), CustomerBatchCreate)
    assert [e.field for e in refused.value.errors] == [
        "customers[0].credit",
        "customers[1].email",
        "customers[1].first_name",
        "customers[2].email",
    ]


@pytest.mark.parametrize("media_type", ["text/plain", "image/png", "application/xml", "", "application/jsonx"])
def test_only_json_is_taken(media_type: str) -> None:
    with pytest.raises(PatronError) as refused:
        decode_body(b"{}", (media_type, {}), Free, region=None, knows_region=False)
    assert (refused.value.status, refused.value.code) == (415, "request.unsupported_media_type")


@pytest.mark.parametrize(
    "content_type",
    [("application/json", {"charset": "UTF-8"}), ("application/merge-patch+json", {}), ("Application/JSON", {})],
)
def test_json_media_types_and_utf8_charset_are_taken(content_type: tuple[str, dict[str, str]]) -> None:
    assert decode_body(b'{"note": "a"}', content_type, Free, region=None, knows_region=False).note == "a"
