"""The parser on random text and on mutated valid queries: it answers a tree or ValidationFailed
(`segment.invalid_query`, naming `query` and a position inside the text), never another exception.
Hostile inputs (deep nesting, long lists, long literals) meet the parser's limits with the same 422
instead of a RecursionError; how fast it answers is measured in bench/segments.py, not here."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patron.kernel.errors import ValidationFailed
from patron.segments import language
from tests.integration.segments.test_sql_matches_evaluator import FIELDS, NOW, QUERIES

PIECES = [
    "'",
    "''",
    "(",
    ")",
    ",",
    "=",
    "<",
    ">=",
    "!",
    "-",
    "-9d",
    " ",
    "and",
    "OR",
    "not",
    "in",
    "is",
    "null",
    "between",
    "has",
    "2026-02-30",
    "9" * 30,
    "custom.",
    ".",
    "é",
    "\x00",
    "\n",
    "true",
]


def _parse(text: str) -> None:
    failed: ValidationFailed | None = None
    try:
        language.parse(text, FIELDS, now=NOW)
    except ValidationFailed as exc:
        failed = exc
    if failed is not None:
        assert failed.code == "segment.invalid_query"
        [error] = failed.errors
        assert error.field == "query"
        assert error.position is not None
        assert 0 <= error.position <= len(text)
        assert str(error.message) != error.message.id  # the message is in the catalog


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    text = draw(QUERIES)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(PIECES))
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 5)) :]
        else:
            text = text[:at] + piece + text[at + len(piece) :]
    return text


@settings(max_examples=400, deadline=None)
@given(text=st.text(max_size=200) | st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join) | _mutated())
def test_the_parser_answers_a_tree_or_a_positioned_422(text: str) -> None:
    _parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "(" * 3000,
        "not " * 1000 + "credit = 1",
        "(" * 31 + "credit = 1" + ")" * 31,
        "credit in (" + ", ".join(["1"] * 501) + ")",
        " or ".join(["credit = 1"] * 101),
        "first_name = '" + "''" * 1999 + "'",
        "x" * 4001,
        "'" * 3999,
        "credit = " + "9" * 3990,
    ],
    ids=["open", "nots", "nested", "in", "predicates", "quotes", "long", "unterminated", "digits"],
)
def test_hostile_inputs_answer_a_tree_or_a_positioned_422(text: str) -> None:
    _parse(text)
