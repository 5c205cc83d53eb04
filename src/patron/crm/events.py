"""Interaction and memo events (past tense); the subject is the interaction or memo."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class InteractionLogged(DomainEvent):
    type = "interaction.logged"


@dataclass(frozen=True, slots=True)
class InteractionUpdated(DomainEvent):
    type = "interaction.updated"


@dataclass(frozen=True, slots=True)
class InteractionDeleted(DomainEvent):
    type = "interaction.deleted"


@dataclass(frozen=True, slots=True)
class MemoAdded(DomainEvent):
    type = "memo.added"


@dataclass(frozen=True, slots=True)
class MemoUpdated(DomainEvent):
    type = "memo.updated"


@dataclass(frozen=True, slots=True)
class MemoDeleted(DomainEvent):
    type = "memo.deleted"
