"""The customer timeline's merge without a database: newest first, ties in a fixed order, pages that add up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from patron.crm import rules

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SOURCES = ["event", "memo", "interaction"]


@st.composite
def _sources(draw: st.DrawFn) -> list[tuple[str, list[tuple[datetime, Any, Any]]]]:
    """Each source's items sorted newest first by (at, id); few instants, so ties are common."""
    result = []
    for source in SOURCES:
        minutes = draw(st.lists(st.integers(0, 5), max_size=8))
        items = [(T0 + timedelta(minutes=m), i, f"{source}-{i}") for i, m in enumerate(minutes)]
        items.sort(key=lambda item: (item[0], item[1]), reverse=True)
        result.append((source, items))
    return result


def _reference(sources: list[tuple[str, list[tuple[datetime, Any, Any]]]]) -> list[tuple[str, Any]]:
    keyed = [
        (at, -rules.SOURCE_ORDER[name], tiebreak, name, item) for name, items in sources for at, tiebreak, item in items
    ]
    # Newest first; at one instant the first source of SOURCE_ORDER first; then the tiebreak, descending.
    keyed.sort(key=lambda k: k[:3], reverse=True)
    return [(k[3], k[4]) for k in keyed]


def test_at_the_same_instant_events_come_before_memos_before_interactions() -> None:
    sources: list[tuple[str, list[tuple[datetime, Any, Any]]]] = [
        ("interaction", [(T0, 1, "call")]),
        ("memo", [(T0, 1, "note")]),
        ("event", [(T0, 1, "created"), (T0 - timedelta(seconds=1), 9, "older")]),
    ]
    assert rules.merge_newest_first(sources, offset=0, limit=10) == [
        ("event", "created"),
        ("memo", "note"),
        ("interaction", "call"),
        ("event", "older"),
    ]


@given(_sources(), st.integers(0, 30), st.integers(1, 30))
def test_a_page_is_the_slice_of_the_whole_timeline(
    sources: list[tuple[str, list[tuple[datetime, Any, Any]]]], offset: int, limit: int
) -> None:
    assert rules.merge_newest_first(sources, offset=offset, limit=limit) == _reference(sources)[offset : offset + limit]


@given(_sources(), st.integers(1, 5))
def test_consecutive_pages_hold_every_item_once(
    sources: list[tuple[str, list[tuple[datetime, Any, Any]]]], size: int
) -> None:
    total = sum(len(items) for _, items in sources)
    pages: list[tuple[str, Any]] = []
    for offset in range(0, total + size, size):
        pages += rules.merge_newest_first(sources, offset=offset, limit=size)
    assert sorted(item for _, item in pages) == sorted(item for _, items in sources for _, _, item in items)
    assert pages == _reference(sources)


def _resumed(source: str, items: list[tuple[datetime, Any, Any]], cursor: tuple[Any, ...] | None) -> list[Any]:
    """What the repository selects for `resume_after` (paging.before), in Python."""
    bound = rules.resume_after(source, cursor)
    if bound is None:
        return items
    if bound.ties == "all":
        return [i for i in items if i[0] <= bound.at]
    if bound.ties == "none":
        return [i for i in items if i[0] < bound.at]
    return [i for i in items if i[0] < bound.at or (i[0] == bound.at and i[1] < bound.id)]


@given(_sources(), st.integers(1, 5))
def test_paging_by_cursor_holds_every_item_once_in_order(
    sources: list[tuple[str, list[tuple[datetime, Any, Any]]]], size: int
) -> None:
    pages: list[tuple[str, Any]] = []
    cursor: tuple[Any, ...] | None = None
    by_item = {item: (at, tiebreak) for _, items in sources for at, tiebreak, item in items}
    for _ in range(100):
        resumed = [(name, _resumed(name, items, cursor)) for name, items in sources]
        page = rules.merge_newest_first(resumed, offset=0, limit=size + 1)
        pages += page[:size]
        if len(page) <= size:
            break
        source, item = page[size - 1]
        at, tiebreak = by_item[item]
        cursor = (at, rules.place(source), tiebreak)
    assert pages == _reference(sources)
