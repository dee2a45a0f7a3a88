"""What journals publish about a cited source after the fact (retractions, corrections,
expressions of concern), and what recording one does to the claims resting on the source.

Apart from citations.py because recording a notice reaches up to claims, flags and the evidence
watch's account, all of which build on citations."""

from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from claimtrack.scholarly.identifiers import normalize_doi, normalize_pmid

from .citations import Citation, IdentifierField, validate_doi, validate_pmid
from .claims import Claim, ReasonTag
from .common import NormalizedTextField, RecordedQuerySet, Versioned, choices_constraint
from .flags import Flag
from .people import evidence_watch


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

    def record(
        self, citation, *, kind, learnt_from, date=None, notice_doi="", notice_pmid="", reason=""
    ):
        """Record that a notice (a NoticeKind) was published about a cited source, as learnt from
        a NoticeSource; returns (notice, created). Only a notice not on file already (see
        CitationNoticeQuerySet.same_as) is stored, and then, in the same transaction, every
        claim resting on the source (withdrawn ones aside) gets an open flag raised by the
        evidence watch's account, whose reviewers are emailed after the commit. A notice on
        file without a DOI or date is completed from a fuller report, and nobody is told again.
        So recording the same notice twice changes nothing and tells nobody."""
        kind = NoticeKind(kind)
        notice = CitationNotice(
            citation=citation,
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
            Citation.objects.select_for_update().filter(pk=citation.pk).first()
            existing = (
                citation.notices.same_as(kind=kind, notice_doi=notice.notice_doi, date=date)
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
                citation.evidence.filter(claim__withdrawn_at__isnull=True)
                .select_related("claim__reviewed_by")
                .order_by("claim_id")
            )
            reason_tag = ReasonTag.objects.get(slug=kind.flag_reason)
            comment = f"{citation.short_label}, “{citation.title}”: {notice.describe()}"
            for evidence in resting:
                Flag.objects.raise_by_system(
                    claim=evidence.claim, by=by, reason=reason_tag, comment=comment
                )
            # The verdicts resting on the source are due for review at once.
            Claim.objects.citing(citation).make_due(why=comment, by=by)
        return notice, True


class CitationNotice(Versioned):
    """A retraction, correction, expression of concern, withdrawal or reinstatement of a cited
    source, as a reader sees it beside the source. Recorded with CitationNotice.objects.record(),
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
