"""Claims, their verdicts, the evidence behind them and the public record of changes."""

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Count, OuterRef, ProtectedError, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from ..anchoring import context_of, find_exact, find_forgiving, find_quote
from ..review_schedule import due_after_review
from ..search import (
    CHUNK_SIZE,
    SEARCH_CONFIG,
    START,
    STOP,
    StoredVector,
    search_words,
    write_documents,
)
from ..text import normalize_for_search
from .articles import Article
from .citations import Citation
from .common import (
    DRAFT_CLAIM,
    PUBLISH_CLAIM,
    REVIEW_CLAIM,
    NormalizedCharField,
    NormalizedTextField,
    NullsLastIndex,
    RecordedQuerySet,
    SlugKeyManager,
    StaleEdit,
    Versioned,
    choices_constraint,
    require_permission,
)
from .freshness import PublicVersion


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


class ClaimGroup(Versioned):
    """Claims that say the same thing in several articles ("onset of antidepressant effect")."""

    slug = models.SlugField(max_length=100, unique=True)
    name = NormalizedCharField(max_length=200)
    description = NormalizedTextField(blank=True)

    objects = SlugKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


# The reason tag a reviewer picks when no other fits; their comment then says what is wrong.
OTHER_REASON = "other"


class ReasonTagQuerySet(RecordedQuerySet):
    def for_flags(self):
        """The tags in the order a reviewer picks from: by name, "other" last."""
        last = models.Case(models.When(slug=OTHER_REASON, then=1), default=0)
        return self.order_by(last, "name")


class ReasonTagManager(SlugKeyManager.from_queryset(ReasonTagQuerySet)):
    pass


class ReasonTag(Versioned):
    """Why a claim is wrong: one vocabulary for verdicts (a claim's tags) and for flags (the
    reason a reviewer picks), in the spirit of Science Feedback's review tags."""

    slug = models.SlugField(max_length=100, unique=True)
    name = NormalizedCharField(max_length=100, unique=True)
    definition = NormalizedCharField(
        max_length=300, help_text="One public line saying what it means."
    )

    objects = ReasonTagManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def in_sentence(self):
        """The name as it reads inside a sentence: "Lacks context" → "lacks context", an
        initialism ("BDNF ...") kept as it is."""
        if self.name[:2].isupper():
            return self.name
        return self.name[:1].lower() + self.name[1:]


# A search that finds more claims than this lists them in the list's order, unranked.
RANKED_AT_MOST = 1000


class AnchorState(models.TextChoices):
    """Where a claim's quote stands after its article's text was corrected."""

    ANCHORED = "anchored", "In the article"
    PROPOSED = "proposed", "Reworded: a new quote awaits confirmation"
    DETACHED = "detached", "Changed or removed from the article"


