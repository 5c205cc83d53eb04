"""Import benchmark: 100,000 rows into an organization that already has 100,000 customers.

    python bench/imports.py                  # both databases
    python bench/imports.py --backends sqlite --rows 20000

One `patron serve` process with its embedded worker runs the jobs. Measured, on each
database: a dry run, the real import, the same file again (every row unchanged), and single
`POST /customers` latency while the real import runs. Each rate is printed beside its floor,
the bulk insert rate of the same database measured in the same run (the seeding of the
existing customers: COPY on PostgreSQL, executemany in one transaction on SQLite).
Results go to bench/results/<time>-imports-<rows>.json.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import secrets
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from run import (
    RESULTS,
    ROOT,
    _pct,
    database_url,
    drop_database,
    fresh_database,
    patron,
    seed,
    serving,
)

from patron.db.engine import create_engine
from patron.db.uow import Database
from patron.identity import service as identity
from patron.identity.schemas import OrganizationCreate
from patron.kernel.tenancy import SYSTEM

FIRST = ["Lan", "Minh", "Anh", "Huy", "Thu", "Jonas", "Chloé", "Mai", "Duc", "Linh"]
LAST = ["Nguyễn", "Trần", "Lê", "Phạm", "Müller", "Lefèvre", "Hoàng", "Đặng", "Vũ", "Bùi"]
HEADER = ["customer_number", "email", "first_name", "last_name", "phone", "tags", "credit", "birthday"]

# Issue 13's targets (2 cores, one server process).
TARGETS = {
    "sqlite": {"import": 5_000, "dry_run": 5_000, "reimport": 10_000, "create_p99_ms": 100},
    "postgresql": {"import": 3_000, "dry_run": 3_000, "reimport": 10_000, "create_p99_ms": 100},
}


def import_file(rows: int) -> bytes:
    """A spreadsheet's worth of new customers: numbers, emails, names, a national phone, tags, credit, birthdays."""
    rng = random.Random(7)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for i in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        phone = f"09{rng.randrange(10**8):08d}" if rng.random() < 0.7 else ""
        birthday = f"{rng.randrange(1950, 2005)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        writer.writerow(
            [
                f"IMP-{i:07d}",
                f"import.{i}@example.org",
                first,
                last,
                phone,
                rng.choice(["", "vip", "vip;wholesale", "newsletter"]),
                rng.choice([0, 0, 500, 10_000]),
                birthday if rng.random() < 0.5 else "",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _run_job(client: httpx.Client, key: str, content: bytes, **options: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"}
    began = time.perf_counter()
    response = client.post("/api/v1/imports", headers=headers, files={"file": ("bench.csv", content)}, data=options)
    response.raise_for_status()
    job_id = response.json()["id"]
    while True:
        job = client.get(f"/api/v1/imports/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - began
    if job["status"] != "succeeded":
        raise RuntimeError(f"import failed: {job}")
    return {"seconds": seconds, "rows_per_s": job["totals"]["rows"] / seconds, "totals": job["totals"]}


def _creates_while(client: httpx.Client, key: str, until: threading.Event) -> list[float]:
    """Single creates, one after another, while the import runs."""
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {key}"}
    while not until.is_set():
        body = {"email": f"walkin.{uuid.uuid4().hex[:12]}@example.net", "first_name": "Walk", "last_name": "In"}
        began = time.perf_counter()
        response = client.post("/api/v1/customers", headers=headers, json=body)
        latencies.append(time.perf_counter() - began)
        response.raise_for_status()
        time.sleep(0.01)
    return latencies


def run_backend(backend: str, *, rows: int, existing: int) -> dict[str, Any]:
    fresh_database(backend)
    url = database_url(backend)
    env = {
        **os.environ,
        "PATRON_DATABASE_URL": url,
        "PATRON_LOG_LEVEL": "warning",
        "PATRON_SECRET_KEY": os.environ.get("PATRON_SECRET_KEY") or secrets.token_urlsafe(32),
        "PATRON_EMBEDDED_WORKER": "true",
    }
    migrate = patron("migrate", env=env)
    if migrate.wait() != 0:
        raise RuntimeError("migrate failed")
    database = Database(create_engine(url, pool_size=2))
    with database.unit_of_work(actor=SYSTEM) as uow:
        created = identity.create_organization(
            uow, data=OrganizationCreate(name="Bench", slug="bench", owner_email="owner@bench.example", region="VN")
        )
    print(f"[{backend}] seeding {existing:,} existing customers ...", flush=True)
    bulk_rate, _phases = seed(database, [created.organization.id], existing)
    database.dispose()
    key = created.owner_api_key
    content = import_file(rows)
    results: dict[str, Any] = {"backend": backend, "rows": rows, "existing": existing, "floor_bulk_insert": bulk_rate}
    with serving(env) as client:
        print(f"[{backend}] dry run, import, re-import of {rows:,} rows ...", flush=True)
        results["dry_run"] = _run_job(client, key, content, dry_run="true")
        done = threading.Event()
        latencies: list[float] = []
        with httpx.Client(base_url=client.base_url, timeout=60) as other:
            creator = threading.Thread(target=lambda: latencies.extend(_creates_while(other, key, done)))
            creator.start()
            try:
                results["import"] = _run_job(client, key, content)
            finally:
                done.set()
                creator.join()
        results["creates_during_import"] = {
            "count": len(latencies),
            "p50_ms": _pct(latencies, 50),
            "p99_ms": _pct(latencies, 99),
            "max_ms": max(latencies, default=0) * 1000,
        }
        results["reimport"] = _run_job(client, key, content)
    drop_database(backend)
    return results


def report(r: dict[str, Any]) -> str:
    targets, floor = TARGETS[r["backend"]], r["floor_bulk_insert"]

    def line(label: str, name: str) -> str:
        rate = r[name]["rows_per_s"]
        met = "met" if rate >= targets[name] else "MISSED"
        return (
            f"  {label:28} {rate:>9,.0f} rows/s  {rate / floor:>6.3f} of floor  >= {targets[name]:,} {met}"
            f"   ({r[name]['seconds']:.1f} s; {r[name]['totals']})"
        )

    creates = r["creates_during_import"]
    met = "met" if creates["p99_ms"] <= targets["create_p99_ms"] else "MISSED"
    return "\n".join(
        [
            f"{r['backend']}: {r['rows']:,} rows into an organization of {r['existing']:,} customers, one server",
            f"  {'floor: bulk insert':28} {floor:>9,.0f} rows/s",
            line("dry run", "dry_run"),
            line("import", "import"),
            line("re-import (all unchanged)", "reimport"),
            f"  {'POST /customers during import':28} p50 {creates['p50_ms']:.1f} ms, p99 {creates['p99_ms']:.1f} ms"
            f" (<= {targets['create_p99_ms']} {met}), max {creates['max_ms']:.1f} ms over {creates['count']} creates",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    results = []
    for backend in args.backends.split(","):
        result = run_backend(backend, rows=args.rows, existing=args.existing)
        results.append(result)
        print(report(result), flush=True)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{stamp}-imports-{args.rows}.json"
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
    path.write_text(json.dumps({"machine": machine, "results": results}, indent=2, default=str) + "\n")
    print(f"results written to {path.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    main()
