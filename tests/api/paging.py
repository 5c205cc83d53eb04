"""Paging through a list with `next_cursor`, as a client does (SPEC §8)."""

from __future__ import annotations

from typing import Any

from tests.factories import Org

SHAPE = {"items", "total", "limit", "offset", "next_cursor"}


def page_through(org: Org, path: str, *, limit: int, role: str = "owner", **params: Any) -> list[dict[str, Any]]:
    """Every item of the list, page by page following `next_cursor` until it is null (or, for a
    feed, until a page is empty)."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(1000):
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = org.get(path, role, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) >= SHAPE, page
        assert page["limit"] == limit
        assert len(page["items"]) <= limit
        items.extend(page["items"])
        if not page["items"] or page["next_cursor"] is None:
            return items
        cursor = page["next_cursor"]
    raise AssertionError("paging did not end")


def assert_bad_cursor_is_422(org: Org, path: str, role: str = "owner") -> None:
    for cursor in ("garbage", "WyJ4IixbXV0", "W10"):
        response = org.get(path, role, params={"cursor": cursor})
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == ["cursor"], response.text
