"""Editors' and reviewers' pages. They validate with forms and act through the rules in
claimtrack.claims (model methods); nothing here decides what a claim may be."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from .forms import SimilarClaimsForm
from .similar import similar_claims


@staff_member_required
def index(request):
    return redirect("admin:index")


@require_GET
def similar(request):
    """The claims that read like ?statement=..., for the claim workspace to offer their groups:
    {"claims": [...]}, best first. ?exclude=<claim id> leaves out the claim being edited."""
    # A lookup called from a page, not a page: an answer it can read, not a login redirect.
    if not (request.user.is_active and request.user.is_staff):
        return JsonResponse({"error": "Only staff can look up similar claims."}, status=403)
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
