"""Editors' and reviewers' pages. They validate with forms and act through the rules in
claimtrack.claims (model methods); nothing here decides what a claim may be."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claimtrack.claims.citation_lookup import look_up_citation, may_look_up_citations
from claimtrack.claims.forms import FlagForm
from claimtrack.claims.models import (
    PUBLISH_CLAIM,
    REVIEW_CLAIM,
    Article,
    Citation,
    Claim,
    Flag,
    StaffProfile,
    StaleEdit,
    verdict_problems,
)
from claimtrack.claims.views import claims_for_page, render_claim
from claimtrack.watch import spin

from . import candidates as candidate_marking
from .forms import (
    EmailSettingsForm,
    EvidenceForm,
    IntakeForm,
    NewClaimForm,
    SimilarClaimsForm,
    VerdictForm,
)
from .intake import FetchFailed, fetch_article
from .models import DismissedSentence
from .similar import similar_claims
from .workspace import claim_spans, open_candidates, workspace_html

VIEW_CLAIMS = "claims.view_claim"
ACTIONS = ("fetch", "preview", "save")


def require_view(user):
    if not user.has_perm(VIEW_CLAIMS):
        raise PermissionDenied("You are not allowed to see claims.")


# How each kind of failed lookup answers: the editor typed something wrong, the services have
# no such record, or they could not be asked.
LOOKUP_STATUS = {"invalid": 400, "not_found": 404, "unavailable": 502}


@staff_member_required
def index(request):
    return redirect("desk:my_work")


@staff_member_required
def claim_preview(request, pk):
    """The claim's public page as it will look once published: drafts included, staff only."""
    require_view(request.user)
    claim = get_object_or_404(claims_for_page(), pk=pk)
    return render_claim(request, claim, FlagForm(), preview=True)


@staff_member_required
@permission_required("claims.add_article", raise_exception=True)
def intake(request):
    """Add an article: paste its text or fetch its page, preview it as it will be stored, save.
    Each button posts the whole form, so nothing typed is lost between steps."""
    context = {"preview": None, "fetched": None, "text_kept": False}
    status = 200  # 400 when what was typed is refused (a failed fetch is not the form's fault)
    action = request.POST.get("action")
    if request.method != "POST":
        form = IntakeForm()
    elif action not in ACTIONS:
        return HttpResponseBadRequest("Unknown action: use the form's buttons.")
    elif action == "fetch":
        form = IntakeForm(request.POST, fetching=True)
        if form.is_valid():
            try:
                page = fetch_article(form.cleaned_data["fetch_url"])
            except FetchFailed as failure:
                form.add_error("fetch_url", ValidationError(str(failure), code=failure.code))
            else:
                context.update(fetched=page, text_kept=form.text_was_kept(page))
                form = IntakeForm(form.filled_from(page), fetching=True)
        else:
            status = 400
    else:
        form = IntakeForm(request.POST)
        if form.is_valid() and action == "save":
            try:
                return add_article(request, form)
            except IntegrityError:  # another editor took the slug between the check and save
                form.add_error("slug", "This slug was just taken; save again for a new one.")
        if form.is_valid():
            article = form.instance  # not saved: what the save would store
            context.update(preview=article, paragraphs=article.text.split("\n\n"))
        else:
            status = 400
    return render(
        request,
        "desk/intake.html",
        {**admin.site.each_context(request), **context, "form": form, "title": "Add an article"},
        status=status,
    )


def add_article(request, form):
    article = form.save(commit=False)
    article._history_user = request.user
    article._change_reason = "Added through the desk"
    with transaction.atomic():
        article.save()
    messages.success(request, f"The article “{article}” was added.")
    return redirect(workspace_url(article))


# The claim workspace: one page per article, the text on the left, the claim at hand on the
# right. Every form posts back to it; with JavaScript the page swaps itself in place.


def workspace_url(article, claim=None):
    url = reverse("desk:workspace", args=[article.slug])
    return f"{url}?claim={claim.pk}#panel" if claim else url


