"""Endpoints for help requests, experts and bookings, approvals and sponsorship."""

from __future__ import annotations

from django.utils import timezone
from ninja import Path, Query, Router, Status

from mentormesh.errors import DomainError, NotFound
from mentormesh.experts import selectors, services
from mentormesh.experts.models import (
    Booking,
    ExpertOffer,
    FundedSubject,
    Payout,
    SponsorshipPolicy,
)
from mentormesh.experts.schemas import (
    BookingIn,
    BookingOut,
    BudgetIn,
    BudgetOut,
    CoverageOut,
    DecisionIn,
    ExpertOfferIn,
    ExpertOut,
    HelpOfferIn,
    HelpOfferOut,
    HelpRequestIn,
    HelpRequestOut,
    InboxItemOut,
    MyBudgetOut,
    PayoutOut,
    PickIn,
    PolicyIn,
    PolicyOut,
    RescheduleIn,
    ResolveIn,
    ReviewIn,
    ReviewOut,
    ReviewsOut,
    SpendOut,
    When,
)
from mentormesh.people.api import ERRORS
from mentormesh.people.selectors import skill_resolve

router = Router(tags=["help and experts"])
Id = Path(..., ge=1, le=2**31 - 1)


# --- Help requests ------------------------------------------------------------------------


def _offer_out(offer) -> dict:
    return {
        "id": offer.pk,
        "helper": offer.helper.handle,
        "kind": offer.kind,
        "message": offer.message,
        "status": offer.status,
        "created_at": offer.created_at,
    }


def _help_out(request, found, relationship=None) -> dict:
    viewer = request.user
    mine = found.member_id == viewer.pk
    asker = selectors.asker_shown(viewer=viewer, request=found)
    offers = selectors.offers_on(found)
    if not mine:
        offers = offers.filter(helper=viewer)
    routes = selectors.routes_of(found) if mine else []
    return {
        "id": found.pk,
        "text": found.text,
        "skills": [s.name for s in found.skills.all()],
        "urgency": found.urgency,
        "anonymous": found.anonymous,
        "member": asker.user.handle if asker else None,
        "status": found.status,
        "what_helped": found.what_helped,
        "helped_by": found.helped_by.handle if found.helped_by_id else None,
        "created_at": found.created_at,
        "routes": [
            {
                "helper": r.helper.handle,
                "kind": r.kind,
                "rank": r.rank,
                "reasons": r.reasons,
                "seen": r.seen_at is not None,
            }
            for r in routes
        ],
        "offers": [_offer_out(o) for o in offers],
        "relationship_id": relationship.pk if relationship else None,
    }


def _help(request, request_id: int, relationship=None) -> dict:
    found = selectors.help_request_get(viewer=request.user, request_id=request_id)
    return _help_out(request, found, relationship)


@router.post(
    "/help-requests",
    response={201: HelpRequestOut, **ERRORS},
    summary="Ask for help (routed to your network, then to experts)",
)
def help_request_create(request, payload: HelpRequestIn):
    made = services.help_request_create(member=request.user, **payload.dict())
    return Status(201, _help(request, made.pk))


@router.get(
    "/help-requests", response={200: list[HelpRequestOut], **ERRORS}, summary="My help requests"
)
def help_requests(request):
    return [_help_out(request, r) for r in selectors.help_requests_of(request.user)[:100]]


@router.get(
    "/help-requests/{request_id}",
    response={200: HelpRequestOut, **ERRORS},
    summary="One help request (mine, or one sent to me)",
)
def help_request_get(request, request_id: int = Id):
    found = selectors.help_request_get(viewer=request.user, request_id=request_id)
    if found.member_id != request.user.pk:
        services.help_route_seen(request_id=found.pk, helper=request.user)
    return _help_out(request, found)


@router.post(
    "/help-requests/{request_id}/offers",
    response={201: HelpOfferOut, **ERRORS},
    summary="Offer help on a request sent to me",
)
def help_offer(request, payload: HelpOfferIn, request_id: int = Id):
    offer = services.help_offer_create(request_id=request_id, by=request.user, **payload.dict())
    return Status(201, _offer_out(offer))


@router.delete(
    "/help-requests/{request_id}/offers/mine",
    response={200: HelpOfferOut, **ERRORS},
    summary="Withdraw my offer",
)
def help_offer_withdraw(request, request_id: int = Id):
    return _offer_out(services.help_offer_withdraw(request_id=request_id, by=request.user))


@router.post(
    "/help-requests/{request_id}/pick",
    response={200: HelpRequestOut, **ERRORS},
    summary="Pick one offer (optionally starting a relationship)",
)
def help_pick(request, payload: PickIn, request_id: int = Id):
    _, relationship = services.help_pick(
        request_id=request_id,
        offer_id=payload.offer,
        by=request.user,
        start_relationship=payload.start_relationship,
    )
    return _help(request, request_id, relationship)


