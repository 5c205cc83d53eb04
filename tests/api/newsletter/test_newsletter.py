"""Newsletter: public sign-up, double opt-in, signed links, staff lists and statistics."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from patron.newsletter.rules import LinkSigner
from tests.conftest import SECRET_KEY
from tests.factories import Api, Org, unique

SIGNER = LinkSigner(SECRET_KEY.encode(), "http://127.0.0.1:8000/api/v1/public/newsletter")


def subscribe(org: Org, **body: Any) -> httpx.Response:
    return org.api.client.post(f"/api/v1/public/{org.slug}/newsletter/subscriptions", json=body)


def subscribers(org: Org, **params: Any) -> dict[str, Any]:
    response = org.get("/newsletter/subscribers", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def only(org: Org) -> dict[str, Any]:
    page = subscribers(org)
    assert page["total"] == 1
    return dict(page["items"][0])


def link_path(url: str) -> str:
    """The path of a link the API gave out (its host is the configured public address)."""
    return httpx.URL(url).path


def test_subscribing_twice_keeps_one_row_and_merges_topics(api: Api) -> None:
    org = api.create_org()
    first = subscribe(org, email="Lan@Example.com", topics=["offers"], locale="vi")
    assert first.status_code == 201, first.text
    assert first.json() == {"status": "subscribed"}
    again = subscribe(org, email="lan@example.com", topics=["News", "offers"])
    assert again.status_code == 200
    assert again.json() == {"status": "subscribed"}
    item = only(org)
    assert item["email"] == "lan@example.com"
    assert item["topics"] == ["offers", "news"]
    assert item["locale"] == "vi"
    assert item["status"] == "subscribed"
    assert item["subscribed_at"] is not None
    assert item["unsubscribe_url"].startswith("http://")
    types = [e["type"] for e in org.events() if e["subject_id"] == item["id"]]
    assert types == ["subscriber.subscribed", "subscriber.topics_changed"]
    assert all(e["actor"] == {"type": "public", "id": None} for e in org.events() if e["subject_id"] == item["id"])


def test_concurrent_sign_ups_of_one_email_leave_one_row(api: Api) -> None:
    org = api.create_org()
    email = f"{unique('race')}@example.com"

    def sign_up(i: int) -> int:
        return subscribe(org, email=email.upper() if i % 2 else email, topics=[f"t{i}"]).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(sign_up, range(8)))
    assert statuses.count(201) == 1, statuses
    assert set(statuses) == {200, 201}
    assert sorted(only(org)["topics"]) == sorted(f"t{i}" for i in range(8))


def test_public_answers_reveal_nothing_and_validate_input(api: Api) -> None:
    org = api.create_org()
    org.create_customer(email="known@example.com")
    unknown = api.client.post("/api/v1/public/no-such-org/newsletter/subscriptions", json={"email": "a@example.com"})
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "organization.not_found"
    bad = subscribe(org, email="not-an-email")
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["email"]
    assert [e["field"] for e in subscribe(org, email="a@example.com", topics=["no spaces"]).json()["errors"]] == [
        "topics[0]"
    ]
    assert subscribe(org, email="a@example.com", locale="xx-QQ").json()["errors"][0]["field"] == "locale"
    assert subscribe(org, email="a@example.com", status="subscribed").json()["errors"][0]["field"] == "status"
    assert subscribe(org, email="known@example.com").json() == {"status": "subscribed"}
    assert subscribers(org)["total"] == 1
    for path in ("/newsletter/subscribers", "/newsletter/stats"):
        assert api.client.get(f"/api/v1{path}").status_code == 401
    assert api.client.get(f"/api/v1/public/{org.slug}/newsletter/subscriptions").status_code == 405


def test_a_subscriber_links_to_the_customer_with_that_email(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer(email="linked@example.com")
    subscribe(org, email="LINKED@example.com")
    subscribe(org, email="stranger@example.com")
    by_email = {s["email"]: s for s in subscribers(org)["items"]}
    assert by_email["linked@example.com"]["customer_id"] == customer["id"]
    assert by_email["stranger@example.com"]["customer_id"] is None
    later = org.create_customer(email="stranger@example.com")
    subscribe(org, email="stranger@example.com")  # signing up again links the customer created since
    assert subscribers(org, email="stranger@")["items"][0]["customer_id"] == later["id"]


def test_unsubscribe_by_link_and_one_click_post_then_resubscribe(api: Api) -> None:
    org = api.create_org()
    subscribe(org, email="bye@example.com", topics=["news"])
    url = only(org)["unsubscribe_url"]
    gone = api.client.get(link_path(url))
    assert gone.status_code == 200, gone.text
    assert gone.json() == {"status": "unsubscribed"}
    # RFC 8058 one-click: a form POST with no session; repeating is harmless.
    one_click = api.client.post(
        link_path(url),
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status_code == 200
    assert one_click.json() == {"status": "unsubscribed"}
    item = only(org)
    assert item["status"] == "unsubscribed"
    assert item["unsubscribed_at"] is not None
    again = subscribe(org, email="bye@example.com")
    assert again.status_code == 200
    assert again.json() == {"status": "subscribed"}
    assert only(org)["status"] == "subscribed"
    types = [e["type"] for e in org.events() if e["type"].startswith("subscriber.")]
    assert types == ["subscriber.subscribed", "subscriber.unsubscribed", "subscriber.subscribed"]


def test_forged_and_foreign_tokens_answer_404_and_change_nothing(api: Api) -> None:
    org = api.create_org()
    other = api.create_org()
    subscribe(org, email="safe@example.com")
    item = only(org)
    token = link_path(item["unsubscribe_url"]).rsplit("/", 1)[1]
    assert len(token) >= 64
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    sub_id, org_id = uuid.UUID(item["id"]), uuid.UUID(org.id)
    forgeries = [
        flipped,
        "garbage",
        "",
        LinkSigner(b"another-secret-key-0000", "x").token("unsubscribe", org_id, sub_id, 1),
        SIGNER.token("confirm", org_id, sub_id, 1),  # right key, wrong purpose
        SIGNER.token("unsubscribe", uuid.UUID(other.id), sub_id, 1),  # another organization
        SIGNER.token("unsubscribe", org_id, sub_id, 2),  # a version not issued yet
    ]
    for forged in forgeries:
        for method in ("GET", "POST"):
            response = api.client.request(method, f"/api/v1/public/newsletter/unsubscribe/{forged}")
            assert response.status_code == 404, (forged, response.text)
    assert only(org)["status"] == "subscribed"


def test_revoking_links_invalidates_old_ones(api: Api) -> None:
    org = api.create_org()
    subscribe(org, email="rot@example.com")
    item = only(org)
    revoked = org.post(f"/newsletter/subscribers/{item['id']}/revoke-links")
    assert revoked.status_code == 200, revoked.text
    new_url = revoked.json()["unsubscribe_url"]
    assert new_url != item["unsubscribe_url"]
    assert api.client.get(link_path(item["unsubscribe_url"])).status_code == 404
    assert only(org)["status"] == "subscribed"
    assert api.client.get(link_path(new_url)).json() == {"status": "unsubscribed"}


def test_double_opt_in_keeps_a_subscriber_pending_until_the_link(api: Api) -> None:
    org = api.create_org()
    assert org.patch("/organization", json={"double_opt_in": True}).status_code == 200
    response = api.client.post(
        f"/api/v1/public/{org.slug}/newsletter/subscriptions",
        json={"email": "careful@example.com", "topics": ["news"], "consent_text": "Send me news", "source": "footer"},
        headers={"User-Agent": "test-browser/1.0"},
    )
    assert response.status_code == 201
    assert response.json() == {"status": "pending"}
    item = only(org)
    assert item["status"] == "pending"
    assert item["opt_in_level"] == "double"
    assert item["subscribed_at"] is None
    assert org.get("/newsletter/stats").json()["pending"] == 1
    confirm = SIGNER.token("confirm", uuid.UUID(org.id), uuid.UUID(item["id"]), 1)
    assert api.client.get(f"/api/v1/public/newsletter/confirm/{confirm[:-3]}xyz").status_code == 404
    unsubscribe_token = link_path(item["unsubscribe_url"]).rsplit("/", 1)[1]
    assert api.client.get(f"/api/v1/public/newsletter/confirm/{unsubscribe_token}").status_code == 404
    confirmed = api.client.get(f"/api/v1/public/newsletter/confirm/{confirm}", headers={"User-Agent": "mail-app"})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json() == {"status": "subscribed"}
    assert api.client.get(f"/api/v1/public/newsletter/confirm/{confirm}").json() == {"status": "subscribed"}
    item = only(org)
    assert item["status"] == "subscribed"
    assert item["confirmed_at"] is not None
    types = [e["type"] for e in org.events() if e["subject_id"] == item["id"]]
    assert types == ["subscriber.subscribed", "subscriber.confirmed"]

    detail = org.get(f"/newsletter/subscribers/{item['id']}").json()
    consents = detail["consents"]
    assert [c["action"] for c in consents] == ["subscribe", "confirm"]
    assert consents[0]["consent_text"] == "Send me news"
    assert consents[0]["source"] == "footer"
    assert consents[0]["user_agent"] == "test-browser/1.0"
    assert consents[0]["ip_address"]
    assert consents[0]["opt_in_level"] == "double"
    assert consents[1]["user_agent"] == "mail-app"


def test_stats_match_the_rows_and_filters_select_them(api: Api) -> None:
    org = api.create_org()
    for i, topics in enumerate([["news"], ["news", "offers"], ["offers"], [], ["news"]]):
        assert subscribe(org, email=f"s{i}@example.com", topics=topics).status_code == 201
    org.patch("/organization", json={"double_opt_in": True})
    subscribe(org, email="pending@example.com", topics=["news"])
    s0 = subscribers(org, email="s0@")["items"]
    assert [s["email"] for s in s0] == ["s0@example.com"]
    api.client.get(link_path(s0[0]["unsubscribe_url"]))

    stats = org.get("/newsletter/stats").json()
    rows = subscribers(org, limit=500)["items"]
    assert stats["total"] == len(rows) == 6
    for status in ("subscribed", "pending", "unsubscribed"):
        expected = sum(r["status"] == status for r in rows)
        assert stats[status] == stats["by_status"][status] == expected
        assert subscribers(org, status=status)["total"] == expected
    assert (stats["subscribed"], stats["pending"], stats["unsubscribed"]) == (4, 1, 1)
    assert stats["new_this_month"] == 6
    assert stats["by_topic"] == {"news": 2, "offers": 2}
    assert subscribers(org, topic="offers")["total"] == 2
    assert subscribers(org, topic="NEWS", status="subscribed")["total"] == 2
    page = subscribers(org, limit=2, offset=2)
    assert (page["total"], len(page["items"]), page["limit"], page["offset"]) == (6, 2, 2, 2)
    assert org.get("/newsletter/subscribers", params={"status": "gone"}).json()["errors"][0]["field"] == "status"


def test_other_organizations_subscribers_answer_404(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    subscribe(theirs, email="theirs@example.com")
    their_id = only(theirs)["id"]
    assert mine.get(f"/newsletter/subscribers/{their_id}").status_code == 404
    response = mine.post(f"/newsletter/subscribers/{their_id}/revoke-links")
    assert response.status_code == 404
    assert response.json()["code"] == "subscriber.not_found"
    assert subscribers(mine)["total"] == 0
    assert mine.get("/newsletter/stats").json()["total"] == 0
    assert (
        only(theirs)["unsubscribe_url"]
        == theirs.get(f"/newsletter/subscribers/{their_id}").json()["subscriber"]["unsubscribe_url"]
    )
