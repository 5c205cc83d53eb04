"""The newsletter's public links answer a small HTML page in the subscriber's language when
the client prefers text/html (a browser), JSON otherwise; invalid links answer 404 both ways."""

from __future__ import annotations

import html
import re
import uuid

import httpx
import pytest

from patron.http import pages
from patron.kernel.messages import Message, catalog
from patron.newsletter.rules import LinkSigner
from tests.conftest import SECRET_KEY
from tests.factories import Api, Org

SIGNER = LinkSigner(SECRET_KEY.encode(), "http://127.0.0.1:8000/api/v1/public/newsletter")
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
TITLES = {
    ("en", "subscribed"): "Subscription confirmed",
    ("vi", "subscribed"): "Đã xác nhận đăng ký",
    ("en", "unsubscribed"): "You are unsubscribed",
    ("vi", "unsubscribed"): "Bạn đã hủy đăng ký",
    ("en", "link_not_found"): "This link is not valid",
    ("vi", "link_not_found"): "Liên kết này không hợp lệ",
}


def _pending(api: Api, locale: str, email: str = "reader@example.com") -> tuple[Org, str]:
    org = api.create_org()
    assert org.patch("/organization", json={"double_opt_in": True}).status_code == 200
    signed = api.client.post(
        f"/api/v1/public/{org.slug}/newsletter/subscriptions", json={"email": email, "locale": locale}
    )
    assert signed.status_code == 201, signed.text
    [item] = org.get("/newsletter/subscribers").json()["items"]
    return org, str(item["id"])


def _title(page: httpx.Response) -> str:
    found = re.search(r"<h1>(.*?)</h1>", page.text)
    assert found is not None, page.text
    return html.unescape(found.group(1))


def _is_page(response: httpx.Response, lang: str) -> None:
    assert response.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in response.text
    assert response.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    # Nothing loaded from anywhere: no scripts, links, images or remote URLs.
    assert not re.search(r"<script|<link|<img|src=|href=|https?://", response.text)


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_a_browser_gets_pages_in_the_subscribers_language(api: Api, locale: str) -> None:
    org, subscriber_id = _pending(api, "vi-VN" if locale == "vi" else "en-GB")
    ids = (uuid.UUID(org.id), uuid.UUID(subscriber_id), 1)
    # The browser's own language does not matter: the subscriber's does.
    headers = {**BROWSER, "Accept-Language": "de" if locale == "vi" else "vi"}
    confirmed = api.client.get(f"/api/v1/public/newsletter/confirm/{SIGNER.token('confirm', *ids)}", headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    _is_page(confirmed, locale)
    assert _title(confirmed) == TITLES[(locale, "subscribed")]
    assert org.get(f"/newsletter/subscribers/{subscriber_id}").json()["subscriber"]["status"] == "subscribed"
    unsubscribe = f"/api/v1/public/newsletter/unsubscribe/{SIGNER.token('unsubscribe', *ids)}"
    for _ in range(2):  # repeating the link is harmless and says the same
        left = api.client.get(unsubscribe, headers=headers)
        assert left.status_code == 200
        _is_page(left, locale)
        assert _title(left) == TITLES[(locale, "unsubscribed")]


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_an_invalid_link_is_a_404_page_in_the_browsers_language(api: Api, locale: str) -> None:
    org, subscriber_id = _pending(api, "en")
    forged = SIGNER.token("confirm", uuid.UUID(org.id), uuid.UUID(subscriber_id), 2)  # a revoked version
    for path in (f"confirm/{forged}", "unsubscribe/not-a-token", f"unsubscribe/{forged}"):
        response = api.client.get(f"/api/v1/public/newsletter/{path}", headers={**BROWSER, "Accept-Language": locale})
        assert response.status_code == 404, (path, response.text)
        _is_page(response, locale)
        assert _title(response) == TITLES[(locale, "link_not_found")]
    assert org.get(f"/newsletter/subscribers/{subscriber_id}").json()["subscriber"]["status"] == "pending"


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json, text/html;q=0.5"])
def test_programs_get_json_as_before(api: Api, accept: str | None) -> None:
    org, subscriber_id = _pending(api, "vi")
    ids = (uuid.UUID(org.id), uuid.UUID(subscriber_id), 1)
    headers = {"Accept": accept} if accept else {}
    confirmed = api.client.get(f"/api/v1/public/newsletter/confirm/{SIGNER.token('confirm', *ids)}", headers=headers)
    assert (confirmed.status_code, confirmed.json()) == (200, {"status": "subscribed"})
    assert confirmed.headers["content-type"].startswith("application/json")
    one_click = api.client.post(
        f"/api/v1/public/newsletter/unsubscribe/{SIGNER.token('unsubscribe', *ids)}", headers=headers
    )
    assert (one_click.status_code, one_click.json()) == (200, {"status": "unsubscribed"})
    missing = api.client.get("/api/v1/public/newsletter/confirm/not-a-token", headers=headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["code"] == "subscriber.link_not_found"


def test_every_page_has_both_languages_and_escapes_what_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    for lang in ("en", "vi"):
        for name, (title, body) in pages.PAGES.items():
            assert title.id in catalog(lang), (lang, title.id)
            assert body.id in catalog(lang), (lang, body.id)
            assert html.escape(title.render(lang)) in str(pages.link_page(name, lang).content)
    # A text with markup (an unknown id renders as itself) comes out as text.
    monkeypatch.setitem(pages.PAGES, "hostile", (Message("<script>x</script>"), Message('a & "b" <i>')))
    document = str(pages.link_page("hostile", "en").content)
    assert "<script>" not in document
    assert "&lt;script&gt;x&lt;/script&gt;" in document
    assert "a &amp; &quot;b&quot; &lt;i&gt;" in document
    assert pages.page_locale("vi-VN") == "vi"
    assert pages.page_locale("<script>") == "en"
