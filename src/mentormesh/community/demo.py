"""Events for the demo account: a panel coming up with questions on its board (the demo is
going), and a lunch-and-learn last week it attended, so "follow up with" has people."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from mentormesh.community.models import Event, EventKind, Panelist, Question, Rsvp, RsvpStatus, Vote
from mentormesh.people.models import Membership, Profile, User
from mentormesh.text import render_markdown


def _at(days: int, hour: int):
    moment = timezone.now() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def demo_events(demo: User, rng: random.Random) -> None:
    if Event.objects.exists():
        return
    membership = Membership.objects.filter(user=demo).select_related("organization").first()
    if membership is None:
        return
    people = list(
        Profile.objects.filter(user__memberships__organization=membership.organization)
        .exclude(user=demo)
        .select_related("user")
        .order_by("user_id")[:60]
    )
    if len(people) < 12:
        return
    host, panel_a, panel_b, teacher, *crowd = (p.user for p in rng.sample(people, 12))
    skill = demo.sought_skills.select_related("skill").first()
    topic = skill.skill.name if skill else "career growth"
    description = (
        f"Three people who use **{topic}** every day answer *your* questions. Add yours "
        "before the day and vote for the ones you want answered first."
    )
    panel = Event.objects.create(
        host=host, kind=EventKind.PANEL, title=f"Ask us anything: {topic} in practice",
        description=description, description_html=render_markdown(description),
        organization=membership.organization, online_url="https://meet.example.org/panel",
        starts_at=_at(6, 12), ends_at=_at(6, 13), capacity=40,
    )  # fmt: skip
    if skill:
        panel.skills.add(skill.skill)
    Panelist.objects.bulk_create([Panelist(event=panel, user=u) for u in (panel_a, panel_b)])
    going = [demo, *crowd[:7]]
    now = timezone.now()
    Rsvp.objects.bulk_create([
        Rsvp(event=panel, user=u, status=RsvpStatus.GOING, joined_at=now - timedelta(hours=i))
        for i, u in enumerate(going)
    ])  # fmt: skip
    Event.objects.filter(pk=panel.pk).update(going_count=len(going))
    asked = [
        (crowd[0], False, f"What did you get wrong in your first year with {topic}?"),
        (crowd[1], True, f"How do you make time to learn {topic} when the team is under pressure?"),
        (crowd[2], False, f"Which resources on {topic} would you skip, and which would you keep?"),
    ]
    questions = [
        Question.objects.create(event=panel, author=a, anonymous=anon, text=t)
        for a, anon, t in asked
    ]
    Vote.objects.bulk_create(
        [Vote(question=questions[1], user=u) for u in crowd[3:7]]
        + [Vote(question=questions[0], user=u) for u in crowd[3:5]]
    )

    talk = Event.objects.create(
        host=teacher, kind=EventKind.LUNCH_AND_LEARN, title=f"Lunch-and-learn: a first hour of {topic}",
        description=f"A hands-on hour on {topic}.", description_html=render_markdown(f"A hands-on hour on {topic}."),
        organization=membership.organization, place="Room 4.12 and the canteen",
        starts_at=_at(-5, 12), ends_at=_at(-5, 13), capacity=12,
    )  # fmt: skip
    Rsvp.objects.bulk_create([
        Rsvp(event=talk, user=u, status=RsvpStatus.GOING, joined_at=now - timedelta(days=9),
             attended=True)
        for u in (demo, *crowd[:5])
    ])  # fmt: skip
    Event.objects.filter(pk=talk.pk).update(going_count=6)
