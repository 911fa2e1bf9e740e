"""Plain helpers for the connect tests: a good message, JSON calls, running enqueued tasks."""

import json
from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mentormesh.connect import services
from mentormesh.connect.models import Ask

JSON = "application/json"

# Leo, a student, writes to Priya about her post and her skill; the checker finds it ready.
LEO_TO_PRIYA = (
    "Hi Priya,\n\n"
    "I'm Leo, a second-year CS student. I read your post on blameless incident reviews: our "
    "student club runs its hackathon infrastructure on Kubernetes and our first outage review "
    "turned into finger-pointing.\n\n"
    "Thanks, Leo"
)
LEO_QUESTION = "How did you get engineers to write honest timelines in your first review?"


def as_member(client, user):
    client.force_login(user)
    return client


def api(client, method: str, path: str, payload=None):
    """A JSON request: api(client, "post", "/api/asks", {...})."""
    if payload is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, json.dumps(payload), content_type=JSON)


def tasks_named(name: str) -> list[DBTaskResult]:
    """Enqueued django-tasks rows for one task function, oldest first."""
    return list(DBTaskResult.objects.filter(task_path__endswith=f".{name}").order_by("enqueued_at"))


def run_tasks(name: str) -> list:
    """Run every enqueued task of this name the way the worker would; their return values."""
    return [
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        for row in tasks_named(name)
    ]


def make_it_days_ago(ask: Ask, days: float) -> None:
    """Move an ask back in time: it was created `days` ago and expires 14 days after that."""
    created = timezone.now() - timedelta(days=days)
    Ask.objects.filter(pk=ask.pk).update(
        created_at=created, expires_at=created + services.EXPIRE_AFTER
    )
