"""The organization's likely duplicate pairs: candidates from blocks, each pair scored by the rules.

Candidates come only from blocks of live customers sharing a key, each read through an index
(patron.duplicates.repository): the same email (primary or another), phone (likewise), VAT
id; the same birthday with a similar folded name (rapidfuzz, so typos are found); the same
folded name with the same company or an address postcode. A block of more than `BLOCK_CAP`
members (a shared office phone, a walk-in placeholder email) pairs each member with its first
(lowest id, uuid7: the oldest) only, so one block adds at most n - 1 pairs instead of n^2/2.
Blocks compared name by name with rapidfuzz (a birthday, a company) are skipped when more than
`LARGEST_FUZZY_BLOCK` customers share them (a placeholder date, a large employer; a company's
block then pairs only customers of one folded name). Every candidate is then scored on
everything the two share (rules.compare), so a pair found by its email also shows its phone,
VAT id and name evidence.

`find` also returns what the list was computed from (`State`), so `update` can bring it up to
date when a few customers changed: it drops their pairs and finds them again from the blocks
they were and are in (read through the same indexes, by key), scored the same way. It gives
the list `find` would give, or None where a change could move what other pairs depend on: a
block crossing BLOCK_CAP (or its first member changing), a birthday or company crossing
LARGEST_FUZZY_BLOCK, a company crossing rules.COMMON_COMPANY_MEMBERS, a name or the live count
crossing the common-name threshold; then the caller computes it afresh.
"""

from __future__ import annotations

import itertools
import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from patron.duplicates import repository as repo
from patron.duplicates import rules

BLOCK_CAP = 20
LARGEST_FUZZY_BLOCK = 50
# An update recounts at most this many names that may have become common (or stopped being).
_MOST_RECOUNTED = 2000

Pair = tuple[repo.Hex, repo.Hex]
BlockKey = tuple[str, Any]  # ("email" | "phone" | "vat_id", value) or ("name_postcode", (name key, postcode))


@dataclass(frozen=True, slots=True)
class Scored:
    """One listed pair: its score, its ids (low, high) and its reasons."""

    score: float
    low_id: repo.Hex
    high_id: repo.Hex
    reasons: list[rules.Reason]


@dataclass(frozen=True, slots=True)
class State:
    """What the list was computed from, so that `update` can bring it up to date for a few
    changed customers. Never changed once made (a process's requests share it)."""

    blocks: dict[BlockKey, frozenset[repo.Hex]]
    others: dict[repo.Hex, repo.Contacts]
    companies: dict[str, dict[repo.Hex, str | None]]
    skipped_birthdays: dict[date, int]
    # Live namesakes of every name key in a candidate pair, and `changes` when they were counted:
    # a count may be off by as many customers as changed since.
    names: dict[str, tuple[int, int]]
    customers: int  # live customers, when counted; off by `arrivals` at most
    changes: int = 0  # customers changed (summed over updates) since the list was computed
    arrivals: int = 0  # customers created, deleted, restored... (summed) since `customers` was counted


@dataclass(slots=True)
class Found:
    """Every scored pair, highest score first (then by ids), and what the blocking capped."""

    pairs: list[Scored]
    state: State
    capped_blocks: int = 0
    skipped_blocks: int = 0
    candidates: int = 0


def _pair(a: repo.Hex, b: repo.Hex) -> Pair:
    return (a, b) if a < b else (b, a)


def _similar_pairs(members: list[repo.Member]) -> Iterator[Pair]:
    """The pairs of a small block whose folded names are similar (rapidfuzz)."""
    named = [m for m in members if m.name_key]
    for a, b in itertools.combinations(named, 2):
        if rules.name_similarity(a.name_key or "", b.name_key or "") >= rules.SIMILAR_NAME:
            yield _pair(a.id, b.id)


def _similar(a: str, b: str) -> bool:
    return rules.name_similarity(a, b) >= rules.SIMILAR_NAME


def _fold_company(name: str | None) -> str | None:
    if name is None:
        return None
    folded = " ".join(name.casefold().split())
    return folded or None


@dataclass(slots=True)
class Blocking:
    """The candidate pairs (low, high) and what the blocking learnt on the way."""

    pairs: set[Pair] = field(default_factory=set)
    capped_blocks: int = 0
    skipped_blocks: int = 0
    company_counts: dict[str, int] = field(default_factory=dict)  # live customers per folded company
    # What an update (see `update`) starts from: the blocks of exact keys with more than one member,
    # the customers with other contacts, each company's members (id: name key), the skipped birthdays.
    blocks: dict[BlockKey, frozenset[repo.Hex]] = field(default_factory=dict)
    others: dict[repo.Hex, repo.Contacts] = field(default_factory=dict)
    companies: dict[str, dict[repo.Hex, str | None]] = field(default_factory=dict)
    skipped_birthdays: dict[date, int] = field(default_factory=dict)

    def add_block(self, ids: Iterable[repo.Hex]) -> None:
        members = sorted(set(ids))
        if len(members) <= BLOCK_CAP:
            self.pairs.update(itertools.combinations(members, 2))
            return
        self.capped_blocks += 1
        self.pairs.update((members[0], other) for other in members[1:])


