"""Pipeline stages without a database: open stages first, then exactly one won and one lost."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patron.deals import rules
from patron.kernel.errors import ValidationFailed

_names = st.lists(
    st.text(alphabet="abcdefgh", min_size=1, max_size=6), min_size=1, max_size=6, unique_by=str.lower
).map(lambda names: [f"open {n}" for n in names])


def _fields(stages: list[tuple[str, str]]) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        rules.check_stages(stages)
    return [e.field for e in caught.value.errors]


def test_the_default_pipeline_is_valid_as_it_is() -> None:
    assert rules.check_stages(rules.DEFAULT_STAGES) == rules.DEFAULT_STAGES
    assert [kind for _, kind in rules.DEFAULT_STAGES][-2:] == ["won", "lost"]


def test_names_are_trimmed_and_inner_whitespace_collapsed() -> None:
    stages = [("  first   call ", "open"), ("Won", "won"), ("\tLost\n", "lost")]
    assert rules.check_stages(stages) == [("first call", "open"), ("Won", "won"), ("Lost", "lost")]


def test_blank_and_repeated_names_are_named_by_their_position() -> None:
    stages = [("New", "open"), ("  ", "open"), ("new ", "open"), ("Won", "won"), ("Lost", "lost")]
    assert _fields(stages) == ["stages[1].name", "stages[2].name"]


@pytest.mark.parametrize(
    "kinds",
    [
        ["open", "won"],  # no lost stage
        ["open", "lost"],
        ["won", "lost"],  # no open stage
        ["open", "won", "won", "lost"],
        ["open", "won", "lost", "lost"],
        ["open", "won", "open", "lost"],  # an open stage after won
        ["open", "lost", "open", "won"],
        ["won", "open", "lost"],
    ],
)
def test_stage_kinds_out_of_shape_are_refused(kinds: list[str]) -> None:
    stages = [(f"stage {i}", kind) for i, kind in enumerate(kinds)]
    assert _fields(stages) == ["stages"]


@given(_names, st.booleans())
def test_open_stages_then_won_and_lost_in_either_order_are_kept_in_order(opens: list[str], won_first: bool) -> None:
    closing = [("Won", "won"), ("Lost", "lost")]
    stages = [(name, "open") for name in opens] + (closing if won_first else closing[::-1])
    assert rules.check_stages(stages) == stages


@given(_names, st.data())
def test_any_open_stage_after_a_closing_stage_is_refused(opens: list[str], data: st.DataObject) -> None:
    stages = [(name, "open") for name in opens]
    won_at = data.draw(st.integers(0, len(stages) - 1), label="won at")
    stages.insert(won_at, ("Won", "won"))
    stages.append(("Lost", "lost"))
    assert _fields(stages) == ["stages"]
