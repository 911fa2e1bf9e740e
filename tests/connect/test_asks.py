"""Asks from send to answer: the API and the pages over one set of services. Sending tells
the recipient and schedules a reminder and an expiry; answers (accept, decline, tell me
more, withdraw, report) move an ask once; everyone sees only their own asks and
relationships; bad input is named and changes nothing."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from connect_helpers import (
    LEO_QUESTION,
    LEO_TO_PRIYA,
    api,
    as_member,
    make_it_days_ago,
    run_tasks,
    tasks_named,
)
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mentormesh.connect import services, tasks
from mentormesh.connect.models import (
    Ask,
    AskReply,
    AskStatus,
    Block,
    Relationship,
    RelationshipSide,
    Report,
)
from mentormesh.errors import Conflict, DomainError, NotFound, PermissionDenied, TooMany
from mentormesh.notifications.models import Notification
from mentormesh.people import services as people

REFERRAL = (
    "Hi Priya,\n\nI'm a backend engineer with five years of Go and Kubernetes, and I saw that "
    "Northwind has an open SRE role. Could you refer me for it? I think I'm a strong fit.\n\n"
    "Thanks, Leo"
)


def ask_payload(**changes) -> dict:
    payload = {
        "recipient": "priya",
        "message": LEO_TO_PRIYA,
        "question": LEO_QUESTION,
        "time_minutes": 30,
        "skill": "Kubernetes",
    }
    return payload | changes


def nothing_was_written() -> bool:
    return not (
        Ask.objects.exists() or Notification.objects.exists() or DBTaskResult.objects.exists()
    )


def status_of(ask) -> str:
    return Ask.objects.values_list("status", flat=True).get(pk=ask.pk)


def ask_row(sender, recipient, n: int = 0, **fields) -> Ask:
    """An ask written straight to the database (no checker), for counts and lists."""
    return Ask.objects.create(
        sender=sender,
        recipient=recipient,
        message=f"Message number {n} about something particular to {recipient.handle}.",
        question=f"Question {n} for @{recipient.handle}?",
        check_score=90,
        expires_at=timezone.now() + services.EXPIRE_AFTER,
        **fields,
    )


def page(response) -> str:
    return response.content.decode()


# --- Checking before sending ---------------------------------------------------------------


def test_the_check_endpoint_scores_an_ask_and_lists_findings(client, leo, priya):
    """Given Leo writing to Priya, when he checks a good ask and then a referral ask, then the
    first is ready with a score, and the second is not ready and names the job-first problem
    with its severity and a message he can act on."""
    as_member(client, leo)

    good = api(
        client,
        "post",
        "/api/asks/check",
        {"recipient": "priya", "message": f"{LEO_TO_PRIYA}\n\n{LEO_QUESTION}", "time_minutes": 30},
    )
    bad = api(
        client,
        "post",
        "/api/asks/check",
        {"recipient": "priya", "message": REFERRAL, "time_minutes": None},
    )

    assert good.status_code == bad.status_code == 200
    assert set(good.json()) == {"score", "ready", "findings"}
    assert good.json()["ready"] is True and 60 <= good.json()["score"] <= 100
    assert bad.json()["ready"] is False
    (job_first,) = [f for f in bad.json()["findings"] if f["code"] == "job_first"]
    assert job_first["severity"] == "block"
    assert "referral" in job_first["message"]
    assert nothing_was_written()


def test_checking_an_ask_to_someone_you_cannot_see_is_404(client, api_leo_priya_hidden):
    """Given Priya's profile visible only in her organizations, when Leo (not a member) checks
    an ask to her, then it is 404 as if she did not exist."""
    response = api(
        client, "post", "/api/asks/check", {"recipient": "priya", "message": LEO_TO_PRIYA}
    )

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.fixture
def api_leo_priya_hidden(client, leo, priya):
    people.profile_update(user=priya, changes={"visibility": "organizations"})
    return as_member(client, leo)


# --- Sending -------------------------------------------------------------------------------


def test_sending_an_ask_tells_the_recipient_and_schedules_reminder_and_expiry(
    client, leo, priya, django_capture_on_commit_callbacks, mailoutbox
):
    """Given Leo, when he sends Priya a ready ask through the API, then it is created pending,
    Priya has a notification linking to it, a reminder is queued for 3 days later and an
    expiry for 14 days later, and once the email task runs Priya has an email about it."""
    with django_capture_on_commit_callbacks(execute=True):
        response = api(as_member(client, leo), "post", "/api/asks", ask_payload())

    assert response.status_code == 201
    body = response.json()
    assert (body["sender"], body["recipient"], body["status"]) == ("leo", "priya", "pending")
    assert (body["question"], body["time_minutes"], body["skill"]) == (
        LEO_QUESTION,
        30,
        "Kubernetes",
    )
    ask = Ask.objects.get(pk=body["id"])
    (received,) = priya.notifications.all()
    assert received.kind == "ask_received"
    assert received.text == f"@leo asks: {LEO_QUESTION}"
    assert received.url == f"/asks/{ask.pk}/"
    (remind,) = tasks_named("ask_remind")
    (expire,) = tasks_named("ask_expire")
    assert remind.args_kwargs["args"] == expire.args_kwargs["args"] == [ask.pk]
    assert abs(remind.run_after - (ask.created_at + timedelta(days=3))) < timedelta(seconds=5)
    assert expire.run_after == ask.expires_at
    assert abs(ask.expires_at - (ask.created_at + timedelta(days=14))) < timedelta(seconds=5)
    assert mailoutbox == []

    assert run_tasks("notification_email") == [True]

    (email,) = mailoutbox
    assert email.to == ["priya@example.org"]
    assert "@leo asks" in email.subject
    assert f"/asks/{ask.pk}/" in email.body


def test_an_ask_the_checker_blocks_is_refused_naming_the_problem(
    client, leo, priya, django_capture_on_commit_callbacks, mailoutbox
):
    """Given Leo's message asking Priya for a referral, when he sends it, then it is 400 with
    the job-first finding named in the error, and no ask, notification, task or email exists."""
    with django_capture_on_commit_callbacks(execute=True):
        response = api(as_member(client, leo), "post", "/api/asks", ask_payload(message=REFERRAL))

    assert response.status_code == 400
    assert response.json()["error"] == "not_ready:job_first"
    assert "referral" in response.json()["detail"]
    assert nothing_was_written()
    assert mailoutbox == []


def test_asking_yourself_is_refused(client, leo, priya):
    """Given Leo, when he sends an ask to @leo, then it is 400 saying he cannot ask himself
    and nothing is written."""
    response = api(as_member(client, leo), "post", "/api/asks", ask_payload(recipient="leo"))

    assert response.status_code == 400
    assert response.json()["detail"] == "You cannot ask yourself."
    assert nothing_was_written()


def test_someone_who_blocked_you_cannot_be_asked(client, leo, priya):
    """Given Priya blocked Leo through the API, when Leo sends her an ask, then it is 403
    saying she is not taking asks from him, and nothing is written; once she unblocks him
    he can ask."""
    assert api(as_member(client, priya), "post", "/api/blocks", {"handle": "@Leo"}).json() == {
        "blocked": "leo"
    }

    refused = api(as_member(client, leo), "post", "/api/asks", ask_payload())

    assert refused.status_code == 403
    assert refused.json()["detail"] == "@priya is not taking asks from you."
    assert nothing_was_written()
    assert api(as_member(client, priya), "delete", "/api/blocks/leo").status_code == 204
    assert api(as_member(client, leo), "post", "/api/asks", ask_payload()).status_code == 201


def test_you_cannot_ask_someone_you_blocked(leo, priya, send):
    """Given Leo blocked Priya, when he asks her, then he is told to unblock her first."""
    services.block_add(by=leo, handle="priya")

    with pytest.raises(DomainError) as error:
        send(leo, priya)

    assert "unblock" in error.value.detail
    assert not Ask.objects.exists()


def test_a_second_open_ask_to_the_same_person_is_409_and_one_ask_remains(client, leo, priya):
    """Given Leo's ask to Priya waiting, when he submits the same ask again (a double submit),
    then it is 409 saying he already has an open ask; there is one ask and Priya has one
    notification."""
    as_member(client, leo)
    assert api(client, "post", "/api/asks", ask_payload()).status_code == 201

    again = api(client, "post", "/api/asks", ask_payload())

    assert again.status_code == 409
    assert "already have an open ask to @priya" in again.json()["detail"]
    assert Ask.objects.count() == 1
    assert priya.notifications.count() == 1


def test_the_weekly_limit_stops_the_eleventh_ask(client, make_user, leo, priya):
    """Given Leo sent 10 asks to other people this week, when he sends one more, then it is
    429 saying the limit, and no ask is written; once those asks are over a week old he can
    ask again."""
    for n in range(10):
        ask_row(leo, make_user(f"someone{n}"), n)

    refused = api(as_member(client, leo), "post", "/api/asks", ask_payload())

    assert refused.status_code == 429
    assert refused.json()["error"] == "too_many"
    assert "10 asks this week" in refused.json()["detail"]
    assert Ask.objects.count() == 10
    Ask.objects.update(created_at=timezone.now() - timedelta(days=8))
    assert api(client, "post", "/api/asks", ask_payload()).status_code == 201


def test_someone_you_cannot_see_cannot_be_asked(client, api_leo_priya_hidden):
    """Given Priya visible only inside her organizations, when Leo sends her an ask, then it is
    404 and nothing is written."""
    response = api(client, "post", "/api/asks", ask_payload())

    assert response.status_code == 404
    assert nothing_was_written()


def test_copy_paste_to_two_other_people_blocks_the_third(make_person, leo, send):
    """Given Leo sent the same message (only the name changed) to two Kubernetes people this
    week, when he sends it to a third, then the checker blocks it as copy-paste."""
    ana, ben, cy = (make_person(h, offers=["Kubernetes"]) for h in ("ana", "ben", "cyd"))
    template = LEO_TO_PRIYA.replace("Hi Priya", "Hi {}").replace("your post on", "posts on")
    send(leo, ana, message=template.format("Ana"))
    send(leo, ben, message=template.format("Ben"))

    with pytest.raises(DomainError) as error:
        send(leo, cy, message=template.format("Cyd"))

    assert error.value.code == "not_ready:copy_paste"
    assert "2 other people" in error.value.detail
    assert Ask.objects.filter(recipient=cy).count() == 0


# --- Accepting ------------------------------------------------------------------------------


def test_accepting_starts_a_relationship_both_sides_see(client, ask, leo, priya):
    """Given Leo's ask to Priya, when Priya accepts it, then the ask is accepted, a relationship
    exists with a side for each of them, Leo sees it with Priya and is notified with a link."""
    response = api(as_member(client, priya), "post", f"/api/asks/{ask.pk}/accept", {})

    assert response.status_code == 200
    relationship = response.json()
    assert relationship["with_handle"] == "leo"
    assert (relationship["topic"], relationship["status"]) == (LEO_QUESTION, "exploring")
    assert sorted(side["handle"] for side in relationship["sides"]) == ["leo", "priya"]
    assert status_of(ask) == AskStatus.ACCEPTED
    (from_leo_side,) = api(as_member(client, leo), "get", "/api/relationships").json()
    assert (from_leo_side["id"], from_leo_side["with_handle"]) == (relationship["id"], "priya")
    (accepted,) = leo.notifications.filter(kind="ask_accepted")
    assert accepted.url == f"/relationships/{relationship['id']}/"


def test_accepting_twice_is_409_and_changes_nothing(client, ask, leo, priya):
    """Given Priya accepted Leo's ask, when she accepts it again (a double click), then it is
    409 saying it is already accepted, and there is still one relationship and one
    notification for Leo."""
    as_member(client, priya)
    first = api(client, "post", f"/api/asks/{ask.pk}/accept", {"topic": "Incident reviews"})

    second = api(client, "post", f"/api/asks/{ask.pk}/accept", {"topic": "Something else"})

    assert first.status_code == 200 and second.status_code == 409
    assert second.json()["detail"] == "Nothing changed: this ask is now “Accepted”."
    assert Relationship.objects.get().topic == "Incident reviews"
    assert leo.notifications.filter(kind="ask_accepted").count() == 1


def test_the_sender_cannot_accept_their_own_ask(client, ask, leo):
    """Given Leo's ask to Priya, when Leo posts accept on it, then it is 403, the ask still
    waits and no relationship exists."""
    response = api(as_member(client, leo), "post", f"/api/asks/{ask.pk}/accept", {})

    assert response.status_code == 403
    assert response.json()["detail"] == "Only the person asked can accept."
    assert status_of(ask) == AskStatus.PENDING
    assert not Relationship.objects.exists()


@pytest.mark.parametrize(
    ("method", "action", "payload"),
    [
        ("get", "", None),
        ("post", "/accept", {}),
        ("post", "/decline", {"kind": "busy"}),
        ("post", "/more", {"text": "Who are you?"}),
        ("post", "/reply", {"text": "Me."}),
        ("post", "/withdraw", None),
        ("post", "/report", {"reason": "Spam", "block": False}),
    ],
)
def test_a_stranger_gets_404_on_someone_else_s_ask(client, ask, mallory, method, action, payload):
    """Given Leo's ask to Priya, when Mallory reads or answers it through the API, then it is
    404 (as if it did not exist) and the ask is unchanged."""
    response = api(as_member(client, mallory), method, f"/api/asks/{ask.pk}{action}", payload)

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert status_of(ask) == AskStatus.PENDING
    assert not (AskReply.objects.exists() or Report.objects.exists())


def test_my_ask_lists_hold_only_my_asks(client, ask, mallory, priya):
    """Given Leo's ask to Priya, when each lists their asks, then Priya sees it received,
    Leo sent, and Mallory sees none in either box."""
    received = api(as_member(client, priya), "get", "/api/asks?box=received").json()
    sent = api(as_member(client, ask.sender), "get", "/api/asks").json()
    assert [a["id"] for a in received] == [a["id"] for a in sent] == [ask.pk]
    as_member(client, mallory)
    assert api(client, "get", "/api/asks").json() == []
    assert api(client, "get", "/api/asks?box=received").json() == []


# --- Declining, telling more, withdrawing ---------------------------------------------------


def test_declining_with_a_reason_and_a_note_tells_the_sender(client, ask, leo, priya):
    """Given Leo's ask, when Priya declines it as too busy with a kind note, then the ask is
    declined with both, and Leo is told and sees her note on the ask page."""
    response = api(
        as_member(client, priya),
        "post",
        f"/api/asks/{ask.pk}/decline",
        {"kind": "busy", "note": "Swamped until March, sorry. Try the SRE guild!"},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["decline_kind"]) == ("declined", "busy")
    assert body["decline_note"] == "Swamped until March, sorry. Try the SRE guild!"
    (declined,) = leo.notifications.filter(kind="ask_declined")
    assert "can't help" in declined.text
    shown = page(as_member(client, leo).get(f"/asks/{ask.pk}/"))
    assert "Too busy right now" in shown and "Swamped until March" in shown


def test_a_decline_reason_that_does_not_exist_is_422_naming_kind(client, ask, priya):
    """Given Leo's ask, when Priya declines with kind 'too_busy', then it is 422 naming kind and
    the ask still waits."""
    response = api(
        as_member(client, priya), "post", f"/api/asks/{ask.pk}/decline", {"kind": "too_busy"}
    )

    assert response.status_code == 422
    assert "kind" in response.json()["detail"]
    assert status_of(ask) == AskStatus.PENDING


def test_tell_me_more_then_the_sender_replies_and_it_waits_again(client, ask, leo, priya):
    """Given Leo's ask, when Priya asks to know more, then it waits on Leo and he is told;
    Priya cannot answer her own question; when Leo replies, it waits on Priya again, she is
    told, both replies show in order, and she can then accept."""
    as_member(client, priya)
    more = api(
        client,
        "post",
        f"/api/asks/{ask.pk}/more",
        {"text": "Which tool do you use to write the timeline?"},
    )
    assert more.json()["status"] == "more"
    (asked_more,) = leo.notifications.filter(kind="ask_more")
    assert "Which tool do you use" in asked_more.text
    assert api(client, "post", f"/api/asks/{ask.pk}/reply", {"text": "x"}).status_code == 403

    reply = api(
        as_member(client, leo),
        "post",
        f"/api/asks/{ask.pk}/reply",
        {"text": "A shared Google doc, filled in after the fact."},
    )

    assert reply.status_code == 200
    assert reply.json()["status"] == "pending"
    assert [(r["author"], r["text"]) for r in reply.json()["replies"]] == [
        ("priya", "Which tool do you use to write the timeline?"),
        ("leo", "A shared Google doc, filled in after the fact."),
    ]
    assert priya.notifications.filter(kind="ask_reply").count() == 1
    assert (
        api(as_member(client, priya), "post", f"/api/asks/{ask.pk}/accept", {}).status_code == 200
    )


def test_only_the_recipient_asks_for_more_and_only_once_at_a_time(client, ask, leo, priya):
    """Given Leo's ask, when Leo asks himself for more, then 403; when Priya asks for more twice
    before Leo answers, then the second is 409 and only one question is recorded."""
    assert (
        api(
            as_member(client, leo), "post", f"/api/asks/{ask.pk}/more", {"text": "Anything?"}
        ).status_code
        == 403
    )
    as_member(client, priya)
    assert api(client, "post", f"/api/asks/{ask.pk}/more", {"text": "Why me?"}).status_code == 200

    again = api(client, "post", f"/api/asks/{ask.pk}/more", {"text": "Why me?"})

    assert again.status_code == 409
    assert AskReply.objects.count() == 1


def test_withdrawing_closes_the_ask_and_frees_the_pair_for_a_new_one(client, ask, leo, priya):
    """Given Leo's ask to Priya, when Priya tries to withdraw it she is refused (403); when Leo
    withdraws it, Priya can no longer accept it (409), and Leo can send her a new ask."""
    assert api(as_member(client, priya), "post", f"/api/asks/{ask.pk}/withdraw").status_code == 403

    withdrawn = api(as_member(client, leo), "post", f"/api/asks/{ask.pk}/withdraw")

    assert withdrawn.json()["status"] == "withdrawn"
    late = api(as_member(client, priya), "post", f"/api/asks/{ask.pk}/accept", {})
    assert late.status_code == 409
    assert not Relationship.objects.exists()
    assert api(as_member(client, leo), "post", "/api/asks", ask_payload()).status_code == 201


# --- Reporting and blocking -----------------------------------------------------------------


def test_reporting_an_ask_records_it_blocks_the_sender_and_closes_it(client, ask, leo, priya):
    """Given Leo's waiting ask, when Priya reports it (which also blocks by default), then it
    is 201, staff have a Report with her reason, Leo is blocked, the ask is declined, and Leo
    cannot ask her again (403)."""
    response = api(
        as_member(client, priya),
        "post",
        f"/api/asks/{ask.pk}/report",
        {"reason": "Sent me the same pitch three times"},
    )

    assert response.status_code == 201
    report = Report.objects.get()
    assert (report.ask_id, report.reporter, report.reason) == (
        ask.pk,
        priya,
        "Sent me the same pitch three times",
    )
    assert Block.objects.filter(blocker=priya, blocked=leo).exists()
    assert status_of(ask) == AskStatus.DECLINED
    assert api(as_member(client, leo), "post", "/api/asks", ask_payload()).status_code == 403


def test_reporting_without_blocking_records_it_and_closes_the_ask(client, ask, leo, priya):
    """Given Leo's waiting ask, when Priya reports it without blocking, then a Report with her
    reason exists for staff, the ask is declined, Leo is not blocked, and a second report of
    the same ask is 409."""
    as_member(client, priya)
    payload = {"reason": "Felt like a sales pitch", "block": False}

    response = api(client, "post", f"/api/asks/{ask.pk}/report", payload)

    assert response.status_code == 201
    assert Report.objects.get().reason == "Felt like a sales pitch"
    assert status_of(ask) == AskStatus.DECLINED
    assert not Block.objects.exists()
    assert api(client, "post", f"/api/asks/{ask.pk}/report", payload).status_code == 409
    assert Report.objects.count() == 1


def test_the_sender_cannot_report_their_own_ask(client, ask, leo):
    """Given Leo's ask, when Leo reports it, then 403 and no report exists."""
    response = api(
        as_member(client, leo),
        "post",
        f"/api/asks/{ask.pk}/report",
        {"reason": "oops", "block": False},
    )

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_staff_see_reports_in_the_admin(client, ask, priya, make_user):
    """Given Priya reported Leo's ask, when a staff member opens the reports in the admin, then
    the report and its reason are listed."""
    services.ask_report(ask_id=ask.pk, by=priya, reason="Felt like a sales pitch", block=False)
    staff = make_user("staffer")
    staff.is_staff = staff.is_superuser = True
    staff.save()

    response = as_member(client, staff).get("/admin/connect/report/")

    assert response.status_code == 200
    assert "Felt like a sales pitch" in page(response) or "report on" in page(response)


