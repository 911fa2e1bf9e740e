from __future__ import annotations

from django import forms

from mentormesh.community.models import EventKind
from mentormesh.community.services import QUESTION_LENGTH


class EventForm(forms.Form):
    kind = forms.ChoiceField(choices=EventKind.choices)
    title = forms.CharField(max_length=120)
    description = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown. What people will learn or discuss.",
    )
    starts_at = forms.DateTimeField(
        label="Starts (your time zone)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    minutes = forms.TypedChoiceField(
        label="Length",
        coerce=int,
        initial=60,
        choices=[
            (30, "30 minutes"),
            (45, "45 minutes"),
            (60, "1 hour"),
            (90, "1½ hours"),
            (120, "2 hours"),
            (180, "3 hours"),
        ],
    )
    capacity = forms.IntegerField(min_value=1, max_value=10_000, initial=30)
    online_url = forms.URLField(
        max_length=300, required=False, label="Link to join online", assume_scheme="https"
    )
    place = forms.CharField(max_length=200, required=False, label="Or a place")
    skills = forms.CharField(
        max_length=300, required=False, help_text="Skills it is about, separated by commas."
    )
    panelists = forms.CharField(
        max_length=300, required=False, help_text="For a panel: handles, separated by commas."
    )
    organization = forms.ChoiceField(
        required=False, label="Who can see and join", help_text="Everyone, or one organization."
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "Everyone on mentormesh")] + [
            (org.slug, f"Only {org.name}") for org in organizations
        ]


class QuestionForm(forms.Form):
    text = forms.CharField(
        max_length=QUESTION_LENGTH,
        label="Your question",
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": QUESTION_LENGTH}),
    )
    anonymous = forms.BooleanField(
        required=False,
        label="Ask anonymously",
        help_text="The host, the panelists and other members never see who asked. Site staff "
        "can, to moderate abuse.",
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="A short written answer (optional)",
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(min_value=1, label="Merge into question")


class AttendanceForm(forms.Form):
    came = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["came"].choices = [(p.handle, p.profile.display_name) for p in people]


class MixerRoundForm(forms.Form):
    name = forms.CharField(max_length=60, help_text="For example the week: 2026-W48.")
    group_size = forms.TypedChoiceField(
        choices=[(2, "Pairs"), (3, "Groups of 3"), (4, "Groups of 4")], coerce=int, initial=2
    )


class PostForm(forms.Form):
    title = forms.CharField(max_length=160)
    body = forms.CharField(
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Markdown. Mention people with @handle: they are told when you publish.",
    )
    skills = forms.CharField(
        max_length=300, required=False, help_text="Up to five skills, separated by commas."
    )


class ShareForm(forms.Form):
    handle = forms.CharField(max_length=31, label="Share the draft with (handle)")


class CommentForm(forms.Form):
    text = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label="Comment"
    )
