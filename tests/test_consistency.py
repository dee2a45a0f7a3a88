"""The consistency report: verdicts that differ from their group's without a note, claims that
read like a group they are not in, empty groups; and the check_consistency command."""

import pytest
from django.core.management import call_command

from claimtrack.claims import consistency
from claimtrack.claims.models import Article, ClaimGroup
from tests.conftest import make_claim

HOURS = "Ketamine relieves depression within hours."
FEW_HOURS = "Ketamine lifts depression within a few hours."
INSTANTLY = "Ketamine relieves depression instantly."
AFTER_A_DOSE = "Ketamine relieves depression within hours of a dose."
BLOOD_PRESSURE = "Ketamine raises blood pressure."
BDNF = "Ketamine triggers BDNF release."


@pytest.fixture
def news(db):
    text = " ".join([HOURS, FEW_HOURS, INSTANTLY, AFTER_A_DOSE, BLOOD_PRESSURE, BDNF])
    return Article.objects.create(slug="news", title="News", text=text)


@pytest.fixture
def onset(db):
    return ClaimGroup.objects.create(slug="onset", name="Onset of effect")


def add(article, statement, status="supported", **fields):
    """A claim quoting `statement` word for word; reviewed unless status says otherwise."""
    if status != "unreviewed":
        fields = {"certainty": "low", "rationale": "Two small trials.", **fields}
    slug = statement.lower().replace(" ", "-").strip(".")[:60]
    return make_claim(
        article, slug=slug, quote=statement, statement=statement, status=status, **fields
    )


@pytest.fixture
def onset_claims(news, onset):
    """Two supported members and one overstated member without a note."""
    return [
        add(news, HOURS, group=onset),
        add(news, FEW_HOURS, group=onset),
        add(news, INSTANTLY, "overstated", group=onset),
    ]


def run_command(*args):
    """check_consistency's exit status (0 when it returns normally)."""
    try:
        call_command("check_consistency", *args)
    except SystemExit as exit:
        return exit.code
    return 0


# (a) a verdict that differs from its group's without a note


def test_a_member_whose_verdict_differs_without_a_note_is_reported(onset_claims):
    [difference] = consistency.unexplained_differences()
    assert difference.claim == onset_claims[2]
    assert (difference.group_status, difference.agreeing, difference.reviewed) == (
        "supported",
        2,
        3,
    )
    assert str(difference) == (
        "news/ketamine-relieves-depression-instantly is overstated but its group “onset” is "
        "supported (2 of 3), and it has no group note"
    )


def test_a_group_note_clears_the_difference(onset_claims):
    instantly = onset_claims[2]
    instantly.group_note = "Says “instantly”; the trials measured relief after hours."
    instantly.save()
    assert consistency.unexplained_differences() == []


def test_a_blank_group_note_does_not_clear_it(onset_claims):
    onset_claims[2].group_note = "  "
    onset_claims[2].save()
    assert len(consistency.unexplained_differences()) == 1


def test_a_group_whose_verdicts_agree_has_no_difference(news, onset):
    add(news, HOURS, group=onset)
    add(news, FEW_HOURS, group=onset)
    assert consistency.unexplained_differences() == []


def test_unreviewed_members_have_no_verdict_to_differ(news, onset):
    add(news, HOURS, group=onset)
    add(news, FEW_HOURS, "unreviewed", group=onset)
    assert consistency.unexplained_differences() == []


def test_on_a_tie_the_members_with_a_note_are_the_exception(news, onset):
    add(news, HOURS, group=onset)
    add(news, INSTANTLY, "overstated", group=onset, group_note="Says “instantly”.")
    assert consistency.unexplained_differences() == []


def test_on_a_tie_without_notes_the_scale_decides(news, onset):
    add(news, INSTANTLY, "overstated", group=onset)
    add(news, HOURS, group=onset)
    [difference] = consistency.unexplained_differences()
    assert (difference.claim.statement, difference.group_status) == (INSTANTLY, "supported")


# (b) a claim that reads like a group it is not in


