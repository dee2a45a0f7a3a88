"""The weekly digest (manage.py send_digest): to each reviewer and editor who wants it, the
claims due for review, theirs first, linked; at most once in an ISO week; --dry-run prints."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claimtrack.claims.models import Claim, StaffProfile
from claimtrack.watch.models import DigestSent

from .conftest import make_claim, make_user, raw_update

TODAY = timezone.localdate()


@pytest.fixture
def people(db):
    return {
        "rita": make_user("rita", "Reviewers", is_staff=True, email="rita@example.org"),
        "ed": make_user("ed", "Editors", is_staff=True, email="ed@example.org"),
        "noemail": make_user("nina", "Reviewers", is_staff=True),
        "stan": make_user("stan", is_staff=True, email="stan@example.org"),  # in no group
        "gone": make_user("gus", "Editors", is_staff=True, email="g@x.org", is_active=False),
    }


@pytest.fixture
def due(article, people):
    """Two claims due: one Rita reviewed (overdue), one nobody did (due today, with a reason)."""
    hers = make_claim(
        article,
        slug="hers",
        statement="Ketamine relieves depression within hours.",
        status="unverifiable",
        rationale="No trial is named.",
    )
    raw_update(
        Claim.objects.filter(pk=hers.pk),
        reviewed_by=people["rita"],
        review_due_on=TODAY - datetime.timedelta(days=10),
    )
    other = make_claim(
        article,
        slug="bdnf",
        quote="It triggers BDNF release.",
        statement="Ketamine triggers BDNF release.",
        status="unverifiable",
        rationale="Vague.",
    )
    Claim.objects.filter(pk=other.pk).make_due(why="A cited source was retracted.")
    return hers, other


def send(*args):
    out = io.StringIO()
    call_command("send_digest", *args, stdout=out)
    return out.getvalue()


def test_each_reviewer_and_editor_gets_the_claims_due_theirs_first(settings, due, mailoutbox):
    settings.SITE_URL = "https://claimtrack.example.org"
    hers, other = due
    out = send()
    assert "Sent 2 digest(s)" in out
    to = {message.to[0]: message for message in mailoutbox}
    assert set(to) == {"rita@example.org", "ed@example.org"}  # not Nina (no address), Stan, Gus
    rita = to["rita@example.org"]
    assert rita.subject == "Reviews due this week: 2 claims"
    body = rita.body
    assert body.index("Claims you reviewed:") < body.index(hers.statement)
    assert body.index(hers.statement) < body.index("Other claims:") < body.index(other.statement)
    overdue = TODAY - datetime.timedelta(days=10)
    assert f"Unverifiable, overdue since {overdue:%d %b %Y}." in body
    assert "due today.\n  Why: A cited source was retracted." in body
    assert f"https://claimtrack.example.org{hers.get_absolute_url()}" in body
    assert "https://claimtrack.example.org/watch/due/" in body
    assert "Claims you reviewed:" not in to["ed@example.org"].body


def test_a_second_run_in_the_week_sends_nothing(due, mailoutbox):
    send()
    assert len(mailoutbox) == 2
    out = send()
    assert len(mailoutbox) == 2
    assert "Sent 0 digest(s)" in out and "2 already sent this week" in out
    next_week = TODAY + datetime.timedelta(days=7)
    send("--date", next_week.isoformat())
    assert len(mailoutbox) == 4
    assert DigestSent.objects.count() == 4


def test_those_who_turned_it_off_get_none(due, people, mailoutbox):
    StaffProfile.objects.set_emails(people["ed"], email_digest=False)
    send()
    assert [message.to for message in mailoutbox] == [["rita@example.org"]]


def test_nothing_due_sends_nothing(people, mailoutbox):
    out = send()
    assert mailoutbox == [] and not DigestSent.objects.exists()
    assert "2 with nothing due" in out


def test_a_dry_run_prints_and_sends_nothing(due, mailoutbox):
    out = send("--dry-run")
    assert mailoutbox == [] and not DigestSent.objects.exists()
    assert "To: rita@example.org" in out and "Subject: Reviews due this week" in out
    assert "Would send 2 digest(s)" in out


def test_a_mail_server_that_fails_is_tried_again_next_run(due, mailoutbox, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    err = io.StringIO()
    call_command("send_digest", stdout=io.StringIO(), stderr=err)
    assert "Could not email rita@example.org: Connection refused" in err.getvalue()
    assert not DigestSent.objects.exists()
    monkeypatch.undo()
    send()
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("date", ["next monday", "2026-13-01"])
def test_a_bad_date_is_refused(db, date):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        send("--date", date)