def render_workspace(request, article, *, selected=None, status=200, **forms):
    claims = list(article.claims.select_related("group").order_by("quote_start", "pk"))
    spans = claim_spans(claims)
    dismissed = set(article.dismissed_sentences.values_list("sentence", flat=True))
    marked = candidate_marking.candidate_sentences(article.text)
    candidates = open_candidates(article.text, marked, spans, dismissed)
    new_form = forms.get("new_form")
    if new_form is None:
        initial = {}
        start, end = request.GET.get("start", ""), request.GET.get("end", "")
        if start.isdigit() and end.isdigit() and int(start) < int(end) <= len(article.text):
            initial = {"quote": article.text[int(start) : int(end)], "start": int(start)}
        new_form = NewClaimForm(article=article, initial=initial)
    context = {
        **admin.site.each_context(request),
        "title": f"Claim workspace: {article.title}",
        "article": article,
        "text_html": workspace_html(article.text, spans, candidates, selected),
        "claims": claims,
        "candidate_count": len(candidates),
        "new_form": new_form,
        "similar": forms.get("similar", []),
        "selected": selected,
        "can_publish": request.user.has_perm(PUBLISH_CLAIM),
    }
    if selected is not None:
        evidence = list(selected.evidence.select_related("citation"))
        context["evidence"] = evidence
        # Read with the evidence already in hand: the hints cost no query.
        backing = spin.backing_from(evidence, selected.certainty)
        context["spin_hints"] = spin.grouped(spin.claim_hints(selected, backing))
        context["verdict_form"] = forms.get("verdict_form") or VerdictForm(
            initial={
                "seen_version": selected.version,
                "status": selected.status,
                "certainty": selected.certainty,
                "rationale": selected.rationale,
            }
        )
        context["evidence_form"] = forms.get("evidence_form") or EvidenceForm()
        context["problems"] = [] if selected.is_published else selected.publication_problems()
    return render(request, "desk/workspace.html", context, status=status)


def get_article_for_desk(request, slug):
    require_view(request.user)
    return get_object_or_404(Article, slug=slug)


def get_claim_for_desk(request, pk):
    require_view(request.user)
    return get_object_or_404(Claim.objects.select_related("article", "group"), pk=pk)


@staff_member_required
def workspace(request, slug):
    article = get_article_for_desk(request, slug)
    selected = None
    if request.GET.get("claim", "").isdigit():
        selected = article.claims.filter(pk=request.GET["claim"]).first()
    return render_workspace(request, article, selected=selected)


@staff_member_required
@require_POST
def add_claim(request, slug):
    """A new draft claim from a selected or pasted passage. "Check" shows where the quote
    stands and the claims that say much the same thing, and saves nothing."""
    article = get_article_for_desk(request, slug)
    form = NewClaimForm(request.POST, article=article)
    if not form.is_valid() or "check" in request.POST:
        statement = form.cleaned_data.get("statement", "") if form.is_bound else ""
        similar = similar_claims(statement) if len(statement) >= 10 else []
        return render_workspace(
            request, article, new_form=form, similar=similar, status=200 if form.is_valid() else 400
        )
    data = form.cleaned_data
    claim = Claim(
        article=article,
        quote=data["quote"],
        quote_start=data["start"],
        statement=data["statement"],
        topic=data["topic"],
        group=data["group"],
        slug=Claim.objects.free_slug(article, data["statement"]),
    )
    try:
        with transaction.atomic():
            claim.full_clean()  # pins the quote at the chosen place, in the article's characters
            claim.save_edit(by=request.user, note="Drafted in the claim workspace.")
            if data["tags"]:
                claim.reason_tags.set(data["tags"])
                claim.refresh_search_document()  # save_edit wrote it before the tags were set
    except ValidationError as error:
        form.add_error(None, error)
        return render_workspace(request, article, new_form=form, status=400)
    messages.success(request, f"Draft claim saved: “{claim.statement}”.")
    return redirect(workspace_url(article, claim))


@staff_member_required
@require_POST
def set_verdict(request, pk):
    claim = get_claim_for_desk(request, pk)
    form = VerdictForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            claim.change_verdict(
                by=request.user,
                status=data["status"],
                certainty=data["certainty"],
                rationale=data["rationale"],
                note=data["note"],
                expected_version=data["seen_version"],
            )
        except StaleEdit as error:
            form.add_error(None, f"{error} Reload the claim to see what changed.")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Verdict saved.")
            return redirect(workspace_url(claim.article, claim))
    return render_workspace(request, claim.article, selected=claim, verdict_form=form, status=400)


