"""How fast import_retractions reads Retraction Watch's CSV, and how much memory it holds.

Generates a CSV with the real header (claimtrack.watch.retractionwatch.HEADER) and rows about as
long as the real export's (some 60 MB for 65,000 rows), in a temporary directory, with a
throwaway SQLite database holding 2,000 cited sources; 1 row in 130 is about one of them (by
DOI in any case or doi.org form, or by PMID alone), the rest about papers nobody cites, as in
life. Each import runs in a child process that reports its own peak resident memory
(getrusage ru_maxrss), beside a child that only starts Django and reads an empty file: the
difference is what the import itself holds. A second run over the same file finds every notice
on file (it changes nothing). Prints figures; asserts nothing.

    .venv/bin/python bench/retractions_bench.py [ROWS ...]     (default: 65000 130000)
"""

import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.TemporaryDirectory(prefix="claimtrack-retractions-")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR.name}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtrack.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import csv  # noqa: E402

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from claimtrack.claims.models import Citation  # noqa: E402
from claimtrack.watch.retractionwatch import HEADER  # noqa: E402

SIZES = [int(n) for n in sys.argv[1:]] or [65_000, 130_000]
CITED = 2_000
MATCH_EVERY = 130
NATURES = ["Retraction"] * 8 + ["Correction", "Expression of concern"]
REASONS = [
    "+Falsification/Fabrication of Data;+Investigation by Journal/Publisher;",
    "+Error in Data;+Retract and Replace;",
    "+Duplication of Article;+Notice - Limited or No Information;",
    "+Concerns/Issues About Data;+Concerns/Issues About Results;",
    "+Fake Peer Review;+Paper Mill;+Investigation by Third Party;",
]
# The child: start Django, import one file, print the import's own seconds and the peak
# resident set (kB on Linux).
CHILD = """
import resource, sys, time, django
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("import_retractions", sys.argv[1], verbosity=0)
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
      file=sys.stderr)
"""


def make_sources():
    """2,000 cited sources (test-prefix DOIs, PMIDs beyond PubMed's), saved as the app saves."""
    for n in range(CITED):
        Citation.objects.create(
            slug=f"bench{n}",
            kind="randomized_trial",
            authors=f"Bench A{n}, Mark B",
            title=f"A benchmark trial number {n}",
            year=2000 + n % 25,
            doi=f"10.5555/bench.{n}",
            pmid=str(900_000_000 + n),
        )


def export_date(rng, first_year, last_year):
    """A date as the export writes one: "3/9/2024 0:00", month first."""
    return (
        f"{rng.randrange(1, 13)}/{rng.randrange(1, 29)}/{rng.randrange(first_year, last_year)} 0:00"
    )


def write_csv(path, rows, rng):
    with open(path, "w", newline="", encoding="utf-8") as stream:
        stream.write(HEADER + "\n")
        writer = csv.writer(stream)
        for n in range(rows):
            cited = n % MATCH_EVERY == 0
            k = rng.randrange(CITED)
            doi, pmid = f"10.9999/other.{n}", str(rng.choice([0, 10_000_000 + n]))
            if cited and n % 3 == 0:
                doi, pmid = f"https://doi.org/10.5555/BENCH.{k}", "0"
            elif cited:
                doi, pmid = "unavailable", str(900_000_000 + k)
            writer.writerow(
                [
                    100_000 + n,
                    f"A study of something numbered {n} " + "word " * rng.randrange(10, 40),
                    "(HSC) Medicine - Oncology;(BLS) Biology - Cellular;",
                    "Department of Examples, University of Benchmarks, Testville, Country;" * 2,
                    "Journal of Benchmarked Results",
                    "Example Publisher",
                    "Country",
                    ";".join(f"Author {n}-{a}" for a in range(rng.randrange(2, 12))),
                    "https://retractionwatch.com/2024/01/01/an-example-post/",
                    "Research Article;",
                    export_date(rng, 2000, 2026),
                    f"10.9999/notice.{n}",
                    "0",
                    export_date(rng, 1990, 2020),
                    doi,
                    pmid,
                    rng.choice(NATURES),
                    rng.choice(REASONS),
                    "No",
                    "See the notice. " * rng.randrange(0, 30),
                    "",
                ]
            )


def child_run(path):
    """(seconds the import took, peak resident kB) of import_retractions in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    seconds, peak = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(peak)


def main():
    call_command("migrate", verbosity=0)
    make_sources()
    rng = random.Random(14)
    empty = Path(WORKDIR.name) / "empty.csv"
    empty.write_text(HEADER + "\n")
    _, baseline = child_run(empty)
    print(f"Django started, an empty file read: peak RSS {baseline / 1024:.1f} MiB")
    print(f"{CITED:,} cited sources; 1 row in {MATCH_EVERY} is about one of them.")
    print()
    print("| rows | file | first run | rows/s | second run (nothing new) | peak RSS | over start |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for rows in SIZES:
        path = Path(WORKDIR.name) / f"retractions-{rows}.csv"
        write_csv(path, rows, rng)
        size = path.stat().st_size / 2**20
        first, peak = child_run(path)
        second, peak2 = child_run(path)
        rate = rows / first
        peak = max(peak, peak2)
        print(
            f"| {rows:,} | {size:.1f} MiB | {first:.2f} s | {rate:,.0f} | {second:.2f} s "
            f"| {peak / 1024:.1f} MiB | {(peak - baseline) / 1024:.1f} MiB |"
        )
        path.unlink()
    print()
    print("Times are the import's own (call_command), Django's start left out.")


if __name__ == "__main__":
    main()
