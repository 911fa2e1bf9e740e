from __future__ import annotations

from django import forms

from mentormesh.discover.models import Cohort
from mentormesh.discover.services import MAX_CAPACITY_MULTIPLE, MAX_SIZE

_HANDLES = forms.Textarea(attrs={"rows": 3, "placeholder": "@ana @bo @cy"})


class CohortForm(forms.Form):
    name = forms.CharField(max_length=80)
    seekers = forms.CharField(
        required=False, widget=_HANDLES, help_text="Handles of members who want help."
    )
    helpers = forms.CharField(
        required=False,
        widget=_HANDLES,
        help_text="Handles of members who offer help. Someone may be in both lists.",
    )


class ShortlistForm(forms.Form):
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        required=False,
        empty_label="Everyone in the organization",
        help_text="Without a cohort, every member may seek or help.",
    )
    size = forms.IntegerField(
        min_value=1, max_value=MAX_SIZE, initial=3, help_text="Helpers suggested to each seeker."
    )
    capacity_multiple = forms.IntegerField(
        min_value=1,
        max_value=MAX_CAPACITY_MULTIPLE,
        initial=1,
        label="Capacity multiple",
        help_text="A helper appears in at most their free mentee places × this many lists.",
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = organization.cohorts.all()
