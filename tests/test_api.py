"""The open data API (/api/v1/): what it serves, how it pages, caches, limits and refuses."""

import json
import re
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from openapi_spec_validator import validate

from claimtrack.claims.models import (
    Citation,
    CitationNotice,
    Claim,
    Flag,
    StaffProfile,
    Status,
)

from .conftest import make_claim, tag

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def every_item(client, url):
    """Follow the next links to the end: every item of the list, in order."""
    items = []
    while url:
        page = get_json(client, url)
        items += page["items"]
        url = page["next"]
    return items


def test_the_openapi_document_validates(client):
    document = get_json(client, "/api/v1/openapi.json")
    validate(document)
    assert {"/api/v1/claims/", "/api/v1/claims/{claim_id}/", "/api/v1/changes/"} <= set(
        document["paths"]
    )
    statuses = document["components"]["schemas"]["Claim"]["properties"]["status"]
    assert set(statuses["enum"]) == set(Status.values)


def test_the_docs_page_loads_swagger_from_this_site(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in html
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_index_names_every_list_and_the_licence(client):
    index = get_json(client, "/api/v1/")
    assert index["licence"]["name"] == "CC BY 4.0"
    assert set(index["lists"]) == {"claims", "articles", "citations", "groups", "changes"}
    for url in index["lists"].values():
        assert get_json(client, url)["licence"] == index["licence"]


# What is public, and only that.


def test_a_claim_comes_with_its_evidence_sources_and_history(client, evidenced_claim, editor):
    evidenced_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice only.", note="Mice."
    )
    claim = get_json(client, f"/api/v1/claims/{evidenced_claim.pk}/")
    assert claim["status"] == "overstated" and claim["status_label"] == "Overstated"
    assert claim["reason_tags"] == ["animal-extrapolation"]
    sources = {link["citation"]["key"]: link["citation"] for link in claim["evidence"]}
    assert sources["murrough2013"]["doi_url"] == "https://doi.org/10.1176/appi.ajp.2013.13030392"
    assert sources["murrough2013"]["pubmed_url"].endswith("/23982301/")
    assert [change["new_status"] for change in claim["history"]] == ["overstated"]
    assert claim["history"][0]["old_status"] == "partly_supported"
    assert claim["page"].endswith(evidenced_claim.get_absolute_url())


def test_drafts_flags_notes_and_logins_never_appear(client, evidenced_claim, article, reviewer):
    draft = make_claim(article, status="overstated", rationale="One trial.", published_at=None)
    Flag.objects.raise_flag(
        claim=evidenced_claim,
        by=reviewer,
        reason=tag("overstates-impact"),
        comment="PRIVATE-NOTE-xyzzy",
    )
    StaffProfile.objects.make(reviewer)
    get_json(client, f"/api/v1/claims/{draft.pk}/", status=404)
    listed = every_item(client, "/api/v1/claims/")
    assert [item["id"] for item in listed] == [evidenced_claim.pk]
    assert listed[0]["open_flags"] == 1
    everything = b"".join(
        client.get(url).content
        for url in [
            "/api/v1/claims/",
            f"/api/v1/claims/{evidenced_claim.pk}/",
            f"/api/v1/articles/{article.slug}/",
            "/api/v1/changes/",
            "/api/v1/citations/",
        ]
    )
    assert b"PRIVATE-NOTE-xyzzy" not in everything
    assert reviewer.username.encode() not in everything
    assert draft.slug.encode() not in everything


def test_a_group_or_a_source_seen_only_through_drafts_is_not_there(client, article):
    draft = make_claim(article, status="overstated", rationale="One trial.", published_at=None)
    source = Citation.objects.create(slug="hidden2020", kind="other", authors="A", title="T")
    draft.evidence.create(citation=source, stance="supports", note="n")
    get_json(client, "/api/v1/citations/hidden2020/", status=404)
    assert get_json(client, "/api/v1/citations/")["items"] == []


# The filters are the public list's.


