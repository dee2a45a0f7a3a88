"""Fixture loading holds fixtures to the admin's rules, and can be repeated."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claimtrack.claims.demo import SEED_FIXTURES
from claimtrack.claims.models import Article, Claim, ClaimChange, Evidence

from .conftest import raw_update


def write_fixture(tmp_path, claim_fields, name="bad.json"):
    objects = [
        {
            "model": "claims.article",
            "fields": {"slug": "tiny", "title": "Tiny", "text": "Ketamine blocks NMDA receptors."},
        },
        {
            "model": "claims.claim",
            "fields": {
                "article": ["tiny"],
                "slug": "nmda",
                "quote": "Ketamine blocks NMDA receptors.",
                "statement": "Ketamine blocks NMDA receptors.",
                "topic": "mechanism",
                "status": "supported",
                "certainty": "high",
                "rationale": "Well established.",
                **claim_fields,
            },
        },
    ]
    path = tmp_path / name
    path.write_text(json.dumps(objects), encoding="utf-8")
    return str(path)


def counts():
    return (
        Article.objects.count(),
        Claim.objects.count(),
        Evidence.objects.count(),
        ClaimChange.objects.count(),
    )


def test_seed_fixtures_load_with_located_quotes(seeded):
    assert Article.objects.count() == 5
    for claim in Claim.objects.select_related("article"):
        assert claim.article.text[claim.quote_start : claim.quote_end] == claim.quote


def test_loading_again_duplicates_nothing_and_records_nothing(seeded):
    before = counts()
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    assert counts() == before


def test_loading_records_each_claim_in_the_history_and_nothing_in_the_public_log(seeded):
    loaded = Claim.history.filter(history_change_reason__startswith="Loaded from fixture article_")
    assert loaded.values("id").distinct().count() == Claim.objects.count()
    assert not loaded.exclude(history_user=None).exists()
    assert ClaimChange.objects.count() == 0  # a seed load is not a correction


def test_a_fixture_that_changes_a_verdict_records_the_change_in_the_history(tmp_path, db):
    call_command("loaddata", write_fixture(tmp_path, {}), verbosity=0)
    call_command(
        "loaddata", write_fixture(tmp_path, {"status": "overstated"}, "v2.json"), verbosity=0
    )
    claim = Claim.objects.get()
    assert claim.status == "overstated"
    statuses = list(claim.history.order_by("history_id").values_list("status", flat=True))
    assert statuses[0] == "supported" and statuses[-1] == "overstated"
    latest = claim.history.latest("history_id")
    assert latest.history_user is None and "v2.json" in latest.history_change_reason
    assert not claim.changes.exists()


def test_it_rejects_a_fixture_with_an_unknown_status_naming_the_claim(tmp_path, seeded):
    before = counts()
    with pytest.raises(CommandError, match=r"claims\.claim tiny/nmda: .*'true-ish'"):
        call_command("loaddata", write_fixture(tmp_path, {"status": "true-ish"}), verbosity=0)
    assert counts() == before
    assert not Article.objects.filter(slug="tiny").exists()


ARTICLE = {"model": "claims.article", "fields": {"slug": "tiny", "title": "Tiny", "text": "T."}}


# Each fixture starts with a good article: a refusal must take it back too (nothing half-loaded).
@pytest.mark.parametrize(
    "second, message",
    [
        ({"fields": {"slug": "x"}}, r'object 2 has no "model"'),
        ({"model": "claims.claim"}, r'object 2 \(claims.claim\) has no "fields" object'),
        ({"model": "claims.claim", "fields": ["slug", "x"]}, r'has no "fields" object'),
        ("claims.claim", r"object 2 is not an object"),
        ({"model": "claims.verdict", "fields": {}}, r"Invalid model identifier: claims.verdict"),
        ({"model": "claims.article", "fields": {"truthiness": 1}}, r"has no field named"),
        ({"model": "claims.claim", "fields": {"article": ["nowhere"]}}, r"Claim has no article"),
        (
            {"model": "claims.claim", "fields": {"article": "tiny"}},
            r"“tiny” value must be an integer",
        ),
        ({"model": "claims.claim", "fields": {"published_at": "yesterday"}}, r"invalid format"),
        ({"model": "claims.claim", "pk": "one", "fields": {}}, r"“one” value must be an integer"),
    ],
)
def test_it_rejects_a_malformed_fixture_with_one_line_and_loads_nothing(
    tmp_path, db, second, message
):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([ARTICLE, second]), encoding="utf-8")
    with pytest.raises(CommandError, match=message) as refusal:
        call_command("loaddata", str(path), verbosity=0)
    assert "\n" not in str(refusal.value)
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "claim_fields, message",
    [
        ({"certainty": 5}, r"tiny/nmda: Value '5' is not a valid choice"),
        ({"status": None}, r"tiny/nmda: .*cannot be null"),
        ({"quote": ""}, r"tiny/nmda: .*cannot be blank"),
    ],
)
def test_it_rejects_a_claim_with_a_wrong_type_or_a_missing_value(
    tmp_path, db, claim_fields, message
):
    fixture = write_fixture(tmp_path, claim_fields)
    with pytest.raises(CommandError, match=message):
        call_command("loaddata", fixture, verbosity=0)
    assert counts() == (0, 0, 0, 0)


def test_it_rejects_a_fixture_that_is_not_json(tmp_path, db):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([ARTICLE])[:-5], encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.json is not valid JSON: .*line 1"):
        call_command("loaddata", str(path), verbosity=0)
    assert counts() == (0, 0, 0, 0)


def test_it_rejects_a_quote_that_is_not_in_the_article(tmp_path, db):
    bad = write_fixture(tmp_path, {"quote": "Ketamine blocks all receptors."})
    with pytest.raises(
        CommandError, match="tiny/nmda: The quote of claim “nmda” is not in the article"
    ):
        call_command("loaddata", bad, verbosity=0)
    assert counts() == (0, 0, 0, 0)


def test_it_rejects_a_reviewed_claim_without_rationale(tmp_path, db):
    with pytest.raises(CommandError, match="needs a public rationale"):
        call_command("loaddata", write_fixture(tmp_path, {"rationale": ""}), verbosity=0)
    assert counts() == (0, 0, 0, 0)


def test_a_fixture_says_whether_its_claim_is_published(tmp_path, db):
    call_command("loaddata", write_fixture(tmp_path, {}), verbosity=0)
    assert not Claim.objects.get().is_published  # a verdict without published_at: a draft
    published = {"published_at": "2026-11-22T09:00:00Z"}
    call_command("loaddata", write_fixture(tmp_path, published, "v2.json"), verbosity=0)
    assert not Claim.objects.get().is_published  # publishing is an editor's act, not a load
    Claim.objects.all().delete()  # a draft may go
    call_command("loaddata", write_fixture(tmp_path, published, "v3.json"), verbosity=0)
    assert Claim.objects.get().published_at.isoformat() == "2026-11-22T09:00:00+00:00"
    assert not ClaimChange.objects.exists()


def test_it_rejects_a_published_claim_without_a_verdict(tmp_path, db):
    unreviewed = {"status": "unreviewed", "rationale": "", "published_at": "2026-11-22T09:00:00Z"}
    with pytest.raises(CommandError, match="tiny/nmda: .*claim_published_has_verdict"):
        call_command("loaddata", write_fixture(tmp_path, unreviewed), verbosity=0)
    assert counts() == (0, 0, 0, 0)


def test_check_quotes_passes_on_the_seeds(seeded, capsys):
    call_command("check_quotes")
    assert f"All {Claim.objects.count()} quotes found" in capsys.readouterr().out


def test_check_quotes_fails_naming_the_claim_when_the_text_moved(seeded, capsys):
    article = Article.objects.get(slug="ketamine-psychedelic-substance")
    raw_update(Article.objects.filter(pk=article.pk), text="Rewritten. " + article.text)
    with pytest.raises(CommandError, match="do not match"):
        call_command("check_quotes")
    assert "ketamine-psychedelic-substance/bdnf-release: quote is at other offsets" in (
        capsys.readouterr().err
    )


def test_claims_follow_an_edited_text_and_check_quotes_agrees(seeded):
    article = Article.objects.get(slug="ketamine-psychedelic-substance")
    article.text = "Rewritten. " + article.text
    article.full_clean()
    article.save()
    outcomes = article.reanchor_claims(by=None)
    assert outcomes == {"moved": article.claims.count()}
    call_command("check_quotes", verbosity=0)


def test_editing_the_text_never_strands_a_claim_it_detaches_it(seeded):
    article = Article.objects.get(slug="ketamine-psychedelic-substance")
    article.text = "Nothing left."
    article.full_clean()  # the text is never refused for its claims
    article.save()
    outcomes = article.reanchor_claims(by=None)
    assert outcomes == {"detached": article.claims.count()}
    call_command("check_quotes", verbosity=0)  # detached claims are not expected in place
