"""Made-up papers for the evidence watch's tests (Crossref's test prefix 10.5555, PMIDs beyond
any PubMed issued), the claims resting on them, and their reviewer."""

import datetime

import pytest
from django.utils import timezone

from claimtrack.claims.models import Citation, Evidence, Status

from ..conftest import make_claim, make_user

RETRACTED_DOI, RETRACTED_PMID, CORRECTED_PMID = "10.5555/ct.retracted", "999999901", "999999902"
NOTICE_DOI = "10.5555/ct.retraction-notice"
NOTICE_DATE = datetime.date(2024, 3, 9)


@pytest.fixture
def rita(db):
    """A reviewer with an address: she gave the claims their verdicts."""
    return make_user(
        "rita", "Reviewers", is_staff=True, email="rita@example.org", first_name="Rita"
    )


@pytest.fixture
def retracted_source(db):
    return Citation.objects.create(
        slug="tester2019",
        kind="randomized_trial",
        authors="Tester A, Checker B",
        title="Ketamine infusion for a test of the evidence watch",
        journal="Journal of Test Results",
        year=2019,
        doi=RETRACTED_DOI,
        pmid=RETRACTED_PMID,
    )


@pytest.fixture
def corrected_source(db):
    return Citation.objects.create(
        slug="corrector2020",
        kind="randomized_trial",
        authors="Corrector C",
        title="A corrected test trial",
        year=2020,
        pmid=CORRECTED_PMID,
    )


@pytest.fixture
def resting_claims(article, rita, retracted_source, corrected_source):
    """Two published claims resting on the retracted source (rita reviewed them), one of them
    also on the corrected source, and a withdrawn claim on the retracted source."""
    made = {}
    for slug, quote in [("within-hours", "relieve depression within hours"), ("bdnf", "BDNF")]:
        made[slug] = make_claim(
            article,
            slug=slug,
            quote=quote,
            status=Status.SUPPORTED,
            certainty="moderate",
            rationale="A trial says so.",
            reviewed_by=rita,
            reviewed_at=timezone.now(),
        )
        Evidence.objects.create(
            claim=made[slug], citation=retracted_source, stance="supports", note="n=40 trial."
        )
    Evidence.objects.create(
        claim=made["bdnf"], citation=corrected_source, stance="supports", note="n=12."
    )
    gone = make_claim(
        article,
        slug="gone",
        quote="Ketamine can",
        status=Status.SUPPORTED,
        certainty="low",
        rationale="Withdrawn since.",
        reviewed_by=rita,
        withdrawn_at=timezone.now(),
        withdrawal_note="A duplicate.",
    )
    Evidence.objects.create(claim=gone, citation=retracted_source, stance="supports", note="x")
    return made
