"""Sessions from proposal to feedback, through the API and the pages over one set of services.

Leo (New York) and Priya (Berlin) have a relationship from Leo's accepted ask. A proposed time
holds both people's time until it is confirmed or cancelled; no one is in two sessions at once,
across all their relationships. Either of them edits the agenda and notes and adds follow-ups;
after the session each gives feedback, and reads the other's only once both have answered or a
week has passed. Each session is in both calendars (.ics and a private feed). Everyone else
gets 404."""

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from connect_helpers import api, as_member, run_tasks, tasks_named
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from mentormesh.connect import services
from mentormesh.connect.models import FollowUp, Relationship, Session, SessionFeedback
from mentormesh.errors import Conflict, DomainError, NotFound, PermissionDenied
from mentormesh.notifications.models import Notification
from mentormesh.people import services as people
from mentormesh.people.models import User

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")

LEO_TAKEAWAY = "Write the timeline before anyone names a cause; Priya's template helps."
LEO_CHANGE = "Send the incident doc a day earlier."
PRIYA_TAKEAWAY = "Student clubs run on-call like startups; I learned what their pager is."


# --- People and their relationship ----------------------------------------------------------


def fresh(user) -> User:
    """The user read again, so their profile (time zone) is what the database holds."""
    return User.objects.select_related("profile").get(pk=user.pk)


