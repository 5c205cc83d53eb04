"""The list query language and search folding, without HTTP or a database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from patron.customers import query, search
from patron.kernel.errors import ValidationFailed


def _parse(*filters: tuple[str, str], sort: str | None = None, cursor: str | None = None) -> query.ListQuery:
    return query.parse(filters=filters, sort=sort, q=None, limit=10, offset=0, cursor=cursor)


def test_values_are_parsed_by_the_field_type() -> None:
    parsed = _parse(
        ("filter[birthday]", "lt|1990-01-02"),
        ("filter[created_at]", "gte|2026-01-01T07:00:00+07:00"),
        ("filter[credit]", "in|1,20"),
        ("filter[is_guest]", "true"),
        ("filter[group]", f"eq|{uuid.UUID(int=1)}"),
        ("filter[last_name]", "null|false"),
        ("filter[email]", "A@Example.com"),
        ("filter[tags]", " VIP "),
    )
    assert [(c.field.name, c.op, c.value) for c in parsed.conditions] == [
        ("birthday", "lt", date(1990, 1, 2)),
        ("created_at", "gte", datetime(2026, 1, 1, tzinfo=UTC)),
        ("credit", "in", (1, 20)),
        ("is_guest", "eq", True),
        ("group", "eq", uuid.UUID(int=1)),
        ("last_name", "null", False),
        ("email", "eq", "a@example.com"),
        ("tags", "has", "vip"),
    ]


def test_a_value_with_a_bar_but_no_operator_is_compared_whole() -> None:
    [condition] = _parse(("filter[company_name]", "A|B Ltd")).conditions
    assert (condition.op, condition.value) == ("eq", "A|B Ltd")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("filter[nope]", "x"),
        ("filter[credit]", "like|1*"),
        ("filter[credit]", "12.5"),
        ("filter[tier]", "gold"),
        ("filter[birthday]", "1990-13-01"),
        ("filter[tags]", "in|a,b"),
        ("filter[email]", "null|true"),
        ("filter[credit]", "in|" + ",".join(["1"] * 501)),
    ],
)
def test_bad_filters_name_their_parameter(key: str, value: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        _parse((key, value))
    assert [e.field for e in raised.value.errors] == [key]


def test_sort_ends_with_id_and_rejects_unknown_fields() -> None:
    keys = _parse(sort="-created_at,last_name").sort
    assert [(k.field.name, k.descending) for k in keys] == [("created_at", True), ("last_name", False), ("id", False)]
    assert [(k.field.name, k.descending) for k in _parse().sort] == [("created_at", True), ("id", True)]
    for bad in ("tags", "nope", "tier,tier", "a,b,c,d,e,f"):
        with pytest.raises(ValidationFailed) as raised:
            _parse(sort=bad)
        assert raised.value.errors[0].field == "sort"


def test_a_cursor_round_trips_and_is_bound_to_its_query() -> None:
    listing = _parse(("filter[tier]", "pro"), sort="last_name")
    row = {"last_name": None, "id": uuid.UUID(int=7)}
    cursor = listing.cursor_after(row)
    assert _parse(("filter[tier]", "pro"), sort="last_name", cursor=cursor).after == (None, uuid.UUID(int=7))
    with pytest.raises(ValidationFailed):
        _parse(("filter[tier]", "pro"), sort="-last_name", cursor=cursor)
    with pytest.raises(ValidationFailed):
        _parse(("filter[tier]", "free"), sort="last_name", cursor=cursor)
    with pytest.raises(ValidationFailed) as raised:
        _parse(("filter[tier]", "pro"), sort="last_name", cursor=cursor[:-2])
    assert raised.value.errors[0].field == "cursor"


def test_folding_and_search_documents() -> None:
    assert search.fold("Nguyễn Đặng Müller ÆSØ") == "nguyen dang muller aeso"
    document = search.document(
        {"first_name": "Lan", "last_name": "Nguyễn", "email": "lan.n@example.com", "phone": "+84912345678"}
    )
    assert document.split() == ["lan", "nguyen", "n", "example", "com", "84912345678", "0912345678"]
    assert search.query_terms("0912 345-678") == ["0912345678"]
    assert search.query_terms("Đặng  Lan đặng") == ["dang", "lan"]
