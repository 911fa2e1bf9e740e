"""Paid help for the demo: experts publish offers, the demo's organization funds learning
(a policy and a budget, with sessions already held on it), the demo asked for help once and
a colleague's request waits in its inbox."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from mentormesh.discover.network import network_changed
from mentormesh.experts import payouts
from mentormesh.experts.models import (
    Booking,
    BookingStatus,
    Budget,
    ExpertOffer,
    FundedSubject,
    SponsorshipPolicy,
)
from mentormesh.experts.services import help_request_create, ledger_charge, ledger_hold
from mentormesh.people.models import AvailabilityWindow, Membership, Profile, User


def demo_experts(demo: User, rng: random.Random) -> None:
    if ExpertOffer.objects.exists():
        return
    paid = (
        Profile.objects.filter(open_to_paid=True, user__availability__isnull=False)
        .exclude(user=demo)
        .distinct()
        .select_related("user")
    )
    experts = []
    for profile in paid[:80]:
        offers = list(profile.user.offered_skills.values_list("skill_id", flat=True)[:3])
        if offers:
            experts.append(profile.user)
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
    budget, _ = Budget.objects.get_or_create(
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
    _held_sessions(budget, membership, experts, rng)
    sought = demo.sought_skills.select_related("skill").first()
    if sought is not None:
        help_request_create(
            member=demo,
            skills=[sought.skill.name],
            anonymous=True,
            text=f"I have to get better at {sought.skill.name} for a project that starts next "
            "month. I read the basics but freeze when it matters. Where should I start?",
        )
    offered = demo.offered_skills.select_related("skill").first()
    colleague = (
        Profile.objects.filter(user__memberships__organization=org, open_to_be_mentored=True)
        .exclude(user=demo)
        .order_by("user_id")
        .first()
    )
    if offered is not None and colleague is not None:
        _make_available(demo)
        network_changed()
        help_request_create(
            member=colleague.user,
            skills=[offered.skill.name],
            text=f"I keep getting stuck on {offered.skill.name} in code review: how do you "
            "decide when something is good enough to ship?",
        )


def _make_available(user: User) -> None:
    """Give the demo two weekly evenings, so its network's requests reach it."""
    for weekday in (1, 3):
        AvailabilityWindow.objects.get_or_create(
            user=user, weekday=weekday, start="17:00", defaults={"end": "19:00"}
        )


def _held_sessions(budget, membership, experts, rng: random.Random) -> None:
    """A few sponsored sessions that already took place, charged with payouts recorded, so
    the organization's sponsorship page shows spend."""
    colleagues = list(
        Membership.objects.filter(organization=membership.organization).exclude(
            user=membership.user
        )[:40]
    )
    paid_in_euro = [e for e in experts if e.profile.paid_currency == budget.currency]
    now = timezone.now()
    for n, member in enumerate(rng.sample(colleagues, min(4, len(colleagues)))):
        if not paid_in_euro:
            return
        expert = paid_in_euro[n % len(paid_in_euro)]
        subject = expert.expert_offer.subjects.first()
        starts = (now - timedelta(days=7 * (n + 1))).replace(minute=0, second=0, microsecond=0)
        minutes = expert.expert_offer.slot_minutes
        booking = Booking.objects.create(
            expert=expert,
            member=member.user,
            subject=subject,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=minutes),
            status=BookingStatus.CONFIRMED,
            price_minor=expert.profile.paid_rate_minor * minutes // 60,
            currency=budget.currency,
            budget=budget,
            decided_by=membership.user,
            decision_reason="Approved: part of the team's learning plan this year.",
        )
        ledger_hold(budget=budget, member=member.user, amount=booking.price_minor, booking=booking)
        ledger_charge(booking=booking, note="Session held")
        payouts.record(booking)
