"""The read-only public API, version 1: /api/v1/ (urls.py). Each operation reads through the
claims app's public QuerySets and filters, the same as the public pages: the claims list takes
the public list's filters (filters.ClaimFilter), so a query answers the same claims in both."""

import re
from datetime import UTC, datetime
from typing import Literal

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Router
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from claimtrack.api import schemas
from claimtrack.api.http import open_data
from claimtrack.api.pages import DEFAULT_LIMIT, MAX_LIMIT, BadCursor, keyset, next_link
from claimtrack.claims import exports
from claimtrack.claims.feeds import news
from claimtrack.claims.filters import ChangeFilter, ClaimFilter, SourceFilter
from claimtrack.claims.models import (
    Article,
    Certainty,
    ChangeKind,
    Citation,
    CitationKind,
    Claim,
    ClaimChange,
    ClaimGroup,
    Evidence,
    Topic,
    attach_status_counts,
    public_name_of,
)
from claimtrack.claims.templatetags.claims_extras import EDITORS
from claimtrack.scholarly.identifiers import (
    DOI_PATTERN,
    PMID_PATTERN,
    normalize_doi,
    normalize_pmid,
)

GROUP_CLAIMS_SHOWN = 100  # a group's claims in its answer; the rest are in the claims list


class ReadableJSON(JSONRenderer):
    """UTF-8 as it is (’ not \\u2019): the quotes are read by people too."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ReadableJSON(),
    title="claimtrack open data API",
    version="1",
    description=(
        "Health claims as their articles wrote them, each graded against the scientific "
        "literature: its verdict, the certainty of the evidence, the public rationale, the "
        "sources cited, and every change since. Read-only, no key needed; lists come a page at "
        "a time (follow `next`); every answer carries an ETag (send If-None-Match for a 304). "
        "The data is free to reuse under the licence each list names."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


class BadRequest(Exception):
    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = errors or {}


@api.exception_handler(BadRequest)
def bad_request(request, error):
    return api.create_response(request, {"error": str(error), "errors": error.errors}, status=400)


@api.exception_handler(NinjaValidationError)
def invalid_parameters(request, error):
    """Ninja's own 422 for a parameter of the wrong type, as our 400: what was wrong, by name."""
    errors = {}
    for problem in error.errors:
        name = str(problem.get("loc", ["", "?"])[-1])
        errors.setdefault(name, []).append(problem.get("msg", "Invalid value."))
    message = "Invalid parameters: " + ", ".join(sorted(errors)) + "."
    return api.create_response(request, {"error": message, "errors": errors}, status=400)


@api.exception_handler(Http404)
def not_found(request, error):
    return api.create_response(request, {"error": "Not found.", "errors": {}}, status=404)


@api.exception_handler(HttpError)
def http_error(request, error):
    return api.create_response(
        request, {"error": str(error), "errors": {}}, status=error.status_code
    )


@api.exception_handler(BadCursor)
def bad_cursor(request, error):
    return api.create_response(
        request, {"error": str(error), "errors": {"cursor": [str(error)]}}, status=400
    )


ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.Error}
LIST_ERRORS = {400: schemas.Error, 429: schemas.Error}


def licence():
    return {"name": settings.DATA_LICENSE_NAME, "url": settings.DATA_LICENSE_URL}


def page_of(request, queryset, cursor, limit):
    rows, next_cursor = keyset(queryset, cursor, limit)
    return rows, {
        "next": next_link(request, next_cursor),
        "cursor": next_cursor,
        "licence": licence(),
    }


# Records: the public fields of each row, as the schemas name them.


def link(request, name, *args):
    """The absolute address of the named URL with these slugs or ids: one reverse() per name
    and request, not per row (a page of 100 claims has 500 links; exports.url_maker)."""
    makers = request.__dict__.setdefault("_api_url_makers", {})
    if name not in makers:
        makers[name] = exports.url_maker(name, request.build_absolute_uri, arity=len(args))
    return makers[name](*args)


def article_ref(request, article):
    return {
        "slug": article.slug,
        "title": article.title,
        "url": article.url,
        "page": link(request, "article_detail", article.slug),
        "api_url": link(request, "api:article", article.slug),
    }


