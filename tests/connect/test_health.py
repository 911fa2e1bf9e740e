"""How a relationship is doing: days since Leo and Priya last met against the cadence they
agreed (on track, due, overdue, or scheduled when a session is coming), how many sessions they
held, and who gave help by their feedback; and the nudge both get when it has gone quiet.

Time passes here the way the worker sees it: `pass_days` moves every stored moment (contact,
nudges, sessions, queued tasks) back, and `the_worker_runs_what_is_due` runs each queued
relationship and session task whose time has come, once, as `mentormesh db_worker` would."""

import re
from datetime import timedelta

import pytest
from connect_helpers import api, as_member, tasks_named
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from mentormesh.connect import services
from mentormesh.connect.models import Relationship, Session, SessionFeedback
from mentormesh.notifications.models import Notification
from mentormesh.people.models import User

WORKER_TASKS = ("relationship_nudge", "session_after")


# --- People, their relationship, and a clock ------------------------------------------------


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the code does after commit (queueing tasks) for real."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def relationship(ask, priya, committed) -> Relationship:
    """Leo and Priya, from Priya accepting Leo's ask today; cadence 30 days."""
    with committed():
        return services.ask_accept(ask_id=ask.pk, by=priya)


def pass_days(days: float) -> None:
    """`days` go by: every stored moment that matters here moves that far into the past."""
    delta = timedelta(days=days)
    Relationship.objects.update(
        started_at=F("started_at") - delta,
        last_contact_at=F("last_contact_at") - delta,
        nudged_at=F("nudged_at") - delta,
    )
    Session.objects.update(starts_at=F("starts_at") - delta, ends_at=F("ends_at") - delta)
    SessionFeedback.objects.update(created_at=F("created_at") - delta)
    DBTaskResult.objects.exclude(run_after=get_date_max()).update(run_after=F("run_after") - delta)


def the_worker_runs_what_is_due(committed) -> list:
    """Run each queued relationship and session task whose time has come, once, oldest
    first, including any they queue that are due already; their return values."""
    results = []
    while True:
        due = [
            row
            for row in DBTaskResult.objects.ready().order_by("run_after", "enqueued_at")
            if row.task_path.rsplit(".", 1)[-1] in WORKER_TASKS
        ]
        if not due:
            return results
        row = due[0]
        with committed():
            results.append(row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]))
        DBTaskResult.objects.filter(pk=row.pk).update(status=TaskResultStatus.SUCCESSFUL)


def health_of(client, relationship, viewer) -> dict:
    return api(as_member(client, viewer), "get", f"/api/relationships/{relationship.pk}").json()[
        "health"
    ]


def page(response) -> str:
    return response.content.decode()


def in_days(days: int, hour: int = 15) -> timezone.datetime:
    return (timezone.now() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def propose(relationship, by, days: int, hour: int = 15):
    return services.session_propose(
        relationship_id=relationship.pk, by=by, starts_at=in_days(days, hour), minutes=60
    )


def held(relationship, leo, priya, *, ended_days_ago: int, committed) -> Session:
    """A session Leo proposed and Priya confirmed, which ended `ended_days_ago` days ago, and
    whose look-back ran (so it counts as contact)."""
    with committed():
        session = propose(relationship, leo, 2, hour=3 + ended_days_ago % 12)
        services.session_confirm(session_id=session.pk, by=priya)
        Session.objects.filter(pk=session.pk).update(
            starts_at=timezone.now() - timedelta(days=ended_days_ago, hours=1),
            ends_at=timezone.now() - timedelta(days=ended_days_ago),
        )
        services.session_after(session_id=session.pk)
    return Session.objects.get(pk=session.pk)


def nudges(user: User) -> list[Notification]:
    return list(user.notifications.filter(kind="relationship_quiet"))


# --- States as time passes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quiet_days", "state"),
    [(0, "on track"), (23, "on track"), (24, "due"), (29, "due"), (30, "overdue"), (90, "overdue")],
)
def test_the_state_follows_the_days_since_contact_against_the_cadence(
    client, relationship, leo, quiet_days, state
):
    """Given Leo and Priya agreed to meet every 30 days, when `quiet_days` pass without
    contact, then the relationship is on track until day 24 (80% of the cadence), due until day
    29, and overdue from day 30 (when both are nudged); the API and the page both say so."""
    pass_days(quiet_days)

    health = health_of(client, relationship, leo)

    assert (health["state"], health["days_quiet"], health["cadence_days"]) == (
        state,
        quiet_days,
        30,
    )
    shown = page(client.get(f"/relationships/{relationship.pk}/"))
    badge = f'<span class="badge state-{state.replace(" ", "-")}">{state.capitalize()}</span>'
    days = f"<strong>{quiet_days}</strong> day{'' if quiet_days == 1 else 's'} since you last met"
    assert badge in shown
    assert days in shown


