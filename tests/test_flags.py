import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError

from claimtrack.claims.models import Flag, ReasonTag

from .conftest import tag


def test_reviewer_raises_a_flag(claim, reviewer):
    flag = Flag.objects.raise_flag(
        claim=claim, by=reviewer, reason=tag("overstates-impact"), comment="Hours?"
    )
    assert flag.is_open and flag.raised_by == reviewer
    assert list(Flag.objects.open()) == [flag]


def test_the_reason_is_a_reason_tag_shared_with_verdicts(claim, reviewer):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("lacks-context"))
    assert flag.reason.name == "Lacks context"
    assert list(tag("lacks-context").flags.all()) == [flag]


@pytest.mark.parametrize("reason", ["overstated", None, ReasonTag(slug="unsaved")])
def test_it_rejects_a_reason_that_is_not_a_stored_tag(claim, reviewer, reason):
    with pytest.raises(ValidationError) as error:
        Flag.objects.raise_flag(claim=claim, by=reviewer, reason=reason)
    assert error.value.error_dict["reason"][0].code == "invalid_reason"
    assert not Flag.objects.exists()


def test_other_needs_a_comment_that_says_what(claim, reviewer):
    with pytest.raises(ValidationError) as error:
        Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("other"), comment="  ")
    assert error.value.error_dict["comment"][0].code == "comment_required"
    flag = Flag.objects.raise_flag(
        claim=claim, by=reviewer, reason=tag("other"), comment="The dose is wrong."
    )
    assert flag.reason.slug == "other"


def test_a_tag_that_is_a_flags_reason_cannot_be_deleted(claim, reviewer):
    Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("outdated"))
    with pytest.raises(ProtectedError):
        tag("outdated").delete()


def test_it_rejects_flag_from_user_without_role(claim, outsider):
    with pytest.raises(PermissionDenied):
        Flag.objects.raise_flag(claim=claim, by=outsider, reason=tag("overstates-impact"))
    assert not Flag.objects.exists()


def test_it_rejects_a_second_open_flag_for_the_same_reason(claim, reviewer):
    Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    with pytest.raises(ValidationError) as error:
        Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    assert error.value.code == "duplicate_flag"
    assert Flag.objects.count() == 1


def test_another_reason_or_a_settled_flag_does_not_block(claim, reviewer, editor):
    first = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("lacks-context"))
    first.dismiss(by=editor, note="Fine as worded.")
    Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    assert Flag.objects.count() == 3


def test_the_database_enforces_one_open_flag(claim, reviewer):
    Flag.objects.create(claim=claim, raised_by=reviewer, reason=tag("overstates-impact"))
    with pytest.raises(IntegrityError):
        Flag.objects.create(claim=claim, raised_by=reviewer, reason=tag("overstates-impact"))


def test_upholding_with_a_status_changes_the_claim_and_records_it(reviewed_claim, reviewer, editor):
    claim = reviewed_claim
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    flag.uphold(by=editor, note="Hours, not minutes.", status="overstated", rationale="Hours.")
    flag.refresh_from_db()
    claim.refresh_from_db()
    assert (flag.state, flag.resolved_by, flag.resolution_note) == (
        "upheld",
        editor,
        "Hours, not minutes.",
    )
    assert flag.resolved_at is not None
    assert claim.status == "overstated"
    change = claim.changes.get()
    assert change.changed_by == editor
    assert change.note == (
        "A reviewer's flag (overstates the impact of a finding) was upheld: Hours, not minutes."
    )


def test_dismissing_leaves_the_claim_alone(reviewed_claim, reviewer, editor):
    flag = Flag.objects.raise_flag(claim=reviewed_claim, by=reviewer, reason=tag("outdated"))
    flag.dismiss(by=editor, note="Still current.")
    reviewed_claim.refresh_from_db()
    assert flag.state == "dismissed"
    assert reviewed_claim.status == "partly_supported"
    assert not reviewed_claim.changes.exists()


def test_it_rejects_settling_by_reviewer(claim, reviewer):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    with pytest.raises(PermissionDenied):
        flag.dismiss(by=reviewer, note="Mine anyway.")
    assert Flag.objects.get(pk=flag.pk).is_open


def test_it_rejects_settling_twice(claim, reviewer, editor):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    stale = Flag.objects.get(pk=flag.pk)
    flag.dismiss(by=editor, note="No.")
    with pytest.raises(ValidationError, match="already dismissed"):
        stale.uphold(by=editor, note="Yes.", status="overstated", rationale="x")
    assert Flag.objects.get(pk=flag.pk).state == "dismissed"
    assert not claim.changes.exists()


def test_a_failed_verdict_change_leaves_the_flag_open(claim, reviewer, editor):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    with pytest.raises(ValidationError):  # a reviewed status needs a rationale
        flag.uphold(by=editor, note="Agreed.", status="overstated")
    assert Flag.objects.get(pk=flag.pk).is_open


def test_review_queue_puts_open_flags_first_then_oldest(claim, reviewer, editor):
    settled = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("outdated"))
    older = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    newer = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("misquoted"))
    settled.dismiss(by=editor, note="No.")
    assert list(Flag.objects.review_queue()) == [older, newer, settled]
