"""Personas and shared fixtures: a reader (anonymous), a reviewer, an editor and an admin."""

import importlib
import json
import os
import sys
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
import respx
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from claimtrack.claims.demo import SEED_FIXTURES
from claimtrack.claims.models import (
    Article,
    ArticleCriterionVerdict,
    ArticleReview,
    Citation,
    Claim,
    ClaimGroup,
    Evidence,
    PublicVersion,
    ReasonTag,
    Status,
)

# The data steps of the migrations that seed roles, permissions and reason tags. A transactional
# test (live_server, threads) ends by emptying every table, these rows included; the next one
# runs them again (they are idempotent).
MIGRATION_DATA = [
    ("0002_roles_and_reason_tags", "seed"),
    ("0006_editors_delete_drafts", "grant"),
    ("0008_drafts_and_publishing", "grant"),
    ("0010_flag_reasons_become_tags", "seed_tags"),
    ("0018_article_review", "grant"),
    ("0019_staff_public_profile", "grant"),
    ("0021_citation_notices", "seed"),
]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the test database is rolled back to the public
    version it started at, and a page cached by an earlier test must not answer for it."""
    cache.clear()


@pytest.fixture
def migration_data(transactional_db):
    """The editorial groups, their permissions and the reason tags, as migrate left them."""
    # The models as they are now: later migrations added columns the rows need (a version).
    apps = MigrationLoader(connection).project_state().apps
    for name, step in MIGRATION_DATA:
        module = importlib.import_module(f"claimtrack.claims.migrations.{name}")
        getattr(module, step)(apps, None)


def tag(slug):
    """A reason tag, as a flag's reason or a claim's tag."""
    return ReasonTag.objects.get(slug=slug)


def make_user(username, group=None, **extra):
    user = User.objects.create_user(username, password="pw-for-tests-only", **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reviewer(db):
    return make_user("rita", "Reviewers", is_staff=True)


@pytest.fixture
def editor(db):
    return make_user("ed", "Editors", is_staff=True)


@pytest.fixture
def superuser(db):
    return make_user("sue", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db):
    """Logged in, but in no editorial group."""
    return make_user("olly")


@pytest.fixture
def article(db):
    return Article.objects.create(
        slug="ketamine-news",
        title="Ketamine news",
        text="Ketamine can relieve depression within hours. It triggers BDNF release.",
    )


def raw_update(queryset, **fields):
    """Test set-up only: write straight to the table, around the version and the history, as
    claimtrack's own code never may (RecordedQuerySet refuses update()). The public version
    is bumped, as anything that wrote so would have to (claimtrack.claims.freshness)."""
    PublicVersion.objects.bump()
    return models.QuerySet.update(queryset, **fields)


def raw_delete(queryset):
    """Test set-up only: delete around the rules (a reviewed claim is never deleted otherwise)."""
    return models.QuerySet.delete(queryset)


def make_claim(article, slug="within-hours", quote="relieve depression within hours", **fields):
    """A claim as fixtures store one: with a verdict it is published (as of now), without one
    it is a draft. published_at=None makes a draft with a verdict."""
    if Status(fields.get("status", Status.UNREVIEWED)).is_reviewed:
        fields.setdefault("published_at", timezone.now())
    claim = Claim(article=article, slug=slug, quote=quote, topic="efficacy", **fields)
    claim.statement = fields.get("statement", "Ketamine relieves depression within hours.")
    claim.full_clean()  # locates the quote, as the admin does
    claim.save()
    claim.refresh_search_document()  # as the loader does once the fixtures are in
    return claim


@pytest.fixture
def claim(article):
    return make_claim(article)


@pytest.fixture
def unverifiable_claim(article):
    """The `claim` (within-hours) published with a verdict that rests on no evidence."""
    return make_claim(article, status=Status.UNVERIFIABLE, rationale="No trial is named.")


@pytest.fixture
def reviewed_claim(article):
    """A published claim, complete as publishing requires: its verdict rests on evidence."""
    claim = make_claim(
        article,
        slug="bdnf",
        quote="It triggers BDNF release.",
        statement="Ketamine triggers BDNF release.",
        status=Status.PARTLY_SUPPORTED,
        certainty="low",
        rationale="Shown in mice, not in people.",
    )
    mice = Citation.objects.create(
        slug="autry2011",
        kind="preclinical",
        authors="Autry AE, Adachi M, Nosyreva E",
        title="NMDA receptor blockade at rest triggers rapid behavioural antidepressant responses",
        year=2011,
    )
    Evidence.objects.create(claim=claim, citation=mice, stance="qualifies", note="Mice only.")
    return claim


@pytest.fixture
def evidenced_claim(reviewed_claim, citation):
    """The published reviewed_claim with a second evidence link (murrough2013, with a DOI and a
    PMID) and one reason tag."""
    Evidence.objects.create(
        claim=reviewed_claim, citation=citation, stance="qualifies", note="Mice only."
    )
    reviewed_claim.reason_tags.add(ReasonTag.objects.get(slug="animal-extrapolation"))
    return reviewed_claim


@pytest.fixture
def citation(db):
    return Citation.objects.create(
        slug="murrough2013",
        kind="randomized_trial",
        authors="Murrough JW, Iosifescu DV",
        title="Antidepressant efficacy of ketamine in treatment-resistant major depression",
        year=2013,
        doi="10.1176/appi.ajp.2013.13030392",
        pmid="23982301",
    )


# Every row the seed load writes, table by table in an order that keeps foreign keys whole:
# the validating loader (tested in test_fixtures.py) runs once per session, and later tests get
# the same rows copied back in a few bulk inserts instead of some 20,000 queries.
SEED_TABLES = [
    Article,
    Citation,
    ClaimGroup,
    Claim,
    Claim.reason_tags.through,
    Evidence,
    ArticleReview,
    ArticleCriterionVerdict,
    *(
        model.history.model
        for model in (
            Article,
            Citation,
            ClaimGroup,
            Claim,
            Evidence,
            ArticleReview,
            ArticleCriterionVerdict,
        )
    ),
    apps.get_model("claims", "HistoricalClaim_reason_tags"),
]
_seed_rows = []


def load_seeds():
    """Write the seed rows: the validating loader the first time in a session, then copies.

    A transactional test (a browser test) empties every table at its end and its migration data
    makes the reason tags again under new ids, so the claims' tags are matched by slug."""
    if not _seed_rows:
        call_command("loaddata", *SEED_FIXTURES, verbosity=0)
        _seed_rows.extend(
            (model, list(model._base_manager.order_by("pk"))) for model in SEED_TABLES
        )
        tag_slugs = dict(ReasonTag.objects.values_list("pk", "slug"))
        for _, rows in _seed_rows:
            for row in rows:
                if getattr(row, "reasontag_id", None) is not None:
                    row.seed_tag_slug = tag_slugs[row.reasontag_id]
        return
    tag_ids = dict(ReasonTag.objects.values_list("slug", "pk"))
    with PublicVersion.objects.in_bulk():  # bulk_create sends no signal to bump it
        for model, rows in _seed_rows:
            for row in rows:
                if hasattr(row, "seed_tag_slug"):
                    row.reasontag_id = tag_ids[row.seed_tag_slug]
            # The base manager's plain QuerySet: claimtrack's own managers refuse bulk writes.
            model._base_manager.bulk_create(rows)


