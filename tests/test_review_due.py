"""Reviews that come due: each verdict's next review date (per topic), claims made due at once
(evidence revised, a new source in the group, a source with a notice), confirming a verdict,
and the claim page's "Review overdue" note, which shows when the date passes with no write."""

import datetime
import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from claimtrack.claims.models import (
    ChangeKind,
    Claim,
    ClaimGroup,
    PublicVersion,
    Status,
    Topic,
)
from claimtrack.claims.review_schedule import add_months, check_topics, due_after_review

from .conftest import make_claim, raw_update

REAL_LOCALDATE = timezone.localdate
TODAY = REAL_LOCALDATE()
LATER = TODAY + datetime.timedelta(days=800)


@pytest.fixture
def today_is(monkeypatch):
    """Move "today" (timezone.localdate() without an argument) to another day: the page cache,
    the rules and the queue all read it so."""

    def move(day):
        def localdate(value=None, timezone=None):
            return day if value is None else REAL_LOCALDATE(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)

    return move


def test_months_are_added_calendar_wise():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2027, 12, 15), 24) == datetime.date(2029, 12, 15)
    assert add_months(datetime.date(2028, 2, 29), 12) == datetime.date(2029, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_the_interval_is_set_per_topic(settings):
    reviewed = datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC)
    assert due_after_review(reviewed, Topic.EFFICACY) == datetime.date(2028, 3, 10)
    assert due_after_review(reviewed, Topic.SAFETY) == datetime.date(2027, 3, 10)
    settings.REVIEW_INTERVAL_MONTHS = 36
    settings.REVIEW_INTERVAL_MONTHS_BY_TOPIC = {"mechanism": 6}
    assert due_after_review(reviewed, Topic.EFFICACY) == datetime.date(2029, 3, 10)
    assert due_after_review(reviewed, Topic.MECHANISM) == datetime.date(2026, 9, 10)
    assert due_after_review(None, Topic.EFFICACY) is None


def test_an_interval_for_an_unknown_topic_is_refused(settings):
    settings.REVIEW_INTERVAL_MONTHS_BY_TOPIC = {"saftey": 12}
    with pytest.raises(ImproperlyConfigured, match="saftey"):
        check_topics(Topic.values)


@pytest.mark.parametrize(
    "value", ["safety", "safety=0", "safety=121", "safety=x", "safety=12,safety=6", "=12"]
)
def test_a_malformed_interval_setting_is_refused(monkeypatch, value):
    from claimtrack.settings import envmonths_by_name

    monkeypatch.setenv("REVIEW_TEST_MONTHS", value)
    with pytest.raises(ImproperlyConfigured, match="REVIEW_TEST_MONTHS"):
        envmonths_by_name("REVIEW_TEST_MONTHS", {})


def test_an_interval_setting_is_read(monkeypatch):
    from claimtrack.settings import envmonths_by_name

    monkeypatch.setenv("REVIEW_TEST_MONTHS", " safety=6, efficacy=18 ")
    assert envmonths_by_name("REVIEW_TEST_MONTHS", {}) == {"safety": 6, "efficacy": 18}


def test_a_verdict_dates_its_next_review_by_its_topic(editor, reviewed_claim):
    reviewed_claim.change_verdict(
        by=editor, status=Status.OVERSTATED, certainty="low", rationale="Mice.", note="Mice."
    )
    reviewed_claim.refresh_from_db()
    assert reviewed_claim.review_due_on == add_months(TODAY, 24)
    raw_update(Claim.objects.filter(pk=reviewed_claim.pk), topic=Topic.SAFETY)
    reviewed_claim.refresh_from_db()
    reviewed_claim.change_verdict(
        by=editor, status=Status.PARTLY_SUPPORTED, certainty="low", rationale="M.", note="M."
    )
    reviewed_claim.refresh_from_db()
    assert reviewed_claim.review_due_on == add_months(TODAY, 12)
    assert reviewed_claim.due_reason == ""


