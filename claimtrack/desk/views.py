"""Editors' and reviewers' pages. They validate with forms and act through the rules in
claimtrack.claims (model methods); nothing here decides what a claim may be."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render

from .forms import IntakeForm
from .intake import FetchFailed, fetch_article

ACTIONS = ("fetch", "preview", "save")


@staff_member_required
def index(request):
    return redirect("admin:index")


@staff_member_required
@permission_required("claims.add_article", raise_exception=True)
def intake(request):
    """Add an article: paste its text or fetch its page, preview it as it will be stored, save.
    Each button posts the whole form, so nothing typed is lost between steps."""
    context = {"preview": None, "fetched": None, "text_kept": False}
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
        form = IntakeForm(request.POST)
        if form.is_valid() and action == "save":
            return add_article(request, form)
        if form.is_valid():
            article = form.instance  # not saved: what the save would store
            context.update(preview=article, paragraphs=article.text.split("\n\n"))
    return render(
        request,
        "desk/intake.html",
        {**admin.site.each_context(request), **context, "form": form, "title": "Add an article"},
    )


def add_article(request, form):
    article = form.save(commit=False)
    article._history_user = request.user
    article._change_reason = "Added through the desk"
    article.save()
    messages.success(request, f"The article “{article}” was added.")
    # For now: the claim workspace will take over from here.
    return redirect("admin:claims_article_change", article.pk)