def test_the_page_explains_due_and_overdue(client, relationship, leo):
    """Given the relationship, when it is due and then overdue, then the page says they are due
    to meet soon, and then that it has been longer than the cadence they agreed."""
    as_member(client, leo)
    path = f"/relationships/{relationship.pk}/"

    pass_days(25)
    assert "You are due to meet soon." in page(client.get(path))
    pass_days(10)
    assert "It has been longer than the cadence you agreed." in page(client.get(path))


def test_a_proposed_or_confirmed_session_ahead_makes_it_scheduled(client, relationship, leo, priya):
    """Given the pair quiet for 40 days (overdue), when Leo proposes a time, then it is
    scheduled with that session next, and the page links to it; when Priya confirms, still
    scheduled; when it is cancelled, overdue again."""
    pass_days(40)
    session = propose(relationship, leo, 3)

    health = health_of(client, relationship, leo)
    assert (health["state"], health["next_session_id"]) == ("scheduled", session.pk)
    shown = page(client.get(f"/relationships/{relationship.pk}/"))
    assert f'Next: <a href="/sessions/{session.pk}/">' in shown
    assert "(proposed)" in shown

    services.session_confirm(session_id=session.pk, by=priya)
    assert health_of(client, relationship, priya)["state"] == "scheduled"

    services.session_cancel(session_id=session.pk, by=priya)
    health = health_of(client, relationship, leo)
    assert (health["state"], health["next_session_id"]) == ("overdue", None)


def test_a_held_session_counts_as_contact_and_puts_it_back_on_track(
    client, relationship, leo, priya, committed
):
    """Given the pair quiet for 40 days, when they hold a session that ended two days ago, then
    two days have passed since they met, one session is held, and it is on track."""
    pass_days(40)

    held(relationship, leo, priya, ended_days_ago=2, committed=committed)

    health = health_of(client, relationship, leo)
    assert (health["state"], health["days_quiet"], health["sessions_held"]) == ("on track", 2, 1)
    shown = page(client.get(f"/relationships/{relationship.pk}/"))
    assert "<strong>1</strong> session held" in shown


def test_a_session_in_progress_is_scheduled_not_held(client, relationship, leo, priya):
    """Given a confirmed session that started ten minutes ago, when Leo reads the health, then
    it is scheduled and not yet counted as held."""
    session = propose(relationship, leo, 3)
    services.session_confirm(session_id=session.pk, by=priya)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(minutes=50),
    )

    health = health_of(client, relationship, leo)

    assert (health["state"], health["sessions_held"]) == ("scheduled", 0)


# --- Who gives ------------------------------------------------------------------------------


def test_the_balance_counts_who_gave_help_by_either_side_s_feedback(
    client, relationship, leo, priya, committed
):
    """Given four held sessions: in the first Leo says he got help; in the second Priya says she
    got help; in the third Leo says both ways; in the fourth Leo says he gave and Priya says she
    got; when each reads the relationship, then Leo gave in 3 of 4 (second, third, fourth) and
    Priya in 2 (first, third), and Priya sees the same the other way round."""
    sessions = [
        held(relationship, leo, priya, ended_days_ago=days, committed=committed)
        for days in (8, 6, 4, 2)
    ]
    answers = [
        (sessions[0], leo, "got"),
        (sessions[1], priya, "got"),
        (sessions[2], leo, "both"),
        (sessions[3], leo, "gave"),
        (sessions[3], priya, "got"),
    ]
    for session, author, direction in answers:
        services.feedback_give(
            session_id=session.pk, by=author, useful="yes", direction=direction, takeaway="Notes."
        )

    for_leo = health_of(client, relationship, leo)
    shown = page(client.get(f"/relationships/{relationship.pk}/"))
    for_priya = health_of(client, relationship, priya)

    assert (for_leo["i_gave"], for_leo["they_gave"], for_leo["sessions_held"]) == (3, 2, 4)
    assert (for_priya["i_gave"], for_priya["they_gave"]) == (2, 3)
    assert "You gave help in 3 of 4 sessions" in shown
    assert "Priya Raman in 2." in shown
    assert 'aria-label="You gave help in 3 sessions, Priya Raman in 2"' in shown