@pytest.fixture
def priya(make_person):
    return fresh(
        make_person(
            "priya",
            display_name="Priya Raman",
            headline="Staff SRE at Northwind",
            bio="I write about incident reviews and on-call health.",
            hours_per_month=4,
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
def relationship(ask, priya) -> Relationship:
    """Leo and Priya, from Priya accepting Leo's ask."""
    return services.ask_accept(ask_id=ask.pk, by=priya)


@pytest.fixture
def leo_and_sam(leo, sam) -> Relationship:
    return services.relationship_start(one=leo, other=sam, topic="Go code review")


@pytest.fixture
def priya_and_sam(priya, sam) -> Relationship:
    return services.relationship_start(one=priya, other=sam, topic="On-call for a small team")


@pytest.fixture
def windows(leo, priya):
    """Priya is free 15:00-18:00 Berlin time and Leo 09:00-12:00 New York time, every day."""
    for weekday in range(7):
        people.availability_add(user=priya, weekday=weekday, start=time(15), end=time(18))
        people.availability_add(user=leo, weekday=weekday, start=time(9), end=time(12))


# --- Helpers --------------------------------------------------------------------------------


def in_days(days: int, hour: int = 15, minute: int = 0) -> datetime:
    """A whole-minute UTC time `days` from today at hour:minute (UTC)."""
    return (timezone.now() + timedelta(days=days)).replace(
        hour=hour, minute=minute, second=0, microsecond=0
    )


def propose(relationship, by, starts_at=None, minutes=60, **extra) -> Session:
    return services.session_propose(
        relationship_id=relationship.pk,
        by=by,
        starts_at=starts_at or in_days(3),
        minutes=minutes,
        **extra,
    )


def confirmed(relationship, by, confirmer, starts_at=None, minutes=60) -> Session:
    session = propose(relationship, by, starts_at, minutes)
    return services.session_confirm(session_id=session.pk, by=confirmer)


def move_to_past(session: Session, *, ended_ago: timedelta = timedelta(hours=1)) -> None:
    """The session took place: it ended `ended_ago` and lasted as long as it was booked."""
    length = session.ends_at - session.starts_at
    ends_at = timezone.now() - ended_ago
    Session.objects.filter(pk=session.pk).update(starts_at=ends_at - length, ends_at=ends_at)


def held(relationship, leo, priya) -> Session:
    """A session Leo proposed, Priya confirmed, and which ended an hour ago."""
    session = confirmed(relationship, leo, priya, in_days(9, hour=5))
    move_to_past(session)
    return session


def session_payload(starts_at: datetime, **changes) -> dict:
    return {"starts_at": starts_at.isoformat(), "minutes": 60} | changes


def feedback_payload(**changes) -> dict:
    return {"useful": "yes", "direction": "got", "takeaway": LEO_TAKEAWAY} | changes


def give_feedback(session, by, takeaway, direction="got", change=""):
    return services.feedback_give(
        session_id=session.pk,
        by=by,
        useful="yes",
        direction=direction,
        takeaway=takeaway,
        change=change,
    )


def page(response) -> str:
    return response.content.decode()


def status_of(session) -> str:
    return Session.objects.values_list("status", flat=True).get(pk=session.pk)


def django_date(moment: datetime, zone: ZoneInfo, fmt: str) -> str:
    """`moment` on `zone`'s clock in strftime terms (matching the pages' date formats)."""
    return moment.astimezone(zone).strftime(fmt)


def ics_events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


# --- Proposing ------------------------------------------------------------------------------


def test_proposing_tells_the_other_person_in_their_own_time_zone(
    client, relationship, leo, priya, django_capture_on_commit_callbacks
):
    """Given Leo (New York) and Priya (Berlin), when Leo proposes an hour at 15:00 UTC through
    the API, then it is 201 and proposed by him, Priya has a notification with the time on her
    Berlin clock (not UTC, not New York) linking to the session, and a look-back is queued for
    when the session ends."""
    starts_at = in_days(3)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(
            as_member(client, leo),
            "post",
            f"/api/relationships/{relationship.pk}/sessions",
            session_payload(starts_at, place="https://meet.example.org/leo", agenda="Timelines"),
        )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["proposed_by"], body["with_handle"]) == (
        "proposed",
        "leo",
        "priya",
    )
    assert datetime.fromisoformat(body["starts_at"]) == starts_at
    assert datetime.fromisoformat(body["ends_at"]) == starts_at + timedelta(hours=1)
    assert (body["place"], body["agenda"]) == ("https://meet.example.org/leo", "Timelines")
    (told,) = priya.notifications.filter(kind="session_proposed")
    berlin_time = django_date(starts_at, BERLIN, "%a %-d %b %H:%M")
    assert berlin_time in told.text
    assert "@leo" in told.text and "60 minutes" in told.text
    assert django_date(starts_at, NEW_YORK, "%H:%M") not in told.text
    assert starts_at.strftime("%H:%M") not in told.text
    assert told.url == f"/sessions/{body['id']}/"
    assert not leo.notifications.filter(kind="session_proposed").exists()
    (after,) = tasks_named("session_after")
    assert after.args_kwargs["args"] == [body["id"]]
    assert after.run_after == starts_at + timedelta(hours=1)


def test_suggested_times_lie_in_both_windows_and_show_on_both_clocks(
    client, relationship, windows, leo
):
    """Given Priya free 15:00-18:00 Berlin and Leo free 09:00-12:00 New York, when Leo asks for
    times (30 minutes, as his ask offered), then there are suggestions, each inside his window
    on his clock and inside hers on hers; and the scheduling page shows each on his clock and
    on hers."""
    as_member(client, leo)
    half_hour = timedelta(minutes=30)

    slots = api(client, "get", f"/api/relationships/{relationship.pk}/slots").json()

    assert slots, "their windows meet every day, so there should be suggestions"
    for slot in slots:
        starts_at = datetime.fromisoformat(slot["starts_at"])
        assert datetime.fromisoformat(slot["ends_at"]) - starts_at == half_hour
        assert starts_at > timezone.now() + timedelta(hours=12)
        mine = datetime.fromisoformat(slot["mine_local"])
        theirs = datetime.fromisoformat(slot["theirs_local"])
        assert mine == theirs == starts_at
        assert mine.utcoffset() == starts_at.astimezone(NEW_YORK).utcoffset()
        assert theirs.utcoffset() == starts_at.astimezone(BERLIN).utcoffset()
        assert time(9) <= mine.time() and (mine + half_hour).time() <= time(12)
        assert time(15) <= theirs.time() and (theirs + half_hour).time() <= time(18)

    shown = page(client.get(f"/relationships/{relationship.pk}/sessions/new/"))

    assert "You are in America/New_York; Priya Raman is in Europe/Berlin." in shown
    for slot in slots:
        starts_at = datetime.fromisoformat(slot["starts_at"])
        mine = django_date(starts_at, NEW_YORK, "%a %-d %b, %H:%M")
        mine_end = django_date(starts_at + half_hour, NEW_YORK, "%H:%M")
        theirs = django_date(starts_at, BERLIN, "%a %H:%M")
        assert f"<strong>{mine}–{mine_end}</strong> your time" in shown
        assert f"{theirs} for Priya Raman" in shown


def test_the_page_suggests_times_for_the_length_chosen(client, relationship, windows, leo):
    """Given the scheduling page, when Leo chooses 2 hours, then each suggestion shown runs two
    hours on his clock and ends by 12:00, the end of his window."""
    shown = page(
        as_member(client, leo).get(f"/relationships/{relationship.pk}/sessions/new/?minutes=120")
    )

    ranges = re.findall(r"<strong>\w{3} \d+ \w{3}, (\d\d):(\d\d)–(\d\d):(\d\d)</strong>", shown)
    assert ranges
    for start_h, start_m, end_h, end_m in ranges:
        start, end = int(start_h) * 60 + int(start_m), int(end_h) * 60 + int(end_m)
        assert end - start == 120
        assert start >= 9 * 60 and end <= 12 * 60


def test_the_api_suggests_times_for_the_length_asked(client, relationship, windows, leo):
    """Given Leo, when he asks the API for one-hour times, then 200 and each lasts an hour."""
    response = api(
        as_member(client, leo), "get", f"/api/relationships/{relationship.pk}/slots?minutes=60"
    )

    assert response.status_code == 200
    assert response.json()
    for slot in response.json():
        length = datetime.fromisoformat(slot["ends_at"]) - datetime.fromisoformat(slot["starts_at"])
        assert length == timedelta(hours=1)


def test_suggestions_leave_out_times_either_person_has_booked_in_another_relationship(
    client, relationship, windows, leo, sam, leo_and_sam
):
    """Given Leo's first suggested time with Priya, when Sam proposes an hour from then to Leo
    in their own relationship, then nothing overlapping that hour is suggested any more."""
    as_member(client, leo)
    path = f"/api/relationships/{relationship.pk}/slots"
    first = datetime.fromisoformat(api(client, "get", path).json()[0]["starts_at"])

    propose(leo_and_sam, sam, first, minutes=60)

    starts = [datetime.fromisoformat(s["starts_at"]) for s in api(client, "get", path).json()]
    assert starts
    assert first not in starts
    for start in starts:
        assert start + timedelta(minutes=30) <= first or start >= first + timedelta(hours=1)


def test_choosing_a_suggested_time_on_the_page_proposes_it(
    client, relationship, windows, leo, priya
):
    """Given the scheduling page, when Leo picks the first suggested time and proposes it with
    a place and an agenda, then he lands on the session page that shows it waiting for Priya,
    and the session holds that time."""
    as_member(client, leo)
    path = f"/relationships/{relationship.pk}/sessions/new/"
    first = re.search(r'name="slot" value="([^"]+)"', page(client.get(path))).group(1)

    response = client.post(
        path,
        {"slot": first, "minutes": "30", "place": "Jitsi", "agenda": "Timelines"},
        follow=True,
    )

    session = Session.objects.get()
    assert response.redirect_chain == [(f"/sessions/{session.pk}/", 302)]
    assert session.starts_at == datetime.fromisoformat(first)
    assert (session.minutes, session.place, session.agenda) == (30, "Jitsi", "Timelines")
    assert "Waiting for Priya Raman to confirm" in page(response)
    assert priya.notifications.filter(kind="session_proposed").count() == 1


def test_another_time_on_the_page_is_read_on_the_proposer_s_clock(client, relationship, leo, priya):
    """Given Leo in New York, when he enters another time, 10:00 three days from now, then the
    session starts at 10:00 New York time, and Priya's session page shows it on her Berlin
    clock with his New York time beside it."""
    day = (timezone.now() + timedelta(days=3)).astimezone(NEW_YORK).date()

    as_member(client, leo).post(
        f"/relationships/{relationship.pk}/sessions/new/",
        {"slot": "", "other_time": f"{day:%Y-%m-%d}T10:00", "minutes": "30"},
    )

    session = Session.objects.get()
    expected = datetime(day.year, day.month, day.day, 10, tzinfo=NEW_YORK)
    assert (session.starts_at, session.minutes) == (expected, 30)
    shown = page(as_member(client, priya).get(f"/sessions/{session.pk}/"))
    berlin = django_date(expected, BERLIN, "%A %-d %B %Y, %H:%M")
    assert f"<strong>{berlin}</strong> your time (Europe/Berlin)" in shown
    assert f"{day:%a %-d %b}, 10:00 for Leo Park (America/New_York)" in shown


# --- Bad input ------------------------------------------------------------------------------


def nothing_was_proposed() -> bool:
    return not (
        Session.objects.exists() or Notification.objects.filter(kind="session_proposed").exists()
    )


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"starts_at": "past"}, 400, "starts_at"),
        ({"starts_at": "too-far"}, 400, "starts_at"),
        ({"starts_at": "naive"}, 422, "starts_at"),
        ({"starts_at": "not a time"}, 422, "starts_at"),
        ({"minutes": 20}, 422, "minutes"),
        ({"minutes": "60"}, 422, "minutes"),
        ({"place": "x" * 301}, 422, "place"),
        ({"agenda": "x" * 2001}, 422, "agenda"),
        ({"room": "B12"}, 422, "room"),
    ],
    ids=[
        "past",
        "more-than-a-year-ahead",
        "no-time-zone",
        "not-a-time",
        "minutes-not-offered",
        "minutes-as-text",
        "place-too-long",
        "agenda-too-long",
        "unknown-field",
    ],
)
def test_a_bad_proposal_names_the_field_and_writes_nothing(
    client, relationship, leo, changes, status, field
):
    """Given Leo, when he proposes with a time in the past, more than a year ahead, without a
    time zone or not a time, a length not offered, or too long a place or agenda, then the
    answer names the field (400 for a rule, 422 for the wrong shape) and nothing is written."""
    starts_at = in_days(3)
    special = {
        "past": (timezone.now() - timedelta(hours=2)).isoformat(),
        "too-far": (timezone.now() + timedelta(days=400)).isoformat(),
        "naive": starts_at.replace(tzinfo=None).isoformat(),
    }
    payload = session_payload(starts_at) | {
        name: special.get(value, value) if isinstance(value, str) else value
        for name, value in changes.items()
    }

    response = api(
        as_member(client, leo), "post", f"/api/relationships/{relationship.pk}/sessions", payload
    )

    assert response.status_code == status
    assert field in response.json()["detail"]
    assert nothing_was_proposed()