def claim_paths_on_the_page(client, query):
    html = client.get(f"/claims/?{query}").content.decode()
    paths = re.findall(r'href="(/claims/[\w-]+/[\w-]+/)"', html)
    return list(dict.fromkeys(paths))  # each card links its claim more than once


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=overstated",
        "topic=safety",
        "certainty=low&ordering=-reviewed",
        "q=ketamine+depression",
        "tag=overstates-impact",
        "article=ketamine",
        "flagged=false&ordering=statement",
    ],
)
def test_the_api_and_the_list_page_find_the_same_claims(client, seeded, query):
    page = claim_paths_on_the_page(client, query)
    api = get_json(client, f"/api/v1/claims/?{query}&limit=25")["items"]
    assert page, "the query finds claims on the page"
    assert [item["page"].removeprefix("http://testserver") for item in api] == page


def test_a_bad_filter_is_a_400_in_json(client):
    error = get_json(client, "/api/v1/claims/?status=bogus", status=400)
    assert list(error["errors"]) == ["status"]
    error = get_json(client, "/api/v1/claims/?tag=no-such-tag", status=400)
    assert list(error["errors"]) == ["tag"]
    get_json(client, "/api/v1/claims/?limit=101", status=400)
    get_json(client, "/api/v1/claims/?limit=0", status=400)
    get_json(client, "/api/v1/claims/123456/", status=404)


# Pages: keyset, stable, bounded.


def test_following_the_cursors_reads_every_claim_once_without_offset(client, seeded):
    expected = list(
        Claim.objects.published()
        .order_by("article__title", "quote_start", "pk")
        .values_list("pk", flat=True)
    )
    with CaptureQueriesContext(connection) as queries:
        ids = [item["id"] for item in every_item(client, "/api/v1/claims/?limit=40")]
    assert ids == expected
    assert not any("OFFSET" in query["sql"].upper() for query in queries.captured_queries)


def test_pages_are_stable_under_another_order(client, seeded):
    ids = [item["id"] for item in every_item(client, "/api/v1/claims/?ordering=-reviewed&limit=30")]
    assert len(ids) == len(set(ids)) == Claim.objects.published().count()


def test_a_page_holds_at_most_a_hundred(client, seeded):
    page = get_json(client, "/api/v1/claims/?limit=100")
    assert len(page["items"]) == 100 and page["next"]


def test_a_damaged_or_foreign_cursor_is_a_400(client, seeded):
    cursor = get_json(client, "/api/v1/claims/?limit=5")["cursor"]
    error = get_json(client, "/api/v1/claims/?cursor=bm90LW91cnM", status=400)
    assert list(error["errors"]) == ["cursor"]
    get_json(client, f"/api/v1/claims/?ordering=-reviewed&cursor={cursor}", status=400)
    get_json(client, f"/api/v1/changes/?cursor={cursor}", status=400)


def test_the_claims_list_costs_the_same_queries_for_any_page(
    client, seeded, django_assert_num_queries
):
    # The public version, the page of claims (with their counts), their reason tags.
    with django_assert_num_queries(3):
        first = get_json(client, "/api/v1/claims/?limit=100")
    with django_assert_num_queries(3):
        get_json(client, first["next"])


# Incremental sync.


def test_updated_after_lists_what_changed_in_the_order_it_changed(
    client, evidenced_claim, unverifiable_claim, editor, citation
):
    since = quote((timezone.now() - timedelta(seconds=1)).isoformat())
    assert {c["id"] for c in every_item(client, f"/api/v1/claims/?updated_after={since}")} == {
        evidenced_claim.pk,
        unverifiable_claim.pk,
    }
    mark = timezone.now()
    url = f"/api/v1/claims/?updated_after={mark.isoformat().replace('+00:00', 'Z')}"
    assert every_item(client, url) == []
    unverifiable_claim.add_evidence(by=editor, citation=citation, stance="supports", note="n")
    evidenced_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice only.", note="Mice."
    )
    changed = every_item(client, url)
    assert [c["id"] for c in changed] == [unverifiable_claim.pk, evidenced_claim.pk]
    assert all(c["updated_at"] > mark.isoformat()[:19] for c in changed)


