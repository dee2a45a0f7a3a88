"""The local demo: seed fixtures, a demo editor and reviewer, and a few open flags.

Passwords are generated at random the first time and kept in var/ (git-ignored), never in the
repository. Everything here is idempotent: running it again changes nothing, and it never
overwrites what an editor has changed in the demo since.
"""

import json
import secrets

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import transaction

from .models import Claim, Flag, Interests, ReasonTag, StaffProfile

SEED_FIXTURES = [
    "claim_groups",
    "citations",
    "article_0_ketamine-psychedelic-substance",
    "article_1_understanding-ketamine-treatments",
    "article_2_ketamine-anesthetic-to-psychiatric-treatment",
    "article_3_science-behind-ketamine-psychotherapy",
    "article_4_ketamine-benefits-and-risks",
]
DEMO_ACCOUNTS = {"demo-editor": "Editors", "demo-reviewer": "Reviewers"}
# How the demo's staff appear in public (their reviewer pages): invented people.
DEMO_PROFILES = {
    "demo-editor": {
        "display_name": "Dr Ada Okafor",
        "bio": "Psychiatrist and former trial methodologist; edits claimtrack's verdicts on "
        "mental-health treatments and settles reviewers' flags.",
        "interests": Interests.NONE,
    },
    "demo-reviewer": {
        "display_name": "Tomás Lindqvist",
        "bio": "Pharmacist with a master's degree in evidence-based medicine; reviews claims "
        "about anaesthetics and psychiatric drugs.",
        "interests": Interests.DECLARED,
        "interests_statement": "Received a conference travel grant from a university "
        "psychedelic research centre in 2023; no payments from drug makers.",
    },
}
DEMO_FLAGS = settings.BASE_DIR / "fixtures" / "demo" / "flags.json"


def passwords_file():
    return settings.VAR_DIR / "demo-accounts.json"


def load_seed_fixtures(verbosity=0):
    """Add the seed rows that are missing; leave the ones editors may have changed alone."""
    call_command("loaddata", *SEED_FIXTURES, keep_existing=True, verbosity=verbosity)


@transaction.atomic
def ensure_demo_accounts():
    """Return {username: password}, creating accounts or passwords that are missing."""
    path = passwords_file()
    stored = json.loads(path.read_text()) if path.exists() else {}
    for username, group in DEMO_ACCOUNTS.items():
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        user.groups.add(Group.objects.get(name=group))
        if created or username not in stored or not user.check_password(stored[username]):
            stored[username] = secrets.token_urlsafe(12)
            user.set_password(stored[username])
            user.save()
        if not StaffProfile.objects.filter(user=user).exists():
            # Once: a demo user's own edits to their public profile are kept.
            StaffProfile.objects.make(user, **DEMO_PROFILES[username])
    path.write_text(json.dumps(stored, indent=2) + "\n")
    path.chmod(0o600)
    return {username: stored[username] for username in DEMO_ACCOUNTS}


@transaction.atomic
def raise_demo_flags():
    """Raise the demo reviewer's flags, once each, through the same rule as the site."""
    reviewer = User.objects.get(username="demo-reviewer")
    raised = 0
    for item in json.loads(DEMO_FLAGS.read_text()):
        claim = Claim.objects.get_by_natural_key(item["article"], item["claim"])
        reason = ReasonTag.objects.get_by_natural_key(item["reason"])
        if Flag.objects.filter(claim=claim, raised_by=reviewer, reason=reason).exists():
            continue  # raised before, open or settled: do not raise it again
        Flag.objects.raise_flag(claim=claim, by=reviewer, reason=reason, comment=item["comment"])
        raised += 1
    return raised
