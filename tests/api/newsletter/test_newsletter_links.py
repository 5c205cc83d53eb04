"""A subscriber links to the customer with its email whichever came first (SPEC §7): a
customer created, a guest registered or an email changed after the sign-up links it too."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Org


def _subscribe(org: Org, email: str) -> None:
    response = org.api.client.post(f"/api/v1/public/{org.slug}/newsletter/subscriptions", json={"email": email})
    assert response.status_code == 201, response.text


def _link(org: Org, email: str) -> Any:
    [subscriber] = org.get("/newsletter/subscribers", params={"email": email}).json()["items"]
    return subscriber["customer_id"]


def test_a_customer_created_after_the_sign_up_is_linked_in_any_letter_case(api: Api) -> None:
    org = api.create_org()
    _subscribe(org, "later@example.com")
    _subscribe(org, "untouched@example.com")
    assert _link(org, "later@") is None
    customer = org.create_customer(email="LATER@Example.com")
    assert _link(org, "later@") == customer["id"]
    assert _link(org, "untouched@") is None


def test_customers_created_in_a_batch_are_linked(api: Api) -> None:
    org = api.create_org()
    _subscribe(org, "batch-a@example.com")
    _subscribe(org, "batch-b@example.com")
    rows = [{"email": "batch-a@example.com", "first_name": "A"}, {"email": "batch-b@example.com", "first_name": "B"}]
    created = org.post("/customers/batch", json={"customers": rows})
    assert created.status_code == 201, created.text
    ids = {c["email"]: c["id"] for c in created.json()["items"]}
    assert _link(org, "batch-a@") == ids["batch-a@example.com"]
    assert _link(org, "batch-b@") == ids["batch-b@example.com"]


def test_a_registered_customer_takes_the_link_from_a_guest(api: Api) -> None:
    org = api.create_org()
    _subscribe(org, "guest@example.com")
    guest = org.create_customer(email="guest@example.com", is_guest=True)
    assert _link(org, "guest@") == guest["id"]
    registered = org.post("/customers", json={"email": "guest@example.com", "first_name": "Reg"})
    assert registered.status_code == 200, registered.text  # the guest became registered: same id
    assert registered.json()["id"] == guest["id"]
    assert _link(org, "guest@") == guest["id"]
    # A second guest with the email does not take the link from the registered customer.
    org.create_customer(email="guest@example.com", is_guest=True)
    assert _link(org, "guest@") == guest["id"]


def test_a_customer_whose_email_changes_to_the_subscribers_is_linked(api: Api) -> None:
    org = api.create_org()
    _subscribe(org, "new-address@example.com")
    customer = org.create_customer(email="old-address@example.com")
    assert _link(org, "new-address@") is None
    changed = org.patch(f"/customers/{customer['id']}", json={"email": "New-Address@example.com"})
    assert changed.status_code == 200, changed.text
    assert _link(org, "new-address@") == customer["id"]
    # Leaving the email keeps the link: the subscription is still that person's.
    org.patch(f"/customers/{customer['id']}", json={"email": "third@example.com"})
    assert _link(org, "new-address@") == customer["id"]


def test_another_organizations_customer_links_nothing(api: Api) -> None:
    mine, theirs = api.create_org(), api.create_org()
    _subscribe(mine, "shared@example.com")
    theirs.create_customer(email="shared@example.com")
    assert _link(mine, "shared@") is None