@router.post(
    "/help-requests/{request_id}/resolve",
    response={200: HelpRequestOut, **ERRORS},
    summary="Resolved: record what helped",
)
def help_resolve(request, payload: ResolveIn, request_id: int = Id):
    services.help_resolve(request_id=request_id, by=request.user, **payload.dict())
    return _help(request, request_id)


@router.post(
    "/help-requests/{request_id}/close",
    response={200: HelpRequestOut, **ERRORS},
    summary="Close without resolving",
)
def help_close(request, request_id: int = Id):
    services.help_close(request_id=request_id, by=request.user)
    return _help(request, request_id)


@router.get(
    "/help-inbox",
    response={200: list[InboxItemOut], **ERRORS},
    summary="Requests sent to me that still want help",
)
def help_inbox(request):
    return [
        {
            "request": route.request_id,
            "text": route.request.text,
            "skills": [s.name for s in route.request.skills.all()],
            "urgency": route.request.urgency,
            "member": None if route.request.anonymous else route.request.member.handle,
            "offered": route.offered,
            "seen": route.seen_at is not None,
            "created_at": route.request.created_at,
        }
        for route in selectors.inbox_of(request.user)[:100]
    ]


# --- Experts and bookings ------------------------------------------------------------------


def _expert_out(offer: ExpertOffer) -> dict:
    profile = offer.user.profile
    rating = selectors.expert_rating(offer.user)
    return {
        "handle": offer.user.handle,
        "display_name": profile.display_name,
        "subjects": [s.name for s in offer.subjects.all()],
        "rate_minor": profile.paid_rate_minor or 0,
        "currency": profile.paid_currency,
        "slot_minutes": offer.slot_minutes,
        "price_minor": (profile.paid_rate_minor or 0) * offer.slot_minutes // 60,
        "free_cancellation_hours": offer.free_cancellation_hours,
        "active": offer.active and profile.open_to_paid,
        "rating": rating.average,
        "reviews": rating.count,
    }


def _bookable(request, handle: str) -> ExpertOffer:
    return selectors.bookable_offer(viewer=request.user, handle=handle)


@router.get(
    "/experts",
    response={200: list[ExpertOut], **ERRORS},
    summary="Experts I can book, cheapest first",
)
def experts(request, subject: str = Query("", max_length=60)):
    skill = skill_resolve(subject) if subject else None
    if subject and skill is None:
        raise DomainError(f"subject: no skill is called “{subject}”.", field="subject")
    cards = selectors.experts_for(viewer=request.user, skills=[skill] if skill else None)
    return [_expert_out(card.offer) for card in cards]


@router.get("/experts/{handle}", response={200: ExpertOut, **ERRORS}, summary="One expert")
def expert_get(request, handle: str = Path(..., max_length=31)):
    return _expert_out(_bookable(request, handle))


@router.get(
    "/experts/{handle}/slots",
    response={200: list[When], **ERRORS},
    summary="The expert's free slots in the next two weeks (UTC)",
)
def expert_slots(request, handle: str = Path(..., max_length=31)):
    offer = _bookable(request, handle)
    return selectors.expert_slots(offer.user, minutes=offer.slot_minutes)


@router.put(
    "/me/expert-offer",
    response={200: ExpertOut, **ERRORS},
    summary="Publish or pause my paid offer",
)
def expert_offer_set(request, payload: ExpertOfferIn):
    offer = services.expert_offer_set(
        user=request.user,
        subjects=payload.subjects,
        slot_minutes=payload.slot_minutes,
        free_cancellation_hours=payload.free_cancellation_hours,
        active=payload.active,
    )
    return _expert_out(offer)


def _booking_out(b: Booking) -> dict:
    return {
        "id": b.pk,
        "expert": b.expert.handle,
        "member": b.member.handle,
        "subject": b.subject.name,
        "starts_at": b.starts_at,
        "ends_at": b.ends_at,
        "status": b.status,
        "price_minor": b.price_minor,
        "currency": b.currency,
        "budget": b.budget_id,
        "organization": b.budget.organization.slug if b.budget_id else None,
        "decision_reason": b.decision_reason,
        "decided_by": b.decided_by.handle if b.decided_by_id else None,
        "free_cancellation_hours": b.free_cancellation_hours,
        "help_request": b.help_request_id,
    }


def _booking(request, booking_id: int) -> dict:
    return _booking_out(selectors.booking_get(viewer=request.user, booking_id=booking_id))


