"""The review queue's filters and the "verdict stands" form."""

from django import forms

from claimtrack.claims.models import Topic

from .due import DEFAULT_SORT, SORTS
from .spin import RULES


class QueueForm(forms.Form):
    topic = forms.ChoiceField(
        choices=[("", "All topics"), *Topic.choices], required=False, label="Topic"
    )
    hint = forms.ChoiceField(
        choices=[("", "Any or none"), *((rule.id, rule.name) for rule in RULES)],
        required=False,
        label="Spin hint",
    )
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        required=False,
        label="Order",
    )

    def clean_sort(self):
        return self.cleaned_data["sort"] or DEFAULT_SORT


class ConfirmForm(forms.Form):
    note = forms.CharField(
        max_length=1000,
        label="What you checked",
        help_text="Public, in the claim's history: e.g. “Searched PubMed to December 2026; no "
        "new trials.”",
        widget=forms.TextInput,
    )
