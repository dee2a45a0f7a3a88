"""Check that every claim's quote still stands in its article, where its offsets say.

Fixtures and the admin refuse a bad quote, but an article's text can be edited, or rows written
by other means; run this in CI and after bulk edits. Exits non-zero on any mismatch.
"""

from django.core.management.base import BaseCommand, CommandError

from claimtrack.claims.models import Claim


class Command(BaseCommand):
    help = "Check every claim's quote against its article's text; exit 1 on any mismatch."

    def handle(self, *args, **options):
        mismatches = []
        claims = Claim.objects.select_related("article").order_by("article__slug", "slug")
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
