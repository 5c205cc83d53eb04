"""Organization settings without a database: canonical values, and every bad field named at once."""

from __future__ import annotations

import pytest

from patron.identity import rules
from patron.identity.schemas import CustomFieldDefinition, FieldRule, LoyaltySettings, OrganizationSettings
from patron.kernel.errors import ValidationFailed


def _fields(settings: OrganizationSettings) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        rules.normalise_settings(settings)
    return [e.field for e in caught.value.errors]


def test_locale_region_and_currency_become_canonical() -> None:
    settings = rules.normalise_settings(
        OrganizationSettings(locale="vi_vn", region=" vn", currency="vnd ", timezone="Asia/Ho_Chi_Minh")
    )
    assert (settings.locale, settings.region, settings.currency, settings.timezone) == (
        "vi-VN",
        "VN",
        "VND",
        "Asia/Ho_Chi_Minh",
    )


def test_the_defaults_are_valid() -> None:
    settings = OrganizationSettings()
    assert rules.normalise_settings(settings) == OrganizationSettings()


def test_every_bad_field_is_named_in_one_answer() -> None:
    settings = OrganizationSettings(
        locale="klingon-xx-yy",
        region="XX",
        currency="ABC",
        timezone="Mars/Olympus",
        field_rules={"email": FieldRule(mode="required"), "birthday": FieldRule(min_length=3)},
        custom_fields={
            "not an identifier": CustomFieldDefinition(type="string"),
            "x" * 61: CustomFieldDefinition("date"),
        },
        loyalty=LoyaltySettings(tiers={}),
    )
    assert _fields(settings) == [
        "locale",
        "region",
        "currency",
        "timezone",
        "field_rules.email",  # not configurable: every customer has an email rule of its own
        "field_rules.birthday.min_length",  # a date has no length
        "custom_fields.not an identifier",
        f"custom_fields.{'x' * 61}",
        "loyalty.tiers",
    ]


def test_refused_settings_are_left_as_they_were() -> None:
    settings = OrganizationSettings(locale="vi_vn", region="XX")
    assert _fields(settings) == ["region"]
    assert settings.locale == "vi_vn"


@pytest.mark.parametrize("field", sorted(rules.CONFIGURABLE_FIELDS))
def test_every_configurable_field_takes_a_mode(field: str) -> None:
    settings = rules.normalise_settings(OrganizationSettings(field_rules={field: FieldRule(mode="required")}))
    assert settings.field_rules[field].mode == "required"


def test_a_minimum_length_applies_to_text_fields() -> None:
    rules.normalise_settings(OrganizationSettings(field_rules={"company_name": FieldRule(min_length=2)}))
    assert _fields(OrganizationSettings(field_rules={"other_emails": FieldRule(min_length=2)})) == [
        "field_rules.other_emails.min_length"
    ]


def test_custom_field_keys_are_identifiers_of_at_most_60_characters() -> None:
    ok = {"loyalty_card": CustomFieldDefinition("string"), "x" * 60: CustomFieldDefinition("integer")}
    assert set(rules.normalise_settings(OrganizationSettings(custom_fields=ok)).custom_fields) == set(ok)
    assert _fields(OrganizationSettings(custom_fields={"1st": CustomFieldDefinition("string")})) == [
        "custom_fields.1st"
    ]
