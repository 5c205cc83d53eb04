"""`patron customer export` and `patron customer erase`: the access export and erasure from the shell."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from patron.cli.main import app
from tests.factories import Api

runner = CliRunner()


def test_export_to_stdout_and_to_a_file(
    api: Api, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    org = api.create_org()
    customer = org.create_customer(first_name="Ilse", email="ilse.cli@example.com")
    shown = runner.invoke(app, ["customer", "export", customer["id"], "--org", org.slug])
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.stdout)
    assert document["customer"]["email"] == "ilse.cli@example.com"
    assert [e["type"] for e in document["events"]] == ["customer.created"]
    path = tmp_path / "ilse.json"
    written = runner.invoke(app, ["customer", "export", customer["id"], "--org", org.slug, "--output", str(path)])
    assert written.exit_code == 0, written.output
    assert json.loads(path.read_text())["customer"] == document["customer"]


def test_erase_asks_first_and_erases(api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    org = api.create_org()
    customer = org.create_customer(first_name="Ilse", email="ilse.erase@example.com")
    command = ["customer", "erase", customer["id"], "--org", org.slug, "--reason", "asked by mail"]
    declined = runner.invoke(app, command, input="n\n")
    assert declined.exit_code == 1, declined.output
    assert org.get(f"/customers/{customer['id']}").json()["erased_at"] is None
    confirmed = runner.invoke(app, command, input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert f"erased customer {customer['id']}" in confirmed.stdout
    read = org.get(f"/customers/{customer['id']}").json()
    assert read["erased_at"] is not None
    assert read["first_name"] is None
    [event] = org.events(type="customer.erased")
    assert event["actor"]["type"] == "system"
    again = runner.invoke(app, [*command, "--yes"])
    assert again.exit_code == 1
    assert "customer.erased" in again.output


def test_bad_ids_organizations_and_reasons_are_refused(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    org = api.create_org()
    customer = org.create_customer()
    cases = [
        (["customer", "export", "nope", "--org", org.slug], 2),
        (["customer", "export", str(uuid.uuid4()), "--org", org.slug], 1),
        (["customer", "export", customer["id"], "--org", "no-such-org"], 2),
        (["customer", "erase", customer["id"], "--org", org.slug, "--reason", "  ", "--yes"], 2),
        (["customer", "erase", customer["id"], "--org", org.slug, "--reason", "", "--yes"], 2),
    ]
    for command, code in cases:
        result = runner.invoke(app, command)
        assert result.exit_code == code, (command, result.output)
    assert org.get(f"/customers/{customer['id']}").json()["erased_at"] is None
