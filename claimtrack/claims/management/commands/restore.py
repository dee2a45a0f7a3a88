"""Load a dump made by `backup` into the database that DATABASE_URL names.

The target must hold no table at all (on PostgreSQL it may also not exist yet: it is created).
A migrated database is not empty: restoring over it would clash with, or duplicate, what is
there, so the command refuses and names the tables that hold rows. Nothing is invented on the
way: no migrate, no fixtures, no signals, only what the dump holds.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claimtrack.claims import backups


class Command(BaseCommand):
    help = (
        "Restore a dump made by `backup` into the database DATABASE_URL names, which must be "
        "empty or not exist yet. Refuses, changing nothing, otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a dump made by `backup`")

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        try:
            backups.restore(database, options["file"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(f"Restored {options['file']} into {database['NAME']}.")
            )