@staff_member_required
@require_POST
def add_evidence(request, pk):
    """Evidence from a DOI or PMID (looked up and added to the citations, or the one on file
    reused), or from a citation on file named by words of its title or authors."""
    claim = get_claim_for_desk(request, pk)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            citation = find_or_add_citation(request.user, data["source"])
        except ValidationError as error:
            form.add_error("source", error)
        else:
            try:
                claim.add_evidence(
                    by=request.user, citation=citation, stance=data["stance"], note=data["note"]
                )
            except ValidationError as error:
                form.add_error(None, ValidationError(error.messages))
        if form.is_valid():
            messages.success(request, f"Evidence added: {citation.short_label}.")
            return redirect(workspace_url(claim.article, claim))
    return render_workspace(request, claim.article, selected=claim, evidence_form=form, status=400)


def find_or_add_citation(user, source):
    """The citation a DOI or PMID names (on file, or looked up and added), or the one citation
    on file whose title or authors contain the words typed."""
    found = look_up_citation(source)
    if found.existing:
        return found.existing
    if found.error and found.problem != "invalid":
        raise ValidationError(found.error + " Or add the citation in the admin.", code="source")
    if not found.error:
        service = "Crossref" if found.fields.get("doi") else "PubMed"
        checked = f"The {service} record for its identifier, looked up by the desk."
        citation, _ = Citation.objects.reuse_or_add(by=user, fields=found.fields, checked=checked)
        return citation
    found = list(Citation.objects.matching(source.split())[:6])
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(
            f"No citation on file matches “{source}”. Paste its DOI or PMID to add it.",
            code="source",
        )
    names = "; ".join(f"{c.short_label}: {c.title}" for c in found[:5])
    raise ValidationError(
        f"Several citations match: {names}. Add a word, or paste the DOI or PMID.", code="source"
    )


@staff_member_required
@require_POST
def publish(request, pk):
    claim = get_claim_for_desk(request, pk)
    try:
        claim.publish(by=request.user)
    except ValidationError as error:
        messages.error(request, "Not published: " + " ".join(error.messages))
    else:
        messages.success(request, f"Published: “{claim.statement}”.")
    return redirect(workspace_url(claim.article, claim))


@staff_member_required
@require_POST
def dismiss_candidate(request, slug):
    """Stop marking a sentence as a candidate claim in this article."""
    article = get_article_for_desk(request, slug)
    if not request.user.has_perm("claims.change_claim"):
        raise PermissionDenied("You are not allowed to draft claims.")
    sentence = request.POST.get("sentence", "")
    if not sentence or sentence not in article.text:
        messages.error(request, "That sentence is not in the article.")
    else:
        DismissedSentence.objects.get_or_create(
            article=article, sentence=sentence, defaults={"dismissed_by": request.user}
        )
    return redirect(workspace_url(article))


# How each kind of failed lookup answers: the editor typed something wrong, the services have
# no such record, or they could not be asked.
LOOKUP_STATUS = {"invalid": 400, "not_found": 404, "unavailable": 502}


@require_GET
def lookup_citation(request):
    """JSON for the citation form's "Look up" (static/desk/citation_lookup.js):
    {"fields": {...}}, {"existing": {"label", "admin_url"}} or {"error": "..."}.

    ?identifier= is the DOI or PMID as typed; ?citation= the pk of the citation being edited."""
    if not may_look_up_citations(request.user):
        # JSON, not the login page staff_member_required redirects to: a script reads it.
        error = "Only editors and reviewers may look citations up. Log in again if you are one."
        return JsonResponse({"error": error}, status=403)
    editing = request.GET.get("citation", "")
    found = look_up_citation(
        request.GET.get("identifier", ""), editing=int(editing) if editing.isdigit() else None
    )
    if found.existing:
        url = reverse("admin:claims_citation_change", args=[found.existing.pk])
        return JsonResponse({"existing": {"label": str(found.existing), "admin_url": url}})
    if found.error:
        return JsonResponse({"error": found.error}, status=LOOKUP_STATUS[found.problem])
    return JsonResponse({"fields": found.fields})


