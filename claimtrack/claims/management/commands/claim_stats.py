"""Print how many claims each article has, by status: a quick view of the review's state."""

from django.core.management.base import BaseCommand

from claimtrack.claims.models import Article, Status


class Command(BaseCommand):
    help = "Print the number of claims per article and per status."

    def handle(self, *args, **options):
        articles = Article.objects.defer("text").with_status_counts()
        statuses = list(Status)
        header = ["article", *[status.label for status in statuses], "total"]
        rows = [
            [article.slug, *[article.counts[s] for s in statuses], article.claim_count]
            for article in articles
        ]
        totals = [sum(row[i] for row in rows) for i in range(1, len(header))]
        rows.append(["all articles", *totals])
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            cells = [str(row[0]).ljust(widths[0])]
            cells += [
                str(cell).rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
            ]
            self.stdout.write("  ".join(cells))