def test_the_seed_claims_load_with_their_next_review_dated(seeded):
    reviewed = Claim.objects.reviewed()
    assert reviewed.exists()
    for claim in reviewed:
        assert claim.review_due_on == due_after_review(claim.reviewed_at, claim.topic), claim
    assert not Claim.objects.filter(status=Status.UNREVIEWED, review_due_on__isnull=False)
    safety = reviewed.filter(topic=Topic.SAFETY).first()
    assert safety.review_due_on == add_months(timezone.localdate(safety.reviewed_at), 12)


def test_the_migration_dates_the_verdicts_given_before_it(reviewed_claim):
    raw_update(Claim.objects.filter(pk=reviewed_claim.pk), review_due_on=None)
    draft = make_claim(reviewed_claim.article)  # unreviewed: no date
    migration = importlib.import_module("claimtrack.claims.migrations.0022_review_due")
    # The models as the migration sees them (plain managers), as of now.
    migration.date_reviews(MigrationLoader(connection).project_state().apps, None)
    reviewed_claim.refresh_from_db()
    # Loaded without a review date: dated from when it was added.
    assert reviewed_claim.review_due_on == due_after_review(
        reviewed_claim.created_at, reviewed_claim.topic
    )
    draft.refresh_from_db()
    assert draft.review_due_on is None


def test_make_due_dates_the_review_today_with_the_reason_in_the_history(reviewed_claim):
    version, public = reviewed_claim.version, PublicVersion.objects.current()
    assert Claim.objects.filter(pk=reviewed_claim.pk).make_due(why="A source was retracted.") == 1
    reviewed_claim.refresh_from_db()
    assert (reviewed_claim.review_due_on, reviewed_claim.due_reason) == (
        TODAY,
        "A source was retracted.",
    )
    assert reviewed_claim.review_is_due and not reviewed_claim.review_is_overdue
    # Bookkeeping: no new version for an editor's open form to trip on; the page is fresh.
    assert reviewed_claim.version == version
    assert PublicVersion.objects.current() != public
    last = reviewed_claim.history.latest()
    assert (last.review_due_on, last.history_change_reason) == (TODAY, "A source was retracted.")


def test_make_due_twice_for_one_reason_changes_nothing_the_second_time(reviewed_claim):
    claims = Claim.objects.filter(pk=reviewed_claim.pk)
    claims.make_due(why="A source was retracted.")
    history = reviewed_claim.history.count()
    assert claims.make_due(why="A source was retracted.") == 0
    assert reviewed_claim.history.count() == history


def test_an_overdue_claim_made_due_keeps_its_date_and_takes_the_reason(reviewed_claim):
    long_ago = TODAY - datetime.timedelta(days=100)
    raw_update(Claim.objects.filter(pk=reviewed_claim.pk), review_due_on=long_ago)
    Claim.objects.filter(pk=reviewed_claim.pk).make_due(why="Its evidence was revised.")
    reviewed_claim.refresh_from_db()
    assert reviewed_claim.review_due_on == long_ago
    assert reviewed_claim.due_reason == "Its evidence was revised."


def test_drafts_and_withdrawn_claims_are_not_made_due(article, reviewed_claim, editor):
    draft = make_claim(article, status="unverifiable", rationale="Vague.", published_at=None)
    reviewed_claim.withdraw(by=editor, note="Duplicate.")
    assert Claim.objects.all().make_due(why="Check.") == 0
    assert not Claim.objects.filter(pk__in=[draft.pk, reviewed_claim.pk], review_due_on=TODAY)


def test_the_claims_citing_a_source_with_a_notice_are_made_due(evidenced_claim, citation):
    other = make_claim(evidenced_claim.article, status="unverifiable", rationale="Vague.")
    why = "A cited source (Murrough 2013) was retracted on 1 Dec 2026."
    assert Claim.objects.citing(citation).make_due(why=why) == 1
    evidenced_claim.refresh_from_db()
    other.refresh_from_db()
    assert evidenced_claim.due_reason == why
    assert other.review_due_on is None


