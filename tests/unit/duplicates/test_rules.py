"""The duplicate score: symmetric, in 0-1, deterministic, and more evidence never lowers it."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from patron.duplicates import rules
from patron.duplicates.rules import Evidence, Profile

_names = st.sampled_from(["an nguyen van", "an nguyen vann", "hoa thi tran", "le phuong", "minh", "lan nguyen"])
_few = st.frozensets(st.sampled_from(["a@x.vn", "b@x.vn", "c@x.vn"]), max_size=2)
_phones = st.frozensets(st.sampled_from(["+84911111111", "+84922222222"]), max_size=2)

profiles = st.builds(
    Profile,
    name_key=st.none() | _names,
    emails=_few,
    phones=_phones,
    vat_id=st.none() | st.sampled_from(["DE136695976", "VN0100109106"]),
    birthday=st.none() | st.sampled_from([date(1980, 1, 2), date(1990, 5, 6)]),
    company=st.none() | st.sampled_from(["sao mai ltd", "acme"]),
    postcodes=st.frozensets(st.sampled_from(["700000", "10117"]), max_size=2),
)

evidence = st.builds(
    Evidence,
    same_email=st.booleans(),
    same_phone=st.booleans(),
    same_vat_id=st.booleans(),
    name_similarity=st.none() | st.floats(min_value=0, max_value=100),
    same_birthday=st.booleans(),
    same_company=st.booleans(),
    same_postcode=st.booleans(),
    common_name=st.booleans(),
    common_company=st.booleans(),
    different_birthdays=st.booleans(),
    different_vat_ids=st.booleans(),
    different_phones=st.booleans(),
)

FOR = ("same_email", "same_phone", "same_vat_id", "same_birthday", "same_company", "same_postcode")
AGAINST = ("different_birthdays", "different_vat_ids", "different_phones", "common_name", "common_company")


@given(profiles, profiles, st.booleans(), st.booleans())
def test_comparing_is_symmetric(a: Profile, b: Profile, name: bool, company: bool) -> None:
    one = rules.compare(a, b, common_name=name, common_company=company)
    assert one == rules.compare(b, a, common_name=name, common_company=company)
    assert rules.score(one) == rules.score(rules.compare(b, a, common_name=name, common_company=company))


@given(evidence)
def test_the_score_is_in_0_1_and_zero_exactly_without_reasons(e: Evidence) -> None:
    value, reasons = rules.score(e)
    assert 0.0 <= value <= 1.0
    assert reasons == [r for r in rules.REASONS if r in reasons]
    assert (value > 0) == bool(reasons)
    assert rules.score(e) == (value, reasons)  # deterministic


@given(evidence, st.sampled_from(FOR))
def test_more_evidence_never_lowers_the_score(e: Evidence, flag: str) -> None:
    more = dataclasses.replace(e, **{flag: True})
    assert rules.score(more)[0] >= rules.score(e)[0]
    assert set(rules.score(e)[1]) <= set(rules.score(more)[1])


@given(evidence, st.floats(min_value=0, max_value=100))
def test_a_more_similar_name_never_lowers_the_score(e: Evidence, higher: float) -> None:
    if e.name_similarity is None or higher < e.name_similarity:
        return
    assert rules.score(dataclasses.replace(e, name_similarity=higher))[0] >= rules.score(e)[0]


@given(evidence, st.sampled_from(AGAINST))
def test_conflicting_evidence_never_raises_the_score(e: Evidence, flag: str) -> None:
    assert rules.score(dataclasses.replace(e, **{flag: True}))[0] <= rules.score(e)[0]


@given(profiles)
def test_a_profile_with_contacts_matches_itself_on_them(a: Profile) -> None:
    e = rules.compare(a, a)
    assert e.same_email == bool(a.emails)
    assert e.same_phone == bool(a.phones)
    assert not e.different_birthdays
    assert not e.different_vat_ids
    assert not e.different_phones


def test_the_weights_alone() -> None:
    assert rules.score(Evidence(same_vat_id=True)) == (0.9, ["same_vat_id"])
    assert rules.score(Evidence(same_email=True)) == (0.85, ["same_email"])
    assert rules.score(Evidence(same_phone=True)) == (0.75, ["same_phone"])
    assert rules.score(Evidence(same_birthday=True, name_similarity=100.0)) == (0.75, ["similar_name"])
    assert rules.score(Evidence(same_company=True, name_similarity=100.0)) == (0.6, ["similar_name"])
    assert rules.score(Evidence(same_postcode=True, name_similarity=100.0)) == (0.55, ["similar_name"])
    # at the similarity threshold the name's evidence counts x0.75; a common name x0.6
    assert rules.score(Evidence(same_birthday=True, name_similarity=85.0)) == (0.5625, ["similar_name"])
    common = Evidence(same_birthday=True, name_similarity=100.0, common_name=True)
    assert rules.score(common) == (0.45, ["similar_name"])
    common_company = Evidence(same_company=True, name_similarity=100.0, common_company=True)
    assert rules.score(common_company) == (0.36, ["similar_name"])
    # a similar name alone is no reason
    assert rules.score(Evidence(name_similarity=100.0)) == (0.0, [])


def test_combined_and_discounted() -> None:
    # 1 - (1 - 0.85)(1 - 0.75)
    assert rules.score(Evidence(same_email=True, same_phone=True))[0] == 0.9625
    assert rules.score(Evidence(same_vat_id=True, different_birthdays=True))[0] == 0.45
    assert rules.score(Evidence(same_email=True, name_similarity=40.0))[0] == 0.51
    assert rules.score(Evidence(same_email=True, different_phones=True, different_vat_ids=True))[0] == 0.255


def test_accents_are_folded_before_this_and_typos_stay_similar() -> None:
    assert rules.name_similarity("an nguyen van", "an nguyen van") == 100
    assert rules.name_similarity("an nguyen van", "an nguyen vann") >= rules.SIMILAR_NAME
    assert rules.name_similarity("an nguyen van", "hoa thi tran") < rules.DIFFERENT_NAME
    # placeholders that differ in their number are different people
    assert rules.name_similarity("guest 12", "guest 13") == 0
    assert rules.name_similarity("guest 12", "guest") == 0
    assert rules.name_similarity("guest 12", "guets 12") >= rules.SIMILAR_NAME


def test_how_common_a_name_is_depends_on_the_organization() -> None:
    assert rules.common_name(20, 1_000)
    assert not rules.common_name(19, 1_000)
    assert not rules.common_name(20, 100_000)
    assert rules.common_name(100, 100_000)


@given(st.uuids(), st.uuids())
def test_a_pair_is_low_id_first(a: uuid.UUID, b: uuid.UUID) -> None:
    low, high = rules.pair(a, b)
    assert rules.pair(b, a) == (low, high)
    assert low <= high
    assert {low, high} == {a, b}
