"""Drafts and publishing: a claim is seen only by staff until an editor publishes it with a
complete verdict (a verdict, a public rationale and evidence that fits it); its public record
starts then, and what is published stays complete."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from claimtrack.claims.models import (
    AnchorState,
    Article,
    Citation,
    Claim,
    ClaimChange,
    ClaimGroup,
    Evidence,
    Flag,
    verdict_problems,
)

from .conftest import form_data, make_claim, make_user, raw_update, tag

ATOM = "{http://www.w3.org/2005/Atom}"
CLAIMS = reverse("admin:claims_claim_changelist")
DRAFT_URL = "/claims/ketamine-news/within-hours/"


def change_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def preview_url(claim):
    return reverse("desk:claim_preview", args=[claim.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def codes(error):
    return [e.code for e in error.error_list]


def streamed(response):
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def draft(article, citation):
    """A draft ready to publish: a verdict, its rationale and evidence that supports it."""
    claim = make_claim(
        article,
        status="supported",
        certainty="moderate",
        rationale="Two trials found relief within a day.",
        published_at=None,
    )
    Evidence.objects.create(claim=claim, citation=citation, stance="supports", note="n=73 RCT")
    return claim


@pytest.fixture
def contradicting(db):
    return Citation.objects.create(
        slug="null2020", kind="randomized_trial", authors="Null N", title="No effect", year=2020
    )


# A draft is invisible to the public, everywhere.


def test_a_drafts_page_and_flag_form_are_not_found(client, draft, reviewer):
    assert client.get(DRAFT_URL).status_code == 404
    client.force_login(reviewer)  # not even for staff: they use the preview
    assert client.get(DRAFT_URL).status_code == 404
    assert client.post(DRAFT_URL + "flag/", {"reason": "overstated"}).status_code == 404
    assert not Flag.objects.exists()


def test_the_article_page_neither_marks_nor_counts_a_draft(client, draft, reviewed_claim):
    response = client.get("/articles/ketamine-news/")
    page = response.content.decode()
    assert DRAFT_URL not in page
    assert "relieve depression within hours</a>" not in page  # not highlighted
    assert reviewed_claim.get_absolute_url() in page
    assert response.context["counts"] == {"partly_supported": 1}
    assert '<span class="scorecard__label">Supported</span>' not in page
    assert "1 of 1 · 100%" in page
    assert "1 claim" in client.get("/articles/").content.decode()


def test_the_claim_list_leaves_drafts_out(client, draft, reviewed_claim):
    response = client.get("/claims/")
    assert [c.slug for c in response.context["page"].object_list] == ["bdnf"]
    assert list(client.get("/claims/?status=supported").context["page"].object_list) == []
    assert "relieves depression within hours" not in response.content.decode()


def test_the_exports_leave_drafts_out(client, draft, reviewed_claim):
    rows = list(csv.DictReader(io.StringIO(streamed(client.get("/claims/export.csv")))))
    assert [row["claim"] for row in rows] == ["bdnf"]
    document = json.loads(streamed(client.get("/claims/export.json")))
    assert [record["claim"] for record in document["claims"]] == ["bdnf"]


def test_the_corrections_log_and_feed_leave_drafts_out(
    client, draft, reviewed_claim, editor, contradicting
):
    # A draft's verdict and evidence changes write no public record at all...
    draft.change_verdict(by=editor, status="overstated", certainty="low", rationale="x", note="")
    draft.add_evidence(by=editor, citation=contradicting, stance="contradicts", note="Null.")
    assert not draft.changes.exists()
    # ...and a row on a draft, however it got there, is not shown.
    ClaimChange.objects.create(claim=draft, kind="correction", summary="Draft wording fixed.")
    reviewed_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice.", note="Mice only."
    )
    log = client.get("/changes/")
    assert [c.claim for c in log.context["page"].object_list] == [reviewed_claim]
    assert "Draft wording fixed." not in log.content.decode()
    feed = ET.fromstring(client.get("/claims/feed/").content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles == [
        "Now rated Overstated (was Partly supported): Ketamine triggers BDNF release."
    ]


def test_the_home_page_counts_and_lists_only_published_claims(client, draft, reviewed_claim):
    response = client.get("/")
    assert response.context["totals"] == {"partly_supported": 1}
    assert response.context["total"] == 1
    assert list(response.context["recent"]) == [reviewed_claim]
    assert (
        '<a href="/claims/?article=ketamine-news">List its claims<span class="visually-hidden">: '
        "1 claim of “Ketamine news”</span></a>"
    ) in response.content.decode()


def test_the_same_claim_elsewhere_lists_no_draft(client, article, reviewed_claim):
    other = Article.objects.create(
        slug="other", title="Other news", text="Ketamine works fast. Ketamine acts in hours."
    )
    verdict = {"status": "overstated", "certainty": "low", "rationale": "Hours, in some."}
    sibling = make_claim(
        other, slug="fast", quote="Ketamine works fast.", statement="Works fast.", **verdict
    )
    hidden = make_claim(
        other,
        slug="hours",
        quote="Ketamine acts in hours.",
        statement="Acts in hours.",
        published_at=None,
        **verdict,
    )
    group = ClaimGroup.objects.create(slug="bdnf", name="BDNF")
    raw_update(Claim.objects.filter(pk__in=[reviewed_claim.pk, sibling.pk, hidden.pk]), group=group)
    page = client.get(reviewed_claim.get_absolute_url()).content.decode()
    elsewhere = page[page.index('id="elsewhere"') :]
    assert "Works fast." in elsewhere
    assert "Acts in hours." not in elsewhere and "/claims/other/hours/" not in page


# Publishing.


def test_publishing_writes_one_public_entry_without_a_note_and_shows_the_claim(
    client, draft, editor
):
    draft.publish(by=editor)
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == editor
    change = ClaimChange.objects.get()
    assert (change.claim, change.kind, change.changed_by) == (draft, "verdict", editor)
    assert (change.old_status, change.new_status, change.note) == ("unreviewed", "supported", "")
    assert (change.old_rationale, change.new_rationale) == ("", draft.rationale)
    page = client.get(DRAFT_URL)
    assert page.status_code == 200
    assert "application/ld+json" in page.content.decode()
    assert [c.slug for c in client.get("/claims/").context["page"].object_list] == [draft.slug]
    rows = list(csv.DictReader(io.StringIO(streamed(client.get("/claims/export.csv")))))
    assert [row["claim"] for row in rows] == [draft.slug]
    assert list(client.get("/changes/").context["page"].object_list) == [change]
    assert client.get("/").context["totals"] == {"supported": 1}


def test_publishing_refuses_an_unreviewed_claim(claim, editor):
    with pytest.raises(ValidationError) as error:
        claim.publish(by=editor)
    assert codes(error.value) == ["incomplete_verdict"]
    assert "Give the claim a verdict" in error.value.messages[0]
    assert not Claim.objects.get(pk=claim.pk).is_published
    assert not ClaimChange.objects.exists()


def test_publishing_refuses_a_verdict_without_a_rationale(draft, editor):
    # A blank rationale gets past the database (it is not empty), never past publishing.
    raw_update(Claim.objects.filter(pk=draft.pk), rationale="  ")
    with pytest.raises(ValidationError) as error:
        draft.publish(by=editor)
    assert error.value.messages == ["A published verdict needs a public rationale."]
    assert not Claim.objects.get(pk=draft.pk).is_published
    assert verdict_problems("supported", "", {"supports"}) == error.value.messages


@pytest.mark.parametrize(
    "status, stance, message",
    [
        ("supported", "contradicts", "A claim marked supported needs evidence that supports it."),
        (
            "contradicted",
            "supports",
            "A claim marked contradicted needs evidence that contradicts it.",
        ),
    ],
)
def test_publishing_refuses_evidence_that_does_not_fit_the_verdict(
    article, citation, editor, status, stance, message
):
    claim = make_claim(article, status=status, rationale="Read the trial.", published_at=None)
    Evidence.objects.create(claim=claim, citation=citation, stance=stance, note="n=73")
    with pytest.raises(ValidationError) as error:
        claim.publish(by=editor)
    assert error.value.messages == [message]
    assert codes(error.value) == ["incomplete_verdict"]
    assert not Claim.objects.get(pk=claim.pk).is_published
    assert not ClaimChange.objects.exists()


def test_a_claim_is_published_once(draft, editor):
    draft.publish(by=editor)
    first = Claim.objects.get(pk=draft.pk).published_at
    with pytest.raises(ValidationError) as error:
        draft.publish(by=editor)
    assert error.value.code == "already_published"
    assert Claim.objects.get(pk=draft.pk).published_at == first
    assert ClaimChange.objects.count() == 1


def test_a_reviewer_may_not_publish(draft, reviewer):
    with pytest.raises(PermissionDenied):
        draft.publish(by=reviewer)
    assert not Claim.objects.get(pk=draft.pk).is_published
    assert not ClaimChange.objects.exists()


# Verdicts: free in a draft, recorded and complete once published.


@pytest.mark.parametrize("persona", ["reviewer", "editor"])
def test_a_drafts_verdict_and_evidence_change_without_a_note_or_a_public_record(
    request, claim, citation, persona
):
    user = request.getfixturevalue(persona)
    claim.change_verdict(by=user, status="supported", certainty="", rationale="One.", note="")
    claim.change_verdict(by=user, status="overstated", certainty="low", rationale="Two.", note="")
    evidence = claim.add_evidence(by=user, citation=citation, stance="supports", note="n=73")
    evidence.stance = "qualifies"
    claim.revise_evidence(evidence, by=user)
    claim.remove_evidence(evidence, by=user)
    claim.refresh_from_db()
    assert (claim.status, claim.rationale, claim.reviewed_by) == ("overstated", "Two.", user)
    assert not ClaimChange.objects.exists()
    # The history keeps every step, with who made it.
    steps = claim.history.order_by("history_id").values_list("status", "history_user")
    assert list(steps) == [
        ("unreviewed", None),
        ("supported", user.pk),
        ("overstated", user.pk),
    ]
    assert Evidence.history.filter(claim_id=claim.pk).count() == 3  # added, revised, removed


def test_a_published_verdict_needs_a_note(reviewed_claim, editor):
    with pytest.raises(ValidationError) as error:
        reviewed_claim.change_verdict(
            by=editor, status="overstated", certainty="low", rationale="Mice.", note=""
        )
    assert error.value.code == "note_required"
    assert Claim.objects.get(pk=reviewed_claim.pk).status == "partly_supported"


@pytest.mark.parametrize("status", ["supported", "contradicted", "unreviewed"])
def test_a_published_verdict_stays_complete(reviewed_claim, editor, status):
    # Its only evidence qualifies the claim: it can carry neither of these verdicts.
    with pytest.raises(ValidationError) as error:
        reviewed_claim.change_verdict(
            by=editor, status=status, certainty="", rationale="Read again.", note="Review."
        )
    assert codes(error.value) == ["incomplete_verdict"]
    assert Claim.objects.get(pk=reviewed_claim.pk).status == "partly_supported"
    assert not ClaimChange.objects.exists()


def test_a_drafts_passage_changes_write_no_public_record(draft, editor):
    article = draft.article
    article.text = article.text.replace("within hours", "within a few hours")
    article.save()
    assert article.reanchor_claims(by=editor)["proposed"] == 1
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as error:  # its new quote must be confirmed first
        draft.publish(by=editor)
    assert error.value.messages == ["Its passage changed in the article: confirm the quote first."]
    draft.confirm_proposed_quote(by=editor)
    assert draft.quote == "relieve depression within a few hours"
    article.text = "It triggers BDNF release."
    article.save()
    assert article.reanchor_claims(by=editor)["detached"] == 1
    assert Claim.objects.get(pk=draft.pk).anchor == AnchorState.DETACHED
    assert not ClaimChange.objects.exists()


# Deleting: a draft may go, a published claim stays.


def test_a_draft_with_a_verdict_and_evidence_may_be_deleted_with_its_history(client, draft, editor):
    evidence = draft.evidence.get()
    client.force_login(editor)
    url = reverse("admin:claims_claim_delete", args=[draft.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Claim.objects.filter(pk=draft.pk).exists()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    deleted = Claim.history.filter(id=draft.pk).latest("history_id")
    assert (deleted.history_type, deleted.history_user) == ("-", editor)
    assert Evidence.history.filter(id=evidence.pk, history_type="-").exists()


def test_a_published_claim_cannot_be_deleted(client, draft, editor, superuser):
    draft.publish(by=editor)
    with pytest.raises(ProtectedError):
        draft.delete()
    with pytest.raises(ProtectedError):
        Claim.objects.filter(pk=draft.pk).delete()
    client.force_login(superuser)
    url = reverse("admin:claims_claim_delete", args=[draft.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=draft.pk).exists()
    assert draft.changes.count() == 1


# The admin.


def test_save_and_publish_publishes_a_complete_draft(client, draft, editor):
    client.force_login(editor)
    page = client.get(change_url(draft))
    assert 'name="_publish"' in page.content.decode()
    data = form_data(page, "claim_form")
    data.update(statement="Ketamine can relieve depression within a day.", _publish="1")
    response = client.post(change_url(draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == editor
    assert draft.statement == "Ketamine can relieve depression within a day."
    assert f"Published: {DRAFT_URL}" in messages_of(response)
    change = draft.changes.get()  # the first publication; a draft's wording has no record
    assert (change.new_status, change.note) == ("supported", "")


def test_save_and_publish_keeps_an_incomplete_draft_and_says_what_it_lacks(client, claim, editor):
    client.force_login(editor)
    data = form_data(client.get(change_url(claim)), "claim_form")
    data.update(status="supported", rationale="Two trials.", _publish="1")
    response = client.post(change_url(claim), data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.rationale) == ("supported", "Two trials.")  # saved
    assert not claim.is_published
    assert (
        "Saved as a draft, not published: A claim marked supported needs evidence that supports it."
    ) in messages_of(response)
    assert not ClaimChange.objects.exists()


def test_a_new_claim_can_be_saved_and_published_at_once(client, editor, article, citation):
    client.force_login(editor)
    data = form_data(client.get(reverse("admin:claims_claim_add")), "claim_form")
    data.update(
        {
            "article": str(article.pk),
            "quote": "It triggers BDNF release.",
            "statement": "Ketamine triggers BDNF release.",
            "topic": "mechanism",
            "status": "partly_supported",
            "rationale": "Mice only.",
            "evidence-0-citation": str(citation.pk),
            "evidence-0-stance": "qualifies",
            "evidence-0-note": "In mice.",
            "_publish": "1",
        }
    )
    assert client.post(reverse("admin:claims_claim_add"), data).status_code == 302
    made = Claim.objects.get()
    assert made.is_published and made.drafted_by == editor
    assert made.changes.get().new_status == "partly_supported"


def test_the_publish_action_publishes_the_ready_drafts_and_names_the_others(
    client, draft, reviewed_claim, editor
):
    unready = make_claim(draft.article, slug="not-ready", quote="It triggers BDNF release.")
    client.force_login(editor)
    data = {
        "action": "publish_claims",
        "_selected_action": [draft.pk, unready.pk, reviewed_claim.pk],
    }
    response = client.post(CLAIMS, data)
    assert response.status_code == 302
    published = dict(Claim.objects.values_list("slug", "published_at"))
    assert published["within-hours"] is not None and published["not-ready"] is None
    assert messages_of(response) == [
        "Published: within-hours.",
        "Not published: not-ready "
        "(Give the claim a verdict: an unreviewed claim is not published.)",
    ]
    assert [c.claim for c in ClaimChange.objects.all()] == [draft]  # bdnf was already public


def test_drafts_and_published_claims_are_told_apart_in_the_changelist(
    client, draft, reviewed_claim, editor
):
    client.force_login(editor)
    drafts = client.get(CLAIMS, {"published": "no"}).context["cl"].result_list
    assert [c.slug for c in drafts] == ["within-hours"]
    published = client.get(CLAIMS, {"published": "yes"}).context["cl"].result_list
    assert [c.slug for c in published] == ["bdnf"]


def test_the_change_page_says_what_a_draft_lacks_and_links_to_its_preview(
    client, claim, reviewed_claim, editor
):
    client.force_login(editor)
    page = client.get(change_url(claim)).content.decode()
    assert "Draft, seen only by staff. Give the claim a verdict" in page
    assert f'href="{preview_url(claim)}"' in page
    page = client.get(change_url(reviewed_claim)).content.decode()
    assert "Published on" in page
    assert 'name="_publish"' not in page  # published once, never again


def test_a_reviewer_drafts_a_claim_in_the_admin_but_cannot_publish_it(
    client, reviewer, article, citation
):
    client.force_login(reviewer)
    add = client.get(reverse("admin:claims_claim_add"))
    assert 'name="_publish"' not in add.content.decode()
    data = form_data(add, "claim_form")
    data.update(
        {
            "article": str(article.pk),
            "quote": "It triggers BDNF release.",
            "statement": "Ketamine triggers BDNF release.",
            "topic": "mechanism",
            "status": "partly_supported",
            "rationale": "Mice only.",
            "evidence-0-citation": str(citation.pk),
            "evidence-0-stance": "qualifies",
            "evidence-0-note": "In mice.",
            "_publish": "1",  # forged: the button is not offered
        }
    )
    response = client.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 302
    made = Claim.objects.get()
    assert (made.drafted_by, made.status, made.is_published) == (
        reviewer,
        "partly_supported",
        False,
    )
    assert made.evidence.count() == 1
    assert "Saved as a draft, not published: You are not allowed to publish claims." in messages_of(
        response
    )
    changelist = client.get(CLAIMS).content.decode()
    assert "publish_claims" not in changelist
    client.post(CLAIMS, {"action": "publish_claims", "_selected_action": [made.pk]})
    assert not Claim.objects.get(pk=made.pk).is_published
    assert not ClaimChange.objects.exists()


def test_a_reviewer_cannot_change_a_published_claim(client, reviewer, editor, reviewed_claim):
    client.force_login(editor)  # the form as an editor would post it
    data = form_data(client.get(change_url(reviewed_claim)), "claim_form")
    data.update(statement="Ketamine may trigger BDNF release.", change_note="Softer.")
    client.force_login(reviewer)
    assert client.post(change_url(reviewed_claim), data).status_code == 403
    stored = Claim.objects.get(pk=reviewed_claim.pk)
    assert (stored.statement, stored.version) == (reviewed_claim.statement, reviewed_claim.version)
    assert not ClaimChange.objects.exists()


def test_the_evidence_inline_refuses_to_leave_a_published_claim_without_fitting_evidence(
    client, editor, reviewed_claim
):
    client.force_login(editor)
    data = form_data(client.get(change_url(reviewed_claim)), "claim_form")
    data.update({"evidence-0-DELETE": "on", "change_note": "Not about people."})
    response = client.post(change_url(reviewed_claim), data)
    assert response.status_code == 200
    assert (
        "A claim marked partly supported needs evidence that qualifies or supports it."
        in response.content.decode()
    )
    assert reviewed_claim.evidence.count() == 1
    assert Claim.objects.get(pk=reviewed_claim.pk).version == reviewed_claim.version
    assert not ClaimChange.objects.exists()


def test_the_evidence_inline_lets_a_draft_lose_its_evidence(client, editor, draft):
    client.force_login(editor)
    data = form_data(client.get(change_url(draft)), "claim_form")
    data["evidence-0-DELETE"] = "on"
    response = client.post(change_url(draft), data)
    assert response.status_code == 302
    assert not draft.evidence.exists()
    assert (
        "Before publishing: A claim marked supported needs evidence that supports it."
        in messages_of(response)
    )


def test_the_bulk_verdict_action_names_the_claims_it_leaves_complete(
    client, editor, reviewed_claim
):
    client.force_login(editor)
    data = {
        "action": "set_verdict",
        "_selected_action": [reviewed_claim.pk],
        "apply": "1",
        "status": "supported",
        "certainty": "",
        "rationale": "Two trials.",
        "note": "Bulk review.",
    }
    response = client.post(CLAIMS, data)
    assert "Verdict set on 0 of 1 claim(s)." in messages_of(response)
    assert (
        "Not changed: bdnf (A claim marked supported needs evidence that supports it.)"
        in messages_of(response)
    )
    assert Claim.objects.get(pk=reviewed_claim.pk).status == "partly_supported"


def test_upholding_a_flag_may_not_leave_a_published_claim_incomplete(
    client, editor, reviewer, reviewed_claim
):
    overstated = tag("overstates-impact")
    flag = Flag.objects.raise_flag(claim=reviewed_claim, by=reviewer, reason=overstated)
    client.force_login(editor)
    url = reverse("admin:claims_flag_change", args=[flag.pk])
    data = {"decision": "uphold", "note": "It is proven.", "new_status": "supported"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "needs evidence that supports it" in response.content.decode()
    assert Flag.objects.get(pk=flag.pk).is_open
    assert Claim.objects.get(pk=reviewed_claim.pk).status == "partly_supported"


# The preview.


def test_staff_preview_a_draft_as_the_public_will_see_it(client, draft, reviewer):
    client.force_login(reviewer)
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Ketamine relieves depression within hours.</h1>" in page
    assert "Preview of a draft." in page
    assert "The public cannot see this claim until an editor publishes it." in page
    assert f'href="{change_url(draft)}"' in page
    assert "application/ld+json" not in page  # nothing for search engines
    assert 'name="reason"' not in page  # nothing to flag yet


def test_the_preview_of_an_unreviewed_draft_says_it_has_no_verdict(client, claim, editor):
    client.force_login(editor)
    assert "Not reviewed yet." in client.get(preview_url(claim)).content.decode()


def test_the_preview_is_for_staff_who_may_see_claims(client, draft):
    response = client.get(preview_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
    client.force_login(make_user("stan", is_staff=True))  # staff, in no editorial group
    assert client.get(preview_url(draft)).status_code == 403
    client.force_login(make_user("olly"))  # not staff
    assert client.get(preview_url(draft)).status_code == 302


def test_the_preview_of_an_unknown_claim_is_a_404(client, editor, db):
    client.force_login(editor)
    assert client.get(reverse("desk:claim_preview", args=[999])).status_code == 404
