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
"""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection

from patron.duplicates import repository as repo
from patron.duplicates import rules

BLOCK_CAP = 20
LARGEST_FUZZY_BLOCK = 50

Pair = tuple[repo.Hex, repo.Hex]


@dataclass(frozen=True, slots=True)
class Scored:
    """One listed pair: its score, its ids (low, high) and its reasons."""

    score: float
    low_id: repo.Hex
    high_id: repo.Hex
    reasons: list[rules.Reason]


@dataclass(slots=True)
class Found:
    """Every scored pair, highest score first (then by ids), and what the blocking capped."""

    pairs: list[Scored]
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
        if len(members) <= LARGEST_FUZZY_BLOCK:
            found.pairs.update(_similar_pairs(members))
        else:
            found.skipped_blocks += 1
    # The same folded name with the same postcode on an address.
    for name_key, postcode, customer_id in repo.name_postcode_members(conn, org_id):
        blocks["name_postcode", (name_key, postcode)].add(customer_id)
    for ids in blocks.values():
        if len(ids) > 1:
            found.add_block(ids)
    # The same birthday with a similar name: typos included, compared by rapidfuzz.
    members, skipped = repo.birthday_blocks(conn, org_id, largest=LARGEST_FUZZY_BLOCK)
    found.skipped_blocks += skipped
    for _, group in itertools.groupby(members, key=lambda m: m.key):
        found.pairs.update(_similar_pairs(list(group)))
    return found


def find(conn: Connection, org_id: uuid.UUID) -> Found:
    """Every likely duplicate pair of the organization, scored, without the dismissed ones."""
    blocking = candidates(conn, org_id)
    pairs = blocking.pairs - repo.dismissed(conn, org_id)
    ids = {customer_id for pair in pairs for customer_id in pair}
    people = {person.id: person for person in repo.people(conn, org_id, ids)}
    postcodes: dict[repo.Hex, set[str]] = defaultdict(set)
    for customer_id, postcode in repo.postcodes(conn, org_id, ids):
        postcodes[customer_id].add(postcode)
    names = repo.name_counts(conn, org_id, {p.name_key for p in people.values() if p.name_key})
    companies = blocking.company_counts
    customers = repo.live_count(conn, org_id)
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
    scored.sort(key=lambda s: (-s.score, s.low_id, s.high_id))
    return Found(
        scored, capped_blocks=blocking.capped_blocks, skipped_blocks=blocking.skipped_blocks, candidates=len(pairs)
    )