def claim_record(request, claim):
    """Reads claim.article, claim.group, reason_tags (prefetched) and the with_counts() counts."""
    group = claim.group
    return {
        "id": claim.pk,
        "slug": claim.slug,
        "page": link(request, "claim_detail", claim.article.slug, claim.slug),
        "api_url": link(request, "api:claim", claim.pk),
        "article": article_ref(request, claim.article),
        "quote": claim.quote,
        "statement": claim.statement,
        "topic": claim.topic,
        "status": claim.status,
        "status_label": claim.get_status_display(),
        "certainty": claim.certainty,
        "rationale": claim.rationale,
        "reason_tags": [tag.slug for tag in claim.reason_tags.all()],
        "group": group
        and {
            "slug": group.slug,
            "name": group.name,
            "api_url": link(request, "api:group", group.slug),
        },
        "group_note": claim.group_note,
        "open_flags": claim.open_flag_count,
        "evidence_count": claim.evidence_count,
        "reviewed_at": claim.reviewed_at,
        "review_due_on": claim.review_due_on,
        "published_at": claim.published_at,
        "updated_at": claim.updated_at,
        "withdrawn_at": claim.withdrawn_at,
        "withdrawal_note": claim.withdrawal_note,
    }


def citation_record(request, citation):
    """The exports' fields of a source, and its notices: reads citation.notices (prefetch
    them)."""
    return {
        **exports.citation_record(*(getattr(citation, name) for name in exports.CITATION_FIELDS)),
        "kind_label": citation.get_kind_display(),
        "page": link(request, "source_detail", citation.slug),
        "api_url": link(request, "api:citation", citation.slug),
        "notices": [
            {
                "kind": notice.kind,
                "kind_label": notice.get_kind_display(),
                "date": notice.date,
                "notice_doi": notice.notice_doi,
                "notice_pmid": notice.notice_pmid,
                "notice_url": notice.notice_url,
                "reported_by": notice.learnt_from,
            }
            for notice in citation.notices.all()
        ],
    }


def change_record(request, change):
    """Reads change.claim.article and change.changed_by.staff_profile (select_related them)."""
    claim = change.claim
    by = change.changed_by
    return {
        "id": change.pk,
        "claim_id": claim.pk,
        "claim_page": link(request, "claim_detail", claim.article.slug, claim.slug),
        "claim_api_url": link(request, "api:claim", claim.pk),
        "kind": change.kind,
        "kind_label": change.get_kind_display(),
        "title": f"{news(change)}: {claim.statement}",  # as the feeds title it
        "changed_at": change.changed_at,
        "changed_by": EDITORS if by is None else public_name_of(by),
        "old_status": change.old_status,
        "new_status": change.new_status,
        "old_certainty": change.old_certainty,
        "new_certainty": change.new_certainty,
        "old_rationale": change.old_rationale,
        "new_rationale": change.new_rationale,
        "summary": change.summary,
        "old_wording": change.old_wording,
        "new_wording": change.new_wording,
        "note": change.note,
    }


def article_record(request, article):
    """Reads article.counts (attach_status_counts)."""
    return {
        "slug": article.slug,
        "title": article.title,
        "publisher": article.publisher,
        "author": article.author,
        "url": article.url,
        "published_on": article.published_on,
        "page": link(request, "article_detail", article.slug),
        "api_url": link(request, "api:article", article.slug),
        "claim_counts": dict(article.counts),
    }


def group_record(request, group):
    return {
        "slug": group.slug,
        "name": group.name,
        "description": group.description,
        "api_url": link(request, "api:group", group.slug),
    }


def moment(text):
    """An ISO 8601 time with its zone (2026-12-01T00:00:00Z), as UTC; else a 400. Not pydantic's
    datetime, which also reads a bare number as seconds since 1970."""
    problem = BadRequest(
        "updated_after must be a time with its zone, e.g. 2026-12-01T00:00:00Z.",
        {"updated_after": ["An ISO 8601 time with a time zone (Z or +01:00)."]},
    )
    try:
        parsed = datetime.fromisoformat(text.strip())
        if parsed.tzinfo is None:
            raise problem
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise problem from None


# Querysets: what each list reads, public rows only.


def public_claims():
    return (
        Claim.objects.published()
        .select_related("article", "group")
        .defer("article__text", "search_document")
        .prefetch_related("reason_tags")
        .with_counts()
    )


def public_changes():
    return (
        ClaimChange.objects.public()
        .select_related("claim__article", "changed_by__staff_profile")
        .defer("claim__article__text", "claim__search_document")
    )


def with_notices(citations):
    return citations.prefetch_related("notices")  # oldest first, as the pages list them


def form_errors(form):
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def valid(filterset):
    if not filterset.is_valid():
        raise BadRequest("Invalid filters.", form_errors(filterset.form))
    return filterset.qs


# The filters' allowed values, for the OpenAPI document (the FilterSets check them again).
ORDERINGS = [value for value, _ in ClaimFilter.base_filters["ordering"].field.choices if value]
ClaimOrdering = Literal[tuple(ORDERINGS)]
Flagged = Literal["true", "false"]
Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")
Cursor = Query(None, max_length=2000, description="From the previous page's `cursor`.")
Words = Query(None, max_length=200)
ISO_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"

