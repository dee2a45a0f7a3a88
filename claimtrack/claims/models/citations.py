"""The sources a verdict rests on."""

import re

from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
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

    def record_notice(
        self, *, kind, learnt_from, date=None, notice_doi="", notice_pmid="", reason=""
    ):
        """Record that a notice (a NoticeKind) was published about this source, as learnt from
        a NoticeSource; returns (notice, created). Only a notice not on file already (see
        CitationNoticeQuerySet.same_as) is stored, and then, in the same transaction, every
        claim resting on the source (withdrawn ones aside) gets an open flag raised by the
        evidence watch's account, whose reviewers are emailed after the commit. A notice on
        file without a DOI or date is completed from a fuller report, and nobody is told again.
        So recording the same notice twice changes nothing and tells nobody."""
        from .claims import Claim, ReasonTag  # claims.py imports this module
        from .flags import Flag
        from .people import evidence_watch

        kind = NoticeKind(kind)
        notice = CitationNotice(
            citation=self,
            kind=kind,
            learnt_from=learnt_from,
            date=date,
            notice_doi=notice_doi,
            notice_pmid=notice_pmid,
            reason=reason,
        )
        notice.full_clean(exclude=["citation"], validate_constraints=False)
        by = evidence_watch()
        with transaction.atomic():
            # Lock the source: two imports running at once must not both store the notice.
            Citation.objects.select_for_update().filter(pk=self.pk).first()
            existing = (
                self.notices.same_as(kind=kind, notice_doi=notice.notice_doi, date=date)
                .order_by("-notice_doi", "pk")
                .first()
            )
            if existing is not None:
                existing.complete_from(notice, by=by)
                return existing, False
            notice._history_user, notice._change_reason = (
                by,
                f"Reported by {notice.get_learnt_from_display()}.",
            )
            notice.save()
            resting = (
                self.evidence.filter(claim__withdrawn_at__isnull=True)
                .select_related("claim__reviewed_by")
                .order_by("claim_id")
            )
            reason_tag = ReasonTag.objects.get(slug=kind.flag_reason)
            comment = f"{self.short_label}, “{self.title}”: {notice.describe()}"
            for evidence in resting:
                Flag.objects.raise_by_system(
                    claim=evidence.claim, by=by, reason=reason_tag, comment=comment
                )
            # The verdicts resting on the source are due for review at once.
            Claim.objects.citing(self).make_due(why=comment, by=by)
        return notice, True

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


class NoticeKind(models.TextChoices):
    """What a journal published about a source after the fact: the notices Retraction Watch
    records (its RetractionNature: Retraction, Correction, Expression of concern,
    Reinstatement) and Crossref's update types (a withdrawal, besides)."""

    RETRACTION = "retraction", "Retraction"
    WITHDRAWAL = "withdrawal", "Withdrawal"
    EXPRESSION_OF_CONCERN = "expression_of_concern", "Expression of concern"
    CORRECTION = "correction", "Correction"
    REINSTATEMENT = "reinstatement", "Reinstatement"

    @property
    def in_words(self):
        """How a reader is told: "Retracted", "Corrected"…"""
        return NOTICE_WORDS[self]

    @property
    def flag_reason(self):
        """The slug of the reason tag a claim citing the source is flagged for (migration
        0021 makes the tags)."""
        return NOTICE_FLAG_REASONS[self]


NOTICE_WORDS = {
    NoticeKind.RETRACTION: "Retracted",
    NoticeKind.WITHDRAWAL: "Withdrawn",
    NoticeKind.EXPRESSION_OF_CONCERN: "Expression of concern",
    NoticeKind.CORRECTION: "Corrected",
    NoticeKind.REINSTATEMENT: "Reinstated after a retraction",
}
SOURCE_RETRACTED, SOURCE_CONCERN, SOURCE_CORRECTED = (
    "cited-source-retracted",
    "cited-source-concern",
    "cited-source-corrected",
)
NOTICE_FLAG_REASONS = {
    NoticeKind.RETRACTION: SOURCE_RETRACTED,
    NoticeKind.WITHDRAWAL: SOURCE_RETRACTED,
    NoticeKind.EXPRESSION_OF_CONCERN: SOURCE_CONCERN,
    NoticeKind.CORRECTION: SOURCE_CORRECTED,
    NoticeKind.REINSTATEMENT: SOURCE_CORRECTED,
}


class NoticeSource(models.TextChoices):
    """Where the evidence watch learnt of a notice."""

    RETRACTION_WATCH = "retraction_watch", "Retraction Watch"
    CROSSREF = "crossref", "Crossref"
    PUBMED = "pubmed", "PubMed"