@require_GET
def similar(request):
    """The claims that read like ?statement=..., for the claim workspace to offer their groups:
    {"claims": [...]}, best first. ?exclude=<claim id> leaves out the claim being edited."""
    # A lookup called from a page, not a page: an answer it can read, not a login redirect.
    # Drafts are among the claims found: only those who may see claims, not any staff member.
    if not (
        request.user.is_active and request.user.is_staff and request.user.has_perm(VIEW_CLAIMS)
    ):
        error = "Only editors and reviewers can look up similar claims."
        return JsonResponse({"error": error}, status=403)
    form = SimilarClaimsForm(request.GET)
    if not form.is_valid():
        errors = form.errors.get_json_data()
        first = next(iter(errors.values()))[0]["message"]
        return JsonResponse({"error": first, "errors": errors}, status=400)
    claims = similar_claims(form.cleaned_data["statement"], exclude=form.cleaned_data["exclude"])
    return JsonResponse({"claims": [similar_record(claim) for claim in claims]})


def similar_record(claim):
    group = claim.group
    return {
        "id": claim.pk,
        "statement": claim.statement,
        "article": claim.article.title,
        "status": claim.status,
        "status_label": claim.get_status_display(),
        "group": {"id": group.pk, "name": group.name} if group else None,
        "url": reverse("admin:claims_claim_change", args=[claim.pk]),
        "score": round(claim.score, 3),
    }


@require_GET
def citation_search(request):
    """Citations on file whose title, authors, journal, DOI or PMID match ?q=, for the evidence
    form's autocomplete: {"citations": [{"label", "source"}]}, source being what to put in the
    form (the DOI, else the PMID, else the title)."""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("claims.view_citation")):
        return JsonResponse(
            {"error": "Only editors and reviewers can search citations."}, status=403
        )
    words = request.GET.get("q", "").split()[:8]
    if not words or len(" ".join(words)) < 3:
        return JsonResponse({"citations": []})
    matches = Citation.objects.matching(words)
    return JsonResponse(
        {
            "citations": [
                {
                    "label": f"{c.short_label}: {c.title}",
                    "source": c.doi or (f"PMID {c.pmid}" if c.pmid else c.title),
                }
                for c in matches.order_by("-year", "slug")[:10]
            ]
        }
    )


@staff_member_required
def my_work(request):
    """What waits for the logged-in person: their open flags, soonest due first; the claims
    whose quote needs confirming, for those who may review claims. A fixed number of queries."""
    user = request.user
    flags = Flag.objects.open().assigned_to(user).by_due_date().select_related("claim", "reason")
    may_review = user.has_perm(REVIEW_CLAIM)
    quotes_to_confirm = (
        Claim.objects.unanchored()
        .select_related("article")
        .defer("article__text")  # the rows need the title, not the whole article
        .order_by("passage_changed_at", "pk")
        if may_review
        else Claim.objects.none()
    )
    # Claims I drafted that are not published yet; an editor also sees everyone's drafts
    # that are ready to publish.
    drafts = Claim.objects.drafts().select_related("article").defer("article__text")
    my_drafts = drafts.filter(drafted_by=user).order_by("created_at", "pk")
    ready = []
    if user.has_perm(PUBLISH_CLAIM):
        ready = [
            c
            for c in drafts.exclude(drafted_by=user).prefetch_related("evidence")
            if not verdict_problems(c.status, c.rationale, {e.stance for e in c.evidence.all()})
        ]
    profile = StaffProfile.objects.of(user)
    context = {
        **admin.site.each_context(request),
        "title": "My work",
        "flags": list(flags),
        "may_review": may_review,
        "quotes_to_confirm": list(quotes_to_confirm),
        "my_drafts": list(my_drafts),
        "ready_to_publish": ready,
        "email_form": EmailSettingsForm(
            initial={"email_on_flags": profile.email_on_flags, "email_digest": profile.email_digest}
        ),
    }
    return render(request, "desk/my_work.html", context)


@require_POST
@staff_member_required
def email_settings(request):
    form = EmailSettingsForm(request.POST)
    if form.is_valid():  # an unticked box is a valid "no"
        wanted = form.cleaned_data["email_on_flags"]
        digest = form.cleaned_data["email_digest"]
        StaffProfile.objects.set_emails(request.user, email_on_flags=wanted, email_digest=digest)
        told = "You will be emailed about flags." if wanted else "No more emails about flags."
        told += " " + ("You will get the weekly digest." if digest else "No weekly digest.")
        messages.success(request, told)
    return redirect("desk:my_work")
