"""An article's overall review: a key takeaway, and a check against ten stated criteria in the
spirit of HealthNewsReview.org's, each satisfactory, not satisfactory or not applicable, with a
sentence why.

A review is written and changed through ArticleReview.save_edit() and save_verdict(), which
check the editor's permission and tell the history (django-simple-history) who changed what
and why; the admin calls them. The public sees a review once it has a verdict on every
criterion (ArticleReviewQuerySet.for_page).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .articles import Article
from .common import (
    NormalizedCharField,
    NormalizedTextField,
    RecordedQuerySet,
    Versioned,
    choices_constraint,
    require_permission,
)

# Granted to the Editors group in migration 0018; Reviewers may only view reviews.
REVIEW_ARTICLE = "claims.change_articlereview"


class Criterion(models.TextChoices):
    """What a good health story does, after HealthNewsReview.org's ten criteria. The order here
    is the order in which the public page lists them."""

    BENEFITS = "benefits", "Benefits quantified"
    HARMS = "harms", "Harms"
    EVIDENCE = "evidence", "Quality of evidence"
    COSTS = "costs", "Costs"
    ALTERNATIVES = "alternatives", "Alternatives"
    AVAILABILITY = "availability", "Availability"
    NOVELTY = "novelty", "Novelty"
    SOURCES = "sources", "Independent sources"
    DISEASE_MONGERING = "disease_mongering", "No disease-mongering"
    PRESS_RELEASE = "press_release", "Beyond a press release"

    @property
    def question(self):
        """The criterion as the question the review answers, in one public sentence."""
        return CRITERION_QUESTIONS[self]

    @property
    def position(self):
        return list(Criterion).index(self)


CRITERION_QUESTIONS = {
    Criterion.BENEFITS: "Does the article say how much the treatment helps, in numbers a reader "
    "can weigh: how many people benefit, by how much, compared with what?",
    Criterion.HARMS: "Does the article describe the treatment's harms and side effects, and how "
    "common and how serious they are?",
    Criterion.EVIDENCE: "Does the article say how strong the evidence is: what kind of studies, "
    "how many people, for how long, and what they cannot show?",
    Criterion.COSTS: "Does the article say what the treatment costs, and whether insurance pays "
    "for it?",
    Criterion.ALTERNATIVES: "Does the article compare the treatment with the other options a "
    "reader has?",
    Criterion.AVAILABILITY: "Does the article say whether and how the treatment can be had, and "
    "whether regulators have approved it for this use?",
    Criterion.NOVELTY: "Does the article make clear what is new about the treatment and what "
    "has been known or available for years?",
    Criterion.SOURCES: "Does the article rest on sources independent of those who sell the "
    "treatment, and name them so a reader can check them?",
    Criterion.DISEASE_MONGERING: "Does the article describe the condition without exaggerating "
    "how common or how serious it is?",
    Criterion.PRESS_RELEASE: "Does the article go beyond a press release or promotional copy, "
    "with reporting or checking of its own?",
}


class Verdict(models.TextChoices):
    SATISFACTORY = "satisfactory", "Satisfactory"
    NOT_SATISFACTORY = "not_satisfactory", "Not satisfactory"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class ArticleReviewQuerySet(RecordedQuerySet):
    def for_page(self, article):
        """The article's review as its public page shows it, with .verdicts_in_order (the ten
        criteria in Criterion's order), or None while it has none or is incomplete.

        One query: the verdicts, each with its review and the reviewer joined."""
        verdicts = list(
            ArticleCriterionVerdict.objects.filter(review__article=article).select_related(
                "review__reviewer"
            )
        )
        if len(verdicts) < len(Criterion):
            return None
        review = verdicts[0].review
        review.article = article
        review.verdicts_in_order = sorted(verdicts, key=lambda v: Criterion(v.criterion).position)
        review.met, review.applicable = review.tally(verdicts)
        return review


class ArticleReviewManager(models.Manager.from_queryset(ArticleReviewQuerySet)):
    def get_by_natural_key(self, article_slug):
        return self.get(article__slug=article_slug)


class ArticleReview(Versioned):
    """One per article: the reviewers' short verdict on the article as a whole."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    takeaway = NormalizedCharField(
        "key takeaway",
        max_length=600,
        help_text="What a reader should take away from the article, in a sentence or two. Public.",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who last changed the review. Empty for the editorial fixtures.",
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    objects = ArticleReviewManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "article review"
        ordering = ["article__title", "pk"]
        constraints = [
            # The article page shows one review (for_page); a second would be a second verdict.
            models.UniqueConstraint(
                fields=["article"],
                name="articlereview_one_per_article",
                violation_error_message="This article already has a review: change that one.",
            ),
        ]

    def __str__(self):
        return f"Review of “{self.article}”"

    def natural_key(self):
        return self.article.natural_key()

    natural_key.dependencies = ["claims.article"]

    def tally(self, verdicts):
        """(satisfactory, applicable): how many of the criteria that apply the article meets."""
        applicable = [v for v in verdicts if v.verdict != Verdict.NOT_APPLICABLE]
        met = [v for v in applicable if v.verdict == Verdict.SATISFACTORY]
        return len(met), len(applicable)

    @transaction.atomic
    def save_edit(self, *, by, note):
        """Save the review as edited in memory, signed by its editor, dated now. A first review
        speaks for itself; changing one that was saved needs a note saying why (kept in the
        history, with who and when). by=None is the system."""
        require_permission(by, REVIEW_ARTICLE, "review articles")
        if self.pk is not None and by is not None and not note.strip():
            raise ValidationError(
                "Say why the review changes; it is kept in its history.", code="note_required"
            )
        self.reviewer, self.reviewed_at = by, timezone.now()
        self.full_clean()
        self._history_user, self._change_reason = by, note or "First review."
        self.save()

    @transaction.atomic
    def save_verdict(self, verdict, *, by, note):
        """Save one criterion's verdict of this review, as edited in memory, with who and why."""
        require_permission(by, REVIEW_ARTICLE, "review articles")
        verdict.review = self
        verdict.full_clean()
        verdict._history_user, verdict._change_reason = by, note or "First review."
        verdict.save()


