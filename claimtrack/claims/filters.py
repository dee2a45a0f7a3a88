"""The public claim filters, shared by the claim list and the CSV and JSON exports.

FilterSet.qs silently ignores a value it cannot use, which would show a visitor every claim
for a mistyped URL. Views call is_valid() first and answer 400 with the form's errors.
"""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef
from django.urls import reverse_lazy

from claimtrack.claims.models import (
    Article,
    Certainty,
    ChangeKind,
    Citation,
    CitationKind,
    Claim,
    ClaimChange,
    Flag,
    ReasonTag,
    Status,
    Topic,
)
from claimtrack.claims.paginators import is_nullable


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Order with NULLs last both ways (PostgreSQL puts them first when descending), and end
    with the primary key so that pages never repeat or skip a claim. A column that cannot be
    NULL is ordered plainly: PostgreSQL reads "DESC" off an index scanned backwards, never
    "DESC NULLS LAST"."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        name = self.param_map[param.removeprefix("-")]
        field = F(name)
        if not is_nullable(self.model, name):
            return field.desc() if descending else field.asc()
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


ARTICLE_SUGGESTIONS = "article-suggestions"  # the <datalist> the suggestions script fills


class ArticleSearchFilter(django_filters.CharFilter):
    """An article named by its slug (every ?article=<slug> link) or by words of its title.

    A text field, not a <select>: there are thousands of articles. A value that is an
    article's slug selects that article; otherwise the claims of every article whose title has
    all the words. The suggestions (static/claims/article_suggest.js, from /articles/suggest.json)
    fill its <datalist>; without JavaScript, the list page names the articles that match."""

    def __init__(self, *, field_name="article", **kwargs):
        widget = forms.TextInput(
            attrs={
                "list": ARTICLE_SUGGESTIONS,
                "autocomplete": "off",
                "data-suggest-url": reverse_lazy("article_suggest"),
            }
        )
        kwargs.setdefault("label", "Article")
        kwargs.setdefault("help_text", "Words of its title, or its slug.")
        super().__init__(field_name=field_name, max_length=200, widget=widget, **kwargs)

    def filter(self, qs, value):
        if not value or not value.strip():
            return qs
        articles = Article.objects.matching(value).values("pk")
        return qs.filter(**{f"{self.field_name}__in": articles})


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=200,
        help_text="Words from the claim, its verdict, its article's title, its reason tags or "
        "the sources cited as evidence (authors, title, journal, DOI, PMID).",
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    topic = django_filters.ChoiceFilter(choices=Topic.choices, empty_label="Any topic")
    certainty = django_filters.ChoiceFilter(choices=Certainty.choices, empty_label="Any certainty")
    article = ArticleSearchFilter()
    tag = django_filters.ModelChoiceFilter(
        label="Reason tag",
        field_name="reason_tags",
        queryset=ReasonTag.objects.all(),
        to_field_name="slug",
        empty_label="Any reason tag",
    )
    flagged = django_filters.ChoiceFilter(
        label="Open flags",
        choices=[("true", "Has open flags"), ("false", "No open flags")],
        method="filter_flagged",
        empty_label="Flagged or not",
    )
    ordering = NullsLastOrderingFilter(
        label="Order by",
        fields=[
            ("reviewed_at", "reviewed"),
            ("created_at", "created"),
            ("article__title", "article"),
            ("status", "status"),
            ("statement", "statement"),
        ],
        field_labels={
            "reviewed_at": "Reviewed, oldest first",
            "-reviewed": "Reviewed, newest first",
            "created_at": "Added, oldest first",
            "-created": "Added, newest first",
            "article__title": "Article A–Z",
            "-article": "Article Z–A",
            "status": "Status A–Z",
            "-status": "Status Z–A",
            "statement": "Statement A–Z",
            "-statement": "Statement Z–A",
        },
        empty_label="Article order",
    )

    class Meta:
        model = Claim
        fields = []  # every filter is declared above, none generated

    def search(self, queryset, name, value):
        """The claims' search documents (ClaimQuerySet.search): best match first on
        PostgreSQL, unless an ordering is chosen, which is applied after this filter."""
        return queryset.search(value)

    def filter_flagged(self, queryset, name, value):
        has_open_flag = Exists(Flag.objects.open().filter(claim=OuterRef("pk")))
        return queryset.filter(has_open_flag if value == "true" else ~has_open_flag)


class ChangeFilter(django_filters.FilterSet):
    """The corrections log's filters: what kind of change, in which article, when."""

    kind = django_filters.ChoiceFilter(choices=ChangeKind.choices, empty_label="Any change")
    article = ArticleSearchFilter(field_name="claim__article")
    since = django_filters.DateFilter(
        label="From",
        field_name="changed_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label="To",
        field_name="changed_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = ClaimChange
        fields = ["kind", "article", "since", "until"]


# "Most cited" counts the published claims of every source it sorts: a few milliseconds for a
# search's few hundred sources, a second for the 2,000 of the 100,000-claim bench (ten at a
# million claims). Past this many sources they come in title order instead (SourceFilter.unranked).
MOST_CITED_AT_MOST = 200


class YearFilter(django_filters.Filter):
    """A year as a whole number: "2013.5" or "1e3" is an error, not a silent guess, and a
    number the column cannot hold never reaches the database."""

    field_class = forms.IntegerField


class SourceFilter(django_filters.FilterSet):
    """The public sources list: one search box, and filters by journal, year and kind; sorted
    as the reader picks (SORTS). Sorting by most cited counts the public claims of every
    source (CitationQuerySet.with_public_claims); the other sorts are read off an index."""

    SORTS = {  # the first is the default: the select shows it when none is chosen
        "title": ("Title A–Z", ["title", "pk"]),
        "newest": ("Newest first", [F("year").desc(nulls_last=True), "title", "pk"]),
        "oldest": ("Oldest first", [F("year").asc(nulls_last=True), "title", "pk"]),
        "cited": ("Most cited", ["-public_claims", "title", "pk"]),
    }
    DEFAULT_SORT = "title"

    q = django_filters.CharFilter(
        label="Search sources",
        method="search",
        max_length=200,
        help_text="Authors, words of the title or journal, a year; or a DOI or PMID.",
    )
    journal = django_filters.CharFilter(label="Journal", method="filter_journal", max_length=200)
    year = YearFilter(
        label="Year",
        field_name="year",
        min_value=1000,
        max_value=2999,
        # A text box with a number pad: a browser's number box styles and steps like no other.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=CitationKind.choices, empty_label="Any kind"
    )
    sort = django_filters.ChoiceFilter(
        label="Order by",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Citation
        fields = []  # every filter is declared above, none generated

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_journal(self, queryset, name, value):
        return queryset.in_journal(value) if value.strip() else queryset

    unranked = False  # "Most cited" was asked of more than MOST_CITED_AT_MOST sources

    def sort_by(self, queryset, name, value):
        if value == "cited":
            many = queryset.order_by().values("pk")[MOST_CITED_AT_MOST : MOST_CITED_AT_MOST + 1]
            if many.exists():
                self.unranked = True
                value = self.DEFAULT_SORT
        return queryset.order_by(*self.SORTS[value][1])