def candidates(conn: Connection, org_id: uuid.UUID) -> Blocking:
    """Every candidate pair of the organization, from its blocks."""
    found = Blocking()
    blocks: dict[tuple[str, object], set[repo.Hex]] = defaultdict(set)
    for column in ("email", "phone", "vat_id"):
        for member in repo.key_blocks(conn, org_id, column):
            blocks[column, member.key].add(member.id)
    # Other emails and phones join the blocks of the same value (and meet their primary holders).
    others = repo.with_other_contacts(conn, org_id)
    found.others = {contacts.id: contacts for contacts in others}
    for contacts in others:
        for email in contacts.other_emails:
            blocks["email", email].add(contacts.id)
        for phone in contacts.other_phones:
            blocks["phone", phone].add(contacts.id)
    for column, values in (
        ("email", {e for c in others for e in c.other_emails}),
        ("phone", {p for c in others for p in c.other_phones}),
    ):
        for member in repo.holding(conn, org_id, column, values):
            blocks[column, member.key].add(member.id)
    # The same company with a similar name (typos included) in a company's block. An over-common
    # company (more than LARGEST_FUZZY_BLOCK customers) is skipped: as backing it is discounted
    # (rules.COMMON_COMPANY_MEMBERS) to 0.36 at most, under the default min_score, and a pair of
    # its customers with other evidence comes from that evidence's block (so such a pair with
    # nothing else is not listed even at min_score 0).
    by_company: dict[str, list[repo.Member]] = defaultdict(list)
    for member in repo.company_members(conn, org_id):
        company = _fold_company(member.key)
        if company is not None:
            by_company[company].append(member)
    for company, members in by_company.items():
        found.company_counts[company] = len(members)
        found.companies[company] = {m.id: m.name_key for m in members}
        if len(members) <= LARGEST_FUZZY_BLOCK:
            found.pairs.update(_similar_pairs(members))
        else:
            found.skipped_blocks += 1
    # The same folded name with the same postcode on an address.
    for name_key, postcode, customer_id in repo.name_postcode_members(conn, org_id):
        blocks["name_postcode", (name_key, postcode)].add(customer_id)
    for key, ids in blocks.items():
        if len(ids) > 1:
            found.add_block(ids)
            found.blocks[key] = frozenset(ids)
    # The same birthday with a similar name: typos included, compared by rapidfuzz.
    members, skipped = repo.birthday_blocks(conn, org_id, largest=LARGEST_FUZZY_BLOCK, similar=_similar)
    found.skipped_blocks += len(skipped)
    found.skipped_birthdays = skipped
    for _, group in itertools.groupby(members, key=lambda m: m.key):
        found.pairs.update(_similar_pairs(list(group)))
    return found


def _scored(
    conn: Connection, org_id: uuid.UUID, pairs: Iterable[Pair], companies: dict[str, int], customers: int
) -> tuple[list[Scored], dict[str, int]]:
    """These candidate pairs scored (those with a reason), and the namesake counts read for them."""
    pairs = list(pairs)
    ids = {customer_id for pair in pairs for customer_id in pair}
    people = {person.id: person for person in repo.people(conn, org_id, ids)}
    postcodes: dict[repo.Hex, set[str]] = defaultdict(set)
    for customer_id, postcode in repo.postcodes(conn, org_id, ids):
        postcodes[customer_id].add(postcode)
    names = repo.name_counts(conn, org_id, {p.name_key for p in people.values() if p.name_key})
    profiles = {
        customer_id: rules.Profile(
            name_key=person.name_key,
            emails=frozenset([person.email, *person.other_emails]),
            phones=frozenset([*([person.phone] if person.phone else []), *person.other_phones]),
            vat_id=person.vat_id,
            birthday=person.birthday,
            company=_fold_company(person.company_name),
            postcodes=frozenset(postcodes.get(customer_id, ())),
        )
        for customer_id, person in people.items()
    }
    scored: list[Scored] = []
    for low, high in pairs:
        a, b = profiles.get(low), profiles.get(high)
        if a is None or b is None:  # deleted between the reads (a read-only unit has no snapshot)
            continue
        namesakes = max(names.get(a.name_key or "", 0), names.get(b.name_key or "", 0))
        common_name = rules.common_name(namesakes, customers)
        common_company = companies.get(a.company or "", 0) >= rules.COMMON_COMPANY_MEMBERS
        evidence = rules.compare(a, b, common_name=common_name, common_company=common_company)
        value, reasons = rules.score(evidence)
        if reasons:
            scored.append(Scored(value, low, high, reasons))
    return scored, names


