"""Editors' and reviewers' pages. They validate with forms and act through the rules in
claimtrack.claims (model methods); nothing here decides what a claim may be."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect

from claimtrack.claims.forms import FlagForm
from claimtrack.claims.views import claims_for_page, render_claim


@staff_member_required
def index(request):
    return redirect("admin:index")


@staff_member_required
def claim_preview(request, pk):
    """The claim's public page as it will look once published: drafts included, staff only."""
    if not request.user.has_perm("claims.view_claim"):
        raise PermissionDenied("You are not allowed to see claims.")
    claim = get_object_or_404(claims_for_page(), pk=pk)
    return render_claim(request, claim, FlagForm(), preview=True)
