"""How long the CSV and JSON exports take, and how much Python memory they hold at the peak,
as the number of claims grows.

Streaming reads the claims in chunks (claimtrack/claims/exports.py), so its peak memory should
stay flat while the time grows with the claims. For contrast, "all at once" builds the same JSON
document in memory the naive way. The claims are synthetic, in a throwaway SQLite database that
is deleted afterwards, made by make_bench_data's generator (claimtrack/claims/benchdata.py).
Prints figures; asserts nothing. bench/serve_bench.py measures the exports served at scale.

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
from django.db import reset_queries, transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from claimtrack.claims import benchdata, views  # noqa: E402
from claimtrack.claims.models import Claim  # noqa: E402

SIZES = [int(n) for n in sys.argv[1:]] or [1000, 5000, 20000]


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
    """The naive export: every claim with its evidence as model instances, then one list of
    records, then one json.dumps."""
    claims = Claim.objects.select_related("article").prefetch_related(
        "reason_tags", "evidence__citation"
    )
    records = []
    for claim in claims:
        records.append(
            {
                "claim": claim.slug,
                "url": "http://localhost" + claim.get_absolute_url(),
                "statement": claim.statement,
                "status": claim.status,
                "reason_tags": [tag.slug for tag in claim.reason_tags.all()],
                "evidence": [
                    {"stance": e.stance, "note": e.note, "citation": e.citation.slug}
                    for e in claim.evidence.all()
                ],
            }
        )
    return len(json.dumps({"claims": records}).encode())


def main():
    call_command("migrate", verbosity=0)
    print(f"claimtrack export benchmark (SQLite, {WORKDIR.name})")
    header = f"{'claims':>8}  {'export':<20} {'seconds':>8} {'peak MiB':>9} {'output MiB':>11}"
    print(header)
    print("-" * len(header))
    for size in sorted(SIZES):
        with transaction.atomic():
            benchdata.delete_bench_data()
            benchdata.generate(claims=size)
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
