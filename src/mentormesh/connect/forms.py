from __future__ import annotations

from datetime import datetime

from django import forms

from mentormesh.connect.models import (
    TIME_CHOICES,
    DeclineKind,
    Direction,
    RelationshipStatus,
    Useful,
)


class AskForm(forms.Form):
    message = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text="Who you are, why them (something of theirs), and the context of your question.",
    )
    question = forms.CharField(
        max_length=500,
        label="What exactly are you asking?",
        help_text="One concrete question they could answer.",
    )
    time_minutes = forms.TypedChoiceField(
        choices=[("", "An answer in writing")] + TIME_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label="How much time",
    )
    offer_back = forms.CharField(
        max_length=300, required=False, label="What you can offer back (optional)"
    )
    skill = forms.CharField(max_length=60, required=False, widget=forms.HiddenInput)


class DeclineForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "No reason given")] + DeclineKind.choices, required=False
    )
    note = forms.CharField(max_length=300, required=False, label="A kind note (optional)")


class TextForm(forms.Form):
    text = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    reason = forms.CharField(max_length=500, label="What is wrong with this ask?")


class RelationshipForm(forms.Form):
    topic = forms.CharField(max_length=200)
    status = forms.ChoiceField(choices=RelationshipStatus.choices)
    cadence_days = forms.IntegerField(
        min_value=1, max_value=365, label="Meet every … days", help_text="The cadence you agreed."
    )
    gives = forms.CharField(max_length=300, required=False, label="What I give")
    gets = forms.CharField(max_length=300, required=False, label="What I get")


class IntroForm(AskForm):
    """The ask to pass on, and a line for the person who will pass it on."""

    note_to_introducer = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A line for the person introducing you",
        help_text="Why you would like to meet, so they can introduce you in their own words.",
    )
    field_order = ["note_to_introducer", "message", "question", "time_minutes", "offer_back"]


class IntroAnswerForm(forms.Form):
    note = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Your note",
        help_text="Forwarded with the ask: how you know them, why they should talk.",
    )


class ProposeForm(forms.Form):
    """A time for a session: one of the suggested slots (UTC), or any other time in the
    proposer's own time zone."""

    slot = forms.CharField(required=False, widget=forms.HiddenInput)
    other_time = forms.DateTimeField(
        required=False,
        label="Date and time (your time zone)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    minutes = forms.TypedChoiceField(
        choices=[(m, f"{m} minutes") for m in (15, 30, 45, 60, 90, 120)], coerce=int
    )
    place = forms.CharField(max_length=300, required=False, label="Where (a video link or a place)")
    agenda = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        slot = data.get("slot")
        if slot:
            try:
                data["starts_at"] = datetime.fromisoformat(slot)
            except ValueError:
                raise forms.ValidationError(
                    "That suggested time could not be read; pick again."
                ) from None
            if data["starts_at"].tzinfo is None:
                raise forms.ValidationError("That suggested time has no time zone; pick again.")
        elif data.get("other_time"):
            data["starts_at"] = data["other_time"]
        elif not self.errors:
            raise forms.ValidationError("Pick one of the suggested times or enter another.")
        return data


class SessionForm(forms.Form):
    place = forms.CharField(max_length=300, required=False, label="Where")
    agenda = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shared notes: both of you can read and edit them.",
    )


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False, label="A word why (optional)")


class FollowUpForm(forms.Form):
    text = forms.CharField(max_length=300, label="Follow-up")
    owner = forms.ChoiceField(label="Who")
    due_on = forms.DateField(
        required=False, label="By", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = list(owners)


class FeedbackForm(forms.Form):
    useful = forms.ChoiceField(
        choices=Useful.choices, widget=forms.RadioSelect, label="Was it useful?"
    )
    direction = forms.ChoiceField(
        choices=Direction.choices, widget=forms.RadioSelect, label="Which way did help go?"
    )
    takeaway = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What did you take away, or give back?",
    )
    change = forms.CharField(max_length=500, required=False, label="One thing to change next time")
