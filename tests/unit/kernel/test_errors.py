from __future__ import annotations

import pytest

from patron.kernel.errors import PROBLEM_MEMBERS, Conflict, NotFound, PatronError, TooManyRequests
from patron.kernel.messages import Message


@pytest.mark.parametrize("member", sorted(PROBLEM_MEMBERS))
@pytest.mark.parametrize("kind", [PatronError, Conflict, NotFound, TooManyRequests])
def test_an_extra_named_like_a_problem_member_is_refused_where_the_error_is_made(
    kind: type[PatronError], member: str
) -> None:
    with pytest.raises(ValueError, match=member):
        kind(Message("resource.conflict"), extra={member: "x", "other": 1})


def test_other_extras_are_kept() -> None:
    error = Conflict(Message("resource.conflict"), extra={"status_now": "lost", "retry_after": 3})
    assert error.extra == {"status_now": "lost", "retry_after": 3}
    assert Conflict(Message("resource.conflict")).extra == {}


def test_the_reserved_members_are_rfc_9457_and_patrons_own() -> None:
    assert {"type", "title", "status", "detail", "instance"} <= PROBLEM_MEMBERS
    assert {"code", "errors"} <= PROBLEM_MEMBERS
