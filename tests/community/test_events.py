"""Events from announcement to follow-up, through the API and the pages over one set of services.

Hana announces lunch-and-learns, panels and mixers; members RSVP while there are seats and join
an ordered waitlist after; a seat freed goes to the first in line, who is told. An
organization's event is seen by its members only (everyone else gets 404). After the event the
host marks who came; going to an event makes people contacts for warm introductions, hosting
one is evidence for discovery, and everything one hosts, speaks at or goes to is in their
calendar. A Hypothesis state machine checks that seats are never over- or under-filled."""

import contextlib
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
from icalendar import Calendar

from mentormesh.community import services
from mentormesh.community.models import Event, Panelist, Rsvp, RsvpStatus
from mentormesh.connect.selectors import shared_contacts
from mentormesh.discover.network import network_changed
from mentormesh.errors import Conflict, DomainError
from mentormesh.notifications.models import Notification
from mentormesh.people.models import Membership, Role, User

NEW_YORK = ZoneInfo("America/New_York")


def in_days(days: float, hour: int = 15):
    """A whole-hour UTC time `days` from today at `hour` UTC."""
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def page(response) -> str:
    return response.content.decode()


def titles_on(response) -> list[str]:
    """The events a list page shows, in page order."""
    return re.findall(r'<h2><a href="/events/\d+/">([^<]+)</a></h2>', page(response))


def ics_events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def event_payload(**changes) -> dict:
    starts_at = changes.pop("starts_at", in_days(3))
    return {
        "kind": "lunch_and_learn",
        "title": "Terraform state surgery",
        "description": "How to move resources between states **without** tears.",
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=1)).isoformat(),
        "capacity": 25,
        "skills": ["Kubernetes"],
        "online_url": "https://meet.example.org/terraform",
    } | changes


def nothing_written() -> bool:
    return not (
        Event.objects.exists() or Panelist.objects.exists() or Notification.objects.exists()
    )


# --- Announcing -----------------------------------------------------------------------------


def test_announcing_a_lunch_and_learn_through_the_api_lists_it_for_everyone(
    hana, leo, as_member, api
):
    """Given Hana, when she announces a lunch-and-learn through the API, then it is 201 with
    the details she gave, her markdown rendered, no one going yet and the link shown to her;
    Leo then finds it in the upcoming events, without the link (he is not going)."""
    response = api(as_member(hana), "post", "/api/events", event_payload())

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "lunch_and_learn"
    assert body["title"] == "Terraform state surgery"
    assert body["host"] == "hana"
    assert body["skills"] == ["Kubernetes"]
    assert (body["capacity"], body["going"], body["waitlist"], body["my_rsvp"]) == (25, 0, 0, None)
    assert "<strong>without</strong>" in body["description_html"]
    assert body["online_url"] == "https://meet.example.org/terraform"
    assert body["board_open"] is False  # a lunch-and-learn has no question board
    listed = api(as_member(leo), "get", "/api/events").json()
    assert [(e["id"], e["title"], e["online_url"]) for e in listed] == [
        (body["id"], "Terraform state surgery", None)
    ]


def test_announcing_a_panel_tells_each_panelist_with_a_link_to_it(hana, priya, sam, as_member, api):
    """Given Hana, when she announces a panel with Priya, Sam and herself on it, then Priya and
    Sam are each told once, with a link to the panel; Hana is not told about her own panel;
    the panel's board is open and lists its panelists."""
    response = api(
        as_member(hana),
        "post",
        "/api/events",
        event_payload(
            kind="panel", title="Ask an SRE anything", panelists=["priya", "@Sam", "hana"]
        ),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted(body["panelists"]) == ["hana", "priya", "sam"]
    assert body["board_open"] is True
    told = Notification.objects.filter(kind="panelist").order_by("user__handle")
    assert [(n.user.handle, n.url) for n in told] == [
        ("priya", f"/events/{body['id']}/"),
        ("sam", f"/events/{body['id']}/"),
    ]
    assert told[0].text == "@hana added you to the panel “Ask an SRE anything”"


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "starts_at", "that time has passed"),
        ({"ends_at": in_days(3, hour=14).isoformat()}, "ends_at", "after the start"),
        ({"ends_at": in_days(3, hour=15).isoformat()}, "ends_at", "after the start"),
        (
            {"ends_at": (in_days(3) + timedelta(hours=13)).isoformat()},
            "ends_at",
            "at most 12 hours",
        ),
        ({"online_url": "", "place": ""}, "place", "a link to join online or a place"),
        ({"online_url": "", "place": "   "}, "place", "a link to join online or a place"),
        ({"online_url": "ftp://files.example.org/"}, "online_url", "starting with https://"),
        ({"panelists": ["priya"]}, "panelists", "only a panel has panelists"),
        ({"kind": "panel", "panelists": ["nobody"]}, "panelists", "no one with the handle @nobody"),
        ({"skills": ["Underwater basket weaving"]}, "skills", "no skill called"),
        ({"organization": "northwind"}, "organization", "organizations you belong to"),
        ({"title": "   "}, "title", "1 to 120 characters"),
    ],
)
def test_bad_announcements_are_400_naming_the_field_and_write_nothing(
    hana, priya, northwind, as_member, api, changes, field, words
):
    """Given Hana, when she announces an event with a start in the past, an end before the
    start or more than 12 hours after it, neither link nor place, a link that is not a web
    address, panelists on a lunch-and-learn, an unknown panelist or skill, an organization she
    is not in, or a blank title, then it is 400 naming the field, and no event, panelist or
    notification is written."""
    response = api(as_member(hana), "post", "/api/events", event_payload(**changes))

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == "invalid"
    assert body["detail"].startswith(f"{field}:")
    assert words in body["detail"]
    assert nothing_written()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10_001}, "capacity"),
        ({"kind": "hackathon"}, "kind"),
        ({"starts_at": in_days(3).replace(tzinfo=None)}, "starts_at"),
        ({"title": ""}, "title"),
    ],
)
def test_announcements_the_schema_refuses_are_422_naming_the_field(
    hana, as_member, api, changes, field
):
    """Given Hana, when she announces an event for no one or for more than 10000, of a kind
    there is not, at a time without a time zone or without a title, then it is 422 naming the
    field and nothing is written."""
    response = api(as_member(hana), "post", "/api/events", event_payload(**changes))

    assert response.status_code == 422, response.content
    assert response.json()["detail"].startswith(f"{field}:")
    assert nothing_written()


