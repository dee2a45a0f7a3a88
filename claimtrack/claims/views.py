"""The public site: claims, articles, the corrections log, exports, and flagging by reviewers."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection
from django.db.models import Count, F, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from claimtrack.claims import exports, jsonld, search, textdiff
from claimtrack.claims.filters import (
    MOST_CITED_AT_MOST,
    ChangeFilter,
    ClaimFilter,
    SourceFilter,
)
from claimtrack.claims.forms import ArticleListForm, CsvExportForm, FlagForm, SuggestForm
from claimtrack.claims.models import (
    RAISE_FLAG,
    RANKED_AT_MOST,
    Article,
    ArticleReview,
    Certainty,
    Citation,
    Claim,
    ClaimChange,
    Evidence,
    Flag,
    ReasonTag,
    StaffProfile,
    Status,
    attach_status_counts,
    public_staff,
    role_of,
)
from claimtrack.claims.paginators import BadPage, PastTheEnd, keyset_page, page_number

CLAIMS_PER_PAGE = 25
CHANGES_PER_PAGE = 30
ARTICLES_PER_PAGE = 20
RECENTLY_REVIEWED = 6
MOST_FLAGGED = 5
RECENT_ARTICLES = 6
ARTICLE_MATCHES = 10  # "Articles matching …": enough to pick one, never the whole catalogue
SUGGESTIONS = 10
SAME_GROUP_SHOWN = 20  # a claim's page lists this many of its group's claims, not thousands
SOURCES_PER_PAGE = 25
SOURCE_CLAIMS_PER_PAGE = 25  # a source's page: its claims a page at a time, however many
REVIEWERS_PER_PAGE = 50
REVIEWED_PER_PAGE = 20  # a reviewer's page lists their reviewed claims, newest first


def paginate(request, queryset, per_page):
    """The requested page of the ordered queryset, without counting it, read after (or before)
    the cursor its link carries (paginators.py). Raises BadPage (a 400) or PastTheEnd (a 404)."""
    return keyset_page(
        queryset,
        page_number(request.GET.get("page")),
        per_page,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )


def page_problem(request, template, context, error):
    """The list page with the page parameter's problem and a link to the first page."""
    context["page_error"] = str(error)
    status = 404 if isinstance(error, PastTheEnd) else 400
    return render(request, template, context, status=status)


def home(request):
    """Totals and a bounded set: the page stays the same size however many articles there are.

    Five queries: the totals by status, the recently reviewed, the most flagged, the newest
    articles and their counts."""
    published = Claim.objects.published()
    totals = Counter(
        dict(
            published.order_by().values("status").annotate(n=Count("*")).values_list("status", "n")
        )
    )
    recent = (
        published.select_related("article")
        .defer("article__text")
        .order_by(F("reviewed_at").desc(nulls_last=True), "-pk")[:RECENTLY_REVIEWED]
    )
    flagged = published.select_related("article").defer("article__text").most_flagged(MOST_FLAGGED)
    articles = Article.objects.defer("text").order_by("-created_at", "-pk")[:RECENT_ARTICLES]
    return render(
        request,
        "claims/home.html",
        {
            "totals": totals,
            "total": sum(totals.values()),
            "statuses": list(Status),
            "articles": articles.with_status_counts(),
            "recent": recent,
            "most_flagged": flagged,
            "scale": [s for s in Status if s.is_reviewed],
        },
    )


def how_we_rate(request):
    """What each verdict and certainty level means, each with an example from the site, the
    reason tags, how claims are reviewed and corrected. Two queries: the examples, the tags."""
    examples = rating_examples()
    statuses = [*(s for s in Status if s.is_reviewed), Status.UNREVIEWED]
    return render(
        request,
        "claims/how_we_rate.html",
        {
            # The scale from 5 to 1, then the verdicts off it, then the claims without one.
            "statuses": [(status, examples["status"].get(status)) for status in statuses],
            "certainties": [(c, examples["certainty"].get(c)) for c in Certainty],
            "reason_tags": ReasonTag.objects.for_flags(),
        },
    )