claims_router = Router(tags=["claims"])
articles_router = Router(tags=["articles"])
citations_router = Router(tags=["citations"])
groups_router = Router(tags=["groups"])
changes_router = Router(tags=["changes"])


@claims_router.get("/", response={200: schemas.ClaimPage, **LIST_ERRORS}, url_name="claims")
@decorate_view(open_data)
def list_claims(
    request,
    q: str | None = Words,
    status: schemas.StatusValue | None = None,
    topic: schemas.one_of(Topic) | None = None,
    certainty: schemas.one_of(Certainty) | None = None,
    article: str | None = Query(None, max_length=200, description="A slug or words of a title."),
    tag: str | None = Query(None, max_length=100, description="A reason tag's slug."),
    flagged: Flagged | None = None,
    ordering: ClaimOrdering | None = None,
    updated_after: str | None = Query(
        None,
        max_length=40,
        description="Only claims changed after this time (ISO 8601 with a time zone), in the "
        "order they changed: for incremental sync. Cannot be combined with `ordering`.",
        pattern=ISO_TIME,
        example="2026-12-01T00:00:00Z",
    ),
    cursor: str | None = Cursor,
    limit: int = Limit,
):
    """The public claims, with the same filters and search as the public list (/claims/), in
    the same order: by article title, then as they stand in the text."""
    data = {
        name: value
        for name, value in [
            ("q", q),
            ("status", status),
            ("topic", topic),
            ("certainty", certainty),
            ("article", article),
            ("tag", tag),
            ("flagged", flagged),
            ("ordering", ordering),
        ]
        if value is not None
    }
    base = public_claims().order_by("article__title", "quote_start", "pk")
    claims = valid(ClaimFilter(data, queryset=base))
    if updated_after is not None:
        if ordering:
            raise BadRequest(
                "updated_after lists claims in the order they changed: leave out ordering.",
                {"ordering": ["Not with updated_after."]},
            )
        claims = claims.filter(updated_at__gt=moment(updated_after)).order_by("updated_at", "pk")
    rows, page = page_of(request, claims, cursor, limit)
    return {**page, "items": [claim_record(request, claim) for claim in rows]}


@claims_router.get(
    "/{int:claim_id}/", response={200: schemas.ClaimDetail, **ERRORS}, url_name="claim"
)
@decorate_view(open_data)
def get_claim(request, claim_id: int):
    """One public claim, with its evidence and sources, and its corrections log."""
    claim = get_object_or_404(public_claims(), pk=claim_id)
    evidence = (
        Evidence.objects.filter(claim=claim)
        .select_related("citation")
        .prefetch_related("citation__notices")  # oldest first, as the pages list them
    )
    reviewer = claim.reviewed_by
    return {
        **claim_record(request, claim),
        "reviewed_by": reviewer and public_name_of(reviewer),
        "evidence": [
            {
                "stance": item.stance,
                "note": item.note,
                "citation": citation_record(request, item.citation),
            }
            for item in evidence
        ],
        "history": [
            change_record(request, change) for change in public_changes().filter(claim=claim)
        ],
    }


@articles_router.get("/", response={200: schemas.ArticlePage, **LIST_ERRORS}, url_name="articles")
@decorate_view(open_data)
def list_articles(request, q: str | None = Words, cursor: str | None = Cursor, limit: int = Limit):
    """The articles, by title, each with its public claims counted by status. q: words of the
    title, publisher or author, or the article's slug."""
    articles = Article.objects.defer("text").order_by("title", "pk")
    if q and q.strip():
        articles = articles.matching(q, byline=True)
    rows, page = page_of(request, articles, cursor, limit)
    return {**page, "items": [article_record(request, a) for a in attach_status_counts(rows)]}


@articles_router.get(
    "/{slug:slug}/", response={200: schemas.ArticleDetail, **ERRORS}, url_name="article"
)
@decorate_view(open_data)
def get_article(request, slug: str):
    """One article, with its public claims in the order of its text."""
    article = get_object_or_404(Article.objects.defer("text"), slug=slug)
    claims = public_claims().filter(article=article).order_by("quote_start", "pk")
    (article,) = attach_status_counts([article])
    return {
        **article_record(request, article),
        "claims": [claim_record(request, claim) for claim in claims],
    }


