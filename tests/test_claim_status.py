import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claimtrack.claims.models import ChangeKind, Claim, Status


def test_change_verdict_records_who_when_from_to_and_why(claim, editor):
    change = claim.change_verdict(
        by=editor,
        status="supported",
        certainty="moderate",
        rationale="Two RCTs.",
        note="Read them.",
    )
    claim.refresh_from_db()
    assert (claim.status, claim.certainty, claim.rationale) == (
        "supported",
        "moderate",
        "Two RCTs.",
    )
    assert claim.reviewed_by == editor and claim.reviewed_at is not None
    assert change.kind == ChangeKind.VERDICT
    assert (change.old_status, change.new_status) == ("unreviewed", "supported")
    assert (change.old_rationale, change.new_rationale) == ("", "Two RCTs.")
    assert change.changed_by == editor and change.note == "Read them."


def test_every_change_is_kept(claim, editor):
    claim.change_verdict(by=editor, status="supported", certainty="low", rationale="A.", note="1")
    claim.change_verdict(by=editor, status="overstated", certainty="low", rationale="B.", note="2")
    history = list(claim.changes.order_by("pk").values_list("old_status", "new_status", "note"))
    assert history == [("unreviewed", "supported", "1"), ("supported", "overstated", "2")]


def test_an_unchanged_verdict_records_nothing(reviewed_claim, editor):
    result = reviewed_claim.change_verdict(
        by=editor,
        status=reviewed_claim.status,
        certainty=reviewed_claim.certainty,
        rationale=reviewed_claim.rationale,
        note="No change.",
    )
    assert result is None
    assert not reviewed_claim.changes.exists()


def test_it_rejects_verdict_change_by_reviewer(claim, reviewer):
    with pytest.raises(PermissionDenied):
        claim.change_verdict(by=reviewer, status="supported", certainty="", rationale="x", note="x")
    assert Claim.objects.get(pk=claim.pk).status == Status.UNREVIEWED
    assert not claim.changes.exists()


def test_it_requires_a_reason_to_change_a_published_verdict(reviewed_claim, editor):
    with pytest.raises(ValidationError) as error:
        reviewed_claim.change_verdict(
            by=editor, status="supported", certainty="", rationale="x", note=" "
        )
    assert error.value.code == "note_required"


def test_a_first_verdict_needs_no_reason_and_publishes_no_filler(client, claim, editor):
    claim.change_verdict(by=editor, status="supported", certainty="low", rationale="x", note="")
    change = claim.changes.get()
    assert (change.new_status, change.note) == ("supported", "")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Why:" not in page[page.index('class="history"') :]


def test_it_requires_a_rationale_for_a_reviewed_claim(claim, editor):
    with pytest.raises(ValidationError, match="rationale"):
        claim.change_verdict(by=editor, status="supported", certainty="", rationale="", note="x")


def test_it_rejects_an_unknown_status_naming_the_claim(claim, editor):
    with pytest.raises(ValidationError, match="within-hours"):
        claim.change_verdict(by=editor, status="true-ish", certainty="", rationale="x", note="x")


def test_status_carries_its_rating_and_required_stances():
    assert Status.SUPPORTED.rating_value == 5
    assert Status.CONTRADICTED.rating_value == 1
    assert Status.UNVERIFIABLE.rating_value is None
    assert Status.CONTRADICTED.required_stances == {"contradicts"}
    assert Status.UNSUPPORTED.required_stances == set()


def test_evidence_changes_are_recorded(claim, editor, citation):
    evidence = claim.add_evidence(by=editor, citation=citation, stance="supports", note="n=73")
    evidence.stance = "qualifies"
    claim.revise_evidence(evidence, by=editor, why="Active placebo shrinks the effect.")
    claim.remove_evidence(evidence, by=editor, why="Wrong paper.")
    summaries = list(claim.changes.order_by("pk").values_list("kind", "summary"))
    assert summaries == [
        ("evidence", "Added evidence: Murrough and Iosifescu 2013 (supports)"),
        ("evidence", "Revised evidence: Murrough and Iosifescu 2013 (qualifies)"),
        ("evidence", "Removed evidence: Murrough and Iosifescu 2013 (qualifies)"),
    ]
    assert not claim.evidence.exists()


def test_it_rejects_evidence_change_by_reviewer(claim, reviewer, citation):
    with pytest.raises(PermissionDenied):
        claim.add_evidence(by=reviewer, citation=citation, stance="supports", note="x")
    assert not claim.evidence.exists()


def test_evidence_gaps_name_the_missing_stance(reviewed_claim, editor, citation):
    assert "qualifies or supports" in reviewed_claim.evidence_gaps()
    reviewed_claim.add_evidence(by=editor, citation=citation, stance="qualifies", note="mice")
    assert reviewed_claim.evidence_gaps() == ""
