"""Claims, their verdicts, the evidence behind them and the public record of changes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from .articles import Article
from .citations import Citation
from .common import REVIEW_CLAIM, SlugKeyManager, choices_constraint, require_permission


class Topic(models.TextChoices):
    EFFICACY = "efficacy", "Efficacy"
    MECHANISM = "mechanism", "Mechanism"
    SAFETY = "safety", "Safety"
    ADMINISTRATION = "administration", "Administration"
    HISTORY_REGULATION = "history_regulation", "History and regulation"
    ACCESS_COST = "access_cost", "Access and cost"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    SUPPORTED = "supported", "Supported"
    PARTLY_SUPPORTED = "partly_supported", "Partly supported"
    OVERSTATED = "overstated", "Overstated"
    UNSUPPORTED = "unsupported", "Unsupported"
    CONTRADICTED = "contradicted", "Contradicted"
    UNVERIFIABLE = "unverifiable", "Unverifiable"

    @property
    def is_reviewed(self):
        return self != Status.UNREVIEWED

    @property
    def rating_value(self):
        """Position on claimtrack's 1-5 scale (5 = supported, 1 = contradicted), as published in
        ClaimReview. None where the verdict is not a point on that scale."""
        return RATING_VALUES.get(self)

    @property
    def required_stances(self):
        """A verdict that rests on evidence needs one evidence link with one of these stances."""
        return REQUIRED_STANCES.get(self, frozenset())


RATING_VALUES = {
    Status.SUPPORTED: 5,
    Status.PARTLY_SUPPORTED: 4,
    Status.OVERSTATED: 3,
    Status.UNSUPPORTED: 2,
    Status.CONTRADICTED: 1,
}


class Certainty(models.TextChoices):
    """Certainty of the evidence behind a verdict, in the GRADE sense."""

    HIGH = "high", "High"
    MODERATE = "moderate", "Moderate"
    LOW = "low", "Low"
    VERY_LOW = "very_low", "Very low"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    QUALIFIES = "qualifies", "Qualifies"


REQUIRED_STANCES = {
    Status.SUPPORTED: frozenset({Stance.SUPPORTS}),
    Status.PARTLY_SUPPORTED: frozenset({Stance.SUPPORTS, Stance.QUALIFIES}),
    Status.OVERSTATED: frozenset(Stance),
    Status.CONTRADICTED: frozenset({Stance.CONTRADICTS}),
}


class ClaimGroup(models.Model):
    """Claims that say the same thing in several articles ("onset of antidepressant effect")."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = SlugKeyManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class ReasonTag(models.Model):
    """Why-labels for verdicts and flags, in the spirit of Science Feedback's review tags."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=100, unique=True)
    definition = models.CharField(max_length=300, help_text="One public line saying what it means.")

    objects = SlugKeyManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class ClaimQuerySet(models.QuerySet):
    def reviewed(self):
        return self.exclude(status=Status.UNREVIEWED)

    def with_counts(self):
        """Annotate open_flag_count and evidence_count as subqueries (no join fan-out)."""
        open_flags = (
            self.model.flags.rel.related_model.objects.open()  # Flag, whose module imports this one
            .filter(claim=OuterRef("pk"))
            .order_by()
            .values("claim")
            .annotate(n=Count("pk"))
            .values("n")
        )
        evidence = (
            Evidence.objects.filter(claim=OuterRef("pk"))
            .order_by()
            .values("claim")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            open_flag_count=Coalesce(Subquery(open_flags), 0),
            evidence_count=Coalesce(Subquery(evidence), 0),
        )


class ClaimManager(models.Manager.from_queryset(ClaimQuerySet)):
    def get_by_natural_key(self, article_slug, slug):
        return self.get(article__slug=article_slug, slug=slug)


class Claim(models.Model):
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    slug = models.SlugField(max_length=100)
    quote = models.TextField(help_text="Exactly as it stands in the article, odd wording and all.")
    # Where the quote stands in article.text, so pages can highlight it. Set by locate_quote().
    quote_start = models.PositiveIntegerField(default=0, editable=False)
    quote_end = models.PositiveIntegerField(default=0, editable=False)
    statement = models.TextField(help_text="The claim restated as one checkable proposition.")
    topic = models.CharField(max_length=30, choices=Topic.choices)
    group = models.ForeignKey(
        ClaimGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    # The verdict: change it only with change_verdict(), which records history.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNREVIEWED)
    certainty = models.CharField(
        "certainty of evidence", max_length=10, choices=Certainty.choices, blank=True
    )
    rationale = models.TextField(blank=True, help_text="Public: why this verdict.")
    reason_tags = models.ManyToManyField(ReasonTag, blank=True, related_name="claims")
    # Claims in one group make the same assertion, so their verdicts agree; where this claim's
    # wording earns it a different verdict, say what differs (the consistency report reads it).
    group_note = models.TextField(
        blank=True,
        help_text="Public: what in this claim's wording earns it a verdict different from the "
        "other claims in its group.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for verdicts loaded from the editorial fixtures.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # A default, not auto_now_add: fixtures are saved raw, which skips auto_now_add.
    created_at = models.DateTimeField(default=timezone.now)

    objects = ClaimManager()

    class Meta:
        ordering = ["article_id", "quote_start"]
        permissions = [("review_claim", "Can change a claim's verdict and evidence")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "slug"], name="claim_unique_slug_per_article"
            ),
            choices_constraint("status", Status, "claim_status_valid"),
            choices_constraint("topic", Topic, "claim_topic_valid"),
            choices_constraint("certainty", Certainty, "claim_certainty_valid", allow_blank=True),
            models.CheckConstraint(
                condition=Q(quote_end__gt=models.F("quote_start")), name="claim_quote_located"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.UNREVIEWED) | ~Q(rationale=""),
                name="claim_reviewed_has_rationale",
            ),
        ]
        indexes = [
            # The public list filters by status and sorts by review date.
            models.Index(fields=["status", "-reviewed_at"], name="claim_status_reviewed_idx"),
        ]

    def __str__(self):
        return self.statement

    def get_absolute_url(self):
        return reverse("claim_detail", args=[self.article.slug, self.slug])

    def natural_key(self):
        return (*self.article.natural_key(), self.slug)

    @property
    def verdict(self):
        return (self.status, self.certainty, self.rationale)

    natural_key.dependencies = ["claims.article"]

    def locate_quote(self):
        """Store where the quote stands in the article; refuse a quote that is not there."""
        start = self.article.text.find(self.quote) if self.quote else -1
        if start < 0:
            raise ValidationError(
                {
                    "quote": f"The quote of claim “{self.slug}” is not in the article "
                    f"“{self.article.title}”. Copy it exactly as published."
                },
                code="quote_not_found",
            )
        self.quote_start, self.quote_end = start, start + len(self.quote)

    def clean(self):
        if self.article_id:
            self.locate_quote()
        check_verdict(self.status, self.certainty, self.rationale, claim=self)

    @transaction.atomic
    def change_verdict(self, *, by, status, certainty, rationale, note):
        """Set status, certainty and rationale, recording who, when, from, to and why.

        Returns the ClaimChange, or None when nothing changed. by=None is the system."""
        require_permission(by, REVIEW_CLAIM, "change a claim's verdict")
        check_verdict(status, certainty, rationale, claim=self)
        if by is not None and not note.strip():
            raise ValidationError("Say why the verdict changes.", code="note_required")
        # Lock the row: two editors settling flags on one claim at once must not both win.
        old = Claim.objects.select_for_update().get(pk=self.pk).verdict
        if old == (status, certainty, rationale):
            return None
        self.status, self.certainty, self.rationale = status, certainty, rationale
        self.reviewed_by = by
        self.reviewed_at = timezone.now() if Status(status).is_reviewed else None
        self.save(
            update_fields=[
                "status",
                "certainty",
                "rationale",
                "reviewed_by",
                "reviewed_at",
            ]
        )
        return self.record_verdict_change(old, by, note)

    def record_verdict_change(self, old, by, note):
        """Write the history row for a verdict moved from old: (status, certainty, rationale)."""
        return self.changes.create(
            kind=ClaimChange.Kind.VERDICT,
            changed_by=by,
            old_status=old[0],
            new_status=self.status,
            old_certainty=old[1],
            new_certainty=self.certainty,
            old_rationale=old[2],
            new_rationale=self.rationale,
            note=note,
        )

    @transaction.atomic
    def add_evidence(self, *, by, citation, stance, note, why=""):
        require_permission(by, REVIEW_CLAIM, "change a claim's evidence")
        evidence = Evidence(claim=self, citation=citation, stance=stance, note=note)
        evidence.full_clean()
        evidence.save()
        self.record_evidence_change(by, f"Added evidence: {evidence}", why)
        return evidence

    @transaction.atomic
    def revise_evidence(self, evidence, *, by, why=""):
        """Save an evidence link whose fields were changed in memory."""
        require_permission(by, REVIEW_CLAIM, "change a claim's evidence")
        evidence.full_clean()
        evidence.save()
        self.record_evidence_change(by, f"Revised evidence: {evidence}", why)

    @transaction.atomic
    def remove_evidence(self, evidence, *, by, why=""):
        require_permission(by, REVIEW_CLAIM, "change a claim's evidence")
        summary = f"Removed evidence: {evidence}"
        evidence.delete()
        self.record_evidence_change(by, summary, why)

    def record_evidence_change(self, by, summary, why):
        """Write the history row for evidence that was added, revised or removed."""
        return self.changes.create(
            kind=ClaimChange.Kind.EVIDENCE, changed_by=by, summary=summary[:300], note=why
        )

    def evidence_gaps(self):
        """What the evidence lacks for this verdict: a message, or "" when it is consistent."""
        needed = Status(self.status).required_stances
        stances = {e.stance for e in self.evidence.all()}
        if needed and not stances & needed:
            wanted = " or ".join(sorted(Stance(s).label.lower() for s in needed))
            status = self.get_status_display().lower()
            return f"A claim marked {status} needs evidence that {wanted} it."
        return ""


def check_verdict(status, certainty, rationale, claim=None):
    """The rules every verdict obeys, wherever it comes from (admin, views, fixtures)."""
    name = f"claim “{claim.slug}”" if claim is not None and claim.slug else "this claim"
    if status not in Status.values:
        raise ValidationError(
            {"status": f"Unknown status {status!r} for {name}; use one of: {', '.join(Status)}."},
            code="invalid_status",
        )
    if certainty not in ["", *Certainty.values]:
        raise ValidationError(
            {"certainty": f"Unknown certainty {certainty!r} for {name}."}, code="invalid_certainty"
        )
    if Status(status).is_reviewed and not rationale.strip():
        raise ValidationError(
            {"rationale": f"A reviewed claim needs a public rationale ({name})."},
            code="rationale_required",
        )


class EvidenceManager(models.Manager):
    def get_by_natural_key(self, article_slug, claim_slug, citation_slug):
        return self.get(
            claim__article__slug=article_slug, claim__slug=claim_slug, citation__slug=citation_slug
        )


class Evidence(models.Model):
    """One citation bearing on one claim, and what exactly it shows."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=20, choices=Stance.choices)
    note = models.TextField(help_text="What the source shows, e.g. “n=18 crossover trial; …”.")

    objects = EvidenceManager()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["claim_id", "citation__year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "citation"], name="evidence_unique_per_claim"),
            choices_constraint("stance", Stance, "evidence_stance_valid"),
        ]

    def __str__(self):
        return f"{self.citation.slug} ({self.get_stance_display().lower()})"

    def natural_key(self):
        return (*self.claim.natural_key(), self.citation.slug)

    natural_key.dependencies = ["claims.claim", "claims.citation"]


class ChangeKind(models.TextChoices):
    VERDICT = "verdict", "Verdict"
    EVIDENCE = "evidence", "Evidence"


class ClaimChange(models.Model):
    """One change to what the public is told about a claim. Rows are never edited or deleted."""

    Kind = ChangeKind

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system made the change (fixture loading).",
    )
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    old_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    old_certainty = models.CharField(max_length=10, choices=Certainty.choices, blank=True)
    new_certainty = models.CharField(max_length=10, choices=Certainty.choices, blank=True)
    old_rationale = models.TextField(blank=True)
    new_rationale = models.TextField(blank=True)
    summary = models.CharField(max_length=300, blank=True)
    note = models.TextField("why", blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        get_latest_by = "changed_at"
        constraints = [choices_constraint("kind", ChangeKind, "claimchange_kind_valid")]

    def __str__(self):
        if self.kind == self.Kind.VERDICT:
            return f"{self.get_old_status_display() or 'new'} → {self.get_new_status_display()}"
        return self.summary