def test_the_service_names_the_field_for_a_bad_length_or_a_naive_time(relationship, leo):
    """Given the service called directly, when the length is 20 minutes or the time has no
    zone, then DomainError naming minutes or starts_at, and nothing is written."""
    with pytest.raises(DomainError) as bad_length:
        propose(relationship, leo, minutes=20)
    with pytest.raises(DomainError) as naive:
        propose(relationship, leo, starts_at=in_days(3).replace(tzinfo=None))
    with pytest.raises(DomainError) as past:
        propose(relationship, leo, starts_at=timezone.now() - timedelta(minutes=1))

    assert (bad_length.value.field, naive.value.field, past.value.field) == (
        "minutes",
        "starts_at",
        "starts_at",
    )
    assert bad_length.value.status == naive.value.status == past.value.status == 400
    assert nothing_was_proposed()


def test_a_past_time_on_the_page_is_refused_with_a_message(client, relationship, leo):
    """Given the scheduling page, when Leo enters yesterday at 10:00, then the page comes back
    (400) saying the time has passed, and nothing is proposed."""
    yesterday = (timezone.now() - timedelta(days=1)).astimezone(NEW_YORK).date()

    response = as_member(client, leo).post(
        f"/relationships/{relationship.pk}/sessions/new/",
        {"slot": "", "other_time": f"{yesterday:%Y-%m-%d}T10:00", "minutes": "60"},
    )

    assert response.status_code == 400
    assert "that time has passed" in page(response)
    assert nothing_was_proposed()


def test_a_page_proposal_without_any_time_asks_for_one(client, relationship, leo):
    """Given the scheduling page, when Leo proposes without picking or entering a time, then
    the page asks him to pick one, and nothing is proposed."""
    response = as_member(client, leo).post(
        f"/relationships/{relationship.pk}/sessions/new/", {"slot": "", "minutes": "60"}
    )

    assert response.status_code == 400
    assert "Pick one of the suggested times or enter another." in page(response)
    assert nothing_was_proposed()


def test_no_session_can_be_proposed_in_an_ended_relationship(client, relationship, leo, priya):
    """Given Priya ended the relationship, when Leo proposes a time through the API or the page,
    then the API answers 409 and the page says the relationship has ended; nothing is written."""
    services.relationship_update(relationship_id=relationship.pk, by=priya, status="ended")
    as_member(client, leo)

    response = api(
        client,
        "post",
        f"/api/relationships/{relationship.pk}/sessions",
        session_payload(in_days(3)),
    )
    on_page = client.post(
        f"/relationships/{relationship.pk}/sessions/new/",
        {"slot": in_days(3).isoformat(), "minutes": "60"},
    )

    assert response.status_code == 409
    assert "ended" in response.json()["detail"]
    assert on_page.status_code == 400
    assert "This relationship has ended" in page(on_page)
    assert nothing_was_proposed()


# --- Confirming and cancelling --------------------------------------------------------------


def test_a_time_proposed_before_the_relationship_ended_cannot_be_confirmed(
    client, relationship, leo, priya
):
    """Given Leo's proposal, when Priya ends the relationship, then the proposal is cancelled
    (it no longer holds their time), and confirming it is 409."""
    session = propose(relationship, leo)
    services.relationship_update(relationship_id=relationship.pk, by=priya, status="ended")

    response = api(as_member(client, priya), "post", f"/api/sessions/{session.pk}/confirm")

    assert response.status_code == 409
    assert status_of(session) == "cancelled"


def test_only_the_other_person_confirms_and_the_proposer_hears_of_it(
    client, relationship, leo, priya
):
    """Given Leo's proposal, when Leo tries to confirm it himself, then 403 and it still waits;
    when Priya confirms, then it is confirmed and Leo is told on his New York clock."""
    session = propose(relationship, leo)

    by_proposer = api(as_member(client, leo), "post", f"/api/sessions/{session.pk}/confirm")
    assert by_proposer.status_code == 403
    assert "@priya confirms" in by_proposer.json()["detail"]
    assert status_of(session) == "proposed"
    with pytest.raises(PermissionDenied):
        services.session_confirm(session_id=session.pk, by=leo)

    by_other = api(as_member(client, priya), "post", f"/api/sessions/{session.pk}/confirm")

    assert by_other.status_code == 200
    assert by_other.json()["status"] == "confirmed"
    (told,) = leo.notifications.filter(kind="session_confirmed")
    assert django_date(session.starts_at, NEW_YORK, "%a %-d %b %H:%M") in told.text
    assert told.url == f"/sessions/{session.pk}/"


def test_confirming_twice_is_409_and_changes_nothing(client, relationship, leo, priya):
    """Given Priya confirmed Leo's proposal, when she confirms again, then 409 saying it is
    now confirmed, its calendar sequence does not move and Leo was told once."""
    session = confirmed(relationship, leo, priya)
    sequence = Session.objects.get(pk=session.pk).sequence

    again = api(as_member(client, priya), "post", f"/api/sessions/{session.pk}/confirm")

    assert again.status_code == 409
    assert "confirmed" in again.json()["detail"]
    assert Session.objects.get(pk=session.pk).sequence == sequence
    assert leo.notifications.filter(kind="session_confirmed").count() == 1


def test_a_cancelled_or_passed_time_cannot_be_confirmed(client, relationship, leo, priya):
    """Given one proposal Leo withdrew and another whose time has passed unanswered, when
    Priya confirms either, then 409 and neither is confirmed."""
    withdrawn = propose(relationship, leo, in_days(3))
    services.session_cancel(session_id=withdrawn.pk, by=leo)
    lapsed = propose(relationship, leo, in_days(4))
    move_to_past(lapsed)
    as_member(client, priya)

    answers = [api(client, "post", f"/api/sessions/{s.pk}/confirm") for s in (withdrawn, lapsed)]

    assert [a.status_code for a in answers] == [409, 409]
    assert (status_of(withdrawn), status_of(lapsed)) == ("cancelled", "proposed")
    assert not leo.notifications.filter(kind="session_confirmed").exists()


