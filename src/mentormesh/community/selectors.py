"""Reads for events; every one is limited to what the viewer may see. An organization's
event is seen by its members only; an anonymous question's author by no one but staff in
the admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from mentormesh.community.models import (
    Event,
    EventKind,
    MixerGroup,
    MixerOptIn,
    MixerRound,
    Panelist,
    Post,
    PostStatus,
    Question,
    Rsvp,
    RsvpStatus,
    Vote,
)
from mentormesh.connect.selectors.intros import contact_ids
from mentormesh.errors import NotFound
from mentormesh.notifications.calendar import CalendarItem
from mentormesh.people.models import Membership, Profile, User
from mentormesh.people.selectors import profiles_visible_to
from mentormesh.people.services import site_url

FOLLOW_UP_WITH = 6


def events_visible_to(viewer: User) -> QuerySet[Event]:
    mine = Membership.objects.filter(user=viewer).values("organization_id")
    return Event.objects.filter(
        Q(organization__isnull=True) | Q(organization_id__in=mine)
    ).select_related("host__profile", "organization")


def events_upcoming(viewer: User) -> QuerySet[Event]:
    return (
        events_visible_to(viewer)
        .filter(ends_at__gt=timezone.now(), cancelled_at__isnull=True)
        .prefetch_related("skills")
    )


def event_get(*, viewer: User, event_id: int) -> Event:
    event = events_visible_to(viewer).filter(pk=event_id).first()
    if event is None:
        raise NotFound(f"No event {event_id} that you can see.")
    return event


def question_get(*, viewer: User, question_id: int) -> Question:
    question = (
        Question.objects.filter(event__in=events_visible_to(viewer), pk=question_id)
        .select_related("event")
        .first()
    )
    if question is None:
        raise NotFound(f"No question {question_id} that you can see.")
    return question


@dataclass(frozen=True)
class Seats:
    going: int
    waitlist: int
    capacity: int
    mine: str | None  # my RSVP status, if any

    @property
    def left(self) -> int:
        return max(self.capacity - self.going, 0)


def with_seats(events: QuerySet[Event], viewer: User) -> QuerySet[Event]:
    """Events with their seat counts, the viewer's RSVP, skills and panelists, in a fixed
    number of queries however many events there are."""
    mine = Rsvp.objects.filter(event=OuterRef("pk"), user=viewer).values("status")[:1]
    return events.annotate(
        n_going=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.GOING), distinct=True),
        n_waiting=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.WAITLIST), distinct=True),
        my_rsvp=Subquery(mine),
    ).prefetch_related("skills", "panelists__user")


def event_with_seats(*, viewer: User, event_id: int) -> Event:
    event = with_seats(events_visible_to(viewer).filter(pk=event_id), viewer).first()
    if event is None:
        raise NotFound(f"No event {event_id} that you can see.")
    return event


def seats_of(event: Event) -> Seats:
    """Seats of an event read through ``with_seats``."""
    mine = event.my_rsvp
    return Seats(
        going=event.n_going,
        waitlist=event.n_waiting,
        capacity=event.capacity,
        mine=None if mine in (None, RsvpStatus.CANCELLED) else mine,
    )


def waitlist_position(*, event: Event, viewer: User) -> int | None:
    mine = Rsvp.objects.filter(event=event, user=viewer, status=RsvpStatus.WAITLIST).first()
    if mine is None:
        return None
    ahead = Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLIST).filter(
        Q(joined_at__lt=mine.joined_at) | Q(joined_at=mine.joined_at, pk__lt=mine.pk)
    )
    return ahead.count() + 1


@dataclass(frozen=True)
class BoardQuestion:
    id: int
    text: str
    votes: int
    voted: bool
    mine: bool
    # None when anonymous: the page and the API never carry an anonymous author.
    author: Profile | None
    anonymous: bool
    answered: bool
    answer: str


def board(*, event: Event, viewer: User) -> list[BoardQuestion]:
    """The questions on the board, most votes first (then oldest), without hidden or merged
    ones. An anonymous question's author is left out; the viewer's own are marked."""
    rows = (
        Question.objects.filter(event=event, hidden_at__isnull=True, merged_into__isnull=True)
        .annotate(
            n_votes=Count("votes"),
            voted=Exists(Vote.objects.filter(question=OuterRef("pk"), user=viewer)),
        )
        .select_related("author__profile")
        # Still to answer first, most votes on top; answered ones follow.
        .order_by(F("answered_at").asc(nulls_first=True), "-n_votes", "created_at", "pk")
    )
    return [
        BoardQuestion(
            id=q.pk,
            text=q.text,
            votes=q.n_votes,
            voted=q.voted,
            mine=q.author_id == viewer.pk,
            author=None if q.anonymous else q.author.profile,
            anonymous=q.anonymous,
            answered=q.answered_at is not None,
            answer=q.answer,
        )
        for q in rows
    ]


def has_link(event: Event, viewer: User) -> bool:
    """The online link is for people going, the host and the panelists."""
    return (
        viewer.pk == event.host_id
        or event.panelists.filter(user=viewer).exists()
        or event.rsvps.filter(user=viewer, status=RsvpStatus.GOING).exists()
    )


def board_open(event: Event) -> bool:
    """A panel's board takes questions and votes from its announcement until the host closes
    it or the event ends."""
    return (
        event.kind == EventKind.PANEL
        and not event.board_closed_at
        and not event.cancelled_at
        and event.ends_at > timezone.now()
    )


def is_panelist(event: Event, user: User) -> bool:
    return Panelist.objects.filter(event=event, user=user).exists()


def panelists_of(event: Event) -> list[Profile]:
    return list(
        Profile.objects.filter(user__in=event.panelists.values("user")).select_related("user")
    )


# Why someone is worth following up with: (for the page, "They …"; for my message to them).
WHY = {
    "host": ("hosted it", "which you hosted"),
    "panel": ("sat on the panel", "where you were on the panel"),
    "asked": (
        "asked a question you cared about too",
        "where you asked a question I cared about too",
    ),
    "voted": ("voted for the same questions", "where we voted for the same questions"),
}


@dataclass(frozen=True)
class FollowUp:
    profile: Profile
    reason: str  # a key of WHY

    @property
    def why(self) -> str:
        return WHY[self.reason][0]

    @property
    def opener(self) -> str:
        return WHY[self.reason][1]


def follow_up_suggestions(*, event: Event, viewer: User) -> list[FollowUp]:
    """After an event, the people worth following up with: the host, the panelists, and
    people who asked (by name) or voted on the questions the viewer asked or voted on. Only
    for people who were there, and only once it took place."""
    if event.ends_at > timezone.now() or event.cancelled_at:
        return []
    was_there = (
        viewer.pk == event.host_id
        or event.panelists.filter(user=viewer).exists()
        or event.rsvps.filter(user=viewer, status=RsvpStatus.GOING).exclude(attended=False).exists()
    )
    if not was_there:
        return []
    reasons: dict[int, str] = {event.host_id: "host"}
    for user_id in event.panelists.values_list("user_id", flat=True):
        reasons.setdefault(user_id, "panel")
    my_questions = Question.objects.filter(event=event).filter(
        Q(author=viewer) | Q(votes__user=viewer)
    )
    for user_id in (
        Question.objects.filter(pk__in=my_questions.values("pk"), anonymous=False)
        .exclude(author=viewer)
        .values_list("author_id", flat=True)
    ):
        reasons.setdefault(user_id, "asked")
    for user_id in Vote.objects.filter(question__in=my_questions).values_list("user_id", flat=True):
        reasons.setdefault(user_id, "voted")
    reasons.pop(viewer.pk, None)
    profiles = profiles_visible_to(viewer).filter(user_id__in=reasons).select_related("user")
    order = list(reasons)
    found = sorted(profiles, key=lambda p: order.index(p.user_id))
    return [FollowUp(p, reasons[p.user_id]) for p in found][:FOLLOW_UP_WITH]


def attendees(event: Event) -> QuerySet[Rsvp]:
    return event.rsvps.filter(status=RsvpStatus.GOING).select_related("user__profile")


def event_item(event: Event, *, with_link: bool = True) -> CalendarItem:
    """The event for a calendar; the online link only for people who may have it."""
    where = ", ".join(w for w in (event.online_url if with_link else "", event.place) if w)
    return CalendarItem(
        uid=f"event-{event.uid}@mentormesh",
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        url=site_url(reverse("event", args=[event.pk])),
        description=f"{event.get_kind_display()} hosted by {event.host.profile.display_name}.",
        location=where,
        cancelled=event.cancelled_at is not None,
    )


def calendar_items(user: User) -> list[CalendarItem]:
    """Events I host, sit on the panel of, or am going to, from a month back on."""
    since: datetime = timezone.now() - timedelta(days=30)
    mine = (
        Event.objects.filter(
            Q(host=user)
            | Q(panelists__user=user)
            | Q(rsvps__user=user, rsvps__status=RsvpStatus.GOING)
        )
        .filter(ends_at__gte=since)
        .select_related("host__profile")
        .distinct()
    )
    return [event_item(event) for event in mine]


def mixer_rounds(organization) -> QuerySet[MixerRound]:
    return (
        MixerRound.objects.filter(organization=organization)
        .annotate(n_groups=Count("groups"))
        .order_by("-created_at", "-pk")
    )


def my_mixer_groups(*, viewer: User, organization) -> QuerySet[MixerGroup]:
    return (
        MixerGroup.objects.filter(round__organization=organization, members=viewer)
        .select_related("round")
        .prefetch_related("members__profile")
        .order_by("-round__created_at")
    )


def mixer_opted_in(*, viewer: User, organization) -> bool:
    return MixerOptIn.objects.filter(organization=organization, user=viewer).exists()


def posts_visible_to(viewer: User) -> QuerySet[Post]:
    """Published posts by people whose profile the viewer may see; my drafts; drafts shared
    with me for comments."""
    authors = profiles_visible_to(viewer).values("user_id")
    return (
        Post.objects.filter(
            Q(status=PostStatus.PUBLISHED, author__in=authors)
            | Q(author=viewer)
            | Q(status=PostStatus.DRAFT, reviewers=viewer)
        )
        .select_related("author__profile")
        .distinct()
    )


def post_get(*, viewer: User, post_id: int) -> Post:
    post = (
        posts_visible_to(viewer)
        .prefetch_related("skills", "comments__author__profile", "reviewers", "mentions__profile")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        raise NotFound(f"No post {post_id} that you can see.")
    return post


def feed(viewer: User) -> QuerySet[Post]:
    """Published posts from my network (people I am in a relationship or an organization
    with) and on skills I offer or want to learn, and posts that mention me; newest first."""
    skills = set(viewer.offered_skills.values_list("skill_id", flat=True)) | set(
        viewer.sought_skills.values_list("skill_id", flat=True)
    )
    return (
        posts_visible_to(viewer)
        .filter(status=PostStatus.PUBLISHED)
        .filter(
            Q(author_id__in=contact_ids(viewer.pk))
            | Q(skills__in=skills)
            | Q(mentions=viewer)
            | Q(author=viewer)
        )
        .prefetch_related("skills")
        .order_by("-published_at", "-pk")
    )


def posts_by(*, viewer: User, author: User) -> QuerySet[Post]:
    return posts_visible_to(viewer).filter(author=author, status=PostStatus.PUBLISHED)
