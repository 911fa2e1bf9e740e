"""Reads for employer sponsorship: what a policy covers for one booking, the budgets a
member may draw on, approvals waiting for someone, and an organization's spend.

Budgets belong to one organization: every read here starts from the viewer's memberships,
so another organization's budgets are never found (404), not merely hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q, QuerySet, Sum

from mentormesh.errors import DomainError, NotFound, PermissionDenied
from mentormesh.experts.models import (
    HOLDING,
    Booking,
    BookingStatus,
    Budget,
    EntryKind,
    ExpertOffer,
    FundedSubject,
    LedgerEntry,
    SponsorshipPolicy,
    UnlistedRule,
)
from mentormesh.experts.selectors.bookings import balance, offer_price, offered_subject
from mentormesh.people.models import Membership, Organization, Role, Skill, User
from mentormesh.text import money

# What a policy decides about a booking.
APPROVE = "approve"
ASK = "ask"
DECLINE = "decline"


@dataclass(frozen=True)
class Coverage:
    """What a budget's policy says about one booking, before it is made."""

    budget: Budget
    decision: str  # APPROVE, ASK or DECLINE
    reason: str
    # What the member's share has left, in money and (when capped) minutes.
    member_left_minor: int
    minutes_left: int | None
    # Asked to decide when the decision is ASK: the member's manager, or None for the
    # organization's admins.
    approver: User | None
    # Why a DECLINE: "over_budget" (money or hours) or "not_funded" (the subject).
    code: str = ""

    @property
    def covered(self) -> bool:
        return self.decision != DECLINE


def membership_of(member: User, organization_id: int) -> Membership | None:
    return Membership.objects.filter(user=member, organization_id=organization_id).first()


def budget_for_member(*, member: User, budget_id: int) -> Budget:
    """A budget of one of the member's organizations; any other is not found."""
    budget = (
        Budget.objects.select_related("organization")
        .filter(pk=budget_id, organization__memberships__user=member)
        .first()
    )
    if budget is None:
        raise NotFound(f"No budget {budget_id} in your organizations.")
    return budget


def budgets_for_member(member: User, on: datetime | None = None) -> QuerySet[Budget]:
    """Budgets of the member's organizations (running on ``on``, a UTC date, when given)."""
    found = Budget.objects.filter(organization__memberships__user=member).select_related(
        "organization"
    )
    if on is not None:
        day = on.astimezone(UTC).date()
        found = found.filter(starts_on__lte=day, ends_on__gte=day)
    return found.order_by("organization__name", "name")


