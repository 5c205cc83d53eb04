"""The plan of a file: rows typed and normalised by the customer rules, grouped by natural key."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from patron.identity.schemas import OrganizationSettings
from patron.imports import rows
from patron.imports.reading import Column

SETTINGS = OrganizationSettings(region="VN")


def _columns(*fields: str) -> list[Column]:
    return [Column(index=i, header=f, field=f) for i, f in enumerate(fields)]


def _row(number: int, **values: Any) -> rows.Row:
    return rows.Row(number, values, [])


def test_cells_are_typed_and_normalised_as_post_customers_does() -> None:
    columns = _columns("email", "phone", "tags", "credit", "is_favorite", "birthday", "vat_id", "first_name")
    cells = [" Lan@Example.COM ", "0912 345 678", "VIP; vip ;Gold", "250", "yes", "1990-04-05", "de 136 695 976", "Lan"]
    parsed = rows.parse_row(2, cells, columns, SETTINGS)
    assert isinstance(parsed, rows.Row)
    assert parsed.values["email"] == "lan@example.com"
    assert parsed.values["phone"] == "+84912345678"
    assert parsed.values["tags"] == ["vip", "gold"]
    assert parsed.values["credit"] == 250
    assert parsed.values["is_favorite"] is True
    assert parsed.values["birthday"].isoformat() == "1990-04-05"
    assert parsed.values["vat_id"] == "DE136695976"


def test_every_bad_cell_of_a_row_is_reported_with_its_column_and_field() -> None:
    columns = [
        Column(0, "E-Mail", "email"),
        Column(1, "Credit", "credit"),
        Column(2, "Gender", "gender"),
        Column(3, "Birthday", "birthday"),
    ]
    parsed = rows.parse_row(7, ["nope", "-5", "robot", "2999-01-01"], columns, SETTINGS)
    assert isinstance(parsed, rows.Rejected)
    assert [(p.row, p.column, p.field) for p in parsed.problems] == [
        (7, "Credit", "credit"),
        (7, "Gender", "gender"),
        (7, "E-Mail", "email"),
        (7, "Birthday", "birthday"),
    ]


def test_an_exported_formula_guard_is_not_data() -> None:
    parsed = rows.parse_row(2, ["a@example.com", "'=SUM(A1)"], _columns("email", "first_name"), SETTINGS)
    assert isinstance(parsed, rows.Row)
    assert parsed.values["first_name"] == "=SUM(A1)"


def test_rows_sharing_any_key_are_one_customer_and_later_cells_win() -> None:
    items = rows.plan(
        [
            _row(2, email="a@example.com", first_name="Early", last_name="Smith"),
            _row(3, phone="+84912345678", email="b@example.com", first_name="B"),
            _row(4, email="a@example.com", phone="+84900000000", first_name="Late"),
            _row(5, phone="+84900000000", company_name="Acme"),
        ],
        ["email", "phone"],
    )
    units = [item for item in items if isinstance(item, rows.Unit)]
    assert [[r.number for r in u.rows] for u in units] == [[2, 4, 5], [3]]
    assert units[0].values == {
        "email": "a@example.com",
        "first_name": "Late",
        "last_name": "Smith",
        "phone": "+84900000000",
        "company_name": "Acme",
    }


def test_two_customers_of_a_file_may_not_claim_one_email_whatever_match_on_says() -> None:
    items = rows.plan(
        [_row(2, customer_number="A", email="x@example.com"), _row(3, customer_number="B", email="x@example.com")],
        ["customer_number"],
    )
    assert isinstance(items[0], rows.Unit)
    assert isinstance(items[1], rows.Rejected)
    assert items[1].problems[0].code == "import.repeats_row"


def test_changes_are_the_cells_that_differ_and_status_stays_with_the_lifecycle() -> None:
    existing = {"first_name": "A", "tags": ["x"], "custom_fields": {"size": 1}, "status": "lead"}
    assert rows.changes(existing, {"first_name": "A", "tags": ["x"], "status": "customer"}) == {}
    assert rows.changes(existing, {"custom_fields": {"color": "red"}}) == {"custom_fields": {"size": 1, "color": "red"}}


keys = st.sampled_from(["a@example.com", "b@example.com", "c@example.com", None])
phones = st.sampled_from(["+84911111111", "+84922222222", None])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(keys, phones, st.integers(0, 5)), min_size=1, max_size=30), st.randoms())
def test_the_plan_does_not_depend_on_how_the_rows_are_cut_or_which_row_comes_first(
    spec: list[tuple[str | None, str | None, int]], rnd: random.Random
) -> None:
    """Each customer of the plan holds exactly the rows sharing a key with it, transitively, and
    every row is in exactly one item: a property of the file, not of its order."""
    made = []
    for i, (email, phone, credit) in enumerate(spec):
        values: dict[str, Any] = {"credit": credit}
        if email:
            values["email"] = email
        if phone:
            values["phone"] = phone
        made.append(_row(i + 2, **values))
    items = rows.plan(made, ["email", "phone"])
    numbers = sorted(
        n for item in items for n in ([r.number for r in item.rows] if isinstance(item, rows.Unit) else [item.number])
    )
    assert numbers == [r.number for r in made]
    assert [item.first_row for item in items] == sorted(item.first_row for item in items)
    shuffled = list(made)
    rnd.shuffle(shuffled)
    groups = {frozenset(r.number for r in u.rows) for u in items if isinstance(u, rows.Unit)}
    again = {
        frozenset(r.number for r in u.rows) for u in rows.plan(shuffled, ["email", "phone"]) if isinstance(u, rows.Unit)
    }
    assert groups == again
