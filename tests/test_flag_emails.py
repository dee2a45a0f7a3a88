"""Who is emailed about a flag: the claim's reviewer when it is raised, the assignee when it is
assigned; never the person who acted, nobody without an address or who turned the emails off;
and only once the change is committed."""

import datetime

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from claimtrack.claims.models import Flag, StaffProfile

from .conftest import make_user, tag

NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)


@pytest.fixture
def ed(editor):
    """The editor, with an address: the claim's reviewer in these tests."""
    editor.email, editor.first_name, editor.last_name = "ed@example.org", "Ed", "Itor"
    editor.save()
    return editor


@pytest.fixture
def sue(superuser):
    superuser.email = "sue@example.org"
    superuser.save()
    return superuser


@pytest.fixture
def judged_claim(claim, ed, citation):
    """A claim whose verdict ed gave (Claim.reviewed_by) and published."""
    claim.change_verdict(
        by=ed, status="overstated", certainty="low", rationale="Hours for a few.", note=""
    )
    claim.add_evidence(by=ed, citation=citation, stance="qualifies", note="Hours, in some.")
    claim.publish(by=ed)
    return claim


def raise_flag(claim, by, comment="Days, not hours."):
    return Flag.objects.raise_flag(
        claim=claim, by=by, reason=tag("overstates-impact"), comment=comment
    )


def test_raising_a_flag_emails_the_claims_reviewer(
    judged_claim, reviewer, ed, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        flag = raise_flag(judged_claim, reviewer)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ed@example.org"]
    assert mail.from_email == "claimtrack <claimtrack@localhost>"
    assert mail.subject == (
        "Flag raised (overstates the impact of a finding): Ketamine relieves depression within "
        "hours."
    )
    assert mail.content_subtype == "plain"
    assert mail.body.startswith("Hello Ed Itor,\n\nrita flagged a claim. You gave this claim")
    for line in [
        "Claim: Ketamine relieves depression within hours.",
        "Reason: Overstates the impact of a finding: Real finding, but its size, speed or reach "
        "is exaggerated.",
        "Comment: Days, not hours.",
        f"http://localhost:8000/admin/claims/flag/{flag.pk}/change/",
        "untick “Email me about flags” on your “My work” page",
    ]:
        assert line in mail.body


def test_nothing_is_sent_before_the_commit(
    judged_claim, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        raise_flag(judged_claim, reviewer)
    assert mailoutbox == []
    assert len(callbacks) == 1


def test_a_flag_raised_on_the_claims_page_emails_its_reviewer(
    client, judged_claim, reviewer, ed, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    url = reverse("flag_claim", args=[judged_claim.article.slug, judged_claim.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "misquoted", "comment": "Not what it says."})
    assert [mail.to for mail in mailoutbox] == [["ed@example.org"]]
    assert "Reason: Misquoted: The quote or the statement" in mailoutbox[0].body


def test_nobody_is_emailed_about_their_own_flag(
    judged_claim, ed, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        raise_flag(judged_claim, ed)
    assert mailoutbox == []


def test_a_reviewer_who_turned_the_emails_off_is_not_emailed(
    judged_claim, reviewer, ed, mailoutbox, django_capture_on_commit_callbacks
):
    StaffProfile.objects.set_email_on_flags(ed, False)
    with django_capture_on_commit_callbacks(execute=True):
        raise_flag(judged_claim, reviewer)
    assert mailoutbox == []


def test_a_reviewer_without_an_address_is_skipped(
    judged_claim, reviewer, ed, mailoutbox, django_capture_on_commit_callbacks
):
    ed.email = ""
    ed.save()
    with django_capture_on_commit_callbacks(execute=True):
        raise_flag(judged_claim, reviewer)
    assert mailoutbox == []


def test_a_claim_nobody_reviewed_tells_nobody(
    claim, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        raise_flag(claim, reviewer)
    assert mailoutbox == []


def test_assigning_a_flag_emails_the_assignee(
    judged_claim, reviewer, ed, sue, mailoutbox, django_capture_on_commit_callbacks
):
    flag = raise_flag(judged_claim, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        flag.assign(by=ed, assignee=sue, priority="high", due_on=NEXT_WEEK)
    assert [mail.to for mail in mailoutbox] == [["sue@example.org"]]
    mail = mailoutbox[0]
    assert mail.subject == "Flag assigned to you: Ketamine relieves depression within hours."
    assert "Ed Itor assigned you a flag to settle." in mail.body
    assert f"Assigned to sue, high priority, due {NEXT_WEEK:%d %b %Y}." in mail.body
    assert f"/admin/claims/flag/{flag.pk}/change/" in mail.body


def test_a_new_priority_or_due_date_alone_emails_nobody(
    judged_claim, reviewer, ed, sue, mailoutbox, django_capture_on_commit_callbacks
):
    flag = raise_flag(judged_claim, reviewer)
    flag.assign(by=ed, assignee=sue, priority="normal", due_on=None)
    with django_capture_on_commit_callbacks(execute=True):
        flag.assign(by=ed, assignee=sue, priority="high", due_on=NEXT_WEEK)
    assert mailoutbox == []


def test_assigning_oneself_emails_nobody(
    judged_claim, reviewer, ed, mailoutbox, django_capture_on_commit_callbacks
):
    flag = raise_flag(judged_claim, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        flag.assign(by=ed, assignee=ed, priority="high", due_on=None)
    assert mailoutbox == []


def test_an_assignee_who_turned_the_emails_off_is_not_emailed(
    judged_claim, reviewer, ed, sue, mailoutbox, django_capture_on_commit_callbacks
):
    StaffProfile.objects.set_email_on_flags(sue, False)
    flag = raise_flag(judged_claim, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        flag.assign(by=ed, assignee=sue, priority="high", due_on=None)
    assert mailoutbox == []


def test_the_bulk_action_emails_the_assignee_once_per_flag(
    client, judged_claim, reviewer, ed, sue, mailoutbox, django_capture_on_commit_callbacks
):
    flags = [
        raise_flag(judged_claim, ed),
        Flag.objects.raise_flag(claim=judged_claim, by=reviewer, reason=tag("outdated")),
    ]
    mailoutbox.clear()
    client.force_login(ed)
    data = {
        "action": "assign",
        "_selected_action": [flag.pk for flag in flags],
        "apply": "Assign",
        "assignee": sue.pk,
        "priority": "normal",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:claims_flag_changelist"), data)
    assert [mail.to for mail in mailoutbox] == [["sue@example.org"], ["sue@example.org"]]


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("no mail server")


def test_a_mail_server_that_fails_does_not_undo_the_flag(
    judged_claim, reviewer, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.test_flag_emails.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        flag = raise_flag(judged_claim, reviewer)
    assert Flag.objects.get(pk=flag.pk).is_open
    assert "no mail server" in caplog.text


def test_who_is_emailed_each_once_in_order(ed, sue, reviewer):
    reviewer.email = "rita@example.org"
    reviewer.save()
    gone = make_user("gone", "Editors", is_staff=True, is_active=False, email="g@example.org")
    told = StaffProfile.objects.to_email_about_flags([None, sue, ed, sue, gone, reviewer], actor=ed)
    assert told == [sue, reviewer]


def test_a_profile_is_made_only_when_a_setting_changes(ed):
    profile = StaffProfile.objects.of(ed)
    assert (profile.pk, profile.email_on_flags) == (None, True)
    StaffProfile.objects.set_email_on_flags(ed, False)
    assert StaffProfile.objects.of(ed).email_on_flags is False
    StaffProfile.objects.set_email_on_flags(ed, True)
    assert StaffProfile.objects.filter(user=ed).count() == 1
