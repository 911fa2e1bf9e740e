"""Paid help: experts' offers, bookings of their time, and organizations' sponsorship budgets
kept as a ledger (every hold, charge, release and refund an entry; balances are sums)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from mentormesh.people.models import Organization, Skill


class ExpertOffer(models.Model):
    """An expert's paid offer; the rate and currency live on their profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_offer"
    )
    subjects = models.ManyToManyField(Skill, related_name="experts")
    slot_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    # Cancelled at least this long before the start: no charge; later: the full price.
    free_cancellation_hours = models.PositiveSmallIntegerField(
        default=24, validators=[MaxValueValidator(24 * 14)]
    )
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"expert offer of {self.user}"


class Budget(models.Model):
    """An organization's money for sponsored help in one period, in one currency."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="budgets")
    name = models.CharField(max_length=60)
    currency = models.CharField(max_length=3)
    total_minor = models.PositiveBigIntegerField()
    per_member_minor = models.PositiveBigIntegerField()
    # Hours per member in the period, as minutes; empty: only the money share limits.
    per_member_minutes = models.PositiveIntegerField(null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="budget_period"),
            models.CheckConstraint(
                condition=Q(per_member_minor__lte=F("total_minor")), name="budget_member_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.name}"


class EntryKind(models.TextChoices):
    HOLD = "hold", "Hold"
    RELEASE = "release", "Release"
    CHARGE = "charge", "Charge"
    REFUND = "refund", "Refund"


class LedgerEntry(models.Model):
    """Append-only. Held = holds − releases; spent = charges − refunds; available = total −
    held − spent. Entries are never edited or deleted."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="entries")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey(
        "Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    kind = models.CharField(max_length=8, choices=EntryKind.choices)
    amount_minor = models.PositiveBigIntegerField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["budget", "member"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="entry_positive")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_minor} {self.budget.currency}"


class BookingStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting", "Waiting for approval"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"
    DECLINED = "declined", "Declined"


# These hold the expert's and the member's time.
HOLDING = (BookingStatus.AWAITING_APPROVAL, BookingStatus.CONFIRMED)


class Booking(models.Model):
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings_given"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings_made"
    )
    subject = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=BookingStatus.choices)
    price_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    # The expert's policy when booked: later changes do not reach bookings already made.
    free_cancellation_hours = models.PositiveSmallIntegerField(default=24)
    help_request = models.ForeignKey(
        "HelpRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    # The sponsorship decision: by the policy (decided_by empty) or by an approver.
    decision_reason = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who is asked to approve: the member's manager, or (empty) the organization's admins.
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approvals",
    )
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="booking_order"),
            models.CheckConstraint(condition=~Q(expert=F("member")), name="booking_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} with {self.expert} at {self.starts_at:%Y-%m-%d %H:%M}"


# --- Employer sponsorship -------------------------------------------------------------------


class UnlistedRule(models.TextChoices):
    ASK = "ask", "Send to the member's manager (or an org admin) to decide"
    DECLINE = "decline", "Decline"


class SponsorshipPolicy(models.Model):
    """What an organization pays for. A subject is relevant to a member's job when it is
    funded for their department (or for everyone); anything else follows ``unlisted``."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="sponsorship"
    )
    unlisted = models.CharField(
        max_length=8, choices=UnlistedRule.choices, default=UnlistedRule.ASK
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"sponsorship policy of {self.organization}"


class FundedSubject(models.Model):
    """A skill an organization funds for one department ("" = every department)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="funded_subjects"
    )
    department = models.CharField(max_length=100, blank=True)
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["department", "skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "department", "skill"], name="funded_subject_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.skill} for {self.department or 'everyone'} at {self.organization}"


# --- Help requests --------------------------------------------------------------------------


class Urgency(models.TextChoices):
    TODAY = "today", "Today"
    WEEK = "week", "This week"
    WHENEVER = "whenever", "No rush"


class HelpStatus(models.TextChoices):
    OPEN = "open", "Open"
    PICKED = "picked", "Being helped"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class HelpRequest(models.Model):
    """Someone stuck on something. Only the member and the people it is routed to see it;
    with ``anonymous`` the helpers do not see who asked until the member picks an offer."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_requests"
    )
    text = models.TextField(max_length=2000)
    skills = models.ManyToManyField(Skill, related_name="+")
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.WEEK)
    anonymous = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=HelpStatus.choices, default=HelpStatus.OPEN)
    picked = models.OneToOneField(
        "HelpOffer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When resolved: who helped (a helper or an expert) and, in the member's words, what did.
    helped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    what_helped = models.CharField(max_length=500, blank=True)
    experts_routed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


class RouteKind(models.TextChoices):
    PEER = "peer", "In your network"
    EXPERT = "expert", "Paid expert"


class HelpRoute(models.Model):
    """A request shown to one helper: who, in what order, and why the engine chose them."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="routes")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_routes"
    )
    kind = models.CharField(max_length=6, choices=RouteKind.choices)
    rank = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)
    seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "rank"]
        constraints = [models.UniqueConstraint(fields=["request", "helper"], name="route_once")]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.helper}"


class OfferKind(models.TextChoices):
    REPLY = "reply", "A written reply"
    ASYNC = "async", "An async answer (a recording, a review, a doc)"
    CALL = "call", "A call"


class OfferStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    PICKED = "picked", "Picked"
    NOT_PICKED = "not_picked", "Not picked"
    WITHDRAWN = "withdrawn", "Withdrawn"


class HelpOffer(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="offers")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_offers"
    )
    kind = models.CharField(max_length=6, choices=OfferKind.choices)
    message = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=10, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "helper"], name="help_offer_once")
        ]

    def __str__(self) -> str:
        return f"{self.helper} offers {self.kind} on {self.request_id}"


# --- After a booking: reviews and payouts ----------------------------------------------------


class BookingReview(models.Model):
    """Each side's review of a paid session; the other side's is shown once both answered
    or a week after the session ended (as for session feedback)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.CharField(max_length=1000, blank=True)
    change = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "author"], name="booking_review_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="booking_review_rating"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} on booking {self.booking_id}: {self.rating}/5"


class PayoutStatus(models.TextChoices):
    RECORDED = "recorded", "Recorded, to be paid"
    SENT = "sent", "Sent"


class Payout(models.Model):
    """What the expert is owed for one booking, and who pays: an organization's budget or
    the member. Made by the configured payout adapter (``experts.payouts``)."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="payout")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    payer_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payer_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        max_length=8, choices=PayoutStatus.choices, default=PayoutStatus.RECORDED
    )
    reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payout_positive")
        ]

    def __str__(self) -> str:
        return f"invoice {self.reference or self.pk}: {self.amount_minor} {self.currency}"
