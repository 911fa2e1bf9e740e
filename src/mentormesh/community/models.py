"""Events (lunch-and-learns, question-first panels, mixers), RSVPs with a waitlist, and the
question board of a panel with its votes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from mentormesh.people.models import Organization, Skill


class EventKind(models.TextChoices):
    LUNCH_AND_LEARN = "lunch_and_learn", "Lunch-and-learn"
    PANEL = "panel", "Question-first panel"
    MIXER = "mixer", "Mixer"


class Event(models.Model):
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="events_hosted"
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=4000, blank=True)
    description_html = models.TextField(blank=True, editable=False)
    skills = models.ManyToManyField(Skill, blank=True, related_name="events")
    # Set: only the organization's members see and join it.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    online_url = models.URLField(max_length=300, blank=True)
    place = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    # Kept by conditional updates under the event's row lock; the constraint is the backstop.
    going_count = models.PositiveIntegerField(default=0, editable=False)
    board_closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="event_order"),
            models.CheckConstraint(
                condition=Q(going_count__lte=F("capacity")), name="event_never_over_capacity"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Panelist(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="panelists")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="panelist_once")]

    def __str__(self) -> str:
        return f"{self.user} on {self.event}"


class RsvpStatus(models.TextChoices):
    GOING = "going", "Going"
    WAITLIST = "waitlist", "On the waitlist"
    CANCELLED = "cancelled", "Not going"


class Rsvp(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    status = models.CharField(max_length=10, choices=RsvpStatus.choices)
    # The waitlist's order: when this person last joined.
    joined_at = models.DateTimeField()
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "joined_at"])]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="rsvp_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.status} {self.event}"


class Question(models.Model):
    """A question on a panel's board. An anonymous one never shows its author in pages, the
    API or exports; only staff see it, in the admin, for moderation."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    anonymous = models.BooleanField(default=False)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Vote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="vote_once")]

    def __str__(self) -> str:
        return f"{self.user} +1 {self.question_id}"


class MixerOptIn(models.Model):
    """A member who wants to be placed in their organization's mixer rounds."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="mixer_opt_in_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} mixers"


class MixerRound(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="mixer_rounds"
    )
    name = models.CharField(max_length=60)
    group_size = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2), MaxValueValidator(4)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opted_in = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    repeats = models.PositiveIntegerField(default=0)
    cross_department_groups = models.PositiveIntegerField(default=0)
    # [{"handle": ..., "why": ...}] for everyone opted in who could not be placed.
    unplaced = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="mixer_round_name_once")
        ]

    def __str__(self) -> str:
        return f"{self.organization} mixer {self.name}"

    @property
    def cross_department_share(self) -> float:
        groups = self.groups.count()
        return self.cross_department_groups / groups if groups else 0.0


class MixerGroup(models.Model):
    round = models.ForeignKey(MixerRound, on_delete=models.CASCADE, related_name="groups")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="mixer_groups")
    opener = models.CharField(max_length=300)

    def __str__(self) -> str:
        return f"group {self.pk} of {self.round}"


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Post(models.Model):
    """Writing in Markdown (sanitized when rendered). A draft can be shared with friends, who
    comment before it is published; @mentions tell the people named once it is."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    title = models.CharField(max_length=160)
    body = models.TextField(max_length=20_000)
    body_html = models.TextField(editable=False)
    skills = models.ManyToManyField(Skill, blank=True, related_name="posts")
    status = models.CharField(max_length=10, choices=PostStatus.choices, default=PostStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="drafts_to_review"
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in"
    )

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return self.title


class DraftComment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