def test_revised_evidence_makes_a_published_claim_due(editor, evidenced_claim, citation):
    evidence = evidenced_claim.evidence.get(citation=citation)
    evidence.note = "Mice only; n=12."
    evidenced_claim.revise_evidence(evidence, by=editor, why="Sample size.")
    evidenced_claim.refresh_from_db()
    assert evidenced_claim.review_due_on == TODAY
    assert "evidence was revised" in evidenced_claim.due_reason
    assert "Murrough and Iosifescu 2013" in evidenced_claim.due_reason


@pytest.mark.parametrize("change", ["add", "remove"])
def test_added_or_removed_evidence_makes_a_published_claim_due(
    editor, reviewed_claim, citation, change
):
    if change == "add":
        reviewed_claim.add_evidence(by=editor, citation=citation, stance="qualifies", note="Rats.")
    else:
        evidence = reviewed_claim.evidence.get()
        reviewed_claim.add_evidence(by=editor, citation=citation, stance="qualifies", note="R.")
        raw_update(Claim.objects.filter(pk=reviewed_claim.pk), review_due_on=None, due_reason="")
        reviewed_claim.remove_evidence(evidence, by=editor, why="Wrong paper.")
    reviewed_claim.refresh_from_db()
    assert reviewed_claim.review_due_on == TODAY
    assert reviewed_claim.due_reason.startswith("Its evidence was revised")


def test_a_drafts_evidence_does_not_make_it_due(editor, article, citation):
    draft = make_claim(article, status="unverifiable", rationale="Vague.", published_at=None)
    draft.add_evidence(by=editor, citation=citation, stance="qualifies", note="Rats.")
    draft.refresh_from_db()
    assert draft.review_due_on is None


def test_a_new_source_in_the_group_makes_the_others_due(editor, reviewed_claim, citation):
    group = ClaimGroup.objects.create(slug="bdnf", name="Ketamine and BDNF")
    sibling = make_claim(
        reviewed_claim.article, status="unverifiable", rationale="Vague.", group=group
    )
    citing_already = make_claim(
        reviewed_claim.article,
        slug="bdnf-2",
        quote="Ketamine can relieve",
        statement="Ketamine relieves.",
        status="partly_supported",
        rationale="One trial.",
        group=group,
    )
    citing_already.evidence.create(citation=citation, stance="supports", note="Trial.")
    outsider = make_claim(
        reviewed_claim.article,
        slug="other",
        quote="It triggers",
        statement="It triggers.",
        status="unverifiable",
        rationale="Vague.",
    )
    raw_update(Claim.objects.filter(pk=reviewed_claim.pk), group=group)
    reviewed_claim.refresh_from_db()

    reviewed_claim.add_evidence(by=editor, citation=citation, stance="qualifies", note="Trial.")
    due = dict(Claim.objects.filter(review_due_on=TODAY).values_list("pk", "due_reason"))
    assert set(due) == {reviewed_claim.pk, sibling.pk}
    assert due[sibling.pk] == (
        "A new source (Murrough and Iosifescu 2013) was added to another claim in its group, "
        "“Ketamine and BDNF”."
    )
    assert outsider.pk not in due and citing_already.pk not in due


def test_a_whole_row_save_of_an_older_copy_keeps_the_due_date(editor, reviewed_claim):
    stale = Claim.objects.get(pk=reviewed_claim.pk)
    Claim.objects.filter(pk=reviewed_claim.pk).make_due(why="A source was retracted.")
    stale.group_note = "Differs."
    stale.save_edit(by=editor, note="Note.")
    reviewed_claim.refresh_from_db()
    assert (reviewed_claim.review_due_on, reviewed_claim.group_note) == (TODAY, "Differs.")


def test_a_new_verdict_settles_the_due_review(editor, reviewed_claim):
    Claim.objects.filter(pk=reviewed_claim.pk).make_due(why="A source was retracted.")
    reviewed_claim.refresh_from_db()
    reviewed_claim.change_verdict(
        by=editor, status=Status.OVERSTATED, certainty="low", rationale="Mice.", note="Mice."
    )
    reviewed_claim.refresh_from_db()
    assert reviewed_claim.review_due_on == add_months(TODAY, 24)
    assert reviewed_claim.due_reason == ""
    assert not Claim.objects.due_for_review()


