import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from claimtrack.claims.models import Flag


def test_reviewer_raises_a_flag(claim, reviewer):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason="overstated", comment="Hours?")
    assert flag.is_open and flag.raised_by == reviewer
    assert list(Flag.objects.open()) == [flag]


def test_it_rejects_flag_from_user_without_role(claim, outsider):
    with pytest.raises(PermissionDenied):
        Flag.objects.raise_flag(claim=claim, by=outsider, reason="overstated")
    assert not Flag.objects.exists()


def test_it_rejects_a_second_open_flag_for_the_same_reason(claim, reviewer):
    Flag.objects.raise_flag(claim=claim, by=reviewer, reason="overstated")
    with pytest.raises(ValidationError) as error:
        Flag.objects.raise_flag(claim=claim, by=reviewer, reason="overstated")
    assert error.value.code == "duplicate_flag"
    assert Flag.objects.count() == 1


def test_another_reason_or_a_settled_flag_does_not_block(claim, reviewer, editor):
    first = Flag.objects.raise_flag(claim=claim, by=reviewer, reason="overstated")
    Flag.objects.raise_flag(claim=claim, by=reviewer, reason="lacks_context")
    first.dismiss(by=editor, note="Fine as worded.")
    Flag.objects.raise_flag(claim=claim, by=reviewer, reason="overstated")
    assert Flag.objects.count() == 3


def test_the_database_enforces_one_open_flag(claim, reviewer):
    Flag.objects.create(claim=claim, raised_by=reviewer, reason="overstated")
    with pytest.raises(IntegrityError):
        Flag.objects.create(claim=claim, raised_by=reviewer, reason="overstated")


def test_upholding_with_a_status_changes_the_claim_and_records_it(reviewed_claim, reviewer, editor):
    claim = reviewed_claim
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason="overstated")
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
    assert change.note == "A reviewer's flag (overstated) was upheld: Hours, not minutes."


def test_dismissing_leaves_the_claim_alone(reviewed_claim, reviewer, editor):
    flag = Flag.objects.raise_flag(claim=reviewed_claim, by=reviewer, reason="outdated")
    flag.dismiss(by=editor, note="Still current.")
    reviewed_claim.refresh_from_db()
    assert flag.state == "dismissed"
    assert reviewed_claim.status == "partly_supported"
    assert not reviewed_claim.changes.exists()


def test_it_rejects_settling_by_reviewer(claim, reviewer):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason="overstated")
    with pytest.raises(PermissionDenied):
        flag.dismiss(by=reviewer, note="Mine anyway.")
    assert Flag.objects.get(pk=flag.pk).is_open


def test_it_rejects_settling_twice(claim, reviewer, editor):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason="overstated")
    stale = Flag.objects.get(pk=flag.pk)
    flag.dismiss(by=editor, note="No.")
    with pytest.raises(ValidationError, match="already dismissed"):
        stale.uphold(by=editor, note="Yes.", status="overstated", rationale="x")
    assert Flag.objects.get(pk=flag.pk).state == "dismissed"
    assert not claim.changes.exists()


def test_a_failed_verdict_change_leaves_the_flag_open(claim, reviewer, editor):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason="overstated")
    with pytest.raises(ValidationError):  # a reviewed status needs a rationale
        flag.uphold(by=editor, note="Agreed.", status="overstated")
    assert Flag.objects.get(pk=flag.pk).is_open


def test_review_queue_puts_open_flags_first_then_oldest(claim, reviewer, editor):
    settled = Flag.objects.raise_flag(claim=claim, by=reviewer, reason="outdated")
    older = Flag.objects.raise_flag(claim=claim, by=reviewer, reason="overstated")
    newer = Flag.objects.raise_flag(claim=claim, by=reviewer, reason="other")
    settled.dismiss(by=editor, note="No.")
    assert list(Flag.objects.review_queue()) == [older, newer, settled]