def rating_examples():
    """An example of each verdict and each certainty level: the most recently reviewed public
    claim that has it (published, not withdrawn). One query however many claims there are:
    each pick is a subquery that reads the first row of an index (status or certainty, then
    reviewed_at), and PostgreSQL runs each once.

    Returns {"status": {Status: claim}, "certainty": {Certainty: claim}}; a value with no claim
    has no entry."""
    public = Claim.objects.published().filter(withdrawn_at__isnull=True, reviewed_at__isnull=False)
    newest = ("-reviewed_at", "-pk")
    picks = Q(pk__in=[])
    for status in Status:
        picks |= Q(pk=Subquery(public.filter(status=status).order_by(*newest).values("pk")[:1]))
    for certainty in Certainty:
        first = public.filter(certainty=certainty).order_by(*newest).values("pk")[:1]
        picks |= Q(pk=Subquery(first))
    claims = (
        Claim.objects.filter(picks)
        .select_related("article")
        .defer("article__text")
        .order_by(*newest)
    )
    found = {"status": {}, "certainty": {}}
    for claim in claims:
        # Newest first, so each value's first claim here is the one its subquery picked.
        found["status"].setdefault(Status(claim.status), claim)
        if claim.certainty:
            found["certainty"].setdefault(Certainty(claim.certainty), claim)
    return found


def reviewer_list(request):
    """The people who review: each one's public name (linked to their page) and role, by name.
    One query a page; never a login name, never someone who is not active staff."""
    public_name = Coalesce(
        NullIf("staff_profile__display_name", Value("")),
        Trim(Concat("first_name", Value(" "), "last_name")),
    )
    people = (
        public_staff()
        .select_related("staff_profile")
        .annotate(sort_name=Lower(public_name))
        .order_by("sort_name", "pk")
    )
    context = {"query": ""}
    try:
        page = paginate(request, people, REVIEWERS_PER_PAGE)
    except (BadPage, PastTheEnd) as error:
        return page_problem(request, "claims/reviewer_list.html", context, error)
    for user in page.object_list:
        user.role = role_of(user)
    context["page"] = page
    return render(request, "claims/reviewer_list.html", context)


def reviewer_detail(request, slug):
    """A reviewer's page: role, bio, declared interests and their reviewed claims, newest
    first, a page at a time. Two queries: the person, a page of claims. An old address (the
    public name changed) leads here for good."""
    user = public_staff().select_related("staff_profile").filter(staff_profile__slug=slug).first()
    if user is None:
        profile = StaffProfile.objects.renamed_from(slug)
        if profile is not None and public_staff().filter(pk=profile.user_id).exists():
            return redirect(profile, permanent=True)
        raise Http404("No such reviewer.")
    profile = user.staff_profile
    claims = (
        Claim.objects.published()
        .filter(reviewed_by=user)
        .select_related("article")
        .defer("article__text")
        .order_by(F("reviewed_at").desc(nulls_last=True), "-pk")
    )
    context = {"person": user, "profile": profile, "role": role_of(user), "query": ""}
    try:
        context["page"] = paginate(request, claims, REVIEWED_PER_PAGE)
    except (BadPage, PastTheEnd) as error:
        return page_problem(request, "claims/reviewer_detail.html", context, error)
    return render(request, "claims/reviewer_detail.html", context)


def filtered_claims(request):
    """The claims the GET filters select, and the bound FilterSet (check is_valid())."""
    queryset = (
        Claim.objects.published()
        .select_related("article")
        .defer("article__text")  # rows need the title and slug, not the whole article
        .order_by("article__title", "quote_start", "pk")
    )
    return ClaimFilter(request.GET, queryset=queryset)


def claim_list(request):
    filterset = filtered_claims(request)
    if not filterset.is_valid():
        return invalid_filters(request, filterset)
    context = {
        "filter": filterset,
        "query": query_without_page(request),
        **article_matches(request, filterset),
    }
    words = filterset.form.cleaned_data.get("q", "")
    claims = filterset.qs.with_counts().with_headlines(words)
    # A search that finds too many claims to rank them (ClaimQuerySet.search) says so.
    context["ranked_at_most"] = RANKED_AT_MOST
    context["unranked"] = bool(
        words
        and connection.vendor == "postgresql"
        and not filterset.form.cleaned_data.get("ordering")
        and not claims.is_ranked()
    )
    try:
        page = paginate(request, claims, CLAIMS_PER_PAGE)
    except (BadPage, PastTheEnd) as error:
        return page_problem(request, "claims/claim_list.html", context, error)
    if words:
        page.object_list = list(page.object_list)
        for claim in page.object_list:
            claim.headlines = search.headlines(claim, words)
    context["page"] = page
    return render(request, "claims/claim_list.html", context)


