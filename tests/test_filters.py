"""The public ClaimFilter, on .qs with plain dicts, as the views and exports use it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claimtrack.claims.filters import ClaimFilter
from claimtrack.claims.models import Article, Claim, Flag, ReasonTag
from tests.conftest import make_claim

from .conftest import raw_update, tag


def claims(data):
    filterset = ClaimFilter(data, queryset=Claim.objects.order_by("pk"))
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs)


def errors(data):
    filterset = ClaimFilter(data, queryset=Claim.objects.all())
    assert not filterset.is_valid()
    return filterset.errors


@pytest.fixture
def other_article(db):
    return Article.objects.create(
        slug="microdosing",
        title="Microdosing explained",
        text="Microdosing improves focus. Nobody has tested it in a trial.",
    )


@pytest.fixture
def focus(other_article):
    return make_claim(
        other_article,
        slug="focus",
        quote="Microdosing improves focus.",
        statement="Microdosing improves focus.",
        status="unsupported",
        certainty="very_low",
        rationale="No trial has tested it.",
    )


def test_no_filters_gives_every_claim(claim, reviewed_claim, focus):
    assert claims({}) == [claim, reviewed_claim, focus]


def test_it_filters_by_status(claim, reviewed_claim, focus):
    assert claims({"status": "partly_supported"}) == [reviewed_claim]
    assert claims({"status": "unreviewed"}) == [claim]


def test_it_filters_by_topic(claim, reviewed_claim):
    reviewed_claim.topic = "mechanism"
    reviewed_claim.save()
    assert claims({"topic": "mechanism"}) == [reviewed_claim]


def test_it_filters_by_certainty(claim, reviewed_claim, focus):
    assert claims({"certainty": "very_low"}) == [focus]


def test_it_filters_by_article_slug(claim, reviewed_claim, focus):
    assert claims({"article": "microdosing"}) == [focus]
    assert claims({"article": "ketamine-news"}) == [claim, reviewed_claim]


def test_it_filters_by_open_flags(claim, reviewed_claim, focus, reviewer, editor):
    Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    settled = Flag.objects.raise_flag(claim=focus, by=reviewer, reason=tag("outdated"))
    settled.dismiss(by=editor, note="Still current.")
    assert claims({"flagged": "true"}) == [claim]
    assert claims({"flagged": "false"}) == [reviewed_claim, focus]


def test_it_searches_statement_quote_and_article_title(claim, reviewed_claim, focus):
    assert claims({"q": "BDNF"}) == [reviewed_claim]  # statement and quote
    assert claims({"q": "relieve depression"}) == [claim]  # quote words
    assert claims({"q": "explained"}) == [focus]  # article title
    assert claims({"q": "KETAMINE hours"}) == [claim]  # every word, any case


def test_it_filters_by_reason_tag(claim, reviewed_claim):
    reviewed_claim.reason_tags.add(ReasonTag.objects.get(slug="animal-extrapolation"))
    assert claims({"tag": "animal-extrapolation"}) == [reviewed_claim]
    assert claims({"tag": "outdated"}) == []


def test_filters_combine(claim, reviewed_claim, focus):
    assert claims({"article": "ketamine-news", "status": "partly_supported"}) == [reviewed_claim]
    assert claims({"article": "microdosing", "status": "partly_supported"}) == []
    assert claims({"q": "ketamine", "certainty": "low", "topic": "efficacy"}) == [reviewed_claim]


def test_empty_values_are_ignored(claim, reviewed_claim):
    assert claims({"status": "", "q": "", "article": "", "ordering": ""}) == [
        claim,
        reviewed_claim,
    ]


def test_it_orders_by_an_allowed_ordering(claim, reviewed_claim, focus):
    assert claims({"ordering": "statement"}) == [claim, reviewed_claim, focus]
    assert claims({"ordering": "-statement"}) == [focus, reviewed_claim, claim]
    assert claims({"ordering": "article"}) == [claim, reviewed_claim, focus]
    assert claims({"ordering": "-article"}) == [focus, claim, reviewed_claim]


def test_newest_reviewed_first_puts_unreviewed_claims_last(claim, reviewed_claim, focus):
    raw_update(Claim.objects.filter(pk=focus.pk), reviewed_at=timezone.now() - timedelta(days=3))
    raw_update(Claim.objects.filter(pk=reviewed_claim.pk), reviewed_at=timezone.now())
    assert claims({"ordering": "-reviewed"}) == [reviewed_claim, focus, claim]
    assert claims({"ordering": "reviewed"}) == [focus, reviewed_claim, claim]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"status": "wrong"}, "status"),
        ({"topic": "astrology"}, "topic"),
        ({"certainty": "certain"}, "certainty"),
        ({"article": "x" * 201}, "article"),
        ({"tag": "no-such-tag"}, "tag"),
        ({"flagged": "maybe"}, "flagged"),
        ({"ordering": "quote_start"}, "ordering"),
        ({"ordering": "-password"}, "ordering"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_it_rejects_values_it_cannot_use(db, data, field):
    assert list(errors(data)) == [field]


def test_an_unknown_value_names_itself_in_the_message(db):
    assert errors({"status": "wrong"})["status"] == [
        "Select a valid choice. wrong is not one of the available choices."
    ]
