"""No filter form or admin page lists more than 200 choices, however many articles, groups,
citations and people there are: long tables are searched (a text box, an autocomplete)."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from claimtrack.claims.models import (
    Article,
    Citation,
    Claim,
    ClaimChange,
    ClaimGroup,
    Evidence,
    Flag,
    ReasonTag,
)

MAX_CHOICES = 200
MANY = 250


class Choices(HTMLParser):
    """The number of <option>s of each <select>, and of links in each admin list filter."""

    def __init__(self):
        super().__init__()
        self.lists, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.current = [f"select {attrs.get('name')}", 0]
            self.lists.append(self.current)
        elif tag == "details" and "data-filter-title" in attrs:
            self.current = [f"filter {attrs['data-filter-title']}", 0]
            self.lists.append(self.current)
        elif tag in ("option", "li") and self.current is not None:
            self.current[1] += 1

    def handle_endtag(self, tag):
        if tag in ("select", "details"):
            self.current = None


def longest_lists(html):
    parser = Choices()
    parser.feed(html)
    return [(name, n) for name, n in parser.lists if n > MAX_CHOICES]


@pytest.fixture
def many(db):
    """250 of every row a choice list could grow with, one claim of each article and group."""
    now = timezone.now()
    articles = Article._base_manager.bulk_create(
        Article(slug=f"a{n}", title=f"Article {n:03d}", text="Ketamine works fast.")
        for n in range(MANY)
    )
    groups = ClaimGroup._base_manager.bulk_create(
        ClaimGroup(slug=f"g{n}", name=f"Group {n:03d}") for n in range(MANY)
    )
    citations = Citation._base_manager.bulk_create(
        Citation(slug=f"c{n}", kind="other", title=f"Paper {n}") for n in range(MANY)
    )
    users = User.objects.bulk_create(
        User(username=f"u{n}", is_staff=n % 2 == 0) for n in range(MANY)
    )
    claims = Claim._base_manager.bulk_create(
        Claim(
            article=article,
            slug="fast",
            quote="Ketamine works fast.",
            quote_start=0,
            quote_end=20,
            statement=f"Claim {n}.",
            topic="efficacy",
            status="unverifiable",
            rationale="Vague.",
            published_at=now,
            group=group,
        )
        for n, (article, group) in enumerate(zip(articles, groups, strict=True))
    )
    Evidence._base_manager.bulk_create(
        Evidence(claim=claim, citation=citation, stance="supports", note="n=1")
        for claim, citation in zip(claims, citations, strict=True)
    )
    reason = ReasonTag.objects.get(slug="other")
    Flag._base_manager.bulk_create(
        Flag(claim=claim, raised_by=user, reason=reason, comment="Why?")
        for claim, user in zip(claims, users, strict=True)
    )
    ClaimChange.objects.bulk_create(
        ClaimChange(claim=claim, kind="verdict", new_status="unverifiable", changed_by=user)
        for claim, user in zip(claims, users, strict=True)
    )
    return claims


@pytest.mark.parametrize(
    "url", ["/", "/claims/", "/claims/?article=article", "/changes/", "/articles/"]
)
def test_no_public_filter_lists_more_than_200_choices(client, many, url):
    response = client.get(url)
    assert response.status_code == 200
    assert longest_lists(response.content.decode()) == []


def admin_pages(claim):
    """Every registered model's changelist and add form, and the change forms of claims' rows."""
    for model in admin.site._registry:
        opts = model._meta
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    for obj in [claim, claim.article, claim.group, claim.flags.first(), claim.evidence.first()]:
        opts = obj._meta
        if obj.__class__ in admin.site._registry:
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def test_no_admin_page_lists_more_than_200_choices(client, many, superuser):
    client.force_login(superuser)
    for url in admin_pages(many[0]):
        response = client.get(url, follow=True)
        if url.endswith("/add/") and response.status_code == 403:
            continue  # rows only the model methods write (the corrections log)
        assert response.status_code == 200, url
        assert longest_lists(response.content.decode()) == [], url


def test_the_claims_admin_finds_an_article_by_words_or_slug(client, many, editor):
    client.force_login(editor)
    url = reverse("admin:claims_claim_changelist")
    by_words = client.get(url, {"article": "article 017", "status": "unverifiable"})
    assert [c.article.slug for c in by_words.context["cl"].result_list] == ["a17"]
    page = by_words.content.decode()
    assert 'name="article" value="article 017"' in page
    assert '<input type="hidden" name="status" value="unverifiable">' in page  # kept
    by_slug = client.get(url, {"article": "a3"})
    assert [c.article.slug for c in by_slug.context["cl"].result_list] == ["a3"]


def test_the_claims_admin_finds_a_group_by_words_or_slug(client, many, editor):
    client.force_login(editor)
    url = reverse("admin:claims_claim_changelist")
    response = client.get(url, {"group": "group 042"})
    assert [c.group.slug for c in response.context["cl"].result_list] == ["g42"]
    response = client.get(url, {"group": "g7"})
    assert [c.group.slug for c in response.context["cl"].result_list] == ["g7"]


def test_no_changelist_counts_the_whole_table(client, many, superuser):
    client.force_login(superuser)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label == "claims":
            assert model_admin.show_full_result_count is False, model
            assert model_admin.paginator.__name__ == "EstimatedCountPaginator", model
