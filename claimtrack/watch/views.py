"""The review queue: claims whose verdict is due for review, for staff who may see claims."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from claimtrack.claims.models import REVIEW_CLAIM, Claim
from claimtrack.claims.paginators import BadPage, PastTheEnd
from claimtrack.claims.views import paginate, query_without_page

from .due import due_claims
from .forms import ConfirmForm, QueueForm
from .spin import RULES_BY_ID, claims_with_hint

VIEW_CLAIMS = "claims.view_claim"
DUE_PER_PAGE = 25


def queue_context(request, **extra):
    return {
        **admin.site.each_context(request),
        "title": "Reviews due",
        "today": timezone.localdate(),
        "may_review": request.user.has_perm(REVIEW_CLAIM),
        **extra,
    }


@staff_member_required
def due_queue(request):
    """The claims due or overdue for review, most open flags first (or most read, or longest
    overdue), one topic or all, a page at a time. One query for the page (each claim's counts
    are subqueries of it), besides the admin's own (the session, the user, permissions). A
    spin hint filter keeps the claims the rule finds words in (claims_with_hint)."""
    if not request.user.has_perm(VIEW_CLAIMS):
        raise PermissionDenied("You are not allowed to see claims.")
    form = QueueForm(request.GET)
    context = queue_context(request, form=form, query=query_without_page(request))
    if not form.is_valid():
        return render(request, "watch/due.html", context, status=400)
    claims = due_claims(topic=form.cleaned_data["topic"], sort=form.cleaned_data["sort"])
    if form.cleaned_data["hint"]:
        # Two queries more: the rule's candidates among the due claims, then the page of them.
        pks, context["hints_complete"] = claims_with_hint(
            claims, RULES_BY_ID[form.cleaned_data["hint"]]
        )
        claims = claims.filter(pk__in=pks)
    try:
        context["page"] = paginate(request, claims, DUE_PER_PAGE)
    except (BadPage, PastTheEnd) as error:
        context["page_error"] = str(error)
        return render(
            request, "watch/due.html", context, status=404 if isinstance(error, PastTheEnd) else 400
        )
    context["confirm_form"] = ConfirmForm()
    return render(request, "watch/due.html", context)


@require_POST
@staff_member_required
def confirm(request, pk):
    """A reviewer checked the claim again and its verdict stands (Claim.confirm_verdict)."""
    if not request.user.has_perm(REVIEW_CLAIM):
        raise PermissionDenied("You are not allowed to confirm verdicts.")
    claim = get_object_or_404(Claim.objects.published(), pk=pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            claim.confirm_verdict(by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        context = queue_context(request, claim=claim, confirm_form=form)
        return render(request, "watch/confirm.html", context, status=400)
    messages.success(
        request,
        f"The verdict on “{claim.statement[:80]}” stands; its next review is due on "
        f"{claim.review_due_on:%d %b %Y}.",
    )
    return redirect("watch:due")
