"""Articles as published, and their text's revisions."""

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from .common import SlugKeyManager


class ArticleQuerySet(models.QuerySet):
    def with_status_counts(self):
        """The articles as a list, each with .counts (a Counter by status code) and
        .claim_count, in two queries whatever the number of articles."""
        per_article = defaultdict(Counter)
        claims = self.model.claims.rel.related_model.objects  # Claim, whose module imports this one
        rows = claims.order_by().values_list("article", "status").annotate(n=Count("pk"))
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
