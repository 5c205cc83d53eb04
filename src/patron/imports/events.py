"""Import events (past tense); the subject is the import job.

The customers an import creates or changes write their own `customer.created` and
`customer.updated` events, with the actor `import` and the job's id.
"""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from patron.kernel.events import DomainEvent

_COUNT = Meta(description="rows of the file")


class ImportSucceeded(DomainEvent, frozen=True, kw_only=True):
    """An import job went through its whole file (a dry run too: it wrote no customer)."""

    type = "import.succeeded"
    subject = "import"
    dry_run: bool
    rows: Annotated[int, _COUNT]
    created: Annotated[int, _COUNT]
    updated: Annotated[int, _COUNT]
    unchanged: Annotated[int, _COUNT]
    merged: Annotated[int, Meta(description="rows folded into an earlier row of the file with the same key")]
    rejected: Annotated[int, _COUNT]


class ImportFailed(DomainEvent, frozen=True, kw_only=True):
    """An import job stopped without going through its file; what its committed chunks did stays."""

    type = "import.failed"
    subject = "import"
    dry_run: bool
    code: Annotated[str, Meta(description="why, e.g. `import.not_utf8`")]
    processed: Annotated[int, Meta(description="rows applied before it stopped")]


EVENTS = (ImportSucceeded, ImportFailed)
