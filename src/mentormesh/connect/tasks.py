"""Timed work for asks (django-tasks; run `mentormesh db_worker`)."""

from django_tasks import task

from mentormesh.connect import services


@task()
def ask_remind(ask_id: int) -> bool:
    return services.ask_remind(ask_id=ask_id)


@task()
def ask_expire(ask_id: int) -> bool:
    return services.ask_expire(ask_id=ask_id)
