"""Notifications: always in the app (with the unread count beside the bell), by email as each
person chooses: each one as it happens, one daily digest, or none."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from mentormesh.connect import services as connect
from mentormesh.errors import DomainError
from mentormesh.notifications import services
from mentormesh.notifications.models import EmailMode, Notification, NotificationSettings
from mentormesh.people import services as people


@pytest.fixture
def nina(make_user):
    return make_user("nina", display_name="Nina Berg")


@pytest.fixture
def omar(make_user):
    return make_user("omar", display_name="Omar Haddad")


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    """Notify someone and let the transaction commit, so the email work gets queued."""

    def send(user, text, *, url="", kind="test"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.notify(user=user, kind=kind, text=text, url=url)

    return send


def queued(name: str) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path=f"mentormesh.notifications.tasks.{name}").order_by(
            "enqueued_at"
        )
    )


def run_queued(name: str) -> list:
    """Run every queued task of this name as the worker would; their return values."""
    return [
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]) for row in queued(name)
    ]


def page(response) -> str:
    return response.content.decode()


def bell(html: str) -> str:
    """The bell link in the menu."""
    return re.search(r'<a href="/notifications/" class="bell".*?</a>', html, re.S).group(0)


# --- In the app -----------------------------------------------------------------------------


def test_my_notifications_are_listed_newest_first_with_links(client, nina, omar, notify):
    """Given two notifications for Nina and one for Omar, when Nina opens her notifications,
    then she sees her two, newest first, the one with a link as a link, and not Omar's."""
    notify(nina, "@omar asks: How do you plan a first design critique?", url="/asks/7/")
    notify(nina, "@omar answered your question")
    notify(omar, "Private to Omar")
    client.force_login(nina)

    shown = page(client.get("/notifications/"))

    assert shown.index("@omar answered your question") < shown.index("@omar asks:")
    assert '<a href="/asks/7/">@omar asks: How do you plan a first design critique?</a>' in shown
    assert "Private to Omar" not in shown
    assert shown.count('class="card unread"') == 2


def test_the_bell_counts_unread_notifications(client, nina, notify):
    """Given three notifications for Nina, when she opens any page, then the bell in the menu
    says 3 unread; with none, it shows no number."""
    client.force_login(nina)
    assert "unread" not in bell(page(client.get("/asks/")))
    for n in range(3):
        notify(nina, f"Update {n}")

    menu = bell(page(client.get("/asks/")))

    assert 'aria-label="Notifications, 3 unread"' in menu
    assert '<span class="count">3</span>' in menu


def test_mark_all_read_clears_the_bell_and_only_mine(client, nina, omar, notify):
    """Given unread notifications for Nina and Omar, when Nina marks all read, then she is
    back on her list with nothing unread and no number on the bell, and Omar's stay unread."""
    notify(nina, "One")
    notify(nina, "Two")
    notify(omar, "For Omar")
    client.force_login(nina)

    response = client.post("/notifications/read/", follow=True)

    assert response.redirect_chain == [("/notifications/", 302)]
    assert 'class="card unread"' not in page(response)
    assert "unread" not in bell(page(response))
    assert omar.notifications.filter(read_at__isnull=True).count() == 1


def test_marking_one_read_touches_only_that_one_and_only_my_own(nina, omar, notify):
    """Given notifications for Nina and Omar, when Nina marks one of hers read, then only that
    one is read; when she marks Omar's by its id, then nothing changes."""
    first = notify(nina, "First")
    notify(nina, "Second")
    omars = notify(omar, "Omar's")

    assert services.notifications_read(user=nina, notification_id=first.pk) == 1
    assert services.notifications_read(user=nina, notification_id=omars.pk) == 0

    unread = set(Notification.objects.filter(read_at__isnull=True).values_list("text", flat=True))
    assert unread == {"Second", "Omar's"}


def test_the_notifications_page_needs_a_login(client):
    """Given no one logged in, when the notifications page is opened, then it sends to login."""
    response = client.get("/notifications/")

    assert response.status_code == 302
    assert response.url.startswith("/login")


def test_the_list_costs_the_same_queries_for_one_or_many(client, nina, notify):
    """Given Nina with one notification and then six, when she opens the list, then it takes
    the same number of queries."""
    client.force_login(nina)
    notify(nina, "Only one", url="/asks/1/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/notifications/").status_code == 200
        return len(captured)

    one = queries()
    for n in range(5):
        notify(nina, f"More {n}", url=f"/asks/{n}/")

    assert queries() == one


