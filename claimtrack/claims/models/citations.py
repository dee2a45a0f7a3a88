"""The sources a verdict rests on."""

import re

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from claimtrack.scholarly.identifiers import (
    DOI_PATTERN,
    PMID_PATTERN,
    normalize_doi,
    normalize_pmid,
    parse_identifier,
)

from .common import (
    NormalizedCharField,
    NormalizedTextField,
    NormalizingFormField,
    NullsLastIndex,
    RecordedQuerySet,
    SlugKeyManager,
    Versioned,
    choices_constraint,
    require_permission,
)

validate_doi = RegexValidator(
    DOI_PATTERN, "Enter a bare DOI such as 10.1176/appi.ajp.2013.13030392.", "invalid_doi"
)
validate_pmid = RegexValidator(PMID_PATTERN, "A PMID is a number such as 23982301.", "invalid_pmid")


class IdentifierField(models.CharField):
    """An identifier stored bare, however it was pasted (see claimtrack.scholarly)."""

    def __init__(self, *args, normalize, **kwargs):
        self.normalize = normalize
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "normalize": self.normalize}

    def to_python(self, value):
        return self.normalize(super().to_python(value))

    def formfield(self, **kwargs):
        field = super().formfield(
            **{"form_class": NormalizingFormField, "normalize": self.normalize, **kwargs}
        )
        # A pasted link is longer than the identifier it holds: the length is checked once it
        # is bare, not cut short by the browser while it is pasted.
        field.widget.attrs.pop("maxlength", None)
        return field


class CitationKind(models.TextChoices):
    SYSTEMATIC_REVIEW = "systematic_review", "Systematic review or meta-analysis"
    RANDOMIZED_TRIAL = "randomized_trial", "Randomized trial"
    OBSERVATIONAL = "observational", "Observational study"
    CASE_REPORT = "case_report", "Case report or series"
    PRECLINICAL = "preclinical", "Preclinical study"
    NARRATIVE_REVIEW = "narrative_review", "Narrative review"
    GUIDELINE = "guideline", "Guideline or regulatory document"
    BOOK = "book", "Book"
    OTHER = "other", "Other"


class SourceText(models.Func):
    """What the public sources search reads words in: the authors, title and journal, in lower
    case. On PostgreSQL a trigram index over this very expression (SOURCE_TEXT_INDEX, made by
    migration 0020) serves its LIKE '%word%': change one, change the other."""

    template = "LOWER(%(expressions)s)"
    arg_joiner = " || ' ' || "  # none of the three is NULL
    output_field = models.TextField()

    def __init__(self):
        super().__init__(F("authors"), F("title"), F("journal"))


SOURCE_TEXT_INDEX = "citation_text_trgm"
JOURNAL_INDEX = "citation_journal_trgm"
YEAR_LIKE = re.compile(r"^[12]\d{3}$")


class CitationQuerySet(RecordedQuerySet):
    def public(self):
        """The sources at least one published claim rests on: what the public may see. A
        source cited only by drafts is not shown, as the drafts are not."""
        evidence = self.model.evidence.rel.related_model  # Evidence, whose module imports this
        return self.filter(Exists(evidence.objects.public().filter(citation=OuterRef("pk"))))

    def with_public_claims(self):
        """Annotate public_claims: how many published claims rest on each source. A subquery
        per row, read off evidence_citation_claim_idx: PostgreSQL runs it only for the rows of
        the page, unless the list is sorted by it (then for every source: see SORTS in
        filters.SourceFilter)."""
        evidence = self.model.evidence.rel.related_model
        claims = (
            evidence.objects.public()
            .filter(citation=OuterRef("pk"))
            .order_by()
            .values("citation")
            .annotate(n=Count("*"))
            .values("n")
        )
        return self.annotate(public_claims=Coalesce(Subquery(claims), 0))

    def search(self, text):
        """The sources a reader's search finds. A DOI (bare, "doi:…", "https://doi.org/…"), a
        PubMed link or "PMID 123" finds that source alone. Otherwise each word must be in the
        authors, title or journal (any case), or, a number, be the PMID or the year.

        On PostgreSQL the words are looked up through trigram indexes (SOURCE_TEXT_INDEX), the
        identifiers through their unique indexes."""
        text = text.strip()
        if not text:
            return self
        identifier = None if text.isdigit() else parse_identifier(text)
        if identifier and identifier[0] == "doi":
            # lower(doi), as citation_unique_doi indexes it, where a DOI is on file.
            return (
                self.exclude(doi="")
                .alias(doi_lower=Lower("doi"))
                .filter(doi_lower=identifier[1].lower())
            )
        if identifier:
            return self.filter(pmid=identifier[1])
        found = self.alias(source_text=SourceText())
        for word in text.split():
            match = Q(source_text__contains=word.lower())
            if word.isascii() and word.isdigit():
                match |= Q(pmid=word)
                if YEAR_LIKE.match(word):
                    match |= Q(year=int(word))
            found = found.filter(match)
        return found

    def in_journal(self, words):
        """Sources whose journal holds these words, in this order (any case): "biol psych"
        does not find Biological Psychiatry, "biological psychiatry" does."""
        return self.alias(journal_lower=Lower("journal")).filter(
            journal_lower__contains=" ".join(words.split()).lower()
        )

    def on_file(self, doi="", pmid=""):
        """The citations with this DOI (in any case) or this PMID: one paper is cited once."""
        match = Q(pk__in=[])  # blank identifiers match nothing
        if doi:
            match |= Q(doi__iexact=doi)
        if pmid:
            match |= Q(pmid=pmid)
        return self.filter(match)

    def matching(self, words):
        """Citations with every word in their title, authors or journal, or as their DOI or
        PMID: how editors name a source they know (the desk's search and autocomplete)."""
        matches = self
        for word in words:
            matches = matches.filter(
                Q(title__icontains=word)
                | Q(authors__icontains=word)
                | Q(journal__icontains=word)
                | Q(doi__iexact=word)
                | Q(pmid=word)
            )
        return matches