def test_the_session_page_offers_each_person_their_own_choice(client, relationship, leo, priya):
    """Given Leo's proposal, when each opens the session page, then Priya is asked whether the
    time suits her and Leo is told he is waiting; when Leo clicks Confirm anyway he is told
    Priya confirms it and nothing changes; when Priya clicks Confirm, it is confirmed."""
    session = propose(relationship, leo)
    path = f"/sessions/{session.pk}/"

    for_priya = page(as_member(client, priya).get(path))
    assert "Does this time suit you?" in for_priya
    assert f'action="/sessions/{session.pk}/confirm/"' in for_priya
    for_leo = page(as_member(client, leo).get(path))
    assert "Waiting for Priya Raman to confirm." in for_leo
    assert f'action="/sessions/{session.pk}/confirm/"' not in for_leo

    refused = client.post(f"{path}confirm/", follow=True)
    assert "@priya confirms the time you proposed." in page(refused)
    assert status_of(session) == "proposed"

    accepted = as_member(client, priya).post(f"{path}confirm/", follow=True)
    assert accepted.redirect_chain == [(path, 302)]
    assert "Confirmed. It is in both your calendars." in page(accepted)
    assert status_of(session) == "confirmed"


def test_either_person_cancels_and_the_other_hears_why(client, relationship, leo, priya):
    """Given a confirmed session, when Priya cancels it with a reason, then it is cancelled,
    Leo is told with her reason, and cancelling again is 409."""
    session = confirmed(relationship, leo, priya)
    as_member(client, priya)

    response = api(
        client, "post", f"/api/sessions/{session.pk}/cancel", {"reason": "Travelling that week"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    (told,) = leo.notifications.filter(kind="session_cancelled")
    assert told.text.startswith("@priya cancelled ")
    assert told.text.endswith(": Travelling that week")
    again = api(client, "post", f"/api/sessions/{session.pk}/cancel", {})
    assert again.status_code == 409
    assert leo.notifications.filter(kind="session_cancelled").count() == 1


def test_declining_a_proposal_on_the_page_cancels_it(client, relationship, leo, priya):
    """Given Leo's proposal, when Priya declines it on the page, then it is cancelled and Leo
    is told."""
    session = propose(relationship, leo)

    response = as_member(client, priya).post(
        f"/sessions/{session.pk}/cancel/", {"reason": ""}, follow=True
    )

    assert "Cancelled. We told them." in page(response)
    assert status_of(session) == "cancelled"
    assert leo.notifications.filter(kind="session_cancelled").count() == 1


def test_a_session_that_is_over_cannot_be_cancelled(client, relationship, leo, priya):
    """Given a session held an hour ago, when Leo cancels it, then 409 and it stays confirmed."""
    session = held(relationship, leo, priya)

    response = api(as_member(client, leo), "post", f"/api/sessions/{session.pk}/cancel", {})

    assert response.status_code == 409
    assert status_of(session) == "confirmed"


# --- No one is in two sessions at once ------------------------------------------------------


def test_a_time_overlapping_someone_s_proposed_session_elsewhere_is_409_and_not_written(
    client, relationship, leo, sam, leo_and_sam
):
    """Given Leo proposed 15:00-16:00 to Priya, when Sam proposes 15:30 to Leo in their own
    relationship, then 409 saying Leo is booked, and when Leo proposes 15:30 to Sam, 409
    saying he already has a session then; either way only the first session exists."""
    starts_at = in_days(3)
    first = propose(relationship, leo, starts_at)

    by_sam = api(
        as_member(client, sam),
        "post",
        f"/api/relationships/{leo_and_sam.pk}/sessions",
        session_payload(starts_at + timedelta(minutes=30)),
    )
    by_leo = api(
        as_member(client, leo),
        "post",
        f"/api/relationships/{leo_and_sam.pk}/sessions",
        session_payload(starts_at + timedelta(minutes=30)),
    )

    assert (by_sam.status_code, by_leo.status_code) == (409, 409)
    assert "@leo is already booked then" in by_sam.json()["detail"]
    assert "You already have a session then" in by_leo.json()["detail"]
    assert list(Session.objects.all()) == [first]


@pytest.mark.parametrize(
    ("offset", "minutes"),
    [(0, 60), (-30, 60), (30, 15), (-15, 120), (59, 15)],
    ids=["same-time", "starts-before", "inside", "around", "last-minute"],
)
def test_any_overlap_with_a_confirmed_session_is_refused(
    relationship, leo, priya, sam, priya_and_sam, offset, minutes
):
    """Given Priya's confirmed 15:00-16:00 with Leo, when Sam proposes to Priya a time that
    overlaps it in any way, then Conflict naming starts_at, and nothing is written."""
    starts_at = in_days(3)
    confirmed(relationship, leo, priya, starts_at)

    with pytest.raises(Conflict) as refused:
        propose(priya_and_sam, sam, starts_at + timedelta(minutes=offset), minutes)

    assert refused.value.field == "starts_at"
    assert "@priya is already booked then" in refused.value.detail
    assert Session.objects.count() == 1
    assert priya.notifications.filter(kind="session_proposed").count() == 1  # Leo's only


def test_sessions_back_to_back_are_fine(relationship, leo, priya, sam, leo_and_sam):
    """Given Leo's 15:00-16:00 with Priya, when sessions are proposed 14:00-15:00 and
    16:00-17:00 with Sam, then both are proposed: touching is not overlapping."""
    starts_at = in_days(3)
    confirmed(relationship, leo, priya, starts_at)

    before = propose(leo_and_sam, sam, starts_at - timedelta(hours=1))
    after = propose(leo_and_sam, leo, starts_at + timedelta(hours=1))

    assert (before.ends_at, after.starts_at) == (starts_at, starts_at + timedelta(hours=1))
    assert Session.objects.count() == 3


def test_a_cancelled_session_frees_the_time(client, relationship, leo, priya, sam, leo_and_sam):
    """Given Leo's confirmed 15:00 with Priya, when it is cancelled, then Sam can propose 15:00
    to Leo, and Leo and Priya could have it again."""
    starts_at = in_days(3)
    session = confirmed(relationship, leo, priya, starts_at)
    services.session_cancel(session_id=session.pk, by=priya)

    response = api(
        as_member(client, sam),
        "post",
        f"/api/relationships/{leo_and_sam.pk}/sessions",
        session_payload(starts_at),
    )

    assert response.status_code == 201
    assert Session.objects.filter(status="proposed").count() == 1


def test_a_clash_on_the_page_is_explained_and_nothing_is_written(
    client, relationship, leo, sam, leo_and_sam
):
    """Given Sam proposed 15:00 to Leo, when Leo proposes the same time to Priya on the page,
    then the page comes back (400) saying he already has a session then, naming it."""
    starts_at = in_days(3)
    propose(leo_and_sam, sam, starts_at)

    response = as_member(client, leo).post(
        f"/relationships/{relationship.pk}/sessions/new/",
        {"slot": starts_at.isoformat(), "minutes": "60"},
    )

    assert response.status_code == 400
    assert "You already have a session then" in page(response)
    assert "Go code review" in page(response)
    assert Session.objects.count() == 1


# --- Agenda, notes, place -------------------------------------------------------------------


def test_both_people_edit_the_agenda_notes_and_place(client, relationship, leo, priya):
    """Given Leo's proposal, when Priya sets the agenda and place through the API and Leo adds
    notes on the page, then each sees all three, and the place and agenda change moves the
    calendar sequence so calendar apps update."""
    session = propose(relationship, leo)

    patched = api(
        as_member(client, priya),
        "patch",
        f"/api/sessions/{session.pk}",
        {"agenda": "1. Your timeline draft", "place": "https://meet.example.org/priya"},
    )
    assert patched.status_code == 200
    assert Session.objects.get(pk=session.pk).sequence == 1

    saved = as_member(client, leo).post(
        f"/sessions/{session.pk}/edit/",
        {
            "agenda": "1. Your timeline draft",
            "place": "https://meet.example.org/priya",
            "notes": "Bring last month's pager log.",
        },
        follow=True,
    )

    assert "Saved." in page(saved)
    seen_by_priya = api(as_member(client, priya), "get", f"/api/sessions/{session.pk}").json()
    assert (seen_by_priya["agenda"], seen_by_priya["place"], seen_by_priya["notes"]) == (
        "1. Your timeline draft",
        "https://meet.example.org/priya",
        "Bring last month's pager log.",
    )
    assert "Bring last month&#x27;s pager log." in page(client.get(f"/sessions/{session.pk}/"))


def test_notes_that_are_too_long_or_a_cancelled_session_change_nothing(
    client, relationship, leo, priya
):
    """Given a session, when Leo PATCHes notes of 4001 characters, then 422 naming notes; and
    once cancelled, editing it is 409. The notes stay empty."""
    session = propose(relationship, leo)
    as_member(client, leo)

    too_long = api(client, "patch", f"/api/sessions/{session.pk}", {"notes": "x" * 4001})
    services.session_cancel(session_id=session.pk, by=priya)
    cancelled = api(client, "patch", f"/api/sessions/{session.pk}", {"notes": "Still on?"})

    assert too_long.status_code == 422 and "notes" in too_long.json()["detail"]
    assert cancelled.status_code == 409
    assert Session.objects.get(pk=session.pk).notes == ""


# --- Follow-ups -----------------------------------------------------------------------------


def test_a_follow_up_has_an_owner_and_a_due_date_and_the_owner_is_told(
    client, relationship, leo, priya
):
    """Given a held session, when Leo notes a follow-up for Priya due in a week, then it is
    201, Priya is told what and by when, and both see it on the session page; a follow-up Leo
    owns himself tells no one."""
    session = held(relationship, leo, priya)
    due = (timezone.now() + timedelta(days=7)).date()
    as_member(client, leo)

    response = api(
        client,
        "post",
        f"/api/sessions/{session.pk}/follow-ups",
        {"text": "Send the review template", "owner": "@priya", "due_on": due.isoformat()},
    )
    mine = api(
        client,
        "post",
        f"/api/sessions/{session.pk}/follow-ups",
        {"text": "Draft the club's timeline", "owner": "leo"},
    )

    assert response.status_code == mine.status_code == 201
    assert response.json() | {"id": 0} == {
        "id": 0,
        "text": "Send the review template",
        "owner": "priya",
        "due_on": due.isoformat(),
        "done": False,
    }
    (told,) = priya.notifications.filter(kind="followup")
    assert told.text == f"@leo noted for you by {due:%-d %b}: Send the review template"
    assert not leo.notifications.filter(kind="followup").exists()
    shown = page(as_member(client, priya).get(f"/sessions/{session.pk}/"))
    assert "Send the review template" in shown and f"— you, by {due:%-d %b}" in shown
    assert "Draft the club&#x27;s timeline" in shown and "— leo" in shown


def test_a_follow_up_owner_must_be_one_of_the_two(client, relationship, leo, priya, mallory):
    """Given a session, when Leo gives a follow-up to Mallory through the API, then 400 naming
    owner and both handles; on the page the owner is a choice and another is refused.
    Nothing is written."""
    session = held(relationship, leo, priya)
    as_member(client, leo)

    response = api(
        client,
        "post",
        f"/api/sessions/{session.pk}/follow-ups",
        {"text": "Introduce Leo to the SRE guild", "owner": "mallory"},
    )
    on_page = client.post(
        f"/sessions/{session.pk}/followup/", {"text": "Introduce Leo", "owner": "mallory"}
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "owner: one of @leo or @priya."
    assert on_page.status_code == 400
    assert "Select a valid choice" in page(on_page)
    assert not FollowUp.objects.exists()
    assert not mallory.notifications.exists()


def test_a_follow_up_due_before_the_session_is_refused_naming_due_on(
    client, relationship, leo, priya
):
    """Given a session three days out, when Leo notes a follow-up due today, then 400 naming
    due_on and nothing is written."""
    session = propose(relationship, leo, in_days(3))

    response = api(
        as_member(client, leo),
        "post",
        f"/api/sessions/{session.pk}/follow-ups",
        {"text": "Read the postmortem", "owner": "leo", "due_on": date.today().isoformat()},
    )

    assert response.status_code == 400
    assert "due_on" in response.json()["detail"]
    assert not FollowUp.objects.exists()


def test_either_person_marks_a_follow_up_done_and_undone(client, relationship, leo, priya):
    """Given Priya's follow-up, when Leo marks it done through the API, then it is done for
    both; when Priya unticks it on the page, it is open again."""
    session = held(relationship, leo, priya)
    follow_up = services.followup_add(
        session_id=session.pk, by=leo, text="Send the template", owner_handle="priya"
    )

    done = api(as_member(client, leo), "post", f"/api/follow-ups/{follow_up.pk}/done", {})
    assert done.status_code == 200 and done.json()["done"] is True
    (seen,) = api(as_member(client, priya), "get", f"/api/sessions/{session.pk}").json()[
        "follow_ups"
    ]
    assert seen["done"] is True
    assert "Mark not done: Send the template" in page(client.get(f"/sessions/{session.pk}/"))

    undone = client.post(f"/follow-ups/{follow_up.pk}/done/", {"done": "0"}, follow=True)

    assert undone.redirect_chain == [(f"/sessions/{session.pk}/", 302)]
    assert "Mark done: Send the template" in page(undone)
    assert FollowUp.objects.get(pk=follow_up.pk).done_at is None


# --- Feedback and the reveal rule -----------------------------------------------------------


def test_feedback_waits_for_the_session_to_start_and_to_be_confirmed(
    client, relationship, leo, priya
):
    """Given a confirmed session still ahead, a proposal whose time passed unanswered, and a
    cancelled session, when Leo gives feedback on each, then each is 409 and nothing is
    written."""
    ahead = confirmed(relationship, leo, priya, in_days(3))
    unanswered = propose(relationship, leo, in_days(4))
    move_to_past(unanswered)
    cancelled = propose(relationship, leo, in_days(5))
    services.session_cancel(session_id=cancelled.pk, by=priya)
    move_to_past(cancelled, ended_ago=timedelta(hours=3))
    as_member(client, leo)

    answers = [
        api(client, "post", f"/api/sessions/{s.pk}/feedback", feedback_payload())
        for s in (ahead, unanswered, cancelled)
    ]

    assert [a.status_code for a in answers] == [409, 409, 409]
    assert "once the session has started" in answers[0].json()["detail"]
    assert "not confirmed" in answers[1].json()["detail"]
    assert not SessionFeedback.objects.exists()


def test_feedback_once_the_session_has_started_is_accepted(client, relationship, leo, priya):
    """Given a confirmed session that started ten minutes ago and has not ended, when Leo gives
    feedback, then it is 201 (people may answer as they hang up)."""
    session = confirmed(relationship, leo, priya)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(minutes=50),
    )

    response = api(
        as_member(client, leo), "post", f"/api/sessions/{session.pk}/feedback", feedback_payload()
    )

    assert response.status_code == 201
    assert response.json()["mine"]["takeaway"] == LEO_TAKEAWAY


def test_feedback_twice_is_409_and_the_first_stands(client, relationship, leo, priya):
    """Given Leo gave feedback, when he gives it again with other words, then 409 and his
    first answer is the one kept."""
    session = held(relationship, leo, priya)
    as_member(client, leo)
    path = f"/api/sessions/{session.pk}/feedback"
    assert api(client, "post", path, feedback_payload()).status_code == 201

    again = api(client, "post", path, feedback_payload(takeaway="Second thoughts"))

    assert again.status_code == 409
    assert list(SessionFeedback.objects.values_list("takeaway", flat=True)) == [LEO_TAKEAWAY]
    assert priya.notifications.filter(kind="feedback_waiting").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"useful": "amazing"}, "useful"),
        ({"direction": "sideways"}, "direction"),
        ({"takeaway": ""}, "takeaway"),
        ({"takeaway": "x" * 1001}, "takeaway"),
        ({"change": "x" * 501}, "change"),
    ],
    ids=["useful", "direction", "empty-takeaway", "long-takeaway", "long-change"],
)
def test_bad_feedback_is_422_naming_the_field(client, relationship, leo, priya, changes, field):
    """Given a held session, when Leo sends feedback with a value not offered or too long,
    then 422 naming the field and nothing is written."""
    session = held(relationship, leo, priya)

    response = api(
        as_member(client, leo),
        "post",
        f"/api/sessions/{session.pk}/feedback",
        feedback_payload(**changes),
    )

    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert not SessionFeedback.objects.exists()