def test_before_any_feedback_the_page_explains_the_balance(client, relationship, leo, priya):
    """Given no feedback yet, when Leo opens the relationship, then it says how the balance
    will show rather than a bar of zeros."""
    health = health_of(client, relationship, leo)

    assert (health["i_gave"], health["they_gave"]) == (0, 0)
    shown = page(client.get(f"/relationships/{relationship.pk}/"))
    assert "each of you says which way help went; the balance shows here" in shown
    assert 'class="bar balance"' not in shown


def test_feedback_on_a_cancelled_session_does_not_count(
    client, relationship, leo, priya, committed
):
    """Given one held session where Leo says he gave help, and a cancelled one, when Priya
    reads the balance, then she got help once and one session is held."""
    session = held(relationship, leo, priya, ended_days_ago=3, committed=committed)
    services.feedback_give(
        session_id=session.pk, by=leo, useful="yes", direction="gave", takeaway="Notes."
    )
    services.session_cancel(session_id=propose(relationship, priya, 4).pk, by=leo)

    health = health_of(client, relationship, priya)

    assert (health["i_gave"], health["they_gave"], health["sessions_held"]) == (0, 1, 1)


# --- The nudge when it goes quiet -----------------------------------------------------------


def test_when_it_goes_quiet_past_the_cadence_both_are_nudged_once(relationship, leo, priya):
    """Given no contact for 31 days (cadence 30) and nothing scheduled, when the nudge runs,
    then each is told how long it has been and offered to propose a time; when it runs again
    in the same quiet spell, no one is told twice."""
    pass_days(31)

    assert services.relationship_nudge(relationship_id=relationship.pk) is True

    for person, other in ((leo, "priya"), (priya, "leo")):
        (nudge,) = nudges(person)
        assert nudge.text == (
            f"It has been 31 days since you and @{other} met (you agreed every 30). Propose a time?"
        )
        assert nudge.url == f"/relationships/{relationship.pk}/sessions/new/"

    pass_days(5)
    assert services.relationship_nudge(relationship_id=relationship.pk) is False
    assert (len(nudges(leo)), len(nudges(priya))) == (1, 1)


def test_no_nudge_before_the_cadence_is_up(relationship, leo, priya):
    """Given 29 days without contact, when the nudge runs, then no one is told."""
    pass_days(29)

    assert services.relationship_nudge(relationship_id=relationship.pk) is False
    assert nudges(leo) == nudges(priya) == []


def test_no_nudge_while_a_session_is_coming(relationship, leo, priya):
    """Given 40 days without contact but a time Leo proposed for next week, when the nudge
    runs, then no one is told."""
    pass_days(40)
    propose(relationship, leo, 7)

    assert services.relationship_nudge(relationship_id=relationship.pk) is False
    assert nudges(leo) == nudges(priya) == []


@pytest.mark.parametrize("status", ["paused", "ended"])
def test_no_nudge_for_a_paused_or_ended_relationship(relationship, leo, priya, status):
    """Given Priya paused (or ended) the relationship, when 60 quiet days later the nudge runs,
    then no one is told."""
    services.relationship_update(relationship_id=relationship.pk, by=priya, status=status)
    pass_days(60)

    assert services.relationship_nudge(relationship_id=relationship.pk) is False
    assert nudges(leo) == nudges(priya) == []


def test_after_new_contact_goes_quiet_again_they_are_nudged_again(
    relationship, leo, priya, committed
):
    """Given they were nudged after 31 quiet days, when they then hold a session and go quiet
    for another 31 days, then both are nudged a second time."""
    pass_days(31)
    assert services.relationship_nudge(relationship_id=relationship.pk) is True
    pass_days(3)
    held(relationship, leo, priya, ended_days_ago=0, committed=committed)
    pass_days(31)

    assert services.relationship_nudge(relationship_id=relationship.pk) is True

    assert (len(nudges(leo)), len(nudges(priya))) == (2, 2)
    assert nudges(leo)[0].text.startswith("It has been 31 days since you and @priya met")


