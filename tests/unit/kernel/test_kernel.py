"""Identifiers, keys and validators."""

from __future__ import annotations

import uuid

import pytest

from patron.identity import keys
from patron.kernel import validators
from patron.kernel.ids import uuid7


def test_uuid7_is_version_7_and_monotonic() -> None:
    ids = [uuid7() for _ in range(5000)]
    assert all(i.version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_api_keys_carry_their_organization_and_at_least_128_random_bits() -> None:
    org_id = uuid.uuid4()
    new = keys.generate(org_id)
    parsed = keys.parse(new.plaintext)
    assert parsed is not None
    assert parsed.org_id == org_id
    assert parsed.key_hash == new.key_hash
    secret = new.plaintext.removeprefix(f"pat_{org_id.hex}_")  # the secret may itself contain "_"
    assert len(secret) * 6 >= 256
    assert keys.parse("pat_nothex_" + "a" * 43) is None
    assert keys.parse("garbage") is None


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("0912 345 678", "VN", "+84912345678"),
        ("+49 30 901820", "VN", "+4930901820"),
        ("030 901820", "DE", "+4930901820"),
    ],
)
def test_phones_become_e164_in_the_organization_region(raw: str, region: str, expected: str) -> None:
    assert validators.normalise_phone(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("DE 136,695 976", "US", "DE136695976"),
        ("0100109106", "VN", "0100109106"),
        ("EL094259216", None, "EL094259216"),
    ],
)
def test_vat_ids_are_checked_by_their_country(raw: str, region: str | None, expected: str) -> None:
    assert validators.normalise_vat_id(raw, region) == expected


@pytest.mark.parametrize(("raw", "region"), [("DE123456789", None), ("0100109107", "VN"), ("12345", "US")])
def test_invalid_vat_ids_are_refused(raw: str, region: str | None) -> None:
    with pytest.raises(ValueError, match=r"VAT|country"):
        validators.normalise_vat_id(raw, region)


@pytest.mark.parametrize(
    ("raw", "expected"), [("vi", "vi"), ("de_de", "de-DE"), ("zh-hant-tw", "zh-Hant-TW"), ("es-419", "es-419")]
)
def test_locales_are_canonical_bcp47(raw: str, expected: str) -> None:
    assert validators.normalise_locale(raw) == expected


@pytest.mark.parametrize("raw", ["xx", "en-ZZ", "123", "", "en-US-US"])
def test_unknown_locales_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match=r"locale|language|region"):
        validators.normalise_locale(raw)
