"""Every page runs as many queries with 1,000 claims as with 10, and stays under 150 KB.

The claims are written in bulk around the rules (the base manager's plain QuerySet: claimtrack's
own managers refuse bulk writes, which would skip the history): this is set-up, not editing.
Pages are made small (a few rows each) so that the second page exists at both sizes."""

from itertools import cycle

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claimtrack.claims import views
from claimtrack.claims.models import (
    Article,
    Citation,
    Claim,
    ClaimChange,
    ClaimGroup,
    Evidence,
    Flag,
    ReasonTag,
    Status,
    Topic,
)

MAX_HTML = 150 * 1024
CLAIMS_PER_ARTICLE = 5
VERDICTS = cycle([s for s in Status if s.is_reviewed])
TOPICS = cycle(Topic.values)
TEXT = "Ketamine relieves depression within hours. " * 3


def add_claims(count, start=0):
    """count more published claims with evidence, tags, flags and history, in a few queries."""
    now = timezone.now()
    Article._base_manager.bulk_create(
        Article(
            slug=f"article-{n}",
            title=f"Ketamine news number {n}",
            publisher="Daily Health",
            text=TEXT,
            created_at=now,
        )
        for n in range(start // CLAIMS_PER_ARTICLE, (start + count - 1) // CLAIMS_PER_ARTICLE + 1)
        if not Article.objects.filter(slug=f"article-{n}").exists()
    )
    by_slug = {a.slug: a for a in Article.objects.filter(slug__startswith="article-")}
    group = ClaimGroup.objects.get_or_create(slug="onset", defaults={"name": "Onset"})[0]
    claims = Claim._base_manager.bulk_create(
        Claim(
            article=by_slug[f"article-{n // CLAIMS_PER_ARTICLE}"],
            slug=f"claim-{n}",
            quote="relieve depression within hours",
            quote_start=9,
            quote_end=40,
            statement=f"Ketamine claim number {n} relieves depression within hours.",
            topic=next(TOPICS),
            status=next(VERDICTS),
            certainty="low",
            rationale="Small trials.",
            reviewed_at=now,
            published_at=now,
            group=group if n % 7 == 0 else None,
        )
        for n in range(start, start + count)
    )
    citation = Citation.objects.get_or_create(
        slug="murrough2013",
        defaults={"kind": "randomized_trial", "title": "Ketamine trial", "year": 2013},
    )[0]
    Evidence._base_manager.bulk_create(
        Evidence(claim=claim, citation=citation, stance="supports", note="n=73") for claim in claims
    )
    tag = ReasonTag.objects.get(slug="overstates-impact")
    Claim.reason_tags.through.objects.bulk_create(
        Claim.reason_tags.through(claim=claim, reasontag=tag) for claim in claims[::3]
    )
    reviewer = User.objects.get_or_create(username="rita-bulk")[0]
    Flag._base_manager.bulk_create(
        Flag(claim=claim, raised_by=reviewer, reason=tag, comment="Overstated.")
        for claim in claims[::5]
    )
    ClaimChange.objects.bulk_create(
        ClaimChange(claim=claim, kind="verdict", new_status=claim.status, note="Reviewed.")
        for claim in claims
    )


def public_pages():
    claim = Claim.objects.filter(group__isnull=False).order_by("pk").first()
    return [
        "/",
        "/claims/",
        "/claims/?page=2",
        "/claims/?status=supported",
        "/claims/?topic=efficacy",
        "/claims/?certainty=low",
        "/claims/?article=article-0",
        "/claims/?article=ketamine+news",
        "/claims/?tag=overstates-impact",
        "/claims/?flagged=true",
        "/claims/?flagged=false",
        "/claims/?ordering=-reviewed",
        "/claims/?ordering=article",
        "/claims/?q=ketamine",
        claim.get_absolute_url(),
        claim.article.get_absolute_url(),
        "/changes/",
        "/changes/?page=2",
        "/changes/?kind=verdict&article=article-0",
        "/articles/",
        "/articles/?page=2",
        "/articles/?q=ketamine",
        "/articles/?sort=claims",
        "/articles/?sort=newest",
        "/articles/suggest.json?q=ketamine",
        "/sources/",
        "/sources/?q=ketamine",
        "/sources/?sort=cited",
        "/sources/murrough2013/",  # cited by every claim
        "/sources/murrough2013/?page=2",
    ]


ADMIN_PAGES = [
    "/admin/claims/claim/",
    "/admin/claims/claim/?article=ketamine+news&status=supported",
    "/admin/claims/flag/",
    "/admin/claims/article/",
    "/admin/claims/claimchange/",
    "/admin/claims/citation/",
    "/admin/claims/claimgroup/",
]


def measure(client, urls):
    """{url: (queries, bytes)}; every page must answer 200."""
    figures = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        figures[url] = (len(queries), len(response.content))
    return figures


@pytest.fixture
def small_pages(monkeypatch, settings):
    # Every page rendered: the same addresses are read twice, and the bulk writes below send
    # no signal to change the public version the page cache files them under.
    settings.PAGE_CACHE = False
    # A few rows a page: a second page exists at 10 claims as at 1,000.
    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 4)
    monkeypatch.setattr(views, "CHANGES_PER_PAGE", 4)
    monkeypatch.setattr(views, "ARTICLES_PER_PAGE", 1)
    monkeypatch.setattr(views, "SOURCE_CLAIMS_PER_PAGE", 4)


def test_public_pages_run_as_many_queries_with_1000_claims_as_with_10(client, db, small_pages):
    add_claims(10)
    small = measure(client, public_pages())
    add_claims(990, start=10)
    assert Claim.objects.published().count() == 1000
    large = measure(client, public_pages())
    assert {url: q for url, (q, _) in large.items()} == {url: q for url, (q, _) in small.items()}
    assert all(size < MAX_HTML for _, size in large.values()), large


def test_public_pages_stay_small_at_full_page_size(client, db):
    add_claims(1000)
    for url, (_, size) in measure(client, public_pages()).items():
        assert size < MAX_HTML, (url, size)


def test_admin_changelists_run_as_many_queries_with_1000_claims_as_with_10(
    client, editor, superuser
):
    add_claims(10)
    client.force_login(editor)
    small = measure(client, ADMIN_PAGES)
    add_claims(990, start=10)
    large = measure(client, ADMIN_PAGES)
    assert {url: q for url, (q, _) in large.items()} == {url: q for url, (q, _) in small.items()}
