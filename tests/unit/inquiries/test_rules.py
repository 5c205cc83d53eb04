"""Inquiry rules without a database: the lifecycle state machine and names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patron.inquiries import rules
from patron.kernel.errors import Conflict

STATUSES = ["new", "assigned", "replied", "converted", "lost"]
ACTIONS: list[rules.Action] = ["assign", "reply", "convert", "lose"]
EXPECTED = {
    ("assign", "new"): "assigned",
    ("assign", "assigned"): "assigned",  # reassigning keeps the status
    ("assign", "replied"): "replied",
    ("reply", "assigned"): "replied",
    ("reply", "replied"): "replied",
    ("convert", "assigned"): "converted",
    ("convert", "replied"): "converted",
    ("lose", "new"): "lost",
    ("lose", "assigned"): "lost",
    ("lose", "replied"): "lost",
}


def _next(action: rules.Action, status: str) -> str | None:
    try:
        return rules.next_status(action, status)
    except Conflict:
        return None


def test_the_transition_table() -> None:
    allowed = {(a, s): _next(a, s) for a in ACTIONS for s in STATUSES if _next(a, s) is not None}
    assert allowed == EXPECTED


@pytest.mark.parametrize("status", sorted(rules.CLOSED))
@pytest.mark.parametrize("action", ACTIONS)
def test_a_closed_inquiry_refuses_every_action_with_409_naming_its_status(action: rules.Action, status: str) -> None:
    with pytest.raises(Conflict) as caught:
        rules.next_status(action, status)
    assert caught.value.code == "inquiry.invalid_transition"
    assert caught.value.extra == {"status_now": status, "action": action}


@given(st.lists(st.sampled_from(ACTIONS), max_size=15))
def test_any_sequence_of_actions_follows_the_lifecycle(actions: list[rules.Action]) -> None:
    status, history = "new", ["new"]
    for action in actions:
        after = _next(action, status)
        if after is None:
            continue
        if status in rules.CLOSED:
            pytest.fail(f"{action} moved a closed inquiry ({status} -> {after})")
        status = after
        if history[-1] != status:
            history.append(status)
    # Statuses only move forward along new -> assigned -> replied -> converted | lost.
    order = {name: i for i, name in enumerate(STATUSES)}
    assert [order[s] for s in history] == sorted(order[s] for s in history)
    if "converted" in history:
        assert "assigned" in history  # converting needs someone to have taken it on
    if "replied" in history:
        assert "assigned" in history
    assert history.count("converted") + history.count("lost") <= 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Nguyễn Văn An", ("Nguyễn Văn", "An")),
        ("Ada Lovelace", ("Ada", "Lovelace")),
        ("  Madonna ", ("Madonna", None)),
    ],
)
def test_the_last_word_becomes_the_last_name(name: str, expected: tuple[str, str | None]) -> None:
    assert rules.split_name(name) == expected


@given(st.lists(st.text(alphabet="abcÀễ", min_size=1, max_size=5), min_size=1, max_size=4))
def test_split_names_join_back_into_the_name(words: list[str]) -> None:
    first, last = rules.split_name(" ".join(words))
    assert (first if last is None else f"{first} {last}") == " ".join(words)
    assert (last is None) == (len(words) == 1)
    first, last = rules.split_name(" ".join(words), family_first=True)
    assert (first if last is None else f"{last} {first}") == " ".join(words)
    assert (last is None) == (len(words) == 1)


def test_a_vietnamese_name_starts_with_the_family_name() -> None:
    assert rules.split_name("Nguyễn Văn An", family_first=rules.family_name_first("vi")) == ("Văn An", "Nguyễn")
    assert rules.split_name("Jane Doe", family_first=rules.family_name_first("en-GB")) == ("Jane", "Doe")
    assert rules.family_name_first("vi-VN")
    assert rules.family_name_first("ja")
    assert not rules.family_name_first("de")
