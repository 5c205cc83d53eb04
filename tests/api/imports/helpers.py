"""Driving imports through the API: upload a file, let the worker's runner finish the jobs, read the job."""

from __future__ import annotations

import csv
import io
from typing import Any

from patron.db.uow import Database
from patron.imports.runner import ImportRunner
from tests.factories import Org


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


def run_jobs(database: Database, *, chunk_rows: int = 500) -> None:
    """What a worker does: run every queued job to its end."""
    runner = ImportRunner(database, lease_seconds=30, chunk_rows=chunk_rows)
    while runner.run_next():
        pass


def upload(org: Org, content: bytes, *, role: str = "owner", name: str = "customers.csv", **options: Any) -> Any:
    data = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in options.items()}
    return org.post("/imports", role, files={"file": (name, content, "text/csv")}, data=data)


def imported(org: Org, database: Database, content: bytes, *, chunk_rows: int = 500, **options: Any) -> dict[str, Any]:
    """Upload, run, and answer the finished job (with its first errors)."""
    response = upload(org, content, **options)
    assert response.status_code == 202, response.text
    run_jobs(database, chunk_rows=chunk_rows)
    job = org.get(f"/imports/{response.json()['id']}")
    assert job.status_code == 200, job.text
    return dict(job.json())


def customers_by_email(org: Org) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 500, **({"cursor": cursor} if cursor else {})}
        page = org.get("/customers", params=params).json()
        found.update({c["email"]: c for c in page["items"]})
        cursor = page["next_cursor"]
        if not cursor:
            return found
