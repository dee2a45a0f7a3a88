"""Articles, the claims taken from them, the evidence behind each verdict, and reviewers' flags.

The editorial rules live here, once. A claim's verdict (status, certainty, rationale) and its
evidence change only through the Claim methods below, which check the actor's permission, lock
the row and write a ClaimChange in the same transaction. Flags are raised with
Flag.objects.raise_flag() and settled with Flag.uphold() / Flag.dismiss(). The admin, the public
views and the management commands all call these; nothing else assigns claim.status.
"""

from collections import Counter, defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

# Permissions, granted to the groups made in migration 0002.
REVIEW_CLAIM = "claims.review_claim"  # change what the public is told: verdict and evidence
RAISE_FLAG = "claims.add_flag"
SETTLE_FLAG = "claims.settle_flag"


def require_permission(user, perm, action):
    """user None is the system itself (fixture loading, data migrations)."""
    if user is not None and not user.has_perm(perm):
        raise PermissionDenied(f"You are not allowed to {action}.")


def choices_constraint(field, choices, name, allow_blank=False):
    values = list(choices.values) + ([""] if allow_blank else [])
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)


class SlugKeyManager(models.Manager):
    """Fixtures refer to these rows by slug, so loading them twice updates instead of copying."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


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

    @property
    def description(self):
        """What the verdict means, in one public sentence (How we rate, the admin's help)."""
        return STATUS_DESCRIPTIONS[self]


RATING_VALUES = {
    Status.SUPPORTED: 5,
    Status.PARTLY_SUPPORTED: 4,
    Status.OVERSTATED: 3,
    Status.UNSUPPORTED: 2,
    Status.CONTRADICTED: 1,
}

# The one place the scale is defined. A verdict is judged against the best available evidence,
# searched for in the literature: a source missing from the citations on file is a reason to go
# and look, never a reason for the verdict.
STATUS_DESCRIPTIONS = {
    Status.SUPPORTED: "The best available evidence, looked for in the literature and not only "
    "among the sources already on file, backs the claim as it is worded.",
    Status.PARTLY_SUPPORTED: "The best available evidence backs part of the claim, or backs it "
    "only with a limit the claim leaves out, such as a narrower group of patients or a shorter "
    "effect.",
    Status.OVERSTATED: "The best available evidence points the same way as the claim but is "
    "weaker, smaller or less certain than the claim's wording makes it sound.",
    Status.UNSUPPORTED: "Evidence was looked for in the literature and does not back the claim: "
    "none was found, or what was found is too weak or too indirect to carry it.",
    Status.CONTRADICTED: "The best available evidence shows the opposite of what the claim says.",
    Status.UNVERIFIABLE: "The claim cannot be checked against evidence, because it is too vague, "
    "rests on private experience, cannot be tested, or cites a study without naming it.",
    Status.UNREVIEWED: "Nobody has researched this claim yet, so it has no verdict.",
}


class Certainty(models.TextChoices):
    """Certainty of the evidence behind a verdict, in the GRADE sense."""

    HIGH = "high", "High"
    MODERATE = "moderate", "Moderate"
    LOW = "low", "Low"
    VERY_LOW = "very_low", "Very low"

    @property
    def description(self):
        """What the level tells a reader, in one public sentence."""
        return CERTAINTY_DESCRIPTIONS[self]


# GRADE's own reading of each level (Balshem et al. 2011), put for readers.
CERTAINTY_DESCRIPTIONS = {
    Certainty.HIGH: "The true effect is very likely close to what the evidence shows; further "
    "research is very unlikely to change the verdict.",
    Certainty.MODERATE: "The true effect is probably close to what the evidence shows, but it "
    "could be substantially different.",
    Certainty.LOW: "The true effect may be substantially different from what the evidence "
    "shows; further research could well change the verdict.",
    Certainty.VERY_LOW: "The true effect is likely to be substantially different from what the "
    "evidence shows; any verdict resting on it is tentative.",
}


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


class ArticleQuerySet(models.QuerySet):
    def with_status_counts(self):
        """The articles as a list, each with .counts (a Counter by status code) and
        .claim_count, in two queries whatever the number of articles."""
        per_article = defaultdict(Counter)
        rows = Claim.objects.order_by().values_list("article", "status").annotate(n=Count("pk"))
        for article_id, status, n in rows:
            per_article[article_id][status] = n
        articles = list(self)
        for article in articles:
            article.counts = per_article[article.pk]
            article.claim_count = sum(article.counts.values())
        return articles


class ArticleManager(SlugKeyManager.from_queryset(ArticleQuerySet)):
    pass


class Article(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    text = models.TextField(
        help_text="The full text as published. Every quote is checked against it."
    )
    # A default, not auto_now_add: fixtures are saved raw, which skips auto_now_add.
    created_at = models.DateTimeField(default=timezone.now)

    objects = ArticleManager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article_detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        # Editing the text must not strand a claim whose quote is no longer in it.
        if self.pk:
            lost = [c.slug for c in self.claims.all() if c.quote not in self.text]
            if lost:
                raise ValidationError(
                    {
                        "text": "These claims quote text that would no longer be in the article: "
                        + ", ".join(lost)
                    },
                    code="quote_not_found",
                )

    def relocate_quotes(self):
        """Recompute every claim's quote offsets after the text changed."""
        for claim in self.claims.all():
            claim.article = self
            claim.locate_quote()
            claim.save(update_fields=["quote_start", "quote_end"])


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


validate_doi = RegexValidator(
    r"^10\.\d{4,9}/\S+$", "Enter a bare DOI such as 10.1176/appi.ajp.2013.13030392.", "invalid_doi"
)
validate_pmid = RegexValidator(
    r"^[1-9]\d{0,8}$", "A PMID is a number such as 23982301.", "invalid_pmid"
)


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


class Citation(models.Model):
    Kind = CitationKind

    slug = models.SlugField(
        max_length=100, unique=True, help_text="A short key, e.g. murrough2013."
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    authors = models.CharField(max_length=1000)
    title = models.CharField(max_length=500)
    journal = models.CharField("journal or publisher", max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, validators=[validate_doi])
    pmid = models.CharField("PMID", max_length=12, blank=True, validators=[validate_pmid])
    url = models.URLField("URL", max_length=500, blank=True)
    # Identifiers are never guessed: say where the DOI/PMID was seen tied to this title.
    identifiers_checked = models.TextField(
        "how the identifiers were checked",
        blank=True,
        help_text="Where the DOI/PMID was seen tied to this title, e.g. “PubMed record page”.",
    )

    objects = SlugKeyManager()

    class Meta:
        ordering = ["slug"]
        constraints = [
            choices_constraint("kind", CitationKind, "citation_kind_valid"),
            # Blank means "no identifier"; only real identifiers must be unique.
            models.UniqueConstraint(
                fields=["doi"], condition=~Q(doi=""), name="citation_unique_doi"
            ),
            models.UniqueConstraint(
                fields=["pmid"], condition=~Q(pmid=""), name="citation_unique_pmid"
            ),
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


class ClaimQuerySet(models.QuerySet):
    def reviewed(self):
        return self.exclude(status=Status.UNREVIEWED)

    def with_counts(self):
        """Annotate open_flag_count and evidence_count as subqueries (no join fan-out)."""
        open_flags = (
            Flag.objects.open()
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


class FlagReason(models.TextChoices):
    UNSUPPORTED = "unsupported", "Unsupported"
    OVERSTATED = "overstated", "Overstated"
    MISQUOTED = "misquoted", "Misquoted"
    MISREPRESENTS_SOURCE = "misrepresents_source", "Misrepresents source"
    LACKS_CONTEXT = "lacks_context", "Lacks context"
    OUTDATED = "outdated", "Outdated"
    OTHER = "other", "Other"


class FlagState(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Upheld"
    DISMISSED = "dismissed", "Dismissed"


# Sorts open flags before settled ones (the review queue).
OPEN_FIRST = models.Case(models.When(state=FlagState.OPEN, then=0), default=1)

DUPLICATE_FLAG_MESSAGE = "You already have an open flag on this claim for this reason."


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=Flag.State.OPEN)

    def review_queue(self):
        """Open flags first, then oldest first."""
        return self.order_by(OPEN_FIRST, "created_at", "pk")


class FlagManager(models.Manager.from_queryset(FlagQuerySet)):
    def check_can_raise(self, *, claim, by, reason):
        """Raise PermissionDenied or ValidationError if `by` may not raise this flag now."""
        require_permission(by, RAISE_FLAG, "flag claims")
        if reason not in FlagReason.values:
            raise ValidationError(
                {"reason": f"Unknown flag reason {reason!r}."}, code="invalid_reason"
            )
        if self.open().filter(claim=claim, raised_by=by, reason=reason).exists():
            raise ValidationError(DUPLICATE_FLAG_MESSAGE, code="duplicate_flag")

    def raise_flag(self, *, claim, by, reason, comment="", tags=()):
        """A reviewer reports a claim. One open flag per reviewer, claim and reason."""
        self.check_can_raise(claim=claim, by=by, reason=reason)
        try:
            with transaction.atomic():
                flag = self.create(claim=claim, raised_by=by, reason=reason, comment=comment)
                flag.reason_tags.set(tags)
        except IntegrityError:  # a double submit raced past the check
            raise ValidationError(DUPLICATE_FLAG_MESSAGE, code="duplicate_flag") from None
        return flag


class Flag(models.Model):
    Reason = FlagReason
    State = FlagState

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="flags")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flags_raised"
    )
    reason = models.CharField(max_length=30, choices=Reason.choices)
    reason_tags = models.ManyToManyField(ReasonTag, blank=True, related_name="flags")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Settled with uphold() or dismiss(), never by assignment.
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flags_resolved",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    objects = FlagManager()

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("settle_flag", "Can uphold or dismiss flags")]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "raised_by", "reason"],
                condition=Q(state="open"),
                name="flag_one_open_per_reviewer_claim_reason",
                violation_error_message=DUPLICATE_FLAG_MESSAGE,
                violation_error_code="duplicate_flag",
            ),
            choices_constraint("reason", FlagReason, "flag_reason_valid"),
            choices_constraint("state", FlagState, "flag_state_valid"),
            models.CheckConstraint(
                condition=Q(state="open", resolved_at__isnull=True)
                | (~Q(state="open") & Q(resolved_at__isnull=False)),
                name="flag_settled_iff_resolved_at",
            ),
        ]
        indexes = [
            # The review queue and the "has open flags" filters.
            models.Index(fields=["state", "created_at"], name="flag_state_created_idx"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} flag on “{self.claim}”"

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    def uphold(self, *, by, note, status=None, certainty=None, rationale=None):
        """Agree with the flag. Any of status, certainty, rationale given also changes the
        claim's verdict, in the same transaction."""
        with transaction.atomic():
            self._settle(self.State.UPHELD, by, note)
            if (status, certainty, rationale) != (None, None, None):
                claim = self.claim
                claim.change_verdict(
                    by=by,
                    status=status or claim.status,
                    certainty=claim.certainty if certainty is None else certainty,
                    rationale=rationale or claim.rationale,
                    note=f"Flag #{self.pk} ({self.get_reason_display().lower()}) upheld: {note}",
                )

    def dismiss(self, *, by, note):
        with transaction.atomic():
            self._settle(self.State.DISMISSED, by, note)

    def _settle(self, state, by, note):
        require_permission(by, SETTLE_FLAG, "settle flags")
        if not note.strip():
            raise ValidationError("Say why you settle the flag this way.", code="note_required")
        # Lock the flag: two editors settling it at once must not both win.
        current = Flag.objects.select_for_update().get(pk=self.pk)
        if current.state != self.State.OPEN:
            raise ValidationError(
                f"This flag was already {current.get_state_display().lower()}.",
                code="already_settled",
            )
        self.state, self.resolved_by, self.resolution_note = state, by, note
        self.resolved_at = timezone.now()
        self.save(update_fields=["state", "resolved_by", "resolved_at", "resolution_note"])
