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
