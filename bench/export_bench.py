"""How long the CSV and JSON exports take, and how much Python memory they hold at the peak,
as the number of claims grows.

Streaming reads the claims in chunks (claimtrack/claims/exports.py), so its peak memory should
stay flat while the time grows with the claims. For contrast, "all at once" builds the same JSON
document in memory the naive way. The claims are synthetic, in a throwaway SQLite database that
is deleted afterwards. Prints figures; asserts nothing.

    DEBUG=1 .venv/bin/python bench/export_bench.py [N ...]     (default: 1000 5000 20000)
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.TemporaryDirectory(prefix="claimtrack-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR.name}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtrack.settings")

import django  # noqa: E402

django.setup()

import json  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import reset_queries  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

from claimtrack.claims import views  # noqa: E402
from claimtrack.claims.exports import claim_record, evidence_record  # noqa: E402
from claimtrack.claims.models import (  # noqa: E402
    Article,
    Citation,
    Claim,
    Evidence,
    ReasonTag,
    Status,
)

SIZES = [int(n) for n in sys.argv[1:]] or [1000, 5000, 20000]
SENTENCE = "Ketamine claim number {:06d} says something checkable. "
CLAIMS_PER_ARTICLE = 40  # as in the seed data
STATUSES = [s for s in Status if s.is_reviewed]


def make_article(number):
    first = number * CLAIMS_PER_ARTICLE
    text = "".join(SENTENCE.format(n) for n in range(first, first + CLAIMS_PER_ARTICLE))
    # Padding to the size of a real article (the seed articles run to 5-10 kB).
    text += "\n\nFurther text that no claim quotes. " * 200
    return Article.objects.create(slug=f"bench-{number}", title=f"Article {number}", text=text)


def make_citations():
    return Citation.objects.bulk_create(
        Citation(
            slug=f"bench{n}",
            kind="randomized_trial",
            authors=f"Author{n} A, Second B",
            title=f"A trial of ketamine, number {n}",
            journal="Journal of Benchmarks",
            year=2000 + n % 25,
            doi=f"10.1000/bench.{n}",
            pmid=str(10000000 + n),
        )
        for n in range(40)
    )


def add_claims(citations, start, stop):
    """Claims start..stop-1, each with a verdict, two evidence links and a reason tag, 40 to
    an article."""
    now = timezone.now()
    width = len(SENTENCE.format(0))
    articles = {}
    for number in range(start // CLAIMS_PER_ARTICLE, -(-stop // CLAIMS_PER_ARTICLE)):
        articles[number] = Article.objects.filter(slug=f"bench-{number}").first() or (
            make_article(number)
        )
    claims = Claim.objects.bulk_create(
        Claim(
            article=articles[n // CLAIMS_PER_ARTICLE],
            slug=f"claim-{n:06d}",
            quote=SENTENCE.format(n).strip(),
            quote_start=(n % CLAIMS_PER_ARTICLE) * width,
            quote_end=(n % CLAIMS_PER_ARTICLE) * width + width - 1,
            statement=f"Synthetic claim {n} restated as one checkable proposition.",
            topic="efficacy",
            status=STATUSES[n % len(STATUSES)],
            certainty="moderate",
            rationale="A synthetic verdict with a rationale of ordinary length. " * 3,
            reviewed_at=now,
        )
        for n in range(start, stop)
    )
    Evidence.objects.bulk_create(
        Evidence(
            claim=claim,
            citation=citations[(i + k) % len(citations)],
            stance="supports",
            note="What this synthetic source shows, in a sentence or two.",
        )
        for i, claim in enumerate(claims)
        for k in (0, 1)
    )
    tags = list(ReasonTag.objects.all())
    Through = Claim.reason_tags.through
    Through.objects.bulk_create(
        Through(claim=claim, reasontag=tags[i % len(tags)]) for i, claim in enumerate(claims)
    )


def measure(run):
    """Seconds (timed without tracemalloc, which slows Python down), peak traced bytes, and
    bytes of output."""
    reset_queries()
    started = time.perf_counter()
    run()
    elapsed = time.perf_counter() - started
    reset_queries()
    tracemalloc.start()
    size = run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak, size


def streamed(view):
    def run():
        request = RequestFactory().get("/claims/export", HTTP_HOST="localhost")
        response = view(request)
        return sum(len(chunk) for chunk in response.streaming_content)

    return run


def all_at_once():
    """The naive export: every claim with its evidence in one list, then one json.dumps."""
    url = "http://localhost".__add__
    claims = Claim.objects.select_related("article").prefetch_related(
        "reason_tags", "evidence__citation"
    )
    records = []
    for claim in claims:
        record = claim_record(claim, url)
        record["evidence"] = [evidence_record(e) for e in claim.evidence.all()]
        records.append(record)
    return len(json.dumps({"claims": records}).encode())


def main():
    call_command("migrate", verbosity=0)
    citations = make_citations()
    print(f"claimtrack export benchmark (SQLite, {WORKDIR.name})")
    header = f"{'claims':>8}  {'export':<20} {'seconds':>8} {'peak MiB':>9} {'output MiB':>11}"
    print(header)
    print("-" * len(header))
    made = 0
    for size in sorted(SIZES):
        add_claims(citations, made, size)
        made = size
        for name, run in [
            ("CSV, streamed", streamed(views.export_csv)),
            ("JSON, streamed", streamed(views.export_json)),
            ("JSON, all at once", all_at_once),
        ]:
            elapsed, peak, output = measure(run)
            print(
                f"{size:>8}  {name:<20} {elapsed:>8.2f} {peak / 2**20:>9.1f} "
                f"{output / 2**20:>11.1f}"
            )
    WORKDIR.cleanup()


if __name__ == "__main__":
    main()
