"""The CLI creates organizations and staff whose keys then work over HTTP."""

from __future__ import annotations

import re
import uuid

import pytest
from typer.testing import CliRunner

from patron.cli.main import app
from tests.factories import Api

runner = CliRunner()


def _key(output: str) -> str:
    match = re.search(r"(pat_[0-9a-f]{32}_[A-Za-z0-9_-]+)", output)
    assert match, output
    return match.group(1)


def test_org_and_staff_create_print_working_keys(api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    slug = f"cli-{uuid.uuid4().hex[:8]}"
    result = runner.invoke(
        app, ["org", "create", "--name", "CLI Co", "--slug", slug, "--owner-email", "o@cli.example", "--region", "VN"]
    )
    assert result.exit_code == 0, result.output
    owner_key = _key(result.output)
    headers = {"Authorization": f"Bearer {owner_key}"}
    organization = api.client.get("/api/v1/organization", headers=headers).json()
    assert (organization["slug"], organization["region"]) == (slug, "VN")

    result = runner.invoke(
        app, ["staff", "create", "--org", slug, "--email", "till@cli.example", "--name", "Till", "--role", "cashier"]
    )
    assert result.exit_code == 0, result.output
    cashier = {"Authorization": f"Bearer {_key(result.output)}"}
    assert api.client.get("/api/v1/customers", headers=cashier).status_code == 200
    assert api.client.delete("/api/v1/customers/guests/outdated", headers=cashier).status_code == 403


def test_cli_reports_bad_input_without_a_traceback(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    result = runner.invoke(app, ["org", "create", "--name", "X", "--slug", "Bad Slug", "--owner-email", "nope"])
    assert result.exit_code == 2
    assert "slug" in result.output
    result = runner.invoke(app, ["staff", "create", "--org", "no-such-org", "--email", "a@b.example", "--name", "A"])
    assert result.exit_code == 2
    assert "no organization" in result.output
