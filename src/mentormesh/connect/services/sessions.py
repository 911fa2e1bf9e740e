"""Writes for sessions: propose, confirm, cancel, agenda and notes, follow-ups, feedback.

No one is in two sessions at once. Proposing takes a row lock on both people (on SQLite
every write transaction is IMMEDIATE, which serializes writers the same way), then looks
for a clash and writes; a proposal holds the time until it is confirmed or cancelled.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentormesh.connect.models import (
    HOLDING_STATUSES,
    Direction,
    FollowUp,
    Session,
    SessionFeedback,
    SessionStatus,
    Useful,
)
from mentormesh.connect.selectors.sessions import (
    SESSION_MINUTES,
    in_zone,
    session_get,
    sessions_holding,
)
from mentormesh.connect.services.relationships import (
    relationship_check_later,
    relationship_live_for,
    relationship_touch,
)
from mentormesh.errors import Conflict, DomainError, NotFound, PermissionDenied
from mentormesh.notifications.services import notify
from mentormesh.people.models import User

BOOK_AHEAD = timedelta(days=365)


def _url(session: Session) -> str:
    return reverse("session", args=[session.pk])


def _when_for(session: Session, user: User) -> str:
    return in_zone(session.starts_at, user.profile.timezone).strftime("%a %-d %b %H:%M")


def _clash(people: list[User], starts_at: datetime, ends_at: datetime) -> Session | None:
    clashes = sessions_holding(people).filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    return clashes.select_related("relationship").first()


@transaction.atomic
def session_propose(
    *,
    relationship_id: int,
    by: User,
    starts_at: datetime,
    minutes: int,
    place: str = "",
    agenda: str = "",
) -> Session:
    relationship = relationship_live_for(relationship_id, by)
    if minutes not in SESSION_MINUTES:
        raise DomainError(
            f"minutes: choose one of {', '.join(map(str, SESSION_MINUTES))}.", field="minutes"
        )
    if timezone.is_naive(starts_at):
        raise DomainError("starts_at: give a time zone (for example 2026-12-01T15:00Z).",
                          field="starts_at")  # fmt: skip
    now = timezone.now()
    if starts_at <= now:
        raise DomainError("starts_at: that time has passed; pick one in the future.",
                          field="starts_at")  # fmt: skip
    if starts_at > now + BOOK_AHEAD:
        raise DomainError("starts_at: at most a year ahead.", field="starts_at")
    if len(place) > 300 or len(agenda) > 2000:
        raise DomainError("The place or agenda is too long.", field="agenda")
    ends_at = starts_at + timedelta(minutes=minutes)
    other = relationship.other(by)
    # Lock both people in id order, so two proposals for the same person wait in line.
    list(User.objects.select_for_update().filter(pk__in=[by.pk, other.pk]).order_by("pk"))
    clash = _clash([by], starts_at, ends_at)
    if clash is not None:
        raise Conflict(
            f"You already have a session then ({_when_for(clash, by)}, "
            f"“{clash.relationship.topic}”). Pick another time.",
            field="starts_at",
        )
    if _clash([other], starts_at, ends_at) is not None:
        raise Conflict(f"@{other.handle} is already booked then. Pick another time.",
                       field="starts_at")  # fmt: skip
    session = Session.objects.create(
        relationship=relationship, proposed_by=by, starts_at=starts_at, ends_at=ends_at,
        place=place.strip(), agenda=agenda.strip(),
    )  # fmt: skip
    notify(
        user=other,
        kind="session_proposed",
        text=f"@{by.handle} proposed a session on {_when_for(session, other)} "
        f"({minutes} minutes): “{relationship.topic}”",
        url=_url(session),
    )
    _after_session_later(session)
    return session


def _after_session_later(session: Session) -> None:
    from mentormesh.connect import tasks

    transaction.on_commit(
        lambda: tasks.session_after.using(run_after=session.ends_at).enqueue(session.pk)
    )


def _session_as(session_id: int, by: User) -> Session:
    return session_get(viewer=by, session_id=session_id)


def _move(session: Session, *, from_statuses, **changes) -> None:
    moved = Session.objects.filter(pk=session.pk, status__in=from_statuses)
    if not moved.update(sequence=session.sequence + 1, **changes):
        session.refresh_from_db(fields=["status"])
        raise Conflict(
            f"Nothing changed: this session is now {session.get_status_display().lower()}."
        )
    session.refresh_from_db()


@transaction.atomic
def session_confirm(*, session_id: int, by: User) -> Session:
    session = _session_as(session_id, by)
    relationship_live_for(session.relationship_id, by)
    if session.proposed_by_id == by.pk:
        other = session.relationship.other(by)
        raise PermissionDenied(f"@{other.handle} confirms the time you proposed.")
    if session.starts_at <= timezone.now():
        raise Conflict("That time has passed; propose a new one.")
    _move(session, from_statuses=[SessionStatus.PROPOSED], status=SessionStatus.CONFIRMED)
    notify(
        user=session.proposed_by,
        kind="session_confirmed",
        text=f"@{by.handle} confirmed {_when_for(session, session.proposed_by)}: "
        f"“{session.relationship.topic}”",
        url=_url(session),
    )
    return session


@transaction.atomic
def session_cancel(*, session_id: int, by: User, reason: str = "") -> Session:
    session = _session_as(session_id, by)
    if session.ends_at <= timezone.now():
        raise Conflict("This session is over; there is nothing to cancel.")
    if len(reason) > 300:
        raise DomainError("reason: at most 300 characters.", field="reason")
    _move(session, from_statuses=HOLDING_STATUSES, status=SessionStatus.CANCELLED)
    other = session.relationship.other(by)
    notify(
        user=other,
        kind="session_cancelled",
        text=f"@{by.handle} cancelled {_when_for(session, other)}"
        + (f": {reason.strip()}" if reason.strip() else "."),
        url=_url(session),
    )
    relationship_check_later(session.relationship)
    return session


@transaction.atomic
def session_update(
    *,
    session_id: int,
    by: User,
    agenda: str | None = None,
    notes: str | None = None,
    place: str | None = None,
) -> Session:
    """Either person edits the shared agenda, notes and place."""
    session = _session_as(session_id, by)
    if session.status == SessionStatus.CANCELLED:
        raise Conflict("This session was cancelled.")
    limits = {"agenda": 2000, "notes": 4000, "place": 300}
    changes = {
        name: value.strip()
        for name, value in (("agenda", agenda), ("notes", notes), ("place", place))
        if value is not None
    }
    for name, value in changes.items():
        if len(value) > limits[name]:
            raise DomainError(f"{name}: at most {limits[name]} characters.", field=name)
    changes = {name: value for name, value in changes.items() if getattr(session, name) != value}
    if changes:
        # Calendar apps show the place and agenda; a new sequence tells them to update.
        if "place" in changes or "agenda" in changes:
            changes["sequence"] = session.sequence + 1
        Session.objects.filter(pk=session.pk).update(updated_at=timezone.now(), **changes)
        session.refresh_from_db()
    return session


@transaction.atomic
def followup_add(
    *, session_id: int, by: User, text: str, owner_handle: str, due_on: date | None = None
) -> FollowUp:
    session = _session_as(session_id, by)
    relationship = session.relationship
    owners = {
        relationship.first.handle: relationship.first,
        relationship.second.handle: relationship.second,
    }
    owner = owners.get(owner_handle.lower().removeprefix("@"))
    if owner is None:
        raise DomainError(f"owner: one of @{' or @'.join(sorted(owners))}.", field="owner")
    text = text.strip()
    if not text or len(text) > 300:
        raise DomainError("text: say what is to be done, in at most 300 characters.", field="text")
    if due_on is not None and due_on < session.starts_at.date() - timedelta(days=1):
        raise DomainError("due_on: a follow-up is due after the session.", field="due_on")
    follow_up = FollowUp.objects.create(session=session, owner=owner, text=text, due_on=due_on)
    if owner.pk != by.pk:
        due = f" by {due_on:%-d %b}" if due_on else ""
        notify(user=owner, kind="followup", text=f"@{by.handle} noted for you{due}: {text}",
               url=_url(session))  # fmt: skip
    return follow_up


@transaction.atomic
def followup_done(*, followup_id: int, by: User, done: bool = True) -> FollowUp:
    follow_up = (
        FollowUp.objects.select_related("session")
        .filter(
            Q(session__relationship__first=by) | Q(session__relationship__second=by),
            pk=followup_id,
        )
        .first()
    )
    if follow_up is None:
        raise NotFound(f"No follow-up {followup_id} of yours.")
    follow_up.done_at = timezone.now() if done else None
    follow_up.save(update_fields=["done_at"])
    return follow_up


@transaction.atomic
def feedback_give(
    *,
    session_id: int,
    by: User,
    useful: str,
    direction: str,
    takeaway: str,
    change: str = "",
) -> SessionFeedback:
    """One side's feedback. The other side reads it once both have answered or a week on."""
    session = _session_as(session_id, by)
    if session.status != SessionStatus.CONFIRMED:
        raise Conflict("Feedback is for sessions that took place; this one was not confirmed.")
    if session.starts_at > timezone.now():
        raise Conflict("Give feedback once the session has started.")
    if useful not in Useful.values:
        raise DomainError(f"useful: choose one of {', '.join(Useful.values)}.", field="useful")
    if direction not in Direction.values:
        raise DomainError(f"direction: choose one of {', '.join(Direction.values)}.",
                          field="direction")  # fmt: skip
    takeaway, change = takeaway.strip(), change.strip()
    if not takeaway or len(takeaway) > 1000:
        raise DomainError("takeaway: what you took away or gave back, in at most 1000 characters.",
                          field="takeaway")  # fmt: skip
    if len(change) > 500:
        raise DomainError("change: at most 500 characters.", field="change")
    try:
        with transaction.atomic():
            feedback = SessionFeedback.objects.create(
                session=session, author=by, useful=useful, direction=direction,
                takeaway=takeaway, change=change,
            )  # fmt: skip
    except IntegrityError:
        raise Conflict("You already gave feedback on this session.") from None
    relationship_touch(session.relationship, min(session.ends_at, timezone.now()))
    other = session.relationship.other(by)
    if SessionFeedback.objects.filter(session=session).count() == 2:
        for user, author in ((other, by), (by, other)):
            notify(user=user, kind="feedback_revealed",
                   text=f"You both gave feedback: read what @{author.handle} wrote.",
                   url=_url(session))  # fmt: skip
    else:
        notify(
            user=other,
            kind="feedback_waiting",
            text=f"@{by.handle} gave feedback on your session. Give yours to read theirs.",
            url=_url(session),
        )
    return feedback


def session_after(*, session_id: int) -> bool:
    """When a confirmed session ends: it counts as contact, and both are asked for feedback."""
    session = (
        Session.objects.select_related("relationship__first", "relationship__second")
        .filter(pk=session_id, status=SessionStatus.CONFIRMED, ends_at__lte=timezone.now())
        .first()
    )
    if session is None:
        return False
    relationship_touch(session.relationship, session.ends_at)
    answered = set(session.feedback.values_list("author_id", flat=True))
    relationship = session.relationship
    for user, other in ((relationship.first, relationship.second),
                        (relationship.second, relationship.first)):  # fmt: skip
        if user.pk not in answered:
            notify(user=user, kind="feedback_request",
                   text=f"How was your session with @{other.handle}? Two minutes of feedback.",
                   url=_url(session))  # fmt: skip
    return True