def test_the_weekly_limit_is_documented_in_the_openapi(client):
    """Given the API schema, when a client reads POST /api/asks, then a 429 answer is listed."""
    schema = client.get("/api/openapi.json").json()

    assert "429" in schema["paths"]["/api/asks"]["post"]["responses"]


def test_blocking_someone_closes_their_waiting_ask(ask, leo, priya):
    """Given Leo's waiting ask, when Priya blocks Leo, then the ask is declined and Leo cannot
    ask her again."""
    services.block_add(by=priya, handle="@leo")

    assert status_of(ask) == AskStatus.DECLINED
    with pytest.raises(PermissionDenied):
        services.ask_send(
            sender=leo,
            recipient_handle="priya",
            message=LEO_TO_PRIYA,
            question=LEO_QUESTION,
            time_minutes=None,
        )


# --- Reminder and expiry --------------------------------------------------------------------


def test_three_days_on_the_recipient_is_reminded_once(
    leo, priya, send, django_capture_on_commit_callbacks
):
    """Given Leo's ask sent 3 days ago and still waiting, when the queued reminder runs (twice,
    as a retried task might), then Priya is reminded once that Leo is still waiting."""
    with django_capture_on_commit_callbacks(execute=True):
        ask = send(leo, priya)
    make_it_days_ago(ask, 3)

    assert run_tasks("ask_remind") == [True]
    assert tasks.ask_remind.call(ask.pk) is False

    (reminder,) = priya.notifications.filter(kind="ask_reminder")
    assert reminder.text == f"@leo is still waiting for your answer: {LEO_QUESTION}"
    assert reminder.url == f"/asks/{ask.pk}/"


