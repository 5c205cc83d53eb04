"""Pure customer rules, no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patron.customers import rules
from patron.identity.schemas import FieldRule, OrganizationSettings
from patron.kernel.errors import ValidationFailed


def test_generated_numbers_round_trip() -> None:
    assert rules.generated_number(42) == "C-000042"
    assert rules.generated_number_value("C-000042") == 42
    assert rules.generated_number_value("X-42") is None


@given(st.integers(min_value=1, max_value=10**12))
def test_every_generated_number_is_recognised(n: int) -> None:
    assert rules.generated_number_value(rules.generated_number(n)) == n


@given(st.lists(st.text(min_size=1, max_size=10).filter(str.strip), max_size=10))
def test_tags_are_distinct_lower_case_and_keep_first_order(tags: list[str]) -> None:
    result = rules.normalise_fields({"tags": tags}, OrganizationSettings())["tags"]
    assert len(result) == len(set(result))
    assert all(t == t.strip().lower() for t in result)
    assert set(result) == {t.strip().lower() for t in tags}


def test_updates_are_held_only_to_the_fields_they_change() -> None:
    settings = OrganizationSettings(field_rules={"phone": FieldRule(mode="required")})
    record = {"first_name": "A", "phone": None}
    rules.check_record(record, settings, changed=["first_name"])
    with pytest.raises(ValidationFailed):
        rules.check_record(record, settings, changed=["phone"])
    with pytest.raises(ValidationFailed):
        rules.check_record(record, settings, changed=None)


def test_company_waives_required_names_only_when_the_organization_says_so() -> None:
    required = {"first_name": FieldRule(mode="required")}
    record = {"first_name": None, "company_name": "ACME"}
    rules.check_record(record, OrganizationSettings(field_rules=required), changed=None)
    strict = OrganizationSettings(field_rules=required, names_optional_with_company=False)
    with pytest.raises(ValidationFailed):
        rules.check_record(record, strict, changed=None)


def test_sections_group_changed_fields() -> None:
    assert rules.sections_of(["first_name", "email", "credit", "is_favorite"]) == [
        "contact",
        "credit",
        "favorite",
        "personal",
    ]


def test_the_lifecycle_allows_exactly_the_four_transitions() -> None:
    statuses = ["lead", "prospect", "customer", "churned"]
    allowed = {(s, a): rules.transition(s, a) for s in statuses for a in rules.TRANSITIONS if rules.transition(s, a)}
    assert allowed == {
        ("lead", "qualify"): "prospect",
        ("prospect", "convert"): "customer",
        ("customer", "churn"): "churned",
        ("churned", "reactivate"): "prospect",
    }
    assert rules.allowed_transitions("customer") == [{"action": "churn", "to": "churned"}]