def article_matches(request, filterset):
    """When the article filter's words fit several articles, or none: those articles (up to
    ARTICLE_MATCHES), each with a link narrowing the list to it, so that a reader without
    JavaScript can pick one. One query, only when the filter is used."""
    words = (filterset.form.cleaned_data.get("article") or "").strip()
    if not words:
        return {}
    found = list(
        Article.objects.matching(words)
        .only("slug", "title")
        .order_by("title", "pk")[: ARTICLE_MATCHES + 1]
    )
    if len(found) == 1:
        return {}
    query = request.GET.copy()
    query.pop("page", None)
    matches = []
    for article in found[:ARTICLE_MATCHES]:
        query["article"] = article.slug
        matches.append({"article": article, "query": query.urlencode()})
    return {
        "article_words": words,
        "article_matches": matches,
        "more_article_matches": len(found) > ARTICLE_MATCHES,
    }


def query_without_page(request):
    """The current filters as a query string, for pagination and export links."""
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)
    return query.urlencode()


def claims_for_page():
    """Claims with everything their page shows, in a fixed number of queries."""
    evidence = (
        Evidence.objects.select_related("citation")
        .prefetch_related("citation__notices")  # retractions and corrections, beside each
        .order_by("citation__year", "pk")
    )
    return (
        Claim.objects.select_related("article", "group", "reviewed_by__staff_profile")
        .prefetch_related("reason_tags", Prefetch("evidence", queryset=evidence))
        .with_counts()
    )


def get_claim(article_slug, claim_slug):
    """The published claim and what its page shows; drafts are not found."""
    claims = claims_for_page().published()
    return get_object_or_404(claims, article__slug=article_slug, slug=claim_slug)


def renamed_claim(article_slug, claim_slug):
    """The claim an old link meant, after its article or its own slug was renamed; or 404."""
    article, _ = get_article(article_slug)
    claim = article.claims.filter(slug=claim_slug).first()
    claim = claim or Claim.objects.renamed_from(article, claim_slug)
    if claim is None or not claim.is_published:
        raise Http404("No such claim.")
    return claim


def claim_detail(request, article_slug, claim_slug):
    try:
        claim = get_claim(article_slug, claim_slug)
    except Http404:
        return redirect(renamed_claim(article_slug, claim_slug), permanent=True)
    return render_claim(request, claim, FlagForm())


def render_claim(request, claim, flag_form, status=200, preview=False):
    """The claim's public page; preview=True shows a draft to staff as the public will see it
    once published (no flag form, no structured data for search engines)."""
    changes = claim.changes.select_related("changed_by__staff_profile")
    same_group = []
    if claim.group_id:
        same_group = list(
            claim.group.claims.published()
            .exclude(article=claim.article_id)
            .select_related("article")
            .defer("article__text")
            .order_by("article__title", "pk")[: SAME_GROUP_SHOWN + 1]
        )
    review = None if preview else jsonld.claim_review(claim, request.build_absolute_uri)
    context = {
        "claim": claim,
        "article": claim.article,
        "changes": changes,
        "same_group": same_group[:SAME_GROUP_SHOWN],
        "more_in_group": len(same_group) > SAME_GROUP_SHOWN,
        "jsonld": jsonld.script_json(review) if review else "",
        "can_flag": request.user.has_perm(RAISE_FLAG) and not preview,
        "flag_form": flag_form,
        "preview": preview,
    }
    return render(request, "claims/claim_detail.html", context, status=status)


@require_POST
def flag_claim(request, article_slug, claim_slug):
    claim = get_claim(article_slug, claim_slug)
    if not request.user.is_authenticated:
        return redirect_to_login(claim.get_absolute_url())
    if not request.user.has_perm(RAISE_FLAG):
        raise PermissionDenied("You are not allowed to flag claims.")
    form = FlagForm(request.POST)
    if not form.is_valid():
        return render_claim(request, claim, form, status=400)
    try:
        Flag.objects.raise_flag(
            claim=claim,
            by=request.user,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):  # about a field ("Other" needs a comment): show it there
            form.add_error(None, error)
            return render_claim(request, claim, form, status=400)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "Thank you: your flag is with the editors, who will uphold or dismiss it."
        )
    return redirect(claim)


