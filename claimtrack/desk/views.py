"""Editors' and reviewers' pages. They validate with forms and act through the rules in
claimtrack.claims (model methods); nothing here decides what a claim may be."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from claimtrack.claims.models import REVIEW_CLAIM, Claim, Flag, StaffProfile

from .forms import EmailSettingsForm


@staff_member_required
def index(request):
    return redirect("desk:my_work")


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
    # Claims I drafted that await review: to come with drafts (another branch adds them); their
    # queryset goes here and their section in templates/desk/my_work.html ("drafts" block).
    profile = StaffProfile.objects.of(user)
    context = {
        **admin.site.each_context(request),
        "title": "My work",
        "flags": list(flags),
        "may_review": may_review,
        "quotes_to_confirm": list(quotes_to_confirm),
        "email_form": EmailSettingsForm(initial={"email_on_flags": profile.email_on_flags}),
    }
    return render(request, "desk/my_work.html", context)


@require_POST
@staff_member_required
def email_settings(request):
    form = EmailSettingsForm(request.POST)
    if form.is_valid():  # an unticked box is a valid "no"
        wanted = form.cleaned_data["email_on_flags"]
        StaffProfile.objects.set_email_on_flags(request.user, wanted)
        told = "You will be emailed about flags." if wanted else "No more emails about flags."
        messages.success(request, told)
    return redirect("desk:my_work")