def test_an_ungrouped_claim_that_reads_like_a_group_is_reported(onset_claims, news):
    claim = add(news, AFTER_A_DOSE)
    [lookalike] = consistency.lookalikes()
    assert (lookalike.claim, lookalike.group.slug) == (claim, "onset")
    assert lookalike.member == onset_claims[0]  # the member it reads most like
    assert lookalike.score >= consistency.SIMILARITY_THRESHOLD
    assert str(lookalike).startswith("news/ketamine-relieves-depression-within-hours-of-a-dose")
    assert "(in no group) is 100% like news/ketamine-relieves-depression-within-hours" in str(
        lookalike
    )


def test_joining_the_group_clears_the_lookalike(onset_claims, news, onset):
    claim = add(news, AFTER_A_DOSE)
    claim.group = onset
    claim.save()
    assert consistency.lookalikes() == []


def test_a_claim_an_editor_put_in_another_group_is_not_second_guessed(onset_claims, news):
    other = ClaimGroup.objects.create(slug="dosing", name="Dosing")
    add(news, AFTER_A_DOSE, group=other)
    assert consistency.lookalikes() == []


def test_a_claim_saying_something_else_does_not_look_like_the_group(onset_claims, news):
    add(news, BLOOD_PRESSURE)
    add(news, BDNF)
    assert consistency.lookalikes() == []


def test_the_threshold_decides_what_looks_alike(onset_claims, news):
    claim = add(news, BLOOD_PRESSURE)
    assert consistency.lookalikes() == []
    [lookalike] = consistency.lookalikes(threshold=0)  # one finding per group, not per member
    assert lookalike.claim == claim


def test_statements_are_compared_without_case_or_punctuation():
    assert (
        consistency.normalise("Ketamine  RELIEVES, depression!") == "ketamine  relieves  depression"
    )


# (c) empty groups


def test_an_empty_group_is_reported_until_it_gathers_a_claim(news, onset):
    assert list(consistency.empty_groups()) == [onset]
    add(news, HOURS, group=onset)
    assert list(consistency.empty_groups()) == []


def test_the_report_loads_the_claims_once(onset_claims, news, django_assert_num_queries):
    add(news, AFTER_A_DOSE)
    with django_assert_num_queries(2):  # claims with articles and groups; empty groups
        report = consistency.report()
    assert [len(report.unexplained), len(report.lookalikes), len(report.empty_groups)] == [1, 1, 0]


# The command


def test_the_command_prints_one_line_per_finding_and_exits_1(onset_claims, news, capsys):
    add(news, AFTER_A_DOSE)
    ClaimGroup.objects.create(slug="spravato", name="Esketamine approval")
    assert run_command() == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "verdict differs: news/ketamine-relieves-depression-instantly is overstated but its "
        "group “onset” is supported (2 of 3), and it has no group note",
        "looks like a group: news/ketamine-relieves-depression-within-hours-of-a-dose "
        "(in no group) is 100% like news/ketamine-relieves-depression-within-hours, "
        "in group “onset”",
        "empty group: “spravato” (Esketamine approval) has no claims",
        "3 finding(s): 1 verdict(s) differ from their group's without a note, 1 claim(s) look "
        "like a group they are not in, 1 empty group(s).",
    ]


def test_the_command_exits_0_when_the_review_is_consistent(onset_claims, capsys):
    onset_claims[2].group_note = "Says “instantly”."
    onset_claims[2].save()
    assert run_command() == 0
    assert capsys.readouterr().out == (
        "No findings: every group's verdicts agree or say why they differ.\n"
    )


def test_the_command_prints_only_findings_at_verbosity_0(onset_claims, capsys):
    assert run_command("--verbosity", "0") == 1
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("verdict differs: ")


def test_the_command_names_its_threshold_at_verbosity_2(db, capsys):
    assert run_command("--verbosity", "2") == 0
    assert f"threshold {consistency.SIMILARITY_THRESHOLD}" in capsys.readouterr().out


def test_the_command_changes_nothing(onset_claims, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the two reads of report(), no writes
        run_command("--verbosity", "0")