# --- Email, immediately ---------------------------------------------------------------------


def test_by_default_each_notification_is_emailed_once(nina, notify, mailoutbox, settings):
    """Given Nina with the default email setting, when she is notified, then an email task is
    queued; when it runs, she has one email with the text and the link on the site; when it
    runs again (a retry), no second email goes out."""
    settings.SITE_URL = "https://mentormesh.example"
    notification = notify(nina, "@omar asks: Which Figma plugin for tokens?", url="/asks/3/")

    assert [row.args_kwargs["args"] for row in queued("notification_email")] == [[notification.pk]]
    assert mailoutbox == []

    assert run_queued("notification_email") == [True]
    assert run_queued("notification_email") == [False]

    (email,) = mailoutbox
    assert email.to == ["nina@example.org"]
    assert email.subject == "mentormesh: @omar asks: Which Figma plugin for tokens?"
    assert "https://mentormesh.example/asks/3/" in email.body
    assert "https://mentormesh.example/notifications/" in email.body
    assert Notification.objects.get().emailed_at is not None


def test_sending_one_notification_twice_sends_one_email(nina, mailoutbox):
    """Given a notification, when notification_email_send runs twice, then one email."""
    notification = Notification.objects.create(user=nina, kind="test", text="Hello")

    assert services.notification_email_send(notification_id=notification.pk) is True
    assert services.notification_email_send(notification_id=notification.pk) is False

    assert len(mailoutbox) == 1


def test_an_ask_reaches_the_recipient_by_email(
    make_user, django_capture_on_commit_callbacks, mailoutbox
):
    """Given Priya (Kubernetes, SRE) and Leo, when Leo sends her a good ask, then after the
    queued work runs Priya has one email saying Leo asks, with the question."""
    priya = make_user("priya", display_name="Priya Raman", headline="Staff SRE at Northwind")
    people.offered_skill_set(user=priya, skill_name="Kubernetes")
    leo = make_user("leo", display_name="Leo Park")
    with django_capture_on_commit_callbacks(execute=True):
        connect.ask_send(
            sender=leo,
            recipient_handle="priya",
            message="Hi Priya,\n\nI'm a student who runs our club's Kubernetes cluster, and "
            "your headline says you do this at Northwind for real.\n\nThanks, Leo",
            question="How do you decide when a pod deserves to page someone at night?",
            time_minutes=15,
        )

    run_queued("notification_email")

    (email,) = mailoutbox
    assert email.to == ["priya@example.org"]
    assert "@leo asks: How do you decide when a pod deserves" in email.subject


# --- Email as a daily digest ----------------------------------------------------------------


def test_the_digest_batches_notifications_into_one_email_and_sends_nothing_twice(
    nina, notify, mailoutbox
):
    """Given Nina on the daily digest, when she gets three notifications, then nothing is
    emailed right away; when the digest runs (once per queued digest task), she gets one
    email listing all three in order; a later notification comes alone in the next digest."""
    services.email_mode_set(user=nina, mode=EmailMode.DIGEST)
    for text in ("@omar asks: First?", "@omar answered your question", "Reminder: Omar waits"):
        notify(nina, text, url="/asks/5/")

    assert queued("notification_email") == []
    digests = queued("digest_send")
    assert {row.run_after for row in digests} == {services.next_digest_time()}
    assert mailoutbox == []

    assert sorted(run_queued("digest_send")) == [0, 0, 3]

    (digest,) = mailoutbox
    assert digest.to == ["nina@example.org"]
    assert digest.subject == "mentormesh: 3 updates for you"
    lines = [line for line in digest.body.splitlines() if line.startswith("- ")]
    assert lines == [
        "- @omar asks: First?",
        "- @omar answered your question",
        "- Reminder: Omar waits",
    ]
    DBTaskResult.objects.all().delete()
    notify(nina, "Session tomorrow")
    assert run_queued("digest_send") == [1]
    assert len(mailoutbox) == 2
    assert mailoutbox[1].subject == "mentormesh: 1 update for you"
    assert "First?" not in mailoutbox[1].body


