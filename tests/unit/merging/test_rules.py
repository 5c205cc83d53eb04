"""The merge's pure rules: which requests are refused, and what the survivor's fields become."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patron.kernel.errors import ValidationFailed
from patron.merging import rules

EMAILS = st.sampled_from([f"{n}@example.com" for n in "abcdef"])
PHONES = st.sampled_from(["+84912000001", "+84912000002", "+84912000003", "+84912000004"])
TAGS = st.lists(st.sampled_from(["vip", "b2b", "pos", "new"]), unique=True, max_size=3)
MAYBE = st.one_of(st.none(), st.sampled_from(["x", "y", ""]))


@st.composite
def people(draw: st.DrawFn) -> dict[str, Any]:
    person: dict[str, Any] = {field: draw(MAYBE) for field in rules.FILLABLE}
    person.update(
        id=uuid.uuid4(),
        email=draw(EMAILS),
        other_emails=draw(st.lists(EMAILS, unique=True, max_size=2)),
        phone=draw(st.one_of(st.none(), PHONES)),
        other_phones=draw(st.lists(PHONES, unique=True, max_size=2)),
        tags=draw(TAGS),
        custom_fields=draw(st.dictionaries(st.sampled_from(["k1", "k2"]), st.integers(0, 3), max_size=2)),
        credit=draw(st.integers(0, 1000)),
        locale="vi",
        status="customer",
        tier="free",
        is_merchant=draw(st.booleans()),
        is_favorite=draw(st.booleans()),
    )
    return person


@given(survivor=people(), sources=st.lists(people(), min_size=1, max_size=3), data=st.data())
def test_merged_values_lose_no_contact_and_repeat_none(
    survivor: dict[str, Any], sources: list[dict[str, Any]], data: st.DataObject
) -> None:
    preferable = sorted(rules.PREFERABLE)
    fields = data.draw(st.lists(st.sampled_from(preferable), unique=True, max_size=3))
    prefer = {field: data.draw(st.sampled_from(sources))["id"] for field in fields}
    values = rules.merged_values(survivor, sources, prefer)
    everyone = [survivor, *sources]
    emails = {e for p in everyone for e in [p["email"], *p["other_emails"]]}
    assert {values["email"], *values["other_emails"]} == emails
    assert values["email"] not in values["other_emails"]
    assert len(set(values["other_emails"])) == len(values["other_emails"])
    phones = {ph for p in everyone for ph in [p["phone"], *p["other_phones"]] if ph}
    assert {values["phone"], *values["other_phones"]} - {None} == phones
    assert values["phone"] not in values["other_phones"]
    assert len(set(values["other_phones"])) == len(values["other_phones"])
    assert set(values["tags"]) == {t for p in everyone for t in p["tags"]}
    assert values["tags"][: len(survivor["tags"])] == survivor["tags"]
    assert values["credit"] == sum(p["credit"] for p in everyone)
    for key, value in survivor["custom_fields"].items():
        assert values["custom_fields"][key] == value
    by_id = {p["id"]: p for p in sources}
    for field in rules.PREFERABLE:
        if field in prefer:
            assert values[field] == by_id[prefer[field]][field]
        elif field in rules.FILLABLE and survivor[field] in (None, ""):
            filled = next((s[field] for s in sources if s[field] not in (None, "")), survivor[field])
            assert values[field] == filled
        else:
            assert values[field] == survivor[field]


def _fields(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [e.field for e in exc.value.errors]


def test_requests_a_merge_cannot_follow_name_their_field() -> None:
    survivor, a, b = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    cases: list[tuple[list[uuid.UUID], dict[str, uuid.UUID], list[str]]] = [
        ([], {}, ["from_ids"]),
        ([survivor], {}, ["from_ids[0]"]),
        ([a, b, a], {}, ["from_ids[2]"]),
        ([a], {"email": b}, ["prefer.email"]),
        ([a], {"credit": a, "tags": a}, ["prefer.credit", "prefer.tags"]),
    ]
    for from_ids, prefer, fields in cases:
        with pytest.raises(ValidationFailed) as exc:
            rules.check_request(survivor, from_ids, prefer)
        assert _fields(exc) == fields
    rules.check_request(survivor, [a, b], {"email": b, "first_name": a})
