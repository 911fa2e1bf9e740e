"""Telling people what happened: in the app always, by email as each person prefers."""

from __future__ import annotations

from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from mentormesh.errors import DomainError
from mentormesh.notifications.models import EmailMode, Notification, NotificationSettings
from mentormesh.people.models import User
from mentormesh.people.services import site_url

DIGEST_HOUR_UTC = 7


def email_mode(user: User) -> str:
    settings = NotificationSettings.objects.filter(user=user).first()
    return settings.email if settings else EmailMode.IMMEDIATE


def notify(*, user: User, kind: str, text: str, url: str = "") -> Notification:
    """Record a notification; email it now or schedule the user's digest, after commit."""
    from mentormesh.notifications import tasks

    notification = Notification.objects.create(user=user, kind=kind, text=text[:300], url=url)
    mode = email_mode(user)
    if mode == EmailMode.IMMEDIATE:
        transaction.on_commit(lambda: tasks.notification_email.enqueue(notification.pk))
    elif mode == EmailMode.DIGEST:
        transaction.on_commit(
            lambda: tasks.digest_send.using(run_after=next_digest_time()).enqueue(user.pk)
        )
    return notification


def next_digest_time(now=None):
    now = now or timezone.now()
    at = now.replace(hour=DIGEST_HOUR_UTC, minute=0, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification unless it already went out; True when sent."""
    now = timezone.now()
    if not Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=now
    ):
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    link = f"\n\n{site_url(notification.url)}" if notification.url else ""
    send_mail(
        subject=f"mentormesh: {notification.text[:80]}",
        message=f"{notification.text}{link}\n\nChange what we email you: {site_url('/notifications/')}",
        from_email=None,
        recipient_list=[notification.user.email],
    )
    return True


def digest_send(*, user_id: int) -> int:
    """One email with everything not yet emailed; returns how many it listed."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or email_mode(user) != EmailMode.DIGEST:
        return 0
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update()
            .filter(user=user, emailed_at__isnull=True)
            .order_by("created_at", "pk")
        )
        if not waiting:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            emailed_at=timezone.now()
        )
    lines = "\n".join(f"- {n.text}" + (f"\n  {site_url(n.url)}" if n.url else "") for n in waiting)
    send_mail(
        subject=f"mentormesh: {len(waiting)} update{'s' if len(waiting) != 1 else ''} for you",
        message=f"Since your last digest:\n\n{lines}\n\nChange what we email you: "
        f"{site_url('/notifications/')}",
        from_email=None,
        recipient_list=[user.email],
    )
    return len(waiting)


def notifications_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) notification of the user read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def email_mode_set(*, user: User, mode: str) -> None:
    if mode not in EmailMode.values:
        raise DomainError(f"email: choose one of {', '.join(EmailMode.values)}.", field="email")
    NotificationSettings.objects.update_or_create(user=user, defaults={"email": mode})
