from __future__ import annotations

from django import forms

from mentormesh.connect.models import TIME_CHOICES, DeclineKind, RelationshipStatus


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
