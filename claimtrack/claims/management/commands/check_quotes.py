"""Check that every claim's quote still stands in its article, where its offsets say.

Fixtures and the admin refuse a bad quote, and a corrected article re-anchors its claims, but
rows can be written by other means; run this in CI and after bulk edits. Exits non-zero on any
mismatch. Claims whose passage was reworded or removed (not anchored) are counted, not checked:
they are not expected in place, and the admin lists them for editors.
"""

from django.core.management.base import BaseCommand, CommandError

from claimtrack.claims.models import AnchorState, Claim


class Command(BaseCommand):
    help = "Check every claim's quote against its article's text; exit 1 on any mismatch."

    def handle(self, *args, **options):
        mismatches = []
        claims = (
            Claim.objects.filter(anchor=AnchorState.ANCHORED)
            .select_related("article")
            .order_by("article__slug", "slug")
        )
        for claim in claims.iterator(chunk_size=500):
            text = claim.article.text
            if text[claim.quote_start : claim.quote_end] == claim.quote:
                continue
            where = "at other offsets" if claim.quote in text else "nowhere"
            mismatches.append(
                f"{claim.article.slug}/{claim.slug}: quote is {where} in the article text"
            )
        for line in mismatches:
            self.stderr.write(line)
        if mismatches:
            raise CommandError(f"{len(mismatches)} claim(s) do not match their article.")
        if options["verbosity"]:
            self.stdout.write(f"All {claims.count()} quotes found in their articles.")
            unanchored = Claim.objects.unanchored().count()
            if unanchored:
                self.stdout.write(f"{unanchored} claim(s) whose passage changed await editors.")
