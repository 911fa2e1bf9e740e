"""Reads for paid help: ledger balances (always derived, never stored) and an expert's
bookable slots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from mentormesh.discover.network import weekly_windows
from mentormesh.experts.models import HOLDING, Booking, Budget, EntryKind, LedgerEntry
from mentormesh.matching.availability import dated_windows
from mentormesh.people.models import User

SLOT_DAYS = 14
SLOT_LEAD = timedelta(hours=12)


@dataclass(frozen=True)
class Balance:
    total: int
    held: int
    spent: int

    @property
    def available(self) -> int:
        return self.total - self.held - self.spent


def _sums(entries: QuerySet[LedgerEntry]) -> dict[str, int]:
    rows = entries.values("kind").annotate(total=Sum("amount_minor")).order_by()
    return {row["kind"]: row["total"] for row in rows}


def balance(budget: Budget, member: User | None = None) -> Balance:
    """The budget's (or one member's share's) money: held, spent, and what is left."""
    entries = budget.entries.all()
    total = budget.total_minor
    if member is not None:
        entries = entries.filter(member=member)
        total = budget.per_member_minor
    sums = _sums(entries)
    return Balance(
        total=total,
        held=sums.get(EntryKind.HOLD, 0) - sums.get(EntryKind.RELEASE, 0),
        spent=sums.get(EntryKind.CHARGE, 0) - sums.get(EntryKind.REFUND, 0),
    )


def held_for(booking: Booking) -> int:
    """What is still held for one booking."""
    sums = _sums(booking.entries.all())
    return sums.get(EntryKind.HOLD, 0) - sums.get(EntryKind.RELEASE, 0)


def charged_for(booking: Booking) -> int:
    sums = _sums(booking.entries.all())
    return sums.get(EntryKind.CHARGE, 0) - sums.get(EntryKind.REFUND, 0)


def bookings_holding(people: list[User]) -> QuerySet[Booking]:
    """Bookings that take the time of any of ``people``, as expert or as member."""
    ids = [person.pk for person in people]
    return Booking.objects.filter(Q(expert_id__in=ids) | Q(member_id__in=ids), status__in=HOLDING)


def expert_slots(
    expert: User, *, minutes: int, free_only: bool = True, now: datetime | None = None
) -> list[datetime]:
    """Start times (UTC) of the expert's slots in the next two weeks: their weekly windows
    cut into ``minutes``-long pieces; with ``free_only``, without what is already booked."""
    now = now or timezone.now()
    first = now + SLOT_LEAD
    until = now + timedelta(days=SLOT_DAYS)
    windows = dated_windows(
        weekly_windows(expert),
        expert.profile.timezone,
        first.date() - timedelta(days=1),
        until.date() + timedelta(days=1),
    )
    busy = (
        list(
            bookings_holding([expert])
            .filter(ends_at__gt=first, starts_at__lt=until)
            .values_list("starts_at", "ends_at")
        )
        if free_only
        else []
    )
    length = timedelta(minutes=minutes)
    slots = []
    for start, end in windows:
        moment = start
        while moment + length <= end:
            if (
                first <= moment
                and moment + length <= until
                and not any(b_start < moment + length and b_end > moment for b_start, b_end in busy)
            ):
                slots.append(moment)
            moment += length
    return slots
