"""Deep pages of the claim list: the Next and Previous links carry the sort key of the page's
edge (paginators.keyset_page), so following them lists every claim once, in the list's order,
however deep, while a bare ?page=N stops at MAX_ROWS."""

import html
import re

import pytest
from django.db import connection

from claimtrack.claims import paginators
from claimtrack.claims.filters import ClaimFilter
from claimtrack.claims.models import Claim
from claimtrack.claims.views import CLAIMS_PER_PAGE

ORDERINGS = [
    "",
    "reviewed",
    "-reviewed",
    "created",
    "-created",
    "article",
    "-article",
    "status",
    "-status",
    "statement",
    "-statement",
]
LINK = {rel: re.compile(rf'<a rel="{rel}" href="([^"]+)"') for rel in ("next", "prev")}


@pytest.fixture(autouse=True)
def every_page_rendered(settings):
    """The pages are read from their context: none may come from the page cache."""
    settings.PAGE_CACHE = False


def expected_ids(params):
    """The whole list in its order, as the list view orders it, read in one go."""
    queryset = (
        Claim.objects.published()
        .select_related("article")
        .order_by("article__title", "quote_start", "pk")
    )
    filterset = ClaimFilter(params, queryset=queryset)
    assert filterset.is_valid()
    return list(filterset.qs.values_list("pk", flat=True))


def shown_ids(response):
    return [claim.pk for claim in response.context["page"].object_list]


def link(response, rel):
    found = LINK[rel].search(response.content.decode())
    return "/claims/" + html.unescape(found.group(1)) if found else None


def walk(client, url, rel):
    """Every page from url on, following rel links: the list of each page's claim ids."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(shown_ids(response))
        url = link(response, rel)
    return pages, response


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_next_links_list_every_claim_once_in_the_lists_order(client, seeded, ordering):
    params = {"ordering": ordering} if ordering else {}
    expected = expected_ids(params)
    assert len(expected) > 5 * CLAIMS_PER_PAGE  # deep enough to matter
    pages, last = walk(client, f"/claims/?ordering={ordering}", "next")
    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == CLAIMS_PER_PAGE for page in pages[:-1])
    # And back again from the last page: the same pages, in reverse.
    back, first = walk(client, link(last, "prev"), "prev")
    assert back == pages[-2::-1]
    assert link(first, "prev") is None


def test_the_links_keep_the_filters(client, seeded):
    expected = expected_ids({"topic": "efficacy", "ordering": "-reviewed"})
    pages, _ = walk(client, "/claims/?topic=efficacy&ordering=-reviewed", "next")
    assert [pk for page in pages for pk in page] == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranked search is PostgreSQL's")
def test_a_ranked_search_pages_through_its_own_order(client, seeded):
    first = client.get("/claims/?q=ketamine")
    ranked = [claim.search_rank for claim in first.context["page"].object_list]
    assert ranked == sorted(ranked, reverse=True)
    pages, _ = walk(client, "/claims/?q=ketamine", "next")
    found = [pk for page in pages for pk in page]
    assert len(found) == len(set(found)) == len(expected_ids({"q": "ketamine"}))


def test_a_page_past_offsets_limit_is_reached_by_its_links(client, seeded, monkeypatch):
    monkeypatch.setattr(paginators, "MAX_ROWS", 2 * CLAIMS_PER_PAGE)
    bare = client.get("/claims/?page=4")
    assert bare.status_code == 400
    assert "Pages stop after the first 50 rows" in bare.content.decode()
    pages, _ = walk(client, "/claims/", "next")
    assert len(pages) > 4
    assert [pk for page in pages for pk in page] == expected_ids({})


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64-json!",
        "WzFd",  # [1]: one value, where the list's order has three keys
        "WyJhIiwieCIsInkiXQ",  # ["a","x","y"]: words where a position and a key are numbers
        "eyJhIjoxfQ",  # {"a":1}: not a list
    ],
)
def test_a_damaged_page_link_is_a_400_that_says_so(client, seeded, cursor):
    response = client.get(f"/claims/?page=2&after={cursor}")
    assert response.status_code == 400
    assert "This page link is damaged" in response.content.decode()
    response = client.get(f"/claims/?page=2&before={cursor}")
    assert response.status_code == 400


def test_a_deep_page_costs_one_query_for_its_claims(client, seeded, django_assert_num_queries):
    pages_url = "/claims/?ordering=-reviewed"
    response = client.get(pages_url)
    for _ in range(3):
        response = client.get(link(response, "next"))
    # The public version, the page of claims (by cursor), the tag choices.
    with django_assert_num_queries(3):
        client.get(link(response, "next"))
