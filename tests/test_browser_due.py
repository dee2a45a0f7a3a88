"""Reviews that come due, in a browser: the claim page's "Review overdue" note and the review
queue pass axe-core, under the Content-Security-Policy; an editor says a verdict stands."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from claimtrack.claims.models import Claim
from tests.conftest import raw_update
from tests.test_browser import CLAIM_PATH, admin_log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_an_overdue_claim_says_so_and_leaves_the_queue_when_its_verdict_stands(persona):
    claim = Claim.objects.get(slug="traditionally-used-as-anesthetic")
    overdue = timezone.localdate() - datetime.timedelta(days=40)
    raw_update(Claim.objects.filter(pk=claim.pk), review_due_on=overdue)
    Claim.objects.filter(pk=claim.pk).make_due(why="A cited source was retracted.")

    reader = persona()
    reader.goto(CLAIM_PATH)
    note = reader.locator(".notice--review-due")
    expect(note).to_contain_text("Review overdue.")
    expect(note).to_contain_text(f"{overdue:%-d %B %Y}")
    expect(note).to_contain_text("Why: A cited source was retracted.")
    results = Axe().run(reader, context="main")
    assert results.violations_count == 0, results.generate_report()

    editor = persona()
    admin_log_in(editor, "ed", "/watch/due/")
    row = editor.locator("tbody tr", has_text=claim.statement)
    expect(row).to_contain_text("Overdue")
    results = Axe().run(editor, context="#content-main")
    assert results.violations_count == 0, results.generate_report()
    row.get_by_label("What you checked").fill("Searched PubMed again; the verdict holds.")
    row.get_by_role("button", name="Verdict stands").click()
    expect(editor.locator(".messagelist")).to_contain_text("stands")
    expect(editor.locator("#content-main")).to_contain_text("No claim is due for review")

    reader.goto(CLAIM_PATH)
    expect(reader.locator(".notice--review-due")).to_have_count(0)
    expect(reader.locator(".history")).to_contain_text("Searched PubMed again")
