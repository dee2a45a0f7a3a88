"""Articles as published, and their text's revisions."""

from collections import Counter, defaultdict

from django.db import models
from django.db.models import Count, Exists, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .common import (
    NormalizedCharField,
    NormalizedTextField,
    NullsLastIndex,
    RecordedQuerySet,
    SlugKeyManager,
    Versioned,
    free_slug,
    renamed_from,
)


def attach_status_counts(articles):
    """Give each article .counts (a Counter by status code of its published claims) and
    .claim_count, in one query whatever the number of articles; returns them."""
    claims = Article.claims.rel.related_model.objects  # Claim, whose module imports this one
    per_article = defaultdict(Counter)
    rows = (
        claims.published()
        .filter(article__in=[article.pk for article in articles])
        .order_by()
        .values_list("article", "status")
        .annotate(n=Count("*"))  # not COUNT(id): the index alone answers COUNT(*)
    )
    for article_id, status, n in rows:
        per_article[article_id][status] = n
    for article in articles:
        article.counts = per_article[article.pk]
        article.claim_count = sum(article.counts.values())
    return articles


class ArticleQuerySet(RecordedQuerySet):
    def with_status_counts(self):
        """The articles as a list, each with .counts and .claim_count (attach_status_counts).
        Only these articles' claims are counted: slice the queryset first (a page, a few)."""
        return attach_status_counts(list(self))

    def matching(self, text, byline=False):
        """The article whose slug is text, if there is one; else the articles with every word of
        text in their title (byline=True: or in their publisher or author). How readers name an
        article: the claim list's article filter, the article list's search, the suggestions.

        One query, or a subquery of one: the slug test is part of it."""
        text = text.strip()
        words = Q()
        for word in text.split():
            found = Q(title__icontains=word)
            if byline:
                found |= Q(publisher__icontains=word) | Q(author__icontains=word)
            words &= found
        slug_taken = Exists(self.model.objects.filter(slug=text))
        return self.filter(Q(slug=text) | (words & ~slug_taken))

    def free_slug(self, title):
        """A slug made from the title, unique among articles ("-2", "-3" when taken). A slug
        an article once had is taken too: its old links still lead to it (renamed_from)."""
        return free_slug(self, title, max_length=90, fallback="article")

    def renamed_from(self, slug):
        """The article that once had this slug (the history remembers it), or None: a renamed
        article's old links keep working."""
        return renamed_from(self, slug)


class ArticleManager(SlugKeyManager.from_queryset(ArticleQuerySet)):
    pass


class Article(Versioned):
    slug = models.SlugField(max_length=100, unique=True)
    title = NormalizedCharField(max_length=300)
    publisher = NormalizedCharField(max_length=200, blank=True)
    author = NormalizedCharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    text = NormalizedTextField(
        help_text="The full text as published. When it is corrected, every claim finds its "
        "passage again."
    )
    # A default, not auto_now_add: fixtures are saved raw, which skips auto_now_add.
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ArticleManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        indexes = [
            # The article list's default order (title A–Z, then id for stable pages), the
            # admin's, and the claim list's article order (each article's claims follow).
            models.Index(fields=["title", "id"], name="article_title_idx"),
            # The article list's "Newest published".
            NullsLastIndex(
                models.F("published_on").desc(nulls_last=True), name="article_published_idx"
            ),
            # The home page's recently added articles.
            models.Index(fields=["-created_at"], name="article_created_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article_detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def reanchor_claims(self, *, by, note=""):
        """Find every claim's passage again after the text changed; a Counter of outcomes.

        Never refuses the new text: a claim whose passage moved follows it, one whose passage
        was reworded gets the new wording proposed to editors, one whose passage is gone is
        detached (see Claim.follow_text)."""
        outcomes = Counter()
        changed_at = timezone.now()
        for claim in self.claims.order_by("quote_start", "pk"):
            claim.article = self
            outcomes[claim.follow_text(by=by, changed_at=changed_at, note=note)] += 1
        return outcomes

    def text_revisions(self):
        """Each published version of the text, oldest first: dicts of text and saved_at, read
        from the history (one query; a revision is a save that changed the text)."""
        revisions = []
        rows = self.history.order_by("history_date", "history_id").values_list(
            "history_date", "text"
        )
        for saved_at, text in rows:
            if not revisions or revisions[-1]["text"] != text:
                revisions.append({"saved_at": saved_at, "text": text})
        return revisions