@citations_router.get(
    "/", response={200: schemas.CitationPage, **LIST_ERRORS}, url_name="citations"
)
@decorate_view(open_data)
def list_citations(
    request,
    doi: str | None = Query(None, max_length=300, description="A DOI, bare or as a link."),
    pmid: str | None = Query(None, max_length=100, description="A PubMed id, bare or as a link."),
    q: str | None = Words,
    journal: str | None = Query(None, max_length=200),
    year: int | None = Query(None, ge=1000, le=2999),
    kind: schemas.one_of(CitationKind) | None = None,
    cursor: str | None = Cursor,
    limit: int = Limit,
):
    """The sources public claims rest on, by title: search them, or find one by DOI or PMID."""
    citations = Citation.objects.public().order_by("title", "pk")
    if doi is not None:
        bare = normalize_doi(doi)
        if not re.match(DOI_PATTERN, bare):
            raise BadRequest("That is not a DOI.", {"doi": ["A DOI starts with 10."]})
        citations = citations.search(bare)
    if pmid is not None:
        bare = normalize_pmid(pmid)
        if not re.match(PMID_PATTERN, bare):
            raise BadRequest("That is not a PMID.", {"pmid": ["A PMID is a number."]})
        citations = citations.filter(pmid=bare)
    data = {
        name: str(value)
        for name, value in [("q", q), ("journal", journal), ("year", year), ("kind", kind)]
        if value is not None
    }
    citations = valid(SourceFilter(data, queryset=citations)).order_by("title", "pk")
    rows, page = page_of(request, with_notices(citations), cursor, limit)
    return {**page, "items": [citation_record(request, c) for c in rows]}


@citations_router.get(
    "/{slug:key}/", response={200: schemas.Citation, **ERRORS}, url_name="citation"
)
@decorate_view(open_data)
def get_citation(request, key: str):
    """One source, by its key, with its notices. Its claims: /claims/?q=<its DOI or PMID>."""
    citation = get_object_or_404(with_notices(Citation.objects.public()), slug=key)
    return citation_record(request, citation)


@groups_router.get("/", response={200: schemas.GroupPage, **LIST_ERRORS}, url_name="groups")
@decorate_view(open_data)
def list_groups(request, cursor: str | None = Cursor, limit: int = Limit):
    """Groups of claims that say the same thing in several articles, by name."""
    groups = ClaimGroup.objects.filter(claims__published_at__isnull=False).distinct()
    rows, page = page_of(request, groups.order_by("name", "pk"), cursor, limit)
    return {**page, "items": [group_record(request, g) for g in rows]}


@groups_router.get("/{slug:slug}/", response={200: schemas.GroupDetail, **ERRORS}, url_name="group")
@decorate_view(open_data)
def get_group(request, slug: str):
    """One group, with its public claims by article title (the first hundred: the rest are in
    the claims list)."""
    group = get_object_or_404(ClaimGroup, slug=slug)
    claims = list(
        public_claims()
        .filter(group=group)
        .order_by("article__title", "quote_start", "pk")[: GROUP_CLAIMS_SHOWN + 1]
    )
    if not claims:
        raise Http404
    return {
        **group_record(request, group),
        "claims": [claim_record(request, c) for c in claims[:GROUP_CLAIMS_SHOWN]],
        "more_claims": len(claims) > GROUP_CLAIMS_SHOWN,
    }


@changes_router.get("/", response={200: schemas.ChangePage, **LIST_ERRORS}, url_name="changes")
@decorate_view(open_data)
def list_changes(
    request,
    kind: schemas.one_of(ChangeKind) | None = None,
    article: str | None = Query(None, max_length=200, description="A slug or words of a title."),
    since: str | None = Query(
        None,
        max_length=10,
        description="Changes on or after this day (YYYY-MM-DD).",
        pattern=ISO_DATE,
    ),
    until: str | None = Query(
        None,
        max_length=10,
        description="Changes on or before this day (YYYY-MM-DD).",
        pattern=ISO_DATE,
    ),
    cursor: str | None = Cursor,
    limit: int = Limit,
):
    """The corrections log, newest first: every verdict given or changed, evidence added or
    removed, wording corrected, claim withdrawn, and verdict checked again."""
    data = {
        name: str(value)
        for name, value in [
            ("kind", kind),
            ("article", article),
            ("since", since),
            ("until", until),
        ]
        if value is not None
    }
    changes = valid(ChangeFilter(data, queryset=public_changes())).order_by("-changed_at", "-pk")
    rows, page = page_of(request, changes, cursor, limit)
    return {**page, "items": [change_record(request, c) for c in rows]}


@api.get("/", response={200: schemas.Index, 429: schemas.Error}, url_name="index")
@decorate_view(open_data)
def index(request):
    """Where everything is: the lists, the docs, the OpenAPI document, the licence."""
    return {
        "title": api.title,
        "version": api.version,
        "licence": licence(),
        "docs": link(request, "api:openapi-view"),
        "openapi": link(request, "api:openapi-json"),
        "lists": {
            name: link(request, f"api:{name}")
            for name in ["claims", "articles", "citations", "groups", "changes"]
        },
    }


api.add_router("/claims", claims_router)
api.add_router("/articles", articles_router)
api.add_router("/citations", citations_router)
api.add_router("/groups", groups_router)
api.add_router("/changes", changes_router)
