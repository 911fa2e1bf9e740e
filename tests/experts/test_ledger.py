"""A sponsorship budget as a ledger: whatever holds, releases, charges and refunds happen in
whatever order, the budget and every member's share add up and never go below zero, and the
ledger only ever grows. Hypothesis picks the steps; a plain model of the money says what each
step should do and what the balances should then be."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from mentormesh.errors import Conflict, DomainError
from mentormesh.experts import selectors, services
from mentormesh.experts.models import Booking, BookingStatus, LedgerEntry
from mentormesh.people.models import Membership, Role

TOTAL = 10_000
PER_MEMBER = 6_000
MEMBERS = 3
BOOKINGS_EACH = 2
BOOKINGS = MEMBERS * BOOKINGS_EACH

booking_index = st.integers(min_value=0, max_value=BOOKINGS - 1)
amounts = st.integers(min_value=1, max_value=7_000)


def test_any_run_of_holds_releases_charges_and_refunds_keeps_the_budget_whole(
    make_user, priya, subjects, northwind, make_budget
):
    """Given Northwind's budget of 100.00 (60.00 at most per member) and two bookings with
    Priya for each of three members, when money is held, released, charged and refunded for
    those bookings in any order (Hypothesis picks), then after every step: for the budget and
    for each member's share, held, spent and available are what a simple model says, none is
    below zero, and held + spent + available is the total; a hold is refused (409
    over_budget) exactly when the budget or the member's share has too little left, a charge
    when nothing is held (409), a refund of more than was charged (400 naming the amount), and
    a refused step writes nothing; entries already written never change."""
    members = [make_user(f"holder{n}") for n in range(MEMBERS)]
    for member in members:
        Membership.objects.create(user=member, organization=northwind, role=Role.MEMBER)
    kubernetes = subjects["Kubernetes"]

    class Ledger(RuleBasedStateMachine):
        @initialize()
        def open_budget(self):
            self.budget = make_budget(northwind, total=TOTAL, per_member=PER_MEMBER)
            self.bookings = []
            start = timezone.now() + timedelta(days=3)
            for n in range(BOOKINGS):
                starts_at = start + timedelta(hours=n)
                self.bookings.append(
                    Booking.objects.create(
                        expert=priya,
                        member=members[n % MEMBERS],
                        subject=kubernetes,
                        starts_at=starts_at,
                        ends_at=starts_at + timedelta(hours=1),
                        status=BookingStatus.CONFIRMED,
                        price_minor=5_000,
                        currency="EUR",
                        budget=self.budget,
                    )
                )
            # The model: per booking, what is held and what is charged (net of refunds).
            self.held = [0] * BOOKINGS
            self.charged = [0] * BOOKINGS
            self.seen: dict[int, tuple] = {}

        def member_of(self, index):
            return self.bookings[index].member

        def model_balance(self, member=None) -> tuple[int, int, int]:
            chosen = [
                i
                for i in range(BOOKINGS)
                if member is None or self.bookings[i].member_id == member.pk
            ]
            held = sum(self.held[i] for i in chosen)
            spent = sum(self.charged[i] for i in chosen)
            total = TOTAL if member is None else PER_MEMBER
            return held, spent, total - held - spent

        def entries(self) -> int:
            return LedgerEntry.objects.filter(budget=self.budget).count()

        @rule(index=booking_index, amount=amounts)
        def hold(self, index, amount):
            booking, before = self.bookings[index], self.entries()
            fits = amount <= self.model_balance()[2] and (
                amount <= self.model_balance(self.member_of(index))[2]
            )
            if not fits:
                with pytest.raises(Conflict) as refused:
                    services.ledger_hold(
                        budget=self.budget, member=booking.member, amount=amount, booking=booking
                    )
                assert refused.value.code == "over_budget"
                assert self.entries() == before
                return
            services.ledger_hold(
                budget=self.budget, member=booking.member, amount=amount, booking=booking
            )
            self.held[index] += amount
            assert self.entries() == before + 1

        @rule(index=booking_index, amount=st.integers(min_value=-3, max_value=0))
        def hold_nothing(self, index, amount):
            booking, before = self.bookings[index], self.entries()
            with pytest.raises(DomainError) as refused:
                services.ledger_hold(
                    budget=self.budget, member=booking.member, amount=amount, booking=booking
                )
            assert (refused.value.status, refused.value.field) == (400, "amount")
            assert self.entries() == before

        @rule(index=booking_index)
        def release(self, index):
            before = self.entries()
            released = services.ledger_release(booking=self.bookings[index])
            assert released == self.held[index]
            assert self.entries() == before + (1 if released else 0)
            self.held[index] = 0

        @rule(index=booking_index)
        def charge(self, index):
            before = self.entries()
            if self.held[index] == 0:
                with pytest.raises(Conflict):
                    services.ledger_charge(booking=self.bookings[index])
                assert self.entries() == before
                return
            charged = services.ledger_charge(booking=self.bookings[index])
            assert charged == self.held[index]
            self.charged[index] += charged
            self.held[index] = 0
            assert self.entries() == before + 2

        @rule(index=booking_index, amount=amounts)
        def refund(self, index, amount):
            before = self.entries()
            if amount > self.charged[index]:
                with pytest.raises(DomainError) as refused:
                    services.ledger_refund(booking=self.bookings[index], amount=amount)
                assert (refused.value.status, refused.value.field) == (400, "amount")
                assert self.entries() == before
                return
            services.ledger_refund(booking=self.bookings[index], amount=amount)
            self.charged[index] -= amount
            assert self.entries() == before + 1

        @invariant()
        def balances_add_up_and_never_go_below_zero(self):
            if not hasattr(self, "budget"):
                return  # no budget opened yet
            for member in (None, *members):
                money = selectors.balance(self.budget, member)
                total = TOTAL if member is None else PER_MEMBER
                assert money.held >= 0 and money.spent >= 0 and money.available >= 0
                assert money.held + money.spent + money.available == money.total == total
                assert (money.held, money.spent, money.available) == self.model_balance(member)
            for index, booking in enumerate(self.bookings):
                assert selectors.held_for(booking) == self.held[index]
                assert selectors.charged_for(booking) == self.charged[index]

        @invariant()
        def entries_are_only_ever_added(self):
            if not hasattr(self, "budget"):
                return
            now = {
                entry.pk: (entry.kind, entry.amount_minor, entry.member_id, entry.booking_id)
                for entry in LedgerEntry.objects.filter(budget=self.budget)
            }
            assert all(now.get(pk) == entry for pk, entry in self.seen.items())
            assert all(entry[1] > 0 for entry in now.values())
            self.seen = now

    run_state_machine_as_test(
        Ledger, settings=settings(max_examples=60, stateful_step_count=30, deadline=None)
    )
