"""Fill a database of its own with synthetic claims at a chosen scale, for the benchmark.

The pages must stay as fast at 100,000 claims as at five articles' worth; measuring that needs
data at that scale, made in seconds, not by saving 100,000 claims one by one. See
claimtrack/claims/benchdata.py for what is made and how it is marked synthetic.

    python manage.py make_bench_data --claims 100000 [--articles 2000] [--seed 0] [--reset]
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claimtrack.claims import benchdata


class Command(BaseCommand):
    help = (
        "Write N synthetic claims (with articles, citations, evidence, flags and history) in "
        "bulk, for the benchmark. Refuses a database holding real articles unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, required=True, help="How many claims.")
        parser.add_argument(
            "--articles", type=int, help=f"How many articles (default: claims / {50})."
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--reset", action="store_true", help="Replace the benchmark data already there."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write even though the database holds articles that are not benchmark data.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and say what would be done; write nothing.",
        )

    def handle(self, *args, claims, articles, seed, reset, force, dry_run, verbosity, **options):
        if claims < 1:
            raise CommandError("--claims must be at least 1.")
        articles = articles or max(1, claims // benchdata.CLAIMS_PER_ARTICLE)
        if not 1 <= articles <= claims:
            raise CommandError("--articles must be between 1 and the number of claims.")
        foreign = benchdata.foreign_articles().count()
        if foreign and not force:
            raise CommandError(
                f"This database holds {foreign} article(s) that are not benchmark data (their "
                f"slugs do not start with “{benchdata.PREFIX}”). make_bench_data is meant for a "
                "database of its own; use --force to add synthetic data to this one anyway."
            )
        existing = benchdata.bench_claims().count()
        if existing and not reset:
            raise CommandError(
                f"This database already holds benchmark data ({existing} claims). Use --reset "
                "to replace it."
            )
        if dry_run:
            self.stdout.write(
                f"Would write {claims} claims in {articles} articles"
                + (f", replacing {existing} benchmark claims." if existing else ".")
            )
            return
        started = time.monotonic()
        progress = benchdata.Progress(self.stderr) if verbosity else None
        with transaction.atomic():
            if existing:
                benchdata.delete_bench_data()
            written = benchdata.generate(
                claims=claims, articles=articles, seed=seed, progress=progress
            )
        rebuilt = benchdata.rebuild_derived_data()
        if verbosity:
            elapsed = time.monotonic() - started
            rows = sum(written.values())
            self.stdout.write(
                f"Wrote {claims} claims in {articles} articles ({rows} rows in all) in "
                f"{elapsed:.1f} s; rebuilt: {', '.join(rebuilt) or 'nothing'}."
            )
            if verbosity > 1:
                for model, count in sorted(written.items(), key=lambda item: item[0].__name__):
                    self.stdout.write(f"  {model._meta.label}: {count}")
