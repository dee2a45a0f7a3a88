"""make_bench_data: synthetic claims at scale, marked as such, in bulk, and never over real data."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from claimtrack.claims import benchdata, consistency
from claimtrack.claims.anchoring import context_of
from claimtrack.claims.models import (
    Article,
    Citation,
    Claim,
    ClaimChange,
    Evidence,
    Flag,
    FlagState,
    Status,
    validate_doi,
    validate_pmid,
    verdict_problems,
)

SMALL = {"claims": 300, "articles": 6}


def make(**options):
    call_command("make_bench_data", verbosity=0, **{**SMALL, **options})


@pytest.fixture
def bench(db):
    make()


def test_it_writes_the_claims_and_articles_asked_for(bench):
    assert Claim.objects.count() == 300
    assert Article.objects.count() == 6
    assert all(slug.startswith("bench-") for slug in Article.objects.values_list("slug", flat=True))
    published = Claim.objects.published().count()
    assert 0.9 * 300 < published < 300  # most published, some drafts
    assert Claim.objects.drafts().filter(status=Status.UNREVIEWED).exists()
    assert 1.5 < Evidence.objects.count() / 300 < 2.5  # two links per claim on average


def test_one_article_has_fifty_published_claims_for_the_benchmark(bench):
    most = Article.objects.annotate(
        n=Count("claims", filter=Q(claims__published_at__isnull=False))
    ).order_by("-n")[0]
    assert most.n >= 50


def test_the_record_and_the_history_are_written_in_the_seeds_proportions(bench):
    published = Claim.objects.published().count()
    assert ClaimChange.objects.filter(kind="verdict").count() == published
    assert Claim.history.count() == 300
    assert Article.history.count() == 6
    assert Evidence.history.count() == Evidence.objects.count()
    states = Counter(Flag.objects.values_list("state", flat=True))
    assert states[FlagState.OPEN] > 0
    assert states[FlagState.UPHELD] + states[FlagState.DISMISSED] > 0
    assert Claim.reason_tags.through.objects.exists()


def test_every_quote_stands_at_its_offsets_with_its_context(bench):
    for claim in Claim.objects.select_related("article"):
        text = claim.article.text
        assert text[claim.quote_start : claim.quote_end] == claim.quote
        prefix, suffix = context_of(text, claim.quote_start, claim.quote_end)
        assert (claim.quote_prefix, claim.quote_suffix) == (prefix, suffix)
    call_command("check_quotes", verbosity=0)  # the project's own check agrees


def test_published_verdicts_are_complete_and_groups_agree(bench):
    claims = Claim.objects.published().prefetch_related("evidence")
    for claim in claims:
        stances = {e.stance for e in claim.evidence.all()}
        assert verdict_problems(claim.status, claim.rationale, stances) == []
    assert consistency.unexplained_differences() == []
    assert list(consistency.empty_groups()) == []


def test_citations_are_valid_in_form_and_visibly_synthetic(bench):
    for doi, pmid in Citation.objects.values_list("doi", "pmid"):
        validate_doi(doi)
        validate_pmid(pmid)
        assert doi.startswith("10.5555/")


def test_the_new_rows_get_fresh_keys_from_the_sequences(bench, article):
    """Rows were written with their keys: a later ordinary save must not collide."""
    assert article.pk > Article.objects.exclude(pk=article.pk).latest("pk").pk


def test_it_refuses_a_database_with_real_articles(seeded):
    with pytest.raises(CommandError, match="not benchmark data.*--force"):
        make()
    assert not Article.objects.filter(slug__startswith="bench-").exists()


def test_force_adds_bench_data_beside_real_data_and_reset_leaves_it(seeded):
    real = set(Claim.objects.values_list("pk", flat=True))
    make(force=True)
    make(force=True, reset=True, claims=120, articles=3)
    assert benchdata.bench_claims().count() == 120
    assert (
        set(Claim.objects.exclude(article__slug__startswith="bench-").values_list("pk", flat=True))
        == real
    )


def test_it_refuses_to_run_twice_without_reset(bench):
    with pytest.raises(CommandError, match="already holds benchmark data.*--reset"):
        make()
    make(reset=True, claims=100, articles=2)
    assert Claim.objects.count() == 100
    assert Claim.history.count() == 100


def test_dry_run_writes_nothing(db):
    make(dry_run=True)
    assert not Claim.objects.exists()


def test_it_refuses_more_articles_than_claims(db):
    with pytest.raises(CommandError, match="--articles"):
        make(claims=3, articles=5)
