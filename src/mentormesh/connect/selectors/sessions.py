"""Reads for sessions: times that suit both people, one's sessions, feedback as each side
may see it, and how a relationship is doing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from mentormesh.connect.models import (
    HOLDING_STATUSES,
    Direction,
    Relationship,
    Session,
    SessionFeedback,
    SessionStatus,
)
from mentormesh.discover.network import weekly_windows
from mentormesh.errors import DomainError, NotFound
from mentormesh.matching.availability import common_slots, zone
from mentormesh.notifications.calendar import CalendarItem
from mentormesh.people.models import User
from mentormesh.people.services import site_url

REVEAL_AFTER = timedelta(days=7)
SESSION_MINUTES = (15, 30, 45, 60, 90, 120)
SUGGEST_DAYS = 14
# Not sooner than this from now: a slot needs time to be seen and confirmed.
SUGGEST_LEAD = timedelta(hours=12)


def in_zone(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(zone(zone_name) or UTC)


def sessions_holding(people: list[User]) -> QuerySet[Session]:
    """Proposed and confirmed sessions of any of ``people``: their time is taken."""
    ids = [person.pk for person in people]
    return Session.objects.filter(
        Q(relationship__first_id__in=ids) | Q(relationship__second_id__in=ids),
        status__in=HOLDING_STATUSES,
    )


def sessions_of(viewer: User) -> QuerySet[Session]:
    return Session.objects.filter(
        Q(relationship__first=viewer) | Q(relationship__second=viewer)
    ).select_related("relationship__first__profile", "relationship__second__profile")


def sessions_with_details(viewer: User) -> QuerySet[Session]:
    """My sessions with what their pages and the API show, in a fixed number of queries."""
    return (
        sessions_of(viewer)
        .select_related("proposed_by")
        .prefetch_related("follow_ups__owner", "feedback__author")
    )


def session_get(*, viewer: User, session_id: int) -> Session:
    session = sessions_with_details(viewer).filter(pk=session_id).first()
    if session is None:
        raise NotFound(f"No session {session_id} of yours.")
    return session


def sessions_waiting(viewer: User) -> QuerySet[Session]:
    """Times proposed to me that I have not answered: counted beside "Relationships"."""
    return (
        sessions_of(viewer)
        .filter(status=SessionStatus.PROPOSED, starts_at__gt=timezone.now())
        .exclude(proposed_by=viewer)
    )


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    mine: datetime  # in the viewer's zone
    theirs: datetime  # in the other person's zone

    @property
    def mine_end(self) -> datetime:
        return self.mine + (self.ends_at - self.starts_at)


def slots_for(
    *, viewer: User, relationship: Relationship, minutes: int, limit: int = 8
) -> list[Slot]:
    """Times in the next two weeks inside both people's weekly windows and free for both."""
    if minutes not in SESSION_MINUTES:
        raise DomainError(
            f"minutes: choose one of {', '.join(map(str, SESSION_MINUTES))}.", field="minutes"
        )
    other = relationship.other(viewer)
    now = timezone.now()
    after = now + SUGGEST_LEAD
    until = after + timedelta(days=SUGGEST_DAYS)
    busy = sessions_holding([viewer, other]).filter(ends_at__gt=after, starts_at__lt=until)
    mine_zone, their_zone = viewer.profile.timezone, other.profile.timezone
    starts = common_slots(
        (weekly_windows(viewer), mine_zone),
        (weekly_windows(other), their_zone),
        after=after,
        days=SUGGEST_DAYS,
        minutes=minutes,
        busy=list(busy.values_list("starts_at", "ends_at")),
        limit=limit,
    )
    length = timedelta(minutes=minutes)
    return [
        Slot(start, start + length, in_zone(start, mine_zone), in_zone(start, their_zone))
        for start in starts
    ]


@dataclass(frozen=True)
class FeedbackView:
    mine: SessionFeedback | None
    theirs: SessionFeedback | None  # None until revealed, even when it exists
    they_answered: bool
    reveals_at: datetime | None  # when theirs shows without mine


