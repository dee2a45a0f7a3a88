"""The corrections log as Atom feeds: every public change, an article's changes, and verdicts
given or changed only; newest first, each entry titled in plain words."""

import copy

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claimtrack.claims.models import (
    Article,
    Certainty,
    ChangeKind,
    ClaimChange,
    StaffProfile,
    Status,
    public_name_of,
)
from claimtrack.claims.templatetags.claims_extras import EDITORS

FEED_LENGTH = 50

# What happened, by kind, as the start of an entry's title. A verdict's says more (verdict_news).
NEWS = {
    ChangeKind.CORRECTION: "Wording corrected",
    ChangeKind.PASSAGE: "Its passage was changed or removed in the article",
    ChangeKind.WITHDRAWAL: "Withdrawn",
    ChangeKind.RECHECK: "Checked again, the verdict stands",
}
# Evidence summaries start with the verb record_evidence_change gave them.
EVIDENCE_NEWS = {
    "Added": "Evidence added",
    "Revised": "Evidence revised",
    "Removed": "Evidence removed",
}


def status_label(value):
    return Status(value).label


def certainty_words(value):
    return Certainty(value).label.lower() if value else "not given"


def verdict_news(change):
    """A verdict change in words, from the status and certainty labels (never their keys):
    "Rated Supported", "Now rated Overstated (was Supported)", "Still rated Supported, certainty
    now low (was moderate)", "Still rated Supported, rationale revised"."""
    old, new = change.old_status, change.new_status
    unrated = ("", Status.UNREVIEWED)
    if new in unrated:
        if old in unrated:
            return "Published, not rated yet"
        return f"No longer rated (was {status_label(old)})"
    if old in unrated:
        return f"Rated {status_label(new)}"
    if old != new:
        return f"Now rated {status_label(new)} (was {status_label(old)})"
    if change.old_certainty != change.new_certainty:
        return (
            f"Still rated {status_label(new)}, certainty now "
            f"{certainty_words(change.new_certainty)} "
            f"(was {certainty_words(change.old_certainty)})"
        )
    return f"Still rated {status_label(new)}, rationale revised"


def news(change):
    """What the change did, in a few plain words (the start of its entry's title)."""
    if change.kind == ChangeKind.VERDICT:
        return verdict_news(change)
    if change.kind == ChangeKind.EVIDENCE:
        verb = change.summary.split(" ", 1)[0]
        return EVIDENCE_NEWS.get(verb, "Evidence changed")
    return NEWS.get(change.kind) or ChangeKind(change.kind).label


def as_sentence(text):
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


class TextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are declared text, as they are: a note is plain words, and
    under Django's type="html" a feed reader that does not sanitise would run markup in it."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ChangesFeed(Feed):
    feed_type = TextAtomFeed
    title = "claimtrack: corrections log"
    subtitle = "Every verdict claimtrack gave or changed, with what it was before and why."
    author_name = "claimtrack"

    def __call__(self, request, *args, **kwargs):
        # One Feed instance serves every request: each gets its own copy to hold its request
        # (the authors' pages are absolute addresses on the host it asked).
        feed = copy.copy(self)
        feed.request = request
        return super(ChangesFeed, feed).__call__(request, *args, **kwargs)

    def link(self):
        return reverse("changes")

    def changes(self):
        """The public log (never a draft's), with what an entry reads: one query."""
        return (
            ClaimChange.objects.public()
            .select_related("claim__article", "changed_by__staff_profile")
            .defer("claim__article__text")
        )

    def items(self):
        return self.changes()[:FEED_LENGTH]

    def item_title(self, change):
        return f"{news(change)}: {change.claim.statement}"

    def item_description(self, change):
        """Why, after what exactly changed when the title does not say it (which source, which
        wording): a verdict's title says it all."""
        what = "" if change.kind == ChangeKind.VERDICT else as_sentence(change.summary)
        text = " ".join(part for part in (what, change.note.strip()) if part)
        return text or "No reason recorded."

    def item_link(self, change):
        # Each entry needs its own id; the claim's page with an anchor is both link and id.
        return f"{change.claim.get_absolute_url()}#change-{change.pk}"

    def item_pubdate(self, change):
        return change.changed_at

    def item_updateddate(self, change):
        return change.changed_at

    def item_author_name(self, change):
        """The public name, never the login name (select_related the profile with it)."""
        if change.changed_by is None:
            return EDITORS
        return public_name_of(change.changed_by)

    def item_author_link(self, change):
        """The author's page, when they have one (as claims_extras.person links it)."""
        user = change.changed_by
        if user is None or not (user.is_active and user.is_staff):
            return None
        try:
            profile = user.staff_profile
        except StaffProfile.DoesNotExist:
            return None
        return self.request.build_absolute_uri(profile.get_absolute_url())


class VerdictsFeed(ChangesFeed):
    """Verdicts given or changed, nothing else (read off claimchange_kind_date_idx)."""

    title = "claimtrack: verdicts given or changed"
    subtitle = "Every verdict claimtrack gave or changed, with what it was before and why."

    def link(self):
        return f"{reverse('changes')}?kind={ChangeKind.VERDICT}"

    def items(self):
        return self.changes().filter(kind=ChangeKind.VERDICT)[:FEED_LENGTH]


class ArticleFeed(ChangesFeed):
    """One article's claims' public changes. An old slug (the article was renamed) redirects
    to the feed's new address; an unknown one is a 404. Two queries: the article, the changes."""

    def __call__(self, request, slug):
        article = Article.objects.defer("text").filter(slug=slug).first()
        if article is None:
            renamed = Article.objects.renamed_from(slug)
            if renamed is None:
                raise Http404("No such article.")
            return redirect("article_feed", renamed.slug, permanent=True)
        return super().__call__(request, article=article)

    def get_object(self, request, article):
        return article

    def title(self, article):
        return f"claimtrack: corrections to the claims in “{article.title}”"

    def subtitle(self, article):
        return (
            "Every verdict given or changed, evidence added or removed, wording corrected and "
            "claim withdrawn among the claims claimtrack quotes from this article."
        )

    def link(self, article):
        return article.get_absolute_url()

    def items(self, article):
        return self.changes().filter(claim__article=article)[:FEED_LENGTH]
