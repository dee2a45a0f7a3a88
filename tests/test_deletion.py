"""Nothing editorial is destroyed: reviewed claims are withdrawn, never deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from claimtrack.claims.models import Claim, ClaimChange

from .conftest import form_data


def delete_url(obj):
    return reverse(f"admin:claims_{obj._meta.model_name}_delete", args=[obj.pk])


def test_a_reviewed_claim_cannot_be_deleted_even_by_a_superuser(client, superuser, reviewed_claim):
    client.force_login(superuser)
    assert client.post(delete_url(reviewed_claim), {"post": "yes"}).status_code == 403
    with pytest.raises(ProtectedError):
        reviewed_claim.delete()
    with pytest.raises(ProtectedError):
        Claim.objects.filter(pk=reviewed_claim.pk).delete()
    assert Claim.objects.filter(pk=reviewed_claim.pk).exists()


def test_the_bulk_delete_action_refuses_reviewed_claims(client, superuser, claim, reviewed_claim):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [claim.pk, reviewed_claim.pk],
            "post": "yes",
        },
    )
    assert "withdraw it instead" in response.content.decode()
    assert Claim.objects.count() == 2


def test_a_published_claim_cannot_go_back_to_unreviewed_and_stays_protected(editor, reviewed_claim):
    with pytest.raises(ValidationError) as error:
        reviewed_claim.change_verdict(
            by=editor, status="unreviewed", certainty="", rationale="", note="Re-review."
        )
    assert [e.code for e in error.value.error_list] == ["incomplete_verdict"]
    assert Claim.objects.get(pk=reviewed_claim.pk).status == "partly_supported"
    assert not reviewed_claim.changes.exists()
    with pytest.raises(ProtectedError):
        reviewed_claim.delete()


def test_an_unreviewed_draft_may_be_deleted_and_the_history_says_so(client, editor, claim):
    client.force_login(editor)
    assert client.post(delete_url(claim), {"post": "yes"}).status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()
    deleted = Claim.history.filter(id=claim.pk).latest("history_id")
    assert (deleted.history_type, deleted.history_user) == ("-", editor)


def test_an_article_with_claims_cannot_be_deleted(client, superuser, claim):
    client.force_login(superuser)
    assert client.post(delete_url(claim.article), {"post": "yes"}).status_code == 403
    assert claim.article.__class__.objects.filter(pk=claim.article_id).exists()


def test_an_editor_withdraws_a_claim_which_stays_on_its_url_with_a_public_note(
    client, editor, reviewed_claim
):
    url = reverse("admin:claims_claim_change", args=[reviewed_claim.pk])
    client.force_login(editor)
    data = form_data(client.get(url), "claim_form")
    data["withdraw_note"] = "The article never made this claim; we misread it."
    assert client.post(url, data).status_code == 302
    reviewed_claim.refresh_from_db()
    assert reviewed_claim.is_withdrawn
    assert ClaimChange.objects.get(claim=reviewed_claim, kind="withdrawal").note.startswith("The")
    client.logout()
    page = client.get(reviewed_claim.get_absolute_url())
    assert page.status_code == 200
    assert "we misread it" in page.content.decode()
    assert "application/ld+json" not in page.content.decode()  # no ClaimReview for it