def _sort(pairs: list[Scored]) -> None:
    pairs.sort(key=lambda s: (-s.score, s.low_id, s.high_id))


def find(conn: Connection, org_id: uuid.UUID) -> Found:
    """Every likely duplicate pair of the organization, scored, without the dismissed ones."""
    blocking = candidates(conn, org_id)
    pairs = blocking.pairs - repo.dismissed(conn, org_id)
    customers = repo.live_count(conn, org_id)
    scored, names = _scored(conn, org_id, pairs, blocking.company_counts, customers)
    _sort(scored)
    state = State(
        blocks=blocking.blocks,
        others=blocking.others,
        companies=blocking.companies,
        skipped_birthdays=blocking.skipped_birthdays,
        names={name: (count, 0) for name, count in names.items()},
        customers=customers,
    )
    return Found(
        scored,
        state,
        capped_blocks=blocking.capped_blocks,
        skipped_blocks=blocking.skipped_blocks,
        candidates=len(pairs),
    )


def name_threshold(customers: int) -> int:
    """The fewest namesakes that make a name common among `customers` live customers."""
    least = max(rules.COMMON_NAME_MEMBERS, math.ceil(rules.COMMON_NAME_SHARE * customers))
    while least > 0 and rules.common_name(least - 1, customers):
        least -= 1
    while not rules.common_name(least, customers):
        least += 1
    return least


def _block_pairs(members: frozenset[repo.Hex], changed: set[repo.Hex]) -> Iterator[Pair]:
    """The pairs an exact-key block adds (as Blocking.add_block) that name a changed customer."""
    ordered = sorted(members)
    if len(ordered) <= BLOCK_CAP:
        for a, b in itertools.combinations(ordered, 2):
            if a in changed or b in changed:
                yield a, b
    else:
        yield from ((ordered[0], other) for other in ordered[1:] if ordered[0] in changed or other in changed)


def _similar_to(members: dict[repo.Hex, str | None], changed: set[repo.Hex]) -> Iterator[Pair]:
    """The pairs of a fuzzy block (as _similar_pairs) that name a changed customer."""
    for one in changed & members.keys():
        name = members[one]
        if not name:
            continue
        for other, other_name in members.items():
            if other == one or not other_name or (other in changed and other < one):  # each pair once
                continue
            if rules.name_similarity(name, other_name) >= rules.SIMILAR_NAME:
                yield _pair(one, other)


