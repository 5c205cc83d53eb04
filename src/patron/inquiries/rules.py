"""Pure inquiry rules: the lifecycle state machine and names."""

from __future__ import annotations

from typing import Literal

from patron.kernel.errors import Conflict
from patron.kernel.messages import Message

Action = Literal["assign", "reply", "convert", "lose"]

# new → assigned → replied → converted | lost. Reassigning keeps the status; an open inquiry
# may be lost at any point (spam, no budget); converting needs someone to have taken it on.
TRANSITIONS: dict[Action, dict[str, str]] = {
    "assign": {"new": "assigned", "assigned": "assigned", "replied": "replied"},
    "reply": {"assigned": "replied", "replied": "replied"},
    "convert": {"assigned": "converted", "replied": "converted"},
    "lose": {"new": "lost", "assigned": "lost", "replied": "lost"},
}
CLOSED = frozenset({"converted", "lost"})


def next_status(action: Action, current: str) -> str:
    """The status after `action`, or 409 `inquiry.invalid_transition`."""
    target = TRANSITIONS[action].get(current)
    if target is None:
        allowed = ", ".join(sorted(TRANSITIONS[action]))
        raise Conflict(
            Message("inquiry.invalid_transition", action=action, status=current, allowed=allowed),
            code="inquiry.invalid_transition",
            # `status` is the problem's HTTP status; the inquiry's is `status_now`, as a customer's.
            extra={"status_now": current, "action": action},
        )
    return target


# Languages whose speakers write the family name first ("Nguyễn Văn An": family Nguyễn, given Văn An).
FAMILY_NAME_FIRST = frozenset({"vi", "zh", "ja", "ko", "hu"})


def family_name_first(locale: str) -> bool:
    """Whether names typed by the organization's public (its locale's language) start with the family name."""
    return locale.split("-")[0].split("_")[0].lower() in FAMILY_NAME_FIRST


def split_name(name: str, *, family_first: bool = False) -> tuple[str, str | None]:
    """First and last name for a new customer: the last word is taken as the last name, or
    with `family_first` the first word (the rest is then the first name)."""
    text = name.strip()
    if family_first:
        head = text.split(" ", 1)
        return (head[1].strip(), head[0]) if len(head) == 2 else (head[0], None)
    parts = text.rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], None)
