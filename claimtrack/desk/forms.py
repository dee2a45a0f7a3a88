"""Forms for the desk. They validate and normalise; the views fetch and save."""

from django import forms

from claimtrack.claims.models import Article

from .intake import tidy_pasted


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
