"""`patron`: serve, migrate, demo data, organizations, staff and one customer's data from the shell."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import msgspec
import sqlalchemy as sa
import typer

from patron import event_types, wiring
from patron.cli.output import console, err, fail
from patron.config import Settings, parse_trusted_proxies
from patron.customers.query import parse as parse_list_query
from patron.db import migrate as migrations
from patron.db.base import table
from patron.db.engine import create_engine
from patron.db.models import Organization
from patron.db.uow import Database, UnitOfWork
from patron.exports import service as exports
from patron.exports import writers as export_writers
from patron.exports.columns import Row
from patron.identity import service as identity
from patron.identity.schemas import OrganizationCreate, OrganizationCreated, StaffCreate, StaffCreated
from patron.kernel.errors import NotFound, PatronError, ValidationFailed
from patron.kernel.ids import parse_uuid
from patron.kernel.messages import Message
from patron.kernel.tenancy import SYSTEM, Principal, Role
from patron.privacy import service as privacy
from patron.privacy.schemas import ErasureCreate, ErasureRead

app = typer.Typer(help="Patron customer management.", no_args_is_help=True)
org_app = typer.Typer(help="Organizations.", no_args_is_help=True)
staff_app = typer.Typer(help="Staff users.", no_args_is_help=True)
customer_app = typer.Typer(help="One customer's data: the access export and erasure.", no_args_is_help=True)
app.add_typer(org_app, name="org")
app.add_typer(staff_app, name="staff")
app.add_typer(customer_app, name="customer")
segment_app = typer.Typer(help="Segments: saved customer queries.", no_args_is_help=True)
app.add_typer(segment_app, name="segment")
analytics_app = typer.Typer(help="Analytics: RFM, lifetime value, retention, churn risk, growth.", no_args_is_help=True)
app.add_typer(analytics_app, name="analytics")

DEMO_KEY_FILE = Path(".patron-demo-key")


@contextlib.contextmanager
def _database(settings: Settings) -> Iterator[Database]:
    """The command's database, disposed when the command ends: its pooled connections are closed,
    not left to the garbage collector (psycopg warns of each one it finds open)."""
    wiring.wire()
    database = Database(create_engine(settings.database_url, pool_size=2))
    try:
        yield database
    finally:
        database.dispose()


T = TypeVar("T")


def _validated(payload: dict[str, Any], schema: type[T]) -> T:
    """Command-line input checked by the same wire schema the API uses."""
    try:
        return msgspec.convert(payload, schema)
    except msgspec.ValidationError as exc:
        err.print(f"[red]invalid input[/red]: {exc}")
        raise typer.Exit(2) from None


def _run(database: Database, action: Callable[[UnitOfWork], T]) -> T:
    """One unit of work per command: commit on success; on any error roll back (then report ours)."""
    try:
        with database.unit_of_work(actor=SYSTEM) as uow:
            return action(uow)
    except ValidationFailed as exc:
        fail(exc, exit_code=2)
    except PatronError as exc:
        fail(exc, exit_code=1)


@app.command()
def migrate() -> None:
    """Bring the database to the newest schema."""
    settings = Settings.from_env()
    with _database(settings) as database:
        migrations.upgrade(database.engine)
    console.print(f"database at [bold]{_safe_url(settings.database_url)}[/bold] is up to date")


def _safe_url(url: str) -> str:
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _ensure_demo(database: Database) -> None:
    from patron.cli.demo import DEMO_SLUG, create_demo

    with database.engine.connect() as conn:
        organizations = table(Organization)
        exists = conn.execute(sa.select(organizations.c.id).where(organizations.c.slug == DEMO_SLUG)).first()
    if exists:
        hint = f" (its key is in {DEMO_KEY_FILE})" if DEMO_KEY_FILE.exists() else ""
        console.print(f"demo organization [bold]{DEMO_SLUG}[/bold] exists{hint}")
        return
    created = _run(database, create_demo)
    key = created.owner_api_key
    DEMO_KEY_FILE.write_text(key + "\n")
    DEMO_KEY_FILE.chmod(0o600)
    console.print(
        f"created demo organization [bold]{DEMO_SLUG}[/bold]; owner API key (shown once, saved to {DEMO_KEY_FILE}):"
    )
    console.print(f"  [bold green]{key}[/bold green]")


@app.command()
def demo() -> None:
    """Load the demo organization with realistic customers."""
    with _database(Settings.from_env()) as database:
        migrations.upgrade(database.engine)
        _ensure_demo(database)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default PATRON_HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="Default PATRON_PORT or 8000")] = None,
    demo: Annotated[bool, typer.Option("--demo/--no-demo", help="Create the demo organization on first start")] = False,
    workers: Annotated[int, typer.Option(help="Server processes")] = 1,
) -> None:
    """Migrate, then serve the API and docs."""
    import uvicorn

    settings = Settings.from_env()
    with _database(settings) as database:
        migrations.upgrade(database.engine)
        if demo:
            _ensure_demo(database)
    host = host or settings.host
    port = port or settings.port
    trusted_proxies = [str(network) for network in parse_trusted_proxies(settings.trusted_proxies)]
    console.print(f"serving on http://{host}:{port}  (API /api/v1, docs /docs, OpenAPI /openapi.json)")
    if not settings.admin_token:
        console.print("PATRON_ADMIN_TOKEN is not set: creating organizations over HTTP is disabled")
    uvicorn.run(
        "patron.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # X-Forwarded-For only from PATRON_TRUSTED_PROXIES: uvicorn's default trusts 127.0.0.1,
        # so anyone on the machine (or a local proxy passing the header on) could pick their
        # address. The app applies the same list itself (patron.http.clients).
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=trusted_proxies or None,
        log_level=os.environ.get("PATRON_LOG_LEVEL", "info"),
        access_log=False,
    )


@app.command("events-doc")
def events_doc(output: Annotated[Path, typer.Option(help="The file to write.")] = Path("docs/events.md")) -> None:
    """Write the list of every event type with its payload fields, generated from the event classes."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(event_types.document(), encoding="utf-8")
    console.print(f"{len(event_types.REGISTRY)} event types written to {output}")