def test_an_answered_ask_is_not_reminded(ask, priya):
    """Given Priya accepted Leo's ask, when the reminder runs 3 days later, then she gets no
    reminder."""
    services.ask_accept(ask_id=ask.pk, by=priya)
    make_it_days_ago(ask, 3)

    assert tasks.ask_remind.call(ask.pk) is False
    assert not priya.notifications.filter(kind="ask_reminder").exists()


def test_after_fourteen_days_an_unanswered_ask_expires_and_the_sender_is_told(ask, leo):
    """Given Leo's ask, when the expiry runs at 13 days nothing happens; when it runs at 14
    days, then the ask is expired and Leo is told whom to ask next."""
    make_it_days_ago(ask, 13)
    assert tasks.ask_expire.call(ask.pk) is False
    assert status_of(ask) == AskStatus.PENDING

    make_it_days_ago(ask, 14)

    assert tasks.ask_expire.call(ask.pk) is True
    assert status_of(ask) == AskStatus.EXPIRED
    (expired,) = leo.notifications.filter(kind="ask_expired")
    assert expired.text == "Your ask to @priya expired. Here is who to ask next."


def test_an_accepted_ask_never_expires(ask, priya):
    """Given Priya accepted Leo's ask, when the expiry runs 14 days later, then it stays
    accepted."""
    services.ask_accept(ask_id=ask.pk, by=priya)
    make_it_days_ago(ask, 15)

    assert tasks.ask_expire.call(ask.pk) is False
    assert status_of(ask) == AskStatus.ACCEPTED


