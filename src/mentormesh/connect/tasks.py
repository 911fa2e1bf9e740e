"""Timed work for asks, sessions and relationships (django-tasks; run `mentormesh db_worker`)."""

from django_tasks import task

from mentormesh.connect import services


@task()
def ask_remind(ask_id: int) -> bool:
    return services.ask_remind(ask_id=ask_id)


@task()
def ask_expire(ask_id: int) -> bool:
    return services.ask_expire(ask_id=ask_id)


@task()
def session_after(session_id: int) -> bool:
    return services.session_after(session_id=session_id)


@task()
def relationship_nudge(relationship_id: int) -> bool:
    return services.relationship_nudge(relationship_id=relationship_id)