def test_updated_after_needs_a_time_zone_and_no_ordering(client):
    error = get_json(client, "/api/v1/claims/?updated_after=2026-01-01T00:00:00", status=400)
    assert list(error["errors"]) == ["updated_after"]
    url = "/api/v1/claims/?updated_after=2026-01-01T00:00:00Z&ordering=status"
    assert list(get_json(client, url, status=400)["errors"]) == ["ordering"]
    get_json(client, "/api/v1/claims/?updated_after=yesterday", status=400)


# Sources by identifier, articles, groups, changes.


def test_a_source_is_found_by_its_doi_or_pmid_in_any_form(client, evidenced_claim):
    for query in [
        "doi=10.1176/APPI.AJP.2013.13030392",
        "doi=https://doi.org/10.1176/appi.ajp.2013.13030392",
        "pmid=23982301",
        "pmid=https://pubmed.ncbi.nlm.nih.gov/23982301/",
    ]:
        items = get_json(client, f"/api/v1/citations/?{query}")["items"]
        assert [item["key"] for item in items] == ["murrough2013"], query
    assert get_json(client, "/api/v1/citations/?pmid=1")["items"] == []
    assert list(get_json(client, "/api/v1/citations/?doi=bogus", status=400)["errors"]) == ["doi"]


def test_an_article_comes_with_its_public_claims_in_text_order(client, seeded):
    article = get_json(client, "/api/v1/articles/?limit=1")["items"][0]
    detail = get_json(client, article["api_url"])
    claims = Claim.objects.published().filter(article__slug=article["slug"])
    assert [c["id"] for c in detail["claims"]] == list(
        claims.order_by("quote_start", "pk").values_list("pk", flat=True)
    )
    assert sum(detail["claim_counts"].values()) == claims.count()


def test_groups_list_only_groups_with_public_claims(client, seeded):
    groups = every_item(client, "/api/v1/groups/?limit=5")
    assert groups
    for group in groups[:3]:
        detail = get_json(client, group["api_url"])
        assert detail["claims"] and all(
            c["group"]["slug"] == group["slug"] for c in detail["claims"]
        )


def test_the_changes_list_is_the_corrections_log(client, evidenced_claim, editor):
    evidenced_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice only.", note="Mice."
    )
    changes = get_json(client, "/api/v1/changes/?kind=verdict")["items"]
    assert [(c["old_status"], c["new_status"]) for c in changes] == [
        ("partly_supported", "overstated")
    ]
    assert changes[0]["title"].startswith("Now rated Overstated (was Partly supported): ")
    assert get_json(client, "/api/v1/changes/?kind=evidence")["items"] == []
    get_json(client, "/api/v1/changes/?since=not-a-date", status=400)


# HTTP: conditional requests, caching, CORS, the rate limit.


def test_a_revalidation_is_a_304_until_the_data_changes(client, evidenced_claim, editor):
    url = f"/api/v1/claims/{evidenced_claim.pk}/"
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=60"
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    evidenced_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice only.", note="Mice."
    )
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert json.loads(changed.content)["status"] == "overstated"


