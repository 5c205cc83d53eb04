"""Running import jobs: claim one, read its file, apply its plan chunk by chunk, finish it.

Kill-safe by construction: each chunk's customers, events, rejections and outcomes are
committed in one transaction together with the job's checkpoint (`next_item`) and totals, and
that commit only goes through while this worker still holds the job's lease at the checkpoint
it started from. A worker that dies leaves the job running with a lease that expires; another
worker claims it, reads the file again (the plan is a pure function of the file and the
options) and goes on after the last committed chunk. Nothing is lost, nothing applied twice.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import msgspec

from patron.db.engine import WRITERS
from patron.db.uow import Database
from patron.identity import service as identity
from patron.imports import applying, reading, rows
from patron.imports import repository as repo
from patron.imports.events import ImportFailed, ImportSucceeded
from patron.kernel import clock
from patron.kernel.errors import PatronError
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import SYSTEM, Actor, ActorType, Principal, Role

log = logging.getLogger("patron.imports")

# Rows per chunk: each chunk is one write transaction. On SQLite it holds the one write lock
# while it runs, so it is kept short for single creates to interleave: measured beside a
# 20,000-row import, single creates p99 79 ms with 500-row chunks, 38 ms with 250, at the same
# import rate (PATRON_IMPORT_CHUNK_ROWS).
CHUNK_ROWS = 250
# A job that crashes its worker this many times (not a kill: an error) is failed, not retried forever.
MAX_ATTEMPTS = 5

Progress = Callable[[repo.JobRecord], None]


class LeaseLost(Exception):
    """Another worker took the job over (this one was too slow to check in): stop, commit nothing."""


@dataclass
class ImportRunner:
    database: Database
    lease_seconds: float = 60.0
    chunk_rows: int = CHUNK_ROWS

    def __post_init__(self) -> None:
        self.owner = uuid7()

    def _until(self) -> Any:
        return clock.now() + timedelta(seconds=self.lease_seconds)

    def lease(self) -> tuple[Any, Any]:
        """(owner, lease end) for a job this runner takes at once (`create_import(held_by=...)`)."""
        return self.owner, self._until()

    def claim(self, job_id: Any = None) -> repo.JobRecord | None:
        with self.database.unit_of_work(actor=SYSTEM) as uow:
            return repo.claim(uow.conn, owner=self.owner, now=clock.now(), until=self._until(), job_id=job_id)

    def run_next(self, stop: threading.Event | None = None, progress: Progress | None = None) -> bool:
        """Claim one job and run it; False when there was none."""
        held = self.claim()
        if held is None:
            return False
        self.run(held, stop=stop, progress=progress)
        return True

    def run(
        self, held: repo.JobRecord, *, stop: threading.Event | None = None, progress: Progress | None = None
    ) -> repo.JobRecord:
        """Run a job this runner holds to its end (or until `stop`); answers it as last stored."""
        try:
            return self._run(held, stop, progress)
        except LeaseLost:
            log.warning("import %s: taken over by another worker; stopping", held.id)
        except Exception:
            log.exception("import %s: failed on attempt %d", held.id, held.attempts)
            if held.attempts >= MAX_ATTEMPTS:
                self._fail(held, "import.crashed", Message("import.crashed", attempts=held.attempts))
            else:
                self._release(held)
        finally:
            gc.unfreeze()  # the plan frozen while it was read (`_yielding`) is the collector's again
        return self._reload(held)

    def _reload(self, held: repo.JobRecord) -> repo.JobRecord:
        with self.database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
            found = repo.get(uow.conn, held.org_id, held.id)
        return found or held

    def _run(self, held: repo.JobRecord, stop: threading.Event | None, progress: Progress | None) -> repo.JobRecord:
        with self.database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
            content = repo.content(uow.conn, held.org_id, held.id)
            settings = identity.load_settings(uow.conn, held.org_id)
        if content is None:
            return self._fail(held, "import.file_missing", Message("import.file_missing"))
        try:
            sheet = reading.read(content, file_name=held.file_name, mapping=held.mapping)
        except PatronError as exc:
            return self._fail(held, exc.code, exc.detail)
        columns = sheet.columns
        parsed = (
            _yielding(rows.parse_row(number, cells, columns, settings), i)
            for i, (number, cells) in enumerate(sheet.rows)
        )
        try:
            items = rows.plan(parsed, held.match_on, pause=_pause)  # type: ignore[arg-type]  # stored as checked
        except PatronError as exc:  # a row the file's format breaks (an unclosed quote): the file as a whole
            return self._fail(held, exc.code, exc.detail)
        headers = {c.field: c.header for c in columns if c.field is not None}
        total = sum(len(i.rows) if isinstance(i, rows.Unit) else 1 for i in items)
        principal = Principal(
            org_id=held.org_id,
            staff_id=held.created_by or held.org_id,
            role=Role(held.created_by_role),
            api_key_id=None,
        )
        actor = Actor(ActorType.IMPORT, held.id)
        # Reading the file may have taken a while: check in before the first chunk.
        held = self._advance(held, {"rows": total})
        start = held.next_item
        while start < len(items):
            if stop is not None and stop.is_set():
                self._release(held)
                return held
            end, counted = start, 0
            while end < len(items) and counted < self.chunk_rows:
                item = items[end]
                counted += len(item.rows) if isinstance(item, rows.Unit) else 1
                end += 1
            with self.database.unit_of_work(actor=actor) as uow:
                result = applying.apply_chunk(
                    uow,
                    principal=principal,
                    settings=settings,
                    items=items[start:end],
                    match_on=held.match_on,  # type: ignore[arg-type]
                    on_match=held.on_match,
                    dry_run=held.dry_run,
                    headers=headers,
                )
                repo.insert_errors(uow.conn, _error_rows(held, result))
                repo.insert_chunk(
                    uow.conn,
                    {
                        "org_id": held.org_id,
                        "job_id": held.id,
                        "seq": held.chunks,
                        "first_row": result.outcomes[0][0] if result.outcomes else 0,
                        "outcomes": result.outcomes,
                    },
                )
                moved = {
                    "next_item": end,
                    "chunks": held.chunks + 1,
                    "processed": held.processed + result.rows,
                    "created": held.created + result.created,
                    "updated": held.updated + result.updated,
                    "unchanged": held.unchanged + result.unchanged,
                    "merged": held.merged + result.merged,
                    "rejected": held.rejected + len(result.rejected),
                }
                if not repo.advance(uow.conn, held, owner=self.owner, until=self._until(), values=moved):
                    raise LeaseLost
            held = msgspec.structs.replace(held, **moved)
            if self.database.is_sqlite:
                # Single writes waiting for SQLite's one write lock go before the next chunk.
                WRITERS.yield_to_waiting()
            if progress is not None:
                progress(held)
            start = end
        return self._succeed(held)

    def _advance(self, held: repo.JobRecord, values: dict[str, Any]) -> repo.JobRecord:
        with self.database.unit_of_work(actor=SYSTEM) as uow:
            if not repo.advance(uow.conn, held, owner=self.owner, until=self._until(), values=values):
                raise LeaseLost
        return msgspec.structs.replace(held, **values)

    def _succeed(self, held: repo.JobRecord) -> repo.JobRecord:
        values = {"status": "succeeded", "finished_at": clock.now(), "lease_owner": None}
        with self.database.unit_of_work(actor=Actor(ActorType.IMPORT, held.id)) as uow:
            if not repo.advance(uow.conn, held, owner=self.owner, until=clock.now(), values=values):
                raise LeaseLost
            repo.drop_file(uow.conn, held.org_id, held.id)
            uow.record(
                ImportSucceeded(
                    held.org_id,
                    held.id,
                    dry_run=held.dry_run,
                    rows=held.processed,
                    created=held.created,
                    updated=held.updated,
                    unchanged=held.unchanged,
                    merged=held.merged,
                    rejected=held.rejected,
                )
            )
        return msgspec.structs.replace(held, **values)

    def _fail(self, held: repo.JobRecord, code: str, message: Message) -> repo.JobRecord:
        failure = {"code": code, "message_id": message.id, "message_params": message.params}
        values = {"status": "failed", "finished_at": clock.now(), "lease_owner": None, "failure": failure}
        with self.database.unit_of_work(actor=Actor(ActorType.IMPORT, held.id)) as uow:
            if not repo.advance(uow.conn, held, owner=self.owner, until=clock.now(), values=values):
                raise LeaseLost
            repo.drop_file(uow.conn, held.org_id, held.id)
            uow.record(ImportFailed(held.org_id, held.id, dry_run=held.dry_run, code=code, processed=held.processed))
        return msgspec.structs.replace(held, **values)

    def _release(self, held: repo.JobRecord) -> None:
        with self.database.unit_of_work(actor=SYSTEM) as uow:
            repo.release(uow.conn, held, owner=self.owner, now=clock.now())


T = TypeVar("T")


def _yielding(value: T, i: int) -> T:
    """Let the process's other threads run now and then while a file is read (pure Python, ~75 µs a
    row): a thread waiting for the GIL otherwise waits out the 5 ms switch interval at each of its
    I/O calls. Measured, single creates beside a 20,000-row import took 70-230 ms each while its
    file was read; a `sleep(0)` every 16 rows costs the reading nothing measurable."""
    if i % 16 == 0:
        _pause()
        if i % 4096 == 0:
            # The plan is hundreds of thousands of long-lived objects: a full collection of the cyclic
            # GC walks them all, holding the GIL ~200 ms (measured: single creates beside the import
            # stalled that long, and did not with the GC off). Frozen, they are left out of its walks;
            # reference counting still frees them, and `run` unfreezes when the job ends.
            gc.freeze()
    return value


def _pause() -> None:
    time.sleep(0)


def _error_rows(held: repo.JobRecord, result: applying.ChunkResult) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for rejected in result.rejected:
        for n, problem in enumerate(rejected.problems):
            found.append(
                {
                    "org_id": held.org_id,
                    "job_id": held.id,
                    "row": rejected.number,
                    "n": n,
                    "column": problem.column,
                    "field": problem.field,
                    "code": problem.code,
                    "message_id": problem.message.id,
                    "message_params": problem.message.params,
                    "cells": rejected.cells if n == 0 else None,
                }
            )
    return found