def test_reminder_and_expiry_of_a_deleted_ask_do_nothing(ask):
    """Given an ask deleted before its tasks run, when they run, then nothing happens."""
    ask_id = ask.pk
    ask.delete()

    assert tasks.ask_remind.call(ask_id) is False
    assert tasks.ask_expire.call(ask_id) is False


# --- Keep going -----------------------------------------------------------------------------


@pytest.fixture
def declined(make_person, leo, priya, send):
    """Leo asked Uma and Priya about Kubernetes; Priya declined. Sam and Tara also offer
    Kubernetes; Vic offers it but is not open to mentoring."""
    sam = make_person("sam", display_name="Sam Ortiz", offers=["Kubernetes"])
    tara = make_person("tara", display_name="Tara Nguyen", offers=[("Kubernetes", 3)])
    uma = make_person("uma", display_name="Uma Das", offers=["Kubernetes"])
    make_person("vic", display_name="Vic Hale", offers=["Kubernetes"], open_to_mentor=False)
    send(
        leo,
        uma,
        question="Which Kubernetes certification did you find worth the time?",
        message="Hi Uma,\n\nI'm a student running our club's Kubernetes cluster and I'm "
        "deciding what to study this summer.\n\nThanks, Leo",
    )
    ask = send(leo, priya)
    services.ask_decline(ask_id=ask.pk, by=priya, kind="busy")
    return {"ask": ask, "sam": sam, "tara": tara}


