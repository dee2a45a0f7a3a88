"""The sources a verdict rests on."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from claimtrack.scholarly.identifiers import (
    DOI_PATTERN,
    PMID_PATTERN,
    normalize_doi,
    normalize_pmid,
)

from .common import (
    NormalizedCharField,
    NormalizedTextField,
    NormalizingFormField,
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


class CitationQuerySet(RecordedQuerySet):
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
            # The admin's citation list filters by kind.
            models.Index(fields=["kind"], name="citation_kind_idx"),
        ]

    def __str__(self):
        first_author = self.authors.split(",")[0].strip()
        return f"{first_author} {self.year or 'n.d.'}: {self.title}"

    def natural_key(self):
        return (self.slug,)

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
