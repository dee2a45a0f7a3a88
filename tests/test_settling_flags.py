"""Settling a flag: the page shows the claim as it stands (verdict, rationale, evidence) above
the form, whose new rationale starts as the current one. Flags settle once: a second editor, or
the loser of a race, is told who settled it, when and how; nobody gets an error page."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from claimtrack.claims.models import Flag

from .conftest import form_data, make_claim, make_user, tag


def settle(client, flag, decision="dismiss", note="Not overstated."):
    url = reverse("admin:claims_flag_change", args=[flag.pk])
    return client.post(url, {"decision": decision, "note": note, "_save": "Save"}, follow=True)


def flag_page(client, flag):
    return client.get(reverse("admin:claims_flag_change", args=[flag.pk]))


@pytest.fixture
def flag(evidenced_claim, reviewer):
    """A flag on a claim judged partly supported (low certainty), with one evidence link."""
    return Flag.objects.raise_flag(
        claim=evidenced_claim, by=reviewer, reason=tag("animal-extrapolation")
    )


def test_the_settle_page_shows_the_claims_verdict_rationale_and_evidence_above_the_form(
    client, editor, flag
):
    client.force_login(editor)
    page = flag_page(client, flag).content.decode()
    now = page[page.index("The claim now") : page.index('name="decision"')]
    assert '<span class="ct-badge ct-status-partly_supported">Partly supported</span>' in now
    assert "certainty of evidence: Low" in now
    assert "<p>Shown in mice, not in people.</p>" in now
    assert "Murrough and Iosifescu 2013</a>: Antidepressant efficacy of ketamine" in now
    assert '<span class="ct-badge ct-stance-qualifies">Qualifies</span>' in now
    assert "<td>Mice only.</td>" in now


def test_a_reviewer_reads_the_claim_on_the_flags_page_too(client, reviewer, flag):
    client.force_login(reviewer)
    page = flag_page(client, flag).content.decode()
    assert "Shown in mice, not in people." in page and "Mice only." in page
    assert 'name="decision"' not in page


def test_a_claim_without_evidence_says_so(client, editor, reviewer, claim):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("outdated"))
    client.force_login(editor)
    page = flag_page(client, flag).content.decode()
    assert "None linked yet." in page
    assert "certainty of evidence: not given" in page


def test_the_new_rationale_starts_as_the_claims_rationale(client, editor, flag):
    client.force_login(editor)
    page = flag_page(client, flag).content.decode()
    assert '">\nShown in mice, not in people.</textarea>' in page


def test_dismissing_with_the_rationale_as_it_was_changes_nothing(client, editor, flag):
    client.force_login(editor)
    data = form_data(flag_page(client, flag), "flag_form")
    assert data["new_rationale"] == "Shown in mice, not in people."
    data.update(decision="dismiss", note="Mice are flagged already.", _save="Save")
    response = client.post(reverse("admin:claims_flag_change", args=[flag.pk]), data)
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.state == "dismissed"
    claim = flag.claim
    claim.refresh_from_db()
    assert claim.rationale == "Shown in mice, not in people."
    assert not claim.changes.exists()


def test_upholding_with_an_edited_rationale_changes_it(client, editor, flag):
    client.force_login(editor)
    data = form_data(flag_page(client, flag), "flag_form")
    data.update(
        decision="uphold",
        note="Say mice.",
        new_rationale="Shown in mice.\r\nNot yet in people.",  # as a browser sends it
        _save="Save",
    )
    client.post(reverse("admin:claims_flag_change", args=[flag.pk]), data)
    claim = flag.claim
    claim.refresh_from_db()
    assert (claim.status, claim.rationale) == (
        "partly_supported",
        "Shown in mice.\nNot yet in people.",
    )
    change = claim.changes.get()
    assert (change.old_rationale, change.new_rationale) == (
        "Shown in mice, not in people.",
        "Shown in mice.\nNot yet in people.",
    )


def test_upholding_with_a_new_status_keeps_the_rationale_left_as_it_was(client, editor, flag):
    client.force_login(editor)
    data = form_data(flag_page(client, flag), "flag_form")
    data.update(decision="uphold", note="Mice only.", new_status="unsupported", _save="Save")
    client.post(reverse("admin:claims_flag_change", args=[flag.pk]), data)
    claim = flag.claim
    claim.refresh_from_db()
    assert (claim.status, claim.rationale) == ("unsupported", "Shown in mice, not in people.")


def test_settling_a_settled_flag_says_who_settled_it_when_and_how(client, editor, reviewer, claim):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    flag.uphold(by=editor, note="Hours, not minutes.")
    second = make_user("eve", "Editors", is_staff=True)
    client.force_login(second)
    response = settle(client, flag)
    assert response.status_code == 200  # the flag's page again, read-only, not a 403
    page = response.content.decode()
    assert "This flag was already upheld by ed on" in page
    assert "Hours, not minutes." in page
    flag.refresh_from_db()
    assert (flag.state, flag.resolved_by, flag.resolution_note) == (
        "upheld",
        editor,
        "Hours, not minutes.",
    )


@pytest.mark.django_db(transaction=True)
def test_two_editors_settling_one_flag_at_once_both_get_an_answer(migration_data, article):
    claim = make_claim(article)
    reviewer = make_user("rita", "Reviewers", is_staff=True)
    editors = [make_user(name, "Editors", is_staff=True) for name in ("ed", "eve")]
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    start = threading.Barrier(2, timeout=30)
    answers = {}

    def editor_settles(user, decision):
        client = Client()
        client.force_login(user)
        start.wait()
        try:
            answers[user.username] = settle(client, flag, decision, note=f"{decision} it.")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=editor_settles, args=(user, decision))
        for user, decision in zip(editors, ["uphold", "dismiss"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [answer.status_code for answer in answers.values()] == [200, 200]
    flag.refresh_from_db()
    winner = flag.resolved_by.username
    loser = ({"ed", "eve"} - {winner}).pop()
    assert flag.state in ("upheld", "dismissed")
    assert "This flag was already" in answers[loser].content.decode()
    assert f"by {winner} on" in answers[loser].content.decode()
    assert flag.history.filter(history_type="~").count() == 1  # settled once
