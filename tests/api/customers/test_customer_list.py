"""Finding customers (SPEC §8): filters, sorting, paging, cursors, search, on both databases."""

from __future__ import annotations

from typing import Any

import pytest

from patron.customers import listing
from tests.factories import Api, Org


def _names(org: Org, **params: Any) -> list[str]:
    response = org.get("/customers", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return [c["first_name"] for c in response.json()["items"]]


def _found(org: Org, **params: Any) -> set[str]:
    return set(_names(org, **params))


def _error(org: Org, **params: Any) -> dict[str, Any]:
    response = org.get("/customers", params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert len(problem["errors"]) == 1
    return dict(problem["errors"][0])


@pytest.fixture
def crowd(api: Api) -> tuple[Org, dict[str, dict[str, Any]]]:
    org = api.create_org(region="VN", locale="vi")
    people = {
        "Anna": org.create_customer(
            first_name="Anna",
            last_name="Müller",
            email="anna@example.com",
            phone="0912 345 678",
            gender="female",
            birthday="1990-01-15",
            tier="pro",
            source="website",
            tags=["vip", "b2b"],
            credit=500,
            is_merchant=True,
            company_name="Acme",
            vat_id="DE136695976",
            assigned_to=org.owner_id,
        ),
        "Binh": org.create_customer(
            first_name="Binh",
            last_name="Nguyễn",
            email="binh@example.com",
            gender="male",
            birthday="1985-06-01",
            source="referral",
            tags=["vip"],
            is_guest=True,
        ),
        "Chi": org.create_customer(
            first_name="Chi",
            last_name="Đặng",
            email="chi@example.com",
            tier="basic",
            credit=1500,
            is_favorite=True,
            company_name="Đặng Trading",
            status="prospect",
        ),
        "Dieter": org.create_customer(
            first_name="Dieter", email="dieter@example.de", company_name="Zeta GmbH", tier="enterprise", credit=20
        ),
    }
    return org, people


def test_text_filters_support_every_operator(crowd: tuple[Org, dict[str, Any]]) -> None:
    org, _ = crowd
    assert _found(org, **{"filter[first_name]": "Anna"}) == {"Anna"}
    assert _found(org, **{"filter[first_name]": "eq|Anna"}) == {"Anna"}
    assert _found(org, **{"filter[email]": "eq|ANNA@example.com"}) == {"Anna"}
    assert _found(org, **{"filter[company_name]": "like|*GMBH"}) == {"Dieter"}
    assert _found(org, **{"filter[email]": "like|*@example.com"}) == {"Anna", "Binh", "Chi"}
    # ASCII letters match in any case; others as written (the same on both databases).
    assert _found(org, **{"filter[last_name]": "like|mULLER"}) == set()
    assert _found(org, **{"filter[last_name]": "like|MüLLER"}) == {"Anna"}
    assert _found(org, **{"filter[last_name]": "like|MÜLLER"}) == set()
    assert _found(org, **{"filter[first_name]": "like|_nna"}) == set()  # `_` is literal, only `*` is a wildcard
    assert _found(org, **{"filter[first_name]": "lt|Binh"}) == {"Anna"}
    assert _found(org, **{"filter[first_name]": "lte|Binh"}) == {"Anna", "Binh"}
    assert _found(org, **{"filter[first_name]": "gt|Chi"}) == {"Dieter"}
    assert _found(org, **{"filter[first_name]": "gte|Chi"}) == {"Chi", "Dieter"}
    assert _found(org, **{"filter[first_name]": "in|Anna,Chi,Nobody"}) == {"Anna", "Chi"}
    assert _found(org, **{"filter[last_name]": "null|true"}) == {"Dieter"}
    assert _found(org, **{"filter[last_name]": "null|false"}) == {"Anna", "Binh", "Chi"}
    assert _found(org, **{"filter[phone]": "eq|+84912345678"}) == {"Anna"}
    assert _found(org, **{"filter[vat_id]": "null|false"}) == {"Anna"}
    assert _found(org, **{"filter[locale]": "eq|vi"}) == {"Anna", "Binh", "Chi", "Dieter"}
    assert _found(org, **{"filter[customer_number]": "like|C-*"}) == {"Anna", "Binh", "Chi", "Dieter"}


def test_enum_date_int_bool_uuid_and_tag_filters(crowd: tuple[Org, dict[str, Any]]) -> None:
    org, people = crowd
    assert _found(org, **{"filter[gender]": "female"}) == {"Anna"}
    assert _found(org, **{"filter[gender]": "in|female,male"}) == {"Anna", "Binh"}
    assert _found(org, **{"filter[gender]": "null|true"}) == {"Chi", "Dieter"}
    assert _found(org, **{"filter[status]": "eq|prospect"}) == {"Chi"}
    assert _found(org, **{"filter[tier]": "in|pro,enterprise"}) == {"Anna", "Dieter"}
    assert _found(org, **{"filter[source]": "null|false"}) == {"Anna", "Binh"}
    assert _found(org, **{"filter[birthday]": "eq|1990-01-15"}) == {"Anna"}
    assert _found(org, **{"filter[birthday]": "lt|1990-01-15"}) == {"Binh"}
    assert _found(org, **{"filter[birthday]": "lte|1990-01-15"}) == {"Anna", "Binh"}
    assert _found(org, **{"filter[birthday]": "gt|1985-06-01"}) == {"Anna"}
    assert _found(org, **{"filter[birthday]": "gte|1985-06-01"}) == {"Anna", "Binh"}
    assert _found(org, **{"filter[birthday]": "in|1985-06-01,2000-01-01"}) == {"Binh"}
    assert _found(org, **{"filter[birthday]": "null|true"}) == {"Chi", "Dieter"}
    assert _found(org, **{"filter[credit]": "eq|20"}) == {"Dieter"}
    assert _found(org, **{"filter[credit]": "lt|20"}) == {"Binh"}
    assert _found(org, **{"filter[credit]": "lte|20"}) == {"Binh", "Dieter"}
    assert _found(org, **{"filter[credit]": "gt|500"}) == {"Chi"}
    assert _found(org, **{"filter[credit]": "gte|500"}) == {"Anna", "Chi"}
    assert _found(org, **{"filter[credit]": "in|0,1500"}) == {"Binh", "Chi"}
    assert _found(org, **{"filter[is_guest]": "true"}) == {"Binh"}
    assert _found(org, **{"filter[is_merchant]": "eq|true"}) == {"Anna"}
    assert _found(org, **{"filter[is_favorite]": "eq|false"}) == {"Anna", "Binh", "Dieter"}
    assert _found(org, **{"filter[assigned_to]": f"eq|{org.owner_id}"}) == {"Anna"}
    assert _found(org, **{"filter[assigned_to]": f"in|{org.owner_id},{people['Chi']['id']}"}) == {"Anna"}
    assert _found(org, **{"filter[assigned_to]": "null|true"}) == {"Binh", "Chi", "Dieter"}
    assert _found(org, **{"filter[group]": "null|true"}) == {"Anna", "Binh", "Chi", "Dieter"}
    assert _found(org, **{"filter[group]": f"eq|{people['Anna']['id']}"}) == set()
    assert _found(org, **{"filter[tags]": "has|vip"}) == {"Anna", "Binh"}
    assert _found(org, **{"filter[tags]": "B2B"}) == {"Anna"}


def test_datetime_filters_and_filters_combine_with_and(crowd: tuple[Org, dict[str, Any]]) -> None:
    org, people = crowd
    anna, chi = people["Anna"], people["Chi"]
    assert _found(org, **{"filter[created_at]": f"eq|{anna['created_at']}"}) == {"Anna"}
    assert _found(org, **{"filter[created_at]": f"gt|{anna['created_at']}"}) == {"Binh", "Chi", "Dieter"}
    assert _found(org, **{"filter[created_at]": f"gte|{chi['created_at']}"}) == {"Chi", "Dieter"}
    assert _found(org, **{"filter[created_at]": f"lt|{chi['created_at']}"}) == {"Anna", "Binh"}
    assert _found(org, **{"filter[created_at]": f"lte|{anna['created_at']}"}) == {"Anna"}
    assert _found(org, **{"filter[created_at]": "gt|2000-01-01T07:00:00+07:00"}) == {"Anna", "Binh", "Chi", "Dieter"}
    changed = org.patch(f"/customers/{anna['id']}", json={"credit": 501}).json()
    assert _found(org, **{"filter[updated_at]": f"gte|{changed['updated_at']}"}) == {"Anna"}
    params = [("filter[tier]", "in|pro,basic,free"), ("filter[credit]", "gte|100"), ("filter[credit]", "lt|1000")]
    response = org.get("/customers", params=params)
    assert [c["first_name"] for c in response.json()["items"]] == ["Anna"]
    assert response.json()["total"] == 1


def test_bad_filters_answer_422_naming_the_parameter(crowd: tuple[Org, dict[str, Any]]) -> None:
    org, _ = crowd
    assert _error(org, **{"filter[nickname]": "x"})["field"] == "filter[nickname]"
    error = _error(org, **{"filter[credit]": "like|5*"})
    assert error["field"] == "filter[credit]"
    assert "like" in error["message"]
    assert _error(org, **{"filter[tags]": "eq|vip"})["field"] == "filter[tags]"
    assert _error(org, **{"filter[email]": "null|true"})["field"] == "filter[email]"  # never null
    assert _error(org, **{"filter[first_name]": "between|a"})["field"] == "filter[first_name]"
    for field, value in [
        ("credit", "abc"),
        ("credit", "gt|1.5"),
        ("birthday", "lt|yesterday"),
        ("created_at", "gt|soon"),
        ("is_guest", "maybe"),
        ("status", "vip"),
        ("gender", "in|female,robot"),
        ("group", "eq|not-a-uuid"),
        ("first_name", "null|yes"),
        ("credit", "in|1,,2"),
    ]:
        error = _error(org, **{f"filter[{field}]": value})
        assert error["field"] == f"filter[{field}]", (field, value)
    assert _error(org, filter="x")["field"] == "filter"
    assert _error(org, sort="nickname")["field"] == "sort"
    assert _error(org, sort="tags")["field"] == "sort"
    assert _error(org, sort="tier,-tier")["field"] == "sort"


def _sorted_ids(customers: list[dict[str, Any]], keys: list[tuple[str, bool]]) -> list[str]:
    """Reference order: each key ascending with NULLs last (descending: reversed, NULLs first), id last."""
    ordered = sorted(customers, key=lambda c: c["id"], reverse=keys[-1][1])
    for name, descending in reversed(keys):
        present = sorted((c for c in ordered if c[name] is not None), key=lambda c: c[name], reverse=descending)
        missing = [c for c in ordered if c[name] is None]
        ordered = missing + present if descending else present + missing
    return [c["id"] for c in ordered]


def test_multi_key_sort_is_stable_and_total(api: Api) -> None:
    org = api.create_org()
    customers = [
        org.create_customer(first_name=f"S{i}", last_name=[None, "Le", "An"][i % 3], tier=["pro", "free"][i % 2])
        for i in range(9)
    ]
    for sort, keys in [
        ("tier,-last_name", [("tier", False), ("last_name", True)]),
        ("-tier,last_name", [("tier", True), ("last_name", False)]),
        ("last_name", [("last_name", False)]),
        ("-last_name", [("last_name", True)]),
    ]:
        expected = _sorted_ids(customers, keys)
        for _ in range(2):
            got = [c["id"] for c in org.get("/customers", params={"sort": sort}).json()["items"]]
            assert got == expected, sort
        paged = [
            c["id"]
            for offset in (0, 4, 8)
            for c in org.get("/customers", params={"sort": sort, "limit": 4, "offset": offset}).json()["items"]
        ]
        assert paged == expected, sort


def test_cursor_paging_visits_every_row_once_while_rows_are_inserted(api: Api) -> None:
    org = api.create_org()
    originals = {
        org.create_customer(first_name=f"O{i}", last_name=[None, "Tran", "Bui", "Vo"][i % 4])["id"] for i in range(14)
    }
    for sort in ("last_name,-created_at", "-last_name", "-created_at"):
        seen: list[str] = []
        cursor = None
        added = 0
        while True:
            params: dict[str, Any] = {"sort": sort, "limit": 4, **({"cursor": cursor} if cursor else {})}
            page = org.get("/customers", params=params).json()
            seen.extend(c["id"] for c in page["items"])
            # Rows appear before and after the cursor position while we page.
            org.create_customer(first_name=f"N{added}", last_name=["Aa", None, "Zz"][added % 3])
            added += 1
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)), sort
        assert originals <= set(seen), sort


