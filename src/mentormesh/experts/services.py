"""Writes for paid help: the budget ledger and bookings.

Money moves only through ledger entries, in integer minor units. Every write to a budget
first locks its row (on SQLite every write transaction is IMMEDIATE, which serializes
writers), then checks the derived balance, then appends, so a budget is never overspent,
also under simultaneous bookings. A booking locks the expert's and the member's rows before
it looks for a clash, so no one is booked twice for the same time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from mentormesh.errors import Conflict, DomainError, NotFound
from mentormesh.experts import selectors
from mentormesh.experts.models import (
    HOLDING,
    Booking,
    BookingStatus,
    Budget,
    EntryKind,
    ExpertOffer,
    LedgerEntry,
)
from mentormesh.people.models import Membership, User
from mentormesh.people.selectors import profile_for, skill_resolve, skills_named


def _locked_budget(budget: Budget) -> Budget:
    return Budget.objects.select_for_update().get(pk=budget.pk)


def _entry(budget: Budget, booking: Booking | None, member: User, kind: str, amount: int,
           note: str = "") -> LedgerEntry:  # fmt: skip
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


@transaction.atomic
def expert_offer_set(
    *, user: User, subjects: list[str], slot_minutes: int = 60, free_cancellation_hours: int = 24
) -> ExpertOffer:
    profile = user.profile
    if not (profile.open_to_paid and profile.paid_rate_minor and profile.paid_currency):
        raise DomainError(
            "Set an hourly rate and currency on your profile (open to paid help) first.",
            field="paid_rate",
        )
    resolved = skills_named(subjects, field="subjects")
    if not resolved:
        raise DomainError("subjects: name at least one.", field="subjects")
    if not 15 <= slot_minutes <= 240:
        raise DomainError("slot_minutes: between 15 and 240.", field="slot_minutes")
    if not 0 <= free_cancellation_hours <= 24 * 14:
        raise DomainError(
            "free_cancellation_hours: at most two weeks.", field="free_cancellation_hours"
        )
    offer, _ = ExpertOffer.objects.update_or_create(
        user=user,
        defaults={
            "slot_minutes": slot_minutes,
            "free_cancellation_hours": free_cancellation_hours,
            "active": True,
        },
    )
    offer.subjects.set(resolved)
    return offer


@transaction.atomic
def booking_create(
    *,
    member: User,
    expert_handle: str,
    subject: str,
    starts_at: datetime,
    budget: Budget | None = None,
) -> Booking:
    """Book one of an expert's free slots; with a budget, the price is held on it first."""
    expert = profile_for(viewer=member, handle=expert_handle).user
    offer = ExpertOffer.objects.filter(user=expert, active=True).first()
    profile = expert.profile
    if offer is None or not (
        profile.open_to_paid and profile.paid_rate_minor and profile.paid_currency
    ):
        raise NotFound(f"@{expert.handle} does not offer paid sessions.")
    if expert.pk == member.pk:
        raise DomainError("You cannot book yourself.", field="expert")
    skill = skill_resolve(subject)
    if skill is None or not offer.subjects.filter(pk=skill.pk).exists():
        raise DomainError(f"subject: @{expert.handle} does not offer “{subject}”.", field="subject")
    if timezone.is_naive(starts_at):
        raise DomainError("starts_at: give a time zone.", field="starts_at")
    if starts_at <= timezone.now():
        raise DomainError("starts_at: that time has passed.", field="starts_at")
    if budget is not None:
        if not Membership.objects.filter(user=member, organization=budget.organization_id).exists():
            raise NotFound("No such budget of yours.")
        if budget.currency != profile.paid_currency:
            raise DomainError(
                f"currency: @{expert.handle} charges in {profile.paid_currency}; this budget is "
                f"in {budget.currency}.",
                field="currency",
            )
        if not budget.starts_on <= starts_at.astimezone(UTC).date() <= budget.ends_on:
            raise DomainError("starts_at: outside the budget's period.", field="starts_at")
    # Lock both people in id order, then look for a clash and write.
    list(User.objects.select_for_update().filter(pk__in=[member.pk, expert.pk]).order_by("pk"))
    if starts_at not in selectors.expert_slots(expert, minutes=offer.slot_minutes, free_only=False):
        raise DomainError(
            f"starts_at: not one of @{expert.handle}'s free slots; pick one from the list.",
            field="starts_at",
        )
    ends_at = starts_at + timedelta(minutes=offer.slot_minutes)
    clash = selectors.bookings_holding([member, expert]).filter(
        starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if clash.exists():
        raise Conflict("That time is already booked. Pick another slot.", field="starts_at")
    price = profile.paid_rate_minor * offer.slot_minutes // 60
    booking = Booking.objects.create(
        expert=expert, member=member, subject=skill, starts_at=starts_at, ends_at=ends_at,
        status=BookingStatus.CONFIRMED, price_minor=price, currency=profile.paid_currency,
        budget=budget, free_cancellation_hours=offer.free_cancellation_hours,
    )  # fmt: skip
    if budget is not None:
        ledger_hold(budget=budget, member=member, amount=price, booking=booking)
    return booking


@transaction.atomic
def booking_cancel(*, booking_id: int, by: User) -> Booking:
    """Either side cancels. Before the expert's free-cancellation window the hold is
    released; inside it, a member's cancellation is charged in full (the expert's never)."""
    booking = (
        Booking.objects.select_related("expert__expert_offer", "budget", "member")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or by.pk not in (booking.expert_id, booking.member_id):
        raise NotFound(f"No booking {booking_id} of yours.")
    if booking.starts_at <= timezone.now():
        raise Conflict("This session has started; it can no longer be cancelled.")
    if not Booking.objects.filter(pk=booking.pk, status__in=HOLDING).update(
        status=BookingStatus.CANCELLED
    ):
        raise Conflict("This booking is already cancelled.")
    booking.refresh_from_db()
    if booking.budget_id:
        free_until = booking.starts_at - timedelta(hours=booking.free_cancellation_hours)
        late = timezone.now() > free_until and by.pk == booking.member_id
        if late:
            ledger_charge(booking=booking, note="Cancelled inside the free-cancellation window")
        else:
            ledger_release(booking=booking)
    return booking
