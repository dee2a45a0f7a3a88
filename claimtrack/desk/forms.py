"""The desk's forms: they validate and normalise; the views act through the model methods."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from claimtrack.claims.anchoring import occurrences
from claimtrack.claims.models import (
    Article,
    Certainty,
    ClaimGroup,
    ReasonTag,
    StaffProfile,
    Stance,
    Status,
    Topic,
)
from claimtrack.claims.models.common import NormalizingFormField
from claimtrack.claims.text import normalize_text

from .intake import tidy_pasted
from .similar import MIN_WORDS
from .workspace import excerpt


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Each reason tag with its public definition, wherever one is picked."""

    def label_from_instance(self, tag):
        return f"{tag.name}: {tag.definition}"


# Every text box has a limit, well past any honest use: a longer value is refused with the
# field's message ("Ensure this value has at most N characters"), never stored.
QUOTE_MAX = 2000  # a passage of an article
STATEMENT_MAX = 1000  # one checkable proposition (as SimilarClaimsForm looks them up)
RATIONALE_MAX = 5000
NOTE_MAX = 2000
ARTICLE_TEXT_MAX = 200_000  # a long feature is some 60,000 characters


class NewClaimForm(forms.Form):
    """A claim from a passage of the article: selected (quote and start filled in) or pasted."""

    quote = NormalizingFormField(
        normalize=normalize_text,
        max_length=QUOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Select a passage in the article, or paste it: quotes, dashes and spaces "
        "need not match exactly.",
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    statement = NormalizingFormField(
        normalize=normalize_text,
        max_length=STATEMENT_MAX,
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
            self.choices = [(s, excerpt(self.article.text, s, e)) for s, e in found]
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
    """The claim's verdict. Its fields' ids are its own: the evidence form beside it has a note."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "verdict_%s")
        super().__init__(*args, **kwargs)

    seen_version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Status.choices)
    certainty = forms.ChoiceField(
        label="Certainty of evidence", choices=[("", "—"), *Certainty.choices], required=False
    )
    rationale = NormalizingFormField(
        normalize=normalize_text,
        max_length=RATIONALE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Public: why this verdict.",
    )
    note = NormalizingFormField(
        label="Why it changes",
        normalize=normalize_text,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Needed once the claim is published; shown in its public history.",
    )


class EvidenceForm(forms.Form):
    """A source for the claim: a DOI, a PMID, a doi.org or PubMed link, or words of a title or
    an author's name for a citation already on file."""

    source = forms.CharField(
        max_length=500,
        widget=forms.TextInput(attrs={"list": "citations-on-file", "autocomplete": "off"}),
        help_text="A DOI, PMID, doi.org or PubMed link; or a title or author on file.",
    )
    stance = forms.ChoiceField(choices=Stance.choices)
    note = NormalizingFormField(
        label="What it shows",
        normalize=normalize_text,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="E.g. “n=18 crossover trial; response at 24 hours”.",
    )


class IntakeForm(forms.ModelForm):
    """A new article, pasted or fetched. With fetching=True only the address to fetch is
    required: the rest may still be empty, to be filled from the page."""

    needed_to_save = ["title", "text"]  # marked as required, whichever button was pressed

    fetch_url = forms.URLField(
        label="Fetch from this address",
        required=False,
        assume_scheme="https",
        max_length=2000,
        help_text="The article's web address. “Fetch from URL” reads the page and fills the "
        "fields below that are still empty; nothing is saved until you save.",
    )
    url = forms.URLField(
        label="Article's address (URL)",
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text="Where the article is published; shown to readers as the source.",
    )

    class Meta:
        model = Article
        fields = ["title", "author", "publisher", "published_on", "url", "slug", "text"]
        labels = {
            "published_on": "Published on",
            "slug": "Slug",
        }
        help_texts = {
            "published_on": "The date the article gives, if it gives one.",
            "slug": "Part of the article's address on this site. Left empty, it is made from "
            "the title.",
            "text": "The full text as published, paragraphs separated by a blank line. It is "
            "stored as you see it in the preview: claims quote it word for word.",
        }
        widgets = {
            "published_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 24, "cols": 80, "class": "vLargeTextField"}),
        }
        error_messages = {
            "title": {"required": "Give the article's title."},
            "text": {"required": "Paste the article's text, or fetch it from its address."},
            "slug": {
                "unique": "Another article already has this slug: choose another, or "
                "leave it empty to have one made from the title."
            },
        }

    def __init__(self, *args, fetching=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["text"].max_length = ARTICLE_TEXT_MAX
        self.fields["text"].validators.append(MaxLengthValidator(ARTICLE_TEXT_MAX))
        self.fields["text"].widget.attrs["maxlength"] = str(ARTICLE_TEXT_MAX)
        if fetching:
            for name, field in self.fields.items():
                field.required = name == "fetch_url"
            self.fields["fetch_url"].error_messages["required"] = (
                "Enter the article's web address to fetch it."
            )

    def clean_text(self):
        return tidy_pasted(self.cleaned_data["text"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = Article.objects.free_slug(cleaned["title"])
        return cleaned

    def filled_from(self, page):
        """The data typed, with the empty fields filled from a fetched page (FetchedArticle).
        What the editor typed is never replaced, the text included."""
        data = self.data.copy()
        for name in ["title", "author", "publisher", "published_on", "url", "text"]:
            value = getattr(page, name)
            if not data.get(name, "").strip() and value:
                data[name] = value.isoformat() if name == "published_on" else value
        return data

    def text_was_kept(self, page):
        """Whether the editor's own text stands instead of the fetched page's."""
        text = self.cleaned_data.get("text", "")
        return bool(text) and text != page.text


class SimilarClaimsForm(forms.Form):
    """The statement an editor is typing, and the claim it belongs to (left out of the
    answer), if it has one yet."""

    # Long enough for any claim's statement, short enough to keep each lookup cheap.
    statement = forms.CharField(max_length=1000)
    exclude = forms.IntegerField(min_value=1, required=False)

    def clean_statement(self):
        statement = self.cleaned_data["statement"]
        if len(statement.split()) < MIN_WORDS:
            raise ValidationError(
                "Type at least %(words)d words to look for similar claims.",
                code="too_short",
                params={"words": MIN_WORDS},
            )
        return statement


class EmailSettingsForm(forms.Form):
    email_on_flags = forms.BooleanField(
        label=StaffProfile._meta.get_field("email_on_flags").verbose_name.capitalize(),
        help_text=StaffProfile._meta.get_field("email_on_flags").help_text,
        required=False,
    )
    email_digest = forms.BooleanField(
        label=StaffProfile._meta.get_field("email_digest").verbose_name.capitalize(),
        help_text=StaffProfile._meta.get_field("email_digest").help_text,
        required=False,
    )