@app.command()
def worker() -> None:
    """Deliver webhooks and mail (run one or more beside `serve` with PATRON_EMBEDDED_WORKER=false)."""
    import anyio

    from patron.worker import Worker

    settings = Settings.from_env()
    with _database(settings) as database:
        migrations.upgrade(database.engine)
        background = Worker.from_settings(database, settings)
        console.print("delivering webhooks and mail; Ctrl+C or SIGTERM stops (after the deliveries in hand)")
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C before the signal handlers are in place
            anyio.run(background.run_until_signalled)
        console.print("stopped")


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="A CSV or XLSX file")],
    org: Annotated[str, typer.Option(help="Organization slug")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would happen; write no customer")] = False,
    match_on: Annotated[
        str | None, typer.Option(help="Ordered keys to match rows on (default customer_number,email,phone,vat_id)")
    ] = None,
    on_match: Annotated[str, typer.Option(help="update (default) or skip a matched customer")] = "update",
    mapping: Annotated[str | None, typer.Option(help='JSON {"column header": "field"}')] = None,
) -> None:
    """Import customers from a CSV or XLSX file (the job `POST /imports` makes), with a progress bar."""
    from patron.cli.imports import run_import

    if on_match not in ("update", "skip"):
        err.print("[red]--on-match[/red]: update or skip")
        raise typer.Exit(2)
    settings = Settings.from_env()
    with _database(settings) as database:
        migrations.upgrade(database.engine)
        run_import(
            database,
            settings,
            path=path,
            org=org,
            dry_run=dry_run,
            match_on=match_on,
            on_match=on_match,
            mapping=mapping,
        )


@org_app.command("create")
def org_create(
    name: Annotated[str, typer.Option(help="Display name")],
    slug: Annotated[str, typer.Option(help="URL name, e.g. pho-24")],
    owner_email: Annotated[str, typer.Option(help="The owner's email")],
    region: Annotated[str | None, typer.Option(help="ISO country for phone numbers, e.g. VN")] = None,
    locale: Annotated[str | None, typer.Option(help="Default locale, e.g. vi")] = None,
) -> None:
    """Create an organization and print its owner's API key (shown once)."""
    payload = {"name": name, "slug": slug, "owner_email": owner_email, "region": region, "locale": locale}
    data = _validated(payload, OrganizationCreate)
    with _database(Settings.from_env()) as database:
        migrations.upgrade(database.engine)
        created: OrganizationCreated = _run(database, lambda uow: identity.create_organization(uow, data=data))
    console.print(f"organization [bold]{slug}[/bold] id {created.organization.id}")
    console.print(f"owner API key (shown once): [bold green]{created.owner_api_key}[/bold green]")


