"""The shared page cursor: round trips, is bound to its list and filters, refuses anything else."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from patron.kernel import b64, pagination
from patron.kernel.errors import ValidationFailed

KEYSET = pagination.newest_first("things")
times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda t: t.replace(tzinfo=UTC)
)
ids = st.uuids()


@given(times, ids, st.lists(st.text(max_size=10), max_size=3))
def test_a_cursor_round_trips_for_its_list_and_filters(at: datetime, row_id: uuid.UUID, filters: list[str]) -> None:
    cursor = KEYSET.cursor([at, row_id], filters=filters)
    assert KEYSET.read(cursor, filters=filters) == (at, row_id)
    page = KEYSET.request(limit=10, cursor=cursor, filters=filters)
    assert page.after == (at, row_id)


@given(times, ids)
def test_a_cursor_is_refused_by_another_list_or_other_filters(at: datetime, row_id: uuid.UUID) -> None:
    cursor = KEYSET.cursor([at, row_id], filters=["a"])
    for other, filters in ((pagination.newest_first("others"), ["a"]), (KEYSET, ["b"]), (KEYSET, None)):
        with pytest.raises(ValidationFailed) as refused:
            other.read(cursor, filters=filters)
        assert [e.field for e in refused.value.errors] == ["cursor"]


@given(st.text(max_size=300))
def test_any_text_is_a_cursor_of_this_list_or_refused_naming_cursor(raw: str) -> None:
    try:
        values = KEYSET.read(raw)
    except ValidationFailed as refused:
        fields = [e.field for e in refused.errors]
    else:
        fields = ["cursor"]
        assert isinstance(values[0], datetime)
        assert isinstance(values[1], uuid.UUID)
    assert fields == ["cursor"]


def _forged(name: str, values: list[object]) -> str:
    return b64.encode(msgspec.json.encode([pagination._fingerprint(name, None), values]))


def test_values_of_the_wrong_type_nul_or_a_naive_time_are_refused() -> None:
    names = pagination.Keyset("names", (pagination.Key("name", str), pagination.Key("id", uuid.UUID)))
    for values in (["a\x00b", str(uuid.uuid4())], [1, str(uuid.uuid4())], ["a"], ["a", "not-a-uuid"]):
        # The right fingerprint (it is no secret), values a client made up.
        with pytest.raises(ValidationFailed):
            names.read(_forged("names", values))
    naive = _forged("things", ["2026-01-01T00:00:00", str(uuid.uuid4())])
    with pytest.raises(ValidationFailed):
        KEYSET.read(naive)


def test_split_gives_the_next_cursor_only_when_a_row_is_left() -> None:
    class Row:
        def __init__(self, i: int) -> None:
            self.created_at = datetime(2026, 1, 1, tzinfo=UTC) - timedelta(minutes=i)
            self.id = uuid.UUID(int=i)

    page = KEYSET.request(limit=2)
    rows = [Row(i) for i in range(3)]
    items, cursor = page.split(rows)
    assert items == rows[:2]
    assert cursor is not None
    assert KEYSET.read(cursor) == (rows[1].created_at, rows[1].id)
    assert page.split(rows[:2]) == (rows[:2], None)


def test_a_cursor_with_an_offset_is_refused_naming_offset() -> None:
    cursor = KEYSET.cursor([datetime(2026, 1, 1, tzinfo=UTC), uuid.uuid4()])
    with pytest.raises(ValidationFailed) as refused:
        KEYSET.request(limit=1, offset=1, cursor=cursor)
    assert [e.field for e in refused.value.errors] == ["offset"]
