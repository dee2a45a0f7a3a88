"""The schema.org ClaimReview embedded in each reviewed claim's page."""

import json
import re
from datetime import date

import pytest

from claimtrack.claims.models import Article, Citation, Claim, Evidence, Status

from .conftest import raw_update


def claim_review(client, url):
    page = client.get(url).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


@pytest.fixture
def published(reviewed_claim, citation, editor):
    raw_update(
        Article.objects.filter(pk=reviewed_claim.article_id),
        publisher="Daily Health",
        author="Jane Writer",
        url="https://example.org/ketamine",
        published_on=date(2024, 3, 1),
    )
    Evidence.objects.create(
        claim=reviewed_claim, citation=citation, stance="qualifies", note="Mice only."
    )
    reviewed_claim.refresh_from_db()
    reviewed_claim.change_verdict(
        by=editor,
        status="overstated",
        certainty="low",
        rationale="Shown in mice only.",
        note="Mice.",
    )
    return reviewed_claim


def test_a_reviewed_claim_embeds_one_claim_review(client, published):
    review = claim_review(client, "/claims/ketamine-news/bdnf/")
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == "http://testserver/claims/ketamine-news/bdnf/"
    assert review["claimReviewed"] == "Ketamine triggers BDNF release."
    assert review["datePublished"] == published.reviewed_at.date().isoformat()
    assert review["author"] == {
        "@type": "Organization",
        "name": "claimtrack",
        "url": "http://testserver/",
    }


def test_the_rating_is_on_the_documented_scale(client, published):
    rating = claim_review(client, "/claims/ketamine-news/bdnf/")["reviewRating"]
    assert rating == {
        "@type": "Rating",
        "ratingValue": 3,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Overstated",
        "ratingExplanation": "Shown in mice only.",
    }


def test_the_item_reviewed_is_a_claim_appearing_in_the_article(client, published):
    item = claim_review(client, "/claims/ketamine-news/bdnf/")["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["text"] == "It triggers BDNF release."
    assert item["appearance"] == {
        "@type": "CreativeWork",
        "headline": "Ketamine news",
        "url": "https://example.org/ketamine",
        "publisher": {"@type": "Organization", "name": "Daily Health"},
        "author": {"@type": "Person", "name": "Jane Writer"},
        "datePublished": "2024-03-01",
    }


def test_an_article_without_an_address_appears_without_one_and_says_so(client, reviewed_claim):
    item = claim_review(client, "/claims/ketamine-news/bdnf/")["itemReviewed"]
    # Where the claim appeared is the article as published, never claimtrack's page of it.
    assert item["appearance"] == {
        "@type": "CreativeWork",
        "headline": "Ketamine news",
        "description": "The original web address of this article is not on file at claimtrack.",
    }


def test_no_seed_claim_names_claimtrack_as_where_it_appeared(client, seeded):
    for claim in Claim.objects.reviewed().select_related("article")[:20]:
        appearance = claim_review(client, claim.get_absolute_url())["itemReviewed"]["appearance"]
        assert "testserver" not in json.dumps(appearance)
        assert "url" in appearance or "not on file" in appearance["description"]


def test_a_team_byline_is_an_organisation(client, reviewed_claim):
    raw_update(Article.objects.all(), author="SubstanceAbuseAction Team")
    item = claim_review(client, "/claims/ketamine-news/bdnf/")["itemReviewed"]
    assert item["appearance"]["author"] == {
        "@type": "Organization",
        "name": "SubstanceAbuseAction Team",
    }


def test_the_citations_behind_the_verdict_are_scholarly_articles(client, published):
    raw_update(Citation.objects.filter(doi__gt=""), journal="American Journal of Psychiatry")
    mice, citation = claim_review(client, "/claims/ketamine-news/bdnf/")["citation"]
    assert mice == {  # no journal, DOI or PMID on file: none is made up
        "@type": "ScholarlyArticle",
        "name": "NMDA receptor blockade at rest triggers rapid behavioural antidepressant "
        "responses",
        "author": "Autry AE, Adachi M, Nosyreva E",
        "datePublished": "2011",
    }
    assert citation == {
        "@type": "ScholarlyArticle",
        "name": "Antidepressant efficacy of ketamine in treatment-resistant major depression",
        "author": "Murrough JW, Iosifescu DV",
        "datePublished": "2013",
        "isPartOf": {"@type": "Periodical", "name": "American Journal of Psychiatry"},
        "url": "https://doi.org/10.1176/appi.ajp.2013.13030392",
        "sameAs": [
            "https://doi.org/10.1176/appi.ajp.2013.13030392",
            "https://pubmed.ncbi.nlm.nih.gov/23982301/",
        ],
        "identifier": [
            {
                "@type": "PropertyValue",
                "propertyID": "DOI",
                "value": "10.1176/appi.ajp.2013.13030392",
            },
            {"@type": "PropertyValue", "propertyID": "PMID", "value": "23982301"},
        ],
    }


@pytest.mark.parametrize("status", [s for s in Status if s.rating_value])
def test_every_status_on_the_scale_has_its_number(client, reviewed_claim, status):
    raw_update(Claim.objects.all(), status=status)
    rating = claim_review(client, "/claims/ketamine-news/bdnf/")["reviewRating"]
    assert (rating["ratingValue"], rating["alternateName"]) == (status.rating_value, status.label)
    assert 1 <= rating["ratingValue"] <= 5


def test_unverifiable_has_a_name_and_no_number(client, reviewed_claim):
    raw_update(Claim.objects.all(), status="unverifiable")
    rating = claim_review(client, "/claims/ketamine-news/bdnf/")["reviewRating"]
    assert rating == {
        "@type": "Rating",
        "alternateName": "Unverifiable",
        "ratingExplanation": "Shown in mice, not in people.",
    }


def test_an_unreviewed_claim_has_no_page_and_no_claim_review(client, claim, editor):
    assert client.get("/claims/ketamine-news/within-hours/").status_code == 404
    client.force_login(editor)
    preview = client.get(f"/desk/claims/{claim.pk}/preview/")
    assert preview.status_code == 200
    assert "application/ld+json" not in preview.content.decode()


def test_text_cannot_close_the_script_early(client, reviewed_claim):
    raw_update(Claim.objects.all(), statement="Ketamine </script><script>alert(1)</script> & co.")
    page = client.get("/claims/ketamine-news/bdnf/").content.decode()
    script = page[page.index('<script type="application/ld+json">') :]
    script = script[: script.index("</script>")]
    assert "alert" in script and "<" not in script.removeprefix("<script")
    review = claim_review(client, "/claims/ketamine-news/bdnf/")
    assert review["claimReviewed"] == "Ketamine </script><script>alert(1)</script> & co."


def test_every_seed_review_parses_and_has_every_field(client, seeded):
    for claim in Claim.objects.reviewed().select_related("article"):
        review = claim_review(client, claim.get_absolute_url())
        assert {"@context", "@type", "url", "claimReviewed", "reviewRating", "itemReviewed"} <= set(
            review
        )
        assert {"author", "datePublished"} <= set(review)
        assert review["itemReviewed"]["appearance"]["headline"] == claim.article.title
        for citation in review.get("citation", []):
            assert citation["@type"] == "ScholarlyArticle"
            assert citation["name"] and citation["author"]
