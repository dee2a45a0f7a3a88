"""Reviews that come due: the queue of claims whose verdict is due for review, how often each
claim's page is read (the queue's "most read"), and the weekly digest.

When a verdict is due is the domain's rule (Claim.review_due_on, set by change_verdict,
confirm_verdict and make_due in claimtrack.claims.models); this module reads it.
"""

import datetime

from django.db import connection
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from claimtrack.claims.models import Article, Claim

from .models import ClaimReads

# "Most read" counts the reads of the last four weeks: what readers look at now.
READ_WINDOW_DAYS = 28

# The queue's orders: (label, ORDER BY). Each ends with the primary key, so keyset pagination
# can follow it (claimtrack.claims.paginators); the annotations are those of due_claims().
SORTS = {
    "flagged": ("Most open flags first", ["-open_flag_count", "review_due_on", "pk"]),
    "read": ("Most read first (last four weeks)", ["-recent_reads", "review_due_on", "pk"]),
    "due": ("Longest overdue first", ["review_due_on", "pk"]),
}
DEFAULT_SORT = "flagged"
# A digest lists at most this many of the reader's own due claims, and as many of the others';
# the queue has the rest.
DIGEST_CLAIMS = 50


def count_read(article_slug, claim_slug, day=None):
    """Count one read of a public claim's page: one statement, an upsert that finds the claim
    by its article's slug and its own (both unique indexes) and adds 1 to its row for the day,
    making the row on the day's first read. A slug that names no public claim counts nothing.

    Raw SQL because the ORM has no "add 1 or insert" in one statement; INSERT … SELECT …
    ON CONFLICT DO UPDATE is the same on SQLite (3.24+) and PostgreSQL."""
    day = day or timezone.localdate()
    q = connection.ops.quote_name
    reads, claims, articles = (
        q(ClaimReads._meta.db_table),
        q(Claim._meta.db_table),
        q(Article._meta.db_table),
    )
    sql = (
        f"INSERT INTO {reads} (claim_id, day, reads) "
        f"SELECT c.id, %s, 1 FROM {claims} c INNER JOIN {articles} a ON a.id = c.article_id "
        "WHERE a.slug = %s AND c.slug = %s AND c.published_at IS NOT NULL "
        f"ON CONFLICT (claim_id, day) DO UPDATE SET reads = {reads}.reads + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datefield_value(day), article_slug, claim_slug])


def counted(view):
    """Count each GET of the claim page before the view (or the page cache in front of it)
    answers: a page served from the cache is a read too."""

    def counting_view(request, article_slug, claim_slug):
        if request.method == "GET":
            count_read(article_slug, claim_slug)
        return view(request, article_slug=article_slug, claim_slug=claim_slug)

    counting_view.__name__ = counting_view.__qualname__ = getattr(view, "__name__", "view")
    counting_view.__doc__ = view.__doc__
    return counting_view


def recent_reads(today=None):
    """A subquery: a claim's reads over the last READ_WINDOW_DAYS days (0 when none), read off
    the (claim, day) index."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=READ_WINDOW_DAYS - 1)
    reads = (
        ClaimReads.objects.filter(claim=OuterRef("pk"), day__gte=since)
        .order_by()
        .values("claim")
        .annotate(n=Sum("reads"))
        .values("n")
    )
    return Coalesce(Subquery(reads), 0)


def due_claims(on=None, topic="", sort=DEFAULT_SORT):
    """The claims due for review by the date on (today), of one topic or all, in the sort's
    order, each with open_flag_count, evidence_count and recent_reads, and its article (not
    its text). The due claims are found by claim_review_due_idx; the counts are subqueries
    run for them alone."""
    claims = (
        Claim.objects.due_for_review(on)
        .select_related("article")
        .defer("article__text", "search_document")
        .with_counts()
        .annotate(recent_reads=recent_reads(on))
    )
    if topic:
        claims = claims.filter(topic=topic)
    return claims.order_by(*SORTS[sort][1])


def digest_for(user, on=None, limit=None):
    """The claims due for review that a digest to user lists: those they reviewed first
    (longest overdue first), then everyone else's. Returns (theirs, others, more): the lists
    and whether more claims are due than listed (limit each list to limit)."""
    limit = limit or DIGEST_CLAIMS
    due = (
        Claim.objects.due_for_review(on)
        .select_related("article")
        .defer("article__text", "search_document")
        .order_by("review_due_on", "pk")
    )
    theirs = list(due.filter(reviewed_by=user)[: limit + 1])
    others = list(due.filter(~Q(reviewed_by=user) | Q(reviewed_by__isnull=True))[: limit + 1])
    more = len(theirs) > limit or len(others) > limit
    return theirs[:limit], others[:limit], more


def iso_week(day):
    """ "2026-W49": the ISO week a digest is sent in, once."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