def test_bad_feedback_on_the_page_shows_the_form_with_the_error(client, relationship, leo, priya):
    """Given a held session, when Leo sends the feedback form with a made-up usefulness, then
    the page comes back (400) with the error beside the field and his words kept."""
    session = held(relationship, leo, priya)

    response = as_member(client, leo).post(
        f"/sessions/{session.pk}/feedback/",
        {"useful": "amazing", "direction": "got", "takeaway": LEO_TAKEAWAY},
    )

    assert response.status_code == 400
    assert "Select a valid choice" in page(response)
    assert "Write the timeline before anyone names a cause" in page(response)
    assert not SessionFeedback.objects.exists()


def test_feedback_on_the_page_is_thanked_and_shown_to_its_author(client, relationship, leo, priya):
    """Given a held session, when Leo sends feedback on the page, then he is thanked and sees
    his own answer in place of the form."""
    session = held(relationship, leo, priya)

    response = as_member(client, leo).post(
        f"/sessions/{session.pk}/feedback/",
        {"useful": "yes", "direction": "got", "takeaway": LEO_TAKEAWAY, "change": LEO_CHANGE},
        follow=True,
    )

    assert "Thank you." in page(response)
    assert "Priya&#x27;s template helps." in page(response)
    assert f'action="/sessions/{session.pk}/feedback/"' not in page(response)


