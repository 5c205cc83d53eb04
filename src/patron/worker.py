"""Background work after commit, from the outbox: webhook delivery, confirmation mail, NATS.

Runs as a task of each server process (embedded mode) or in `patron worker` processes.
Every step reads what to do from the database, so any number of these can run.
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass, field

import anyio
import anyio.to_thread
import httpx

from patron.config import Settings, resolve_secret_key
from patron.db.uow import Database
from patron.events import dispatcher
from patron.events.publisher import NatsPublisher
from patron.imports.runner import ImportRunner
from patron.mail.mailer import from_config
from patron.newsletter.mailing import ConfirmationMail
from patron.newsletter.rules import LinkSigner

log = logging.getLogger("patron.worker")


@dataclass(frozen=True, slots=True)
class Worker:
    database: Database
    dispatch: dispatcher.DispatchConfig
    confirmation_mail: ConfirmationMail
    publisher: NatsPublisher | None = None
    imports: ImportRunner | None = None
    # Between import chunks the runner looks at this: a stopping worker gives its job back.
    _stopping: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def from_settings(cls, database: Database, settings: Settings) -> Worker:
        mailer = from_config(smtp_url=settings.smtp_url, mail_dir=settings.mail_dir)
        links = LinkSigner.for_service(resolve_secret_key(settings), settings.base_url)
        return cls(
            database=database,
            dispatch=dispatcher.config_from(settings),
            confirmation_mail=ConfirmationMail(database, links, mailer, settings.mail_from),
            publisher=NatsPublisher(database, settings.nats_url, settings.nats_stream) if settings.nats_url else None,
            imports=ImportRunner(
                database, lease_seconds=settings.import_lease_seconds, chunk_rows=settings.import_chunk_rows
            ),
        )

    async def run_once(self, client: httpx.AsyncClient) -> int:
        """One round of every kind of work; returns how much was done."""
        done = await dispatcher.run_once(self.database, self.dispatch, client)
        # Mail may wait on an SMTP server: always off the event loop.
        done += await anyio.to_thread.run_sync(self.confirmation_mail.run_once)
        if self.publisher is not None:
            done += await self.publisher.run_once()
        return done

    async def run(self, stop: anyio.Event | None = None) -> None:
        """Work until `stop` is set (forever without one); a failed round is logged and the next
        one retries from the tables. A round under way when `stop` is set is finished: its
        deliveries are sent and their outcome recorded, so none waits out its lease to be sent again."""
        stop = stop or anyio.Event()
        try:
            async with anyio.create_task_group() as group:
                if self.imports is not None:
                    group.start_soon(self._run_imports, self.imports, stop)
                async with dispatcher.new_client(self.dispatch) as client:
                    while not stop.is_set():
                        try:
                            done = await self.run_once(client)
                        except Exception:
                            log.exception("background round failed; retrying")
                            done = 0
                        if done == 0:
                            with anyio.move_on_after(self.dispatch.poll_seconds):
                                await stop.wait()
                self._stopping.set()
        finally:
            self._stopping.set()
            if self.publisher is not None:
                with anyio.CancelScope(shield=True):
                    await self.publisher.close()

    async def _run_imports(self, runner: ImportRunner, stop: anyio.Event) -> None:
        """Import jobs, one at a time, in a thread (a job runs for minutes: never on the event loop).
        A stopping worker finishes the chunk in hand and gives the job back for another to resume."""
        while not stop.is_set():
            try:
                done = await anyio.to_thread.run_sync(runner.run_next, self._stopping, abandon_on_cancel=False)
            except Exception:
                log.exception("import round failed; retrying")
                done = False
            if not done:
                with anyio.move_on_after(self.dispatch.poll_seconds):
                    await stop.wait()

    async def run_until_signalled(self) -> None:
        """`run` until SIGTERM or SIGINT (Ctrl+C), finishing the round in hand; a second signal
        stops at once (what was not recorded is sent again after its lease)."""
        stop = anyio.Event()
        async with anyio.create_task_group() as group:

            async def on_signals() -> None:
                with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
                    async for signum in signals:
                        if stop.is_set():
                            group.cancel_scope.cancel()
                            return
                        log.info("%s: finishing the deliveries in hand, then stopping", signal.Signals(signum).name)
                        stop.set()

            group.start_soon(on_signals)
            await self.run(stop)
            group.cancel_scope.cancel()
