"""The corrections log as an Atom feed: every verdict given or changed, newest first."""

import copy

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claimtrack.claims.models import ClaimChange, StaffProfile, public_name_of
from claimtrack.claims.templatetags.claims_extras import EDITORS

FEED_LENGTH = 50


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

    def items(self):
        changes = ClaimChange.objects.public().select_related(
            "claim__article", "changed_by__staff_profile"
        )
        return changes.defer("claim__article__text")[:FEED_LENGTH]

    def item_title(self, change):
        return f"{change}: {change.claim.statement}"

    def item_description(self, change):
        return change.note or "No reason recorded."

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
