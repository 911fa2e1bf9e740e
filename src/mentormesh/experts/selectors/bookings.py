"""Reads for paid help: ledger balances (always derived, never stored), an expert's
bookable slots, bookings, their reviews and calendar entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from mentormesh.connect.selectors.sessions import REVEAL_AFTER, FeedbackView, revealed_answers
from mentormesh.discover.network import weekly_windows
from mentormesh.errors import DomainError, NotFound
from mentormesh.experts.models import (
    HOLDING,
    Booking,
    BookingReview,
    BookingStatus,
    Budget,
    EntryKind,
    ExpertOffer,
    LedgerEntry,
)
from mentormesh.matching.availability import dated_windows
from mentormesh.notifications.calendar import CalendarItem
from mentormesh.people.models import Skill, User
from mentormesh.people.selectors import profile_for, skill_resolve
from mentormesh.people.services import site_url

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


def bookable_offer(*, viewer: User, handle: str) -> ExpertOffer:
    """The active paid offer of someone the viewer may see; not found when they do not
    offer paid sessions (paused, not open to paid help, or no rate)."""
    expert = profile_for(viewer=viewer, handle=handle).user
    offer = ExpertOffer.objects.filter(user=expert, active=True).select_related("user__profile")
    found = offer.first()
    profile = expert.profile
    if found is None or not (
        profile.open_to_paid and profile.paid_rate_minor and profile.paid_currency
    ):
        raise NotFound(f"@{expert.handle} does not offer paid sessions.")
    return found


def offer_price(offer: ExpertOffer) -> int:
    """One session's price: the hourly rate, pro rata, in minor units."""
    return offer.user.profile.paid_rate_minor * offer.slot_minutes // 60


def offered_subject(offer: ExpertOffer, subject: str) -> Skill:
    skill = skill_resolve(subject)
    if skill is None or not offer.subjects.filter(pk=skill.pk).exists():
        raise DomainError(
            f"subject: @{offer.user.handle} does not offer “{subject}”.", field="subject"
        )
    return skill


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


def bookings_of(user: User) -> QuerySet[Booking]:
    """Bookings I made or give, soonest first."""
    return (
        Booking.objects.filter(Q(expert=user) | Q(member=user))
        .select_related("expert__profile", "member__profile", "subject", "budget__organization")
        .order_by("starts_at", "pk")
    )


def booking_get(*, viewer: User, booking_id: int) -> Booking:
    """A booking of the viewer's; or one waiting for the viewer's sponsorship decision."""
    from mentormesh.experts.selectors.sponsorship import approvals_for

    found = bookings_of(viewer).filter(pk=booking_id).prefetch_related("reviews").first()
    if found is None:
        found = approvals_for(viewer).filter(pk=booking_id).first()
    if found is None:
        raise NotFound(f"No booking {booking_id} of yours.")
    return found


def reviews_for(*, viewer: User, booking: Booking) -> FeedbackView:
    """Mine, and theirs once both reviewed or a week after the session."""
    return revealed_answers(list(booking.reviews.all()), viewer=viewer, ends_at=booking.ends_at)


@dataclass(frozen=True)
class Rating:
    average: float | None
    count: int


def expert_rating(expert: User) -> Rating:
    """Members' ratings of the expert, counting only reviews already shown to the expert
    (both sides answered, or a week passed), so nobody's rating moves on a hidden review."""
    now = timezone.now()
    reviews = BookingReview.objects.filter(booking__expert=expert).exclude(author=expert)
    shown = reviews.filter(
        Q(booking__ends_at__lte=now - REVEAL_AFTER) | Q(booking__reviews__author=expert)
    ).distinct()
    ratings = list(shown.values_list("rating", flat=True))
    return Rating(round(sum(ratings) / len(ratings), 1) if ratings else None, len(ratings))


def calendar_item(booking: Booking, *, for_user: User) -> CalendarItem:
    other = booking.expert if for_user.pk == booking.member_id else booking.member
    return CalendarItem(
        uid=f"booking-{booking.pk}@mentormesh",
        title=f"{booking.subject.name} — paid session with {other.profile.display_name}",
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        url=site_url(reverse("booking", args=[booking.pk])),
        description=f"With {other.profile.display_name} (@{other.handle}) on mentormesh.",
        tentative=booking.status == BookingStatus.AWAITING_APPROVAL,
        cancelled=booking.status in (BookingStatus.CANCELLED, BookingStatus.DECLINED),
        sequence=booking.sequence,
    )


def calendar_items(user: User) -> list[CalendarItem]:
    since = timezone.now() - timedelta(days=30)
    return [
        calendar_item(booking, for_user=user)
        for booking in bookings_of(user).filter(ends_at__gte=since)
    ]
