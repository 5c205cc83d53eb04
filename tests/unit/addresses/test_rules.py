"""Pure address rules: canonical values and postcode formats."""

from __future__ import annotations

import pytest

from patron.addresses import rules
from patron.kernel.errors import ValidationFailed


@pytest.mark.parametrize(
    ("postcode", "country", "expected"),
    [("10117", "DE", "10117"), (" sw1a  1aa ", "GB", "SW1A 1AA"), ("94043-1351", "US", "94043-1351")],
)
def test_postcodes_in_the_country_format_are_kept_canonical(postcode: str, country: str, expected: str) -> None:
    assert rules.normalise_postcode(postcode, country) == expected


@pytest.mark.parametrize(("postcode", "country"), [("1011", "DE"), ("ABCDE", "US"), ("12345", "GB")])
def test_postcodes_outside_the_country_format_are_refused(postcode: str, country: str) -> None:
    with pytest.raises(ValueError, match=f"is not a postcode of {country}"):
        rules.normalise_postcode(postcode, country)


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(ValidationFailed) as caught:
        rules.normalise({"street": " ", "city": "", "country": "DE", "phone": "1"}, region="DE")
    assert sorted(e.field for e in caught.value.errors) == ["city", "phone", "postcode", "street"]