def test_one_side_s_feedback_stays_hidden_from_the_other_until_they_answer(
    client, relationship, leo, priya
):
    """Given a held session, when only Leo has given feedback, then Priya's page and API (one
    session and the list) do not contain his takeaway or his suggested change, only that he
    has answered; when Priya answers, each sees the other's words, and both are told."""
    session = held(relationship, leo, priya)
    give_feedback(session, leo, LEO_TAKEAWAY, change=LEO_CHANGE)
    as_member(client, priya)

    html = page(client.get(f"/sessions/{session.pk}/"))
    one = client.get(f"/api/sessions/{session.pk}")
    listed = client.get("/api/sessions")

    for hidden in ("Write the timeline before anyone names a cause", "a day earlier"):
        assert hidden not in html
        assert hidden not in one.content.decode()
        assert hidden not in listed.content.decode()
    assert "Leo Park has answered. Give yours to read theirs" in html
    assert one.json()["feedback"]["they_answered"] is True
    assert one.json()["feedback"]["theirs"] is None
    (waiting,) = priya.notifications.filter(kind="feedback_waiting")
    assert "Write the timeline" not in waiting.text

    response = api(
        client,
        "post",
        f"/api/sessions/{session.pk}/feedback",
        feedback_payload(direction="gave", takeaway=PRIYA_TAKEAWAY),
    )

    assert response.status_code == 201
    assert response.json()["theirs"]["takeaway"] == LEO_TAKEAWAY
    assert response.json()["theirs"]["change"] == LEO_CHANGE
    assert "Priya&#x27;s template helps." in page(client.get(f"/sessions/{session.pk}/"))
    for_leo = api(as_member(client, leo), "get", f"/api/sessions/{session.pk}").json()
    assert for_leo["feedback"]["theirs"]["takeaway"] == PRIYA_TAKEAWAY
    assert "I learned what their pager is." in page(client.get(f"/sessions/{session.pk}/"))
    assert leo.notifications.filter(kind="feedback_revealed").count() == 1
    assert priya.notifications.filter(kind="feedback_revealed").count() == 1


def test_the_author_does_not_see_the_other_s_feedback_before_they_answer_either(
    client, relationship, leo, priya
):
    """Given only Priya answered, when Leo reads the session, then her words are not there,
    and he is told when they would show without his."""
    session = held(relationship, leo, priya)
    give_feedback(session, priya, PRIYA_TAKEAWAY, direction="gave")
    as_member(client, leo)

    body = api(client, "get", f"/api/sessions/{session.pk}")

    assert PRIYA_TAKEAWAY not in body.content.decode()
    assert "I learned what their pager is" not in page(client.get(f"/sessions/{session.pk}/"))
    reveals_at = datetime.fromisoformat(body.json()["feedback"]["reveals_at"])
    week_on = Session.objects.get(pk=session.pk).ends_at + timedelta(days=7)
    assert abs(reveals_at - week_on) < timedelta(milliseconds=1)


def test_a_week_after_the_session_a_single_answer_shows(client, relationship, leo, priya):
    """Given Leo answered and Priya did not, when six days have passed since the session, then
    she still cannot read his; when eight days have passed, she can on the page and the API."""
    session = held(relationship, leo, priya)
    give_feedback(session, leo, LEO_TAKEAWAY)
    as_member(client, priya)

    move_to_past(session, ended_ago=timedelta(days=6))
    assert LEO_TAKEAWAY not in api(client, "get", f"/api/sessions/{session.pk}").content.decode()

    move_to_past(session, ended_ago=timedelta(days=8))

    theirs = api(client, "get", f"/api/sessions/{session.pk}").json()["feedback"]["theirs"]
    assert (theirs["author"], theirs["takeaway"]) == ("leo", LEO_TAKEAWAY)
    assert "Priya&#x27;s template helps." in page(client.get(f"/sessions/{session.pk}/"))


