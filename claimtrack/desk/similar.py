"""Claims that say much the same thing as a statement an editor is typing, so that a new claim
joins the group of the ones already made in other articles instead of starting its own.

Likeness here is of letters and words, not of meaning: "relieves depression within hours"
finds "relieves depressive symptoms within hours", not "works fast". On PostgreSQL the database
scores every statement by pg_trgm's trigram similarity (the desk's migration 0001 installs the
extension); elsewhere (SQLite) rapidfuzz scores them in Python, which is quick enough for tens
of thousands of claims. The two scores differ in scale, so each has its own threshold; on the
seed claims both put the same group first for an obvious statement and find nothing for an
unrelated one.
"""

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connections
from rapidfuzz import fuzz, process, utils

from claimtrack.claims.models import Claim

# A statement shorter than this says too little to compare: "ketamine works" is like every
# claim about ketamine.
MIN_WORDS = 3
# pg_trgm similarity (0-1) of the typed statement and a claim's. Against the seed claims,
# unrelated sentences ("The stock market fell sharply on Monday") score up to 0.18, and a seed
# claim put in an editor's words 0.27 to 1 at its best match; a paraphrase that shares few
# words ("damages the bladder" for "bladder problems") scores no better than unrelated text.
TRIGRAM_THRESHOLD = 0.25
# _likeness (0-100) in the same roles: unrelated sentences up to 53, restatements mostly 60
# and up (a few 53-57, missed like the paraphrase above).
FUZZ_THRESHOLD = 60


def similar_claims(statement, *, exclude=None, limit=5):
    """The claims, of any article, whose statements read most like statement, best first, each
    with a score (0-1; each database has its own scale). Withdrawn claims are left out, and so
    is exclude (a claim or its id: the one being edited). One query on PostgreSQL, two on
    SQLite; article and group come with the claims."""
    claims = Claim.objects.filter(withdrawn_at__isnull=True).select_related("article", "group")
    if exclude is not None:
        claims = claims.exclude(pk=getattr(exclude, "pk", exclude))
    if connections[claims.db].vendor == "postgresql":
        return list(
            claims.annotate(score=TrigramSimilarity("statement", statement))
            .filter(score__gte=TRIGRAM_THRESHOLD)
            .order_by("-score", "pk")[:limit]
        )
    return _by_fuzz(claims, statement, limit)


def _by_fuzz(claims, statement, limit):
    statements = dict(claims.values_list("pk", "statement"))
    found = process.extract(
        statement,
        statements,
        scorer=_likeness,
        processor=utils.default_process,
        score_cutoff=FUZZ_THRESHOLD,
        limit=None,
    )
    # Best first, then the oldest claim, as on PostgreSQL.
    best = sorted(found, key=lambda match: (-match[1], match[2]))[:limit]
    by_pk = claims.in_bulk([pk for _, _, pk in best])
    result = []
    for _, score, pk in best:
        claim = by_pk[pk]
        claim.score = score / 100
        result.append(claim)
    return result


def _likeness(typed, stored, **kwargs):
    """The words the two share (token_set_ratio, 100 when one's words are all in the other),
    tempered by all their words (token_sort_ratio), so that a short statement is not the
    equal of every longer one that contains its words."""
    return (fuzz.token_set_ratio(typed, stored) + fuzz.token_sort_ratio(typed, stored)) / 2