def article_list(request):
    """The articles, a page at a time: searched by words (title, publisher, author) or a slug,
    sorted by title, newest published or most claims. Counts only for the page's articles."""
    form = ArticleListForm(request.GET)
    context = {"form": form, "query": query_without_page(request)}
    if not form.is_valid():
        return render(request, "claims/article_list.html", context, status=400)
    articles = Article.objects.defer("text")
    if form.cleaned_data["q"]:
        articles = articles.matching(form.cleaned_data["q"], byline=True)
    articles = form.sorted(articles)
    try:
        page = paginate(request, articles, ARTICLES_PER_PAGE)
    except (BadPage, PastTheEnd) as error:
        return page_problem(request, "claims/article_list.html", context, error)
    attach_status_counts(page.object_list)
    context["page"] = page
    return render(request, "claims/article_list.html", context)


def article_suggest(request):
    """Up to SUGGESTIONS articles for the words typed in an article field, as JSON:
    {"articles": [{"title", "slug"}]}. Fewer than two characters suggest nothing."""
    form = SuggestForm(request.GET)
    if not form.is_valid():
        return json_errors("invalid query", form)
    words = form.cleaned_data["q"]
    found = []
    if len(words) >= 2:
        found = list(
            Article.objects.matching(words)
            .order_by("title", "pk")
            .values("title", "slug")[:SUGGESTIONS]
        )
    return JsonResponse({"articles": found})


def get_article(slug):
    """The article, or a permanent redirect's target when it was renamed; or 404."""
    article = Article.objects.filter(slug=slug).first()
    if article is not None:
        return article, False
    article = Article.objects.renamed_from(slug)
    if article is None:
        raise Http404("No such article.")
    return article, True


def article_detail(request, slug):
    article, renamed = get_article(slug)
    if renamed:
        return redirect(article, permanent=True)
    claims = list(article.claims.published().order_by("quote_start", "pk"))
    for claim in claims:
        claim.article = article  # get_absolute_url reads it: no query per claim
    counts = Counter(claim.status for claim in claims)
    revisions = article.text_revisions()
    review = ArticleReview.objects.for_page(article)
    return render(
        request,
        "claims/article_detail.html",
        {
            "article": article,
            "claims": claims,
            # A claim whose passage changed is highlighted nowhere, never at a wrong place.
            "anchored": [claim for claim in claims if claim.is_anchored],
            "unanchored": [claim for claim in claims if not claim.is_anchored],
            "counts": counts,
            "statuses_present": [status for status in Status if counts[status]],
            "text_changed_at": revisions[-1]["saved_at"] if len(revisions) > 1 else None,
            "review": review,
            "review_jsonld": (
                jsonld.script_json(jsonld.article_review(review, request.build_absolute_uri))
                if review
                else ""
            ),
        },
    )


def article_revisions(request, slug):
    """The article's corrections: for each new version of its text, what changed."""
    article, renamed = get_article(slug)
    if renamed:
        return redirect("article_revisions", article.slug, permanent=True)
    revisions = article.text_revisions()
    corrections = [
        {
            "saved_at": new["saved_at"],
            "changes": textdiff.changed_paragraphs(old["text"], new["text"]),
        }
        for old, new in zip(revisions, revisions[1:], strict=False)
    ]
    context = {
        "article": article,
        "first_saved_at": revisions[0]["saved_at"] if revisions else None,
        "corrections": corrections[::-1],
    }
    return render(request, "claims/article_revisions.html", context)


def changes(request):
    """The public corrections log, filtered by kind, article and date."""
    log = (
        ClaimChange.objects.public()
        .select_related("claim__article", "changed_by__staff_profile")
        .defer("claim__article__text")
    )
    filterset = ChangeFilter(request.GET, queryset=log)
    context = {"filter": filterset, "query": query_without_page(request)}
    if not filterset.is_valid():
        return render(request, "claims/changes.html", context, status=400)
    context.update(article_matches(request, filterset))
    try:
        context["page"] = paginate(request, filterset.qs, CHANGES_PER_PAGE)
    except (BadPage, PastTheEnd) as error:
        return page_problem(request, "claims/changes.html", context, error)
    return render(request, "claims/changes.html", context)