# --- After the session ----------------------------------------------------------------------


def test_when_a_session_ends_both_are_asked_for_feedback_and_it_counts_as_contact(
    relationship, leo, priya, django_capture_on_commit_callbacks
):
    """Given a confirmed session whose look-back was queued, and the pair last in touch 20 days
    ago, when the session has ended and the task runs, then both are asked for feedback with a
    link to it, and the relationship's last contact is the session's end."""
    Relationship.objects.filter(pk=relationship.pk).update(
        last_contact_at=timezone.now() - timedelta(days=20)
    )
    with django_capture_on_commit_callbacks(execute=True):
        session = confirmed(relationship, leo, priya)
    move_to_past(session)

    assert run_tasks("session_after") == [True]

    ends_at = Session.objects.get(pk=session.pk).ends_at
    for person, other in ((leo, "priya"), (priya, "leo")):
        (asked,) = person.notifications.filter(kind="feedback_request")
        assert f"@{other}" in asked.text
        assert asked.url == f"/sessions/{session.pk}/"
    relationship.refresh_from_db()
    assert relationship.last_contact_at == ends_at


def test_the_look_back_skips_whoever_already_answered(relationship, leo, priya):
    """Given Leo gave feedback as the session ended, when the look-back runs, then only Priya
    is asked."""
    session = held(relationship, leo, priya)
    give_feedback(session, leo, LEO_TAKEAWAY)

    assert services.session_after(session_id=session.pk) is True

    assert not leo.notifications.filter(kind="feedback_request").exists()
    assert priya.notifications.filter(kind="feedback_request").count() == 1


def test_no_look_back_for_a_session_that_did_not_happen(relationship, leo, priya):
    """Given a proposal that was never confirmed and a cancelled session, both in the past,
    when their look-backs run, then no one is asked for feedback and last contact stays."""
    Relationship.objects.filter(pk=relationship.pk).update(
        last_contact_at=timezone.now() - timedelta(days=20)
    )
    unanswered = propose(relationship, leo, in_days(3))
    cancelled = confirmed(relationship, leo, priya, in_days(4))
    services.session_cancel(session_id=cancelled.pk, by=leo)
    for session in (unanswered, cancelled):
        move_to_past(session)

    results = [services.session_after(session_id=s.pk) for s in (unanswered, cancelled)]

    assert results == [False, False]
    assert not Notification.objects.filter(kind="feedback_request").exists()
    relationship.refresh_from_db()
    assert timezone.now() - relationship.last_contact_at > timedelta(days=19)


# --- Calendars ------------------------------------------------------------------------------


def test_a_session_s_calendar_file_keeps_its_uid_and_counts_changes(
    client, relationship, leo, priya
):
    """Given Leo's proposal, when he downloads its .ics after proposing, after Priya confirms
    and after she cancels, then it is one event whose UID never changes, whose SEQUENCE goes
    up each time, whose STATUS is TENTATIVE, CONFIRMED, then CANCELLED, and whose start is
    the session's start in UTC."""
    session = propose(relationship, leo, in_days(3), place="https://meet.example.org/leo")
    as_member(client, leo)
    path = f"/sessions/{session.pk}/calendar.ics"

    def event():
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        (only,) = ics_events(response.content)
        return only, response.content

    proposed, raw = event()
    services.session_confirm(session_id=session.pk, by=priya)
    confirmed_event, _ = event()
    services.session_cancel(session_id=session.pk, by=priya)
    cancelled, _ = event()

    assert str(proposed["UID"]) == str(confirmed_event["UID"]) == str(cancelled["UID"])
    assert [int(e["SEQUENCE"]) for e in (proposed, confirmed_event, cancelled)] == [0, 1, 2]
    assert [str(e["STATUS"]) for e in (proposed, confirmed_event, cancelled)] == [
        "TENTATIVE",
        "CONFIRMED",
        "CANCELLED",
    ]
    starts_at = proposed.decoded("DTSTART")
    assert starts_at == session.starts_at
    assert starts_at.utcoffset() == timedelta(0)
    assert f"DTSTART:{session.starts_at.astimezone(UTC):%Y%m%dT%H%M%S}Z".encode() in raw
    assert proposed.decoded("DTEND") == session.starts_at + timedelta(hours=1)
    assert "Priya Raman" in str(proposed["SUMMARY"])
    assert str(proposed["LOCATION"]) == "https://meet.example.org/leo"


def test_the_calendar_file_does_not_reveal_the_other_person_s_email(
    client, relationship, leo, priya
):
    """Given Leo's session with Priya, when Leo downloads its calendar file, then it names
    Priya but does not contain her email address, which mentormesh shows to no other member."""
    session = propose(relationship, leo)

    body = as_member(client, leo).get(f"/sessions/{session.pk}/calendar.ics").content.decode()

    assert "Priya Raman" in body
    assert "priya@example.org" not in body


def test_the_private_feed_lists_my_sessions_and_only_mine(
    client, relationship, leo, priya, sam, leo_and_sam, priya_and_sam
):
    """Given Leo with a session with Priya and one with Sam, and Priya with one with Sam, when
    Leo makes his calendar address, then his notifications page shows it, and the feed (read
    without logging in, as calendar apps do) holds his two sessions and not Priya's with Sam."""
    with_priya = propose(relationship, leo, in_days(3))
    with_sam = propose(leo_and_sam, sam, in_days(4))
    not_leos = propose(priya_and_sam, sam, in_days(5))
    as_member(client, leo)

    made = client.post("/notifications/calendar/", follow=True)

    assert "Address made." in page(made)
    feed_url = re.search(r'id="feed-url">([^<]+)<', page(made)).group(1)
    path = re.search(r"(/calendar/[^/]+\.ics)$", feed_url).group(1)
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    uids = {str(e["UID"]) for e in ics_events(response.content)}
    assert uids == {f"session-{s.uid}@mentormesh" for s in (with_priya, with_sam)}
    assert f"session-{not_leos.uid}@mentormesh" not in uids


def test_replacing_the_feed_address_stops_the_old_one(client, leo):
    """Given Leo's calendar address, when he replaces it, then the old address is 404, the new
    one works, and the page says so; an address no one has is 404."""
    as_member(client, leo)
    client.post("/notifications/calendar/")
    old = re.search(
        r'id="feed-url">[^<]*(/calendar/[^<]+\.ics)<', page(client.get("/notifications/"))
    )

    replaced = client.post("/notifications/calendar/", follow=True)

    new = re.search(r'id="feed-url">[^<]*(/calendar/[^<]+\.ics)<', page(replaced))
    assert "New address made; the old one no longer works." in page(replaced)
    assert old.group(1) != new.group(1)
    client.logout()
    assert client.get(old.group(1)).status_code == 404
    assert client.get(new.group(1)).status_code == 200
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_the_notifications_page_offers_to_make_an_address_until_there_is_one(client, leo):
    """Given Leo without a calendar address, when he opens notifications, then it offers to
    make one and shows no address."""
    shown = page(as_member(client, leo).get("/notifications/"))

    assert "Make my calendar address" in shown
    assert 'id="feed-url"' not in shown


