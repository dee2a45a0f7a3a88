"""Print how many claims each article has, by status: a quick view of the review's state."""

from django.core.management.base import BaseCommand
from django.db.models import Count

from claimtrack.claims.models import Article, Claim, Status


def claim_counts():
    """{article: {status: count}} for every article, zeros included, in one query."""
    counts = {article: dict.fromkeys(Status, 0) for article in Article.objects.all()}
    by_id = {article.pk: article for article in counts}
    rows = Claim.objects.order_by().values("article", "status").annotate(n=Count("pk"))
    for row in rows:
        counts[by_id[row["article"]]][Status(row["status"])] = row["n"]
    return counts


class Command(BaseCommand):
    help = "Print the number of claims per article and per status."

    def handle(self, *args, **options):
        counts = claim_counts()
        statuses = list(Status)
        header = ["article", *[status.label for status in statuses], "total"]
        rows = [
            [article.slug, *[per_status[s] for s in statuses], sum(per_status.values())]
            for article, per_status in counts.items()
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