def test_left_alone_the_worker_nudges_a_quiet_relationship_once(
    relationship, leo, priya, committed
):
    """Given a new relationship and nothing else happening, when the worker runs what is due
    every 10 days for 100 days, then both are nudged once, when the 30 days are up."""
    nudged_so_far = []
    for _ in range(10):
        pass_days(10)
        the_worker_runs_what_is_due(committed)
        nudged_so_far.append((len(nudges(leo)), len(nudges(priya))))

    assert nudged_so_far == [(0, 0)] * 2 + [(1, 1)] * 8
    assert "It has been 30 days" in nudges(leo)[0].text


def test_changing_the_cadence_queues_a_look_at_the_new_time(
    client, relationship, leo, priya, committed
):
    """Given the relationship at 30 days, when Leo changes the cadence to 7, then a nudge is
    queued for 7 days after their last contact; and once 8 quiet days have passed, the worker
    nudges both (the old 30-day look would have waited three more weeks)."""
    before = len(tasks_named("relationship_nudge"))
    relationship.refresh_from_db()

    with committed():
        response = api(
            as_member(client, leo),
            "patch",
            f"/api/relationships/{relationship.pk}",
            {"cadence_days": 7},
        )

    assert response.status_code == 200
    queued = tasks_named("relationship_nudge")
    assert len(queued) == before + 1
    assert queued[-1].args_kwargs["args"] == [relationship.pk]
    assert queued[-1].run_after == relationship.last_contact_at + timedelta(days=7)

    pass_days(8)
    assert True in the_worker_runs_what_is_due(committed)
    assert "(you agreed every 7)" in nudges(priya)[0].text


def test_saving_the_same_cadence_queues_nothing(client, relationship, leo, committed):
    """Given the cadence is 30, when Leo saves the relationship page with 30 and a new topic,
    then no new nudge is queued."""
    before = len(tasks_named("relationship_nudge"))

    with committed():
        client = as_member(client, leo)
        client.post(
            f"/relationships/{relationship.pk}/",
            {"topic": "Incident reviews", "status": "active", "cadence_days": "30"},
        )

    assert Relationship.objects.get(pk=relationship.pk).topic == "Incident reviews"
    assert len(tasks_named("relationship_nudge")) == before


def test_changing_the_cadence_on_the_page_queues_the_look_too(client, relationship, leo, committed):
    """Given the relationship page, when Leo sets the cadence to 14 days, then a nudge is
    queued for 14 days after their last contact."""
    relationship.refresh_from_db()

    with committed():
        as_member(client, leo).post(
            f"/relationships/{relationship.pk}/",
            {"topic": "Incident reviews", "status": "active", "cadence_days": "14"},
        )

    assert tasks_named("relationship_nudge")[-1].run_after == (
        relationship.last_contact_at + timedelta(days=14)
    )


def test_a_proposal_that_lapses_unanswered_does_not_silence_the_nudge(
    relationship, leo, priya, committed
):
    """Given a new relationship, when Leo proposes a time 33 days out that Priya never answers
    (so the 30-day look finds something scheduled and stays quiet), and the worker runs what is
    due for 70 days, then once the proposal has lapsed and the quiet has outlasted the cadence,
    both are nudged."""
    with committed():
        propose(relationship, leo, 33)

    for _ in range(7):
        pass_days(10)
        the_worker_runs_what_is_due(committed)

    assert len(nudges(leo)) == len(nudges(priya)) == 1


# --- The relationship page stays cheap ------------------------------------------------------


def test_the_relationship_page_costs_the_same_queries_for_one_session_or_many(
    client, relationship, leo, priya, committed
):
    """Given one held session with feedback, when Leo opens the relationship page, then with
    four held sessions with feedback it takes the same number of queries (no N+1)."""
    as_member(client, leo)
    path = f"/relationships/{relationship.pk}/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    def add(days):
        session = held(relationship, leo, priya, ended_days_ago=days, committed=committed)
        services.feedback_give(
            session_id=session.pk, by=priya, useful="yes", direction="got", takeaway="Notes."
        )

    add(2)
    one = queries()
    for days in (3, 4, 5):
        add(days)
    many = queries()

    assert one == many
    assert len(re.findall(r'<a href="/sessions/\d+/">', page(client.get(path)))) == 4
