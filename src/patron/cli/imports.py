"""`patron import FILE --org SLUG`: a file imported as a job, run here with a progress bar.

The job is the one `POST /imports` makes, taken by this process at once; if the command is
killed, a worker (embedded in `patron serve`, or `patron worker`) resumes it once its lease
expires, after the last committed chunk.
"""

from __future__ import annotations

import time
from pathlib import Path

import msgspec
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from patron.cli.output import console, err, fail
from patron.config import Settings
from patron.db.uow import Database
from patron.identity import service as identity
from patron.imports import repository as import_records
from patron.imports import service as imports
from patron.imports.runner import ImportRunner
from patron.kernel.errors import PatronError
from patron.kernel.tenancy import SYSTEM, Principal, Role


def _principal(database: Database, slug: str) -> Principal:
    with database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
        org_id, _settings = identity.find_organization(uow, slug=slug)
    # The CLI acts with the machine's authority, as the organization's owner would.
    return Principal(org_id=org_id, staff_id=org_id, role=Role.OWNER, api_key_id=None)


def run_import(
    database: Database,
    settings: Settings,
    *,
    path: Path,
    org: str,
    dry_run: bool,
    match_on: str | None,
    on_match: str,
    mapping: str | None,
) -> None:
    content = path.read_bytes()
    if len(content) > settings.import_max_bytes:
        err.print(
            f"[red]import.too_large[/red]: {path} is larger than PATRON_IMPORT_MAX_BYTES "
            f"({settings.import_max_bytes} bytes)"
        )
        raise typer.Exit(2)
    try:
        options = imports.ImportOptions(
            dry_run=dry_run,
            match_on=imports.parse_match_on(match_on),
            on_match=on_match,
            mapping=msgspec.json.decode(mapping, type=dict[str, str | None]) if mapping else {},
        )
        principal = _principal(database, org)
        runner = ImportRunner(
            database, lease_seconds=settings.import_lease_seconds, chunk_rows=settings.import_chunk_rows
        )
        with database.unit_of_work(actor=SYSTEM) as uow:
            job = imports.create_import(
                uow,
                principal=principal,
                content=content,
                file_name=path.name,
                content_type=None,
                options=options,
                created_by=None,
                held_by=runner.lease(),
            )
    except PatronError as exc:
        fail(exc, exit_code=2)
    except (msgspec.DecodeError, msgspec.ValidationError):
        err.print(
            '[red]mapping[/red]: must be a JSON object of column headers to field names, e.g. {"E-Mail": "email"}'
        )
        raise typer.Exit(2) from None
    for warning in job.warnings:
        err.print(f"[yellow]{warning.code}[/yellow]: {warning.message}")
    with database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
        held = import_records.get(uow.conn, principal.org_id, job.id)
    assert held is not None
    started = time.monotonic()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows · {task.fields[rate]:,.0f}/s · [red]{task.fields[rejected]:,} rejected"),
        TimeElapsedColumn(),
        console=err,
    )
    with progress:
        task = progress.add_task("dry run" if dry_run else "importing", total=None, rate=0.0, rejected=0)

        def advanced(record: import_records.JobRecord) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            progress.update(
                task,
                total=record.rows,
                completed=record.processed,
                rate=record.processed / elapsed,
                rejected=record.rejected,
            )

        finished = runner.run(held, progress=advanced)
    _summary(finished, time.monotonic() - started)
    if finished.status != "succeeded":
        raise typer.Exit(1)


def _summary(job: import_records.JobRecord, seconds: float) -> None:
    table = Table(title=f"import {job.id}{' (dry run: nothing written)' if job.dry_run else ''}")
    table.add_column("rows", justify="right")
    for name in ("created", "updated", "unchanged", "merged", "rejected"):
        table.add_column(name, justify="right")
    table.add_column("rows/s", justify="right")
    table.add_row(
        f"{job.rows or 0:,}",
        *(f"{getattr(job, name):,}" for name in ("created", "updated", "unchanged", "merged", "rejected")),
        f"{job.processed / max(seconds, 1e-6):,.0f}",
    )
    console.print(table)
    if job.status == "failed" and job.failure is not None:
        err.print(f"[red]{job.failure['code']}[/red]: the import failed")
    elif job.status != "succeeded":
        err.print(f"[yellow]{job.status}[/yellow]: stopped before the end; a worker resumes it")
    if job.rejected:
        console.print(f"error report: GET /api/v1/imports/{job.id}/errors.csv")
