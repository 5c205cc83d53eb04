"""Property: filtered, sorted, searched and cursor-paged lists equal a Python reference, on both databases."""

from __future__ import annotations

import random
import re
from datetime import date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patron.customers import search
from patron.customers.query import FIELDS
from tests.factories import Api, Org

FIRST = ["Anh", "anh", "Bao", "Émile", "Zoe", "zoë", "Ly", None]
LAST = ["Nguyễn", "Tran", "tran", "Lê", "Müller", "O'Neil", "Đặng", None]
COMPANY = ["Acme", "acme", "Đông Á", None]
PHONES = ["0912345678", "0987654321", "+4930123456", None]
DATES = ["1980-02-29", "1990-01-15", "1990-01-16", "2001-12-31", None]
POOLS: dict[str, list[Any]] = {
    "first_name": FIRST,
    "last_name": LAST,
    "company_name": COMPANY,
    "gender": ["female", "male", "diverse", None],
    "birthday": DATES,
    "locale": ["vi", "en", "de"],
    "status": ["lead", "prospect", "customer", "churned"],
    "tier": ["free", "basic", "pro", "enterprise"],
    "source": ["website", "referral", "pos", None],
    "credit": [0, 5, 100, 2500],
    "is_guest": [True, False],
    "is_merchant": [True, False],
    "is_favorite": [True, False],
}
SORTABLE = [*POOLS, "email", "phone", "customer_number", "created_at", "updated_at"]
FILTERABLE = [*SORTABLE, "tags"]
TAGS = ["vip", "b2b", "new"]
QUERIES = ["ngu", "tran", "an", "0912", "acme", "dong a", "example", "zo"]

_crowds: dict[int, tuple[Org, list[dict[str, Any]]]] = {}


def _crowd(api: Api) -> tuple[Org, list[dict[str, Any]]]:
    """~30 random customers in one organization per backend, made once for the whole run."""
    key = id(api.client)
    if key not in _crowds:
        org = api.create_org(region="VN")
        rng = random.Random(20261122)
        customers = []
        for i in range(30):
            body = {name: rng.choice(pool) for name, pool in POOLS.items()}
            body["company_name"] = body["company_name"] if body["first_name"] or body["last_name"] else "Acme"
            body["phone"] = rng.choice(PHONES)
            body["tags"] = rng.sample(TAGS, rng.randint(0, 2))
            body["email"] = f"{rng.choice(['lan', 'Minh', 'zoe'])}.{i}@example.com"
            body["assigned_to"] = rng.choice([org.owner_id, None])
            response = org.post("/customers", json=body)
            assert response.status_code == 201, response.text
            customers.append(response.json())
        _crowds[key] = (org, customers)
    return _crowds[key]


def _typed(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in ("created_at", "updated_at"):
        return datetime.fromisoformat(value)
    if name == "birthday":
        return date.fromisoformat(value)
    return value


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _like(pattern: str, value: str | None) -> bool:
    if value is None:
        return False
    regex = ".*".join(re.escape(part) for part in pattern.translate(_ASCII_LOWER).split("*"))
    return re.fullmatch(regex, value.translate(_ASCII_LOWER), re.DOTALL) is not None


def _holds(op: str, operand: Any, value: Any) -> bool:
    """SQL semantics: a comparison with NULL is never true."""
    if op == "null":
        return (value is None) is operand
    if op == "has":
        return bool(operand in value)
    if op == "like":
        return _like(operand, value)
    if value is None:
        return False
    if op == "in":
        return bool(value in operand)
    return bool(
        {
            "eq": value == operand,
            "lt": value < operand,
            "lte": value <= operand,
            "gt": value > operand,
            "gte": value >= operand,
        }[op]
    )


def _wire(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@st.composite
def conditions(draw: st.DrawFn, customers: list[dict[str, Any]]) -> tuple[str, str, Any]:
    """One filter: its name, its raw parameter value and the operand the reference compares with."""
    name = draw(st.sampled_from(FILTERABLE))
    field = FIELDS[name]
    op = draw(st.sampled_from(field.ops))
    if name == "tags":
        tag = draw(st.sampled_from(TAGS))
        return name, f"has|{tag}", tag
    values = [c[name] for c in customers if c[name] is not None]
    if op == "null":
        flag = draw(st.booleans())
        return name, f"null|{_wire(flag)}", flag
    if op == "in":
        chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3))
        return name, "in|" + ",".join(_wire(v) for v in chosen), [_typed(name, v) for v in chosen]
    value = draw(st.sampled_from(values))
    if op == "like":
        text = str(value)
        cut = draw(st.integers(0, len(text)))
        pattern = draw(st.sampled_from([text[:cut] + "*", "*" + text[cut:], text.swapcase(), text]))
        return name, f"like|{pattern}", pattern
    return name, f"{op}|{_wire(value)}", _typed(name, value)


