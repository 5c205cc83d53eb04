"""The CLI creates organizations and staff whose keys then work over HTTP."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from patron.cli.main import app
from patron.db.uow import Database, UnitOfWork
from patron.identity import service as identity
from patron.identity.schemas import OrganizationCreate, OrganizationCreated
from tests.factories import Api
from tests.transactions import another_writer_proceeds

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


def test_an_unexpected_error_in_a_command_leaves_no_transaction_open(
    database: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    create_organization = identity.create_organization

    def create_then_fail(uow: UnitOfWork, *, data: OrganizationCreate) -> OrganizationCreated:
        create_organization(uow, data=data)  # written, not committed
        raise RuntimeError("unexpected")

    monkeypatch.setattr(identity, "create_organization", create_then_fail)
    slug = f"cli-{uuid.uuid4().hex[:8]}"
    result = runner.invoke(app, ["org", "create", "--name", "X", "--slug", slug, "--owner-email", "o@cli.example"])
    assert isinstance(result.exception, RuntimeError)
    assert another_writer_proceeds(database_url)
    with database.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT 1 FROM organization WHERE slug = :s"), {"s": slug}).first() is None
