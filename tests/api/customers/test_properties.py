"""Property: any customer payload gets 201/200 or a 4xx problem+json, never a 500."""

from __future__ import annotations

from typing import Any

import idna
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import Api

_text = st.text(max_size=30)
_maybe = st.one_of(st.none(), _text, st.integers(), st.booleans(), st.lists(_text, max_size=3))
_fields = {
    "email": st.one_of(st.emails(), _text, st.integers()),
    "first_name": st.one_of(_text, st.none()),
    "last_name": _maybe,
    "company_name": _maybe,
    "phone": st.one_of(st.from_regex(r"\+?[0-9 ]{0,16}", fullmatch=True), _maybe),
    "other_phones": st.lists(st.from_regex(r"\+?[0-9 ]{0,14}", fullmatch=True), max_size=3),
    "other_emails": st.lists(st.one_of(st.emails(), _text), max_size=3),
    "birthday": st.one_of(st.dates().map(str), _text),
    "gender": st.sampled_from(["female", "male", "diverse", "x", None]),
    "locale": st.sampled_from(["en", "vi", "de-DE", "zz", "en-ZZ", "", None]),
    "vat_id": st.one_of(st.sampled_from(["DE136695976", "DE1", "0100109106"]), _maybe),
    "credit": st.one_of(st.integers(min_value=-10, max_value=10**16), _maybe),
    "is_guest": st.one_of(st.booleans(), _maybe),
    "tags": st.lists(_text, max_size=4),
    "tier": st.sampled_from(["free", "pro", "gold"]),
    "custom_fields": st.dictionaries(_text, _maybe, max_size=2),
    "customer_number": st.one_of(st.from_regex(r"[A-Z]-[0-9]{1,6}", fullmatch=True), _maybe),
    "id": _maybe,
}
payloads = st.fixed_dictionaries({}, optional=_fields)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=payloads)
def test_customer_create_never_answers_500(api: Api, body: dict[str, Any]) -> None:
    org = _org(api)
    response = org.post("/customers", json=body)
    if response.status_code in (200, 201):
        # Stored lower-cased, with an internationalised domain in Unicode (`xn--3bst00m` -> `集团`).
        local, _, domain = response.json()["email"].rpartition("@")
        assert f"{local}@{idna.encode(domain).decode()}" == str(body["email"]).strip().lower()
    else:
        assert 400 <= response.status_code < 500, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == response.status_code


_orgs: dict[int, Any] = {}


def _org(api: Api) -> Any:
    # One organization per backend for the whole property run: creating one per example is slow.
    key = id(api.client)
    if key not in _orgs:
        _orgs[key] = api.create_org(region="VN")
    return _orgs[key]
