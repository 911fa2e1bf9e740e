"""Writes for an organization's sponsorship: its policy (funded subjects per department and
what happens to the rest) and its budgets. Only the organization's admins may write."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from mentormesh.errors import DomainError
from mentormesh.experts.models import Budget, FundedSubject, SponsorshipPolicy, UnlistedRule
from mentormesh.people.models import Membership, Organization, User
from mentormesh.people.selectors import skills_named
from mentormesh.people.services import require_org_admin

CURRENCY_LETTERS = 3


@transaction.atomic
def sponsorship_policy_set(
    *, by: User, organization: Organization, unlisted: str, funded: dict[str, list[str]]
) -> SponsorshipPolicy:
    """Replace the policy: ``funded`` maps a department ("" for everyone) to skill names."""
    require_org_admin(user=by, organization=organization)
    if unlisted not in UnlistedRule.values:
        raise DomainError(f"unlisted: one of {', '.join(UnlistedRule.values)}.", field="unlisted")
    departments = set(
        Membership.objects.filter(organization=organization).values_list("department", flat=True)
    )
    rows = []
    for department, names in funded.items():
        department = department.strip()
        if department and department not in departments:
            raise DomainError(
                f"funded: no one at {organization.name} is in a department “{department}”.",
                field="funded",
            )
        for skill in skills_named(names, field="funded"):
            rows.append(
                FundedSubject(organization=organization, department=department, skill=skill)
            )
    policy, _ = SponsorshipPolicy.objects.update_or_create(
        organization=organization, defaults={"unlisted": unlisted}
    )
    FundedSubject.objects.filter(organization=organization).delete()
    FundedSubject.objects.bulk_create(rows, ignore_conflicts=True)
    return policy


@transaction.atomic
def budget_create(
    *,
    by: User,
    organization: Organization,
    name: str,
    currency: str,
    total_minor: int,
    per_member_minor: int,
    starts_on: date,
    ends_on: date,
    per_member_minutes: int | None = None,
) -> Budget:
    require_org_admin(user=by, organization=organization)
    name, currency = name.strip(), currency.strip().upper()
    if not name:
        raise DomainError("name: give the budget a name.", field="name")
    if len(currency) != CURRENCY_LETTERS or not currency.isalpha():
        raise DomainError("currency: three letters, like EUR.", field="currency")
    if total_minor <= 0:
        raise DomainError("total: more than zero.", field="total_minor")
    if not 0 < per_member_minor <= total_minor:
        raise DomainError(
            "per_member: more than zero and at most the total.", field="per_member_minor"
        )
    if per_member_minutes is not None and per_member_minutes <= 0:
        raise DomainError("per_member_hours: more than zero.", field="per_member_minutes")
    if starts_on > ends_on:
        raise DomainError("ends_on: on or after the start.", field="ends_on")
    if organization.budgets.filter(name__iexact=name).exists():
        raise DomainError(f"name: {organization.name} already has a budget “{name}”.", field="name")
    return Budget.objects.create(
        organization=organization,
        name=name,
        currency=currency,
        total_minor=total_minor,
        per_member_minor=per_member_minor,
        per_member_minutes=per_member_minutes,
        starts_on=starts_on,
        ends_on=ends_on,
    )
