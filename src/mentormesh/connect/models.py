"""Asks (outreach with context), blocks and reports, and the relationships asks start."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from mentormesh.people.models import Skill

TIME_CHOICES = [(15, "15 minutes"), (30, "30 minutes"), (45, "45 minutes"), (60, "60 minutes")]


class AskStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    MORE = "more", "They asked to know more"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (AskStatus.PENDING, AskStatus.MORE)


class DeclineKind(models.TextChoices):
    BUSY = "busy", "Too busy right now"
    NOT_MY_AREA = "not_my_area", "Not my area"
    NOT_A_FIT = "not_a_fit", "Not a good fit"
    OTHER = "other", "Other"


class Ask(models.Model):
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asks_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asks_received"
    )
    skill = models.ForeignKey(Skill, on_delete=models.SET_NULL, null=True, blank=True)
    message = models.TextField(max_length=4000)
    question = models.CharField(max_length=500, help_text="What exactly you are asking.")
    time_minutes = models.PositiveSmallIntegerField(
        choices=TIME_CHOICES, null=True, blank=True, help_text="Empty: an answer in writing."
    )
    offer_back = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=AskStatus.choices, default=AskStatus.PENDING)
    check_score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    decline_kind = models.CharField(max_length=12, choices=DeclineKind.choices, blank=True)
    decline_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    # Set when the ask came through an introduction.
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    intro_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "status"]),
            models.Index(fields=["sender", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(sender=F("recipient")), name="ask_not_self"),
            # One open ask per pair: a second one while the first waits is a double send.
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status__in=["pending", "more"]),
                name="ask_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient}: {self.question[:40]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AskReply(models.Model):
    """The "tell me more" thread: the recipient's question and the sender's answer."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Block(models.Model):
    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"


class Report(models.Model):
    """A recipient's report of an abusive ask, for staff to review."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ask", "reporter"], name="report_once_per_ask")
        ]

    def __str__(self) -> str:
        return f"report on {self.ask_id}"


class RelationshipStatus(models.TextChoices):
    EXPLORING = "exploring", "Exploring"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class Relationship(models.Model):
    """Two people helping each other with something; either may give, either may get.

    ``first`` is the one with the lower id, so a pair has one live relationship whichever
    of them asked.
    """

    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_by_ask = models.OneToOneField(
        Ask, on_delete=models.SET_NULL, null=True, blank=True, related_name="relationship"
    )
    topic = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=RelationshipStatus.choices, default=RelationshipStatus.EXPLORING
    )
    cadence_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    started_at = models.DateTimeField(auto_now_add=True)
    last_contact_at = models.DateTimeField()
    nudged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_contact_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="relationship_order"),
            models.UniqueConstraint(
                fields=["first", "second"],
                condition=~Q(status="ended"),
                name="relationship_one_live_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} & {self.second}: {self.topic}"

    def other(self, user) -> object:
        return self.second if user.pk == self.first_id else self.first

    @property
    def overdue(self) -> bool:
        """Quiet for longer than the cadence the two agreed."""
        return timezone.now() - self.last_contact_at > timedelta(days=self.cadence_days)


class RelationshipSide(models.Model):
    """What one person gives and gets in a relationship, in their own words."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="sides")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    gives = models.CharField(max_length=300, blank=True)
    gets = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "user"], name="one_side_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.relationship_id}"


class IntroStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for the introducer"
    FORWARDED = "forwarded", "Introduced"
    DECLINED = "declined", "Not introduced"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Introduction(models.Model):
    """A request to a shared contact to pass an ask on, with their own note."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intros_requested"
    )
    target = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    introducer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intros_to_make"
    )
    # How the introducer knows each side, in words ("a relationship", "Acme, Platform team").
    shared_context = models.CharField(max_length=300)
    note_to_introducer = models.CharField(max_length=500)
    # The ask the target receives once forwarded.
    skill = models.ForeignKey(Skill, on_delete=models.SET_NULL, null=True, blank=True)
    message = models.TextField(max_length=4000)
    question = models.CharField(max_length=500)
    time_minutes = models.PositiveSmallIntegerField(choices=TIME_CHOICES, null=True, blank=True)
    offer_back = models.CharField(max_length=300, blank=True)
    check_score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    status = models.CharField(
        max_length=10, choices=IntroStatus.choices, default=IntroStatus.REQUESTED
    )
    introducer_note = models.CharField(max_length=500, blank=True)
    ask = models.OneToOneField(
        Ask, on_delete=models.SET_NULL, null=True, blank=True, related_name="introduction"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "target"],
                condition=Q(status="requested"),
                name="intro_one_open_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(requester=F("target"))
                & ~Q(requester=F("introducer"))
                & ~Q(target=F("introducer")),
                name="intro_three_people",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.introducer} → {self.target}"


class SessionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"


# A proposed session holds the time for both people until it is answered.
HOLDING_STATUSES = (SessionStatus.PROPOSED, SessionStatus.CONFIRMED)


class Session(models.Model):
    """A meeting of the two people in a relationship, stored in UTC."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="sessions"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.PROPOSED
    )
    place = models.CharField(max_length=300, blank=True, help_text="A video link or a place.")
    agenda = models.TextField(max_length=2000, blank=True)
    notes = models.TextField(max_length=4000, blank=True)
    # iCalendar identity: the UID stays, the sequence goes up with every change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="session_order")
        ]

    def __str__(self) -> str:
        return f"{self.relationship.topic} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class FollowUp(models.Model):
    """Something one of the two will do after a session, by a date."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="follow_ups")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Useful(models.TextChoices):
    YES = "yes", "Yes, very"
    SOMEWHAT = "somewhat", "Somewhat"
    NO = "no", "Not really"


class Direction(models.TextChoices):
    GOT = "got", "I mostly got help"
    BOTH = "both", "Both ways"
    GAVE = "gave", "I mostly gave help"


class SessionFeedback(models.Model):
    """One side's short feedback; the other side reads it once both answered or a week on."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    useful = models.CharField(max_length=8, choices=Useful.choices)
    direction = models.CharField(max_length=4, choices=Direction.choices)
    takeaway = models.TextField(max_length=1000, help_text="What you took away or gave back.")
    change = models.CharField(max_length=500, blank=True, help_text="One thing to change.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "author"], name="feedback_once_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.author} on session {self.session_id}"