@router.get(
    "/bookings/coverage",
    response={200: CoverageOut, **ERRORS},
    summary="What a budget's policy would say about a booking, before making it",
)
def booking_coverage(
    request,
    expert: str = Query(..., max_length=31),
    subject: str = Query(..., max_length=60),
    starts_at: When = Query(...),  # noqa: B008
    budget: int = Query(..., ge=1, le=2**31 - 1),
):
    offer = _bookable(request, expert)
    found = selectors.quote(
        member=request.user, offer=offer, subject=subject, starts_at=starts_at, budget_id=budget
    )
    price, currency = selectors.offer_price(offer), offer.user.profile.paid_currency
    return {
        "budget": found.budget.pk,
        "decision": found.decision,
        "reason": found.reason,
        "price_minor": price,
        "currency": currency,
        "member_left_minor": found.member_left_minor,
        "minutes_left": found.minutes_left,
        "approver": found.approver.handle if found.approver else None,
    }


@router.post(
    "/bookings",
    response={201: BookingOut, **ERRORS},
    summary="Book an expert's free slot (optionally on a budget)",
)
def booking_create(request, payload: BookingIn):
    budget = (
        selectors.budget_for_member(member=request.user, budget_id=payload.budget)
        if payload.budget
        else None
    )
    booking = services.booking_create(
        member=request.user,
        expert_handle=payload.expert,
        subject=payload.subject,
        starts_at=payload.starts_at,
        budget=budget,
        help_request_id=payload.help_request,
    )
    return Status(201, _booking(request, booking.pk))


@router.get(
    "/bookings", response={200: list[BookingOut], **ERRORS}, summary="Bookings I made or give"
)
def bookings(request, when: str = Query("upcoming", pattern="^(upcoming|past)$")):
    found = selectors.bookings_of(request.user).select_related("decided_by")
    now = timezone.now()
    if when == "upcoming":
        found = found.filter(ends_at__gt=now)
    else:
        found = found.filter(ends_at__lte=now).order_by("-starts_at")
    return [_booking_out(b) for b in found[:100]]


@router.get("/bookings/{booking_id}", response={200: BookingOut, **ERRORS}, summary="One booking")
def booking_get(request, booking_id: int = Id):
    return _booking(request, booking_id)


@router.post(
    "/bookings/{booking_id}/cancel",
    response={200: BookingOut, **ERRORS},
    summary="Cancel (free before the expert's window; later the member is charged)",
)
def booking_cancel(request, booking_id: int = Id):
    services.booking_cancel(booking_id=booking_id, by=request.user)
    return _booking(request, booking_id)


@router.post(
    "/bookings/{booking_id}/reschedule",
    response={200: BookingOut, **ERRORS},
    summary="Move to another free slot (until the free-cancellation window)",
)
def booking_reschedule(request, payload: RescheduleIn, booking_id: int = Id):
    services.booking_reschedule(booking_id=booking_id, by=request.user, starts_at=payload.starts_at)
    return _booking(request, booking_id)


def _review_out(review) -> dict | None:
    if review is None:
        return None
    return {
        "author": review.author.handle,
        "rating": review.rating,
        "text": review.text,
        "change": review.change,
        "created_at": review.created_at,
    }


@router.post(
    "/bookings/{booking_id}/reviews",
    response={201: ReviewOut, **ERRORS},
    summary="Review a session that took place",
)
def booking_review(request, payload: ReviewIn, booking_id: int = Id):
    review = services.booking_review(booking_id=booking_id, by=request.user, **payload.dict())
    return Status(201, _review_out(review))


@router.get(
    "/bookings/{booking_id}/reviews",
    response={200: ReviewsOut, **ERRORS},
    summary="Mine, and theirs once both reviewed or a week passed",
)
def booking_reviews(request, booking_id: int = Id):
    booking = selectors.booking_get(viewer=request.user, booking_id=booking_id)
    if request.user.pk not in (booking.member_id, booking.expert_id):
        raise NotFound(f"No booking {booking_id} of yours.")
    shown = selectors.reviews_for(viewer=request.user, booking=booking)
    return {
        "mine": _review_out(shown.mine),
        "theirs": _review_out(shown.theirs),
        "they_answered": shown.they_answered,
    }


@router.get(
    "/approvals",
    response={200: list[BookingOut], **ERRORS},
    summary="Sponsorship requests waiting for my decision",
)
def approvals(request):
    return [_booking_out(b) for b in selectors.approvals_for(request.user)[:100]]


@router.post(
    "/approvals/{booking_id}",
    response={200: BookingOut, **ERRORS},
    summary="Approve or decline (with a reason) a sponsorship request",
)
def approval_decide(request, payload: DecisionIn, booking_id: int = Id):
    booking = services.booking_decide(
        booking_id=booking_id, by=request.user, approve=payload.approve, reason=payload.reason
    )
    return _booking_out(booking)


