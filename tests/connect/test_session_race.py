"""No one is in two sessions at once, even when several people propose the same hour to them
at the same moment: real threads, each with its own database connection, race through
`session_propose`; the database lets exactly one through. (SQLite serializes writers with
IMMEDIATE transactions; PostgreSQL with row locks on the people taking part.)

The threads race through the `race` fixture (tests/conftest.py), which explains how they
share the database on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentormesh.connect import services
from mentormesh.connect.models import Session
from mentormesh.errors import Conflict
from mentormesh.notifications.models import Notification

RACERS = 6


@pytest.fixture
def leo_and_helpers(make_user):
    """Leo, and a relationship with each of several helpers."""
    leo = make_user("leo", display_name="Leo Park", timezone="America/New_York")
    relationships = [
        services.relationship_start(
            one=leo, other=make_user(f"helper{n}"), topic=f"Topic number {n}"
        )
        for n in range(RACERS)
    ]
    return leo, relationships


@pytest.mark.django_db(transaction=True)
def test_of_several_overlapping_proposals_to_one_person_at_once_exactly_one_is_written(
    leo_and_helpers, race
):
    """Given Leo in relationships with six helpers, when all six propose an hour to him at the
    same moment, each starting a few minutes after the last (so every two overlap), then
    exactly one proposal is written and Leo is told of that one; the other five are told he
    is already booked, and nothing else is written."""
    leo, relationships = leo_and_helpers
    starts_at = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)

    def proposal(n, relationship):
        helper = relationship.other(leo)
        return lambda: services.session_propose(
            relationship_id=relationship.pk,
            by=helper,
            starts_at=starts_at + timedelta(minutes=5 * n),
            minutes=60,
        )

    outcomes = race(*(proposal(n, r) for n, r in enumerate(relationships)))

    written = [o for o in outcomes if isinstance(o, Session)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(written) == 1, outcomes
    assert len(refused) == RACERS - 1, outcomes
    assert all("@leo is already booked then" in error.detail for error in refused)
    (session,) = Session.objects.all()
    assert session.pk == written[0].pk
    (told,) = Notification.objects.filter(kind="session_proposed")
    assert told.user_id == leo.pk
    assert told.url == f"/sessions/{session.pk}/"


@pytest.mark.django_db(transaction=True)
def test_proposals_that_do_not_overlap_all_go_through_at_once(leo_and_helpers, race):
    """Given Leo and six helpers, when all six propose back-to-back hours to him at the same
    moment, then all six are written: the locking refuses clashes, not neighbours."""
    leo, relationships = leo_and_helpers
    starts_at = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)

    def proposal(n, relationship):
        return lambda: services.session_propose(
            relationship_id=relationship.pk,
            by=relationship.other(leo),
            starts_at=starts_at + timedelta(hours=n),
            minutes=60,
        )

    outcomes = race(*(proposal(n, r) for n, r in enumerate(relationships)))

    assert all(isinstance(o, Session) for o in outcomes), outcomes
    assert Session.objects.count() == RACERS
    assert Notification.objects.filter(kind="session_proposed", user=leo).count() == RACERS
