"""raised_as: a lost race on one unique key answers as its pre-check does; other errors pass."""

from __future__ import annotations

import pytest

from patron.db.errors import UniqueViolation, raised_as
from patron.kernel.errors import Conflict
from patron.kernel.messages import Message


def _violation(constraint: str) -> UniqueViolation:
    return UniqueViolation(constraint, statement=None, params=None, orig=Exception("unique"))


def test_the_named_constraint_is_raised_as_the_error() -> None:
    conflict = Conflict(Message("segment.name_taken"), code="segment.name_taken")
    with pytest.raises(Conflict) as caught, raised_as("uq_segment_org_id_name", conflict):
        raise _violation("uq_segment_org_id_name")
    assert caught.value is conflict
    assert caught.value.__cause__ is None


def test_another_constraint_or_error_passes_through() -> None:
    conflict = Conflict(Message("segment.name_taken"), code="segment.name_taken")
    with pytest.raises(UniqueViolation), raised_as("uq_segment_org_id_name", conflict):
        raise _violation("uq_customer_org_id_email")
    with pytest.raises(KeyError), raised_as("uq_segment_org_id_name", conflict):
        raise KeyError("x")
    with raised_as("uq_segment_org_id_name", conflict):
        pass
