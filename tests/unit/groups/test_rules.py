"""The product-access precedence of patron.groups.rules, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patron.groups import rules
from patron.kernel.errors import ValidationFailed

_refs = st.frozensets(st.sampled_from(["a", "b", "c"]))
_lists = st.builds(rules.Lists, allow=_refs, deny=_refs)


@given(ref=st.sampled_from(["a", "b", "c"]), customer=_lists, group=st.one_of(st.none(), _lists))
def test_the_customer_level_decides_first_then_the_group_then_the_default(
    ref: str, customer: rules.Lists, group: rules.Lists | None
) -> None:
    decision = rules.decide(ref, customer=customer, group=group)
    if ref in customer.deny:
        assert decision == rules.Decision(False, "customer", "deny")
    elif ref in customer.allow:
        assert decision == rules.Decision(True, "customer", "allow")
    elif customer.allow:
        assert decision == rules.Decision(False, "customer", "allow_list")
    elif group is not None and ref in group.deny:
        assert decision == rules.Decision(False, "group", "deny")
    elif group is not None and ref in group.allow:
        assert decision == rules.Decision(True, "group", "allow")
    elif group is not None and group.allow:
        assert decision == rules.Decision(False, "group", "allow_list")
    else:
        assert decision == rules.Decision(True, "default", "default")


def test_references_are_trimmed_deduplicated_sorted_and_named_when_bad() -> None:
    assert rules.normalise_refs([" b", "a", "b "], "allow") == ["a", "b"]
    with pytest.raises(ValidationFailed) as caught:
        rules.normalise_refs(["ok", "", "x\ny"], "deny")
    assert [e.field for e in caught.value.errors] == ["deny[1]", "deny[2]"]
