"""The desk's forms: they validate and normalise; the views act through the model methods."""

from django import forms
from django.core.exceptions import ValidationError

from claimtrack.claims.anchoring import occurrences
from claimtrack.claims.models import Certainty, ClaimGroup, ReasonTag, Stance, Status, Topic
from claimtrack.claims.models.common import NormalizingFormField
from claimtrack.claims.text import normalize_text

from .workspace import excerpt


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Each reason tag with its public definition, wherever one is picked."""

    def label_from_instance(self, tag):
        return f"{tag.name}: {tag.definition}"


class NewClaimForm(forms.Form):
    """A claim from a passage of the article: selected (quote and start filled in) or pasted."""

    quote = NormalizingFormField(
        normalize=normalize_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Select a passage in the article, or paste it: quotes, dashes and spaces "
        "need not match exactly.",
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    statement = NormalizingFormField(
        normalize=normalize_text,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The claim restated as one checkable proposition.",
    )
    topic = forms.ChoiceField(choices=Topic.choices)
    group = forms.ModelChoiceField(
        queryset=ClaimGroup.objects.all(),
        required=False,
        empty_label="No group",
        help_text="Claims that say the same thing in several articles.",
    )
    tags = TagChoiceField(
        queryset=ReasonTag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, article, **kwargs):
        self.article = article
        self.choices = []  # where the quote stands, when it stands in several places
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        quote = cleaned.get("quote", "").strip()
        if not quote:
            return cleaned
        found = occurrences(self.article.text, quote)
        if not found:
            self.add_error(
                "quote",
                ValidationError(
                    "This passage is not in the article. Select it in the text, or paste it "
                    "as it is published.",
                    code="quote_not_found",
                ),
            )
            return cleaned
        start = cleaned.get("start")
        if start is None and len(found) > 1:
            self.choices = [
                (s, excerpt(self.article.text, s, e)) for s, e in found
            ]
            self.add_error(
                "start",
                ValidationError(
                    f"This passage appears {len(found)} times in the article: choose which.",
                    code="ambiguous_quote",
                ),
            )
            return cleaned
        if start is not None and not any(s <= start < e for s, e in found):
            # A selection's offset that does not fall on the quote: a stale or forged form.
            self.add_error(
                "start",
                ValidationError(
                    "The passage is not at the selected place; select it again.",
                    code="quote_moved",
                ),
            )
            return cleaned
        place = start if start is not None else found[0][0]
        cleaned["start"] = min(found, key=lambda f: abs(f[0] - place))[0]
        cleaned["quote"] = quote
        return cleaned


class VerdictForm(forms.Form):
    seen_version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Status.choices)
    certainty = forms.ChoiceField(
        label="Certainty of evidence", choices=[("", "—"), *Certainty.choices], required=False
    )
    rationale = NormalizingFormField(
        normalize=normalize_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Public: why this verdict.",
    )
    note = NormalizingFormField(
        label="Why it changes",
        normalize=normalize_text,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Needed once the claim is published; shown in its public history.",
    )


class EvidenceForm(forms.Form):
    """A source for the claim: a DOI, a PMID, a doi.org or PubMed link, or words of a title or
    an author's name for a citation already on file."""

    source = forms.CharField(
        max_length=500,
        help_text="A DOI, PMID, doi.org or PubMed link; or a title or author on file.",
    )
    stance = forms.ChoiceField(choices=Stance.choices)
    note = NormalizingFormField(
        label="What it shows",
        normalize=normalize_text,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="E.g. “n=18 crossover trial; response at 24 hours”.",
    )
