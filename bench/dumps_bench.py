"""How long publish_dumps takes and how much memory it holds, as the number of claims grows.

The dumps stream every table a chunk at a time (claimtrack/api/dumps.py), so the peak memory
should barely move from 10,000 claims to 100,000 while the time grows with the claims. The
claims are synthetic, in a throwaway SQLite database deleted afterwards, made by
make_bench_data's generator (claimtrack/claims/benchdata.py: evidence, flags and the public
record in the seeds' proportions). Each run is a child process that reports its own peak
resident memory (getrusage ru_maxrss), beside a child that only starts Django and counts the
claims: the difference is what the dump itself holds. Prints figures; asserts nothing.

    .venv/bin/python bench/dumps_bench.py [N ...]     (default: 10000 100000)
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.TemporaryDirectory(prefix="claimtrack-dumps-")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR.name}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtrack.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

import json  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from claimtrack.claims import benchdata  # noqa: E402

SIZES = [int(n) for n in sys.argv[1:]] or [10_000, 100_000]

# The child: start Django, publish the dumps into argv[1] (or, without it, only count the
# claims), print the command's own seconds and the peak resident set (kB on Linux).
CHILD = """
import resource, sys, time, django
django.setup()
from django.core.management import call_command
from claimtrack.claims.models import Claim
started = time.perf_counter()
if len(sys.argv) > 1:
    call_command("publish_dumps", sys.argv[1], verbosity=0)
else:
    Claim.objects.published().count()
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
      file=sys.stderr)
"""


def child_run(*args):
    """(seconds the command took, peak resident kB) in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    seconds, peak = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(peak)


def main():
    call_command("migrate", verbosity=0)
    _, baseline = child_run()
    print(f"claimtrack bulk dumps benchmark (SQLite, {WORKDIR.name})")
    print(f"Django started, the claims counted: peak RSS {baseline / 1024:.1f} MiB")
    print()
    print("| claims | made in | dumped in | files (gzip) | peak RSS | over start |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in sorted(SIZES):
        started = time.perf_counter()
        with transaction.atomic():
            benchdata.delete_bench_data()
            benchdata.generate(claims=size)
        made = time.perf_counter() - started
        target = Path(WORKDIR.name) / "dumps"
        seconds, peak = child_run(target)
        manifest = json.loads((target / "latest" / "manifest.json").read_text())
        output = sum(entry["bytes"] for entry in manifest["files"])
        records = {entry["table"]: entry["records"] for entry in manifest["files"]}
        print(
            f"| {records['claims']:,} | {made:.0f} s | {seconds:.1f} s | {output / 2**20:.1f} MiB "
            f"| {peak / 1024:.1f} MiB | {(peak - baseline) / 1024:.1f} MiB |"
        )
    print()
    print(
        "Times are the command's own (call_command), Django's start left out; the manifest "
        "counts the records. The last run wrote: "
        + ", ".join(f"{n:,} {table}" for table, n in records.items())
        + "."
    )
    WORKDIR.cleanup()


if __name__ == "__main__":
    main()