def _reference(
    customers: list[dict[str, Any]], conds: list[tuple[str, str, Any]], keys: list[tuple[str, bool]], q: str | None
) -> list[str]:
    terms = search.query_terms(q) if q else []
    kept = [
        c
        for c in customers
        if all(_holds(raw.split("|")[0], operand, _typed(name, c[name])) for name, raw, operand in conds)
        and all(any(w.startswith(t) for w in search.document(c).split()) for t in terms)
    ]
    ordered = sorted(kept, key=lambda c: c["id"], reverse=keys[-1][1])
    for name, descending in reversed(keys):
        present = [c for c in ordered if c[name] is not None]
        present.sort(key=lambda c: _typed(name, c[name]), reverse=descending)
        missing = [c for c in ordered if c[name] is None]
        ordered = missing + present if descending else present + missing
    return [c["id"] for c in ordered]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_lists_match_a_python_reference(api: Api, data: st.DataObject) -> None:
    org, customers = _crowd(api)
    conds = data.draw(st.lists(conditions(customers), max_size=3), label="filters")
    names = data.draw(st.lists(st.sampled_from(SORTABLE), min_size=1, max_size=3, unique=True), label="sort")
    keys = [(name, data.draw(st.booleans(), label=f"{name} descending")) for name in names]
    q = data.draw(st.one_of(st.none(), st.sampled_from(QUERIES)), label="q")
    limit = data.draw(st.integers(1, 12), label="limit")

    expected = _reference(customers, conds, keys, q)
    params: list[tuple[str, Any]] = [(f"filter[{name}]", raw) for name, raw, _ in conds]
    params.append(("sort", ",".join(("-" if d else "") + n for n, d in keys)))
    if q:
        params.append(("q", q))
    seen: list[str] = []
    cursor = None
    for _ in range(len(customers) + 2):
        page_params = [*params, ("limit", limit), *([("cursor", cursor)] if cursor else [])]
        response = org.get("/customers", params=page_params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["total"] == len(expected)
        seen.extend(c["id"] for c in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected


_values = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"(eq|like|lt|lte|gt|gte|in|null|has|x)\|.{0,20}", fullmatch=True),
    st.sampled_from(["gt|99999999999999999999", "lt|9223372036854775808", "gt|0001-01-01T00:00:00+01:00", "eq|\x00"]),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    filters=st.lists(st.tuples(st.sampled_from([*FILTERABLE, "group", "nope"]), _values), max_size=3),
    sort=st.one_of(st.none(), st.text(max_size=20)),
    q=st.one_of(st.none(), st.text(max_size=20)),
    cursor=st.one_of(st.none(), st.text(max_size=40)),
)
def test_any_list_query_answers_200_or_a_422_naming_a_parameter(
    api: Api, filters: list[tuple[str, str]], sort: str | None, q: str | None, cursor: str | None
) -> None:
    org, _ = _crowd(api)
    params: list[tuple[str, str]] = [(f"filter[{name}]", value) for name, value in filters]
    params += [(k, v) for k, v in (("sort", sort), ("q", q), ("cursor", cursor)) if v is not None]
    response = org.get("/customers", params=params)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        names = {"sort", "q", "cursor", "offset", *(k for k, _ in params)}
        assert {e["field"] for e in response.json()["errors"]} <= names, response.text
