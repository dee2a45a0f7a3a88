"""Similar claims (desk/similar.py): on PostgreSQL by pg_trgm, elsewhere by rapidfuzz. The same
obvious cases hold on both; run the file with DATABASE_URL=postgres://... for the other."""

import pytest
from django.db import connection

from claimtrack.claims.models import Claim
from claimtrack.desk.similar import similar_claims

UNRELATED = [
    "The weather in Paris is sunny today",
    "The stock market fell sharply on Monday after the announcement",
    "Bake the bread for forty minutes",
    "The committee will meet on Tuesday to discuss the annual budget",
]


def groups(claims):
    return [claim.group.slug if claim.group else None for claim in claims]


def test_a_restated_claim_finds_the_claims_of_its_group_first(seeded):
    found = similar_claims("Ketamine relieves depression within hours")
    assert len(found) == 5
    assert groups(found[:3]) == ["onset-of-effect"] * 3


@pytest.mark.parametrize(
    "statement, group",
    [
        ("Ketamine blocks NMDA receptors", "nmda-blockade"),
        ("Antidepressants take weeks to work", "antidepressants-take-weeks"),
        ("Ketamine is given by IV infusion or nasal spray", "administration-routes"),
    ],
)
def test_the_best_match_is_in_the_group_that_says_the_same(seeded, statement, group):
    assert groups(similar_claims(statement))[0] == group


def test_a_statement_word_for_word_scores_highest_of_all(seeded):
    claim = Claim.objects.get(statement="Ketamine is a dissociative anesthetic.")
    best = similar_claims("Ketamine is a dissociative anesthetic.")[0]
    assert best == claim
    assert best.score == pytest.approx(1.0)


@pytest.mark.parametrize("statement", UNRELATED)
def test_unrelated_text_finds_nothing(seeded, statement):
    assert similar_claims(statement) == []


def test_it_orders_best_first_with_scores_between_0_and_1_and_keeps_to_the_limit(seeded):
    found = similar_claims("Ketamine relieves depression within hours", limit=3)
    scores = [claim.score for claim in found]
    assert len(found) == 3
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)


def test_it_leaves_out_the_claim_being_edited_by_id_or_by_claim(seeded):
    claim = Claim.objects.get(statement="Ketamine is a dissociative anesthetic.")
    assert claim not in similar_claims(claim.statement, exclude=claim.pk)
    assert claim not in similar_claims(claim.statement, exclude=claim)
    assert similar_claims(claim.statement, exclude=claim)[0].group == claim.group


def test_it_leaves_out_withdrawn_claims(seeded, editor):
    claim = Claim.objects.get(statement="Ketamine is a dissociative anesthetic.")
    claim.withdraw(by=editor, note="Duplicate of another claim.")
    assert claim not in similar_claims(claim.statement)


def test_it_finds_claims_of_every_article(seeded):
    found = similar_claims("Ketamine is a dissociative anesthetic", limit=10)
    assert len({claim.article_id for claim in found}) >= 3


def test_it_reads_the_claims_with_their_article_and_group_in_at_most_two_queries(
    seeded, django_assert_num_queries
):
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        found = similar_claims("Ketamine relieves depression within hours")
        assert [(claim.article.title, claim.group.name) for claim in found]
