"""Paid help for the demo: experts publish offers, the demo's organization funds learning
(a policy and a budget), the demo asked for help once and has one request in its inbox."""

from __future__ import annotations

import random
from datetime import date

from mentormesh.experts.models import Budget, ExpertOffer, FundedSubject, SponsorshipPolicy
from mentormesh.experts.services import help_request_create
from mentormesh.people.models import Membership, Profile, User


def demo_experts(demo: User, rng: random.Random) -> None:
    if ExpertOffer.objects.exists():
        return
    paid = (
        Profile.objects.filter(open_to_paid=True, user__availability__isnull=False)
        .exclude(user=demo)
        .distinct()
        .select_related("user")
    )
    for profile in paid[:80]:
        offers = list(profile.user.offered_skills.values_list("skill_id", flat=True)[:3])
        if offers:
            offer = ExpertOffer.objects.create(
                user=profile.user,
                slot_minutes=rng.choice([30, 60, 60]),
                free_cancellation_hours=rng.choice([12, 24, 48]),
            )
            offer.subjects.set(offers)
    membership = Membership.objects.filter(user=demo).select_related("organization").first()
    if membership is None:
        return
    org = membership.organization
    SponsorshipPolicy.objects.get_or_create(organization=org)
    wanted = list(demo.sought_skills.values_list("skill_id", flat=True))
    FundedSubject.objects.bulk_create(
        [
            FundedSubject(organization=org, department=membership.department, skill_id=skill_id)
            for skill_id in wanted
        ],
        ignore_conflicts=True,
    )
    year = date.today().year
    Budget.objects.get_or_create(
        organization=org,
        name=f"Learning {year}",
        defaults={
            "currency": "EUR",
            "total_minor": 2_000_000,
            "per_member_minor": 60_000,
            "per_member_minutes": 8 * 60,
            "starts_on": date(year, 1, 1),
            "ends_on": date(year, 12, 31),
        },
    )
    sought = demo.sought_skills.select_related("skill").first()
    if sought is not None:
        help_request_create(
            member=demo,
            skills=[sought.skill.name],
            anonymous=True,
            text=f"Applying {sought.skill.name} to our nightly batch job: it worked on the "
            "sample, but on the full data it runs out of memory. Where should I look first?",
        )
    offered = demo.offered_skills.select_related("skill").first()
    colleague = (
        User.objects.filter(memberships__organization=org, sought_skills__skill=offered.skill)
        .exclude(pk=demo.pk)
        .first()
        if offered
        else None
    )
    if colleague is not None:
        help_request_create(
            member=colleague,
            skills=[offered.skill.name],
            text=f"I keep getting stuck on {offered.skill.name} in code review: how do you "
            "decide when something is good enough to ship?",
        )