def next_people(response) -> list[tuple[str, str]]:
    return re.findall(r'href="/asks/new/([a-z0-9_-]+)/\?from=(\d+)"', page(response))


def test_after_a_decline_the_sender_sees_who_to_ask_next(client, declined, leo):
    """Given Priya declined Leo's Kubernetes ask, when Leo opens it, then "keep going" offers
    one-click asks to Sam and Tara, carrying this ask, and not Priya (who declined), Uma
    (already asked) or Vic (not mentoring)."""
    response = as_member(client, leo).get(f"/asks/{declined['ask'].pk}/")

    assert "Keep going: who to ask next" in page(response)
    suggested = next_people(response)
    assert {handle for handle, _ in suggested} == {"sam", "tara"}
    assert {source for _, source in suggested} == {str(declined["ask"].pk)}


def test_after_an_expiry_the_sender_also_sees_who_to_ask_next(
    client, leo, priya, send, make_person
):
    """Given Leo's ask to Priya expired, when he opens it, then Sam (who also offers
    Kubernetes) is suggested and Priya is not."""
    make_person("sam", display_name="Sam Ortiz", offers=["Kubernetes"])
    ask = send(leo, priya)
    make_it_days_ago(ask, 14)
    services.ask_expire(ask_id=ask.pk)

    response = as_member(client, leo).get(f"/asks/{ask.pk}/")

    assert [handle for handle, _ in next_people(response)] == ["sam"]


def test_the_recipient_never_sees_keep_going(client, declined, priya):
    """Given Priya declined Leo's ask, when she opens it, then she sees no suggestions."""
    response = as_member(client, priya).get(f"/asks/{declined['ask'].pk}/")

    assert "Keep going" not in page(response)
    assert next_people(response) == []


def test_a_new_ask_from_a_declined_one_keeps_its_context(client, declined, leo):
    """Given Leo's declined ask, when he follows "Ask Sam" (?from=<ask>), then the composer
    holds his question, time and skill, and his message greeting Sam instead of Priya."""
    source = declined["ask"]

    response = as_member(client, leo).get(f"/asks/new/sam/?from={source.pk}")

    assert response.status_code == 200
    form = response.context["form"]
    assert form["question"].value() == LEO_QUESTION
    assert (form["time_minutes"].value(), form["skill"].value()) == (30, "Kubernetes")
    message = form["message"].value()
    assert message.startswith("Hi Sam,\n\n")
    assert "Priya" not in message.split("\n", 1)[0]
    assert "second-year CS student" in message
    assert f'value="{LEO_QUESTION}"' in page(response)


def test_context_is_kept_when_the_greeting_shares_a_line_with_the_introduction(
    client, leo, priya, send, make_person
):
    """Given Leo's declined ask whose first line is "Hi Priya, I'm Leo, a second-year CS
    student at TU Delft.", when he starts a new ask to Sam from it, then his introduction is
    still in the message."""
    make_person("sam", display_name="Sam Ortiz", offers=["Kubernetes"])
    message = LEO_TO_PRIYA.replace(
        "Hi Priya,\n\nI'm Leo, a second-year CS student.",
        "Hi Priya, I'm Leo, a second-year CS student at TU Delft.\n\n",
    )
    ask = send(leo, priya, message=message)
    services.ask_decline(ask_id=ask.pk, by=priya)

    response = as_member(client, leo).get(f"/asks/new/sam/?from={ask.pk}")

    assert "second-year CS student at TU Delft" in response.context["form"]["message"].value()


def test_someone_else_s_ask_is_not_copied_into_a_composer(client, declined, priya, mallory):
    """Given Leo's declined ask, when Priya (its recipient) or Mallory open a composer with
    ?from=<that ask>, then the composer is empty: nobody copies another person's ask."""
    for member in (priya, mallory):
        response = as_member(client, member).get(f"/asks/new/sam/?from={declined['ask'].pk}")

        assert response.status_code == 200
        assert response.context["form"]["question"].value() is None


# --- Pages: composer, ask page, relationships -----------------------------------------------


