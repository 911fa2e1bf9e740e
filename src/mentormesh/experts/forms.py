from __future__ import annotations

from decimal import Decimal

from django import forms

from mentormesh.experts.models import OfferKind, UnlistedRule, Urgency
from mentormesh.experts.services import MAX_SKILLS, MIN_TEXT


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class HelpRequestForm(forms.Form):
    text = forms.CharField(
        label="What are you stuck on?",
        min_length=MIN_TEXT,
        max_length=2000,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "placeholder": "Applying Java streams to our "
                "nightly batch job: the grouping step runs out of memory "
                "at 2M rows. I tried …",
            }
        ),
        help_text="What you tried and where it breaks helps people say yes.",
    )
    skills = forms.CharField(
        max_length=300, help_text=f"Up to {MAX_SKILLS} skills, separated by commas."
    )
    urgency = forms.ChoiceField(choices=Urgency.choices, initial=Urgency.WEEK)
    anonymous = forms.BooleanField(
        required=False, label="Hide my name from the people who see it (colleagues included)"
    )

    def clean_skills(self) -> list[str]:
        return _names(self.cleaned_data["skills"])


class HelpOfferForm(forms.Form):
    kind = forms.ChoiceField(
        choices=OfferKind.choices, widget=forms.RadioSelect, label="I can offer"
    )
    message = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    what_helped = forms.CharField(
        max_length=500, label="What got you unstuck?", widget=forms.Textarea(attrs={"rows": 2})
    )
    helped_by = forms.ChoiceField(required=False, label="Who helped")

    def __init__(self, *args, helpers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helped_by"].choices = [("", "I worked it out myself")] + [
            (user.handle, f"{user.profile.display_name} (@{user.handle})") for user in helpers
        ]


class ExpertOfferForm(forms.Form):
    subjects = forms.CharField(
        max_length=300, help_text="Skills you are paid for, separated by commas."
    )
    slot_minutes = forms.TypedChoiceField(
        coerce=int,
        initial=60,
        label="Session length",
        choices=[
            (30, "30 minutes"),
            (45, "45 minutes"),
            (60, "1 hour"),
            (90, "1½ hours"),
            (120, "2 hours"),
        ],
    )
    free_cancellation_hours = forms.IntegerField(
        min_value=0,
        max_value=24 * 14,
        initial=24,
        label="Free cancellation until (hours before)",
        help_text="Cancelled later by the member: they (or their sponsor) pay in full.",
    )

    def clean_subjects(self) -> list[str]:
        return _names(self.cleaned_data["subjects"])


class BookingForm(forms.Form):
    starts_at = forms.ChoiceField(label="Time")
    subject = forms.ChoiceField()
    payer = forms.ChoiceField(label="Who pays", widget=forms.RadioSelect)

    def __init__(self, *args, slots=(), subjects=(), budgets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].choices = slots
        self.fields["subject"].choices = [(name, name) for name in subjects]
        self.fields["payer"].choices = [("", "I pay myself")] + [
            (str(budget.pk), f"{budget.organization.name} — {budget.name}") for budget in budgets
        ]


class RescheduleForm(forms.Form):
    starts_at = forms.ChoiceField(label="New time")

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].choices = slots


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label="How useful was it?",
        choices=[
            (5, "5 — exactly what I needed"),
            (4, "4"),
            (3, "3"),
            (2, "2"),
            (1, "1 — not at all"),
        ],
    )
    text = forms.CharField(
        max_length=1000,
        required=False,
        label="What went well",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    change = forms.CharField(max_length=300, required=False, label="One thing to change")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    reason = forms.CharField(max_length=300, required=False, help_text="Needed to decline.")


class PolicyForm(forms.Form):
    unlisted = forms.ChoiceField(
        choices=UnlistedRule.choices, widget=forms.RadioSelect, label="Anything not listed"
    )
    funded = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Funded subjects",
        help_text="One line per department: “Engineering: Java, SQL”. “Everyone: "
        "Public speaking” funds a subject for every department.",
    )

    def clean_funded(self) -> dict[str, list[str]]:
        funded: dict[str, list[str]] = {}
        for number, line in enumerate(self.cleaned_data["funded"].splitlines(), start=1):
            if not line.strip():
                continue
            department, colon, skills = line.partition(":")
            if not colon:
                raise forms.ValidationError(
                    f"Line {number}: write “Department: skill, skill”.", code="format"
                )
            department = department.strip()
            key = "" if department.lower() == "everyone" else department
            funded.setdefault(key, []).extend(_names(skills))
        return funded


class BudgetForm(forms.Form):
    name = forms.CharField(max_length=60, initial="Learning")
    currency = forms.CharField(max_length=3, min_length=3, initial="EUR")
    total = forms.DecimalField(min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    per_member = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=12, decimal_places=2, label="Per member"
    )
    per_member_hours = forms.IntegerField(
        min_value=1, max_value=1000, required=False, label="Hours per member (optional)"
    )
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
