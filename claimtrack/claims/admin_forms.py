"""Forms for the editorial admin. They validate; the admin calls the model methods to act."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from .models import Certainty, Claim, Flag, Status, check_verdict

VERDICT_FIELDS = ["status", "certainty", "rationale"]


def definitions(choices):
    """Each choice with its public definition, as the help text of a field that picks one."""
    items = format_html_join(
        "", "<li><b>{}</b>: {}</li>", ((c.label, c.description) for c in choices)
    )
    return format_html('<ul class="ct-definitions">{}</ul>', items)


STATUS_HELP = definitions(Status)
CERTAINTY_HELP = definitions(Certainty)
WHY_REQUIRED = "Say why the verdict changes; it is shown in the claim's public history."


class ClaimAdminForm(forms.ModelForm):
    change_note = forms.CharField(
        label="Why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the verdict changes; recorded in the claim's public history.",
    )

    class Meta:
        model = Claim
        fields = [
            "article",
            "slug",
            "quote",
            "statement",
            "topic",
            "group",
            "status",
            "certainty",
            "rationale",
            "reason_tags",
        ]
        # Also shown to reviewers, who see the verdict read-only.
        help_texts = {"status": STATUS_HELP, "certainty": CERTAINTY_HELP}

    def clean(self):
        cleaned = super().clean()
        verdict_changed = any(name in self.changed_data for name in VERDICT_FIELDS)
        if verdict_changed and not cleaned.get("change_note", "").strip():
            self.add_error("change_note", ValidationError(WHY_REQUIRED, code="note_required"))
        return cleaned


class BulkVerdictForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, help_text=STATUS_HELP)
    certainty = forms.ChoiceField(
        choices=[("", "Keep each claim's certainty"), *Certainty.choices],
        required=False,
        help_text=CERTAINTY_HELP,
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    note = forms.CharField(
        label="Why", widget=forms.Textarea(attrs={"rows": 2}), help_text="Recorded for each claim."
    )

    def clean(self):
        cleaned = super().clean()
        if "status" in cleaned:
            check_verdict(cleaned["status"], cleaned.get("certainty", ""), cleaned["rationale"])
        return cleaned


class FlagRaiseForm(forms.ModelForm):
    """Raising a flag in the admin; `user` is set by FlagAdmin.get_form."""

    user = None

    class Meta:
        model = Flag
        fields = ["claim", "reason", "reason_tags", "comment"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("claim") and cleaned.get("reason"):
            Flag.objects.check_can_raise(
                claim=cleaned["claim"], by=self.user, reason=cleaned["reason"]
            )
        return cleaned


class FlagSettleForm(forms.ModelForm):
    """Uphold or dismiss an open flag; upholding may also change the claim's verdict."""

    user = None
    decision = forms.ChoiceField(
        choices=[("", "Leave open"), ("uphold", "Uphold"), ("dismiss", "Dismiss")], required=False
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Why you settle it this way. Recorded, and shown in the claim's history when "
        "the verdict changes.",
    )
    new_status = forms.ChoiceField(
        label="Set the claim's status to",
        choices=[("", "Keep the claim's status"), *Status.choices],
        required=False,
        help_text=STATUS_HELP,
    )
    new_certainty = forms.ChoiceField(
        label="Set the claim's certainty to",
        choices=[("", "Keep the claim's certainty"), *Certainty.choices],
        required=False,
    )
    new_rationale = forms.CharField(
        label="New public rationale",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Leave empty to keep the claim's rationale.",
    )

    class Meta:
        model = Flag
        fields = []

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        changes_claim = any(
            cleaned.get(f) for f in ["new_status", "new_certainty", "new_rationale"]
        )
        if not decision:
            if changes_claim or cleaned.get("note"):
                self.add_error("decision", "Choose to uphold or dismiss the flag.")
            return cleaned
        if not cleaned.get("note", "").strip():
            self.add_error("note", ValidationError("Say why.", code="note_required"))
        if decision == "dismiss" and changes_claim:
            self.add_error("decision", "Only an upheld flag changes the claim.")
        if decision == "uphold" and changes_claim:
            claim = self.instance.claim
            try:
                check_verdict(
                    cleaned.get("new_status") or claim.status,
                    cleaned.get("new_certainty") or claim.certainty,
                    cleaned.get("new_rationale") or claim.rationale,
                    claim=claim,
                )
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return cleaned
