"""A customer with a record in every table that can refer to one, made through the HTTP API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from patron.db.uow import Database
from tests.factories import Api, Org, loyal_org, unique

FIRST, LAST = "Zephyrine", "Oakenshaw"
EMAIL = "zephyrine.oakenshaw@example.com"
OTHER_EMAIL = "z.oaken@example.org"
PHONE, PHONE_DIGITS = "+84 912 345 678", "912345678"
BIRTHDAY = "1987-06-15"
STREET = "Rue Quincampoix"
VAT_ID = "DE136695976"
# What none of the organization's rows may hold after the erasure.
PERSONAL = (FIRST, LAST, EMAIL, OTHER_EMAIL, PHONE_DIGITS, BIRTHDAY, STREET, VAT_ID)


def keyed() -> dict[str, dict[str, str]]:
    """An Idempotency-Key, so the answer is stored (and must be redacted by an erasure)."""
    return {"headers": {"Idempotency-Key": unique("k")}}


def ok(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json())


@dataclass
class Person:
    org: Org
    id: str
    orders: list[str] = field(default_factory=list)


def everything(api: Api, database: Database) -> Person:
    """A customer with addresses, orders and points, lists, a subscription with consent, an inquiry
    with a reply, interactions, memos, a deal, a company membership, product restrictions, updates
    (event diffs), an idempotent create, a merge journal and a dismissed duplicate pair."""
    org = loyal_org(api)
    ok(org.patch("/organization", json={"custom_fields": {"nickname": {"type": "string"}}}), 200)
    body = {
        "email": EMAIL,
        "first_name": "Zeph",
        "last_name": LAST,
        "birthday": BIRTHDAY,
        "phone": PHONE,
        "other_emails": [OTHER_EMAIL],
        "company_name": f"{LAST} Trading",
        "vat_id": VAT_ID,
        "tags": ["vip"],
        "custom_fields": {"nickname": f"{FIRST} the Great"},
    }
    customer = ok(org.post("/customers", json=body, **keyed()))
    cid = customer["id"]
    person = Person(org, cid)
    ok(org.patch(f"/customers/{cid}", json={"first_name": FIRST, "fax": PHONE}), 200)
    address = {
        "name": f"{FIRST} {LAST}",
        "street": STREET,
        "house_number": "12",
        "postcode": "75004",
        "city": "Paris",
        "country": "FR",
    }
    ok(
        org.post(
            f"/customers/{cid}/addresses", json={**address, "phone": PHONE, "is_default_shipping": True}, **keyed()
        )
    )
    wishlist = ok(org.post(f"/customers/{cid}/lists", json={"name": f"{FIRST}'s birthday"}))
    ok(
        org.post(
            f"/customers/{cid}/lists/{wishlist['id']}/items", json={"product_ref": "SKU-1", "note": f"for {FIRST}"}
        )
    )
    public = org.api.client.post(
        f"/api/v1/public/{org.slug}/newsletter/subscriptions",
        json={"email": EMAIL, "topics": ["news"], "consent_text": "Send me news", "source": "footer"},
    )
    assert public.status_code in (200, 201, 202), public.text
    inquiry = org.api.client.post(
        f"/api/v1/public/{org.slug}/inquiries",
        json={"name": f"{FIRST} {LAST}", "email": EMAIL, "phone": PHONE, "message": f"I am {FIRST}, call {PHONE}"},
    )
    assert inquiry.status_code in (200, 201, 202), inquiry.text
    inquiry_id = inquiry.json()["id"]
    ok(org.post(f"/inquiries/{inquiry_id}/assign", json={"staff_id": org.owner_id}), 200)
    ok(org.post(f"/inquiries/{inquiry_id}/replies", json={"message": f"Dear {FIRST} {LAST}, sure"}, **keyed()), 200)
    converted = ok(org.post(f"/inquiries/{inquiry_id}/convert", json={}), 200)
    assert converted["customer_id"] == cid
    ok(org.post(f"/customers/{cid}/interactions", json={"kind": "call", "summary": f"{FIRST} called from {PHONE}"}))
    ok(org.post(f"/customers/{cid}/memos", json={"body": f"{FIRST} lives at {STREET}"}, **keyed()))
    ok(
        org.post(
            "/deals", json={"title": f"Deal with {FIRST} {LAST}", "value": 1, "currency": "EUR", "customer_id": cid}
        )
    )
    company = ok(org.post("/companies", json={"name": unique("Acme")}))
    ok(org.post(f"/companies/{company['id']}/members", json={"customer_id": cid, "role": "buyer"}))
    ok(org.request("PUT", f"/customers/{cid}/product-restrictions", json={"allow": ["SKU-1"]}), 200)
    for total in (120_000, 45_500):
        order = ok(
            org.post(
                "/orders", json={"external_ref": unique("o"), "total": total, "currency": "USD", "customer_id": cid}
            )
        )
        ok(org.post(f"/orders/{order['id']}/pay"), 200)
        person.orders.append(order["id"])
    ok(org.post(f"/customers/{cid}/points/redeem", json={"points": 20}), 200)
    ok(org.post(f"/customers/{cid}/points/adjust", json={"points": 5, "reason": f"sorry {FIRST}"}), 200)
    _merge_records(org, cid)
    return person


def _merge_records(org: Org, survivor: str) -> None:
    """A merge journal (the customer took another in, then gave it back) and a dismissed pair naming it."""
    other = org.create_customer(first_name="Other", email=unique("other") + "@example.com")
    merge = ok(org.post(f"/customers/{survivor}/merge", json={"from_ids": [other["id"]]}), 200)
    ok(org.post(f"/merges/{merge['merge_id']}/undo"), 200)
    ok(org.post("/duplicates/dismiss", json={"customer_ids": [survivor, other["id"]]}), 200)
