"""Emails to staff about flags: plain text, one message per person, sent once the change is
committed, so that a rolled-back change tells nobody; a mail server that fails is logged and
never undoes the change (on_commit's robust mode).

Who is told is decided by the rules (Flag.objects.raise_flag, Flag.assign and
StaffProfile.objects.to_email_about_flags in claimtrack.claims.models), which call this
module; it only writes and sends.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

OPT_OUT = (
    "You can turn these emails off: untick “Email me about flags” on your “My work” page "
    "(linked from the admin's front page)."
)


def person(user):
    return user.get_full_name() or user.get_username()


def flag_admin_url(flag):
    return settings.SITE_URL + reverse("admin:claims_flag_change", args=[flag.pk])


def flag_details(flag):
    """What every email about a flag says: the claim, why it was flagged, the link."""
    reason = flag.reason
    lines = [
        f"Claim: {flag.claim.statement}",
        f"Reason: {reason.name}: {reason.definition}",
        f"Comment: {flag.comment or '(none)'}",
        f"Raised by {person(flag.raised_by)} on {timezone.localtime(flag.created_at):%d %b %Y}.",
    ]
    if flag.assignee_id:
        due = f", due {flag.due_on:%d %b %Y}" if flag.due_on else ""
        lines.append(
            f"Assigned to {person(flag.assignee)}, {flag.get_priority_display().lower()} "
            f"priority{due}."
        )
    lines += ["", "Open the flag:", flag_admin_url(flag)]
    return "\n".join(lines)


def flag_raised(flag, recipients):
    """Tell recipients (the claim's reviewer, the flag's assignee) that flag was raised."""
    messages = []
    for user in recipients:
        why = (
            "This flag is assigned to you."
            if user.pk == flag.assignee_id
            else "You gave this claim its verdict."
        )
        body = f"{person(flag.raised_by)} flagged a claim. {why}\n\n{flag_details(flag)}"
        subject = f"Flag raised ({flag.reason.in_sentence}): {short(flag.claim.statement)}"
        messages.append(message(user, subject, body))
    send_after_commit(messages)


def flag_assigned(flag, by, recipients):
    """Tell recipients (the new assignee) that by assigned them flag."""
    who = person(by) if by is not None else "claimtrack"
    messages = [
        message(
            user,
            f"Flag assigned to you: {short(flag.claim.statement)}",
            f"{who} assigned you a flag to settle.\n\n{flag_details(flag)}",
        )
        for user in recipients
    ]
    send_after_commit(messages)


def short(text):
    return Truncator(text).chars(70)


def message(user, subject, body):
    return EmailMessage(
        subject=subject,
        body=f"Hello {person(user)},\n\n{body}\n\n-- \n{OPT_OUT}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def send_after_commit(messages):
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages), robust=True)
