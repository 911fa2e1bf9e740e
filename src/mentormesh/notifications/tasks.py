"""Timed and background work for notifications (django-tasks; run `mentormesh db_worker`)."""

from django_tasks import task

from mentormesh.notifications import services


@task()
def notification_email(notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)


@task()
def digest_send(user_id: int) -> int:
    return services.digest_send(user_id=user_id)