# --- The menu -------------------------------------------------------------------------------


def test_the_menu_counts_times_proposed_to_me(client, relationship, leo, priya):
    """Given Leo proposed two times to Priya, when each opens a page, then Priya's menu shows
    2 times to answer and Leo's none; once she confirms one and declines the other, none."""
    first = propose(relationship, leo, in_days(3))
    second = propose(relationship, leo, in_days(4))

    assert 'title="2 proposed times to answer"' in page(as_member(client, priya).get("/asks/"))
    assert "proposed time" not in page(as_member(client, leo).get("/asks/"))

    services.session_confirm(session_id=first.pk, by=priya)
    assert 'title="1 proposed time to answer"' in page(as_member(client, priya).get("/asks/"))
    services.session_cancel(session_id=second.pk, by=priya)
    assert "proposed time" not in page(client.get("/asks/"))


# --- My sessions ----------------------------------------------------------------------------


def test_my_sessions_are_listed_soonest_first_and_upcoming_leaves_out_the_past(
    client, relationship, leo, priya, sam, leo_and_sam
):
    """Given Leo's session with Sam in four days, with Priya in three, and one held yesterday,
    when he lists his sessions, then they come soonest first, and ?upcoming=true leaves out the
    one that is over."""
    later = propose(leo_and_sam, sam, in_days(4))
    sooner = propose(relationship, leo, in_days(3))
    past = held(relationship, leo, priya)
    as_member(client, leo)

    every = [s["id"] for s in api(client, "get", "/api/sessions").json()]
    upcoming = [s["id"] for s in api(client, "get", "/api/sessions?upcoming=true").json()]

    assert every == [past.pk, sooner.pk, later.pk]
    assert upcoming == [sooner.pk, later.pk]


def test_the_session_list_costs_the_same_queries_for_one_or_many(
    client, relationship, leo, priya, sam, leo_and_sam
):
    """Given Leo with one session, when his list is read, then with four sessions (follow-ups
    and feedback included) it takes the same number of queries (no N+1)."""
    as_member(client, leo)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/sessions").status_code == 200
        return len(captured)

    first = propose(relationship, leo, in_days(3))
    services.followup_add(session_id=first.pk, by=leo, text="Read", owner_handle="priya")
    one = queries()
    for n in range(3):
        session = propose(leo_and_sam, sam, in_days(4 + n))
        services.followup_add(session_id=session.pk, by=leo, text="Read", owner_handle="sam")
    many = queries()

    assert one == many


# --- Everyone else gets 404 -----------------------------------------------------------------


def test_another_member_gets_404_on_every_session_page_and_endpoint(
    client, relationship, leo, priya, mallory
):
    """Given Leo and Priya's held session with a follow-up, and an upcoming proposal, when
    Mallory opens or posts to any of them on the pages or the API, then every answer is 404,
    she is told nothing exists, and nothing changes."""
    session = held(relationship, leo, priya)
    follow_up = services.followup_add(
        session_id=session.pk, by=leo, text="Send the template", owner_handle="priya"
    )
    upcoming = propose(relationship, leo, in_days(3))
    s, u, f, r = session.pk, upcoming.pk, follow_up.pk, relationship.pk
    as_member(client, mallory)

    answers = {
        "page": client.get(f"/sessions/{s}/"),
        "ics": client.get(f"/sessions/{s}/calendar.ics"),
        "page-confirm": client.post(f"/sessions/{u}/confirm/"),
        "page-cancel": client.post(f"/sessions/{u}/cancel/", {"reason": ""}),
        "page-edit": client.post(f"/sessions/{s}/edit/", {"notes": "Mine now"}),
        "page-followup": client.post(f"/sessions/{s}/followup/", {"text": "x", "owner": "leo"}),
        "page-feedback": client.post(
            f"/sessions/{s}/feedback/", {"useful": "no", "direction": "got", "takeaway": "x"}
        ),
        "page-done": client.post(f"/follow-ups/{f}/done/", {"done": "1"}),
        "page-new": client.get(f"/relationships/{r}/sessions/new/"),
        "api-get": api(client, "get", f"/api/sessions/{s}"),
        "api-patch": api(client, "patch", f"/api/sessions/{s}", {"notes": "Mine now"}),
        "api-confirm": api(client, "post", f"/api/sessions/{u}/confirm"),
        "api-cancel": api(client, "post", f"/api/sessions/{u}/cancel", {}),
        "api-feedback": api(client, "post", f"/api/sessions/{s}/feedback", feedback_payload()),
        "api-followup": api(
            client, "post", f"/api/sessions/{s}/follow-ups", {"text": "x", "owner": "leo"}
        ),
        "api-done": api(client, "post", f"/api/follow-ups/{f}/done", {}),
        "api-slots": api(client, "get", f"/api/relationships/{r}/slots"),
        "api-propose": api(
            client, "post", f"/api/relationships/{r}/sessions", session_payload(in_days(5))
        ),
    }

    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(answers, 404)
    assert api(client, "get", "/api/sessions").json() == []
    assert (status_of(upcoming), Session.objects.count()) == ("proposed", 2)
    assert Session.objects.get(pk=s).notes == ""
    assert FollowUp.objects.get().done_at is None
    assert not SessionFeedback.objects.exists()
    assert FollowUp.objects.count() == 1


def test_services_treat_a_stranger_as_not_found(relationship, leo, priya, mallory):
    """Given Leo's proposal and follow-up, when Mallory's id reaches the services directly,
    then NotFound for each."""
    session = propose(relationship, leo)
    follow_up = services.followup_add(
        session_id=session.pk, by=leo, text="Send it", owner_handle="leo"
    )

    for act in (
        lambda: services.session_propose(
            relationship_id=relationship.pk, by=mallory, starts_at=in_days(5), minutes=30
        ),
        lambda: services.session_confirm(session_id=session.pk, by=mallory),
        lambda: services.session_cancel(session_id=session.pk, by=mallory),
        lambda: services.session_update(session_id=session.pk, by=mallory, notes="x"),
        lambda: services.followup_add(
            session_id=session.pk, by=mallory, text="x", owner_handle="leo"
        ),
        lambda: services.followup_done(followup_id=follow_up.pk, by=mallory),
    ):
        with pytest.raises(NotFound):
            act()
    assert status_of(session) == "proposed"


def test_a_session_that_does_not_exist_is_404_for_its_would_be_owner(client, leo):
    """Given Leo, when he opens a session id that does not exist, then 404 on page and API."""
    as_member(client, leo)

    assert client.get("/sessions/999999/").status_code == 404
    assert api(client, "get", "/api/sessions/999999").status_code == 404
    assert json.loads(api(client, "get", "/api/sessions/999999").content)["error"] == "not_found"
