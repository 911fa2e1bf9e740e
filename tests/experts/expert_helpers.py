"""Plain helpers for the experts tests (the fixtures are in conftest.py)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from mentormesh.experts import selectors
from mentormesh.experts.models import Booking, LedgerEntry
from mentormesh.people import services as people
from mentormesh.people.models import User

EVERY_DAY = range(7)


def fresh(user) -> User:
    """The user read again, so their profile (time zone, rate) is what the database holds."""
    return User.objects.select_related("profile", "expert_offer").get(pk=user.pk)


def open_hours(user, start: time, end: time, weekdays=EVERY_DAY) -> None:
    """The same weekly window on each of `weekdays`, in the user's own time zone."""
    for weekday in weekdays:
        people.availability_add(user=user, weekday=weekday, start=start, end=end)


def free_slots(expert, *, now: datetime | None = None) -> list[datetime]:
    """The slots a member could pick from the expert's list, as the expert offers them now."""
    expert = fresh(expert)
    return selectors.expert_slots(expert, minutes=expert.expert_offer.slot_minutes, now=now)


def slot_between(expert, after_hours: float, before_hours: float = 14 * 24) -> datetime:
    """The expert's first free slot starting between `after_hours` and `before_hours` from now."""
    now = timezone.now()
    for slot in free_slots(expert):
        if now + timedelta(hours=after_hours) <= slot <= now + timedelta(hours=before_hours):
            return slot
    raise AssertionError(f"no free slot {after_hours}-{before_hours} h ahead; fix the test")


def ledger_rows() -> list[tuple]:
    """Every ledger entry as (member handle, kind, amount), oldest first."""
    return [
        (entry.member.handle, entry.kind, entry.amount_minor)
        for entry in LedgerEntry.objects.select_related("member").order_by("pk")
    ]


def written() -> tuple[int, int]:
    """How many bookings and ledger entries exist."""
    return Booking.objects.count(), LedgerEntry.objects.count()
