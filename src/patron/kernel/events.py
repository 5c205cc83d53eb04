"""The base of every domain event: past tense, immutable, written to the outbox."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """A fact about one subject in one organization; `type` is its wire name."""

    type: ClassVar[str]
    org_id: uuid.UUID
    subject_id: uuid.UUID
    data: dict[str, Any] = field(default_factory=dict)