class CitationNoticeQuerySet(RecordedQuerySet):
    def same_as(self, *, kind, notice_doi, date):
        """The notices on file that are this one. A notice is known by its DOI; one without a
        DOI is the same as a notice of its kind on the same date or undated, and, undated
        itself (PubMed says only "Retracted Publication"), as any notice of its kind. A
        notice with a DOI is also the same as one of its kind recorded without a DOI (then
        filled in): the services tell of one retraction, in more or less detail."""
        same_kind = self.filter(kind=kind)
        if notice_doi:
            return same_kind.filter(Q(notice_doi__iexact=notice_doi) | Q(notice_doi=""))
        if date is not None:
            return same_kind.filter(Q(date=date) | Q(date__isnull=True))
        return same_kind


class CitationNotice(Versioned):
    """A retraction, correction, expression of concern, withdrawal or reinstatement of a cited
    source, as a reader sees it beside the source. Recorded with Citation.record_notice(),
    which also flags the claims resting on the source."""

    Kind = NoticeKind
    Source = NoticeSource

    citation = models.ForeignKey(Citation, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    date = models.DateField(null=True, blank=True, help_text="When the notice was published.")
    notice_doi = IdentifierField(
        "notice DOI",
        max_length=200,
        blank=True,
        validators=[validate_doi],
        normalize=normalize_doi,
    )
    notice_pmid = IdentifierField(
        "notice PMID",
        max_length=12,
        blank=True,
        validators=[validate_pmid],
        normalize=normalize_pmid,
    )
    learnt_from = models.CharField(max_length=20, choices=Source.choices)
    reason = NormalizedTextField(max_length=2000, blank=True, help_text="Why, as reported.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = models.Manager.from_queryset(CitationNoticeQuerySet)()
    history = HistoricalRecords()

    class Meta:
        # The claim and source pages list a source's notices oldest first (by this index's
        # leading column, the citation's foreign key).
        ordering = ["citation", F("date").asc(nulls_last=True), "pk"]
        constraints = [
            choices_constraint("kind", NoticeKind, "citationnotice_kind_valid"),
            choices_constraint("learnt_from", NoticeSource, "citationnotice_source_valid"),
            # One notice per source, kind and notice DOI (in any case): importing the same
            # file or asking Crossref again records nothing new.
            models.UniqueConstraint(
                F("citation"),
                F("kind"),
                Lower("notice_doi"),
                condition=~Q(notice_doi=""),
                name="citationnotice_unique_doi",
            ),
            # Without a DOI: one per source, kind and date, and one undated.
            models.UniqueConstraint(
                fields=["citation", "kind", "date"],
                condition=Q(notice_doi="", date__isnull=False),
                name="citationnotice_unique_date",
            ),
            models.UniqueConstraint(
                fields=["citation", "kind"],
                condition=Q(notice_doi="", date__isnull=True),
                name="citationnotice_unique_undated",
            ),
        ]

    def __str__(self):
        when = f" on {self.date:%d %b %Y}" if self.date else ""
        return f"{self.get_kind_display()}{when} of {self.citation.slug}"

    @property
    def in_words(self):
        return NoticeKind(self.kind).in_words

    @property
    def notice_url(self):
        """Where a reader reads the notice: its DOI, else its PubMed record, else nothing."""
        if self.notice_doi:
            return f"https://doi.org/{self.notice_doi}"
        if self.notice_pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.notice_pmid}/"
        return ""

    def complete_from(self, report, *, by):
        """Fill in what this notice lacked (a DOI, a PMID, a date, a reason) from another
        report of it; a notice already complete is left as it is (no save, no history)."""
        missing = [
            name
            for name in ["notice_doi", "notice_pmid", "date", "reason"]
            if not getattr(self, name) and getattr(report, name)
        ]
        if not missing:
            return False
        for name in missing:
            setattr(self, name, getattr(report, name))
        self._history_user = by
        self._change_reason = f"Completed from {report.get_learnt_from_display()}."
        self.save(update_fields=missing)
        return True

    def describe(self):
        """One line for a flag's comment and an email: "Retracted on 6 Feb 2010 (notice
        10.1016/…), reported by Retraction Watch: reason"."""
        text = self.in_words
        if self.date:
            text += f" on {self.date:%d %b %Y}"
        if self.notice_doi:
            text += f" (notice https://doi.org/{self.notice_doi})"
        elif self.notice_pmid:
            text += f" (notice PMID {self.notice_pmid})"
        text += f", as {self.get_learnt_from_display()} reports"
        return f"{text}: {self.reason}" if self.reason else f"{text}."
