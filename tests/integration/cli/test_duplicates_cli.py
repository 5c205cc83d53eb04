"""`patron duplicates` prints the pairs GET /duplicates lists."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from patron.cli.main import app
from tests.factories import Api, unique

runner = CliRunner()


def test_cli_lists_the_pairs_the_api_lists(api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    org = api.create_org(region="VN")
    email = f"{unique('cli')}@example.com"
    a = org.create_customer(email=email, first_name="Ngọc", last_name="Huỳnh")
    b = org.create_customer(email=email.upper(), first_name="Ngoc", last_name="Huynh", is_guest=True)
    org.create_customer(first_name="Tom", last_name="Smith", phone="+84933333333")
    org.create_customer(first_name="Tom", last_name="Smith", phone="+84933333333")
    listed = org.get("/duplicates").json()["items"]
    assert len(listed) == 2

    result = runner.invoke(app, ["duplicates", "--org", org.slug], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "2 pairs with a score of at least 0.5" in result.output
    assert "same_email" in result.output
    assert "same_phone" in result.output
    assert a["customer_number"] in result.output
    assert b["customer_number"] in result.output
    assert "0.85" in result.output

    result = runner.invoke(app, ["duplicates", "--org", org.slug, "--min-score", "0.8", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "1 pairs with a score of at least 0.8" in result.output
    assert "same_phone" not in result.output


def test_cli_refuses_an_unknown_org_and_bad_options(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    result = runner.invoke(app, ["duplicates", "--org", "no-such-org"])
    assert result.exit_code == 2
    assert "org" in result.output
    assert runner.invoke(app, ["duplicates", "--org", "x", "--min-score", "2"]).exit_code == 2
    assert runner.invoke(app, ["duplicates", "--org", "x", "--limit", "0"]).exit_code == 2