class ClaimQuerySet(RecordedQuerySet):
    def published(self):
        """What the public may see: pages, exports, feeds, counts. Drafts never are."""
        return self.filter(published_at__isnull=False)

    def drafts(self):
        return self.filter(published_at__isnull=True)

    def reviewed(self):
        return self.exclude(status=Status.UNREVIEWED)

    def due_for_review(self, on=None):
        """Public claims whose verdict is due for review by the date on (default today): the
        review queue and the weekly digest. Read off claim_review_due_idx."""
        on = on or timezone.localdate()
        return self.published().filter(withdrawn_at__isnull=True, review_due_on__lte=on)

    def mark_updated(self):
        """Stamp these claims' updated_at with now: their public record changed through another
        row (their evidence, their flags). Bookkeeping for the API's sync, not an editorial
        change: no history, no new version, so an editor's open copy stays current."""
        return models.QuerySet.update(self, updated_at=timezone.now())

    def citing(self, citation):
        """The claims whose evidence cites this source (a Citation or its primary key)."""
        return self.filter(pk__in=Evidence.objects.filter(citation=citation).values("claim"))

    @transaction.atomic
    def make_due(self, *, why, by=None):
        """Make these claims' verdicts due for review today, saying why (a source retracted,
        the evidence revised): each public, not withdrawn claim among them, recorded in its
        history. A claim already due keeps its earlier date (it is that overdue) and takes the
        new reason. One already due for this very reason is left alone, so that running the
        same check twice changes nothing. Returns how many claims changed.

        The due date is bookkeeping, like the search document: it is written without a new
        version (an editor who has the claim open must not be refused their save by it), and
        a history row per claim records it. The public version is bumped: the claim's page
        says its review is due."""
        why = " ".join(why.split())[: Claim._meta.get_field("due_reason").max_length]
        today = timezone.localdate()
        claims = list(
            self.published()
            .filter(withdrawn_at__isnull=True)
            .exclude(review_due_on__lte=today, due_reason=why)
            .select_for_update()
            .order_by("pk")
        )
        if not claims:
            return 0
        for claim in claims:
            if claim.review_due_on is None or claim.review_due_on > today:
                claim.review_due_on = today
            claim.due_reason = why
        pks = [claim.pk for claim in claims]
        plain = models.QuerySet(Claim, using=self.db)  # RecordedQuerySet refuses update()
        plain.filter(pk__in=pks).filter(
            Q(review_due_on__isnull=True) | Q(review_due_on__gt=today)
        ).update(review_due_on=today)
        plain.filter(pk__in=pks).update(due_reason=why, updated_at=timezone.now())
        Claim.history.bulk_history_create(
            claims, update=True, default_user=by, default_change_reason=why
        )
        PublicVersion.objects.bump()
        return len(claims)

    def renamed_from(self, article, slug):
        """The claim of article that once had this slug, or None (see Article's)."""
        once = self.model.history.filter(article_id=article.pk, slug=slug)
        return self.filter(pk__in=once.order_by("-history_date").values("id")[:1]).first()

    def unanchored(self):
        """Claims whose passage was reworded or removed since they were reviewed."""
        return self.exclude(anchor=AnchorState.ANCHORED)

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

    def search(self, words):
        """The claims a reader's search finds, best match first unless an ordering follows.

        On PostgreSQL: full-text search in websearch syntax of the tsvector column generated from
        the search document (search.StoredVector), through its GIN index, ordered by SearchRank
        (annotated as search_rank; words in the statement weigh most), then in this queryset's
        own order. Elsewhere:
        every word must appear in the document, in this queryset's order. Both read the words
        as the documents were written (normalize_for_search): “ketamine’s” is ketamine's."""
        text = normalize_for_search(words).strip()
        if not text:
            return self
        if connections[self.db].vendor != "postgresql":
            found = self
            for word in search_words(text):
                found = found.filter(search_document__icontains=word)
            return found
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        order = self.query.order_by or self.model._meta.ordering
        found = self.alias(search_vector=StoredVector()).filter(search_vector=query)
        # Ranking reads every match: for a word in most claims ("ketamine") that is the whole
        # table, seconds at 100,000 claims. Past RANKED_AT_MOST matches the claims come in this
        # queryset's own order instead, which an index gives (is_ranked() tells which).
        if found.order_by().values("pk")[RANKED_AT_MOST : RANKED_AT_MOST + 1].exists():
            return found
        return (
            found
            # As a double, not ts_rank's real: a page link carries the rank of the page's last
            # claim (paginators.keyset_page), and a real does not survive the round trip.
            .annotate(
                search_rank=Cast(SearchRank(StoredVector(), query), models.FloatField())
            ).order_by("-search_rank", *order, "pk")
        )

    def is_ranked(self):
        """Whether search() ordered these claims best match first."""
        return "search_rank" in self.query.annotations

    def with_headlines(self, words):
        """On PostgreSQL, annotate statement_headline, quote_headline and rationale_headline:
        each text whole, with the words the search matched (as stemmed: "relieves" marks
        "relief") between search.START and search.STOP. search.headlines() cuts and escapes
        them, and marks the words itself on other databases, where this changes nothing.
        Whole texts, not ts_headline's fragments, which drop whatever looks like a tag."""
        text = normalize_for_search(words).strip()
        if not text or connections[self.db].vendor != "postgresql":
            return self
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        marks = {"start_sel": START, "stop_sel": STOP, "highlight_all": True}
        return self.annotate(
            **{
                f"{field}_headline": SearchHeadline(field, query, config=SEARCH_CONFIG, **marks)
                for field in ("statement", "quote", "rationale")
            }
        )

    def refresh_search_documents(self, chunk_size=CHUNK_SIZE):
        """Rewrite these claims' search documents from what they hold now (see
        write_documents: a fixed number of queries per chunk, no history, no new
        version). Every write that changes what a document holds calls this; so does
        whatever inserts claims in bulk. Returns how many documents changed."""
        return write_documents(self, chunk_size=chunk_size)

    def most_flagged(self, limit):
        """Up to limit claims with open flags, the most flags first, each with the counts of
        with_counts(). The open flags are counted (their state index finds them), never every
        claim grouped: there are few open flags and very many claims."""
        flags = self.model.flags.rel.related_model.objects  # Flag, whose module imports this one
        top = (
            flags.open()
            .filter(claim__in=self.values("pk"))
            .order_by()
            .values("claim")
            .annotate(n=Count("pk"))
            .order_by("-n", "claim")
            .values("claim")[:limit]
        )
        return self.filter(pk__in=top).with_counts().order_by("-open_flag_count", "pk")

    def delete(self):
        refuse_deleting(self)
        return super().delete()


# What a review writes besides the verdict itself.
REVIEW_FIELDS = ["reviewed_by", "reviewed_at", "review_due_on", "due_reason"]


def refuse_deleting(claims):
    """A published claim is part of the public record: withdraw it, never delete. A draft was
    never public, so it may go."""
    kept = list(claims.published().values_list("slug", flat=True)[:5])
    if kept:
        raise ProtectedError(
            "A published claim cannot be deleted, only withdrawn: " + ", ".join(kept), set()
        )


class ClaimManager(models.Manager.from_queryset(ClaimQuerySet)):
    def get_by_natural_key(self, article_slug, slug):
        return self.get(article__slug=article_slug, slug=slug)

    def free_slug(self, article, statement, exclude=None):
        """A slug made from the statement, unique in its article ("-2", "-3" when taken)."""
        base = slugify(statement)[:90].rstrip("-") or "claim"
        taken = set(
            self.filter(article=article, slug__startswith=base)
            .exclude(pk=exclude)
            .values_list("slug", flat=True)
        )
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return slug


