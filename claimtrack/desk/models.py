"""What only the desk keeps: candidate sentences an editor said are not claims."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from claimtrack.claims.models import Article


class DismissedSentence(models.Model):
    """A sentence the candidate marking flagged that an editor dismissed: not marked again in
    this article. Kept by its words, so it stays dismissed when the text around it changes."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="dismissed_sentences"
    )
    sentence = models.TextField()
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "sentence"], name="dismissed_sentence_once_per_article"
            )
        ]

    def __str__(self):
        return self.sentence[:80]
