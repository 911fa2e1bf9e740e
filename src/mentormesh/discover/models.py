from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from mentormesh.people.models import Organization


class NetworkRevision(models.Model):
    """One row whose token changes whenever anything the engine reads changes.

    Every server process compares its index against this row, so all of them answer from
    the same data; a token rather than a counter, so a rolled-back change can never make
    two different networks share a revision.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.token


class Cohort(models.Model):
    """A named group in an organization's program: who seeks help and who offers it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="cohort_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CohortRole(models.TextChoices):
    SEEKER = "seeker", "Seeks help"
    HELPER = "helper", "Helps"
    BOTH = "both", "Both"


class CohortMember(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=8, choices=CohortRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="cohort_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort} ({self.role})"


class ShortlistRun(models.Model):
    """One computation of a program's shortlists, kept so seekers can see theirs."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="shortlist_runs"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.SET_NULL, null=True, blank=True)
    cohort_name = models.CharField(max_length=80, blank=True)
    size = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    capacity_multiple = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    full = models.PositiveIntegerField(default=0)
    partial = models.PositiveIntegerField(default=0)
    empty = models.PositiveIntegerField(default=0)
    helpers = models.PositiveIntegerField(default=0)
    total_fit = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} shortlists of {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def seekers(self) -> int:
        return self.full + self.partial + self.empty


class ShortlistEntry(models.Model):
    """One seeker's shortlist: helpers best first, each with what they cover."""

    run = models.ForeignKey(ShortlistRun, on_delete=models.CASCADE, related_name="entries")
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlist_entries"
    )
    status = models.CharField(
        max_length=8, choices=[("full", "Full"), ("partial", "Partial"), ("empty", "Empty")]
    )
    reason = models.CharField(max_length=200, blank=True)
    # [{"user_id": int, "fit": float, "covers": [str, ...]}], best first.
    helpers = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "seeker"], name="shortlist_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.seeker} in {self.run}"