def test_cursor_is_bound_to_the_query_and_tampering_is_422(api: Api) -> None:
    org = api.create_org()
    for i in range(3):
        org.create_customer(first_name=f"T{i}")
    page = org.get("/customers", params={"limit": 1, "sort": "first_name"}).json()
    cursor = page["next_cursor"]
    assert cursor
    follow = org.get("/customers", params={"limit": 1, "sort": "first_name", "cursor": cursor}).json()
    assert [c["first_name"] for c in follow["items"]] == ["T1"]
    assert _error(org, cursor=cursor, sort="-first_name", limit=1)["field"] == "cursor"
    assert _error(org, cursor=cursor, sort="first_name", **{"filter[tier]": "pro"})["field"] == "cursor"
    assert _error(org, cursor=cursor, sort="first_name", q="t")["field"] == "cursor"
    assert _error(org, cursor=cursor[:-3] + "xyz", sort="first_name")["field"] == "cursor"
    assert _error(org, cursor="garbage!", sort="first_name")["field"] == "cursor"
    assert _error(org, cursor=cursor, sort="first_name", offset=2)["field"] == "offset"


def test_total_is_capped_with_a_flag(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    org = api.create_org()
    for i in range(5):
        org.create_customer(first_name=f"C{i}")
    page = org.get("/customers", params={"limit": 2}).json()
    assert (page["total"], page["total_is_capped"]) == (5, False)
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    page = org.get("/customers", params={"limit": 2}).json()
    assert (page["total"], page["total_is_capped"]) == (3, True)
    assert len(page["items"]) == 2


def test_every_page_carries_the_total_even_past_the_end(api: Api) -> None:
    org = api.create_org()
    for i in range(5):
        org.create_customer(first_name=f"C{i}", tier="pro" if i % 2 else "free")
    pages = [org.get("/customers", params={"limit": 2, "offset": offset}).json() for offset in (0, 2, 4, 6)]
    assert [(len(p["items"]), p["total"]) for p in pages] == [(2, 5), (2, 5), (1, 5), (0, 5)]
    filtered = {"filter[tier]": "pro", "limit": 1}
    first = org.get("/customers", params=filtered).json()
    last = org.get("/customers", params={**filtered, "cursor": first["next_cursor"]}).json()
    assert [(len(p["items"]), p["total"]) for p in (first, last)] == [(1, 2), (1, 2)]
    assert last["next_cursor"] is None


def test_search_ignores_accents_and_case_and_matches_prefixes(crowd: tuple[Org, dict[str, Any]]) -> None:
    org, _ = crowd
    assert _found(org, q="nguyen") == {"Binh"}
    assert _found(org, q="NGUYỄN") == {"Binh"}
    assert _found(org, q="ngu") == {"Binh"}
    assert _found(org, q="dang") == {"Chi"}
    assert _found(org, q="Đặng trad") == {"Chi"}
    assert _found(org, q="muller") == {"Anna"}
    assert _found(org, q="Müll") == {"Anna"}
    assert _found(org, q="0912") == {"Anna"}
    assert _found(org, q="0912 345") == {"Anna"}
    assert _found(org, q="+84 912") == {"Anna"}
    assert _found(org, q="84912345678") == {"Anna"}
    assert _found(org, q="dieter@example") == {"Dieter"}
    assert _found(org, q="example") == {"Anna", "Binh", "Chi", "Dieter"}
    assert _found(org, q="zeta") == {"Dieter"}
    assert _found(org, q="C-00000") == {"Anna", "Binh", "Chi", "Dieter"}
    assert _found(org, q="binh nguyen") == {"Binh"}
    assert _found(org, q="binh muller") == set()
    assert _found(org, q="guyen") == set()  # prefixes, not substrings


def test_search_combines_with_filters_and_sort_and_follows_writes(crowd: tuple[Org, dict[str, Any]]) -> None:
    org, people = crowd
    assert _names(org, q="example", sort="-credit") == ["Chi", "Anna", "Dieter", "Binh"]
    assert _names(org, q="example", sort="first_name", **{"filter[tags]": "vip"}) == ["Anna", "Binh"]
    page = org.get("/customers", params={"q": "example", "limit": 3, "sort": "first_name"}).json()
    assert page["total"] == 4
    rest = org.get(
        "/customers", params={"q": "example", "limit": 3, "sort": "first_name", "cursor": page["next_cursor"]}
    )
    assert [c["first_name"] for c in rest.json()["items"]] == ["Dieter"]

    org.patch(f"/customers/{people['Chi']['id']}", json={"last_name": "Phạm", "phone": "+84 987 654 321"})
    assert _found(org, q="dang") == {"Chi"}  # still in the company name
    assert _found(org, q="pham") == {"Chi"}
    assert _found(org, q="0987") == {"Chi"}
    org.delete(f"/customers/{people['Binh']['id']}")
    assert _found(org, q="nguyen") == set()
    org.post(f"/customers/{people['Binh']['id']}/restore")
    assert _found(org, q="nguyen") == {"Binh"}
    # The guest registers: same customer, new name, still found, by the new name too.
    registered = org.post("/customers", json={"email": "binh@example.com", "first_name": "Bình", "last_name": "Hoàng"})
    assert registered.status_code == 200, registered.text
    assert _found(org, q="hoang binh") == {"Bình"}


def test_search_and_lists_stay_inside_the_organization(api: Api) -> None:
    mine, theirs = api.create_org(), api.create_org()
    mine.create_customer(first_name="Quyen", last_name="Lý")
    theirs.create_customer(first_name="Quyen", last_name="Lý")
    assert len(mine.get("/customers", params={"q": "quyen ly"}).json()["items"]) == 1
    assert mine.get("/customers", params={"q": "quyen ly"}).json()["total"] == 1


@pytest.mark.parametrize("sort_matches_up_to", [0, 1_000])
def test_search_pages_and_counts_alike_by_either_plan(
    api: Api, monkeypatch: pytest.MonkeyPatch, sort_matches_up_to: int
) -> None:
    """SQLite walks the list order index past _SORT_MATCHES_UP_TO matches, else sorts them."""
    monkeypatch.setattr(listing, "_SORT_MATCHES_UP_TO", sort_matches_up_to)
    org = api.create_org()
    created = [org.create_customer(first_name=f"Lan{i}", last_name="Nguyễn") for i in range(7)]
    org.create_customer(first_name="Lan", last_name="Trần")
    assert org.delete(f"/customers/{created[2]['id']}").status_code == 204
    expected = [c["id"] for c in reversed(created) if c is not created[2]]
    for filters in ({}, {"filter[is_guest]": "false"}):
        seen: list[str] = []
        cursor = None
        while True:
            params = {"q": "nguyen lan", "limit": 2, **filters, **({"cursor": cursor} if cursor else {})}
            page = org.get("/customers", params=params).json()
            assert (page["total"], page["total_is_capped"]) == (6, False)
            seen += [c["id"] for c in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == expected, filters
        page = org.get("/customers", params={"q": "nguyen lan", "limit": 2, "offset": 3, **filters}).json()
        assert ([c["id"] for c in page["items"]], page["total"]) == (expected[3:5], 6)
        page = org.get("/customers", params={"q": "nguyen lan", "limit": 2, "offset": 6, **filters}).json()
        assert (page["items"], page["total"], page["next_cursor"]) == ([], 6, None)


def test_search_total_is_capped_lower_with_a_flag(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    org = api.create_org()
    for i in range(4):
        org.create_customer(first_name=f"Hoa{i}")
    monkeypatch.setattr(listing, "SEARCH_COUNT_CAP", 2)
    page = org.get("/customers", params={"q": "hoa", "limit": 1}).json()
    assert (page["total"], page["total_is_capped"]) == (2, True)
    page = org.get("/customers", params={"limit": 1}).json()
    assert (page["total"], page["total_is_capped"]) == (4, False)
    page = org.get("/customers", params={"q": "hoa", "limit": 1, "filter[is_guest]": "false"}).json()
    assert (page["total"], page["total_is_capped"]) == (2, True)


def test_a_bare_filter_value_with_a_star_is_a_like_pattern(api: Api) -> None:
    org = api.create_org()
    for first, last in [("Binh", "Nguyễn"), ("Chi", "Ngô"), ("Dung", "Nguyen Van"), ("Em", "Pham")]:
        org.create_customer(first_name=first, last_name=last)
    assert _found(org, **{"filter[last_name]": "Ngu*"}) == {"Binh", "Dung"}
    assert _found(org, **{"filter[last_name]": "*n"}) == {"Binh", "Dung"}
    assert _found(org, **{"filter[last_name]": "N*"}) == {"Binh", "Chi", "Dung"}
    # `eq|` compares literally: no customer is called "Ngu*".
    assert _found(org, **{"filter[last_name]": "eq|Ngu*"}) == set()
