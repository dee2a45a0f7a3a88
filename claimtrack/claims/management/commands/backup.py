"""Dump the whole database into a file, to restore exactly with `restore`.

A backup that cannot be restored is not a backup: PostgreSQL is dumped with pg_dump in its
custom format (what pg_restore reads), SQLite is copied page by page with the sqlite3 backup
API, which stays consistent while the app writes. The file's path is the last line printed, so
scripts (and `make backup`) can pick it up.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claimtrack.claims import backups


class Command(BaseCommand):
    help = (
        "Dump the database into var/backups/ (or --output); print the file's path last. "
        "PostgreSQL: pg_dump --format=custom. SQLite: a copy through the sqlite3 backup API."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="where to write the dump (must not exist yet)")

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        try:
            path = backups.dump(database, options["output"] or backups.default_path(database))
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"]:
            size = path.stat().st_size
            self.stdout.write(
                self.style.SUCCESS(f"Backed up {database['NAME']} ({size:,} bytes) to:")
            )
        # Always, and last: the path is what this command gives back.
        self.stdout.write(str(path))
