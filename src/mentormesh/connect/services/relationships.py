"""Writes for relationships: starting one, what each side gives and gets, health nudges."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from mentormesh.connect.models import (
    HOLDING_STATUSES,
    Ask,
    Relationship,
    RelationshipSide,
    RelationshipStatus,
    Session,
    SessionStatus,
)
from mentormesh.discover.network import network_changed
from mentormesh.errors import Conflict, DomainError, NotFound
from mentormesh.notifications.services import notify
from mentormesh.people.models import User


def relationship_start(
    *, one: User, other: User, topic: str, ask: Ask | None = None
) -> Relationship:
    """The pair's live relationship, started now unless they already have one."""
    first, second = sorted((one, other), key=lambda user: user.pk)
    live = Relationship.objects.filter(first=first, second=second).exclude(
        status=RelationshipStatus.ENDED
    )
    existing = live.first()
    if existing is not None:
        return existing
    relationship = Relationship.objects.create(
        first=first,
        second=second,
        topic=topic[:200],
        started_by_ask=ask,
        last_contact_at=timezone.now(),
    )
    RelationshipSide.objects.bulk_create(
        [RelationshipSide(relationship=relationship, user=user) for user in (first, second)]
    )
    relationship_check_later(relationship)
    return relationship


def _relationship_for(relationship_id: int, user: User) -> Relationship:
    relationship = (
        Relationship.objects.filter(Q(first=user) | Q(second=user), pk=relationship_id)
        .select_related("first__profile", "second__profile")
        .first()
    )
    if relationship is None:
        raise NotFound(f"No relationship {relationship_id} of yours.")
    return relationship


@transaction.atomic
def relationship_update(
    *,
    relationship_id: int,
    by: User,
    status: str | None = None,
    cadence_days: int | None = None,
    gives: str | None = None,
    gets: str | None = None,
    topic: str | None = None,
) -> Relationship:
    """Either person may change the status, cadence and topic, and their own gives/gets."""
    relationship = _relationship_for(relationship_id, by)
    if status is not None:
        if status not in RelationshipStatus.values:
            raise DomainError(
                f"status: choose one of {', '.join(RelationshipStatus.values)}.", field="status"
            )
        if relationship.status == RelationshipStatus.ENDED and status != RelationshipStatus.ENDED:
            raise Conflict("This relationship has ended; start a new one with a new ask.")
        if status == RelationshipStatus.ENDED:
            # Its coming sessions no longer hold either person's time.
            Session.objects.filter(
                relationship=relationship, status__in=HOLDING_STATUSES, ends_at__gt=timezone.now()
            ).update(status=SessionStatus.CANCELLED, sequence=F("sequence") + 1)
        relationship.status = status
    if cadence_days is not None:
        if not 1 <= cadence_days <= 365:
            raise DomainError("cadence_days: between 1 and 365.", field="cadence_days")
        if cadence_days != relationship.cadence_days:
            relationship.cadence_days = cadence_days
            relationship_check_later(relationship)
    if topic is not None:
        if not topic.strip() or len(topic) > 200:
            raise DomainError("topic: 1 to 200 characters.", field="topic")
        relationship.topic = topic.strip()
    relationship.save()
    side_changes = {
        name: value.strip()
        for name, value in (("gives", gives), ("gets", gets))
        if value is not None
    }
    for name, value in side_changes.items():
        if len(value) > 300:
            raise DomainError(f"{name}: at most 300 characters.", field=name)
    if side_changes:
        RelationshipSide.objects.filter(relationship=relationship, user=by).update(**side_changes)
    network_changed()
    return relationship


def relationship_live_for(relationship_id: int, user: User) -> Relationship:
    """One of the user's relationships that is not over: sessions and notes need one."""
    relationship = _relationship_for(relationship_id, user)
    if relationship.status == RelationshipStatus.ENDED:
        raise Conflict("This relationship has ended; start a new one with a new ask.")
    return relationship


def relationship_check_later(relationship: Relationship) -> None:
    """Queue a look at the relationship for when it would be overdue (after commit)."""
    _check_at(
        relationship, relationship.last_contact_at + timedelta(days=relationship.cadence_days)
    )


def _check_at(relationship: Relationship, when) -> None:
    from mentormesh.connect import tasks

    when = max(when, timezone.now())
    transaction.on_commit(
        lambda: tasks.relationship_nudge.using(run_after=when).enqueue(relationship.pk)
    )


def relationship_touch(relationship: Relationship, at) -> None:
    """Record contact at ``at`` (never moving it back) and look again a cadence later."""
    Relationship.objects.filter(pk=relationship.pk, last_contact_at__lt=at).update(
        last_contact_at=at
    )
    relationship.refresh_from_db(fields=["last_contact_at"])
    relationship_check_later(relationship)


def relationship_nudge(*, relationship_id: int) -> bool:
    """Tell both people when a live relationship has gone quiet: no contact for longer
    than the cadence they agreed and nothing scheduled. Once per quiet spell."""
    now = timezone.now()
    relationship = (
        Relationship.objects.select_related("first", "second")
        .filter(
            pk=relationship_id, status__in=[RelationshipStatus.EXPLORING, RelationshipStatus.ACTIVE]
        )
        .first()
    )
    if relationship is None:
        return False
    quiet_since = relationship.last_contact_at
    if now - quiet_since < timedelta(days=relationship.cadence_days):
        return False
    coming = Session.objects.filter(
        relationship=relationship, status__in=HOLDING_STATUSES, ends_at__gt=now
    ).aggregate(last_end=Max("ends_at"))["last_end"]
    if coming is not None:
        # Look again once it is over: a proposal nobody answers must not silence the nudge.
        _check_at(relationship, coming)
        return False
    already = Q(nudged_at__isnull=False) & Q(nudged_at__gte=quiet_since)
    if not Relationship.objects.filter(pk=relationship.pk).exclude(already).update(nudged_at=now):
        return False
    days = (now - quiet_since).days
    url = reverse("session-new", args=[relationship.pk])
    for user, other in (
        (relationship.first, relationship.second),
        (relationship.second, relationship.first),
    ):
        notify(
            user=user,
            kind="relationship_quiet",
            text=f"It has been {days} days since you and @{other.handle} met (you agreed every "
            f"{relationship.cadence_days}). Propose a time?",
            url=url,
        )
    return True
