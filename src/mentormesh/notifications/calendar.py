"""Calendar files: one event, or a person's private feed of everything they take part in.

Apps with things on a person's calendar (sessions, later events and bookings) register a
source here from their ``AppConfig.ready``; the feed reads every source, so notifications never
imports them. Times are UTC in the file; calendar apps show them in the reader's zone. No email
addresses go in: a feed is readable by anyone with its address.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from mentormesh.notifications.models import CalendarFeed
from mentormesh.people.models import User


@dataclass(frozen=True)
class CalendarItem:
    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    url: str = ""
    description: str = ""
    location: str = ""
    tentative: bool = False
    cancelled: bool = False
    sequence: int = 0


# Each returns the items on one user's calendar.
CalendarSource = Callable[[User], Iterable[CalendarItem]]
calendar_sources: list[CalendarSource] = []


def ics(items: Iterable[CalendarItem], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//mentormesh//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("summary", item.title)
        event.add("sequence", item.sequence)
        status = "CANCELLED" if item.cancelled else "TENTATIVE" if item.tentative else "CONFIRMED"
        event.add("status", status)
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    return calendar.to_ical()


def items_for(user: User) -> list[CalendarItem]:
    items = [item for source in calendar_sources for item in source(user)]
    return sorted(items, key=lambda item: item.starts_at)


def feed_token(user: User, *, renew: bool = False) -> str:
    """The user's feed token, made on first use; ``renew`` replaces it (the old one stops)."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            feed = CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))
        elif renew:
            feed.token = secrets.token_urlsafe(32)
            feed.save(update_fields=["token"])
    return feed.token


def user_for_feed(token: str) -> User | None:
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return feed.user if feed else None
