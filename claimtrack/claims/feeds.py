"""The corrections log as an Atom feed: every verdict given or changed, newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claimtrack.claims.models import ClaimChange
from claimtrack.claims.templatetags.claims_extras import person

FEED_LENGTH = 50


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "claimtrack: corrections log"
    subtitle = "Every verdict claimtrack gave or changed, with what it was before and why."
    author_name = "claimtrack"

    def link(self):
        return reverse("changes")

    def items(self):
        changes = ClaimChange.objects.public().select_related("claim__article", "changed_by")
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
        return person(change.changed_by)
