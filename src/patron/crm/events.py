"""Interaction and memo events (past tense); the subject is the interaction or memo."""

from __future__ import annotations

import uuid

from patron.crm.schemas import InteractionKind
from patron.kernel.events import Changes, DomainEvent


class InteractionLogged(DomainEvent, frozen=True, kw_only=True):
    """A call, email, meeting or note with a customer or a company was logged."""

    type = "interaction.logged"
    subject = "interaction"
    kind: InteractionKind
    customer_id: uuid.UUID | None
    company_id: uuid.UUID | None


class InteractionUpdated(DomainEvent, frozen=True, kw_only=True):
    """Fields of an interaction changed."""

    type = "interaction.updated"
    subject = "interaction"
    changes: Changes


class InteractionDeleted(DomainEvent, frozen=True, kw_only=True):
    """An interaction was deleted."""

    type = "interaction.deleted"
    subject = "interaction"
    kind: InteractionKind


class MemoAdded(DomainEvent, frozen=True, kw_only=True):
    """A staff note was written on a customer."""

    type = "memo.added"
    subject = "memo"
    customer_id: uuid.UUID


class MemoUpdated(DomainEvent, frozen=True, kw_only=True):
    """A memo was rewritten."""

    type = "memo.updated"
    subject = "memo"
    customer_id: uuid.UUID


class MemoDeleted(DomainEvent, frozen=True, kw_only=True):
    """A memo was deleted."""

    type = "memo.deleted"
    subject = "memo"
    customer_id: uuid.UUID


EVENTS = (InteractionLogged, InteractionUpdated, InteractionDeleted, MemoAdded, MemoUpdated, MemoDeleted)