class ArticleCriterionVerdictManager(models.Manager.from_queryset(RecordedQuerySet)):
    def get_by_natural_key(self, article_slug, criterion):
        return self.get(review__article__slug=article_slug, criterion=criterion)


class ArticleCriterionVerdict(Versioned):
    """How the article does on one criterion, and in a sentence why."""

    review = models.ForeignKey(ArticleReview, on_delete=models.CASCADE, related_name="verdicts")
    criterion = models.CharField(max_length=20, choices=Criterion.choices)
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    why = NormalizedTextField(
        blank=True,
        help_text="One public sentence, specific to this article. Required unless the criterion "
        "does not apply.",
    )

    objects = ArticleCriterionVerdictManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "criterion verdict"
        ordering = ["review_id", "pk"]
        constraints = [
            # A review answers each criterion once; the article page lists them by criterion.
            models.UniqueConstraint(
                fields=["review", "criterion"],
                name="articleverdict_one_per_criterion",
                violation_error_message="This review already has a verdict on this criterion.",
            ),
            choices_constraint("criterion", Criterion, "articleverdict_criterion_valid"),
            choices_constraint("verdict", Verdict, "articleverdict_verdict_valid"),
            # A verdict on a criterion that applies says why, in public.
            models.CheckConstraint(
                condition=Q(verdict=Verdict.NOT_APPLICABLE) | ~Q(why=""),
                name="articleverdict_why_required",
                violation_error_message="Say why, in a sentence, unless the criterion does not "
                "apply.",
            ),
        ]

    def __str__(self):
        return f"{self.get_criterion_display()}: {self.get_verdict_display().lower()}"

    def natural_key(self):
        return (*self.review.natural_key(), self.criterion)

    natural_key.dependencies = ["claims.articlereview"]

    @property
    def question(self):
        return Criterion(self.criterion).question

    def clean(self):
        if self.verdict != Verdict.NOT_APPLICABLE and not (self.why or "").strip():
            raise ValidationError(
                {"why": "Say why, in a sentence, unless the criterion does not apply."},
                code="why_required",
            )