def feedback_for(*, viewer: User, session: Session) -> FeedbackView:
    """The viewer's own feedback, and the other side's only once both answered or a week
    after the session ended."""
    return revealed_answers(list(session.feedback.all()), viewer=viewer, ends_at=session.ends_at)


def revealed_answers(answers: list, *, viewer: User, ends_at: datetime) -> FeedbackView:
    """Two people's answers about one meeting (each with an ``author_id``): the viewer's
    own, and the other's only once both answered or a week after it ended."""
    mine = next((f for f in answers if f.author_id == viewer.pk), None)
    theirs = next((f for f in answers if f.author_id != viewer.pk), None)
    reveals_at = ends_at + REVEAL_AFTER
    revealed = (mine is not None and theirs is not None) or timezone.now() >= reveals_at
    return FeedbackView(
        mine=mine,
        theirs=theirs if revealed else None,
        they_answered=theirs is not None,
        reveals_at=None if mine else reveals_at,
    )


@dataclass(frozen=True)
class Health:
    days_quiet: int
    cadence_days: int
    state: str  # "scheduled", "on track", "due", "overdue"
    next_session: Session | None
    sessions_held: int
    # Sessions in which each side gave help, by the feedback of either side.
    i_gave: int
    they_gave: int

    @property
    def balance_known(self) -> bool:
        return bool(self.i_gave or self.they_gave)


def relationship_health(*, viewer: User, relationship: Relationship) -> Health:
    """Last contact against the agreed cadence, what is scheduled, and who gives."""
    now = timezone.now()
    sessions = list(
        relationship.sessions.filter(status__in=HOLDING_STATUSES).prefetch_related("feedback")
    )
    upcoming = [s for s in sessions if s.ends_at > now]
    held = [s for s in sessions if s.status == SessionStatus.CONFIRMED and s.ends_at <= now]
    i_gave = they_gave = 0
    for session in held:
        givers: set[int] = set()
        for answer in session.feedback.all():
            other_id = relationship.first_id + relationship.second_id - answer.author_id
            if answer.direction in (Direction.GAVE, Direction.BOTH):
                givers.add(answer.author_id)
            if answer.direction in (Direction.GOT, Direction.BOTH):
                givers.add(other_id)
        i_gave += viewer.pk in givers
        they_gave += bool(givers - {viewer.pk})
    days_quiet = (now - relationship.last_contact_at).days
    if upcoming:
        state = "scheduled"
    elif days_quiet >= relationship.cadence_days:
        state = "overdue"
    elif days_quiet >= relationship.cadence_days * 0.8:
        state = "due"
    else:
        state = "on track"
    return Health(
        days_quiet=days_quiet,
        cadence_days=relationship.cadence_days,
        state=state,
        next_session=min(upcoming, key=lambda s: s.starts_at) if upcoming else None,
        sessions_held=len(held),
        i_gave=i_gave,
        they_gave=they_gave,
    )


def calendar_item(session: Session, *, for_user: User) -> CalendarItem:
    relationship = session.relationship
    other = relationship.other(for_user)
    parts = [f"With {other.profile.display_name} (@{other.handle}) on mentormesh."]
    if session.agenda:
        parts.append(f"Agenda:\n{session.agenda}")
    return CalendarItem(
        uid=f"session-{session.uid}@mentormesh",
        title=f"{relationship.topic} — with {other.profile.display_name}",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        url=site_url(reverse("session", args=[session.pk])),
        description="\n\n".join(parts),
        location=session.place,
        tentative=session.status == SessionStatus.PROPOSED,
        cancelled=session.status == SessionStatus.CANCELLED,
        sequence=session.sequence,
    )


def calendar_items(user: User) -> list[CalendarItem]:
    """The user's sessions from a month back on, for their private calendar feed."""
    since = timezone.now() - timedelta(days=30)
    return [
        calendar_item(session, for_user=user)
        for session in sessions_of(user).filter(ends_at__gte=since)
    ]
