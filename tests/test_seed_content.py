"""The demo data is a real editorial review: complete, honest, and consistent with its evidence."""

import re
from contextlib import suppress
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Count, F

from claimtrack.claims.demo import ensure_demo_accounts, raise_demo_flags
from claimtrack.claims.models import (
    Article,
    Certainty,
    Citation,
    Claim,
    ClaimChange,
    ClaimGroup,
    Flag,
    Status,
)

from .conftest import raw_delete, raw_update

VERIFIED = Path(__file__).parent / "data" / "verified_identifiers.tsv"

# A verdict rests on the literature, not on what the citations on file happen to cover: "no
# listed source covers it, so unsupported" is a reason to search, never a reason for a verdict.
CITES_THE_REFERENCE_LIST = re.compile(
    r"\b(?:our reference|reference list|not in our|our list|on file"
    r"|none of the listed|no listed \w+|listed \w+ do(?:es)? not)\b",
    re.IGNORECASE,
)


def verified_identifiers():
    rows = [
        line.split("\t") for line in VERIFIED.read_text().splitlines() if not line.startswith("#")
    ]
    return {(key, kind): value for key, kind, value in rows}


@pytest.fixture
def demo_var(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_every_article_has_at_least_twelve_claims_and_seventy_in_all(seeded):
    per_article = dict(Article.objects.annotate(n=Count("claims")).values_list("slug", "n"))
    assert len(per_article) == 5
    assert min(per_article.values()) >= 12, per_article
    assert Claim.objects.reviewed().count() >= 70


def test_every_claim_is_complete(seeded):
    for claim in Claim.objects.all():
        assert claim.statement.strip() and claim.topic and claim.status, claim.slug
        assert claim.status != Status.UNREVIEWED, claim.slug
        assert claim.rationale.strip(), claim.slug


def test_every_seed_claim_is_published_as_of_its_review_and_complete(seeded):
    assert Claim.objects.count() == 217
    assert Claim.objects.published().count() == 217
    assert not Claim.objects.exclude(published_at=F("reviewed_at")).exists()
    incomplete = {
        claim.slug: problems
        for claim in Claim.objects.all()
        for problems in [claim.publication_problems()]
        if problems
    }
    assert incomplete == {}


def test_every_status_and_certainty_level_has_a_description():
    for choice in [*Status, *Certainty]:
        assert choice.description.strip(), choice


@pytest.mark.parametrize(
    "rationale, cites_the_list",
    [
        ("It is unsupported by our reference list.", True),
        ("Widely accepted, but no listed source covers it, so it is unsupported.", True),
        ("None of the listed sources measures BDNF levels.", True),
        ("The listed sources do not cover intramuscular injection.", True),
        ("The study is not in our list.", True),
        ("No trial on file tests it.", True),
        ("A 2023 meta-analysis of 12 trials found no effect on cravings.", False),
        ("Nausea is listed as common on the FDA label.", False),
        ("The case series profiled three patients.", False),
    ],
)
def test_the_reference_list_guard_knows_the_phrasing(rationale, cites_the_list):
    assert bool(CITES_THE_REFERENCE_LIST.search(rationale)) is cites_the_list


def test_no_rationale_gives_the_reference_list_as_its_reason(seeded):
    offending = {
        f"{claim.article.slug}/{claim.slug}": match.group(0)
        for claim in Claim.objects.select_related("article")
        for match in [CITES_THE_REFERENCE_LIST.search(claim.rationale)]
        if match
    }
    assert offending == {}


def test_the_seed_review_is_consistent(seeded, capsys):
    with suppress(SystemExit):  # exit 1 on findings; the failure below lists them
        call_command("check_consistency", verbosity=0)
    assert capsys.readouterr().out.splitlines() == []


def test_every_evidence_based_verdict_has_evidence_with_a_consistent_stance(seeded):
    gaps = {
        f"{claim.article.slug}/{claim.slug}": claim.evidence_gaps()
        for claim in Claim.objects.select_related("article").prefetch_related("evidence")
    }
    assert {key: gap for key, gap in gaps.items() if gap} == {}


def test_only_verified_identifiers_are_published(seeded):
    verified = verified_identifiers()
    for citation in Citation.objects.all():
        for kind in ["doi", "pmid"]:
            value = getattr(citation, kind)
            if value:
                assert verified.get((citation.slug, kind)) == value, (citation.slug, kind, value)


def test_the_design_card_claims_are_there(seeded):
    relief = Claim.objects.get_by_natural_key(
        "ketamine-psychedelic-substance", "relief-within-24-hours"
    )
    bdnf = Claim.objects.get_by_natural_key("ketamine-psychedelic-substance", "bdnf-release")
    assert "within 24 hours" in relief.quote and "BDNF" in bdnf.quote
    assert relief.evidence.exists() and bdnf.evidence.exists()


def test_groups_line_up_wordings_from_several_articles(seeded):
    shared = ClaimGroup.objects.annotate(articles=Count("claims__article", distinct=True)).filter(
        articles__gte=2
    )
    assert shared.count() >= 8
    assert shared.filter(slug="onset-of-effect", articles__gte=4).exists()


def test_demo_flags_are_raised_once(seeded, demo_var):
    ensure_demo_accounts()
    assert raise_demo_flags() > 0
    assert raise_demo_flags() == 0
    assert Flag.objects.open().filter(raised_by__username="demo-reviewer").count() >= 5


def test_setting_up_the_demo_again_keeps_editors_changes(seeded, demo_var, editor):
    claim = Claim.objects.get_by_natural_key("ketamine-psychedelic-substance", "bdnf-release")
    claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice only.", note="Demo edit."
    )
    raw_update(Claim.objects.filter(pk=claim.pk), statement="Edited statement.")
    changes = ClaimChange.objects.count()
    call_command("setup_demo", verbosity=0)
    call_command("setup_demo", verbosity=0)
    claim.refresh_from_db()
    assert (claim.status, claim.statement) == ("overstated", "Edited statement.")
    assert ClaimChange.objects.count() == changes


def test_setting_up_the_demo_adds_seed_claims_that_are_missing(seeded, demo_var):
    claim = Claim.objects.get_by_natural_key("ketamine-psychedelic-substance", "bdnf-release")
    raw_delete(Claim.objects.filter(pk=claim.pk))  # a reviewed claim is never deleted otherwise
    call_command("setup_demo", verbosity=0)
    restored = Claim.objects.get_by_natural_key("ketamine-psychedelic-substance", "bdnf-release")
    assert restored.evidence.exists()


def test_claim_stats_prints_counts_per_article_and_status(seeded, capsys):
    call_command("claim_stats")
    out = capsys.readouterr().out
    total = Claim.objects.count()
    supported = Claim.objects.filter(status="supported").count()
    last = out.strip().splitlines()[-1].split()
    assert last[:2] == ["all", "articles"]
    assert int(last[-1]) == total
    assert int(last[3]) == supported  # columns: unreviewed, supported, ...
    for slug in Article.objects.values_list("slug", flat=True):
        assert slug in out


def test_demo_passwords_are_random_kept_outside_git_and_stable(seeded, demo_var):
    first = ensure_demo_accounts()
    assert ensure_demo_accounts() == first
    assert (demo_var / "demo-accounts.json").exists()
    assert len(set(first.values())) == 2 and all(len(p) >= 16 for p in first.values())
    for username, password in first.items():
        assert User.objects.get(username=username).check_password(password)