def source_list(request):
    """The sources published claims rest on, a page at a time: searched, filtered by journal,
    year and kind, sorted (filters.SourceFilter), each with its count of published claims.
    One query per page, two when sorted by most cited (to see whether there are too many)."""
    sources = Citation.objects.public().with_public_claims()
    sources = sources.order_by(*SourceFilter.SORTS[SourceFilter.DEFAULT_SORT][1])
    filterset = SourceFilter(request.GET, queryset=sources)
    context = {
        "filter": filterset,
        "query": query_without_page(request),
        "most_cited_at_most": MOST_CITED_AT_MOST,
    }
    if not filterset.is_valid():
        return render(request, "claims/source_list.html", context, status=400)
    try:
        context["page"] = paginate(request, filterset.qs, SOURCES_PER_PAGE)
    except (BadPage, PastTheEnd) as error:
        return page_problem(request, "claims/source_list.html", context, error)
    context["unranked"] = filterset.unranked
    return render(request, "claims/source_list.html", context)


def source_detail(request, slug):
    """A source: what it is, its identifiers, and the published claims resting on it, with
    what it shows for each, a page at a time. Three queries: the source with its count, its
    notices (retractions, corrections), a page of its evidence with the claims and articles.
    A source no published claim rests on is not found, as the drafts that cite it are not."""
    source = get_object_or_404(Citation.objects.public().with_public_claims(), slug=slug)
    evidence = (
        Evidence.objects.public()
        .filter(citation=source)
        .select_related("claim__article")
        .only(
            "stance",
            "note",
            "citation",
            "claim",
            "claim__slug",
            "claim__statement",
            "claim__status",
            "claim__quote_start",
            "claim__published_at",
            "claim__withdrawn_at",
            "claim__article",
            "claim__article__slug",
            "claim__article__title",
        )
        # Article order, as the claim list's: an article's claims together, in text order.
        .order_by("claim__article__title", "claim__quote_start", "pk")
    )
    context = {
        "source": source,
        "notices": list(source.notices.all()),
        "query": query_without_page(request),
    }
    try:
        page = paginate(request, evidence, SOURCE_CLAIMS_PER_PAGE)
    except (BadPage, PastTheEnd) as error:
        return page_problem(request, "claims/source_detail.html", context, error)
    for item in page.object_list:
        item.citation = source  # the page names it once; no query per row
    context["page"] = page
    return render(request, "claims/source_detail.html", context)


def export_response(streaming_content, content_type, extension):
    response = StreamingHttpResponse(streaming_content, content_type=content_type)
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="claimtrack-claims-{stamp}.{extension}"'
    )
    return response


def invalid_filters(request, filterset):
    """The list page's 400, so a bad export link explains itself like a bad list link."""
    context = {"filter": filterset, "query": query_without_page(request)}
    return render(request, "claims/claim_list.html", context, status=400)


def json_errors(error, form):
    """A 400 a program can read: {"error": what was wrong, "errors": {field: [messages]}}
    ("__all__" for what concerns no one field)."""
    errors = {
        name: [item["message"] for item in messages]
        for name, messages in form.errors.get_json_data().items()
    }
    return JsonResponse({"error": error, "errors": errors}, status=400)


def export_csv(request):
    """The CSV, a UTF-8 byte-order mark first unless ?bom=0. A bad filter or bom value is the
    list page's 400: a CSV link is opened by a person more often than by a program."""
    filterset = filtered_claims(request)
    options = CsvExportForm(request.GET)
    valid = filterset.is_valid()
    if not options.is_valid():
        for message in options.errors["bom"]:
            filterset.form.add_error(None, message)
        valid = False
    if not valid:
        return invalid_filters(request, filterset)
    lines = exports.csv_lines(filterset.qs, request.build_absolute_uri)
    if options.wants_bom():
        lines = exports.csv_with_bom(lines)
    return export_response(lines, "text/csv; charset=utf-8", "csv")


def export_json(request):
    """The JSON document; a bad filter is a JSON 400 naming each field's problem."""
    filterset = filtered_claims(request)
    if not filterset.is_valid():
        return json_errors("invalid filters", filterset.form)
    filters = {name: value for name, value in request.GET.items() if name in filterset.filters}
    chunks = exports.json_chunks(filterset.qs, request.build_absolute_uri, filters)
    return export_response(chunks, "application/json", "json")


def healthz(request):
    """200 when the database answers a query, 503 with the reason when it does not.

    The reason is the driver's last words ("Connection refused", "database "x" is not
    currently accepting connections"), without the host and port it may name first."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        first_line = (str(error).strip().splitlines() or [""])[0]
        reason = first_line.rsplit(": ", 1)[-1].strip() or type(error).__name__
        return HttpResponse(
            f"database unavailable: {reason}\n", status=503, content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")
