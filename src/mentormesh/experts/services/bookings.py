"""Writes for bookings of experts: book, decide sponsorship, move, cancel, settle, review.

A booking locks the expert's and the member's rows before it looks for a clash, so no one is
booked twice for the same time. A sponsored booking then locks its budget, asks the policy
(``selectors.coverage``) and holds the price; the hold becomes a charge and a payout record
when the session has happened.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from mentormesh.errors import Conflict, DomainError, NotFound, PermissionDenied
from mentormesh.experts import payouts, selectors
from mentormesh.experts.models import (
    HOLDING,
    Booking,
    BookingReview,
    BookingStatus,
    Budget,
    ExpertOffer,
    HelpRequest,
)
from mentormesh.experts.services.ledger import ledger_charge, ledger_hold, ledger_release
from mentormesh.matching.availability import zone
from mentormesh.notifications.services import notify
from mentormesh.people.models import Role, User
from mentormesh.people.selectors import skills_named
from mentormesh.text import money


@transaction.atomic
def expert_offer_set(
    *,
    user: User,
    subjects: list[str],
    slot_minutes: int = 60,
    free_cancellation_hours: int = 24,
    active: bool = True,
) -> ExpertOffer:
    profile = user.profile
    if not (profile.open_to_paid and profile.paid_rate_minor and profile.paid_currency):
        raise DomainError(
            "Set an hourly rate and currency on your profile (open to paid help) first.",
            field="paid_rate",
        )
    resolved = skills_named(subjects, field="subjects")
    if not resolved:
        raise DomainError("subjects: name at least one.", field="subjects")
    if not 15 <= slot_minutes <= 240:
        raise DomainError("slot_minutes: between 15 and 240.", field="slot_minutes")
    if not 0 <= free_cancellation_hours <= 24 * 14:
        raise DomainError(
            "free_cancellation_hours: at most two weeks.", field="free_cancellation_hours"
        )
    offer, _ = ExpertOffer.objects.update_or_create(
        user=user,
        defaults={
            "slot_minutes": slot_minutes,
            "free_cancellation_hours": free_cancellation_hours,
            "active": active,
        },
    )
    offer.subjects.set(resolved)
    return offer


def expert_offer_pause(*, user: User) -> None:
    """Nobody can book me until I publish again; bookings already made stay."""
    ExpertOffer.objects.filter(user=user).update(active=False)


def _check_start(starts_at: datetime) -> None:
    if timezone.is_naive(starts_at):
        raise DomainError("starts_at: give a time zone.", field="starts_at")
    if starts_at <= timezone.now():
        raise DomainError("starts_at: that time has passed.", field="starts_at")


def _lock_people(*people: User) -> None:
    """Lock the people's rows in id order (the same order everywhere: no deadlock)."""
    ids = sorted({person.pk for person in people})
    list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _claim_time(
    expert: User, member: User, starts_at: datetime, minutes: int, moving: Booking | None = None
) -> datetime:
    """Under the people's locks: the slot must be the expert's and nobody's booking may
    overlap it (the booking being moved aside). Returns the end."""
    if starts_at not in selectors.expert_slots(expert, minutes=minutes, free_only=False):
        raise DomainError(
            f"starts_at: not one of @{expert.handle}'s free slots; pick one from the list.",
            field="starts_at",
        )
    ends_at = starts_at + timedelta(minutes=minutes)
    clash = selectors.bookings_holding([member, expert]).filter(
        starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if moving is not None:
        clash = clash.exclude(pk=moving.pk)
    if clash.exists():
        raise Conflict("That time is already booked. Pick another slot.", field="starts_at")
    return ends_at


def _booking_url(booking: Booking) -> str:
    return reverse("booking", args=[booking.pk])


def _when(booking: Booking, user: User) -> str:
    local = booking.starts_at.astimezone(zone(user.profile.timezone) or UTC)
    return f"{local:%a %-d %b, %H:%M} ({user.profile.timezone})"


def _tell(user: User, kind: str, text: str, booking: Booking) -> None:
    notify(user=user, kind=kind, text=text, url=_booking_url(booking))


@transaction.atomic
def booking_create(
    *,
    member: User,
    expert_handle: str,
    subject: str,
    starts_at: datetime,
    budget: Budget | None = None,
    help_request_id: int | None = None,
) -> Booking:
    """Book one of an expert's free slots. With a budget, its policy decides: approved
    bookings are confirmed, others wait for the approver; either way the price is held.
    A budget's refusal (over budget, not funded) is an error, and nothing is written."""
    offer = selectors.bookable_offer(viewer=member, handle=expert_handle)
    expert, profile = offer.user, offer.user.profile
    if expert.pk == member.pk:
        raise DomainError("You cannot book yourself.", field="expert")
    skill = selectors.offered_subject(offer, subject)
    _check_start(starts_at)
    help_request = None
    if help_request_id is not None:
        help_request = HelpRequest.objects.filter(pk=help_request_id, member=member).first()
        if help_request is None:
            raise NotFound(f"No help request {help_request_id} of yours.")
    _lock_people(member, expert)
    ends_at = _claim_time(expert, member, starts_at, offer.slot_minutes)
    price = selectors.offer_price(offer)
    status, reason, approver = BookingStatus.CONFIRMED, "", None
    if budget is not None:
        budget = Budget.objects.select_for_update().get(pk=budget.pk)
        decision = selectors.coverage(
            member=member,
            budget=budget,
            subject=skill,
            price_minor=price,
            currency=profile.paid_currency,
            minutes=offer.slot_minutes,
            starts_at=starts_at,
            expert=expert,
        )
        if not decision.covered:
            raise Conflict(decision.reason, code=decision.code)
        reason, approver = decision.reason, decision.approver
        if decision.decision == selectors.ASK:
            status = BookingStatus.AWAITING_APPROVAL
    booking = Booking.objects.create(
        expert=expert,
        member=member,
        subject=skill,
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
        price_minor=price,
        currency=profile.paid_currency,
        budget=budget,
        free_cancellation_hours=offer.free_cancellation_hours,
        help_request=help_request,
        decision_reason=reason,
        approver=approver,
    )
    if budget is not None:
        ledger_hold(budget=budget, member=member, amount=price, booking=booking)
    name = member.profile.display_name
    if status == BookingStatus.AWAITING_APPROVAL:
        deciders = [approver] if approver else _org_admins(budget, but=[member, expert])
        for decider in deciders:
            notify(
                user=decider,
                kind="approval",
                text=f"{name} asks {budget.organization.name} to fund a session on "
                f"{skill.name} ({money(price, booking.currency)}).",
                url=reverse("approvals"),
            )
    _tell(
        expert,
        "booking",
        f"{name} booked you for {skill.name}, {_when(booking, expert)}"
        + (
            " (waiting for their employer's approval)."
            if status != BookingStatus.CONFIRMED
            else "."
        ),
        booking,
    )
    _settle_later(booking)
    return booking


def _org_admins(budget: Budget, *, but: list[User]) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organization_id=budget.organization_id, memberships__role=Role.ADMIN
        ).exclude(pk__in=[user.pk for user in but])
    )


