"""The desk's forms. They validate; the views act through the rules in claimtrack.claims."""

from django import forms

from claimtrack.claims.models import StaffProfile


class EmailSettingsForm(forms.Form):
    email_on_flags = forms.BooleanField(
        label=StaffProfile._meta.get_field("email_on_flags").verbose_name.capitalize(),
        help_text=StaffProfile._meta.get_field("email_on_flags").help_text,
        required=False,
    )
