"""schema.org ClaimReview for a reviewed claim, embedded in its page as JSON-LD.

The rating scale is claimtrack's own, published on the home page: ratingValue is
Status.rating_value, from 5 (supported) down to 1 (contradicted), with bestRating 5 and
worstRating 1; alternateName is always the verdict in words. An unverifiable claim has no point
on that scale (it is neither true nor false, the evidence does not exist), so its reviewRating
carries alternateName only, without ratingValue, bestRating or worstRating. Unreviewed claims
get no ClaimReview at all.
"""

import json

from django.urls import reverse
from django.utils.safestring import mark_safe

from claimtrack.claims.models import Status

PUBLISHER = "claimtrack"
BEST_RATING, WORST_RATING = 5, 1
# Bylines that name an organisation rather than a person.
ORGANISATION_WORDS = ("team", "staff", "editors", "editorial", "newsroom")
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def claim_review(claim, build_absolute_uri):
    """The ClaimReview dict, or None for an unreviewed or withdrawn claim.

    Reads claim.article and each claim.evidence row's citation: select_related("article") and
    prefetch_related("evidence__citation") first, or this costs a query per citation."""
    status = Status(claim.status)
    if not status.is_reviewed or claim.is_withdrawn:
        return None
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": build_absolute_uri(claim.get_absolute_url()),
        "claimReviewed": claim.statement,
        "reviewRating": rating(status, claim.rationale),
        "itemReviewed": {
            "@type": "Claim",
            "text": claim.quote,
            "appearance": appearance(claim.article, build_absolute_uri),
        },
        "author": {
            "@type": "Organization",
            "name": PUBLISHER,
            "url": build_absolute_uri(reverse("home")),
        },
    }
    if claim.reviewed_at:
        review["datePublished"] = claim.reviewed_at.date().isoformat()
    citations = [scholarly_article(e.citation) for e in claim.evidence.all()]
    if citations:
        review["citation"] = citations
    return review


def rating(status, explanation=""):
    result = {"@type": "Rating", "alternateName": status.label}
    if status.rating_value is not None:
        result.update(
            ratingValue=status.rating_value, bestRating=BEST_RATING, worstRating=WORST_RATING
        )
    if explanation:
        result["ratingExplanation"] = explanation
    return result


def appearance(article, build_absolute_uri):
    """The article as a CreativeWork, with what is known of it; its page here if it has no URL."""
    work = {
        "@type": "CreativeWork",
        "headline": article.title,
        "url": article.url or build_absolute_uri(article.get_absolute_url()),
    }
    if article.publisher:
        work["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.author:
        work["author"] = byline(article.author, article.publisher)
    if article.published_on:
        work["datePublished"] = article.published_on.isoformat()
    return work


def byline(author, publisher=""):
    words = author.lower().split()
    is_organisation = author == publisher or any(w in ORGANISATION_WORDS for w in words)
    return {"@type": "Organization" if is_organisation else "Person", "name": author}


def scholarly_article(citation):
    article = {"@type": "ScholarlyArticle", "name": citation.title, "author": citation.authors}
    if citation.year:
        article["datePublished"] = str(citation.year)
    if citation.journal:
        article["isPartOf"] = {"@type": "Periodical", "name": citation.journal}
    same_as = [url for url in (citation.doi_url, citation.pubmed_url, citation.url) if url]
    if same_as:
        article["sameAs"] = same_as
    if citation.doi_url:
        article["url"] = citation.doi_url
    identifiers = [
        {"@type": "PropertyValue", "propertyID": name, "value": value}
        for name, value in (("DOI", citation.doi), ("PMID", citation.pmid))
        if value
    ]
    if identifiers:
        article["identifier"] = identifiers
    return article


def script_json(data):
    """JSON safe to put inside <script>: no "</script>" or "<!--" can close it early."""
    return mark_safe(json.dumps(data, ensure_ascii=False, indent=2).translate(SCRIPT_ESCAPES))