def _settle_later(booking: Booking) -> None:
    from mentormesh.experts import tasks

    at, pk = booking.ends_at, booking.pk
    transaction.on_commit(lambda: tasks.booking_settle.using(run_after=at).enqueue(pk))


def _booking_of(booking_id: int, user: User) -> Booking:
    booking = (
        Booking.objects.select_related("expert__profile", "member__profile", "budget", "subject")
        .filter(pk=booking_id)
        .filter(Q(expert=user) | Q(member=user))
        .first()
    )
    if booking is None:
        raise NotFound(f"No booking {booking_id} of yours.")
    return booking


@transaction.atomic
def booking_decide(*, booking_id: int, by: User, approve: bool, reason: str = "") -> Booking:
    """The member's manager or an org admin approves or declines a sponsorship request.
    Approving (or declining) one's own request is forbidden; a decline needs a reason."""
    booking = (
        Booking.objects.select_related("budget__organization", "member__profile", "subject")
        .filter(pk=booking_id, budget__isnull=False)
        .first()
    )
    if booking is None:
        raise NotFound(f"No sponsorship request {booking_id} for you to decide.")
    if booking.member_id == by.pk:
        raise PermissionDenied("You cannot decide your own sponsorship request.")
    if booking.expert_id == by.pk:
        raise PermissionDenied("You cannot decide funding for a session you are paid for.")
    if not selectors.may_decide(by, booking):
        raise NotFound(f"No sponsorship request {booking_id} for you to decide.")
    reason = reason.strip()
    if not approve and not reason:
        raise DomainError("reason: say why, so they know what to do next.", field="reason")
    if len(reason) > 300:
        raise DomainError("reason: at most 300 characters.", field="reason")
    if booking.starts_at <= timezone.now():
        raise Conflict("This session has started; it is too late to decide.")
    status = BookingStatus.CONFIRMED if approve else BookingStatus.DECLINED
    moved = Booking.objects.filter(pk=booking.pk, status=BookingStatus.AWAITING_APPROVAL).update(
        status=status,
        decided_by=by,
        decision_reason=reason or "Approved.",
        sequence=F("sequence") + 1,
    )
    if not moved:
        raise Conflict("This request was already decided or cancelled.")
    booking.refresh_from_db()
    who = by.profile.display_name
    if approve:
        text = f"{who} approved funding for your session on {booking.subject.name}."
        _tell(
            booking.expert,
            "booking",
            f"{booking.member.profile.display_name}'s session on {booking.subject.name} is "
            f"funded and on: {_when(booking, booking.expert)}.",
            booking,
        )
    else:
        ledger_release(booking=booking)
        text = f"{who} declined funding for your session on {booking.subject.name}: {reason}"
        _tell(
            booking.expert,
            "booking",
            f"{booking.member.profile.display_name}'s session on "
            f"{booking.subject.name} was not funded and is off.",
            booking,
        )
    _tell(booking.member, "approval", text, booking)
    return booking


