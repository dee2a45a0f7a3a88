"""Public forms. They validate and normalise; the views call the model methods that act."""

from django import forms
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import format_html, format_html_join

from claimtrack.claims.models import Claim, ReasonTag


class ReasonField(forms.ModelChoiceField):
    """Why a claim is wrong: one reason tag, picked by name from radio buttons, "other" last.
    Each choice's value (choice.data.value.instance) carries the tag, so that a template can
    put its public definition beside it."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"required": "Choose what is wrong with the claim."})
        super().__init__(
            queryset=ReasonTag.objects.for_flags(), to_field_name="slug", empty_label=None, **kwargs
        )

    def definitions(self):
        """Each tag with its public definition, as a help text (one query)."""
        items = format_html_join(
            "", "<li><b>{}</b>: {}</li>", ((t.name, t.definition) for t in self.queryset)
        )
        return format_html('<ul class="ct-definitions">{}</ul>', items)


class DescribedRadioSelect(forms.RadioSelect):
    """Radio buttons, each described by the element with id "<its id>_definition", which the
    template fills (a screen reader reads the name as the label, the definition after it)."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_definition"
        return option


class FlagForm(forms.Form):
    reason = ReasonField(label="What is wrong?", widget=DescribedRadioSelect)
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="What the editors should look at. Needed for “Other”.",
    )


class ArticleListForm(forms.Form):
    """The article list's search and order. Sorting by most claims counts every article's
    published claims (a subquery per article, read off claim_published_article_idx alone);
    the other orders count only the page's articles."""

    SORTS = {
        "title": ("Title A–Z", ["title", "pk"]),
        "newest": ("Newest published", [F("published_on").desc(nulls_last=True), "-pk"]),
        "claims": ("Most claims", ["-published_claims", "title", "pk"]),
    }

    q = forms.CharField(
        label="Search articles",
        max_length=200,
        required=False,
        help_text="Words of the title, publisher or author; or the article's slug.",
    )
    sort = forms.ChoiceField(
        label="Order by",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        required=False,
    )

    def sorted(self, articles):
        """The articles in the chosen order (the title's by default)."""
        key = self.cleaned_data.get("sort") or "title"
        if key == "claims":
            claims = (
                Claim.objects.published()
                .filter(article=OuterRef("pk"))
                .order_by()
                .values("article")
                .annotate(n=Count("*"))
                .values("n")
            )
            articles = articles.annotate(published_claims=Coalesce(Subquery(claims), 0))
        return articles.order_by(*self.SORTS[key][1])


class SuggestForm(forms.Form):
    """The words typed so far in an article field (/articles/suggest.json)."""

    q = forms.CharField(max_length=200, required=False)


class CsvExportForm(forms.Form):
    """The CSV export's own option, beside the claim filters: bom=0 leaves out the byte-order
    mark that spreadsheets need to read UTF-8 (programs may not want it)."""

    bom = forms.ChoiceField(
        choices=[("1", "with a byte-order mark"), ("0", "without")],
        required=False,
        error_messages={
            "invalid_choice": "bom must be 1 (a byte-order mark first, the default) or 0 (none)."
        },
    )

    def wants_bom(self):
        return self.cleaned_data["bom"] != "0"
