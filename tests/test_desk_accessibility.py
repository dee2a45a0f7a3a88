"""The desk's pages in Chromium: axe-core (WCAG 2.2 AA rules) finds no serious or critical
violation, every field has a label, and nothing scrolls sideways in a 1,280-pixel window."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse

from claimtrack.claims.models import Article, Claim
from tests.conftest import SEED_FIXTURES, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def editor_page(browser, live_server, migration_data):
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    make_user("ed", "Editors", is_staff=True)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill("ed")
    page.locator("#id_password").fill("pw-for-tests-only")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    yield page
    context.close()


def desk_pages():
    article = Article.objects.get(slug="ketamine-benefits-and-risks")
    claim = Claim.objects.filter(article=article).first()
    workspace = reverse("desk:workspace", args=[article.slug])
    return {
        "intake": reverse("desk:intake"),
        "workspace": workspace,
        "workspace with a claim": f"{workspace}?claim={claim.pk}",
        "claim preview": reverse("desk:claim_preview", args=[claim.pk]),
        "add claim (admin)": reverse("admin:claims_claim_add"),
        "claim (admin)": reverse("admin:claims_claim_change", args=[claim.pk]),
        "add citation (admin)": reverse("admin:claims_citation_add"),
        "flags (admin)": reverse("admin:claims_flag_changelist"),
    }


def serious(violations):
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_the_desk_pages_pass_axe_and_fit_a_1280_pixel_window(editor_page):
    axe = Axe()
    problems = {}
    for name, path in desk_pages().items():
        editor_page.goto(path)
        found = serious(axe.run(editor_page, options=AXE_OPTIONS).response["violations"])
        overflow = editor_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            found.append(f"scrolls sideways by {overflow}px")
        unlabelled = editor_page.evaluate(
            """[...document.querySelectorAll('input, select, textarea')]
                .filter(e => e.type !== 'hidden' && e.type !== 'submit' && e.type !== 'button')
                .filter(e => !e.labels.length && !e.getAttribute('aria-label')
                             && !e.getAttribute('aria-labelledby') && !e.title)
                .map(e => e.name)"""
        )
        if unlabelled:
            found.append(f"fields without a label: {unlabelled}")
        if found:
            problems[name] = found
    for name, found in problems.items():
        print(name, *found, sep="\n  ")
    assert problems == {}
