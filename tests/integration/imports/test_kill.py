"""A large import survives its worker being killed: SIGKILL at random points, a new worker takes the
job over when its lease expires and resumes after the last committed chunk; every row lands once."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import time
import uuid

import sqlalchemy as sa

from patron.db.base import table
from patron.db.models import Customer, ImportJob, OutboxEvent
from patron.db.uow import Database
from patron.kernel.tenancy import SYSTEM
from tests.api.imports.helpers import csv_bytes, upload
from tests.factories import Api, unique
from tests.processes import PATRON, patron_env

ROWS = 6_000
LEASE_SECONDS = "1"


def _checksum(rows: list[tuple[str, str, int]]) -> str:
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()


def _job(database: Database, job_id: str) -> sa.Row[tuple[str, int, int, int]]:
    jobs = table(ImportJob)
    # A read-only connection: on SQLite it takes no write lock, so watching does not slow the job down.
    with database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
        conn = uow.conn
        return conn.execute(
            sa.select(jobs.c.status, jobs.c.processed, jobs.c.created, jobs.c.attempts).where(
                jobs.c.id == uuid.UUID(job_id)
            )
        ).one()


def test_an_import_killed_again_and_again_lands_every_row_exactly_once(
    api: Api, database: Database, database_url: str
) -> None:
    org = api.create_org()
    prefix = unique("kill")
    rows = [(f"{prefix}.{i}@example.com", f"Name{i}", i) for i in range(ROWS)]
    content = csv_bytes([["email", "first_name", "credit"], *[list(r) for r in rows]])
    response = upload(org, content)
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    env = patron_env(database_url, import_lease_seconds=LEASE_SECONDS, import_chunk_rows="100")
    chance = random.Random(13)
    kills = 0
    seen_after_kills: list[int] = []
    for round_ in range(5):
        worker = subprocess.Popen([PATRON, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if round_ == 0:
            time.sleep(chance.uniform(0.2, 1.0))  # anywhere: starting, reading the file, or in a chunk
        else:
            # Somewhere further into the file, then at a random point of the chunk under way.
            before = _job(database, job_id).processed
            target = before + chance.uniform(0.1, 0.4) * (ROWS - before)
            deadline = time.monotonic() + 60
            while _job(database, job_id).processed < target and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(chance.uniform(0, 0.02))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        kills += 1
        status, processed, _created, _attempts = _job(database, job_id)
        seen_after_kills.append(processed)
        if status == "succeeded":
            break
    assert kills >= 3, seen_after_kills
    # Killed in the middle of the file at least once, not only before it began or after it ended.
    assert any(0 < processed < ROWS for processed in seen_after_kills), seen_after_kills
    # The last worker finishes the job and stops politely (SIGTERM: exit 0).
    worker = subprocess.Popen([PATRON, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started = time.monotonic()
    try:
        deadline = time.monotonic() + 180
        while _job(database, job_id).status != "succeeded":
            assert worker.poll() is None, worker.communicate()[1].decode()
            assert time.monotonic() < deadline, _job(database, job_id)
            time.sleep(0.2)
    finally:
        # Its signal handlers are in place once it runs (well before this).
        time.sleep(max(0.0, started + 3 - time.monotonic()))
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=30)
        assert worker.returncode == 0, errors.decode()
    status, processed, created, attempts = _job(database, job_id)
    assert (status, processed, created) == ("succeeded", ROWS, ROWS)
    assert attempts >= 2  # it was taken over at least once

    customers, outbox = table(Customer), table(OutboxEvent)
    org_id = uuid.UUID(org.id)
    with database.engine.connect() as conn:
        stored = conn.execute(
            sa.select(customers.c.email, customers.c.first_name, customers.c.credit).where(customers.c.org_id == org_id)
        ).all()
        created_events = conn.execute(
            sa.select(sa.func.count())
            .select_from(outbox)
            .where(
                outbox.c.org_id == org_id,
                outbox.c.type == "customer.created",
            )
        ).scalar_one()
    assert len(stored) == ROWS
    assert _checksum([(e, n, c) for e, n, c in stored]) == _checksum(rows)
    assert created_events == ROWS