def update(
    conn: Connection,
    org_id: uuid.UUID,
    state: State,
    pairs: list[Scored],
    changed: set[repo.Hex],
    *,
    arrived: set[repo.Hex],
) -> tuple[list[Scored], State] | None:
    """The list `find` would give now, from the list `pairs` computed from `state`, when only the
    `changed` customers (their fields, addresses, live state or dismissals) changed since, of
    which only the `arrived` ones may have been created, deleted, restored or erased; None
    when a change could move something the whole organization shares (a block over BLOCK_CAP or
    LARGEST_FUZZY_BLOCK, a common name or company): the caller then computes it afresh.

    Pairs of two unchanged customers keep their score: their fields are the same, and so are
    their blocks but for the changed members, which is checked for each block a changed customer
    was or is in. The pairs naming a changed customer are found again from its blocks now.
    """
    changes = state.changes + len(changed)
    # The live count matters only through the namesakes that make a name common: counted again
    # only when the changes since it was counted could have moved that threshold.
    customers, arrivals = state.customers, state.arrivals + len(arrived)
    threshold = name_threshold(customers)
    if name_threshold(max(customers - arrivals, 0)) != name_threshold(customers + arrivals):
        customers, arrivals = repo.live_count(conn, org_id), 0
        if name_threshold(customers) != threshold:
            return None
    # A name whose count may have crossed the threshold since it was counted is counted again;
    # one that did cross it rescores pairs of unchanged customers.
    names = dict(state.names)
    doubtful = [
        name
        for name, (count, when) in state.names.items()
        if count - (changes - when) < threshold <= count + (changes - when)
    ]
    if len(doubtful) > _MOST_RECOUNTED:
        return None
    if doubtful:
        recounted = repo.name_counts(conn, org_id, doubtful)
        for name in doubtful:
            count = recounted.get(name, 0)
            if (count >= threshold) != (state.names[name][0] >= threshold):
                return None
            names[name] = (count, changes)
    now = {person.id: person for person in repo.live_people(conn, org_id, changed)}
    postcodes: dict[repo.Hex, set[str]] = defaultdict(set)
    for customer_id, postcode in repo.postcodes(conn, org_id, now):
        postcodes[customer_id].add(postcode)
    found: set[Pair] = set()

    # Exact keys: the blocks the changed customers were in, and those they are in now.
    others = {i: c for i, c in state.others.items() if i not in changed}
    keys: set[BlockKey] = {key for key, ids in state.blocks.items() if not ids.isdisjoint(changed)}
    for customer_id, person in now.items():
        if person.other_emails or person.other_phones:
            others[customer_id] = repo.Contacts(customer_id, person.other_emails, person.other_phones)
        keys.update(("email", email) for email in {person.email, *person.other_emails} if email)
        keys.update(("phone", phone) for phone in {person.phone, *person.other_phones} if phone)
        if person.vat_id:
            keys.add(("vat_id", person.vat_id))
        if person.name_key:
            keys.update(("name_postcode", (person.name_key, postcode)) for postcode in postcodes[customer_id])
    current: dict[BlockKey, set[repo.Hex]] = defaultdict(set)
    for column in ("email", "phone", "vat_id"):
        values = {value for kind, value in keys if kind == column}
        for member in repo.holding(conn, org_id, column, values):
            current[column, member.key].add(member.id)
    for contacts in others.values():
        for column, held in (("email", contacts.other_emails), ("phone", contacts.other_phones)):
            for value in held:
                if (column, value) in keys:
                    current[column, value].add(contacts.id)
    wanted = {value for kind, value in keys if kind == "name_postcode"}
    for name_key, postcode, customer_id in repo.name_postcode_holding(conn, org_id, wanted):
        current["name_postcode", (name_key, postcode)].add(customer_id)
    blocks = dict(state.blocks)
    for key in keys:
        before = state.blocks.get(key, frozenset())
        after = frozenset(current.get(key, ()))
        # A capped block pairs its members with its first only: the same pairs of unchanged members
        # only when it stays capped with the same first.
        capped = len(before) > BLOCK_CAP or len(after) > BLOCK_CAP
        same_shape = len(before) > BLOCK_CAP and len(after) > BLOCK_CAP and min(before) == min(after)
        if len(after - changed) > 1 and capped and not same_shape:
            return None
        if len(after) > 1:
            blocks[key] = after
            found.update(_block_pairs(after, changed))
        else:
            blocks.pop(key, None)

    # Companies: each one's members are known, so its count now is too.
    companies = dict(state.companies)
    affected = {company for company, members in state.companies.items() if any(i in members for i in changed)}
    joined: dict[str, dict[repo.Hex, str | None]] = defaultdict(dict)
    for customer_id, person in now.items():
        if (company := _fold_company(person.company_name)) is not None:
            joined[company][customer_id] = person.name_key
            affected.add(company)
    for company in affected:
        before_members = state.companies.get(company, {})
        members = {i: n for i, n in before_members.items() if i not in changed} | joined.get(company, {})
        if len(members.keys() - changed) > 0:
            for limit in (LARGEST_FUZZY_BLOCK + 1, rules.COMMON_COMPANY_MEMBERS):
                if (len(before_members) >= limit) != (len(members) >= limit):
                    return None
        if members:
            companies[company] = members
        else:
            companies.pop(company, None)
        if len(members) <= LARGEST_FUZZY_BLOCK:
            found.update(_similar_to(members, changed))

    # Birthdays: a skipped one (more than LARGEST_FUZZY_BLOCK share it) must stay skipped, and the
    # changed customers' birthdays now keep the side they were on.
    days = {person.birthday for person in now.values() if person.birthday is not None}
    counts = repo.birthday_counts(conn, org_id, days | state.skipped_birthdays.keys())
    skipped = {day: n for day, n in counts.items() if n > LARGEST_FUZZY_BLOCK}
    if skipped.keys() != state.skipped_birthdays.keys():
        return None
    born: dict[date, dict[repo.Hex, str | None]] = defaultdict(dict)
    for member in repo.born_on(conn, org_id, days - skipped.keys()):
        born[member.key][member.id] = member.name_key
    for members in born.values():
        found.update(_similar_to(members, changed))

    found -= repo.dismissed(conn, org_id, changed)
    company_counts = {company: len(members) for company, members in companies.items()}
    scored, counts_now = _scored(conn, org_id, found, company_counts, customers)
    # Their status is that of the counts kept (checked above), so kept pairs keep their scores.
    names.update((name, (count, changes)) for name, count in counts_now.items())
    kept = [p for p in pairs if p.low_id not in changed and p.high_id not in changed]
    kept += scored
    _sort(kept)
    return kept, State(
        blocks=blocks,
        others=others,
        companies=companies,
        skipped_birthdays=skipped,
        names=names,
        customers=customers,
        changes=changes,
        arrivals=arrivals,
    )
