"""The budget ledger: money moves only through entries, in integer minor units.

Every write to a budget first locks its row (on SQLite every write transaction is
IMMEDIATE, which serializes writers), then checks the derived balance, then appends, so a
budget is never overspent, also under simultaneous bookings.
"""

from __future__ import annotations

from django.db import transaction

from mentormesh.errors import Conflict, DomainError
from mentormesh.experts import selectors
from mentormesh.experts.models import Booking, Budget, EntryKind, LedgerEntry
from mentormesh.people.models import User


def _locked_budget(budget: Budget) -> Budget:
    return Budget.objects.select_for_update().get(pk=budget.pk)


def _entry(
    budget: Budget, booking: Booking | None, member: User, kind: str, amount: int, note: str = ""
) -> LedgerEntry:
    return LedgerEntry.objects.create(
        budget=budget, member=member, booking=booking, kind=kind, amount_minor=amount, note=note
    )


@transaction.atomic
def ledger_hold(
    *, budget: Budget, member: User, amount: int, booking: Booking | None = None
) -> LedgerEntry:
    """Set money aside; refused when the budget or the member's share has too little left."""
    if amount <= 0:
        raise DomainError("amount: more than zero.", field="amount")
    budget = _locked_budget(budget)
    if amount > selectors.balance(budget).available:
        raise Conflict(
            f"The {budget.name} budget has too little left for this.", code="over_budget"
        )
    if amount > selectors.balance(budget, member).available:
        raise Conflict(
            f"Your share of the {budget.name} budget has too little left for this.",
            code="over_budget",
        )
    return _entry(budget, booking, member, EntryKind.HOLD, amount)


@transaction.atomic
def ledger_release(*, booking: Booking) -> int:
    """Give back whatever is still held for a booking; returns the amount released."""
    budget = _locked_budget(booking.budget)
    held = selectors.held_for(booking)
    if held > 0:
        _entry(budget, booking, booking.member, EntryKind.RELEASE, held)
    return held


@transaction.atomic
def ledger_charge(*, booking: Booking, note: str = "") -> int:
    """Turn what is held for a booking into spend (release the hold, charge the same)."""
    budget = _locked_budget(booking.budget)
    held = selectors.held_for(booking)
    if held <= 0:
        raise Conflict("Nothing is held for this booking.")
    _entry(budget, booking, booking.member, EntryKind.RELEASE, held)
    _entry(budget, booking, booking.member, EntryKind.CHARGE, held, note)
    return held


@transaction.atomic
def ledger_refund(*, booking: Booking, amount: int, note: str = "") -> LedgerEntry:
    """Give back part or all of what was charged for a booking."""
    budget = _locked_budget(booking.budget)
    if not 0 < amount <= selectors.charged_for(booking):
        raise DomainError("amount: more than zero and at most what was charged.", field="amount")
    return _entry(budget, booking, booking.member, EntryKind.REFUND, amount, note)
