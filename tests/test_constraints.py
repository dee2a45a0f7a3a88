"""The database itself refuses bad rows, whatever code writes them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from claimtrack.claims.models import Citation, Claim, Evidence, Flag

from .conftest import raw_update, tag


@pytest.mark.parametrize(
    "field, value",
    [("status", "true-ish"), ("topic", "astrology"), ("certainty", "certain")],
)
def test_claim_choices_are_enforced_by_the_database(claim, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update(Claim.objects.filter(pk=claim.pk), **{field: value})


def test_a_reviewed_claim_without_rationale_is_refused(claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update(Claim.objects.filter(pk=claim.pk), status="supported", rationale="")


def test_a_claim_whose_quote_was_never_located_is_refused(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(article=article, slug="x", quote="q", statement="s", topic="other")


def test_claim_slug_is_unique_per_article(claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            article=claim.article,
            slug=claim.slug,
            quote=claim.quote,
            statement="s",
            topic="other",
            quote_start=0,
            quote_end=5,
        )


def test_doi_and_pmid_are_unique_when_present(citation):
    for field in ["doi", "pmid"]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Citation.objects.create(
                slug=f"copy-{field}",
                kind="other",
                authors="A",
                title="T",
                **{field: getattr(citation, field)},
            )
    Citation.objects.create(slug="no-ids-1", kind="book", authors="A", title="T")
    Citation.objects.create(slug="no-ids-2", kind="book", authors="B", title="U")


@pytest.mark.parametrize(
    "field, value",
    [
        ("doi", "doi:xyz"),  # prefixes and links are cleaned (test_identifiers.py), not this
        ("doi", "https://doi.org/10.1000"),
        ("pmid", "PMID 12ab"),
        ("pmid", "0"),
    ],
)
def test_identifier_formats_are_validated(field, value, db):
    citation = Citation(slug="bad", kind="other", authors="A", title="T", **{field: value})
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert field in error.value.message_dict


def test_evidence_links_a_citation_once_per_claim(claim, citation):
    Evidence.objects.create(claim=claim, citation=citation, stance="supports", note="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(claim=claim, citation=citation, stance="qualifies", note="y")


def test_a_settled_flag_must_say_when(claim, reviewer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(claim=claim, raised_by=reviewer, reason=tag("other"), state="upheld")


def test_a_published_claim_with_its_public_record_is_protected(claim, editor):
    claim.change_verdict(by=editor, status="unverifiable", certainty="", rationale="x", note="")
    claim.publish(by=editor)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        claim.delete()
    assert claim.changes.count() == 1


def test_an_unreviewed_claim_cannot_be_published_even_around_the_code(claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update(Claim.objects.filter(pk=claim.pk), published_at=timezone.now())