@transaction.atomic
def booking_reschedule(*, booking_id: int, by: User, starts_at: datetime) -> Booking:
    """Either side moves a booking to another free slot, until the free-cancellation
    window begins; the price and any hold stay as they are."""
    booking = _booking_of(booking_id, by)
    if booking.status not in HOLDING:
        raise Conflict("Only a booking that is on can be moved.")
    if timezone.now() > booking.starts_at - timedelta(hours=booking.free_cancellation_hours):
        raise Conflict(
            f"Inside the {booking.free_cancellation_hours}-hour cancellation window it can no "
            "longer be moved.",
            code="too_late",
        )
    _check_start(starts_at)
    if booking.budget_id and not (
        booking.budget.starts_on <= starts_at.astimezone(UTC).date() <= booking.budget.ends_on
    ):
        raise DomainError("starts_at: outside the budget's period.", field="starts_at")
    _lock_people(booking.member, booking.expert)
    minutes = int((booking.ends_at - booking.starts_at).total_seconds() // 60)
    ends_at = _claim_time(booking.expert, booking.member, starts_at, minutes, moving=booking)
    moved = Booking.objects.filter(pk=booking.pk, status__in=HOLDING).update(
        starts_at=starts_at, ends_at=ends_at, sequence=F("sequence") + 1
    )
    if not moved:
        raise Conflict("This booking was cancelled meanwhile.")
    booking.refresh_from_db()
    other = booking.expert if by.pk == booking.member_id else booking.member
    _tell(
        other,
        "booking",
        f"{by.profile.display_name} moved your session on "
        f"{booking.subject.name} to {_when(booking, other)}.",
        booking,
    )
    _settle_later(booking)
    return booking


@transaction.atomic
def booking_cancel(*, booking_id: int, by: User) -> Booking:
    """Either side cancels. Before the expert's free-cancellation window the hold is
    released; inside it, a member's cancellation is charged in full (the expert's never)."""
    booking = _booking_of(booking_id, by)
    if booking.starts_at <= timezone.now():
        raise Conflict("This session has started; it can no longer be cancelled.")
    was_confirmed = booking.status == BookingStatus.CONFIRMED
    if not Booking.objects.filter(pk=booking.pk, status__in=HOLDING).update(
        status=BookingStatus.CANCELLED, sequence=F("sequence") + 1
    ):
        raise Conflict("This booking is already cancelled.")
    booking.refresh_from_db()
    free_until = booking.starts_at - timedelta(hours=booking.free_cancellation_hours)
    # Late only for a session that was on: one still waiting for approval costs nothing.
    late = timezone.now() > free_until and by.pk == booking.member_id and was_confirmed
    if booking.budget_id:
        if late:
            ledger_charge(booking=booking, note="Cancelled inside the free-cancellation window")
        else:
            ledger_release(booking=booking)
    if late:
        payouts.record(booking)
    other = booking.expert if by.pk == booking.member_id else booking.member
    _tell(
        other,
        "booking",
        f"{by.profile.display_name} cancelled the session on "
        f"{booking.subject.name}, {_when(booking, other)}.",
        booking,
    )
    return booking


@transaction.atomic
def booking_settle(*, booking_id: int) -> bool:
    """After a booking's end (a task): a request nobody decided lapses and its hold is
    released; a confirmed session is charged, its payout recorded, and both are asked
    for a review. Runs once per booking whatever the task queue repeats."""
    booking = Booking.objects.select_related("budget", "subject").filter(pk=booking_id).first()
    if booking is None or booking.ends_at > timezone.now() or hasattr(booking, "payout"):
        return False
    if booking.status == BookingStatus.AWAITING_APPROVAL:
        if not Booking.objects.filter(pk=booking.pk, status=BookingStatus.AWAITING_APPROVAL).update(
            status=BookingStatus.DECLINED, decision_reason="No decision before the session."
        ):
            return False
        booking.refresh_from_db()
        ledger_release(booking=booking)
        return True
    if booking.status != BookingStatus.CONFIRMED:
        return False
    if booking.budget_id and selectors.held_for(booking) > 0:
        ledger_charge(booking=booking, note="Session held")
    payouts.record(booking)
    for user, other in ((booking.member, booking.expert), (booking.expert, booking.member)):
        _tell(
            user,
            "review",
            f"How was your session with {other.profile.display_name} on "
            f"{booking.subject.name}? Leave a review.",
            booking,
        )
    return True


@transaction.atomic
def booking_review(
    *, booking_id: int, by: User, rating: int, text: str = "", change: str = ""
) -> BookingReview:
    """Each side reviews a session that happened, once."""
    booking = _booking_of(booking_id, by)
    if booking.status != BookingStatus.CONFIRMED:
        raise Conflict("Only a session that took place can be reviewed.")
    if booking.ends_at > timezone.now():
        raise Conflict("Review once the session is over.")
    if not 1 <= rating <= 5:
        raise DomainError("rating: from 1 to 5.", field="rating")
    if len(text) > 1000 or len(change) > 300:
        raise DomainError("text: at most 1000 characters; change: at most 300.", field="text")
    try:
        with transaction.atomic():
            review = BookingReview.objects.create(
                booking=booking,
                author=by,
                rating=rating,
                text=text.strip(),
                change=change.strip(),
            )
    except IntegrityError:
        raise Conflict("You already reviewed this session.") from None
    other = booking.expert if by.pk == booking.member_id else booking.member
    _tell(
        other,
        "review",
        f"{by.profile.display_name} reviewed your session on {booking.subject.name}.",
        booking,
    )
    return review
