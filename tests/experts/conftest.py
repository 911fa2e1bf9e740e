"""Experts, members and a sponsorship budget for the experts tests.

Priya is an expert in Berlin: 120.00 EUR an hour for Kubernetes and incident reviews, in
60-minute slots from 09:00 to 17:00 her time every day, free to cancel until 48 hours before.
Ravi is an expert in Berlin too, with 45-minute slots from 09:00 to 17:00 at 100.00 EUR an
hour. Leo, Mia and Hana (its admin) belong to Northwind, whose Learning budget holds 300.00 EUR,
at most 200.00 EUR of it for any one member, over a period around today; Northwind funds
Kubernetes and incident reviews for everyone, so those bookings are approved by the policy
(the sponsorship tests change that). Olga belongs to
Acme, which none of the others is in; Sam belongs to no organization."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from expert_helpers import fresh, open_hours

from mentormesh.experts import services
from mentormesh.experts.models import Budget, FundedSubject
from mentormesh.people import services as people


@pytest.fixture
def subjects(db):
    """The skills people offer paid help in."""
    return {
        name: people.skill_get_or_add(name=name, added_by=None)
        for name in ("Kubernetes", "Incident reviews", "Rust")
    }


@pytest.fixture
def make_expert(make_user, subjects):
    """An expert open to paid help with an offer and the same hours every day."""

    def make(
        handle,
        *,
        rate=12_000,
        currency="EUR",
        zone="Europe/Berlin",
        hours=(time(9), time(17)),
        offers=("Kubernetes", "Incident reviews"),
        slot_minutes=60,
        free_cancellation_hours=48,
        **profile,
    ):
        user = make_user(
            handle,
            timezone=zone,
            open_to_paid=True,
            paid_rate_minor=rate,
            paid_currency=currency,
            **profile,
        )
        if hours:
            open_hours(user, *hours)
        services.expert_offer_set(
            user=fresh(user),
            subjects=list(offers),
            slot_minutes=slot_minutes,
            free_cancellation_hours=free_cancellation_hours,
        )
        return fresh(user)

    return make


@pytest.fixture
def priya(make_expert):
    return make_expert("priya", display_name="Priya Raman")


@pytest.fixture
def ravi(make_expert):
    return make_expert("ravi", display_name="Ravi Das", rate=10_000, slot_minutes=45)


@pytest.fixture
def hana(make_user):
    return make_user("hana", display_name="Hana Kim")


@pytest.fixture
def leo(make_user):
    return make_user("leo", display_name="Leo Park", timezone="America/New_York")


@pytest.fixture
def mia(make_user):
    return make_user("mia", display_name="Mia Chen")


@pytest.fixture
def sam(make_user):
    return make_user("sam", display_name="Sam Ortiz")


@pytest.fixture
def olga(make_user):
    return make_user("olga", display_name="Olga Petrova")


@pytest.fixture
def northwind(make_org, hana, leo, mia):
    return make_org("northwind", admin=hana, members=[leo, mia])


@pytest.fixture
def acme(make_org, olga):
    return make_org("acme", admin=olga)


@pytest.fixture
def make_budget(subjects):
    def make(
        organization, *, currency="EUR", total=30_000, per_member=20_000,
        funded=("Kubernetes", "Incident reviews"), **period,
    ):  # fmt: skip
        today = timezone.now().date()
        FundedSubject.objects.bulk_create(
            [FundedSubject(organization=organization, skill=subjects[name]) for name in funded],
            ignore_conflicts=True,
        )
        return Budget.objects.create(
            organization=organization,
            name="Learning",
            currency=currency,
            total_minor=total,
            per_member_minor=per_member,
            starts_on=period.get("starts_on", today - timedelta(days=30)),
            ends_on=period.get("ends_on", today + timedelta(days=60)),
        )

    return make


@pytest.fixture
def budget(make_budget, northwind):
    """Northwind's Learning budget: 300.00 EUR, at most 200.00 EUR for any one member."""
    return make_budget(northwind)


@pytest.fixture
def book():
    """Book through the service, Kubernetes by default."""

    def book(member, expert, starts_at, *, subject="Kubernetes", budget=None):
        return services.booking_create(
            member=member,
            expert_handle=expert.handle,
            subject=subject,
            starts_at=starts_at,
            budget=budget,
        )

    return book
