"""Public forms. They validate and normalise; the views call the model methods that act."""

from django import forms

from claimtrack.claims.models import FlagReason, ReasonTag


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what is wrong with the claim."},
    )
    tags = forms.ModelMultipleChoiceField(
        label="Reason tags",
        queryset=ReasonTag.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="Optional: what the editors should look at.",
    )
