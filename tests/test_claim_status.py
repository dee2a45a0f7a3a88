import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claimtrack.claims.models import ChangeKind, Claim, Status

from .conftest import make_claim


def test_change_verdict_records_who_when_from_to_and_why(reviewed_claim, editor):
    claim = reviewed_claim  # published: its verdict changes go on the public record
    change = claim.change_verdict(
        by=editor,
        status="overstated",
        certainty="moderate",
        rationale="Two RCTs, both small.",
        note="Read them.",
    )
    claim.refresh_from_db()
    assert (claim.status, claim.certainty, claim.rationale) == (
        "overstated",
        "moderate",
        "Two RCTs, both small.",
    )
    assert claim.reviewed_by == editor and claim.reviewed_at is not None
    assert change.kind == ChangeKind.VERDICT
    assert (change.old_status, change.new_status) == ("partly_supported", "overstated")
    assert (change.old_certainty, change.new_certainty) == ("low", "moderate")
    assert (change.old_rationale, change.new_rationale) == (
        "Shown in mice, not in people.",
        "Two RCTs, both small.",
    )
    assert change.changed_by == editor and change.note == "Read them."


def test_every_change_is_kept(reviewed_claim, editor):
    claim = reviewed_claim
    claim.change_verdict(by=editor, status="overstated", certainty="low", rationale="A.", note="1")
    claim.change_verdict(by=editor, status="unverifiable", certainty="", rationale="B.", note="2")
    history = list(claim.changes.order_by("pk").values_list("old_status", "new_status", "note"))
    assert history == [("partly_supported", "overstated", "1"), ("overstated", "unverifiable", "2")]


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


def test_it_rejects_a_published_verdict_change_by_reviewer(reviewed_claim, reviewer):
    with pytest.raises(PermissionDenied):
        reviewed_claim.change_verdict(
            by=reviewer, status="overstated", certainty="", rationale="x", note="x"
        )
    assert Claim.objects.get(pk=reviewed_claim.pk).status == Status.PARTLY_SUPPORTED
    assert not reviewed_claim.changes.exists()


def test_it_requires_a_reason_to_change_a_published_verdict(reviewed_claim, editor):
    with pytest.raises(ValidationError) as error:
        reviewed_claim.change_verdict(
            by=editor, status="supported", certainty="", rationale="x", note=" "
        )
    assert error.value.code == "note_required"


def test_a_first_verdict_needs_no_reason_and_publishes_no_filler(client, claim, editor, citation):
    claim.change_verdict(by=editor, status="supported", certainty="low", rationale="x", note="")
    claim.add_evidence(by=editor, citation=citation, stance="supports", note="n=73 RCT")
    claim.publish(by=editor)
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


def test_evidence_changes_are_recorded(reviewed_claim, editor, citation):
    claim = reviewed_claim  # published; its autry2011 evidence keeps the verdict complete
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
    assert not claim.evidence.filter(citation=citation).exists()


def test_it_rejects_evidence_change_to_a_published_claim_by_reviewer(
    reviewed_claim, reviewer, citation
):
    with pytest.raises(PermissionDenied):
        reviewed_claim.add_evidence(by=reviewer, citation=citation, stance="supports", note="x")
    assert not reviewed_claim.evidence.filter(citation=citation).exists()
    assert not reviewed_claim.changes.exists()


def test_evidence_gaps_name_the_missing_stance(article, editor, citation):
    draft = make_claim(
        article, status=Status.PARTLY_SUPPORTED, rationale="Mice only.", published_at=None
    )
    assert "qualifies or supports" in draft.evidence_gaps()
    draft.add_evidence(by=editor, citation=citation, stance="qualifies", note="mice")
    assert draft.evidence_gaps() == ""