@pytest.mark.parametrize("capacity", [1, 10_000])
def test_the_smallest_and_largest_capacities_are_accepted(hana, as_member, api, capacity):
    """Given Hana, when she announces an event for 1 or for 10000 people, then it is 201."""
    response = api(as_member(hana), "post", "/api/events", event_payload(capacity=capacity))

    assert response.status_code == 201, response.content
    assert response.json()["capacity"] == capacity


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"kind": "mixer", "capacity": 0}, "capacity"),
        ({"kind": "mixer", "capacity": 10_001}, "capacity"),
        ({"kind": "reading_group"}, "kind"),
    ],
)
def test_the_service_refuses_what_the_schema_would_too(hana, make_event, changes, field):
    """Given Hana, when code calls the service directly with a capacity out of range or a
    kind there is not, then it refuses with a DomainError naming the field."""
    with pytest.raises(DomainError) as refused:
        make_event(**changes)

    assert refused.value.field == field
    assert nothing_written()


def test_an_organization_only_event_needs_the_host_to_belong(hana, northwind, api, as_member):
    """Given Hana joins Northwind, when she announces an event for Northwind only, then it is
    201 and says it belongs to Northwind."""
    Membership.objects.create(user=hana, organization=northwind, role=Role.MEMBER)

    response = api(as_member(hana), "post", "/api/events", event_payload(organization="northwind"))

    assert response.status_code == 201, response.content
    assert response.json()["organization"] == "northwind"


def test_a_panelist_of_an_organizations_panel_can_open_it(
    hana, priya, northwind, make_event, as_member
):
    """Given Hana in Northwind, when she announces a Northwind-only panel with Priya (not in
    Northwind) on it, then either the announcement is refused naming the panelists, or Priya
    can open the panel her notification links to."""
    Membership.objects.create(user=hana, organization=northwind, role=Role.MEMBER)

    try:
        make_event(kind="panel", organization_slug="northwind", panelists=["priya"])
    except DomainError as refused:
        assert refused.field == "panelists"
        return
    (told,) = Notification.objects.filter(user=priya, kind="panelist")
    assert as_member(priya).get(told.url).status_code == 200


def test_announcing_on_the_page_takes_the_start_on_the_hosts_clock(leo, as_member):
    """Given Leo in New York, when he announces a 90-minute mixer on the page starting at 18:00
    on his clock in three days, then he lands on its page, told it is announced, and the event
    starts at 18:00 New York time and ends 90 minutes later."""
    day = (timezone.now() + timedelta(days=3)).astimezone(NEW_YORK).date()
    client = as_member(leo)

    response = client.post(
        "/events/new/",
        {
            "kind": "mixer",
            "title": "Students meet SREs",
            "starts_at": f"{day.isoformat()}T18:00",
            "minutes": "90",
            "capacity": "40",
            "place": "Room 4, Main Library",
        },
        follow=True,
    )

    (event,) = Event.objects.all()
    assert response.redirect_chain == [(f"/events/{event.pk}/", 302)]
    assert "Announced." in page(response)
    assert event.starts_at.astimezone(NEW_YORK).replace(tzinfo=None).isoformat() == (
        f"{day.isoformat()}T18:00:00"
    )
    assert event.ends_at - event.starts_at == timedelta(minutes=90)
    assert (event.kind, event.place, event.capacity, event.host) == (
        "mixer",
        "Room 4, Main Library",
        40,
        leo,
    )


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"starts_at": "2020-01-06T18:00"}, "that time has passed."),
        ({"kind": "mixer", "panelists": "priya"}, "only a panel has panelists."),
        ({"place": ""}, "give a link to join online or a place."),
        ({"organization": "northwind"}, "Select a valid choice."),
        ({"capacity": "0"}, "greater than or equal to 1"),
    ],
)
def test_bad_announcements_on_the_page_show_the_form_with_the_error(
    leo, priya, northwind, as_member, changes, message
):
    """Given Leo on the announcement page, when he sends a start in the past, panelists for a
    mixer, neither link nor place, an organization he is not in, or no seats, then the form
    comes back (400) with the reason and nothing is written."""
    form = {
        "kind": "lunch_and_learn",
        "title": "Go for students",
        "starts_at": in_days(3).strftime("%Y-%m-%dT%H:%M"),
        "minutes": "60",
        "capacity": "30",
        "place": "Room 4",
    } | changes

    response = as_member(leo).post("/events/new/", form)

    assert response.status_code == 400
    assert message in page(response)
    assert nothing_written()


# --- Who sees what --------------------------------------------------------------------------


@pytest.fixture
def northwind_event(northwind, make_event, hana):
    """Hana, a Northwind member, announces a panel for Northwind only."""
    Membership.objects.create(user=hana, organization=northwind, role=Role.MEMBER)
    return make_event(kind="panel", title="Northwind on-call review", organization_slug="northwind")


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/events/{id}/"),
        ("get", "/events/{id}/board/"),
        ("get", "/events/{id}/calendar.ics"),
        ("post", "/events/{id}/rsvp/"),
        ("post", "/events/{id}/questions/"),
        ("get", "/api/events/{id}"),
        ("post", "/api/events/{id}/rsvp"),
        ("delete", "/api/events/{id}/rsvp"),
        ("get", "/api/events/{id}/questions"),
        ("get", "/api/events/{id}/follow-ups"),
        ("post", "/api/events/{id}/cancel"),
    ],
)
def test_an_organizations_event_is_404_to_everyone_outside_it(
    northwind_event, leo, as_member, method, path
):
    """Given a Northwind-only panel, when Leo (not in Northwind) opens its page, its board,
    its calendar file or its API, or tries to RSVP, then each is 404: he cannot tell it
    exists; and nothing is written (a question sent to its page included)."""
    form = {"text": "How do you run reviews?"} if path.endswith("/questions/") else {}
    response = getattr(as_member(leo), method)(path.format(id=northwind_event.pk), form)

    assert response.status_code == 404
    assert not Rsvp.objects.exists()


