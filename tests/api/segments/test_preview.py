"""POST /segments/preview through the HTTP API: every operator and kind of field, precedence,
keywords in any case, quoting, injection attempts taken literally, and 422s with positions."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Api, Org, unique

DEFINITIONS = {
    "kids": {"type": "integer"},
    "score": {"type": "number"},
    "card": {"type": "boolean"},
    "joined": {"type": "date"},
    "note": {"type": "string"},
}


def _preview(org: Org, query: str, role: str = "owner", **headers: str) -> Any:
    return org.post("/segments/preview", role, json={"query": query}, headers=headers)


def _names(org: Org, query: str) -> list[str]:
    response = _preview(org, query)
    assert response.status_code == 200, response.text
    body = response.json()
    names = sorted(item["first_name"] for item in body["items"])
    assert body["count"] == len(names)
    return names


def _error(org: Org, query: str, **headers: str) -> dict[str, Any]:
    response = _preview(org, query, **headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "segment.invalid_query"
    [error] = body["errors"]
    assert error["field"] == "query"
    return dict(error)


@pytest.fixture
def org(api: Api) -> Org:
    org = api.create_org()
    assert org.patch("/organization", json={"custom_fields": DEFINITIONS}).status_code == 200
    people = [
        {
            "first_name": "An",
            "last_name": "O'Neil",
            "tier": "pro",
            "tags": ["vip", "wholesale"],
            "credit": 500,
            "birthday": "1990-05-01",
            "gender": "female",
            "custom_fields": {"kids": 2, "score": 4.5, "card": True, "joined": "2024-01-15", "note": "Call after 5"},
        },
        {
            "first_name": "Binh",
            "last_name": "Tran",
            "tier": "free",
            "tags": ["new"],
            "credit": 0,
            "is_favorite": True,
            "custom_fields": {"kids": 0, "card": False, "note": "50% off"},
        },
        {
            "first_name": "Chi",
            "last_name": None,
            "tier": "basic",
            "tags": [],
            "credit": 20,
            "birthday": "2001-12-31",
            "phone": "+84912345678",
        },
        {
            "first_name": "Dung",
            "last_name": "Le",
            "tier": "enterprise",
            "tags": ["VIP"],
            "credit": 100000,
            "is_merchant": True,
            "company_name": "Dung & Co",
        },
    ]
    for person in people:
        org.create_customer(email=f"{unique(person['first_name'])}@example.com", **person)
    gone = org.create_customer(email=f"{unique('gone')}@example.com", first_name="Gone", tier="pro")
    assert org.delete(f"/customers/{gone['id']}").status_code == 204
    return org


def test_comparisons_of_each_kind(org: Org) -> None:
    assert _names(org, "tier = 'pro'") == ["An"]
    assert _names(org, "tier != 'pro'") == ["Binh", "Chi", "Dung"]
    assert _names(org, "credit > 0") == ["An", "Chi", "Dung"]
    assert _names(org, "credit >= 0") == ["An", "Binh", "Chi", "Dung"]
    assert _names(org, "credit < 20") == ["Binh"]
    assert _names(org, "credit <= 20") == ["Binh", "Chi"]
    assert _names(org, "credit between 1 and 500") == ["An", "Chi"]
    assert _names(org, "birthday < 2000-01-01") == ["An"]
    assert _names(org, "birthday between 1980-01-01 and 2001-12-31") == ["An", "Chi"]
    assert _names(org, "created_at >= -1d") == ["An", "Binh", "Chi", "Dung"]
    assert _names(org, "created_at < -1y") == []
    assert _names(org, "is_favorite = true") == ["Binh"]
    assert _names(org, "is_merchant != TRUE") == ["An", "Binh", "Chi"]
    assert _names(org, "first_name < 'B'") == ["An"]
    assert _names(org, "points_balance = 0") == ["An", "Binh", "Chi", "Dung"]
    assert _names(org, "loyalty_tier is null") == ["An", "Binh", "Chi", "Dung"]


def test_in_not_in_has_and_null(org: Org) -> None:
    assert _names(org, "tier in ('pro', 'basic')") == ["An", "Chi"]
    assert _names(org, "tier not in ('pro', 'basic')") == ["Binh", "Dung"]
    assert _names(org, "tags has 'VIP'") == ["An", "Dung"]  # tags are stored lowercased
    assert _names(org, "company_name has 'CO'") == ["Dung"]
    assert _names(org, "last_name is null") == ["Chi"]
    assert _names(org, "last_name is not null") == ["An", "Binh", "Dung"]
    # An empty field fails a test, so its negation holds.
    assert _names(org, "last_name = 'Tran'") == ["Binh"]
    assert _names(org, "last_name != 'Tran'") == ["An", "Chi", "Dung"]
    assert _names(org, "gender in ('female')") == ["An"]
    assert _names(org, "gender not in ('female')") == ["Binh", "Chi", "Dung"]
    assert _names(org, "group_id is null and company_id is null and assigned_to is null") == [
        "An",
        "Binh",
        "Chi",
        "Dung",
    ]
    assert _names(org, "group = '00000000-0000-0000-0000-000000000001'") == []


def test_custom_fields_are_typed_by_their_definition(org: Org) -> None:
    assert _names(org, "custom.kids > 1") == ["An"]
    assert _names(org, "custom.kids is null") == ["Chi", "Dung"]
    assert _names(org, "custom.score between 4 and 5") == ["An"]
    assert _names(org, "custom.card = false") == ["Binh"]
    assert _names(org, "custom.joined < 2025-01-01") == ["An"]
    assert _names(org, "custom.note has '50%'") == ["Binh"]
    assert _names(org, "custom.note has '5'") == ["An", "Binh"]
    error = _error(org, "custom.kids = 'two'")
    assert error["position"] == 14
    assert "an integer" in error["message"]
    assert _error(org, "custom.missing = 1")["position"] == 0


def test_newsletter_status(org: Org, api: Api) -> None:
    subscribed = org.create_customer(email=f"{unique('news')}@example.com", first_name="Em")
    response = api.client.post(
        f"/api/v1/public/{org.slug}/newsletter/subscriptions", json={"email": subscribed["email"]}
    )
    assert response.status_code == 201, response.text
    assert _names(org, "newsletter_status = 'subscribed'") == ["Em"]
    assert _names(org, "newsletter_status = 'none'") == ["An", "Binh", "Chi", "Dung"]
    assert _names(org, "newsletter_status in ('pending', 'unsubscribed')") == []
    assert _names(org, "newsletter_status != 'none'") == ["Em"]


def test_precedence_parentheses_and_keywords_in_any_case(org: Org) -> None:
    # and binds tighter than or: a or (b and c)
    assert _names(org, "tier = 'pro' or credit > 0 and is_merchant = true") == ["An", "Dung"]
    assert _names(org, "(tier = 'pro' or credit > 0) and is_merchant = true") == ["Dung"]
    assert _names(org, "tier = 'free' OR credit < 0 AND tier = 'free'") == ["Binh"]
    assert _names(org, "NoT tier = 'pro' aNd credit BETWEEN -100 AnD 20") == ["Binh", "Chi"]
    assert _names(org, "not not tier = 'pro'") == ["An"]
    assert _names(org, "tags HAS 'new' Or last_name IS NOT NULL and last_name IN ('Le')") == ["Binh", "Dung"]


def test_quotes_and_injection_attempts_are_literals(org: Org) -> None:
    assert _names(org, "last_name = 'O''Neil'") == ["An"]
    assert _names(org, "last_name has ''''") == ["An"]
    for attack in (
        "first_name = 'x'' or 1=1 --'",
        "first_name = 'x''); drop table customer; --'",
        "last_name has '%'",
        "last_name has '_'",
        "custom.note has '\\'",
    ):
        assert _names(org, attack) == [], attack
    assert _names(org, "company_name has '&'") == ["Dung"]
    assert _names(org, "tier = 'pro'") == ["An"]  # the table is still there


def test_items_are_shaped_like_the_customer_list_newest_first(org: Org) -> None:
    body = _preview(org, "credit >= -100000").json()
    listed = org.get("/customers", params={"limit": 10}).json()["items"]
    assert body["items"] == listed
    assert body["count"] == 4


def test_errors_name_the_position_and_what_was_expected(org: Org) -> None:
    cases = {
        "credit > 'abc'": (9, "an integer"),
        "nonsense = 1": (0, "Unknown field"),
        "tier = 'pro' and": (16, "Expected"),
        "tier = 'gold'": (7, "tier takes"),
        "(tier = 'pro'": (13, "')'"),
        "tier = 'pro')": (12, "the end of the query"),
        "first_name = 'unclosed": (13, "closing quote"),
        "tags = 'vip'": (5, "does not apply"),
        "credit ~ 1": (7, "Unexpected character"),
        "birthday > 2026-02-30": (11, "not a date"),
        "tier is nul": (8, "'null'"),
        "credit between 1 2": (17, "'and'"),
        "": (0, "empty"),
    }
    for query, (position, text) in cases.items():
        error = _error(org, query)
        assert error["position"] == position, query
        assert text in error["message"], (query, error["message"])


def test_errors_in_vietnamese(org: Org) -> None:
    error = _error(org, "credit > 'abc'", **{"Accept-Language": "vi"})
    assert error["message"].startswith("credit nhận")
    assert error["position"] == 9


def test_a_query_too_long_is_refused(org: Org) -> None:
    error = _error(org, "tier = 'pro' or " * 300 + "tier = 'pro'")
    assert error["position"] == 4000
    response = org.post("/segments/preview", json={"query": 5})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query"
