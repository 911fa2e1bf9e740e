"""An event never has more people going than seats, even when many RSVP for the last seats at
the same moment: real threads, each with its own database connection, race through
`rsvp_join` (and `rsvp_cancel`); the event's row lock (on SQLite, IMMEDIATE transactions)
lines them up, the conditional update hands out the seats, and everyone else waits in line in
the order they got through. The check constraint on the event is only a backstop: no RSVP
ever fails on it.

The threads race through the `race` fixture (tests/conftest.py), which explains how they
share the database on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from mentormesh.community import selectors, services
from mentormesh.community.models import Event, Rsvp, RsvpStatus
from mentormesh.notifications.models import Notification

RACERS = 10


def announce(host, capacity: int) -> Event:
    starts_at = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    return services.event_create(
        host=host,
        kind="lunch_and_learn",
        title="Last seats",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        capacity=capacity,
        place="Room 4",
    )


def join_as(event, person):
    return lambda: services.rsvp_join(event_id=event.pk, by=person)


def cancel_as(event, person):
    return lambda: services.rsvp_cancel(event_id=event.pk, by=person)


def in_line(event) -> list[str]:
    """The waitlist, first in line first."""
    waiting = Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLIST)
    return [rsvp.user.handle for rsvp in waiting.order_by("joined_at", "pk")]


def going(event) -> set[str]:
    rows = Rsvp.objects.filter(event=event, status=RsvpStatus.GOING)
    return set(rows.values_list("user__handle", flat=True))


@pytest.mark.django_db(transaction=True)
def test_many_people_rsvping_for_the_last_three_seats_at_once(make_user, race):
    """Given an event of ten seats with seven taken, when ten people RSVP at the same moment,
    then exactly three are going and seven wait, numbered 1 to 7 in the order they got
    through (everyone who got a seat got through before everyone who waits); the event counts
    ten going, as many as have an RSVP saying so; every RSVP was answered (none failed on
    the database's constraint)."""
    host = make_user("host")
    event = announce(host, capacity=10)
    for n in range(7):
        services.rsvp_join(event_id=event.pk, by=make_user(f"early{n}"))
    racers = [make_user(f"racer{n}") for n in range(RACERS)]

    outcomes = race(*(join_as(event, person) for person in racers))

    assert not [o for o in outcomes if isinstance(o, IntegrityError)], outcomes
    assert all(isinstance(o, Rsvp) for o in outcomes), outcomes
    seated = [o for o in outcomes if o.status == RsvpStatus.GOING]
    waiting = [o for o in outcomes if o.status == RsvpStatus.WAITLIST]
    assert (len(seated), len(waiting)) == (3, RACERS - 3)
    event.refresh_from_db()
    assert event.going_count == event.capacity == len(going(event)) == 10
    line = in_line(event)
    assert sorted(line) == sorted(o.user.handle for o in waiting)
    positions = [selectors.waitlist_position(event=event, viewer=o.user) for o in waiting]
    assert sorted(positions) == list(range(1, RACERS - 3 + 1))
    last_seat = max(Rsvp.objects.get(pk=o.pk).joined_at for o in seated)
    first_waiting = min(Rsvp.objects.get(pk=o.pk).joined_at for o in waiting)
    assert last_seat <= first_waiting


@pytest.mark.django_db(transaction=True)
def test_cancellations_and_new_rsvps_at_once_never_lose_or_double_a_seat(make_user, race):
    """Given a full four-seat event with three people waiting, when the four going cancel and
    four newcomers RSVP at the same moment, then the three who were waiting are going, each
    told once; of the newcomers exactly one is going and three wait; the event counts four
    going, as many as have an RSVP saying so, and no one waits while a seat is free."""
    host = make_user("host")
    event = announce(host, capacity=4)
    seated = [make_user(f"seated{n}") for n in range(4)]
    first_in_line = [make_user(f"waiting{n}") for n in range(3)]
    for person in seated + first_in_line:
        services.rsvp_join(event_id=event.pk, by=person)
    newcomers = [make_user(f"new{n}") for n in range(4)]

    outcomes = race(
        *(cancel_as(event, person) for person in seated),
        *(join_as(event, person) for person in newcomers),
    )

    assert all(isinstance(o, Rsvp) for o in outcomes), outcomes
    now_going = going(event)
    assert {p.handle for p in first_in_line} <= now_going
    assert len(now_going & {p.handle for p in newcomers}) == 1
    assert len(in_line(event)) == 3
    event.refresh_from_db()
    assert event.going_count == len(now_going) == event.capacity
    told = Notification.objects.filter(kind="waitlist_promoted")
    promoted = sorted(n.user.handle for n in told)
    assert set(promoted) >= {p.handle for p in first_in_line}
    assert len(promoted) == len(set(promoted))
    assert set(promoted) <= now_going