def minutes_used(budget: Budget, member: User) -> int:
    """Minutes of the member's bookings on this budget that are held or were charged."""
    rows = (
        Booking.objects.filter(budget=budget, member=member)
        .filter(
            Q(status__in=HOLDING)
            | Q(status=BookingStatus.CANCELLED, entries__kind=EntryKind.CHARGE)
        )
        .distinct()
        .values_list("starts_at", "ends_at")
    )
    return sum(int((end - start).total_seconds() // 60) for start, end in rows)


def funded_for(organization_id: int, department: str) -> QuerySet[FundedSubject]:
    """Subjects funded for a department: its own and those funded for everyone."""
    return FundedSubject.objects.filter(
        organization_id=organization_id, department__in={"", department}
    ).select_related("skill")


def _approver(membership: Membership, expert_id: int | None) -> User | None:
    """The member's manager, when they are in the organization and neither the member nor
    the expert paid for the session."""
    manager = membership.manager
    if manager is None or manager.pk in (membership.user_id, expert_id):
        return None
    in_org = Membership.objects.filter(user=manager, organization_id=membership.organization_id)
    return manager if in_org.exists() else None


def coverage(
    *,
    member: User,
    budget: Budget,
    subject: Skill,
    price_minor: int,
    currency: str,
    minutes: int,
    starts_at: datetime,
    expert: User | None = None,
) -> Coverage:
    """The policy's decision for a booking drawn on ``budget``. A budget the member may not
    use, another currency or a date outside the period are errors, not decisions.
    Nobody decides on their own session or one they would be paid for (``expert``)."""
    membership = membership_of(member, budget.organization_id)
    if membership is None:
        raise NotFound("No such budget in your organizations.")
    if budget.currency != currency:
        raise DomainError(
            f"currency: the expert charges in {currency}; the {budget.name} budget is in "
            f"{budget.currency}.",
            field="currency",
        )
    if not budget.starts_on <= starts_at.astimezone(UTC).date() <= budget.ends_on:
        raise DomainError(
            f"starts_at: outside the {budget.name} budget's period "
            f"({budget.starts_on:%-d %b %Y}–{budget.ends_on:%-d %b %Y}).",
            field="starts_at",
        )
    whole, mine = balance(budget), balance(budget, member)
    used = minutes_used(budget, member)
    minutes_left = None if budget.per_member_minutes is None else budget.per_member_minutes - used
    organization = budget.organization

    def decided(decision: str, reason: str, approver: User | None = None, code: str = ""):
        return Coverage(budget, decision, reason, mine.available, minutes_left, approver, code)

    if price_minor > whole.available:
        return decided(
            DECLINE,
            f"The {budget.name} budget has {money(whole.available, currency)} left; this "
            f"session costs {money(price_minor, currency)}.",
            code="over_budget",
        )
    if price_minor > mine.available:
        return decided(
            DECLINE,
            f"Your share of the {budget.name} budget has {money(mine.available, currency)} "
            f"left; this session costs {money(price_minor, currency)}.",
            code="over_budget",
        )
    if minutes_left is not None and minutes > minutes_left:
        return decided(
            DECLINE,
            f"Your share of the {budget.name} budget has {max(minutes_left, 0)} minutes left; "
            f"this session is {minutes}.",
            code="over_budget",
        )
    department = membership.department
    team = f"the {department} team" if department else "everyone"
    if funded_for(budget.organization_id, department).filter(skill=subject).exists():
        return decided(APPROVE, f"{organization.name} funds {subject.name} for {team}.")
    policy = SponsorshipPolicy.objects.filter(organization=organization).first()
    if policy is not None and policy.unlisted == UnlistedRule.DECLINE:
        return decided(
            DECLINE,
            f"{organization.name} funds only the subjects it lists for {team}, and "
            f"{subject.name} is not one of them.",
            code="not_funded",
        )
    expert_id = expert.pk if expert else None
    approver = _approver(membership, expert_id)
    if approver is None and not (
        Membership.objects.filter(organization=organization, role=Role.ADMIN)
        .exclude(user_id__in=[member.pk, expert_id])
        .exists()
    ):
        return decided(
            DECLINE,
            f"{subject.name} is not on {organization.name}'s list for {team}, and nobody else "
            f"at {organization.name} can approve it.",
            code="not_funded",
        )
    who = f"your manager @{approver.handle}" if approver else f"an admin of {organization.name}"
    return decided(
        ASK,
        f"{subject.name} is not on {organization.name}'s list for {team}; {who} decides.",
        approver,
    )


# --- Approvals -----------------------------------------------------------------------------


def _member_org_ids(user: User, **role) -> QuerySet:
    return Membership.objects.filter(user=user, **role).values("organization_id")


def approvals_for(user: User) -> QuerySet[Booking]:
    """Sponsored bookings waiting for this user's decision: as the member's manager (while
    still in the organization), or as an admin of the paying organization; never their own
    nor one they are the paid expert of."""
    return (
        Booking.objects.filter(status=BookingStatus.AWAITING_APPROVAL, budget__isnull=False)
        .filter(
            Q(approver=user, budget__organization_id__in=_member_org_ids(user))
            | Q(budget__organization_id__in=_member_org_ids(user, role=Role.ADMIN))
        )
        .exclude(member=user)
        .exclude(expert=user)
        .select_related("member__profile", "expert__profile", "subject", "budget__organization")
    )


def may_decide(user: User, booking: Booking) -> bool:
    if booking.budget_id is None or user.pk == booking.expert_id:
        return False
    role = (
        Membership.objects.filter(user=user, organization_id=booking.budget.organization_id)
        .values_list("role", flat=True)
        .first()
    )
    return role == Role.ADMIN or (role is not None and booking.approver_id == user.pk)


# --- An organization's sponsorship, for its admins ----------------------------------------


def sponsoring_org(*, viewer: User, slug: str) -> Organization:
    """The organization whose policy and budgets the viewer administers. Not a member: not
    found (budgets are invisible outside); a member but not an admin: forbidden."""
    organization = Organization.objects.filter(slug=slug).first()
    membership = organization and membership_of(viewer, organization.pk)
    if organization is None or (membership is None and not viewer.is_staff):
        raise NotFound(f"No organization “{slug}” of yours.")
    if not viewer.is_staff and membership.role != Role.ADMIN:
        raise PermissionDenied("Only an admin of this organization sees its budgets.")
    return organization


@dataclass(frozen=True)
class BudgetLine:
    budget: Budget
    total: int
    held: int
    spent: int
    available: int


@dataclass(frozen=True)
class SpendRow:
    label: str
    spent: int


@dataclass(frozen=True)
class Spend:
    budgets: list[BudgetLine]
    by_department: dict[str, list[SpendRow]]  # currency → rows, most spent first
    by_subject: dict[str, list[SpendRow]]
    bookings: list[Booking]


def _net_spend(entries: QuerySet[LedgerEntry], group: str) -> dict[tuple, int]:
    """Charges minus refunds, grouped by ``group`` and currency."""
    totals: dict[tuple, int] = {}
    rows = (
        entries.filter(kind__in=[EntryKind.CHARGE, EntryKind.REFUND])
        .values(group, "budget__currency", "kind")
        .annotate(total=Sum("amount_minor"))
        .order_by()
    )
    for row in rows:
        key = (row[group], row["budget__currency"])
        sign = 1 if row["kind"] == EntryKind.CHARGE else -1
        totals[key] = totals.get(key, 0) + sign * row["total"]
    return totals


def _rows(totals: dict[tuple, int], label) -> dict[str, list[SpendRow]]:
    out: dict[str, list[SpendRow]] = {}
    for (key, currency), spent in totals.items():
        if spent:
            out.setdefault(currency, []).append(SpendRow(label(key), spent))
    for rows in out.values():
        rows.sort(key=lambda row: (-row.spent, row.label))
    return out


def spend_of(organization: Organization) -> Spend:
    """Where the organization's sponsorship money went: each budget's balance, spend by
    department and by subject, and the latest sponsored bookings."""
    budgets = list(organization.budgets.order_by("-starts_on", "name"))
    lines = []
    for budget in budgets:
        figures = balance(budget)
        lines.append(
            BudgetLine(budget, figures.total, figures.held, figures.spent, figures.available)
        )
    entries = LedgerEntry.objects.filter(budget__organization=organization)
    departments = dict(
        Membership.objects.filter(organization=organization).values_list("user_id", "department")
    )
    by_member = _net_spend(entries, "member_id")
    by_department: dict[tuple, int] = {}
    for (member_id, currency), spent in by_member.items():
        key = (departments.get(member_id) or "No department", currency)
        by_department[key] = by_department.get(key, 0) + spent
    return Spend(
        budgets=lines,
        by_department=_rows(by_department, str),
        by_subject=_rows(_net_spend(entries, "booking__subject__name"), lambda name: name or "—"),
        bookings=list(
            Booking.objects.filter(budget__organization=organization)
            .select_related(
                "member__profile", "expert__profile", "subject", "budget", "decided_by__profile"
            )
            .order_by("-starts_at")[:50]
        ),
    )


def quote(
    *, member: User, offer: ExpertOffer, subject: str, starts_at: datetime, budget_id: int
) -> Coverage:
    """What the budget's policy would decide about booking ``offer`` for ``subject`` at
    ``starts_at``: the booking form's live box and the API's coverage, before booking."""
    return coverage(
        member=member,
        budget=budget_for_member(member=member, budget_id=budget_id),
        subject=offered_subject(offer, subject),
        price_minor=offer_price(offer),
        currency=offer.user.profile.paid_currency,
        minutes=offer.slot_minutes,
        starts_at=starts_at,
        expert=offer.user,
    )
