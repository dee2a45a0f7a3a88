"""The editorial admin: claims, the flag review queue, and the rules behind every save."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from claimtrack.claims.models import Certainty, Claim, ClaimChange, Evidence, Flag, Status

from .conftest import form_data, make_claim, tag

CLAIMS = reverse("admin:claims_claim_changelist")
FLAGS = reverse("admin:claims_flag_changelist")


def claim_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def claim_form(claim, **changes):
    """POST data for the claim change form, inlines empty unless given."""
    data = {
        "seen_version": claim.version,
        "article": claim.article_id,
        "slug": claim.slug,
        "quote": claim.quote,
        "statement": claim.statement,
        "topic": claim.topic,
        "group": "",
        "status": claim.status,
        "certainty": claim.certainty,
        "rationale": claim.rationale,
        "change_note": "",
    }
    for prefix in ["evidence", "flags", "changes"]:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


def test_claim_changelist_runs_the_same_queries_for_more_claims(client, editor, article):
    client.force_login(editor)
    for i in range(3):
        make_claim(article, slug=f"a{i}")
    with CaptureQueriesContext(connection) as few:
        assert client.get(CLAIMS).status_code == 200
    for i in range(3, 30):
        make_claim(article, slug=f"a{i}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(CLAIMS)
    assert response.status_code == 200
    assert len(many) == len(few)


def test_claim_changelist_shows_labels_and_counts(
    client, editor, reviewed_claim, reviewer, citation
):
    Flag.objects.raise_flag(claim=reviewed_claim, by=reviewer, reason=tag("overstates-impact"))
    Evidence.objects.create(claim=reviewed_claim, citation=citation, stance="qualifies", note="x")
    client.force_login(editor)
    response = client.get(CLAIMS, {"flagged": "yes"})
    row = response.context["cl"].result_list[0]
    assert (row.open_flag_count, row.evidence_count) == (1, 2)  # autry2011 and murrough2013
    assert 'class="ct-badge ct-status-partly_supported"' in response.content.decode()
    assert client.get(CLAIMS, {"flagged": "no"}).context["cl"].result_count == 0


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status__exact": "partly_supported"}, ["bdnf"]),
        ({"topic__exact": "efficacy"}, ["bdnf", "within-hours"]),
        ({"certainty__exact": "low"}, ["bdnf"]),
        ({"q": "BDNF"}, ["bdnf"]),
        ({"q": "Ketamine news"}, ["bdnf", "within-hours"]),
    ],
)
def test_claim_changelist_filters_and_search(
    client, editor, claim, reviewed_claim, params, expected
):
    client.force_login(editor)
    response = client.get(CLAIMS, params)
    assert sorted(c.slug for c in response.context["cl"].result_list) == expected


def test_claim_change_page_shows_quote_evidence_flags_and_history(
    client, editor, reviewer, reviewed_claim, citation
):
    reviewed_claim.add_evidence(by=editor, citation=citation, stance="qualifies", note="n=73 RCT")
    Flag.objects.raise_flag(
        claim=reviewed_claim, by=reviewer, reason=tag("outdated"), comment="Old."
    )
    client.force_login(editor)
    page = client.get(claim_url(reviewed_claim)).content.decode()
    for text in [
        "It triggers BDNF release.",
        "n=73 RCT",
        "Old.",
        "Added evidence: Murrough and Iosifescu 2013",
        "History (read-only",
    ]:
        assert text in page


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_claim_change_page_defines_every_status_and_certainty(client, request, claim, persona):
    client.force_login(request.getfixturevalue(persona))  # reviewers see the verdict read-only
    page = client.get(claim_url(claim)).content.decode()
    for choice in [*Status, *Certainty]:
        assert f"<li><b>{choice.label}</b>: {escape(choice.description)}</li>" in page


def test_editor_changes_a_published_verdict_and_it_is_recorded(client, editor, reviewed_claim):
    claim = reviewed_claim
    client.force_login(editor)
    data = form_data(client.get(claim_url(claim)), "claim_form")  # its evidence included
    data.update(
        status="overstated",
        certainty="low",
        rationale="Mice, not minutes.",
        change_note="Checked the trials.",
    )
    response = client.post(claim_url(claim), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    claim.refresh_from_db()
    assert claim.status == "overstated" and claim.reviewed_by == editor
    change = claim.changes.get()
    assert (change.old_status, change.new_status, change.note, change.changed_by) == (
        "partly_supported",
        "overstated",
        "Checked the trials.",
        editor,
    )


def test_a_verdict_without_fitting_evidence_gets_a_warning(client, editor, claim):
    client.force_login(editor)
    data = claim_form(claim, status="contradicted", rationale="x", change_note="y")
    response = client.post(claim_url(claim), data, follow=True)
    assert "needs evidence that contradicts it" in response.content.decode()


def test_a_published_verdict_changed_without_a_reason_is_refused(client, editor, reviewed_claim):
    client.force_login(editor)
    data = claim_form(reviewed_claim, status="supported", rationale="x")
    response = client.post(claim_url(reviewed_claim), data)
    assert response.status_code == 200
    assert "Say why the verdict changes" in response.content.decode()
    assert Claim.objects.get(pk=reviewed_claim.pk).status == "partly_supported"


def test_a_first_verdict_is_saved_without_a_reason(client, editor, claim):
    client.force_login(editor)
    data = claim_form(claim, status="supported", certainty="low", rationale="Two trials.")
    assert client.post(claim_url(claim), data).status_code == 302
    assert Claim.objects.get(pk=claim.pk).status == "supported"


def test_a_quote_that_is_not_in_the_article_is_refused(client, editor, claim):
    client.force_login(editor)
    response = client.post(claim_url(claim), claim_form(claim, quote="cures depression instantly"))
    assert response.status_code == 200
    assert "is not in the article" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).quote == claim.quote


def test_evidence_added_inline_is_recorded(client, editor, reviewed_claim, citation):
    claim = reviewed_claim
    client.force_login(editor)
    data = claim_form(
        claim,
        **{
            "evidence-TOTAL_FORMS": 1,
            "evidence-0-citation": citation.pk,
            "evidence-0-stance": "supports",
            "evidence-0-note": "MADRS -16.5 vs -8.8",
            "change_note": "Added the RCT.",
        },
    )
    assert client.post(claim_url(claim), data).status_code == 302
    assert claim.evidence.get(citation=citation).note == "MADRS -16.5 vs -8.8"
    change = claim.changes.get()
    assert change.summary == "Added evidence: Murrough and Iosifescu 2013 (supports)"
    assert change.note == "Added the RCT."


def test_citations_are_chosen_by_autocomplete(client, editor, citation):
    client.force_login(editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "claims",
            "model_name": "evidence",
            "field_name": "citation",
            "term": "murrough",
        },
    )
    assert [r["id"] for r in response.json()["results"]] == [str(citation.pk)]


def test_bulk_action_sets_one_verdict_and_records_each(client, editor, article):
    claims = [
        make_claim(article, slug=f"c{i}", status="unsupported", rationale="Nothing found.")
        for i in range(3)
    ]
    client.force_login(editor)
    data = {
        "action": "set_verdict",
        "_selected_action": [c.pk for c in claims[:2]],
        "apply": "1",
        "status": "unverifiable",
        "certainty": "",
        "rationale": "No study named.",
        "note": "Bulk review.",
    }
    assert client.post(CLAIMS, data).status_code == 302
    statuses = dict(Claim.objects.values_list("slug", "status"))
    assert statuses == {"c0": "unverifiable", "c1": "unverifiable", "c2": "unsupported"}
    assert ClaimChange.objects.filter(note="Bulk review.").count() == 2


def test_bulk_action_first_asks_for_the_verdict(client, editor, claim):
    client.force_login(editor)
    response = client.post(CLAIMS, {"action": "set_verdict", "_selected_action": [claim.pk]})
    assert response.status_code == 200
    assert "Set the verdict of selected claims" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "unreviewed"


def test_bulk_action_refuses_a_reviewed_status_without_rationale(client, editor, claim):
    client.force_login(editor)
    data = {
        "action": "set_verdict",
        "_selected_action": [claim.pk],
        "apply": "1",
        "status": "supported",
        "certainty": "",
        "rationale": "",
        "note": "x",
    }
    response = client.post(CLAIMS, data)
    assert response.status_code == 200
    assert "needs a public rationale" in response.content.decode()
    assert not ClaimChange.objects.exists()


def test_flag_queue_lists_open_flags_first_then_oldest(client, editor, reviewer, claim):
    settled = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("outdated"))
    older = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    newer = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("misquoted"))
    settled.dismiss(by=editor, note="No.")
    client.force_login(editor)
    response = client.get(FLAGS)
    assert list(response.context["cl"].result_list) == [older, newer, settled]


def test_editor_upholds_a_flag_and_sets_the_claim_status(client, editor, reviewer, reviewed_claim):
    flag = Flag.objects.raise_flag(
        claim=reviewed_claim, by=reviewer, reason=tag("overstates-impact")
    )
    client.force_login(editor)
    url = reverse("admin:claims_flag_change", args=[flag.pk])
    data = {
        "decision": "uphold",
        "note": "Mice only.",
        "new_status": "overstated",
        "new_certainty": "",
        "new_rationale": "",
        "_save": "Save",
    }
    assert client.post(url, data).status_code == 302
    flag.refresh_from_db()
    reviewed_claim.refresh_from_db()
    assert (flag.state, flag.resolved_by) == ("upheld", editor)
    assert reviewed_claim.status == "overstated"
    assert reviewed_claim.changes.get().note.endswith("upheld: Mice only.")


def test_settling_without_a_note_is_refused(client, editor, reviewer, claim):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    client.force_login(editor)
    url = reverse("admin:claims_flag_change", args=[flag.pk])
    response = client.post(url, {"decision": "dismiss", "note": "", "new_status": ""})
    assert response.status_code == 200
    assert Flag.objects.get(pk=flag.pk).is_open


def test_a_dismissal_may_not_change_the_claim(client, editor, reviewer, claim):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    client.force_login(editor)
    url = reverse("admin:claims_flag_change", args=[flag.pk])
    data = {"decision": "dismiss", "note": "No.", "new_status": "supported", "new_rationale": "x"}
    response = client.post(url, data)
    assert "Only an upheld flag changes the claim." in response.content.decode()
    assert Flag.objects.get(pk=flag.pk).is_open


def test_a_settled_flag_is_read_only(client, editor, reviewer, claim):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    flag.dismiss(by=editor, note="No.")
    client.force_login(editor)
    url = reverse("admin:claims_flag_change", args=[flag.pk])
    page = client.get(url).content.decode()
    assert 'name="decision"' not in page
    client.post(url, {"decision": "uphold", "note": "Yes.", "new_status": "supported"})
    assert Flag.objects.get(pk=flag.pk).state == "dismissed"


def test_reviewer_raises_a_flag_in_the_admin(client, reviewer, claim):
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_flag_add")).content.decode()
    assert 'type="radio" name="reason" value="overstates-impact"' in page
    assert "<li><b>Misquoted</b>: The quote or the statement does not match" in page
    assert 'name="reason_tags"' not in page
    data = {"claim": claim.pk, "reason": "overstates-impact", "comment": "Hours?"}
    assert client.post(reverse("admin:claims_flag_add"), data).status_code == 302
    flag = Flag.objects.get()
    assert (flag.raised_by, flag.reason.slug) == (reviewer, "overstates-impact")


def test_other_in_the_admin_needs_a_comment(client, reviewer, claim):
    client.force_login(reviewer)
    data = {"claim": claim.pk, "reason": "other", "comment": ""}
    response = client.post(reverse("admin:claims_flag_add"), data)
    assert response.status_code == 200
    assert "Say what is wrong: “Other” needs a comment." in response.content.decode()
    assert not Flag.objects.exists()


def test_a_duplicate_flag_in_the_admin_gets_a_clear_message(client, reviewer, claim):
    Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    client.force_login(reviewer)
    data = {"claim": claim.pk, "reason": "overstates-impact", "comment": "Again"}
    response = client.post(reverse("admin:claims_flag_add"), data)
    assert response.status_code == 200
    assert (
        "You already have an open flag on this claim for this reason." in response.content.decode()
    )
    assert Flag.objects.count() == 1


def test_article_admin_links_to_its_claims_and_searches(client, editor, claim):
    client.force_login(editor)
    response = client.get(reverse("admin:claims_article_changelist"), {"q": "news"})
    page = response.content.decode()
    assert f"?article__id__exact={claim.article_id}" in page
    change = client.get(reverse("admin:claims_article_change", args=[claim.article_id]))
    assert claim.statement in change.content.decode()


def test_a_quote_pasted_with_straight_quotes_is_stored_as_the_article_has_it(
    client, editor, article
):
    article.text = "Ketamine’s effect “within hours” is real."
    article.save()
    claim = make_claim(article, quote="is real")
    client.force_login(editor)
    pasted = claim_form(claim, quote='Ketamine\'s effect "within hours"')
    assert client.post(claim_url(claim), pasted).status_code == 302
    claim.refresh_from_db()
    assert claim.quote == "Ketamine’s effect “within hours”"
    assert (claim.quote_start, claim.quote_end) == (0, len(claim.quote))


def test_a_new_claim_without_a_slug_gets_one_from_its_statement(client, editor, article, claim):
    client.force_login(editor)
    data = form_data(client.get(reverse("admin:claims_claim_add")), "claim_form")
    data.update(
        article=str(article.pk),
        quote="It triggers BDNF release.",
        statement="Ketamine relieves depression within hours.",  # the same as `claim`'s
        topic="mechanism",
        slug="",
        **{"evidence-TOTAL_FORMS": "0"},
    )
    assert client.post(reverse("admin:claims_claim_add"), data).status_code == 302
    made = Claim.objects.exclude(pk=claim.pk).get()
    assert made.slug == "ketamine-relieves-depression-within-hours"
    assert Claim.objects.free_slug(article, made.statement) == made.slug + "-2"
