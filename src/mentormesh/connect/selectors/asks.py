"""Reads for asks; every one is limited to the viewer's own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mentormesh.connect import checker
from mentormesh.connect.models import (
    OPEN_STATUSES,
    Ask,
    AskStatus,
    Block,
    Introduction,
    Relationship,
    RelationshipStatus,
)
from mentormesh.discover import network
from mentormesh.errors import NotFound
from mentormesh.matching import Request
from mentormesh.people.models import Profile, User
from mentormesh.people.selectors import profile_for, profiles_visible_to, with_cards

COPY_PASTE_WINDOW = timedelta(days=7)
DECLINED_RECENTLY = timedelta(days=90)
KEEP_GOING = 5


# Later apps add what else a person puts out (event titles, posts) from AppConfig.ready:
# each takes a user id and returns titles an asker may refer to.
recipient_topic_sources: list[Callable[[int], list[str]]] = []


def recipient_topics(recipient: User) -> list[str]:
    """What the recipient puts out beyond their profile, newest first (events, posts)."""
    return [title for source in recipient_topic_sources for title in source(recipient.pk)]


def recipient_context(recipient: User, shared_context: tuple[str, ...] = ()) -> checker.Recipient:
    """What the recipient publishes about themselves, for the checker and the composer."""
    profile = Profile.objects.get(user=recipient)
    topics = [offer.skill.name for offer in recipient.offered_skills.select_related("skill")]
    if profile.headline:
        topics.append(profile.headline)
    topics += [m.organization.name for m in recipient.memberships.select_related("organization")]
    topics += recipient_topics(recipient)
    return checker.Recipient(
        name=profile.display_name,
        handle=recipient.handle,
        topics=(*topics, *shared_context),
        bio=profile.bio,
        monthly_minutes=profile.hours_per_month * 60 if profile.open_to_mentor else 0,
    )


def ask_check(
    *,
    sender: User,
    recipient: User,
    message: str,
    question: str = "",
    time_minutes: int | None,
    shared_context: tuple[str, ...] = (),
) -> checker.Check:
    """``shared_context``: what sender and recipient have in common, which the message may
    refer to as well (the introducer, for an introduction)."""
    since = timezone.now() - COPY_PASTE_WINDOW
    asks = Ask.objects.filter(sender=sender, created_at__gte=since).exclude(recipient=recipient)
    intros = Introduction.objects.filter(
        requester=sender, created_at__gte=since, ask__isnull=True
    ).exclude(target=recipient)
    earlier = [
        f"{message}\n\n{question}"
        for rows in (asks, intros)
        for message, question in rows.values_list("message", "question")
    ]
    return checker.check_ask(
        message,
        question=question,
        recipient=recipient_context(recipient, shared_context),
        time_minutes=time_minutes,
        earlier_messages=earlier,
    )


def ask_check_for_handle(
    *,
    sender: User,
    handle: str,
    message: str,
    question: str = "",
    time_minutes,
    shared_context: tuple[str, ...] = (),
) -> checker.Check:
    return ask_check(
        sender=sender,
        recipient=profile_for(viewer=sender, handle=handle).user,
        message=message,
        question=question,
        time_minutes=time_minutes,
        shared_context=shared_context,
    )


def ask_get(*, viewer: User, ask_id: int) -> Ask:
    ask = (
        Ask.objects.select_related("sender__profile", "recipient__profile", "skill")
        .prefetch_related("replies__author")
        .filter(Q(sender=viewer) | Q(recipient=viewer), pk=ask_id)
        .first()
    )
    if ask is None:
        raise NotFound(f"No ask {ask_id} of yours.")
    return ask


def asks_sent(viewer: User) -> QuerySet[Ask]:
    return Ask.objects.filter(sender=viewer).select_related("recipient__profile", "skill")


def asks_received(viewer: User) -> QuerySet[Ask]:
    return Ask.objects.filter(recipient=viewer).select_related("sender__profile", "skill")


def asks_waiting(viewer: User) -> QuerySet[Ask]:
    """Asks waiting for my decision: counted beside "Asks" in the menu."""
    return Ask.objects.filter(recipient=viewer, status=AskStatus.PENDING)


@dataclass(frozen=True)
class AskStats:
    sent: int
    answered: int
    accepted: int
    declined: int
    expired: int
    waiting: int

    @property
    def response_rate(self) -> int | None:
        """Percent of closed asks that got an answer (accepted or declined)."""
        closed = self.answered + self.expired
        return round(100 * self.answered / closed) if closed else None


def ask_stats(viewer: User) -> AskStats:
    counts = dict(Ask.objects.filter(sender=viewer).values_list("status").annotate(n=Count("pk")))
    accepted = counts.get(AskStatus.ACCEPTED, 0)
    declined = counts.get(AskStatus.DECLINED, 0)
    return AskStats(
        sent=sum(counts.values()),
        answered=accepted + declined,
        accepted=accepted,
        declined=declined,
        expired=counts.get(AskStatus.EXPIRED, 0),
        waiting=sum(counts.get(s, 0) for s in OPEN_STATUSES),
    )


@dataclass(frozen=True)
class NextPerson:
    profile: Profile
    reasons: tuple[str, ...]


def people_left_out(user_id: int) -> set[int]:
    """Whom not to suggest to this user: live relationships, recent declines, blocks."""
    live = Relationship.objects.filter(Q(first_id=user_id) | Q(second_id=user_id)).exclude(
        status=RelationshipStatus.ENDED
    )
    out = {uid for pair in live.values_list("first_id", "second_id") for uid in pair}
    out |= set(
        Ask.objects.filter(
            sender_id=user_id,
            status=AskStatus.DECLINED,
            answered_at__gte=timezone.now() - DECLINED_RECENTLY,
        ).values_list("recipient_id", flat=True)
    )
    out |= set(Block.objects.filter(blocker_id=user_id).values_list("blocked_id", flat=True))
    out |= set(Block.objects.filter(blocked_id=user_id).values_list("blocker_id", flat=True))
    out.discard(user_id)
    return out


def keep_going(*, viewer: User, ask: Ask) -> list[NextPerson]:
    """After a decline or expiry: the next best people for the same need, not yet asked."""
    current = network.snapshot()
    asked = set(Ask.objects.filter(sender=viewer).values_list("recipient_id", flat=True))
    skip = asked | people_left_out(viewer.pk) | {viewer.pk}
    tags = (ask.skill.key,) if ask.skill else ()
    matches = current.index.rank(
        Request(
            id=f"ask-{ask.pk}",
            text=f"{ask.skill.name if ask.skill else ''} {ask.question}",
            asker_id=network.person_id(viewer.pk),
            tags=tags,
        ),
        top_k=50,
    )
    wanted = [
        network.user_id(m.person_id)
        for m in matches
        if network.user_id(m.person_id) not in skip
        and (person := current.person(network.user_id(m.person_id)))
        and person.openness.mentor
        and person.capacity
    ]
    visible = {p.pk: p for p in with_cards(profiles_visible_to(viewer).filter(user_id__in=wanted))}
    reasons = {network.user_id(m.person_id): m.reasons for m in matches}
    return [NextPerson(visible[uid], reasons[uid]) for uid in wanted if uid in visible][:KEEP_GOING]