def test_an_organizations_event_is_listed_for_its_members_only(
    northwind_event, lunch, northwind, leo, as_member, api
):
    """Given a Northwind-only panel and an open lunch-and-learn, when Leo lists events he sees
    only the lunch-and-learn; once he joins Northwind he sees both, and can open and RSVP to
    the panel."""
    client = as_member(leo)
    assert titles_on(client.get("/events/")) == [lunch.title]
    assert [e["title"] for e in api(client, "get", "/api/events").json()] == [lunch.title]

    Membership.objects.create(user=leo, organization=northwind, role=Role.MEMBER)

    assert sorted(titles_on(client.get("/events/"))) == sorted([lunch.title, northwind_event.title])
    assert "Northwind only" in page(client.get(f"/events/{northwind_event.pk}/"))
    assert api(client, "post", f"/api/events/{northwind_event.pk}/rsvp").status_code == 201


def test_the_lists_split_upcoming_mine_and_past(make_event, hana, leo, join, hold, as_member, api):
    """Given a coming lunch-and-learn Leo goes to, a coming mixer he does not, a cancelled
    panel and a lunch-and-learn held last week, when Leo opens each tab, then Upcoming has the
    two coming events, Mine the one he goes to, Past the one held; the API's ?when= agrees,
    and an unknown ?when= is 422."""
    going = make_event(title="Going to this", starts_at=in_days(2))
    make_event(kind="mixer", title="Not going to this", starts_at=in_days(4))
    cancelled = make_event(kind="panel", title="Called off", starts_at=in_days(5))
    services.event_cancel(event_id=cancelled.pk, by=hana)
    held = hold(make_event(title="Held last week"), ago=timedelta(days=7))
    join(going, leo)
    client = as_member(leo)

    assert titles_on(client.get("/events/")) == ["Going to this", "Not going to this"]
    assert titles_on(client.get("/events/?show=mine")) == ["Going to this"]
    assert titles_on(client.get("/events/?show=past")) == ["Held last week"]
    upcoming = api(client, "get", "/api/events?when=upcoming").json()
    assert [e["title"] for e in upcoming] == ["Going to this", "Not going to this"]
    assert [e["title"] for e in api(client, "get", "/api/events?when=past").json()] == [held.title]
    assert api(client, "get", "/api/events?when=someday").status_code == 422


def test_the_event_page_shows_the_time_on_the_viewers_clock(lunch, leo, as_member):
    """Given a lunch-and-learn at 15:00-16:00 UTC, when Leo (New York) opens it, then it shows
    the day and hours on his clock."""
    starts = lunch.starts_at.astimezone(NEW_YORK)
    ends = lunch.ends_at.astimezone(NEW_YORK)
    expected = f"{starts.strftime('%A %-d %B %Y, %H:%M')}–{ends.strftime('%H:%M')}"

    shown = page(as_member(leo).get(f"/events/{lunch.pk}/"))

    assert f"<strong>{expected}</strong> your time" in shown


@pytest.fixture
def lunch_with_a_queue(lunch, hana, priya, leo, sam, mallory, join):
    """Priya, Leo and Sam take the three seats; Mallory is first on the waitlist."""
    join(lunch, priya, leo, sam, mallory)
    return lunch


@pytest.mark.parametrize(
    "who, sees_link",
    [("hana", True), ("leo", True), ("mallory", False), ("outsider", False)],
)
def test_the_online_link_is_shown_to_people_going_and_the_host_only(
    lunch_with_a_queue, make_user, as_member, api, who, sees_link
):
    """Given a full lunch-and-learn, when the host, someone going, someone on the waitlist and
    someone who did not answer open it (page and API), then only the host and the person
    going see the link to join; the others are told it shows once they are going."""
    viewer = make_user("outsider") if who == "outsider" else User.objects.get(handle=who)
    client = as_member(viewer)
    link = "https://meet.example.org/k8s-upgrades"

    shown = page(client.get(f"/events/{lunch_with_a_queue.pk}/"))
    body = api(client, "get", f"/api/events/{lunch_with_a_queue.pk}").json()

    assert (link in shown) is sees_link
    assert (body["online_url"] == link) is sees_link
    if not sees_link:
        assert "the link shows once you are going" in shown
        assert body["online_url"] is None


def test_a_panelist_sees_the_online_link(panel, priya, as_member, api):
    """Given Priya on Hana's panel without an RSVP, when she opens it, then she sees the link
    to join on the page and in the API."""
    client = as_member(priya)

    assert "https://meet.example.org/k8s-upgrades" in page(client.get(f"/events/{panel.pk}/"))
    body = api(client, "get", f"/api/events/{panel.pk}").json()
    assert body["online_url"] == "https://meet.example.org/k8s-upgrades"