@staff_app.command("create")
def staff_create(
    org: Annotated[str, typer.Option(help="Organization slug")],
    email: Annotated[str, typer.Option()],
    name: Annotated[str, typer.Option()],
    role: Annotated[Role, typer.Option()] = Role.CASHIER,
    password: Annotated[str | None, typer.Option(help="Admin UI password (≥ 12 characters)")] = None,
) -> None:
    """Add a staff member to an organization and print their API key (shown once)."""
    data = _validated({"email": email, "name": name, "role": role.value, "password": password}, StaffCreate)

    def action(uow: UnitOfWork) -> StaffCreated:
        organizations = table(Organization)
        org_id = uow.conn.execute(sa.select(organizations.c.id).where(organizations.c.slug == org)).scalar()
        if org_id is None:
            raise ValidationFailed.single("org", Message("organization.slug_unknown", slug=repr(org)))
        # The CLI acts with the machine's authority, as the organization's owner would.
        principal = Principal(org_id=org_id, staff_id=org_id, role=Role.OWNER, api_key_id=None)
        return identity.create_staff(uow, principal=principal, data=data)

    with _database(Settings.from_env()) as database:
        migrations.upgrade(database.engine)
        created = _run(database, action)
    console.print(f"staff {created.staff.email} ({created.staff.role}) id {created.staff.id}")
    console.print(f"API key (shown once): [bold green]{created.api_key}[/bold green]")


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def _filter_parameters(filters: list[str]) -> list[tuple[str, str]]:
    """`--filter 'tier=pro'` as the API's `filter[tier]=pro`."""
    parameters = []
    for given in filters:
        name, equals, value = given.partition("=")
        if not equals or not name:
            err.print(f"[red]--filter[/red]: {given!r} is not field=op|value")
            raise typer.Exit(2)
        parameters.append((f"filter[{name}]", value))
    return parameters


async def _write_export(
    database: Database, principal: Principal, export: exports.Export, file_format: ExportFormat, output: Path
) -> int:
    """The export written to `output` by the writers the API streams from; how many customers it holds."""
    written = 0

    async def counted() -> AsyncIterator[list[Row]]:
        nonlocal written
        async for batch in exports.export_rows(database, actor=SYSTEM, principal=principal, export=export):
            written += len(batch)
            yield batch

    if file_format is ExportFormat.XLSX:
        await export_writers.write_xlsx(export.columns, counted(), output)
        return written
    with output.open("wb") as file:
        async for chunk in export_writers.csv_chunks(export.columns, counted()):
            file.write(chunk)
    return written