@pytest.fixture
def seeded(db):
    """The demo data: the five seed articles with their claims, evidence and citations."""
    load_seeds()


class _FormReader(HTMLParser):
    """Collects what a browser would submit from one <form> of a page."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, []
        self.textarea = self.select = None
        self.select_multiple = False
        self.selected = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select, self.select_multiple, self.selected = name, "multiple" in attrs, []
            self.first_option = None
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.first_option is None:
                self.first_option = value
            if "selected" in attrs:
                self.selected.append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.data.append((name, text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = self.selected or ([] if self.select_multiple else [self.first_option or ""])
            self.data += [(self.select, value) for value in chosen]
            self.select = None


def form_data(response, form_id):
    """The fields of form #form_id as a browser would post them: {name: value or [values]}."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


# Crossref and NCBI, answered by respx from tests/data/recorded/ (never the network).

CROSSREF = "https://api.crossref.org"
EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
RECORDED = Path(__file__).parent / "data" / "recorded"


def recorded(name):
    return json.loads((RECORDED / name).read_text())


class Services:
    """Routes for the scholarly services; `waits` lists the pauses between attempts."""

    def __init__(self, router):
        self.router, self.waits = router, []

    def route(self, url, **params):
        url = httpx.URL(url)
        return self.router.get(scheme=url.scheme, host=url.host, path=url.path, params=params)

    def work(self, doi, base=CROSSREF):
        return self.route(f"{base}/works/{doi}")

    def esearch(self, doi, base=EUTILS):
        return self.route(f"{base}/esearch.fcgi", db="pubmed", term=f"{doi}[doi]")

    def esummary(self, pmid, base=EUTILS):
        return self.route(f"{base}/esummary.fcgi", db="pubmed", id=pmid)

    def paper(self, slug, crossref=CROSSREF, eutils=EUTILS):
        """Crossref's, esearch's and esummary's recorded answers for one paper."""
        work, search = recorded(f"crossref_{slug}.json"), recorded(f"esearch_{slug}.json")
        doi, pmid = work["message"]["DOI"], search["esearchresult"]["idlist"][0]
        return (
            self.work(doi, crossref).respond(json=work),
            self.esearch(doi, eutils).respond(json=search),
            self.esummary(pmid, eutils).respond(json=recorded(f"esummary_{slug}.json")),
        )