def test_switching_to_the_digest_does_not_resend_what_was_emailed(nina, notify, mailoutbox):
    """Given a notification already emailed immediately, when Nina switches to the digest
    and gets one more, then the digest lists only the new one."""
    notify(nina, "Emailed already")
    run_queued("notification_email")
    services.email_mode_set(user=nina, mode=EmailMode.DIGEST)

    notify(nina, "New since the switch")

    assert services.digest_send(user_id=nina.pk) == 1
    assert "Emailed already" not in mailoutbox[-1].body
    assert "New since the switch" in mailoutbox[-1].body


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2025, 3, 3, 6, 59, tzinfo=UTC), datetime(2025, 3, 3, 7, 0, tzinfo=UTC)),
        (datetime(2025, 3, 3, 7, 0, tzinfo=UTC), datetime(2025, 3, 4, 7, 0, tzinfo=UTC)),
        (datetime(2025, 3, 3, 22, 30, tzinfo=UTC), datetime(2025, 3, 4, 7, 0, tzinfo=UTC)),
        (datetime(2025, 12, 31, 8, 0, tzinfo=UTC), datetime(2026, 1, 1, 7, 0, tzinfo=UTC)),
    ],
)
def test_the_digest_goes_out_at_the_next_seven_o_clock_utc(now, expected):
    """Given a moment, when the next digest time is asked for, then it is the next 07:00 UTC."""
    assert services.next_digest_time(now) == expected


def test_a_deactivated_member_gets_no_digest(nina, notify, mailoutbox):
    """Given Nina on the digest with a waiting notification, when her account is switched off,
    then the digest sends nothing."""
    services.email_mode_set(user=nina, mode=EmailMode.DIGEST)
    notify(nina, "Waiting")
    nina.is_active = False
    nina.save()

    assert run_queued("digest_send") == [0]
    assert mailoutbox == []


# --- No email -------------------------------------------------------------------------------


def test_with_email_off_nothing_is_emailed_but_the_app_still_shows_it(
    client, nina, notify, mailoutbox
):
    """Given Nina with email off, when she is notified, then no email work is queued, a
    digest run sends nothing, and the notification is still in her list."""
    services.email_mode_set(user=nina, mode=EmailMode.OFF)

    notify(nina, "Quiet news")

    assert not DBTaskResult.objects.exists()
    assert services.digest_send(user_id=nina.pk) == 0
    assert mailoutbox == []
    client.force_login(nina)
    assert "Quiet news" in page(client.get("/notifications/"))


# --- Choosing the email mode ----------------------------------------------------------------


def test_choosing_the_digest_on_the_page_saves_it(client, nina):
    """Given Nina on her notifications page, when she chooses the daily digest, then it is
    saved, she is told so, and the page shows the digest chosen."""
    client.force_login(nina)

    response = client.post("/notifications/", {"email": "digest"}, follow=True)

    assert "Saved." in page(response)
    assert services.email_mode(nina) == EmailMode.DIGEST
    assert re.search(r'value="digest"[^>]*checked', page(response))


def test_an_invalid_mode_is_refused_and_nothing_changes(client, nina):
    """Given Nina on the digest, when the page posts the mode 'weekly', then the form names
    the problem and her setting stays the digest; the service refuses it naming the field."""
    services.email_mode_set(user=nina, mode=EmailMode.DIGEST)
    client.force_login(nina)

    response = client.post("/notifications/", {"email": "weekly"})

    assert "Select a valid choice. weekly is not one of the available choices." in page(response)
    assert services.email_mode(nina) == EmailMode.DIGEST
    with pytest.raises(DomainError) as error:
        services.email_mode_set(user=nina, mode="weekly")
    assert error.value.field == "email"
    assert "immediate, digest, off" in error.value.detail
    assert NotificationSettings.objects.get(user=nina).email == EmailMode.DIGEST


def test_a_long_text_is_cut_to_fit(nina, notify, mailoutbox):
    """Given a notification text of 400 characters, when it is recorded and emailed, then the
    stored text is its first 300 characters and the subject its first 80."""
    notification = notify(nina, "x" * 400)
    run_queued("notification_email")

    assert len(Notification.objects.get(pk=notification.pk).text) == 300
    assert mailoutbox[0].subject == "mentormesh: " + "x" * 80