@router.get(
    "/me/budgets",
    response={200: list[MyBudgetOut], **ERRORS},
    summary="Budgets of my organizations I can book on, with my share",
)
def my_budgets(request):
    rows = []
    for budget in selectors.budgets_for_member(request.user):
        share = selectors.balance(budget, request.user)
        used = selectors.minutes_used(budget, request.user)
        rows.append(
            {
                "id": budget.pk,
                "organization": budget.organization.slug,
                "name": budget.name,
                "currency": budget.currency,
                "starts_on": budget.starts_on,
                "ends_on": budget.ends_on,
                "share_minor": budget.per_member_minor,
                "share_left_minor": share.available,
                "minutes_left": None
                if budget.per_member_minutes is None
                else budget.per_member_minutes - used,
            }
        )
    return rows


@router.get(
    "/me/payouts",
    response={200: list[PayoutOut], **ERRORS},
    summary="Invoices for sessions I gave as an expert",
)
def my_payouts(request):
    found = Payout.objects.filter(expert=request.user).select_related(
        "payer_organization", "payer_member"
    )
    return [
        {
            "booking": p.booking_id,
            "amount_minor": p.amount_minor,
            "currency": p.currency,
            "payer": p.payer_organization.slug
            if p.payer_organization_id
            else p.payer_member.handle,
            "status": p.status,
            "reference": p.reference,
            "created_at": p.created_at,
        }
        for p in found[:100]
    ]


# --- An organization's sponsorship (its admins) --------------------------------------------


def _policy_out(organization) -> dict:
    policy = SponsorshipPolicy.objects.filter(organization=organization).first()
    funded: dict[str, list[str]] = {}
    for row in FundedSubject.objects.filter(organization=organization).select_related("skill"):
        funded.setdefault(row.department, []).append(row.skill.name)
    return {
        "unlisted": policy.unlisted if policy else "ask",
        "funded": [{"department": d, "skills": s} for d, s in funded.items()],
    }


@router.get(
    "/orgs/{slug}/sponsorship",
    response={200: PolicyOut, **ERRORS},
    summary="The sponsorship policy (org admins)",
)
def policy_get(request, slug: str = Path(..., max_length=50)):
    return _policy_out(selectors.sponsoring_org(viewer=request.user, slug=slug))


@router.put(
    "/orgs/{slug}/sponsorship",
    response={200: PolicyOut, **ERRORS},
    summary="Replace the sponsorship policy (org admins)",
)
def policy_set(request, payload: PolicyIn, slug: str = Path(..., max_length=50)):
    organization = selectors.sponsoring_org(viewer=request.user, slug=slug)
    funded: dict[str, list[str]] = {}
    for row in payload.funded:
        funded.setdefault(row.department.strip(), []).extend(row.skills)
    services.sponsorship_policy_set(
        by=request.user, organization=organization, unlisted=payload.unlisted, funded=funded
    )
    return _policy_out(organization)


def _budget_out(line) -> dict:
    b = line.budget
    return {
        "id": b.pk,
        "name": b.name,
        "currency": b.currency,
        "starts_on": b.starts_on,
        "ends_on": b.ends_on,
        "total_minor": b.total_minor,
        "per_member_minor": b.per_member_minor,
        "per_member_minutes": b.per_member_minutes,
        "held_minor": line.held,
        "spent_minor": line.spent,
        "available_minor": line.available,
    }


@router.get(
    "/orgs/{slug}/budgets",
    response={200: SpendOut, **ERRORS},
    summary="Budgets, balances and spend (org admins)",
)
def budgets(request, slug: str = Path(..., max_length=50)):
    spend = selectors.spend_of(selectors.sponsoring_org(viewer=request.user, slug=slug))

    def rows(groups):
        return [
            {"label": r.label, "currency": c, "spent_minor": r.spent}
            for c, found in groups.items()
            for r in found
        ]

    return {
        "budgets": [_budget_out(line) for line in spend.budgets],
        "by_department": rows(spend.by_department),
        "by_subject": rows(spend.by_subject),
    }


@router.post(
    "/orgs/{slug}/budgets", response={201: BudgetOut, **ERRORS}, summary="Add a budget (org admins)"
)
def budget_create(request, payload: BudgetIn, slug: str = Path(..., max_length=50)):
    organization = selectors.sponsoring_org(viewer=request.user, slug=slug)
    budget = services.budget_create(by=request.user, organization=organization, **payload.dict())
    figures = selectors.balance(budget)
    line = selectors.BudgetLine(
        budget, figures.total, figures.held, figures.spent, figures.available
    )
    return Status(201, _budget_out(line))