@pytest.fixture
def services(monkeypatch):
    """Any request not routed here fails the test; lookups start uncached and never sleep."""
    cache.clear()
    with respx.mock(assert_all_called=False) as router:
        services = Services(router)
        monkeypatch.setattr("claimtrack.scholarly.client.sleep", services.waits.append)
        yield services
    cache.clear()


def fixture_citation(slug):
    """A citation's fields as fixtures/citations.json has them."""
    rows = json.loads((settings.BASE_DIR / "fixtures" / "citations.json").read_text())
    return next(row["fields"] for row in rows if row["fields"]["slug"] == slug)


# The browser tests drive Debian's Chromium: Playwright cannot download its own here.
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
        ],
    }


# Playwright's sync API keeps an event loop running in the test thread, which Django takes for
# async code: this lets the ORM run beside it in every browser test (see test_browser.py).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


# The browser tests' site: the seed data served by live_server, with a reviewer and two editors.
@pytest.fixture
def site(live_server, migration_data):
    load_seeds()
    make_user("rita", "Reviewers", is_staff=True)
    make_user("ed", "Editors", is_staff=True)
    make_user("eve", "Editors", is_staff=True)
    return live_server.url


_pages_under_axe = set()


def run_axe(page, **options):
    """axe-core on a persona's page. On some pages axe injects a <style> of its own, which the
    CSP blocks (no fault of the site's): what Chromium reports while axe runs is not counted."""
    from axe_playwright_python.sync_playwright import Axe

    _pages_under_axe.add(page)
    try:
        return Axe().run(page, **options)
    finally:
        _pages_under_axe.discard(page)


@pytest.fixture
def persona(browser, site):
    """A fresh browser context (its own cookies) per person. Every browser test is also a test
    of the Content-Security-Policy: a violation Chromium reports on its console fails it."""
    contexts, violations = [], []

    def report(message):
        if "Content Security Policy" in message.text and message.page not in _pages_under_axe:
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def open_page():
        context = browser.new_context(base_url=site)
        contexts.append(context)
        page = context.new_page()
        page.on("console", report)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert violations == [], "Content-Security-Policy violations"


def pytest_terminal_summary(terminalreporter):
    """Schemathesis' counts (operations, cases, failures), when its test ran."""
    contract = sys.modules.get("tests.test_api_contract")
    if contract is not None and contract.cases:
        terminalreporter.write_line(contract.summary())
