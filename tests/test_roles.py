"""Reviewers read everything, raise flags and draft claims; editors also publish, change what
is published and settle flags; others get nothing."""

import pytest
from django.urls import reverse

from claimtrack.claims.models import Claim, Flag

from .conftest import tag

# Evidence is edited inline on its claim, not on a page of its own.
MODELS = ["article", "claim", "claimgroup", "citation", "reasontag", "flag", "claimchange"]


@pytest.mark.parametrize("model", MODELS)
def test_reviewer_can_read_every_changelist(client, reviewer, model):
    client.force_login(reviewer)
    assert client.get(reverse(f"admin:claims_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", ["article", "claimgroup"])
def test_reviewer_cannot_add_content(client, reviewer, model):
    client.force_login(reviewer)
    assert client.get(reverse(f"admin:claims_{model}_add")).status_code == 403


@pytest.mark.parametrize("model", ["claim", "citation"])
def test_reviewer_may_draft_a_claim_and_add_its_citations(client, reviewer, model):
    client.force_login(reviewer)
    assert client.get(reverse(f"admin:claims_{model}_add")).status_code == 200


def test_reviewer_shapes_a_drafts_verdict(client, reviewer, claim):
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert 'name="status"' in page and 'name="rationale"' in page


def test_reviewer_sees_a_published_claim_read_only_and_cannot_change_it(
    client, reviewer, reviewed_claim
):
    client.force_login(reviewer)
    url = reverse("admin:claims_claim_change", args=[reviewed_claim.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' not in page and reviewed_claim.quote in page
    response = client.post(url, {"status": "supported", "rationale": "mine", "change_note": "x"})
    assert response.status_code == 403
    assert Claim.objects.get(pk=reviewed_claim.pk).status == "partly_supported"


def test_reviewer_is_not_offered_the_bulk_verdict_action(client, reviewer, editor, claim):
    client.force_login(reviewer)
    changelist = reverse("admin:claims_claim_changelist")
    assert "set_verdict" not in client.get(changelist).content.decode()
    client.force_login(editor)
    assert "set_verdict" in client.get(changelist).content.decode()


def test_reviewer_cannot_settle_a_flag(client, reviewer, claim):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    client.force_login(reviewer)
    url = reverse("admin:claims_flag_change", args=[flag.pk])
    assert 'name="decision"' not in client.get(url).content.decode()
    response = client.post(url, {"decision": "dismiss", "note": "my own"})
    assert response.status_code == 403
    assert Flag.objects.get(pk=flag.pk).is_open


def test_editor_can_add_and_change_content(client, editor, claim):
    client.force_login(editor)
    for model in ["article", "claim", "citation", "claimgroup", "reasontag"]:
        # The article's add page leads to the desk's intake page.
        assert client.get(reverse(f"admin:claims_{model}_add"), follow=True).status_code == 200
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert 'name="status"' in page and 'name="change_note"' in page


@pytest.mark.parametrize("model", ["claim", "flag", "claimchange"])
def test_editors_do_not_delete_the_record(client, editor, reviewer, reviewed_claim, model):
    flag = Flag.objects.raise_flag(claim=reviewed_claim, by=reviewer, reason=tag("outdated"))
    reviewed_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice.", note="Why."
    )
    record = {"claim": reviewed_claim, "flag": flag, "claimchange": reviewed_claim.changes.get()}
    client.force_login(editor)
    url = reverse(f"admin:claims_{model}_delete", args=[record[model].pk])
    assert client.get(url).status_code in (403, 302)


def test_history_cannot_be_written_by_hand(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:claims_claimchange_add")).status_code == 403


def test_logged_in_user_without_a_role_is_kept_out(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_superuser_can_do_everything(client, superuser, claim):
    client.force_login(superuser)
    for model in MODELS[:-1]:
        assert client.get(reverse(f"admin:claims_{model}_add"), follow=True).status_code == 200