def test_the_composer_live_check_returns_the_findings_partial(client, leo, priya):
    """Given Leo typing to Priya, when the composer posts what he has so far, then the answer
    is the findings fragment (not a whole page): a referral draft is "not ready yet" and says
    why; his good draft is "ready to send"."""
    as_member(client, leo)
    draft = {"message": "Hi Priya, could you refer me for a job at Northwind?", "question": ""}

    bad = client.post("/asks/new/priya/check/", draft, HTTP_HX_REQUEST="true")
    good = client.post(
        "/asks/new/priya/check/",
        {"message": LEO_TO_PRIYA, "question": LEO_QUESTION, "time_minutes": "30"},
    )

    assert bad.status_code == good.status_code == 200
    assert "<html" not in page(bad) and "<html" not in page(good)
    assert "not ready yet" in page(bad)
    assert "Asking for a job or a referral in a first message puts people off." in page(bad)
    assert 'class="badge sev-block"' in page(bad)
    assert "ready to send" in page(good) and "not ready" not in page(good)


def test_the_live_check_for_someone_you_cannot_see_is_404(client, api_leo_priya_hidden):
    """Given Priya hidden from Leo, when the composer checks a draft to her, then 404."""
    assert client.post("/asks/new/priya/check/", {"message": "Hi"}).status_code == 404


def test_a_signed_message_is_not_told_to_sign_off(client, leo, priya):
    """Given Leo's draft ending "Thanks, Leo" and his question in the question box, when the
    composer checks it, then it does not ask him to close with thanks; without the sign-off
    it does, and without the question box the draft has no question."""
    as_member(client, leo)
    unsigned = LEO_TO_PRIYA.removesuffix("Thanks, Leo")

    signed = client.post(
        "/asks/new/priya/check/", {"message": LEO_TO_PRIYA, "question": LEO_QUESTION}
    )
    not_signed = client.post(
        "/asks/new/priya/check/", {"message": unsigned, "question": LEO_QUESTION}
    )
    no_question = client.post("/asks/new/priya/check/", {"message": LEO_TO_PRIYA})

    assert "Close with thanks" not in page(signed) and "Good ask." in page(signed)
    assert "Close with thanks" in page(not_signed)
    assert "There is no question in it." in page(no_question)


def test_sending_from_the_composer_and_a_double_submit(client, leo, priya):
    """Given Leo's good draft to Priya, when he submits it, then he lands on the new ask with
    "Sent to Priya Raman."; when the same form is submitted again, then the composer says he
    already has an open ask to her, and there is one ask."""
    form = {
        "message": LEO_TO_PRIYA,
        "question": LEO_QUESTION,
        "time_minutes": "30",
        "offer_back": "Notes from our club's reviews",
        "skill": "Kubernetes",
    }
    as_member(client, leo)

    sent = client.post("/asks/new/priya/", form, follow=True)
    again = client.post("/asks/new/priya/", form)

    ask = Ask.objects.get()
    assert sent.redirect_chain == [(f"/asks/{ask.pk}/", 302)]
    assert "Sent to Priya Raman." in page(sent)
    assert again.status_code == 400
    assert "already have an open ask to @priya" in page(again)
    assert Ask.objects.count() == 1


def test_the_composer_refuses_a_blocked_draft_and_keeps_it(client, leo, priya):
    """Given Leo's referral draft, when he submits it, then the composer (400) shows the
    finding beside his message, keeps what he wrote, and nothing is sent."""
    as_member(client, leo)

    response = client.post("/asks/new/priya/", {"message": REFERRAL, "question": "Could you?"})

    assert response.status_code == 400
    assert "Asking for a job or a referral" in page(response)
    assert "open SRE role" in page(response)
    assert not Ask.objects.exists()


def test_the_composer_refuses_asking_yourself(client, leo):
    """Given Leo on his own composer, when he sends, then it says he cannot ask himself."""
    as_member(client, leo)

    response = client.post("/asks/new/leo/", {"message": LEO_TO_PRIYA, "question": LEO_QUESTION})

    assert response.status_code == 400
    assert "You cannot ask yourself." in page(response)
    assert not Ask.objects.exists()


def test_the_ask_page_offers_each_person_their_own_actions(client, ask, leo, priya):
    """Given Leo's waiting ask, when Priya opens it she can accept, ask for more, decline or
    report; when Leo opens it he can only withdraw."""
    for_priya = page(as_member(client, priya).get(f"/asks/{ask.pk}/"))
    for_leo = page(as_member(client, leo).get(f"/asks/{ask.pk}/"))

    for action in ("accept", "more", "decline", "report"):
        assert f'action="/asks/{ask.pk}/{action}/"' in for_priya
        assert f'action="/asks/{ask.pk}/{action}/"' not in for_leo
    assert f'action="/asks/{ask.pk}/withdraw/"' in for_leo
    assert f'action="/asks/{ask.pk}/withdraw/"' not in for_priya
    assert LEO_QUESTION in for_priya and "From Leo Park @leo" in for_priya


def test_the_ask_page_shows_times_in_the_viewer_s_time_zone(client, ask, priya):
    """Given Priya in Auckland and Leo's ask sent, and his reply written, at 20:00 UTC on
    10 January 2025, when she opens the ask, then she sees them on 11 January at 09:00."""
    people.profile_update(user=priya, changes={"timezone": "Pacific/Auckland"})
    services.ask_more(ask_id=ask.pk, by=priya, text="For the club or for work?")
    services.ask_reply(ask_id=ask.pk, by=ask.sender, text="For the club.")
    evening = datetime(2025, 1, 10, 20, 0, tzinfo=UTC)
    Ask.objects.filter(pk=ask.pk).update(created_at=evening)
    AskReply.objects.update(created_at=evening)

    shown = page(as_member(client, priya).get(f"/asks/{ask.pk}/"))

    assert "sent 11 Jan 2025" in shown
    assert "11 Jan 09:00" in shown


def test_accepting_on_the_page_goes_to_the_relationship(client, ask, priya):
    """Given Leo's ask, when Priya clicks Accept, then she lands on the new relationship with
    a note to agree on a time; clicking again brings her back to the ask saying it is already
    accepted, with still one relationship."""
    as_member(client, priya)

    accepted = client.post(f"/asks/{ask.pk}/accept/", follow=True)
    again = client.post(f"/asks/{ask.pk}/accept/", follow=True)

    relationship = Relationship.objects.get()
    assert accepted.redirect_chain == [(f"/relationships/{relationship.pk}/", 302)]
    assert "Agree on a time" in page(accepted)
    assert again.redirect_chain == [(f"/asks/{ask.pk}/", 302)]
    assert "Nothing changed: this ask is now “Accepted”." in page(again)
    assert Relationship.objects.count() == 1


