"""/docs works offline: Swagger UI's page loads only files that Patron itself serves."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tests.factories import Api

EXPECTED_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def _asset_urls(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)


def test_docs_page_references_only_same_origin_assets_and_each_is_served(api: Api) -> None:
    page = api.client.get("/docs")
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    urls = _asset_urls(page.text)
    # The page's script, its preset, its style and its icon.
    assert len(urls) >= 4, urls
    for url in urls:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("", ""), f"{url} is not on this origin"
        assert url.startswith("/"), url
        asset = api.client.get(url)
        assert asset.status_code == 200, url
        suffix = url[url.rfind(".") :]
        assert asset.headers["content-type"].startswith(EXPECTED_TYPES[suffix]), (url, asset.headers["content-type"])
        assert len(asset.content) > 0
    assert any("SwaggerUIBundle" in api.client.get(url).text for url in urls if url.endswith("bundle.js"))


def test_docs_assets_need_no_api_key_and_unknown_ones_are_problem_404(api: Api) -> None:
    response = api.client.get("/docs/assets/no-such-file.js")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
