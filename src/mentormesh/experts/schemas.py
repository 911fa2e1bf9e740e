"""API shapes for help requests, experts, bookings and sponsorship. Money is in integer
minor units (cents) with its currency."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

from mentormesh.people.schemas import StrictIn

SkillName = Annotated[str, Field(min_length=1, max_length=60)]
Handle = Annotated[str, Field(min_length=1, max_length=31)]
# Lax so JSON's ISO 8601 text is read; a time zone is required.
When = Annotated[AwareDatetime, Field(strict=False)]


class HelpRequestIn(StrictIn):
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    skills: Annotated[list[SkillName], Field(min_length=1, max_length=5)]
    urgency: Literal["today", "week", "whenever"] = "week"
    anonymous: bool = False


class HelpOfferIn(StrictIn):
    kind: Literal["reply", "async", "call"]
    message: Annotated[str, Field(min_length=1, max_length=2000)]


class PickIn(StrictIn):
    offer: Annotated[int, Field(ge=1, le=2**31 - 1)]
    start_relationship: bool = False


class ResolveIn(StrictIn):
    what_helped: Annotated[str, Field(min_length=1, max_length=500)]
    helped_by: Annotated[str, Field(max_length=31)] = ""


class RouteOut(Schema):
    helper: str
    kind: str
    rank: int
    reasons: list[str]
    seen: bool


class HelpOfferOut(Schema):
    id: int
    helper: str
    kind: str
    message: str
    status: str
    created_at: datetime


class HelpRequestOut(Schema):
    id: int
    text: str
    skills: list[str]
    urgency: str
    anonymous: bool
    # Null while the request is anonymous to the viewer.
    member: str | None
    status: str
    what_helped: str
    helped_by: str | None
    created_at: datetime
    # The member sees where it went and every offer; a helper only their own offer.
    routes: list[RouteOut]
    offers: list[HelpOfferOut]
    relationship_id: int | None = None


class InboxItemOut(Schema):
    request: int
    text: str
    skills: list[str]
    urgency: str
    member: str | None
    offered: bool
    seen: bool
    created_at: datetime


class ExpertOfferIn(StrictIn):
    subjects: Annotated[list[SkillName], Field(min_length=1, max_length=10)]
    slot_minutes: Annotated[int, Field(ge=15, le=240)] = 60
    free_cancellation_hours: Annotated[int, Field(ge=0, le=24 * 14)] = 24
    active: bool = True


class ExpertOut(Schema):
    handle: str
    display_name: str
    subjects: list[str]
    rate_minor: int
    currency: str
    slot_minutes: int
    price_minor: int
    free_cancellation_hours: int
    active: bool
    rating: float | None
    reviews: int


class BookingIn(StrictIn):
    expert: Handle
    subject: SkillName
    starts_at: When
    budget: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    help_request: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None


class CoverageOut(Schema):
    budget: int
    decision: Literal["approve", "ask", "decline"]
    reason: str
    price_minor: int
    currency: str
    member_left_minor: int
    minutes_left: int | None
    approver: str | None


class BookingOut(Schema):
    id: int
    expert: str
    member: str
    subject: str
    starts_at: datetime
    ends_at: datetime
    status: str
    price_minor: int
    currency: str
    budget: int | None
    organization: str | None
    decision_reason: str
    decided_by: str | None
    free_cancellation_hours: int
    help_request: int | None


class RescheduleIn(StrictIn):
    starts_at: When


class ReviewIn(StrictIn):
    rating: Annotated[int, Field(ge=1, le=5)]
    text: Annotated[str, Field(max_length=1000)] = ""
    change: Annotated[str, Field(max_length=300)] = ""


class ReviewOut(Schema):
    author: str
    rating: int
    text: str
    change: str
    created_at: datetime


class ReviewsOut(Schema):
    mine: ReviewOut | None
    theirs: ReviewOut | None  # null until both reviewed or a week has passed
    they_answered: bool


class DecisionIn(StrictIn):
    approve: bool
    reason: Annotated[str, Field(max_length=300)] = ""


class MyBudgetOut(Schema):
    id: int
    organization: str
    name: str
    currency: str
    starts_on: date
    ends_on: date
    # My share only: the budget's total is for its organization's admins.
    share_minor: int
    share_left_minor: int
    minutes_left: int | None


class FundedOut(Schema):
    department: str  # "" for every department
    skills: list[str]


class FundedIn(StrictIn):
    department: Annotated[str, Field(max_length=100)] = ""
    skills: Annotated[list[SkillName], Field(max_length=50)]


class PolicyIn(StrictIn):
    unlisted: Literal["ask", "decline"]
    funded: Annotated[list[FundedIn], Field(max_length=100)] = []


class PolicyOut(Schema):
    unlisted: str
    funded: list[FundedOut]


class BudgetIn(StrictIn):
    name: Annotated[str, Field(min_length=1, max_length=60)]
    currency: Annotated[str, Field(min_length=3, max_length=3)]
    total_minor: Annotated[int, Field(ge=1, le=10**12)]
    per_member_minor: Annotated[int, Field(ge=1, le=10**12)]
    per_member_minutes: Annotated[int, Field(ge=1, le=100_000)] | None = None
    starts_on: Annotated[date, Field(strict=False)]
    ends_on: Annotated[date, Field(strict=False)]


class BudgetOut(Schema):
    id: int
    name: str
    currency: str
    starts_on: date
    ends_on: date
    total_minor: int
    per_member_minor: int
    per_member_minutes: int | None
    held_minor: int
    spent_minor: int
    available_minor: int


class SpendRowOut(Schema):
    label: str
    currency: str
    spent_minor: int


class SpendOut(Schema):
    budgets: list[BudgetOut]
    by_department: list[SpendRowOut]
    by_subject: list[SpendRowOut]


class PayoutOut(Schema):
    booking: int
    amount_minor: int
    currency: str
    payer: str  # the organization's slug, or the member's handle
    status: str
    reference: str
    created_at: datetime
