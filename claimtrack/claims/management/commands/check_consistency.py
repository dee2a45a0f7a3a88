"""Report where the review disagrees with itself: exit 1 when it does.

Claims that say the same thing in several articles share a group, and readers are promised one
verdict for one claim. Verdicts drift apart as claims are reviewed one at a time, so this
lists, one line each: a group member whose verdict differs from its group's without a
group_note saying why; a claim that reads like a group it is not in; a group with no claims.

Read-only. The exit status is 1 when there is any finding (and 0 when there is none), so CI and
make stop on it as they do on check_quotes; the findings themselves are the report, printed in
full on stdout, not an error of the command (hence no CommandError).
"""

import sys

from django.core.management.base import BaseCommand

from claimtrack.claims import consistency


class Command(BaseCommand):
    help = (
        "List verdicts that differ from their group's without a note, claims that read like a "
        "group they are not in, and empty groups; exit 1 when there is any."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        report = consistency.report()
        if verbosity >= 2:
            self.stdout.write(
                f"Look-alikes: token_set_ratio of the statements, threshold "
                f"{consistency.SIMILARITY_THRESHOLD}."
            )
        for difference in report.unexplained:
            self.stdout.write(f"verdict differs: {difference}")
        for lookalike in report.lookalikes:
            self.stdout.write(f"looks like a group: {lookalike}")
        for group in report.empty_groups:
            self.stdout.write(f"empty group: “{group.slug}” ({group.name}) has no claims")
        if verbosity >= 1:
            self.stdout.write(self.summary(report))
        if report.findings:
            sys.exit(1)

    def summary(self, report):
        if not report.findings:
            return "No findings: every group's verdicts agree or say why they differ."
        return (
            f"{len(report.findings)} finding(s): {len(report.unexplained)} verdict(s) differ "
            f"from their group's without a note, {len(report.lookalikes)} claim(s) look like "
            f"a group they are not in, {len(report.empty_groups)} empty group(s)."
        )