def test_the_sender_clicking_accept_is_told_no_and_nothing_changes(client, ask, leo):
    """Given Leo's ask, when Leo posts the accept form on it, then he is back on the ask told
    only the person asked can accept, and it still waits."""
    response = as_member(client, leo).post(f"/asks/{ask.pk}/accept/", follow=True)

    assert "Only the person asked can accept." in page(response)
    assert status_of(ask) == AskStatus.PENDING


def test_declining_and_telling_more_on_the_page(client, ask, leo, priya):
    """Given Leo's ask, when Priya sends "Tell me more" empty she is told the field is
    required and nothing changes; with a question, Leo sees the reply form and answers;
    then Priya declines it as not her area with a note."""
    as_member(client, priya)
    empty = client.post(f"/asks/{ask.pk}/more/", {"text": "  "}, follow=True)
    assert "This field is required." in page(empty)
    assert status_of(ask) == AskStatus.PENDING
    client.post(f"/asks/{ask.pk}/more/", {"text": "Is this for the club or for work?"})

    for_leo = page(as_member(client, leo).get(f"/asks/{ask.pk}/"))
    assert f'action="/asks/{ask.pk}/reply/"' in for_leo
    assert "Is this for the club or for work?" in for_leo
    client.post(f"/asks/{ask.pk}/reply/", {"text": "For the club."})
    as_member(client, priya)
    client.post(f"/asks/{ask.pk}/decline/", {"kind": "not_my_area", "note": "Ask Sam."})

    ask.refresh_from_db()
    assert (ask.status, ask.decline_kind, ask.decline_note) == (
        "declined",
        "not_my_area",
        "Ask Sam.",
    )


def test_an_unknown_action_is_404(client, ask, priya):
    """Given Leo's ask, when Priya posts an action that does not exist, then 404."""
    assert as_member(client, priya).post(f"/asks/{ask.pk}/promote/").status_code == 404


@pytest.fixture
def relationship(ask, priya):
    return services.ask_accept(ask_id=ask.pk, by=priya)


def test_both_people_record_what_they_give_and_get(client, relationship, leo, priya):
    """Given Priya accepted Leo's ask, when Leo saves what he gives and gets and sets the
    relationship active every 14 days, then Priya's page shows his words beside hers and the
    new status, and her own side is untouched."""
    as_member(client, leo)
    assert relationship.topic in page(client.get("/relationships/"))

    saved = client.post(
        f"/relationships/{relationship.pk}/",
        {
            "topic": "Incident reviews for the club",
            "status": "active",
            "cadence_days": "14",
            "gives": "Notes from our club reviews",
            "gets": "Feedback on our template",
        },
    )
    api(
        as_member(client, priya),
        "patch",
        f"/api/relationships/{relationship.pk}",
        {"gives": "Two reviews I ran at Northwind"},
    )

    assert saved.status_code == 302
    shown = page(client.get(f"/relationships/{relationship.pk}/"))
    assert "Incident reviews for the club" in shown and "Active" in shown
    assert "gives: Notes from our club reviews" in shown
    assert "gets: Feedback on our template" in shown
    assert "give: Two reviews I ran at Northwind" in shown
    sides = dict(RelationshipSide.objects.values_list("user__handle", "gives"))
    assert sides == {
        "leo": "Notes from our club reviews",
        "priya": "Two reviews I ran at Northwind",
    }
    relationship.refresh_from_db()
    assert (relationship.status, relationship.cadence_days) == ("active", 14)


def test_a_bad_cadence_on_the_page_is_named_and_nothing_changes(client, relationship, leo):
    """Given the relationship, when Leo saves a cadence of 0 days with a new topic, then the
    form (400) names the cadence and neither change is kept."""
    response = as_member(client, leo).post(
        f"/relationships/{relationship.pk}/",
        {"topic": "New topic", "status": "active", "cadence_days": "0", "gives": "", "gets": ""},
    )

    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in page(response)
    relationship.refresh_from_db()
    assert (relationship.topic, relationship.status) == (LEO_QUESTION, "exploring")


def test_an_ended_relationship_cannot_be_reopened(client, relationship, leo):
    """Given Leo ended the relationship, when he sets it active again, then 409 and it stays
    ended."""
    as_member(client, leo)
    path = f"/api/relationships/{relationship.pk}"
    assert api(client, "patch", path, {"status": "ended"}).json()["status"] == "ended"

    reopened = api(client, "patch", path, {"status": "active"})

    assert reopened.status_code == 409
    assert api(client, "get", path).json()["status"] == "ended"


def test_one_side_cannot_write_the_other_s_gives(relationship, leo, priya):
    """Given the relationship, when Leo updates gives, then only his side changes."""
    services.relationship_update(relationship_id=relationship.pk, by=leo, gives="Club notes")

    assert RelationshipSide.objects.get(user=priya).gives == ""


# --- Another member sees nothing ------------------------------------------------------------


def test_another_member_gets_404_on_asks_and_relationships(client, relationship, ask, mallory):
    """Given Leo and Priya's ask and relationship, when Mallory opens or posts to them on the
    pages or the API, then every answer is 404 and nothing changes."""
    as_member(client, mallory)
    rel = relationship.pk

    answers = [
        client.get(f"/asks/{ask.pk}/"),
        client.post(f"/asks/{ask.pk}/decline/", {"kind": "busy"}),
        client.get(f"/relationships/{rel}/"),
        client.post(
            f"/relationships/{rel}/", {"topic": "Mine", "status": "ended", "cadence_days": "1"}
        ),
        api(client, "get", f"/api/asks/{ask.pk}"),
        api(client, "get", f"/api/relationships/{rel}"),
        api(client, "patch", f"/api/relationships/{rel}", {"status": "ended"}),
    ]

    assert [response.status_code for response in answers] == [404] * len(answers)
    assert api(client, "get", "/api/relationships").json() == []
    relationship.refresh_from_db()
    assert (relationship.status, relationship.topic) == ("exploring", LEO_QUESTION)
    assert status_of(ask) == AskStatus.ACCEPTED


