"""Some history for the demo account, so every connect page has something true to show:
a relationship with a session held (both gave feedback) and one coming up, a relationship
gone quiet, an ask waiting for an answer, and an introduction to make."""

from __future__ import annotations

import random
from datetime import time, timedelta

from django.db.models import Q
from django.utils import timezone

from mentormesh.connect.models import (
    Ask,
    Direction,
    FollowUp,
    Introduction,
    Relationship,
    RelationshipSide,
    RelationshipStatus,
    Session,
    SessionFeedback,
    SessionStatus,
    Useful,
)
from mentormesh.people.models import AvailabilityWindow, Membership, Profile, User


def _relationship(demo: User, other: User, *, topic: str, days_ago: int, cadence: int,
                  gives: str, gets: str) -> Relationship:  # fmt: skip
    first, second = sorted((demo, other), key=lambda user: user.pk)
    started = timezone.now() - timedelta(days=days_ago)
    relationship = Relationship.objects.create(
        first=first, second=second, topic=topic, status=RelationshipStatus.ACTIVE,
        cadence_days=cadence, last_contact_at=started,
    )  # fmt: skip
    Relationship.objects.filter(pk=relationship.pk).update(started_at=started)
    RelationshipSide.objects.bulk_create([
        RelationshipSide(relationship=relationship, user=demo, gives=gives, gets=gets),
        RelationshipSide(relationship=relationship, user=other, gives=gets, gets=gives),
    ])  # fmt: skip
    return relationship


def _at(days: int, hour: int) -> timezone.datetime:
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def demo_activity(demo: User, rng: random.Random) -> None:
    if Relationship.objects.filter(Q(first=demo) | Q(second=demo)).exists():
        return  # a second demo build adds people, not a second history
    memberships = Membership.objects.filter(user=demo).select_related("organization")
    if not memberships:
        return
    org_ids = [m.organization_id for m in memberships]
    org_name = memberships[0].organization.name
    colleagues = list(
        Profile.objects.filter(user__memberships__organization_id__in=org_ids, open_to_mentor=True)
        .exclude(user=demo)
        .select_related("user")
        .order_by("user_id")[:40]
    )
    if len(colleagues) < 4:
        return
    # The mentor is someone nearby in time, who shares the demo's Tuesday mornings.
    nearby = [p for p in colleagues if p.timezone.startswith("Europe/")] or colleagues
    mentor = rng.choice(nearby).user
    mentee, asker, newcomer = (
        p.user for p in rng.sample([p for p in colleagues if p.user != mentor], 3)
    )
    AvailabilityWindow.objects.update_or_create(
        user=mentor, weekday=1, start=time(9), defaults={"end": time(12)}
    )
    goal = demo.sought_skills.select_related("skill").first()
    offer = demo.offered_skills.select_related("skill").first()
    goal_name = goal.skill.name if goal else "system design"
    offer_name = offer.skill.name if offer else "code review"

    growing = _relationship(
        demo, mentor, topic=f"Getting confident with {goal_name}", days_ago=40, cadence=14,
        gives="Fresh eyes on their team's onboarding docs", gets=f"Guidance on {goal_name}",
    )  # fmt: skip
    held = Session.objects.create(
        relationship=growing, proposed_by=mentor, starts_at=_at(-9, 15), ends_at=_at(-9, 16),
        status=SessionStatus.CONFIRMED, place="https://meet.example.org/dana-and-friend",
        agenda=f"1. Where {goal_name} trips me up\n2. A small exercise for next time",
        notes="Start from the team's real backlog, not tutorials.",
    )  # fmt: skip
    SessionFeedback.objects.bulk_create([
        SessionFeedback(session=held, author=demo, useful=Useful.YES, direction=Direction.GOT,
                        takeaway=f"A way to practise {goal_name} on our own backlog.",
                        change="Send the exercise the day before."),
        SessionFeedback(session=held, author=mentor, useful=Useful.YES, direction=Direction.BOTH,
                        takeaway="Dana's questions showed me where our docs are thin.",
                        change="Shorter intro, more hands-on."),
    ])  # fmt: skip
    FollowUp.objects.bulk_create([
        FollowUp(session=held, owner=demo, text=f"Try the {goal_name} exercise on a real ticket",
                 due_on=(timezone.now() + timedelta(days=3)).date()),
        FollowUp(session=held, owner=mentor, text="Share the reading list",
                 due_on=(timezone.now() - timedelta(days=5)).date(), done_at=_at(-6, 10)),
    ])  # fmt: skip
    Relationship.objects.filter(pk=growing.pk).update(last_contact_at=held.ends_at)
    Session.objects.create(
        relationship=growing, proposed_by=mentor, starts_at=_at(4, 8), ends_at=_at(4, 9),
        agenda="How the exercise went; next step",
    )  # fmt: skip

    quiet = _relationship(
        demo, mentee, topic=f"{offer_name} for a first-time lead", days_ago=75, cadence=30,
        gives=f"What I learned about {offer_name}", gets="A view of how new leads think",
    )  # fmt: skip
    Relationship.objects.filter(pk=quiet.pk).update(
        last_contact_at=timezone.now() - timedelta(days=41)
    )

    Ask.objects.create(
        sender=asker, recipient=demo, question=f"Could you walk me through how you got started with {offer_name}?",
        message=f"Hi Dana,\n\nI saw on your profile that you help with {offer_name}. I'm on the "
        f"same floor and stuck on where to begin; a 30-minute chat would help me pick a first "
        f"project.\n\nThank you, {asker.profile.display_name.split()[0]}",
        time_minutes=30, check_score=85, expires_at=timezone.now() + timedelta(days=12),
    )  # fmt: skip
    Introduction.objects.create(
        requester=newcomer, target=mentor, introducer=demo,
        shared_context=f"You know @{newcomer.handle} through {org_name} "
        f"and @{mentor.handle} through your relationship “{growing.topic}”.",
        note_to_introducer=f"You work with {mentor.profile.display_name.split()[0]}: could you "
        f"introduce me? I'd like their view on {goal_name} before our team adopts it.",
        message=f"Hi {mentor.profile.display_name.split()[0]},\n\nDana suggested you'd be the "
        f"person to ask about {goal_name}: our team is about to adopt it and I'd like to avoid "
        f"the usual first mistakes.\n\nThanks, {newcomer.profile.display_name.split()[0]}",
        question=f"What would you set up first when a team starts with {goal_name}?",
        time_minutes=30, check_score=80,
    )  # fmt: skip
