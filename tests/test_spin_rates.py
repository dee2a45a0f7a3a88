"""The hint rates over the seed claims, as README.md states them ("Evidence watch: spin hints"):
computed here, so the README cannot drift from the rules."""

import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from claimtrack.claims.models import Status
from claimtrack.watch import spin
from claimtrack.watch.management.commands.spin_rates import rule_rows, summary_lines

README = Path(settings.BASE_DIR) / "README.md"


def test_the_readme_states_the_rates_the_code_computes(seeded):
    rates = spin.hint_rates()
    readme = README.read_text()
    for line in [*summary_lines(rates), *rule_rows(rates)]:
        assert line in readme, f"README.md's spin hint figures are stale; this is now:\n{line}"


def test_the_rules_hint_overstated_claims_more_often_than_supported_ones(seeded):
    rates = spin.hint_rates()
    bad, bad_total = rates.share(spin.OVERSTATED_OR_UNSUPPORTED)
    good, good_total = rates.share(spin.SUPPORTED)
    assert bad_total and good_total
    assert bad / bad_total > 2 * good / good_total
    assert sum(rates.total.values()) == 217 == sum(rates.total[s] for s in Status)


def test_spin_rates_prints_the_figures(seeded):
    out = io.StringIO()
    call_command("spin_rates", verbosity=2, stdout=out)
    rates = spin.hint_rates()
    printed = out.getvalue().splitlines()
    assert printed[:2] == summary_lines(rates)
    assert "| rule | overstated or unsupported | supported | all |" in printed
    assert printed[-len(spin.RULES) :] == rule_rows(rates)


def test_the_readme_defines_each_rule_as_the_code_does():
    readme = README.read_text()
    for rule in spin.RULES:
        evidence = "yes" if rule.reads_evidence else "no"
        row = f"| `{rule.id}` | {rule.name} | {rule.definition} | {evidence} |"
        assert row in readme, f"README.md's rule table is stale; the row is now:\n{row}"
