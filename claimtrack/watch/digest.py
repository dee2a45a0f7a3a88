"""The weekly digest: who gets it and what it says (plain text, links to SITE_URL)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from claimtrack.claims.models import StaffProfile
from claimtrack.claims.models.people import EDITORS, REVIEWERS

from .due import digest_for


def recipients():
    """Active staff with an email address who review or edit claims (or superusers), minus
    those who turned the digest off (StaffProfile.email_digest), by username."""
    User = get_user_model()
    in_group = User.groups.through.objects.filter(
        user=OuterRef("pk"), group__name__in=[EDITORS, REVIEWERS]
    )
    opted_out = StaffProfile.objects.filter(user=OuterRef("pk"), email_digest=False)
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(Exists(in_group) | Q(is_superuser=True))
        .exclude(Exists(opted_out))
        .order_by("username")
    )


def claim_lines(claim, today):
    if claim.review_due_on < today:
        when = f"overdue since {claim.review_due_on:%d %b %Y}"
    else:
        when = "due today"
    lines = [f"- {claim.statement}", f"  {claim.get_status_display()}, {when}."]
    if claim.due_reason:
        lines.append(f"  Why: {claim.due_reason}")
    lines.append(f"  {settings.SITE_URL}{claim.get_absolute_url()}")
    return lines


def compose(user, today):
    """(subject, body, how many claims it lists), or None when nothing is due."""
    theirs, others, more = digest_for(user, on=today)
    if not theirs and not others:
        return None
    name = user.get_full_name() or user.get_username()
    body = [f"Hello {name},", "", "These claims' verdicts are due for review."]
    if theirs:
        body += ["", "Claims you reviewed:", ""]
        for claim in theirs:
            body += claim_lines(claim, today)
    if others:
        body += ["", "Other claims:" if theirs else "Claims:", ""]
        for claim in others:
            body += claim_lines(claim, today)
    queue = settings.SITE_URL + reverse("watch:due")
    if more:
        body += ["", "More claims are due than fit here."]
    body += [
        "",
        f"The whole queue, most flagged first: {queue}",
        "",
        "Change a verdict on the desk, or say it stands from the queue; either dates its next "
        "review.",
        "You can turn this email off: untick “Email me the weekly digest” on your “My work” page.",
    ]
    count = len(theirs) + len(others)
    subject = f"Reviews due this week: {count}{'+' if more else ''} claim{'s' if count > 1 else ''}"
    return subject, "\n".join(body), count
