"""A source's notices in Chromium: the claim and source pages that show a retraction and an
undated correction beside the source pass axe-core with no violation, under the strict
Content-Security-Policy (the persona fixture fails on any violation)."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from claimtrack.claims.models import Citation, CitationNotice, NoticeKind, NoticeSource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pages_with_notices_pass_axe(persona):
    source = Citation.objects.get(slug="berman2000")
    CitationNotice.objects.record(
        source,
        kind=NoticeKind.RETRACTION,
        learnt_from=NoticeSource.RETRACTION_WATCH,
        date=datetime.date(2024, 3, 9),
        notice_doi="10.5555/ct.retraction-notice",
        reason="Test notice",
    )
    CitationNotice.objects.record(
        source, kind=NoticeKind.CORRECTION, learnt_from=NoticeSource.PUBMED, notice_pmid="999999903"
    )
    claim = source.evidence.filter(claim__published_at__isnull=False).first().claim
    reader = persona()
    for path in [source.get_absolute_url(), claim.get_absolute_url()]:
        reader.goto(path)
        assert reader.locator(".source-notice").count() == 2, path
        results = Axe().run(reader, context="main")
        assert results.violations_count == 0, (path, results.generate_report())
