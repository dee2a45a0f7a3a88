"""schema.org ClaimReview for a reviewed claim, and Review for a reviewed article, embedded in
their pages as JSON-LD.

The rating scale is claimtrack's own, published on the home page: ratingValue is
Status.rating_value, from 5 (supported) down to 1 (contradicted), with bestRating 5 and
worstRating 1; alternateName is always the verdict in words. An unverifiable claim has no point
on that scale (it is neither true nor false, the evidence does not exist), so its reviewRating
carries alternateName only, without ratingValue, bestRating or worstRating. Unreviewed claims
get no ClaimReview at all.

Where a claim appeared is the article as published elsewhere: its original address when it is
on file, and otherwise the article described (headline, byline, date) with no address at all,
saying so, never claimtrack's own page in its place (Google's ClaimReview guide: appearance is "a
link to, or inline description of, a CreativeWork in which this claim appears").

An article's Review (article_review) rates it on the criteria that apply to it: ratingValue is
how many it meets, bestRating how many apply; the ones met are its positiveNotes, the others its
negativeNotes, each with its sentence why; reviewBody is the key takeaway.
"""

import json

from django.urls import reverse
from django.utils.safestring import mark_safe

from claimtrack.claims.models import Status, Verdict

PUBLISHER = "claimtrack"
BEST_RATING, WORST_RATING = 5, 1
# Bylines that name an organisation rather than a person.
ORGANISATION_WORDS = ("team", "staff", "editors", "editorial", "newsroom")
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
NO_ADDRESS = "The original web address of this article is not on file at claimtrack."


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
            "appearance": appearance(claim.article),
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


def appearance(article):
    """The article as published, a CreativeWork with what is known of it. Without its original
    address it has none: claimtrack's page is where it is reviewed, not where it appeared."""
    work = {"@type": "CreativeWork", "headline": article.title}
    if article.url:
        work["url"] = article.url
    else:
        work["description"] = NO_ADDRESS
    if article.publisher:
        work["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.author:
        work["author"] = byline(article.author, article.publisher)
    if article.published_on:
        work["datePublished"] = article.published_on.isoformat()
    return work


def article_review(review, build_absolute_uri):
    """The Review of an article, from ArticleReviewQuerySet.for_page (no query of its own)."""
    article = review.article
    item = {**appearance(article), "@type": "Article"}
    home = build_absolute_uri(reverse("home"))
    publisher = {"@type": "Organization", "name": PUBLISHER, "url": home}
    result = {
        "@context": "https://schema.org",
        "@type": "Review",
        "url": build_absolute_uri(article.get_absolute_url()),
        "name": f"Review of “{article.title}”",
        "itemReviewed": item,
        "reviewBody": review.takeaway,
        "author": reviewer(review.reviewer) or publisher,
        "publisher": publisher,
        "datePublished": review.reviewed_at.date().isoformat(),
    }
    if review.applicable:
        result["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": review.met,
            "bestRating": review.applicable,
            "worstRating": 0,
            "ratingExplanation": f"Meets {review.met} of the {review.applicable} criteria that "
            "apply to it.",
        }
    for key, verdict in (
        ("positiveNotes", Verdict.SATISFACTORY),
        ("negativeNotes", Verdict.NOT_SATISFACTORY),
    ):
        notes = [v for v in review.verdicts_in_order if v.verdict == verdict]
        if notes:
            result[key] = {
                "@type": "ItemList",
                "itemListElement": [
                    {
                        "@type": "ListItem",
                        "position": n,
                        "name": f"{v.get_criterion_display()}: {v.why}",
                    }
                    for n, v in enumerate(notes, start=1)
                ],
            }
    return result


def reviewer(user):
    """The reviewer as a Person, by the name the public pages give; None for the fixtures'
    reviews, which the organisation signs."""
    if user is None:
        return None
    return {"@type": "Person", "name": user.get_full_name() or user.get_username()}


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
