"""How often the spin rules fire, verdict by verdict: the figures README.md gives for the seed
claims (tests/test_spin_rates.py checks that they are the ones this prints).

A useful rule fires on claims reviewers rated overstated or unsupported and seldom on claims
they rated supported. Read-only; reads every claim, so it is meant for the seed data.
"""

from django.core.management.base import BaseCommand

from claimtrack.claims.models import Status
from claimtrack.watch import spin


def summary_lines(rates):
    """The lines the command prints (and the README quotes)."""
    percent = spin.Rates.percent
    hit, total = rates.share(spin.OVERSTATED_OR_UNSUPPORTED)
    lines = [
        f"Overstated or unsupported claims with at least one hint: {hit} of {total} "
        f"({percent(hit, total)})",
    ]
    hit, total = rates.share(spin.SUPPORTED)
    lines.append(
        f"Supported claims with at least one hint: {hit} of {total} ({percent(hit, total)})"
    )
    return lines


def rule_rows(rates):
    """| rule | overstated or unsupported | supported | every verdict |, one row a rule."""
    rows = []
    for rule in spin.RULES:
        counts = rates.by_rule[rule.id]
        bad = sum(counts[s] for s in spin.OVERSTATED_OR_UNSUPPORTED)
        good = sum(counts[s] for s in spin.SUPPORTED)
        rows.append(f"| `{rule.id}` | {bad} | {good} | {sum(counts.values())} |")
    return rows


class Command(BaseCommand):
    help = "Print the share of claims of each verdict that get at least one spin hint."

    def handle(self, *args, **options):
        rates = spin.hint_rates()
        for line in summary_lines(rates):
            self.stdout.write(line)
        if options["verbosity"] > 1:
            self.stdout.write("")
            for status in Status:
                hit, total = rates.share([status])
                if total:
                    self.stdout.write(f"{status.label}: {hit} of {total}")
            self.stdout.write("")
            self.stdout.write("| rule | overstated or unsupported | supported | all |")
            self.stdout.write("|---|---|---|---|")
            for row in rule_rows(rates):
                self.stdout.write(row)
