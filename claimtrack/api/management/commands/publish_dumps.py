"""Publish every public claim, article, cited source and change as files, for bulk download.

Why files, beside the exports and the API: someone who wants all of the data (a researcher, a
mirror, an archive) should not page through the API or hold a connection open for a minute of
export; a nightly set of gzipped files, served as static files, costs the site nothing per
download, and its manifest (counts, SHA-256, time, schema version, licence) lets a reader check
what they fetched. Run it from cron (README, "Bulk data dumps").

Writes DIR/<UTC time>/ in full, then points DIR/latest at it in one atomic step, then removes
the generations older than --keep: a reader never sees a half-written file or a manifest that
does not match the files (claimtrack/api/dumps.py says how).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claimtrack.api import dumps


class Command(BaseCommand):
    help = (
        "Write gzipped JSON Lines and CSV of all public claims, articles, citations and changes, "
        "with manifest.json, into a new generation under DIR, point DIR/latest at it atomically "
        "and prune older generations."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="where the generations are kept")
        parser.add_argument(
            "--keep",
            type=int,
            default=3,
            help="generations to keep, the new one included (default 3); a reader part-way "
            "through an older file keeps reading it until it is pruned",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be written; write nothing"
        )

    def handle(self, *args, directory, keep, dry_run, verbosity, **options):
        if keep < 1:
            raise CommandError("--keep must be at least 1.")
        directory = Path(directory)
        if dry_run:
            return self.dry_run(directory, keep)
        say = self.say_written if verbosity >= 1 else None
        try:
            generation = dumps.publish(directory, keep=keep, progress=say)
        except dumps.DumpError as error:
            raise CommandError(str(error)) from None
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Published {len(generation.written)} files and manifest.json in "
                    f"{generation.path}; {directory / dumps.LATEST} points to it."
                )
            )
            for name in generation.pruned:
                self.stdout.write(f"Pruned {directory / name}")

    def say_written(self, written):
        self.stdout.write(f"{written.name}: {written.records:,} records, {written.bytes:,} bytes")

    def dry_run(self, directory, keep):
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        counts = dumps.public_counts()
        self.stdout.write(f"Would write a new generation under {directory}/:")
        for name in dumps.FILES:
            table = name.split(".", 1)[0]
            self.stdout.write(f"  {name}: {counts[table]:,} records")
        self.stdout.write("  manifest.json")
        old = dumps.generations(directory) if directory.is_dir() else []
        self.stdout.write(
            f"then point {directory / dumps.LATEST} at it and keep {keep} generation(s) "
            f"({len(old)} there now). Nothing written (--dry-run)."
        )
