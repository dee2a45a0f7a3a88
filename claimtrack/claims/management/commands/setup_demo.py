"""Set up the local demo: load the seed fixtures, make sure the demo editor and reviewer exist,
raise the demo reviewer's flags, and print the accounts. Safe to run again and again: `make run`
calls it every time.
"""

from django.core.management.base import BaseCommand

from claimtrack.claims import demo


class Command(BaseCommand):
    help = "Load the seed data and make sure the demo accounts and flags exist (idempotent)."

    def handle(self, *args, **options):
        demo.load_seed_fixtures(verbosity=options["verbosity"])
        accounts = demo.ensure_demo_accounts()
        raised = demo.raise_demo_flags()
        if raised:
            self.stdout.write(f"Raised {raised} demo flag(s).")
        self.stdout.write(
            self.style.SUCCESS("Demo accounts (log in at /admin/ or /accounts/login/):")
        )
        for username, password in accounts.items():
            self.stdout.write(f"  {username:15} {password}")
        self.stdout.write(f"  (stored in {demo.passwords_file()}, outside git)")
