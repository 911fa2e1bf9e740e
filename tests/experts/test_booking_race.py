"""No expert is booked twice for one slot, and no budget is overspent, even when many people
book at the same moment: real threads, each with its own database connection, race through
`booking_create`. The lock on the people taking part lines up bookings of one expert; the lock
on the budget row lines up holds on one budget. (SQLite serializes every writer with IMMEDIATE
transactions; PostgreSQL relies on those row locks.)

The threads race through the `race` fixture (tests/conftest.py), which explains how they
share the database on SQLite and PostgreSQL."""

import pytest
from django.db.models import Count, Q
from expert_helpers import slot_between

from mentormesh.errors import Conflict
from mentormesh.experts import selectors, services
from mentormesh.experts.models import Booking, EntryKind, LedgerEntry
from mentormesh.people.models import Membership, Role

RACERS = 20
AFFORDABLE = 7
PRICE = 12_000


@pytest.mark.django_db(transaction=True)
def test_of_twenty_members_booking_one_slot_at_once_exactly_one_gets_it(priya, make_user, race):
    """Given one of Priya's free slots, when twenty members book it at the same moment, then
    exactly one booking is written; the other nineteen are told it is already booked (409),
    and the slot is no longer offered."""
    members = [make_user(f"racer{n}") for n in range(RACERS)]
    slot = slot_between(priya, 24)

    def attempt(member):
        return lambda: services.booking_create(
            member=member, expert_handle="priya", subject="Kubernetes", starts_at=slot
        )

    outcomes = race(*(attempt(member) for member in members))

    written = [o for o in outcomes if isinstance(o, Booking)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(written) == 1, outcomes
    assert len(refused) == RACERS - 1, outcomes
    assert all("already booked" in error.detail for error in refused)
    (booking,) = Booking.objects.all()
    assert (booking.pk, booking.expert_id, booking.starts_at) == (written[0].pk, priya.pk, slot)
    assert slot not in selectors.expert_slots(priya, minutes=60)


@pytest.mark.django_db(transaction=True)
def test_twenty_sponsored_bookings_at_once_hold_only_what_the_budget_affords(
    make_expert, make_user, hana, northwind, make_budget, race
):
    """Given Northwind's budget that affords seven 120.00 hours, and twenty members who each
    book a different expert's hour on it at the same moment, then exactly seven are booked,
    each with one hold of its price; the other thirteen are told the budget has too little left
    (409 over_budget) and nothing of theirs is written; the budget is never overspent."""
    budget = make_budget(northwind, total=AFFORDABLE * PRICE, per_member=PRICE)
    pairs = []
    for n in range(RACERS):
        member = make_user(f"member{n}")
        Membership.objects.create(user=member, organization=northwind, role=Role.MEMBER)
        expert = make_expert(f"expert{n}", rate=PRICE)
        pairs.append((member, expert, slot_between(expert, 24)))

    def attempt(member, expert, slot):
        return lambda: services.booking_create(
            member=member,
            expert_handle=expert.handle,
            subject="Kubernetes",
            starts_at=slot,
            budget=budget,
        )

    outcomes = race(*(attempt(*pair) for pair in pairs))

    written = [o for o in outcomes if isinstance(o, Booking)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(written) == AFFORDABLE, outcomes
    assert len(refused) == RACERS - AFFORDABLE, outcomes
    assert {error.code for error in refused} == {"over_budget"}
    assert set(Booking.objects.values_list("pk", flat=True)) == {b.pk for b in written}
    holds = LedgerEntry.objects.filter(budget=budget)
    assert set(holds.values_list("kind", "amount_minor")) == {(EntryKind.HOLD, PRICE)}
    assert holds.count() == AFFORDABLE
    assert not Booking.objects.annotate(
        holds=Count("entries", filter=Q(entries__kind=EntryKind.HOLD))
    ).exclude(holds=1)
    money = selectors.balance(budget)
    assert (money.held, money.spent, money.available) == (AFFORDABLE * PRICE, 0, 0)
