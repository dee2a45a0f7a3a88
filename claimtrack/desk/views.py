"""Editors' and reviewers' pages. They validate with forms and act through the rules in
claimtrack.claims (model methods); nothing here decides what a claim may be."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from claimtrack.claims.citation_lookup import look_up_citation, may_look_up_citations

# How each kind of failed lookup answers: the editor typed something wrong, the services have
# no such record, or they could not be asked.
LOOKUP_STATUS = {"invalid": 400, "not_found": 404, "unavailable": 502}


@staff_member_required
def index(request):
    return redirect("admin:index")


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