class CitationManager(SlugKeyManager.from_queryset(CitationQuerySet)):
    def free_slug(self, authors, year):
        """A short key such as murrough2013, unique ("murrough2013b" when taken)."""
        first = authors.split(",")[0].split()[0] if authors.strip() else "source"
        base = slugify(f"{first}{year or ''}")[:90] or "source"
        taken = set(self.filter(slug__startswith=base).values_list("slug", flat=True))
        slug, suffixes = base, iter("bcdefghijklmnopqrstuvwxyz")
        while slug in taken:
            slug = base + next(suffixes, str(len(taken)))
        return slug

    def reuse_or_add(self, *, by, fields, checked):
        """The citation on file for these identifiers, or a new one made from looked-up fields
        (authors, title, journal, year, kind, doi, pmid, url); returns (citation, created).
        checked says where the identifiers were seen tied to the title (the record asks)."""
        existing = self.on_file(doi=fields.get("doi", ""), pmid=fields.get("pmid", "")).first()
        if existing is not None:
            return existing, False
        require_permission(by, "claims.add_citation", "add citations")
        citation = self.model(**fields, identifiers_checked=checked)
        citation.slug = self.free_slug(citation.authors, citation.year)
        citation.full_clean()
        citation._history_user, citation._change_reason = by, "Added from its identifier."
        citation.save()
        return citation, True


class Citation(Versioned):
    Kind = CitationKind

    slug = models.SlugField(
        max_length=100, unique=True, help_text="A short key, e.g. murrough2013."
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    authors = NormalizedCharField(max_length=1000)
    title = NormalizedCharField(max_length=500)
    journal = NormalizedCharField("journal or publisher", max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    doi = IdentifierField(
        "DOI", max_length=200, blank=True, validators=[validate_doi], normalize=normalize_doi
    )
    pmid = IdentifierField(
        "PMID", max_length=12, blank=True, validators=[validate_pmid], normalize=normalize_pmid
    )
    url = models.URLField("URL", max_length=500, blank=True)
    # Identifiers are never guessed: say where the DOI/PMID was seen tied to this title.
    identifiers_checked = NormalizedTextField(
        "how the identifiers were checked",
        blank=True,
        help_text="Where the DOI/PMID was seen tied to this title, e.g. “PubMed record page”.",
    )

    objects = CitationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        constraints = [
            choices_constraint("kind", CitationKind, "citation_kind_valid"),
            # Blank means "no identifier"; only real identifiers must be unique. A DOI's case
            # does not matter: 10.1176/APPI.AJP… and 10.1176/appi.ajp… are one paper.
            models.UniqueConstraint(
                Lower("doi"),
                condition=~Q(doi=""),
                name="citation_unique_doi",
                violation_error_message="A citation with this DOI is already on file.",
            ),
            models.UniqueConstraint(
                fields=["pmid"],
                condition=~Q(pmid=""),
                name="citation_unique_pmid",
                violation_error_message="A citation with this PMID is already on file.",
            ),
        ]
        indexes = [
            # The admin's citation list and the public sources list filter by kind.
            models.Index(fields=["kind"], name="citation_kind_idx"),
            # The public sources list: "Title A–Z", and "Oldest first" or a year filter (then
            # by title). Not declared here: the trigram indexes of its search and journal
            # filter (SOURCE_TEXT_INDEX, JOURNAL_INDEX), PostgreSQL's own kind, made by
            # migration 0020 there only.
            models.Index(fields=["title", "id"], name="citation_title_idx"),
            models.Index(fields=["year", "title", "id"], name="citation_year_idx"),
            # The public sources list's "Newest first": year DESC NULLS LAST, then by title.
            NullsLastIndex(
                F("year").desc(nulls_last=True), F("title"), F("id"), name="citation_newest_idx"
            ),
        ]

    def __str__(self):
        first_author = self.authors.split(",")[0].strip()
        return f"{first_author} {self.year or 'n.d.'}: {self.title}"

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("source_detail", args=[self.slug])

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def short_label(self):
        """How a reader names a source: “Murrough et al. 2013”."""
        authors = [name.strip() for name in self.authors.split(",") if name.strip()]
        surname = authors[0].split()[0] if authors else self.title
        if len(authors) == 2:
            surname += " and " + authors[1].split()[0]
        elif len(authors) > 2:
            surname += " et al."
        return f"{surname} {self.year or 'n.d.'}"