def test_services_treat_a_stranger_as_not_found(ask, mallory):
    """Given Leo's ask, when Mallory's id reaches the services directly, then NotFound."""
    for act in (
        lambda: services.ask_accept(ask_id=ask.pk, by=mallory),
        lambda: services.ask_decline(ask_id=ask.pk, by=mallory),
        lambda: services.ask_withdraw(ask_id=ask.pk, by=mallory),
    ):
        with pytest.raises(NotFound):
            act()
    assert status_of(ask) == AskStatus.PENDING


# --- Bad JSON -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/api/asks", ask_payload(time_minutes="30"), "time_minutes"),
        ("/api/asks", ask_payload(time_minutes=20), "time_minutes"),
        ("/api/asks", ask_payload(message=42), "message"),
        ("/api/asks", ask_payload(recipient=["priya"]), "recipient"),
        ("/api/asks", ask_payload(question=""), "question"),
        ("/api/asks", ask_payload(offer_back="x" * 301), "offer_back"),
        ("/api/asks", ask_payload(urgent=True), "urgent"),
        (
            "/api/asks/check",
            {"recipient": "priya", "message": "Hi", "time_minutes": "half"},
            "time_minutes",
        ),
        ("/api/asks/check", {"recipient": "priya", "message": None}, "message"),
    ],
    ids=[
        "minutes-as-text",
        "minutes-not-offered",
        "message-number",
        "recipient-list",
        "question-empty",
        "offer-back-too-long",
        "unknown-field",
        "check-minutes-text",
        "check-message-null",
    ],
)
def test_wrong_json_is_422_naming_the_field_and_writes_nothing(
    client, leo, priya, path, payload, field
):
    """Given Leo, when he posts JSON with a wrong type or value, then it is 422 naming the
    field, and nothing is written."""
    response = api(as_member(client, leo), "post", path, payload)

    assert response.status_code == 422
    assert response.json()["error"] == "invalid"
    assert field in response.json()["detail"]
    assert nothing_was_written()


def test_a_relationship_patch_with_a_wrong_type_is_422(client, relationship, leo):
    """Given the relationship, when Leo PATCHes cadence_days "monthly", then 422 naming
    cadence_days and nothing changes."""
    response = api(
        as_member(client, leo),
        "patch",
        f"/api/relationships/{relationship.pk}",
        {"cadence_days": "monthly", "status": "active"},
    )

    assert response.status_code == 422
    assert "cadence_days" in response.json()["detail"]
    relationship.refresh_from_db()
    assert (relationship.cadence_days, relationship.status) == (30, "exploring")


def test_the_service_refuses_a_time_that_is_not_offered(leo, priya, send):
    """Given the service called directly, when the time is 90 minutes, then it names the field."""
    with pytest.raises(DomainError) as error:
        send(leo, priya, time_minutes=90)

    assert error.value.field == "time_minutes"
    assert not Ask.objects.exists()


def test_the_service_limit_error_is_a_toomany(make_user, leo, priya, send):
    """Given 10 asks this week, when the service sends an 11th, then TooMany (429)."""
    for n in range(10):
        ask_row(leo, make_user(f"other{n}"), n)

    with pytest.raises(TooMany) as error:
        send(leo, priya)

    assert error.value.status == 429


def test_a_conflict_is_a_409(ask, priya):
    """Given an accepted ask, when it is declined, then Conflict (409)."""
    services.ask_accept(ask_id=ask.pk, by=priya)

    with pytest.raises(Conflict) as error:
        services.ask_decline(ask_id=ask.pk, by=priya)

    assert error.value.status == 409
    assert status_of(ask) == AskStatus.ACCEPTED


# --- Lists and the menu ---------------------------------------------------------------------


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_ask_and_relationship_lists_cost_the_same_queries_for_one_or_many(client, make_user, leo):
    """Given Leo with one sent ask, one received ask and one relationship, when the lists are
    read, then with four of each they take the same number of queries (no N+1)."""
    others = [make_user(f"peer{n}") for n in range(4)]
    as_member(client, leo)

    def add(n):
        ask_row(leo, others[n], n)
        ask_row(others[n], leo, n)
        services.relationship_start(one=leo, other=others[n], topic=f"Topic {n}")

    add(0)
    one = [queries_for(client, p) for p in ("/asks/", "/asks/?box=received", "/relationships/")]
    for n in (1, 2, 3):
        add(n)
    many = [queries_for(client, p) for p in ("/asks/", "/asks/?box=received", "/relationships/")]

    assert one == many


def test_the_menu_counts_asks_waiting_for_my_answer(client, ask, priya, leo):
    """Given Leo's ask to Priya, when Priya opens any page, then the menu shows 1 ask waiting
    and links to her received asks; Leo's menu shows none; once she answers, hers shows none."""
    assert 'title="1 waiting for your answer"' in page(as_member(client, priya).get("/asks/"))
    assert "waiting for your answer" not in page(as_member(client, leo).get("/asks/"))

    services.ask_decline(ask_id=ask.pk, by=priya)

    assert "waiting for your answer" not in page(as_member(client, priya).get("/asks/"))


def test_the_asks_page_shows_my_outreach_numbers(client, leo, priya, make_user):
    """Given Leo's asks: one accepted, one declined, one expired, one waiting, when he opens
    his asks, then the numbers and a 67% response rate show."""
    for n, status in enumerate(["accepted", "declined", "expired", "pending"]):
        ask_row(leo, make_user(f"asked{n}"), n, status=status)

    shown = page(as_member(client, leo).get("/asks/"))

    for number, label in [
        (4, "sent"),
        (1, "waiting"),
        (1, "accepted"),
        (1, "declined"),
        (1, "expired"),
        ("67%", "response rate"),
    ]:
        assert f"<strong>{number}</strong> {label}" in shown