def test_a_304_reads_nothing_but_the_version(client, seeded, django_assert_num_queries):
    etag = client.get("/api/v1/claims/?status=overstated")["ETag"]
    with django_assert_num_queries(1):
        response = client.get("/api/v1/claims/?status=overstated", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_any_site_may_read_the_api_but_not_the_pages(client):
    response = client.get("/api/v1/claims/", HTTP_ORIGIN="https://news.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/claims/",
        HTTP_ORIGIN="https://news.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 200
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    page = client.get("/claims/", HTTP_ORIGIN="https://news.example")
    assert "Access-Control-Allow-Origin" not in page


@override_settings(API_RATE_LIMIT="3/min", TRUSTED_PROXIES=0)
def test_past_the_rate_limit_a_client_waits_and_others_do_not(client):
    for _ in range(3):
        get_json(client, "/api/v1/claims/")
    # A forged X-Forwarded-For does not make another client.
    refused = client.get("/api/v1/claims/", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Try again in" in json.loads(refused.content)["error"]
    assert refused["Cache-Control"] == "no-store"
    get_json(client, "/api/v1/claims/", REMOTE_ADDR="10.0.0.2")


def test_the_api_sets_no_cookie_and_does_not_vary_by_one(client, reviewer):
    client.force_login(reviewer)
    response = client.get("/api/v1/claims/")
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_the_openapi_document_and_docs_revalidate_by_release(client):
    for url in ["/api/v1/openapi.json", "/api/v1/docs"]:
        first = client.get(url)
        assert first["Cache-Control"] == "public, max-age=3600"
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_an_address_under_the_api_that_matches_nothing_is_a_json_404(client):
    error = get_json(client, "/api/v1/claims/not-a-number/", status=404)
    assert error["error"] == "Not found."
    get_json(client, "/api/v2/", status=404)


@override_settings(API_RATE_LIMIT="3/min")
def test_revalidations_count_against_the_rate_limit_once_each(client):
    etag = client.get("/api/v1/claims/")["ETag"]
    assert client.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/claims/?status=supported").status_code == 200
    refused = client.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=etag)
    assert refused.status_code == 429 and refused["Retry-After"]


def test_a_stale_etag_gets_the_whole_answer(client, evidenced_claim):
    response = client.get("/api/v1/claims/", HTTP_IF_NONE_MATCH='"not-the-current-one"')
    assert response.status_code == 200
    assert [c["id"] for c in json.loads(response.content)["items"]] == [evidenced_claim.pk]


def test_every_page_names_the_api_and_the_licence(client):
    html = client.get("/").content.decode()
    assert '<a href="/api/v1/docs">the API</a>' in html
    assert (
        '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>' in html
    )


def test_a_retracted_source_says_so_and_its_claim_shows_up_as_changed(client, evidenced_claim):
    mark = timezone.now()
    CitationNotice.objects.record(
        Citation.objects.get(slug="murrough2013"),
        kind="retraction",
        learnt_from="crossref",
        date=date(2024, 3, 9),
        notice_doi="10.5555/retraction",
        reason="INTERNAL-REASON-abc",
    )
    source = get_json(client, "/api/v1/citations/murrough2013/")
    assert source["notices"] == [
        {
            "kind": "retraction",
            "kind_label": "Retraction",
            "date": "2024-03-09",
            "notice_doi": "10.5555/retraction",
            "notice_pmid": "",
            "notice_url": "https://doi.org/10.5555/retraction",
            "reported_by": "crossref",
        }
    ]
    url = f"/api/v1/claims/?updated_after={quote(mark.isoformat())}"
    assert [c["id"] for c in every_item(client, url)] == [evidenced_claim.pk]
    claim = get_json(client, f"/api/v1/claims/{evidenced_claim.pk}/")
    assert claim["open_flags"] == 1  # the evidence watch's flag
    assert b"INTERNAL-REASON-abc" not in client.get(f"/api/v1/claims/{evidenced_claim.pk}/").content


def test_a_flag_raised_or_settled_shows_the_claim_as_changed(
    client, evidenced_claim, reviewer, editor
):
    mark = timezone.now()
    url = f"/api/v1/claims/?updated_after={quote(mark.isoformat())}"
    flag = Flag.objects.raise_flag(claim=evidenced_claim, by=reviewer, reason=tag("lacks-context"))
    [changed] = every_item(client, url)
    assert changed["open_flags"] == 1
    mark = timezone.now()
    url = f"/api/v1/claims/?updated_after={quote(mark.isoformat())}"
    flag.dismiss(by=editor, note="The rationale says so.")
    [changed] = every_item(client, url)
    assert changed["open_flags"] == 0