def attribute(instance, by, reason):
    """Tell the history who makes the next save of instance, and why. by=None is the system."""
    instance._history_user = by
    instance._change_reason = reason or ""


class Claim(Versioned):
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    slug = models.SlugField(max_length=100)
    quote = NormalizedTextField(
        help_text="Exactly as it stands in the article, odd wording and all."
    )
    # Where the quote stands in article.text, so pages can highlight it, and the text just
    # around it (as a W3C TextQuoteSelector keeps it), so it can be found again when the
    # article is corrected. Set by pin().
    quote_start = models.PositiveIntegerField(default=0, editable=False)
    quote_end = models.PositiveIntegerField(default=0, editable=False)
    quote_prefix = NormalizedTextField(blank=True, editable=False)
    quote_suffix = NormalizedTextField(blank=True, editable=False)
    anchor = models.CharField(
        "passage",
        max_length=10,
        choices=AnchorState.choices,
        default=AnchorState.ANCHORED,
        editable=False,
    )
    # A reworded passage's new wording, for an editor to confirm (confirm_proposed_quote).
    proposed_quote = NormalizedTextField(blank=True, editable=False)
    proposed_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    passage_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    statement = NormalizedTextField(help_text="The claim restated as one checkable proposition.")
    topic = models.CharField(max_length=30, choices=Topic.choices)
    group = models.ForeignKey(
        ClaimGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    # The verdict: change it only with change_verdict(), which records history.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNREVIEWED)
    certainty = models.CharField(
        "certainty of evidence", max_length=10, choices=Certainty.choices, blank=True
    )
    rationale = NormalizedTextField(blank=True, help_text="Public: why this verdict.")
    reason_tags = models.ManyToManyField(ReasonTag, blank=True, related_name="claims")
    # Claims in one group make the same assertion, so their verdicts agree; where this claim's
    # wording earns it a different verdict, say what differs (the consistency report reads it).
    group_note = NormalizedTextField(
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
    # When the verdict is next due for review (review_schedule: months after reviewed_at, per
    # topic), or sooner: make_due() brings it to the day a source got a notice or the evidence
    # changed, and due_reason says why. Set by change_verdict() and confirm_verdict(), never
    # typed. Empty for a claim without a verdict.
    review_due_on = models.DateField("review due on", null=True, blank=True, editable=False)
    due_reason = NormalizedCharField(
        "why the review is due", max_length=300, blank=True, editable=False
    )
    # A claim is a draft, seen only by staff, until an editor publishes it (publish()). Once
    # published it stays public: it can be corrected or withdrawn, never unpublished.
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="claims_drafted",
        help_text="Empty for claims loaded from the editorial fixtures.",
    )
    # A claim is never deleted once published; it is withdrawn, and stays on its URL.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_note = NormalizedTextField(blank=True, editable=False)
    # A default, not auto_now_add: fixtures are saved raw, which skips auto_now_add.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When what the public is told about the claim last changed: every save of the claim
    # (_do_update stamps it), every change of its evidence (evidence_revised), its review made
    # due (make_due), a flag on it raised or settled (its open flags are counted in public).
    # The open data API's incremental sync reads it (?updated_after=); the history does not.
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # What a reader's search looks in (claimtrack.claims.search): derived from this claim, its
    # article, tags and evidence by refresh_search_documents(), never by save() (_do_update),
    # and kept out of the history, which records what editors wrote.
    search_document = models.TextField(blank=True, editable=False)

    objects = ClaimManager()
    history = HistoricalRecords(
        m2m_fields=[reason_tags], excluded_fields=["search_document", "updated_at"]
    )

    class Meta:
        ordering = ["article_id", "quote_start"]
        permissions = [
            ("review_claim", "Can change a published claim's verdict and evidence"),
            ("publish_claim", "Can publish a drafted claim"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "slug"], name="claim_unique_slug_per_article"
            ),
            choices_constraint("status", Status, "claim_status_valid"),
            choices_constraint("topic", Topic, "claim_topic_valid"),
            choices_constraint("certainty", Certainty, "claim_certainty_valid", allow_blank=True),
            choices_constraint("anchor", AnchorState, "claim_anchor_valid"),
            models.CheckConstraint(
                condition=Q(quote_end__gt=models.F("quote_start")), name="claim_quote_located"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.UNREVIEWED) | ~Q(rationale=""),
                name="claim_reviewed_has_rationale",
            ),
            # A claim whose passage changed says when; one in place has no such date.
            models.CheckConstraint(
                condition=Q(anchor=AnchorState.ANCHORED, passage_changed_at__isnull=True)
                | (~Q(anchor=AnchorState.ANCHORED) & Q(passage_changed_at__isnull=False)),
                name="claim_passage_change_dated",
            ),
            models.CheckConstraint(
                condition=(
                    Q(anchor=AnchorState.PROPOSED, proposed_start__isnull=False)
                    & ~Q(proposed_quote="")
                )
                | (
                    ~Q(anchor=AnchorState.PROPOSED)
                    & Q(proposed_start__isnull=True, proposed_quote="")
                ),
                name="claim_proposal_complete",
            ),
            # Only a verdict is published: a claim nobody researched stays a draft.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(status=Status.UNREVIEWED),
                name="claim_published_has_verdict",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawal_note="")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_note="")),
                name="claim_withdrawal_explained",
            ),
        ]
        indexes = [
            # The public list filters by status and sorts by review date.
            models.Index(fields=["status", "-reviewed_at"], name="claim_status_reviewed_idx"),
            # Not declared here: the public search's tsvector column and its GIN index
            # (search.SEARCH_INDEX), PostgreSQL's own kinds, made by migration 0016 there only.
            # The public list's "Reviewed, newest first" and the home page's recently reviewed:
            # ORDER BY reviewed_at DESC NULLS LAST, which the index above cannot give.
            NullsLastIndex(
                models.F("reviewed_at").desc(nulls_last=True), name="claim_reviewed_newest_idx"
            ),
            # A reviewer's page: their reviewed claims, newest first (views.reviewer_detail).
            NullsLastIndex(
                models.F("reviewed_by"),
                models.F("reviewed_at").desc(nulls_last=True),
                name="claim_reviewer_newest_idx",
            ),
            # How we rate's example of each certainty level: its most recently reviewed claim.
            models.Index(fields=["certainty", "-reviewed_at"], name="claim_certainty_reviewed_idx"),
            # The public list's and the admin's topic and certainty filters.
            models.Index(fields=["topic"], name="claim_topic_idx"),
            models.Index(fields=["certainty"], name="claim_certainty_idx"),
            # The public list's "Added" orderings (either way).
            models.Index(fields=["created_at"], name="claim_created_idx"),
            # The home page's totals by status, read off the index alone (GROUP BY status).
            models.Index(
                fields=["status"],
                condition=Q(published_at__isnull=False),
                name="claim_published_status_idx",
            ),
            # Published claims per article and status: the scorecards of a page of articles,
            # the article list's "Most claims", the claim list's article filter.
            models.Index(
                fields=["article", "status"],
                condition=Q(published_at__isnull=False),
                name="claim_published_article_idx",
            ),
            # The admin's Drafts filter and the desk's drafts (published_at IS NULL).
            models.Index(fields=["published_at"], name="claim_published_idx"),
            # Whether a claim is published, by its primary key, in the index alone: the public
            # claims counted per source (CitationQuerySet.with_public_claims, public()).
            models.Index(
                fields=["id"],
                condition=Q(published_at__isnull=False),
                name="claim_published_pk_idx",
            ),
            # The review queue and the weekly digest: public claims not withdrawn, due by a date
            # (ClaimQuerySet.due_for_review).
            models.Index(
                fields=["review_due_on"],
                condition=Q(published_at__isnull=False, withdrawn_at__isnull=True),
                name="claim_review_due_idx",
            ),
            # An article's claims in text order: the article page, the admin's default
            # ordering, and the list's article order (articles by title, then this).
            models.Index(fields=["article", "quote_start"], name="claim_article_position_idx"),
            # The API's incremental sync: public claims changed after a time, in the order they
            # changed (api: ?updated_after=).
            models.Index(
                fields=["updated_at", "id"],
                condition=Q(published_at__isnull=False),
                name="claim_published_updated_idx",
            ),
        ]

    def __str__(self):
        return self.statement

    def get_absolute_url(self):
        return reverse("claim_detail", args=[self.article.slug, self.slug])

    def natural_key(self):
        return (*self.article.natural_key(), self.slug)

    natural_key.dependencies = ["claims.article"]

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        # The search document is written by refresh_search_documents() only: a copy of the
        # claim read before the last refresh must not write its stale document back.
        skip = {"search_document"}
        if update_fields is None:
            # Nor does a whole-row save write the review's due date: make_due() changes it
            # without a new version, so a copy read before then would pass the version check
            # and undo it. The review's own saves name the fields (REVIEW_FIELDS).
            skip |= {"review_due_on", "due_reason"}
        values = [value for value in values if value[0].attname not in skip]
        # Whatever changed, a mirror of the public data must fetch the claim again: stamped on
        # every save, whole-row or not (a stale copy's old time never goes back).
        self.updated_at = timezone.now()
        field = self._meta.get_field("updated_at")
        values = [value for value in values if value[0] is not field]
        values.append((field, None, self.updated_at))
        return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)

    def refresh_search_document(self):
        """Rewrite this claim's search document in the database, after its wording, verdict,
        tags or evidence changed (five queries at most). This copy's stays as it was read."""
        Claim.objects.filter(pk=self.pk).refresh_search_documents()

    @property
    def verdict(self):
        return (self.status, self.certainty, self.rationale)

    @property
    def is_published(self):
        """Public since an editor published it; before that a draft, seen only by staff."""
        return self.published_at is not None

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    @property
    def is_anchored(self):
        return self.anchor == AnchorState.ANCHORED

    @property
    def proposed_end(self):
        return self.proposed_start + len(self.proposed_quote) if self.proposed_quote else None

    # Where the quote stands in its article.

    def pin(self, start, quote=None):
        """Put the quote (or a confirmed new wording) at start in the article's text."""
        text = self.article.text
        if quote is not None:
            self.quote = quote
        self.quote_start, self.quote_end = start, start + len(self.quote)
        self.quote_prefix, self.quote_suffix = context_of(text, self.quote_start, self.quote_end)
        self.anchor, self.passage_changed_at = AnchorState.ANCHORED, None
        self.proposed_quote, self.proposed_start = "", None

    def locate_quote(self):
        """Pin the quote where it stands verbatim in the article, nearest its old place where
        it stands more than once, forgiving typographic differences; refuse a quote that is
        not there."""
        found = find_exact(
            self.article.text,
            self.quote,
            old_start=self.quote_start,
            prefix=self.quote_prefix,
            suffix=self.quote_suffix,
        )
        if found is None:
            # A pasted quote may differ from the article in its quotes, dashes or spaces only:
            # then it is stored with the article's own characters.
            found = find_forgiving(self.article.text, self.quote, old_start=self.quote_start)
            if found is not None:
                self.quote = found.quote
        if found is None:
            raise ValidationError(
                {
                    "quote": f"The quote of claim “{self.slug}” is not in the article "
                    f"“{self.article.title}”. Copy it exactly as published."
                },
                code="quote_not_found",
            )
        self.pin(found.start)

    def quote_needs_locating(self):
        """True for a new quote, a quote or article changed since it was stored, or a quote in
        place whose offsets no longer hold it. A detached claim keeps its original quote."""
        if self._state.adding or self.pk is None:
            return True
        stored = Claim.objects.filter(pk=self.pk).values("quote", "article_id").first()
        if stored is None or (stored["quote"], stored["article_id"]) != (
            self.quote,
            self.article_id,
        ):
            return True
        return self.is_anchored and (
            self.article.text[self.quote_start : self.quote_end] != self.quote
        )

    def clean(self):
        if self.article_id and self.quote_needs_locating():
            self.locate_quote()
        check_verdict(self.status, self.certainty, self.rationale, claim=self)

    @transaction.atomic
    def follow_text(self, *, by, changed_at, note=""):
        """After the article's text changed, find this claim's passage again and save.

        Returns the outcome: "kept" (same place), "moved" (found verbatim elsewhere), "proposed"
        (reworded: the new wording awaits an editor's confirmation) or "detached" (gone: the
        claim keeps its original quote and verdict and is highlighted nowhere)."""
        before = (self.quote_start, self.anchor, self.proposed_quote, self.proposed_start)
        before_context = (self.quote_prefix, self.quote_suffix)
        found = find_quote(
            self.article.text,
            self.quote,
            old_start=self.quote_start,
            prefix=self.quote_prefix,
            suffix=self.quote_suffix,
        )
        was_anchored = self.is_anchored
        if found and found.exact:
            outcome = "kept" if was_anchored and found.start == self.quote_start else "moved"
            self.pin(found.start)
        else:
            if found:
                outcome, self.anchor = "proposed", AnchorState.PROPOSED
                self.proposed_quote, self.proposed_start = found.quote, found.start
            else:
                outcome, self.anchor = "detached", AnchorState.DETACHED
                self.proposed_quote, self.proposed_start = "", None
            if was_anchored:
                self.passage_changed_at = changed_at
        after = (self.quote_start, self.anchor, self.proposed_quote, self.proposed_start)
        if (before, before_context) == (after, (self.quote_prefix, self.quote_suffix)):
            return outcome
        attribute(self, by, note or "The article's text was corrected.")
        self.save()
        if outcome == "detached" and was_anchored and self.is_published:
            self.changes.create(
                kind=ChangeKind.PASSAGE,
                changed_by=by,
                changed_at=changed_at,
                summary="The passage this claim quotes was changed or removed from the article.",
                old_wording=self.quote,
                note=note,
            )
        return outcome

    @transaction.atomic
    def confirm_proposed_quote(self, *, by):
        """Accept the reworded passage as the claim's quote: a public correction."""
        require_permission(by, REVIEW_CLAIM, "confirm a claim's new quote")
        if self.anchor != AnchorState.PROPOSED:
            raise ValidationError(
                f"Claim “{self.slug}” has no new quote to confirm.", code="nothing_proposed"
            )
        old_quote = self.quote
        self.pin(self.proposed_start, quote=self.proposed_quote)
        attribute(self, by, "Confirmed the quote's new wording after the article was corrected.")
        self.save()
        self.refresh_search_document()
        self.record_correction(
            "quote", old_quote, by, "The article was corrected; the quote follows its new wording."
        )

    # Editing, withdrawing, deleting.

    def differs_from(self, stored):
        """Whether any stored field (the verdict aside, the version aside) differs."""
        skip = {"version", "status", "certainty", "rationale", "search_document"}
        return any(
            getattr(self, field.attname) != getattr(stored, field.attname)
            for field in self._meta.concrete_fields
            if field.name not in skip
        )

    @transaction.atomic
    def save_edit(self, *, by, note="", with_verdict=True):
        """Save an editor's changes to this claim (a form's): the verdict through
        change_verdict (or not at all, with_verdict=False: the caller applies it later), the
        rest as edited. Writes nothing when nothing changed. A published claim's corrected
        statement or quote goes on the public record with old and new wording.
        self.version must be the version the editor started from: a newer save wins and this
        one raises StaleEdit."""
        verdict = self.verdict
        stored = Claim.objects.select_for_update().filter(pk=self.pk).first() if self.pk else None
        stored_verdict = stored.verdict if stored else (Status.UNREVIEWED, "", "")
        if stored is not None and stored.version != self.version:
            raise StaleEdit(self, self.version, stored.version)
        if stored is None:
            require_permission(by, DRAFT_CLAIM, "draft claims")
            self.drafted_by = by
        else:
            stored.require_editing_rights(by, "change this claim")
        self.status, self.certainty, self.rationale = stored_verdict
        saved = stored is None or self.differs_from(stored)
        if saved:
            attribute(self, by, note)
            self.save()
        if stored is not None and stored.is_published:
            for field in ("statement", "quote"):
                if getattr(stored, field) != getattr(self, field):
                    self.record_correction(field, getattr(stored, field), by, note)
        if with_verdict and verdict != stored_verdict:
            status, certainty, rationale = verdict
            self.change_verdict(  # which refreshes the search document
                by=by, status=status, certainty=certainty, rationale=rationale, note=note
            )
            return
        if not with_verdict:
            self.status, self.certainty, self.rationale = verdict
        if saved:
            self.refresh_search_document()

    def record_correction(self, field, old, by, note):
        """The public record of corrected wording. A draft has none yet: its history keeps it."""
        if not self.is_published:
            return None
        return self.changes.create(
            kind=ChangeKind.CORRECTION,
            changed_by=by,
            summary=f"The claim's {field} was corrected.",
            old_wording=old,
            new_wording=getattr(self, field),
            note=note,
        )

    @transaction.atomic
    def withdraw(self, *, by, note):
        """Take back a published claim: it stays on its URL, marked withdrawn, with the note."""
        require_permission(by, REVIEW_CLAIM, "withdraw a claim")
        if not note.strip():
            raise ValidationError(
                "Say why the claim is withdrawn; the note is public.", "note_required"
            )
        locked = Claim.objects.select_for_update().get(pk=self.pk)
        if locked.is_withdrawn:
            raise ValidationError(
                f"Claim “{self.slug}” was already withdrawn on {locked.withdrawn_at:%d %b %Y}.",
                code="already_withdrawn",
            )
        self.version = locked.version
        self.withdrawn_at, self.withdrawal_note = timezone.now(), note
        attribute(self, by, note)
        self.save(update_fields=["withdrawn_at", "withdrawal_note"])
        self.changes.create(
            kind=ChangeKind.WITHDRAWAL, changed_by=by, summary="The claim was withdrawn.", note=note
        )

    def delete(self, *args, **kwargs):
        refuse_deleting(Claim.objects.filter(pk=self.pk))
        return super().delete(*args, **kwargs)

    # The verdict and its evidence.

    def require_editing_rights(self, by, action):
        """Staff who draft claims may shape a draft's verdict and evidence; once the claim is
        public, changing them takes the right to review claims."""
        perm = REVIEW_CLAIM if self.is_published else DRAFT_CLAIM
        require_permission(by, perm, action)

    @transaction.atomic
    def change_verdict(self, *, by, status, certainty, rationale, note, expected_version=None):
        """Set status, certainty and rationale, recording who, when, from, to and why.

        A draft's verdict changes freely (the history keeps each version). A published one
        needs a note, must stay complete (publication_problems) and goes on the public record:
        the ClaimChange is returned. Returns None when nothing changed. by=None is the system.
        With expected_version, a claim saved by someone else since then raises StaleEdit."""
        check_verdict(status, certainty, rationale, claim=self)
        # Lock the row: two editors settling flags on one claim at once must not both win.
        locked = Claim.objects.select_for_update().get(pk=self.pk)
        self.published_at = locked.published_at
        self.require_editing_rights(by, "change a claim's verdict")
        if expected_version is not None and locked.version != expected_version:
            raise StaleEdit(self, expected_version, locked.version)
        old = locked.verdict
        if old == (status, certainty, rationale):
            return None
        if locked.is_published:
            if by is not None and not note.strip():
                raise ValidationError("Say why the verdict changes.", code="note_required")
            problems = verdict_problems(status, rationale, self.evidence_stances())
            if problems:
                raise incomplete_verdict(problems)
        self.version = locked.version
        self.status, self.certainty, self.rationale = status, certainty, rationale
        self.reviewed_by = by
        self.reviewed_at = timezone.now() if Status(status).is_reviewed else None
        self.schedule_review()
        attribute(self, by, note)
        self.save(update_fields=["status", "certainty", "rationale", *REVIEW_FIELDS])
        self.refresh_search_document()  # the rationale is searched
        if locked.is_published:
            return self.record_verdict_change(old, by, note)
        return True

    def schedule_review(self):
        """Date the next review from this verdict's review (review_schedule), in memory: the
        verdict was just given, or confirmed, so whatever made it due is settled."""
        self.review_due_on = due_after_review(self.reviewed_at, self.topic)
        self.due_reason = ""

    @property
    def review_is_due(self):
        """Whether the verdict is due for review today (or was, and still waits)."""
        return self.review_due_on is not None and self.review_due_on <= timezone.localdate()

    @property
    def review_is_overdue(self):
        """Due before today and not reviewed since."""
        return self.review_due_on is not None and self.review_due_on < timezone.localdate()

    @transaction.atomic
    def confirm_verdict(self, *, by, note):
        """A reviewer checked a published verdict again and it stands: it counts as reviewed
        today (by them), its next review is dated from today, and the public record says so.
        The way a due claim whose verdict does not change leaves the review queue."""
        require_permission(by, REVIEW_CLAIM, "confirm a claim's verdict")
        if not note.strip():
            raise ValidationError("Say what was checked; the note is public.", "note_required")
        locked = Claim.objects.select_for_update().get(pk=self.pk)
        if not locked.is_published or locked.is_withdrawn:
            raise ValidationError(
                f"Claim “{locked.slug}” is not a public verdict to confirm.", code="not_public"
            )
        problems = locked.publication_problems()
        if problems:
            raise incomplete_verdict(problems)
        self.version = locked.version
        self.status, self.certainty, self.rationale = locked.verdict
        self.topic = locked.topic
        self.reviewed_by, self.reviewed_at = by, timezone.now()
        self.schedule_review()
        attribute(self, by, note)
        self.save(update_fields=REVIEW_FIELDS)
        return self.changes.create(
            kind=ChangeKind.RECHECK,
            changed_by=by,
            summary="Checked again against the evidence: the verdict stands.",
            note=note,
        )

    @transaction.atomic
    def publish(self, *, by):
        """Put a draft before the public, with its verdict as the first entry of its public
        record. Refused while the verdict is incomplete (publication_problems)."""
        require_permission(by, PUBLISH_CLAIM, "publish claims")
        locked = Claim.objects.select_for_update().get(pk=self.pk)
        if locked.is_published:
            raise ValidationError(
                f"Claim “{locked.slug}” was already published on "
                f"{timezone.localtime(locked.published_at):%d %b %Y}.",
                code="already_published",
            )
        problems = locked.publication_problems()
        if problems:
            raise incomplete_verdict(problems)
        self.version = locked.version
        self.published_at, self.published_by = timezone.now(), by
        attribute(self, by, "First published.")
        self.save(update_fields=["published_at", "published_by"])
        # The public record starts here: from no verdict to the one published.
        self.record_verdict_change((Status.UNREVIEWED, "", ""), by, "")

    def publication_problems(self):
        """Why this claim cannot be published as it stands: a list of messages, [] when ready."""
        problems = verdict_problems(self.status, self.rationale, self.evidence_stances())
        if not self.is_anchored:
            problems.append("Its passage changed in the article: confirm the quote first.")
        return problems

    def evidence_stances(self):
        return set(self.evidence.values_list("stance", flat=True))

    def record_verdict_change(self, old, by, note):
        """Write the public record of a verdict moved from old: (status, certainty, rationale)."""
        return self.changes.create(
            kind=ChangeKind.VERDICT,
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
        self.require_editing_rights(by, "change a claim's evidence")
        evidence = Evidence(claim=self, citation=citation, stance=stance, note=note)
        evidence.full_clean()
        attribute(evidence, by, why)
        evidence.save()
        self.refresh_search_document()  # its note and its source are searched
        self.record_evidence_change(by, "Added", evidence, why)
        self.evidence_revised(by, "added", evidence)
        if self.group_id:
            # A new source for the same assertion elsewhere: the group's other verdicts may
            # no longer hold, unless they already rest on it.
            Claim.objects.filter(group=self.group_id).exclude(pk=self.pk).exclude(
                pk__in=Evidence.objects.filter(citation=citation).values("claim")
            ).make_due(
                why=f"A new source ({citation.short_label}) was added to another claim in its "
                f"group, “{self.group.name}”.",
                by=by,
            )
        return evidence

    @transaction.atomic
    def revise_evidence(self, evidence, *, by, why=""):
        """Save an evidence link whose fields were changed in memory. evidence.version is the
        version the editor started from: a newer save wins and this one raises StaleEdit."""
        self.require_editing_rights(by, "change a claim's evidence")
        evidence.full_clean()
        attribute(evidence, by, why)
        evidence.save()
        self.refresh_search_document()
        self.record_evidence_change(by, "Revised", evidence, why)
        self.evidence_revised(by, "revised", evidence)

    @transaction.atomic
    def remove_evidence(self, evidence, *, by, why=""):
        self.require_editing_rights(by, "change a claim's evidence")
        attribute(evidence, by, why)
        evidence.delete()
        self.refresh_search_document()
        self.record_evidence_change(by, "Removed", evidence, why)
        self.evidence_revised(by, "removed", evidence)

    def evidence_revised(self, by, verb, evidence):
        """A published verdict whose evidence changed is due for review at once: it was given
        on other evidence. A draft's verdict is still being shaped. Either way the claim's
        public record changed (updated_at)."""
        Claim.objects.filter(pk=self.pk).mark_updated()
        if self.is_published:
            Claim.objects.filter(pk=self.pk).make_due(
                why=f"Its evidence was revised: {evidence.citation.short_label} {verb}.", by=by
            )

    def record_evidence_change(self, by, verb, evidence, why):
        """The public record of evidence added, revised or removed, naming the source as a
        reader would (authors and year), never by its internal key. A draft has no public
        record yet: its history keeps what happened."""
        if not self.is_published:
            return None
        stance = evidence.get_stance_display().lower()
        summary = f"{verb} evidence: {evidence.citation.short_label} ({stance})"
        return self.changes.create(
            kind=ChangeKind.EVIDENCE, changed_by=by, summary=summary[:300], note=why
        )

    def evidence_gaps(self):
        """What the evidence lacks for this verdict: a message, or "" when it is consistent."""
        return evidence_gap(self.status, {e.stance for e in self.evidence.all()})


def evidence_gap(status, stances):
    """What evidence with these stances lacks to carry this status: a message, or ""."""
    needed = Status(status).required_stances
    if needed and not set(stances) & needed:
        wanted = " or ".join(sorted(Stance(s).label.lower() for s in needed))
        return f"A claim marked {Status(status).label.lower()} needs evidence that {wanted} it."
    return ""


def verdict_problems(status, rationale, stances):
    """What keeps a verdict from being published (or staying published): a list of messages.
    The one place that says when a verdict is complete."""
    if not Status(status).is_reviewed:
        return ["Give the claim a verdict: an unreviewed claim is not published."]
    problems = []
    if not rationale.strip():
        problems.append("A published verdict needs a public rationale.")
    gap = evidence_gap(status, stances)
    if gap:
        problems.append(gap)
    return problems


def incomplete_verdict(problems):
    """The error refusing an incomplete verdict, one message per problem, each with its code
    (a ValidationError made from a list of strings drops the code)."""
    return ValidationError([ValidationError(p, code="incomplete_verdict") for p in problems])


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


class EvidenceQuerySet(RecordedQuerySet):
    def public(self):
        """Evidence for published claims (ClaimQuerySet.published): what a source's public
        page lists and its counts count."""
        return self.filter(claim__published_at__isnull=False)


class EvidenceManager(models.Manager.from_queryset(EvidenceQuerySet)):
    def get_by_natural_key(self, article_slug, claim_slug, citation_slug):
        return self.get(
            claim__article__slug=article_slug, claim__slug=claim_slug, citation__slug=citation_slug
        )


class Evidence(Versioned):
    """One citation bearing on one claim, and what exactly it shows."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=20, choices=Stance.choices)
    note = NormalizedTextField(help_text="What the source shows, e.g. “n=18 crossover trial; …”.")

    objects = EvidenceManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["claim_id", "citation__year", "pk"]
        indexes = [
            # A source's claims: its public page, and the public claims counted per source in
            # the sources list (read off this index, then each claim's primary key).
            models.Index(fields=["citation", "claim"], name="evidence_citation_claim_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "citation"],
                name="evidence_unique_per_claim",
                violation_error_message="This source is already evidence for this claim.",
            ),
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
    CORRECTION = "correction", "Correction of the claim's wording"
    PASSAGE = "passage", "The article's passage changed"
    WITHDRAWAL = "withdrawal", "Withdrawal"
    RECHECK = "recheck", "Checked again: the verdict stands"


class ClaimChangeQuerySet(models.QuerySet):
    def public(self):
        """The log as the public reads it: changes to published claims only."""
        return self.filter(claim__published_at__isnull=False)


class ClaimChange(models.Model):
    """One change to what the public is told about a claim: the public corrections log, which
    starts when the claim is published. Rows are never edited or deleted. Seed loading writes
    none (the internal history, django-simple-history, records it)."""

    Kind = ChangeKind

    # Only a draft can be deleted (Claim.delete), and a draft has no public log.
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="changes")
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
    old_rationale = NormalizedTextField(blank=True)
    new_rationale = NormalizedTextField(blank=True)
    summary = NormalizedCharField(max_length=300, blank=True)
    old_wording = NormalizedTextField(blank=True)
    new_wording = NormalizedTextField(blank=True)
    note = NormalizedTextField("why", blank=True)

    objects = ClaimChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        get_latest_by = "changed_at"
        constraints = [choices_constraint("kind", ChangeKind, "claimchange_kind_valid")]
        indexes = [
            # The corrections log filters by kind and pages by date.
            models.Index(fields=["kind", "-changed_at"], name="claimchange_kind_date_idx"),
            # The admin's history list filters by the new verdict.
            models.Index(fields=["new_status"], name="claimchange_new_status_idx"),
        ]

    def __str__(self):
        if self.kind == self.Kind.VERDICT:
            return f"{self.get_old_status_display() or 'new'} → {self.get_new_status_display()}"
        return self.summary