def test_a_verdict_that_stands_is_confirmed_on_the_record(editor, reviewed_claim):
    Claim.objects.filter(pk=reviewed_claim.pk).make_due(why="A source was retracted.")
    reviewed_claim.refresh_from_db()
    change = reviewed_claim.confirm_verdict(by=editor, note="Searched PubMed; nothing new.")
    reviewed_claim.refresh_from_db()
    assert change.kind == ChangeKind.RECHECK and change.note == "Searched PubMed; nothing new."
    assert reviewed_claim.reviewed_by == editor
    assert reviewed_claim.reviewed_at.date() == TODAY
    assert reviewed_claim.status == Status.PARTLY_SUPPORTED  # unchanged
    assert (reviewed_claim.review_due_on, reviewed_claim.due_reason) == (add_months(TODAY, 24), "")


def test_confirming_a_verdict_takes_the_right_and_a_note(reviewer, editor, reviewed_claim):
    with pytest.raises(PermissionDenied):
        reviewed_claim.confirm_verdict(by=reviewer, note="Checked.")
    with pytest.raises(ValidationError, match="Say what was checked"):
        reviewed_claim.confirm_verdict(by=editor, note="  ")
    draft = make_claim(
        reviewed_claim.article, status="unverifiable", rationale="V.", published_at=None
    )
    with pytest.raises(ValidationError, match="not a public verdict"):
        draft.confirm_verdict(by=editor, note="Checked.")


# The public claim page.


def page_of(client, claim):
    return client.get(claim.get_absolute_url()).content.decode()


def test_the_page_says_when_the_claim_was_reviewed_and_next_due(client, editor, reviewed_claim):
    reviewed_claim.change_verdict(
        by=editor, status=Status.OVERSTATED, certainty="low", rationale="Mice.", note="Mice."
    )
    page = page_of(client, reviewed_claim)
    assert f"{timezone.localtime():%-d %B %Y}</time>" in page
    due = add_months(TODAY, 24)
    assert f'<dt>Next review</dt><dd>Due by <time datetime="{due:%Y-%m-%d}">' in page
    assert "Review overdue" not in page


def test_the_overdue_note_shows_once_the_date_passes_without_a_write(
    client, editor, reviewed_claim, today_is
):
    reviewed_claim.change_verdict(
        by=editor, status=Status.OVERSTATED, certainty="low", rationale="Mice.", note="Mice."
    )
    assert "Review overdue" not in page_of(client, reviewed_claim)  # now in the page cache
    version = PublicVersion.objects.current()
    today_is(LATER)
    page = page_of(client, reviewed_claim)
    assert PublicVersion.objects.current() == version  # nothing was written
    due = add_months(TODAY, 24)
    assert "<strong>Review overdue.</strong>" in page
    assert f'due to be checked again against the evidence on <time datetime="{due:%Y-%m-%d}">' in (
        page
    )
    assert "Overdue since <time" in page
    today_is(TODAY)
    assert "Review overdue" not in page_of(client, reviewed_claim)


def test_a_claim_made_due_says_why_on_its_page(client, reviewed_claim):
    Claim.objects.filter(pk=reviewed_claim.pk).make_due(why="A cited source was retracted.")
    page = page_of(client, reviewed_claim)
    assert "<strong>Review due today.</strong>" in page
    assert "<p>Why: A cited source was retracted.</p>" in page


def test_a_withdrawn_claim_shows_no_review_note(client, editor, reviewed_claim):
    Claim.objects.filter(pk=reviewed_claim.pk).make_due(why="A cited source was retracted.")
    reviewed_claim.refresh_from_db()
    reviewed_claim.withdraw(by=editor, note="Duplicate.")
    page = page_of(client, reviewed_claim)
    assert "Review due" not in page and "Next review" not in page