@app.command("export")
def export_customers(
    org: Annotated[str, typer.Option(help="Organization slug")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write")],
    file_format: Annotated[ExportFormat, typer.Option("--format", help="csv or xlsx")] = ExportFormat.CSV,
    filters: Annotated[
        list[str] | None,
        typer.Option("--filter", help="field=op|value as in GET /customers' filter[field]; repeatable"),
    ] = None,
    q: Annotated[str | None, typer.Option(help="Search, as GET /customers' q")] = None,
    sort: Annotated[str | None, typer.Option(help="Order, as GET /customers' sort (default -created_at)")] = None,
    columns: Annotated[str | None, typer.Option(help="Comma list of columns (default every field)")] = None,
    consent: Annotated[str | None, typer.Option(help="newsletter: only subscribed customers")] = None,
) -> None:
    """Export an organization's customers (as GET /exports/customers.csv or .xlsx would)."""
    parameters = _filter_parameters(filters or [])

    def prepare(uow: UnitOfWork) -> tuple[Principal, exports.Export]:
        try:
            org_id, settings = identity.find_organization(uow, slug=org)
        except NotFound:
            raise ValidationFailed.single("org", Message("organization.slug_unknown", slug=repr(org))) from None
        # The CLI acts with the machine's authority, as the organization's owner would.
        principal = Principal(org_id=org_id, staff_id=org_id, role=Role.OWNER, api_key_id=None)
        query = parse_list_query(filters=parameters, sort=sort, q=q, limit=1, offset=0, cursor=None)
        export = exports.prepare_export(
            uow, principal=principal, settings=settings, query=query, columns=columns, consent=consent
        )
        return principal, export

    import anyio

    with _database(Settings.from_env()) as database:
        principal, export = _run(database, prepare)
        written = anyio.run(_write_export, database, principal, export, file_format, output)
    console.print(f"wrote [bold]{written}[/bold] customers to {output}")


def _owner_of(uow: UnitOfWork, slug: str) -> Principal:
    try:
        org_id, _settings = identity.find_organization(uow, slug=slug)
    except NotFound:
        raise ValidationFailed.single("org", Message("organization.slug_unknown", slug=repr(slug))) from None
    # The CLI acts with the machine's authority, as the organization's owner would.
    return Principal(org_id=org_id, staff_id=org_id, role=Role.OWNER, api_key_id=None)


def _customer_id(value: str) -> uuid.UUID:
    parsed = parse_uuid(value)
    if parsed is None:
        err.print(f"[red]customer_id[/red]: not a customer id: {value!r}")
        raise typer.Exit(2)
    return parsed


@customer_app.command("export")
def customer_export(
    customer_id: Annotated[str, typer.Argument(help="The customer's id")],
    org: Annotated[str, typer.Option(help="Organization slug")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The file to write (default stdout)")] = None,
) -> None:
    """Everything stored about one customer as JSON (the right of access, as GET /customers/{id}/export)."""
    target = _customer_id(customer_id)

    def action(uow: UnitOfWork) -> bytes:
        document = privacy.export_customer(uow, principal=_owner_of(uow, org), customer_id=target)
        return msgspec.json.format(msgspec.json.encode(document), indent=2) + b"\n"

    with _database(Settings.from_env()) as database:
        body = _run(database, action)
    if output is None:
        typer.echo(body.decode(), nl=False)
    else:
        output.write_bytes(body)
        err.print(f"wrote the export of customer {target} to {output}")


@customer_app.command("erase")
def customer_erase(
    customer_id: Annotated[str, typer.Argument(help="The customer's id")],
    org: Annotated[str, typer.Option(help="Organization slug")],
    reason: Annotated[str, typer.Option(help="Why (kept with the customer.erased event)")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Erase one customer's personal data for good (as POST /customers/{id}/erase); asks first."""
    target = _customer_id(customer_id)
    data = _validated({"reason": reason}, ErasureCreate)
    if not yes:
        typer.confirm(
            f"Erase the personal data of customer {target} in {org}? This cannot be undone", abort=True, err=True
        )

    def action(uow: UnitOfWork) -> ErasureRead:
        return privacy.erase_customer(uow, principal=_owner_of(uow, org), customer_id=target, data=data)

    with _database(Settings.from_env()) as database:
        erased = _run(database, action)
    console.print(f"erased customer [bold]{erased.id}[/bold] at {erased.erased_at.isoformat()}")


@segment_app.command("preview")
def segment_preview(
    query: Annotated[str, typer.Argument(help="A query of the segment language, e.g. \"tier = 'pro' and credit > 0\"")],
    org: Annotated[str, typer.Option(help="Organization slug")],
) -> None:
    """Count the customers a segment query selects and show the first 10 (as POST /segments/preview)."""
    from patron.cli.segments import show_preview

    with _database(Settings.from_env()) as database:
        try:
            show_preview(database, slug=org, query=query)
        except NotFound:
            fail(ValidationFailed.single("org", Message("organization.slug_unknown", slug=repr(org))), exit_code=2)
        except ValidationFailed as exc:
            fail(exc, exit_code=2)


@analytics_app.command("rfm")
def analytics_rfm(
    org: Annotated[str, typer.Option(help="Organization slug")],
    as_of: Annotated[str | None, typer.Option(help="ISO date or date-time; default now")] = None,
) -> None:
    """Print the R/F grid with each cell's customers and segment, and the segment totals (as GET /analytics/rfm)."""
    from patron.cli.analytics import show_rfm

    with _database(Settings.from_env()) as database:
        try:
            show_rfm(database, slug=org, as_of=as_of)
        except NotFound:
            fail(ValidationFailed.single("org", Message("organization.slug_unknown", slug=repr(org))), exit_code=2)
        except ValidationFailed as exc:
            fail(exc, exit_code=2)


@app.command("duplicates")
def duplicates(
    org: Annotated[str, typer.Option(help="Organization slug")],
    min_score: Annotated[float, typer.Option(min=0.0, max=1.0, help="The lowest score listed")] = 0.5,
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many pairs, highest score first")] = 25,
) -> None:
    """List likely duplicate customers (as GET /duplicates does), highest score first."""
    from patron.cli.duplicates import show_duplicates

    with _database(Settings.from_env()) as database:
        try:
            show_duplicates(database, slug=org, min_score=min_score, limit=limit)
        except NotFound:
            fail(ValidationFailed.single("org", Message("organization.slug_unknown", slug=repr(org))), exit_code=2)
