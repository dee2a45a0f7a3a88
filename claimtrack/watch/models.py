"""The watch's own bookkeeping, which no public page shows (so writing it never invalidates the
public page cache, unlike the claims app's rows: claimtrack.claims.freshness)."""

from django.conf import settings
from django.db import models

from claimtrack.claims.models import Claim


class ClaimReads(models.Model):
    """How many times a claim's public page was read on a day: the review queue's "most read".
    One row per claim and day, counted by one upsert per read (due.count_read), before the page
    cache answers, so a page served from the cache counts too."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "claim reads on a day"
        verbose_name_plural = "claim reads by day"
        constraints = [
            # The upsert's ON CONFLICT target, and the queue's sum of a claim's recent reads
            # (claim, then a range of days) reads off its index.
            models.UniqueConstraint(fields=["claim", "day"], name="claimreads_one_row_a_day"),
        ]

    def __str__(self):
        return f"{self.claim_id} on {self.day}: {self.reads}"


class DigestSent(models.Model):
    """A weekly digest sent to one person, so that a second run in the same ISO week sends
    nothing (send_digest is run from cron, and cron may run it twice)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8, help_text="The ISO week, e.g. 2026-W49.")
    sent_at = models.DateTimeField(auto_now_add=True)
    claims = models.PositiveIntegerField(help_text="How many claims it listed.")

    class Meta:
        verbose_name = "weekly digest sent"
        verbose_name_plural = "weekly digests sent"
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="digestsent_once_a_week"),
        ]

    def __str__(self):
        return f"{self.week} to user {self.user_id}"
