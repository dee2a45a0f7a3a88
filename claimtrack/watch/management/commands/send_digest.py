"""Email each reviewer and editor, once a week, the claims whose verdict is due for review.

Run it from cron, e.g. on Monday mornings (README, "Reviews that come due"). It sends a person
at most one digest in an ISO week, however often it runs: each send is recorded (DigestSent)
in the transaction that sends it, so a mail server that fails leaves no record and the next run
tries again, and a run that crashed after sending does not send twice. People with nothing due
get no email (and may get one later in the week, if claims come due).
"""

from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from claimtrack.watch.digest import compose, recipients
from claimtrack.watch.due import iso_week
from claimtrack.watch.models import DigestSent


class Command(BaseCommand):
    help = "Email reviewers and editors the claims due for review (at most once a week each)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the emails; send and record nothing."
        )
        parser.add_argument(
            "--date", help="The day to send as of, YYYY-MM-DD (default: today). For testing."
        )

    def handle(self, *args, dry_run=False, date=None, verbosity=1, **options):
        today = timezone.localdate()
        if date:
            try:
                today = parse_date(date) if len(date) == 10 else None
            except ValueError:  # well formed, but no such day
                today = None
            if today is None:
                raise CommandError(f"--date must be a date as YYYY-MM-DD, not {date!r}.")
        week = iso_week(today)
        sent = skipped = nothing = failed = 0
        connection = None if dry_run else get_connection()
        for user in recipients():
            if DigestSent.objects.filter(user=user, week=week).exists():
                skipped += 1
                continue
            digest = compose(user, today)
            if digest is None:
                nothing += 1
                continue
            subject, body, count = digest
            if dry_run:
                self.stdout.write(f"To: {user.email}\nSubject: {subject}\n\n{body}\n")
                sent += 1
                continue
            try:
                with transaction.atomic():
                    DigestSent.objects.create(user=user, week=week, claims=count)
                    EmailMessage(subject, body, to=[user.email], connection=connection).send()
            except IntegrityError:  # another run sent it meanwhile
                skipped += 1
                continue
            except OSError as error:  # the mail server (smtplib's errors are OSErrors)
                failed += 1
                self.stderr.write(f"Could not email {user.email}: {error}; will retry next run.")
                continue
            sent += 1
        if verbosity >= 1:
            verb = "Would send" if dry_run else "Sent"
            self.stdout.write(
                f"{verb} {sent} digest(s) for {week}; {skipped} already sent this week, "
                f"{nothing} with nothing due." + (f" {failed} could not be sent." if failed else "")
            )
