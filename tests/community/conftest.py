"""People and events for the community tests.

Hana hosts; Priya sits on Hana's panel; Leo and Sam are members who go to things; Mallory is a
member who takes part in nothing; Olga belongs to Northwind, an organization none of the
others is in. Events start three days from now at 15:00 UTC unless a test moves them."""

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from mentormesh.community import services
from mentormesh.community.models import Event, Rsvp
from mentormesh.people.models import User

JSON = "application/json"


def fresh(user) -> User:
    """The user read again, so their profile (time zone) is what the database holds."""
    return User.objects.select_related("profile").get(pk=user.pk)


def in_days(days: float, hour: int = 15) -> datetime:
    """A whole-hour UTC time `days` from today at `hour` UTC."""
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def hana(make_person):
    return fresh(
        make_person(
            "hana",
            display_name="Hana Kim",
            headline="Platform lead at Acme",
            offers=[("Kubernetes", 3)],
            timezone="Europe/Berlin",
        )
    )


@pytest.fixture
def priya(make_person):
    return fresh(
        make_person(
            "priya",
            display_name="Priya Raman",
            headline="Staff SRE at Northwind",
            offers=[("Kubernetes", 3)],
            timezone="Europe/Berlin",
        )
    )


@pytest.fixture
def leo(make_person):
    return fresh(
        make_person(
            "leo",
            display_name="Leo Park",
            level="student",
            seeks=["Kubernetes"],
            timezone="America/New_York",
        )
    )


@pytest.fixture
def sam(make_user):
    return fresh(make_user("sam", display_name="Sam Okafor", timezone="Asia/Tokyo"))


@pytest.fixture
def mallory(make_user):
    """A member who is party to nothing in these tests."""
    return fresh(make_user("mallory", display_name="Mallory Stone"))


@pytest.fixture
def northwind(make_user, make_org):
    """Olga's organization; no one else here belongs to it."""
    olga = make_user("olga", display_name="Olga Berg")
    return make_org("northwind", admin=olga)


@pytest.fixture
def make_event(hana):
    """Announce an event through the service; Hana hosts unless `host` says otherwise."""

    def make(**changes) -> Event:
        starts_at = changes.pop("starts_at", in_days(3))
        arguments = {
            "host": hana,
            "kind": "lunch_and_learn",
            "title": "Kubernetes upgrades without downtime",
            "description": "We walk through a **real** cluster upgrade.",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=1),
            "capacity": 30,
            "skills": ["Kubernetes"],
            "online_url": "https://meet.example.org/k8s-upgrades",
        }
        return services.event_create(**(arguments | changes))

    return make


@pytest.fixture
def lunch(make_event):
    """Hana's lunch-and-learn on Kubernetes upgrades, three seats."""
    return make_event(capacity=3)


@pytest.fixture
def panel(make_event, priya):
    """Hana's question-first panel with Priya on it, twenty seats."""
    return make_event(
        kind="panel",
        title="Ask an SRE anything",
        capacity=20,
        panelists=[priya.handle],
    )


@pytest.fixture
def join():
    """RSVP people to an event through the service, in order; their statuses."""

    def rsvp(event, *people) -> list[str]:
        return [services.rsvp_join(event_id=event.pk, by=person).status for person in people]

    return rsvp


@pytest.fixture
def hold():
    """Move an event into the past: it started `ago` and lasted as long as it was announced."""

    def move(event: Event, *, ago: timedelta = timedelta(days=2)) -> Event:
        length = event.ends_at - event.starts_at
        starts_at = timezone.now() - ago
        Event.objects.filter(pk=event.pk).update(starts_at=starts_at, ends_at=starts_at + length)
        event.refresh_from_db()
        return event

    return move


@pytest.fixture
def start():
    """The event started a few minutes ago and is still going on."""

    def move(event: Event) -> Event:
        length = event.ends_at - event.starts_at
        starts_at = timezone.now() - timedelta(minutes=5)
        Event.objects.filter(pk=event.pk).update(starts_at=starts_at, ends_at=starts_at + length)
        event.refresh_from_db()
        return event

    return move


@pytest.fixture
def as_member(client):
    """The test client logged in as `user`."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api():
    """A JSON request: api(client, "post", "/api/events", {...})."""

    def call(client, method: str, path: str, payload=None):
        if payload is None:
            return getattr(client, method)(path)
        return getattr(client, method)(path, json.dumps(payload), content_type=JSON)

    return call


@pytest.fixture
def statuses():
    """Who holds which RSVP status for an event, as {handle: status}."""

    def read(event) -> dict[str, str]:
        return dict(Rsvp.objects.filter(event=event).values_list("user__handle", "status"))

    return read
