"""An organization's currency and locale follow its region unless given (CLDR data, not a table of ours)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from typer.testing import CliRunner

from patron.cli.main import app
from tests.factories import Api, unique


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"region": "VN"}, ("VN", "VND", "vi")),
        ({"region": "de"}, ("DE", "EUR", "de")),
        ({"region": "US"}, ("US", "USD", "en")),
        ({"region": "JP"}, ("JP", "JPY", "ja")),
        ({}, ("US", "USD", "en")),
        ({"region": "VN", "currency": "usd"}, ("VN", "USD", "vi")),
        ({"region": "VN", "locale": "en-GB"}, ("VN", "VND", "en-GB")),
        ({"region": "DE", "currency": "CHF", "locale": "fr"}, ("DE", "CHF", "fr")),
        # Antarctica has no currency in CLDR: the generic default stays.
        ({"region": "AQ"}, ("AQ", "USD", "en")),
    ],
)
def test_currency_and_locale_default_to_the_regions(
    api: Api, given: dict[str, Any], expected: tuple[str, str, str]
) -> None:
    org = api.create_org(**given)
    organization = org.get("/organization").json()
    assert (organization["region"], organization["currency"], organization["locale"]) == expected


def test_an_unknown_region_is_reported_as_the_region(api: Api) -> None:
    response = api.client.post(
        "/api/v1/organizations",
        json={"name": "Nowhere", "slug": unique("zz"), "owner_email": "o@zz.example", "region": "ZZ"},
        headers={"Authorization": f"Bearer {api.admin_token}"},
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["region"]


def test_changing_the_region_later_keeps_currency_and_locale(api: Api) -> None:
    org = api.create_org(region="VN")
    changed = org.patch("/organization", json={"region": "DE"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["region"], changed.json()["currency"], changed.json()["locale"]) == ("DE", "VND", "vi")


def test_the_cli_gives_a_vietnamese_organization_dong_and_vietnamese(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    slug = unique("cli-vn")
    args = ["org", "create", "--name", "Phở CLI", "--slug", slug, "--owner-email", "o@vn.example", "--region", "VN"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    match = re.search(r"(pat_[0-9a-f]{32}_[A-Za-z0-9_-]+)", result.output)
    assert match, result.output
    organization = api.client.get("/api/v1/organization", headers={"Authorization": f"Bearer {match.group(1)}"})
    assert organization.status_code == 200, organization.text
    assert (organization.json()["currency"], organization.json()["locale"]) == ("VND", "vi")