def test_the_events_calendar_file_describes_the_event(lunch_with_a_queue, leo, as_member):
    """Given Leo going to the lunch-and-learn, when he downloads its calendar file, then it
    holds the one event: title, times, where to join, a link to its page, confirmed."""
    response = as_member(leo).get(f"/events/{lunch_with_a_queue.pk}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (item,) = ics_events(response.content)
    assert str(item["SUMMARY"]) == lunch_with_a_queue.title
    assert item.decoded("DTSTART") == lunch_with_a_queue.starts_at
    assert item.decoded("DTEND") == lunch_with_a_queue.ends_at
    assert str(item["LOCATION"]) == "https://meet.example.org/k8s-upgrades"
    assert str(item["URL"]).endswith(f"/events/{lunch_with_a_queue.pk}/")
    assert str(item["STATUS"]) == "CONFIRMED"
    assert str(item["DESCRIPTION"]) == "Lunch-and-learn hosted by Hana Kim."


def test_the_calendar_file_does_not_give_the_link_to_someone_not_going(
    lunch_with_a_queue, mallory, as_member
):
    """Given Mallory on the waitlist (the page hides the link from her), when she downloads
    the event's calendar file, then the link to join is not in it either."""
    response = as_member(mallory).get(f"/events/{lunch_with_a_queue.pk}/calendar.ics")

    assert response.status_code == 200
    assert b"meet.example.org" not in response.content


# --- RSVP and the waitlist ------------------------------------------------------------------


def test_seats_fill_in_order_then_the_waitlist_takes_people_in_order(
    lunch, priya, leo, sam, mallory, make_user, as_member, api, statuses
):
    """Given a lunch-and-learn with three seats, when five people RSVP one after another
    through the API, then the first three are going and the last two are on the waitlist as
    numbers 1 and 2; the event shows 3 going and 2 waiting."""
    olive = make_user("olive")
    answers = [
        api(as_member(person), "post", f"/api/events/{lunch.pk}/rsvp")
        for person in (priya, leo, sam, mallory, olive)
    ]

    assert [r.status_code for r in answers] == [201] * 5
    assert [r.json() for r in answers] == [
        {"status": "going", "waitlist_position": None},
        {"status": "going", "waitlist_position": None},
        {"status": "going", "waitlist_position": None},
        {"status": "waitlist", "waitlist_position": 1},
        {"status": "waitlist", "waitlist_position": 2},
    ]
    body = api(as_member(olive), "get", f"/api/events/{lunch.pk}").json()
    assert (body["going"], body["waitlist"], body["my_rsvp"]) == (3, 2, "waitlist")
    lunch.refresh_from_db()
    assert lunch.going_count == 3


def test_rsvping_twice_is_409_and_changes_nothing(
    lunch_with_a_queue, leo, mallory, as_member, api, statuses
):
    """Given Leo going and Mallory on the waitlist, when each RSVPs again, then each is 409
    saying where they already are, and nobody moves."""
    before = statuses(lunch_with_a_queue)

    again = api(as_member(leo), "post", f"/api/events/{lunch_with_a_queue.pk}/rsvp")
    waiting_again = api(as_member(mallory), "post", f"/api/events/{lunch_with_a_queue.pk}/rsvp")

    assert again.status_code == 409
    assert again.json() == {"error": "conflict", "detail": "You are already going."}
    assert waiting_again.status_code == 409
    assert waiting_again.json()["detail"] == "You are already on the waitlist."
    assert statuses(lunch_with_a_queue) == before
    lunch_with_a_queue.refresh_from_db()
    assert lunch_with_a_queue.going_count == 3


def test_a_freed_seat_goes_to_the_first_on_the_waitlist_who_is_told(
    lunch_with_a_queue, leo, mallory, make_user, join, as_member, api, statuses
):
    """Given a full lunch-and-learn with Mallory first and Olive second on the waitlist, when
    Leo says he cannot make it, then Mallory is going and told so with a link to the event,
    Olive moves up to number 1, and the seats stay full."""
    olive = make_user("olive")
    join(lunch_with_a_queue, olive)

    response = api(as_member(leo), "delete", f"/api/events/{lunch_with_a_queue.pk}/rsvp")

    assert response.status_code == 200
    assert response.json() == {"status": "cancelled", "waitlist_position": None}
    assert statuses(lunch_with_a_queue) == {
        "priya": "going",
        "leo": "cancelled",
        "sam": "going",
        "mallory": "going",
        "olive": "waitlist",
    }
    (told,) = Notification.objects.filter(kind="waitlist_promoted")
    assert told.user == mallory
    assert told.url == f"/events/{lunch_with_a_queue.pk}/"
    assert told.text == f"A seat opened: you are going to “{lunch_with_a_queue.title}”."
    olive_sees = api(as_member(olive), "get", f"/api/events/{lunch_with_a_queue.pk}").json()
    assert (olive_sees["going"], olive_sees["waitlist"]) == (3, 1)
    assert "You are number <strong>1</strong> on the waitlist" in page(
        as_member(olive).get(f"/events/{lunch_with_a_queue.pk}/")
    )
    lunch_with_a_queue.refresh_from_db()
    assert lunch_with_a_queue.going_count == 3


def test_a_freed_seat_with_no_one_waiting_is_free_again(lunch, priya, leo, join, as_member):
    """Given Priya and Leo going to a three-seat lunch-and-learn, when Leo cannot make it,
    then the page shows 1 going and 2 seats left, and nobody is told anything."""
    join(lunch, priya, leo)

    services.rsvp_cancel(event_id=lunch.pk, by=leo)

    shown = page(as_member(priya).get(f"/events/{lunch.pk}/"))
    assert "<strong>1</strong> of 3 going · 2 seats left" in shown
    lunch.refresh_from_db()
    assert lunch.going_count == 1
    assert not Notification.objects.filter(kind="waitlist_promoted").exists()


def test_leaving_the_waitlist_moves_the_people_behind_up_and_frees_no_seat(
    lunch_with_a_queue, mallory, make_user, join, as_member, statuses
):
    """Given Mallory first and Olive second on the waitlist, when Mallory leaves it, then
    Olive is number 1, the three people going still are, and no one is told of a seat."""
    olive = make_user("olive")
    join(lunch_with_a_queue, olive)

    services.rsvp_cancel(event_id=lunch_with_a_queue.pk, by=mallory)

    assert "You are number <strong>1</strong> on the waitlist" in page(
        as_member(olive).get(f"/events/{lunch_with_a_queue.pk}/")
    )
    assert list(statuses(lunch_with_a_queue).values()).count("going") == 3
    assert not Notification.objects.filter(kind="waitlist_promoted").exists()


def test_coming_back_after_cancelling_goes_to_the_back_of_the_waitlist(
    lunch_with_a_queue, leo, make_user, join, statuses
):
    """Given a full lunch-and-learn with Mallory waiting, when Leo cancels (Mallory gets his
    seat), Olive joins the waitlist, and Leo changes his mind and RSVPs again, then Leo is on
    the waitlist behind Olive."""
    olive = make_user("olive")
    services.rsvp_cancel(event_id=lunch_with_a_queue.pk, by=leo)
    join(lunch_with_a_queue, olive)

    assert join(lunch_with_a_queue, leo) == ["waitlist"]

    waiting = Rsvp.objects.filter(event=lunch_with_a_queue, status=RsvpStatus.WAITLIST)
    assert [r.user.handle for r in waiting.order_by("joined_at", "pk")] == ["olive", "leo"]


def test_cancelling_without_an_rsvp_is_409(lunch, leo, join, as_member, api):
    """Given Leo with no RSVP, and then with a cancelled one, when he cancels, then each time
    it is 409 saying he is not going."""
    path = f"/api/events/{lunch.pk}/rsvp"
    first = api(as_member(leo), "delete", path)
    join(lunch, leo)
    services.rsvp_cancel(event_id=lunch.pk, by=leo)
    second = api(as_member(leo), "delete", path)

    for response in (first, second):
        assert response.status_code == 409
        assert response.json()["detail"] == "You are not going to this event."


def test_rsvp_to_a_cancelled_or_finished_event_is_409(make_event, hana, leo, hold, as_member, api):
    """Given a cancelled lunch-and-learn and one held yesterday, when Leo RSVPs to each, then
    each is 409 with the reason, and he is going to neither."""
    called_off = make_event(title="Called off")
    services.event_cancel(event_id=called_off.pk, by=hana)
    finished = hold(make_event(title="Yesterday's"), ago=timedelta(days=1))
    client = as_member(leo)

    cancelled_answer = api(client, "post", f"/api/events/{called_off.pk}/rsvp")
    finished_answer = api(client, "post", f"/api/events/{finished.pk}/rsvp")

    assert cancelled_answer.status_code == 409
    assert cancelled_answer.json()["detail"] == "This event was cancelled."
    assert finished_answer.status_code == 409
    assert finished_answer.json()["detail"] == "This event is over."
    assert not Rsvp.objects.exists()


def test_someone_can_still_rsvp_once_the_event_has_started(lunch, leo, start, join):
    """Given a lunch-and-learn that started five minutes ago, when Leo RSVPs, then he is going
    (people join late)."""
    start(lunch)

    assert join(lunch, leo) == ["going"]


def test_leaving_a_cancelled_event_tells_no_one_a_seat_opened(
    lunch_with_a_queue, hana, leo, mallory, statuses
):
    """Given a full lunch-and-learn with Mallory waiting, when Hana cancels the event and then
    Leo withdraws his RSVP, then Mallory is not told a seat opened for an event that will not
    happen, and she is not moved to going."""
    services.event_cancel(event_id=lunch_with_a_queue.pk, by=hana)

    with contextlib.suppress(Conflict):
        services.rsvp_cancel(event_id=lunch_with_a_queue.pk, by=leo)

    assert not Notification.objects.filter(kind="waitlist_promoted", user=mallory).exists()
    assert statuses(lunch_with_a_queue)["mallory"] == "waitlist"


def test_rsvp_on_the_page_says_going_then_offers_to_cancel(lunch, leo, as_member):
    """Given a lunch-and-learn with seats, when Leo presses "I'm going" on its page, then he is
    back on the page told he is going, which offers "I can't make it"; pressing it takes him
    off and says so."""
    client = as_member(leo)
    assert "I'm going" in page(client.get(f"/events/{lunch.pk}/"))

    going = client.post(f"/events/{lunch.pk}/rsvp/", follow=True)

    assert going.redirect_chain == [(f"/events/{lunch.pk}/", 302)]
    assert "You are going. It is in your calendar feed." in page(going)
    assert "I can't make it" in page(going)
    left = client.post(f"/events/{lunch.pk}/unrsvp/", follow=True)
    assert "You are not going." in page(left)
    assert "I'm going" in page(left)


def test_a_full_event_offers_the_waitlist_and_shows_the_place_in_line(
    lunch_with_a_queue, make_user, as_member
):
    """Given a full lunch-and-learn with Mallory waiting, when Olive opens it, then it offers
    to join the waitlist and the list says it is full; once she joins she is told she is on
    the waitlist and that she is number 2."""
    client = as_member(make_user("olive"))
    shown = page(client.get(f"/events/{lunch_with_a_queue.pk}/"))
    assert "Join the waitlist" in shown
    assert "<strong>3</strong> of 3 going · <strong>1</strong> on the waitlist" in shown
    assert "Full · waitlist open" in page(client.get("/events/"))

    joined = client.post(f"/events/{lunch_with_a_queue.pk}/rsvp/", follow=True)

    assert "The event is full: you are on the waitlist, in order." in page(joined)
    assert "You are number <strong>2</strong> on the waitlist" in page(joined)
    assert "Leave the waitlist" in page(joined)


def test_rsvping_twice_on_the_page_is_a_message_not_an_error_page(lunch, leo, join, as_member):
    """Given Leo going, when he posts the RSVP form again (a second tab), then the page says he
    is already going."""
    join(lunch, leo)

    response = as_member(leo).post(f"/events/{lunch.pk}/rsvp/", follow=True)

    assert response.status_code == 200
    assert "You are already going." in page(response)


def test_the_host_is_not_offered_an_rsvp(lunch, hana, as_member):
    """Given Hana's lunch-and-learn, when she opens it, then it offers her host tools and no
    "I'm going" button."""
    shown = page(as_member(hana).get(f"/events/{lunch.pk}/"))

    assert "Host tools" in shown
    assert "I'm going" not in shown


def test_an_unknown_action_on_an_event_is_404(lunch, leo, as_member):
    """Given a lunch-and-learn, when Leo posts an action that does not exist, then 404."""
    assert as_member(leo).post(f"/events/{lunch.pk}/teleport/").status_code == 404


# --- Cancelling an event --------------------------------------------------------------------


def test_cancelling_tells_everyone_who_answered_and_closes_the_event(
    lunch_with_a_queue, hana, priya, make_user, join, as_member, api
):
    """Given a full lunch-and-learn with Mallory waiting and Olive who cancelled her RSVP,
    when Hana cancels the event, then the three going and Mallory are told (Olive is not),
    the page says it was cancelled and offers no RSVP, it leaves the upcoming list, and a
    second cancel is 409."""
    olive = make_user("olive")
    join(lunch_with_a_queue, olive)
    services.rsvp_cancel(event_id=lunch_with_a_queue.pk, by=olive)
    client = as_member(hana)

    response = api(client, "post", f"/api/events/{lunch_with_a_queue.pk}/cancel")

    assert response.status_code == 200
    assert response.json()["cancelled"] is True
    told = Notification.objects.filter(kind="event_cancelled")
    assert sorted(n.user.handle for n in told) == ["leo", "mallory", "priya", "sam"]
    assert {n.text for n in told} == {f"“{lunch_with_a_queue.title}” is cancelled."}
    shown = page(as_member(priya).get(f"/events/{lunch_with_a_queue.pk}/"))
    assert "This event was cancelled." in shown
    assert "I can't make it" not in shown
    assert titles_on(client.get("/events/")) == []
    again = api(as_member(hana), "post", f"/api/events/{lunch_with_a_queue.pk}/cancel")
    assert again.status_code == 409


def test_only_the_host_cancels(lunch_with_a_queue, priya, as_member, api):
    """Given Hana's lunch-and-learn, when Priya (going) cancels it through the API and the
    page, then the API is 403 and the page says only the host can; the event stands."""
    response = api(as_member(priya), "post", f"/api/events/{lunch_with_a_queue.pk}/cancel")
    on_page = as_member(priya).post(f"/events/{lunch_with_a_queue.pk}/cancel/", follow=True)

    assert response.status_code == 403
    assert response.json()["detail"] == "Only the host can cancel the event."
    assert "Only the host can cancel the event." in page(on_page)
    lunch_with_a_queue.refresh_from_db()
    assert lunch_with_a_queue.cancelled_at is None
    assert not Notification.objects.filter(kind="event_cancelled").exists()


# --- Attendance -----------------------------------------------------------------------------


def test_attendance_waits_for_the_event_to_start(lunch_with_a_queue, hana, as_member, api):
    """Given a lunch-and-learn in three days, when Hana marks Leo as having come, then 409 and
    nothing is marked."""
    response = api(
        as_member(hana),
        "post",
        f"/api/events/{lunch_with_a_queue.pk}/attendance",
        {"handles": ["leo"]},
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "Mark attendance once the event has started."
    assert not Rsvp.objects.filter(attended__isnull=False).exists()


def test_the_host_marks_who_came_and_who_did_not(lunch_with_a_queue, hana, start, as_member, api):
    """Given a lunch-and-learn that has started, when Hana marks Leo and Priya as come and Sam
    as not, then each is recorded as such."""
    start(lunch_with_a_queue)
    path = f"/api/events/{lunch_with_a_queue.pk}/attendance"
    client = as_member(hana)

    came = api(client, "post", path, {"handles": ["leo", "priya"]})
    missed = api(client, "post", path, {"handles": ["sam"], "attended": False})

    assert (came.status_code, came.json()) == (200, {"marked": 2})
    assert (missed.status_code, missed.json()) == (200, {"marked": 1})
    marks = dict(Rsvp.objects.values_list("user__handle", "attended"))
    assert marks == {"priya": True, "leo": True, "sam": False, "mallory": None}


@pytest.mark.parametrize(
    "handles, words",
    [
        (["leo", "mallory"], "only people who were going"),
        (["leo", "nobody"], "no one with the handle @nobody"),
    ],
)
def test_marking_someone_who_was_not_going_marks_no_one(
    lunch_with_a_queue, hana, start, as_member, api, handles, words
):
    """Given a started lunch-and-learn, when Hana marks Leo together with Mallory (who was only
    on the waitlist) or with a handle no one has, then it is 400 naming the handles, and Leo is
    not marked either."""
    start(lunch_with_a_queue)

    response = api(
        as_member(hana),
        "post",
        f"/api/events/{lunch_with_a_queue.pk}/attendance",
        {"handles": handles},
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("handles:")
    assert words in response.json()["detail"]
    assert not Rsvp.objects.filter(attended__isnull=False).exists()


def test_only_the_host_marks_attendance(lunch_with_a_queue, leo, start, as_member, api):
    """Given a started lunch-and-learn, when Leo marks himself as come, then 403."""
    start(lunch_with_a_queue)

    response = api(
        as_member(leo),
        "post",
        f"/api/events/{lunch_with_a_queue.pk}/attendance",
        {"handles": ["leo"]},
    )

    assert response.status_code == 403
    assert not Rsvp.objects.filter(attended__isnull=False).exists()


def test_the_attendance_form_lists_the_people_going_and_saves_ticks_and_blanks(
    lunch_with_a_queue, hana, start, as_member
):
    """Given a started lunch-and-learn, when Hana opens it she finds "Who came" listing the
    three people going (not Mallory, who waited); when she ticks Priya and Leo and saves, then
    they are marked come and Sam not, and the form shows her ticks."""
    start(lunch_with_a_queue)
    client = as_member(hana)
    form = page(client.get(f"/events/{lunch_with_a_queue.pk}/"))
    assert "Who came" in form
    offered = re.findall(r'name="came" value="([a-z0-9_-]+)"', form)
    assert sorted(offered) == ["leo", "priya", "sam"]

    saved = client.post(
        f"/events/{lunch_with_a_queue.pk}/attendance/", {"came": ["priya", "leo"]}, follow=True
    )

    assert "Attendance saved." in page(saved)
    marks = dict(Rsvp.objects.values_list("user__handle", "attended"))
    assert marks == {"priya": True, "leo": True, "sam": False, "mallory": None}
    ticked = re.findall(r'name="came" value="([a-z0-9_-]+)"[^>]*checked', page(saved))
    assert sorted(ticked) == ["leo", "priya"]


# --- What events tell the rest of the product -----------------------------------------------


@pytest.fixture
def held_lunch(lunch, priya, leo, sam, join, hold):
    """Priya, Leo and Sam went to Hana's lunch-and-learn two days ago."""
    join(lunch, priya, leo, sam)
    return hold(lunch)


def test_people_who_went_to_the_same_event_are_contacts_for_an_introduction(
    held_lunch, leo, priya, as_member
):
    """Given Leo, Priya and Sam went to Hana's lunch-and-learn, when Leo writes to Priya,
    then the composer offers Hana and Sam as people in common, known through the event."""
    shown = page(as_member(leo).get("/asks/new/priya/"))

    assert "You know people in common" in shown
    through = f"You know them through the event “{held_lunch.title}”"
    assert shown.count(through) == 2
    assert "@hana" in shown and "@sam" in shown
    contacts = shared_contacts(viewer=leo, target=priya)
    assert sorted(c.profile.user.handle for c in contacts) == ["hana", "sam"]


def test_an_event_not_yet_held_makes_no_contacts(lunch, priya, leo, sam, join):
    """Given Priya, Leo and Sam going to a lunch-and-learn still to come, when Leo looks for
    people in common with Priya, then there are none: they have not met yet."""
    join(lunch, priya, leo, sam)

    assert shared_contacts(viewer=leo, target=priya) == []


def test_someone_who_cancelled_did_not_meet_anyone_there(lunch, priya, leo, sam, join, hold):
    """Given Leo and Sam went to the lunch-and-learn and Priya cancelled her RSVP before it,
    when Leo looks for people in common with Priya, then there are none."""
    join(lunch, priya, leo, sam)
    services.rsvp_cancel(event_id=lunch.pk, by=priya)
    hold(lunch)

    assert shared_contacts(viewer=leo, target=priya) == []


def test_a_cancelled_event_makes_no_contacts(lunch, hana, priya, leo, sam, join, hold):
    """Given Priya, Leo and Sam going to a lunch-and-learn Hana cancelled, when its date has
    passed and Leo looks for people in common with Priya, then there are none."""
    join(lunch, priya, leo, sam)
    services.event_cancel(event_id=lunch.pk, by=hana)
    hold(lunch)

    assert shared_contacts(viewer=leo, target=priya) == []


def test_someone_marked_absent_met_no_one_there(held_lunch, hana, leo, priya):
    """Given Priya, Leo and Sam going to the lunch-and-learn, when Hana marks Priya as not
    come, then Leo and Priya have no one in common through it."""
    services.attendance_mark(event_id=held_lunch.pk, by=hana, handles=["priya"], attended=False)

    assert shared_contacts(viewer=leo, target=priya) == []


def recommended(client, api) -> dict[str, list[str]]:
    """The people on my discovery board, with their reasons."""
    response = api(client, "get", "/api/me/recommendations")
    assert response.status_code == 200, response.content
    return {
        item["person"]["handle"]: item["reasons"]
        for goal in response.json()["goals"]
        for item in goal["people"]
    }


def test_a_held_event_on_a_skill_is_evidence_on_the_discovery_board(
    make_event, hana, leo, hold, as_member, api
):
    """Given Leo wants to learn Kubernetes and Hana offers it, when Hana has held a
    lunch-and-learn tagged Kubernetes, then Leo's board gives a reason counting it (the board
    is refreshed: it is cached for the day)."""
    client = as_member(leo)
    before = recommended(client, api)["hana"]
    assert not any("tagged Kubernetes" in reason for reason in before)

    hold(make_event())
    network_changed()

    after = recommended(client, api)["hana"]
    assert any("1 talk tagged Kubernetes" in reason for reason in after), after


def test_a_cancelled_event_is_no_evidence(make_event, hana, leo, hold, as_member, api):
    """Given Hana cancelled her Kubernetes lunch-and-learn, when its date has passed, then
    Leo's board gives no reason from it."""
    event = make_event()
    services.event_cancel(event_id=event.pk, by=hana)
    hold(event)
    network_changed()

    reasons = recommended(as_member(leo), api)["hana"]
    assert not any("tagged Kubernetes" in reason for reason in reasons)


def test_the_reason_from_an_event_says_what_she_did(make_event, leo, hold, as_member, api):
    """Given Hana held a Kubernetes lunch-and-learn, when Leo reads her reasons, then the one
    from the event reads like a sentence about hosting, not '1 event item'."""
    hold(make_event())
    network_changed()

    reasons = recommended(as_member(leo), api)["hana"]
    from_the_event = [reason for reason in reasons if "tagged Kubernetes" in reason]
    assert from_the_event
    assert not any("event item" in reason for reason in from_the_event)


def test_an_announced_event_already_counts_on_the_discovery_board(make_event, leo, as_member, api):
    """Given Hana announces a Kubernetes lunch-and-learn for next week, when Leo opens his
    board, then a reason counts it (hooks.taught: 'held or announced')."""
    make_event()

    reasons = recommended(as_member(leo), api)["hana"]
    assert any("tagged Kubernetes" in reason for reason in reasons)


def feed_of(client, user) -> list:
    """The user's private calendar feed, read without logging in, as the calendar app does."""
    client.force_login(user)
    client.post("/notifications/calendar/")
    shown = page(client.get("/notifications/"))
    path = re.search(r'id="feed-url">[^<]*(/calendar/[^<]+\.ics)<', shown).group(1)
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    return ics_events(response.content)


def test_the_calendar_feed_has_what_i_host_speak_at_or_go_to(
    make_event, hana, priya, leo, join, client
):
    """Given a lunch-and-learn Leo goes to, a full mixer he waits for, a panel Priya sits on, a
    mixer he did not answer and one he cancelled, when each reads their private feed, then
    Leo's has the one he goes to, Priya's her panel, and Hana's all five she hosts."""
    going = make_event(title="Going")
    full = make_event(kind="mixer", title="Waiting", capacity=1)
    make_event(kind="panel", title="Panel", panelists=["priya"])
    make_event(kind="mixer", title="Not answered")
    left = make_event(kind="mixer", title="Left")
    join(going, leo)
    join(full, priya, leo)
    join(left, leo)
    services.rsvp_cancel(event_id=left.pk, by=leo)

    leos = feed_of(client, leo)
    priyas = feed_of(client, priya)
    hanas = feed_of(client, hana)

    assert [str(e["SUMMARY"]) for e in leos] == ["Going"]
    assert str(leos[0]["UID"]) == f"event-{going.uid}@mentormesh"
    assert sorted(str(e["SUMMARY"]) for e in priyas) == ["Panel", "Waiting"]
    assert sorted(str(e["SUMMARY"]) for e in hanas) == sorted(
        ["Going", "Waiting", "Panel", "Not answered", "Left"]
    )


def test_a_cancelled_event_stays_in_the_feed_marked_cancelled(lunch, hana, leo, join, client):
    """Given Leo going to the lunch-and-learn, when Hana cancels it, then his feed still has
    it, marked cancelled, so his calendar app removes it."""
    join(lunch, leo)
    services.event_cancel(event_id=lunch.pk, by=hana)

    (item,) = feed_of(client, leo)

    assert str(item["STATUS"]) == "CANCELLED"
    assert str(item["UID"]) == f"event-{lunch.uid}@mentormesh"


LEO_ABOUT_TERRAFORM = (
    "Hi Priya,\n\n"
    "I'm Leo, a student running our club's servers. We moved resources between two "
    "Terraform states last month and lost track of half of them, and I could not work out "
    "how to import them again without recreating everything by hand.\n\n"
    "Thanks, Leo"
)


def findings_for(client, api, message: str) -> set[str]:
    response = api(
        client,
        "post",
        "/api/asks/check",
        {"recipient": "priya", "message": message, "time_minutes": 30},
    )
    assert response.status_code == 200, response.content
    return {finding["code"] for finding in response.json()["findings"]}


def test_the_composer_lists_the_events_someone_gives_and_the_checker_counts_them(
    make_event, priya, leo, hana, as_member, api
):
    """Given Leo writes to Priya about Terraform state, which nothing on her profile mentions,
    the checker finds no reference to her; once she is on a panel called "Terraform state
    surgery", the composer lists it under the events she hosts or speaks at, and the same
    message now counts as referring to her work."""
    client = as_member(leo)
    assert "no_reference" in findings_for(client, api, LEO_ABOUT_TERRAFORM)

    make_event(kind="panel", title="Terraform state surgery", panelists=["priya"])

    shown = page(client.get("/asks/new/priya/"))
    assert "Events they host or speak at" in shown
    assert "<li>Terraform state surgery</li>" in shown
    assert "no_reference" not in findings_for(client, api, LEO_ABOUT_TERRAFORM)


def test_a_cancelled_event_is_not_listed_in_the_composer(make_event, hana, priya, leo, as_member):
    """Given Priya was on a panel that Hana cancelled, when Leo writes to Priya, then the
    composer does not list it."""
    event = make_event(kind="panel", title="Terraform state surgery", panelists=["priya"])
    services.event_cancel(event_id=event.pk, by=hana)

    shown = page(as_member(leo).get("/asks/new/priya/"))

    assert "Terraform state surgery" not in shown


# --- Lists without N+1 ----------------------------------------------------------------------


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def several_events(make_event, join, people, count: int) -> None:
    for n in range(count):
        event = make_event(kind="panel" if n % 2 else "mixer", title=f"Event {n}")
        join(event, *people)


def test_the_events_page_takes_the_same_queries_for_two_events_or_eight(
    make_event, priya, leo, join, as_member
):
    """Given two events, then eight, when Leo opens the events page, then it takes the same
    number of database queries both times."""
    client = as_member(leo)
    several_events(make_event, join, [priya, leo], 2)
    few = queries_for(client, "/events/")
    several_events(make_event, join, [priya, leo], 6)

    assert queries_for(client, "/events/") == few


def test_the_events_api_takes_the_same_queries_for_two_events_or_eight(
    make_event, priya, leo, join, as_member
):
    """Given two events, then eight, when Leo lists events through the API, then it takes the
    same number of database queries both times."""
    client = as_member(leo)
    several_events(make_event, join, [priya, leo], 2)
    few = queries_for(client, "/api/events")
    several_events(make_event, join, [priya, leo], 6)

    assert queries_for(client, "/api/events") == few


def test_events_need_a_login(lunch, client):
    """Given a lunch-and-learn, when someone not logged in opens it or the events API, then
    the page sends them to log in and the API is 401."""
    assert client.get(f"/events/{lunch.pk}/").status_code == 302
    assert client.get("/api/events").status_code == 401


# --- Seats never over- or under-filled (Hypothesis) -----------------------------------------


def test_random_joins_and_cancels_keep_the_seats_and_the_waitlist_right(hana, make_user):
    """Given five members and a coming event of one to three seats, when they join and cancel
    in any order (Hypothesis picks), then after every step: the event's going count equals the
    number of people going and never exceeds its capacity; nobody waits while a seat is free;
    joins and cancels go as a person would expect (a seat while free, else the back of the
    line; a freed seat to the first in line); and doing either twice is a 409."""
    people = [make_user(f"racer{n}") for n in range(5)]

    class Seats(RuleBasedStateMachine):
        @initialize(capacity=st.integers(min_value=1, max_value=3))
        def announce(self, capacity):
            starts_at = in_days(3)
            self.event = services.event_create(
                host=hana,
                kind="mixer",
                title="Seats",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                capacity=capacity,
                place="Room 1",
            )
            self.going: list[int] = []
            self.waiting: list[int] = []  # in line order

        @rule(who=st.integers(min_value=0, max_value=len(people) - 1))
        def join(self, who):
            person = people[who]
            if person.pk in self.going or person.pk in self.waiting:
                with pytest.raises(Conflict):
                    services.rsvp_join(event_id=self.event.pk, by=person)
                return
            rsvp = services.rsvp_join(event_id=self.event.pk, by=person)
            if len(self.going) < self.event.capacity:
                assert rsvp.status == RsvpStatus.GOING
                self.going.append(person.pk)
            else:
                assert rsvp.status == RsvpStatus.WAITLIST
                self.waiting.append(person.pk)

        @rule(who=st.integers(min_value=0, max_value=len(people) - 1))
        def cancel(self, who):
            person = people[who]
            if person.pk not in self.going and person.pk not in self.waiting:
                with pytest.raises(Conflict):
                    services.rsvp_cancel(event_id=self.event.pk, by=person)
                return
            services.rsvp_cancel(event_id=self.event.pk, by=person)
            if person.pk in self.waiting:
                self.waiting.remove(person.pk)
                return
            self.going.remove(person.pk)
            if self.waiting:
                self.going.append(self.waiting.pop(0))

        @invariant()
        def seats_add_up(self):
            if not hasattr(self, "event"):
                return  # nothing announced yet
            event = Event.objects.get(pk=self.event.pk)
            rows = Rsvp.objects.filter(event=event)
            going = set(rows.filter(status=RsvpStatus.GOING).values_list("user_id", flat=True))
            waiting = list(
                rows.filter(status=RsvpStatus.WAITLIST)
                .order_by("joined_at", "pk")
                .values_list("user_id", flat=True)
            )
            assert event.going_count == len(going) <= event.capacity
            assert not waiting or len(going) == event.capacity
            assert going == set(self.going)
            assert waiting == self.waiting

    run_state_machine_as_test(
        Seats, settings=settings(max_examples=60, stateful_step_count=25, deadline=None)
    )
