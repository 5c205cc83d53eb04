"""The event registry: every event class is in it once, named `<domain>.<past tense>`, and documented."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec
import pytest

from patron import event_types
from patron.db.engine import JSON_CODEC
from patron.kernel.events import DomainEvent, registry
from tests.event_samples import sample_event

DOCUMENT = Path(__file__).parents[3] / "docs" / "events.md"
NAME = re.compile(r"^[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*$")
IRREGULAR_PAST = {"paid"}
EVENTS = list(event_types.REGISTRY.values())


def _defined(cls: type[DomainEvent]) -> set[type[DomainEvent]]:
    found = set()
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("patron."):
            found |= {sub, *_defined(sub)}
    return found


def test_every_event_class_is_registered() -> None:
    assert _defined(DomainEvent) == set(EVENTS)


@pytest.mark.parametrize("name", list(event_types.REGISTRY))
def test_types_are_named_domain_dot_past_tense(name: str) -> None:
    assert event_types.REGISTRY[name].type == name
    assert NAME.match(name), name
    last_word = name.rsplit(".", 1)[1].rsplit("_", 1)[-1]
    assert last_word.endswith("ed") or last_word in IRREGULAR_PAST, name


def test_a_type_declared_twice_is_refused() -> None:
    first, second = EVENTS[0], EVENTS[1]
    doubled = type("Doubled", (second,), {"type": first.type, "__module__": "tests.doubles"})
    with pytest.raises(ValueError, match=first.type):
        registry([first], [doubled])


@pytest.mark.parametrize("cls", EVENTS, ids=lambda cls: cls.type)
def test_every_event_says_what_it_means_and_what_its_subject_is(cls: type[DomainEvent]) -> None:
    assert cls.__doc__, f"{cls.__name__} needs a docstring: the documentation says it as the event's meaning"
    assert "subject" in vars(cls), f"{cls.__name__} must say what subject_id names"


@pytest.mark.parametrize("optional", [True, False], ids=["optional fields set", "optional fields unset"])
@pytest.mark.parametrize("cls", EVENTS, ids=lambda cls: cls.type)
def test_every_event_round_trips_through_the_outbox_json(cls: type[DomainEvent], optional: bool) -> None:
    event = sample_event(cls, optional=optional)
    stored = JSON_CODEC["json_serializer"](event.payload())  # what the outbox `data` column holds
    data = JSON_CODEC["json_deserializer"](stored)
    assert "org_id" not in data, "the envelope is not payload"
    assert "subject_id" not in data
    decoded = msgspec.convert({**data, "org_id": str(event.org_id), "subject_id": str(event.subject_id)}, cls)
    assert type(decoded) is cls
    assert decoded == event


def test_the_committed_document_is_up_to_date() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == event_types.document(), (
        "docs/events.md is out of date: run `patron events-doc` and commit it"
    )
