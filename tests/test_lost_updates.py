"""No lost updates: every editorial record carries a version that every save checks."""

import re
import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from claimtrack.claims.models import Article, Citation, Claim, ClaimGroup, StaleEdit

from .conftest import form_data, make_user


def change_url(obj):
    return reverse(f"admin:claims_{obj._meta.model_name}_change", args=[obj.pk])


def opened(client, user, obj):
    """What an editor's browser holds after opening obj's change page."""
    client.force_login(user)
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return form_data(response, f"{obj._meta.model_name}_form")


@pytest.fixture
def second_editor(db):
    return make_user("eve", "Editors", is_staff=True)


def test_a_stale_copy_cannot_overwrite_a_newer_save(claim):
    first, second = Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=claim.pk)
    first.statement = "First editor's wording."
    first.save()
    second.topic = "safety"
    with pytest.raises(StaleEdit), transaction.atomic():
        second.save()
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.statement, stored.topic, stored.version) == (
        "First editor's wording.",
        "efficacy",
        2,
    )


def test_a_stale_claim_form_is_refused_showing_what_changed_and_keeping_the_input(
    client, editor, second_editor, reviewed_claim
):
    stale = opened(client, editor, reviewed_claim)
    # Meanwhile a second editor changes the verdict.
    other = opened(client, second_editor, reviewed_claim)
    other.update(status="overstated", rationale="Mice, not people.", change_note="Too strong.")
    assert client.post(change_url(reviewed_claim), other).status_code == 302

    # The first editor, with the page opened before, edits only the statement.
    client.force_login(editor)
    stale.update(statement="Ketamine may trigger BDNF release.")
    response = client.post(change_url(reviewed_claim), stale)

    assert response.status_code == 200  # the form again, not a save
    page = response.content.decode()
    assert "While you were editing, this claim was saved by eve" in page
    assert "status: Partly supported → Overstated" in page
    assert "Ketamine may trigger BDNF release." in page  # the typed text is kept
    stored = Claim.objects.get(pk=reviewed_claim.pk)
    assert (stored.status, stored.statement) == ("overstated", "Ketamine triggers BDNF release.")

    # The form now holds the newer verdict under the editor's own edit: saving again is safe.
    rebased = form_data(response, "claim_form")
    assert (rebased["status"], rebased["rationale"]) == ("overstated", "Mice, not people.")
    assert rebased["seen_version"] == str(stored.version)
    assert client.post(change_url(reviewed_claim), rebased).status_code == 302
    stored.refresh_from_db()
    assert (stored.status, stored.statement) == ("overstated", "Ketamine may trigger BDNF release.")


def test_a_stale_article_form_is_refused(client, editor, second_editor, article):
    stale = opened(client, editor, article)
    other = opened(client, second_editor, article)
    other.update(title="Ketamine news (corrected)")
    assert client.post(change_url(article), other).status_code == 302

    client.force_login(editor)
    stale.update(publisher="Daily Health")
    response = client.post(change_url(article), stale)
    assert response.status_code == 200
    assert "title: “Ketamine news” → “Ketamine news (corrected)”" in response.content.decode()
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.publisher) == ("Ketamine news (corrected)", "")


def test_a_stale_evidence_inline_is_refused(client, editor, second_editor, evidenced_claim):
    evidence = evidenced_claim.evidence.get(citation__slug="autry2011")  # the inline's first row
    stale = opened(client, editor, evidenced_claim)
    other = opened(client, second_editor, evidenced_claim)
    other.update({"evidence-0-note": "Mice only; no human data.", "change_note": "Precise."})
    assert client.post(change_url(evidenced_claim), other).status_code == 302

    client.force_login(editor)
    stale.update({"evidence-0-stance": "supports", "change_note": "It supports it."})
    response = client.post(change_url(evidenced_claim), stale)
    assert response.status_code == 200
    assert "note: “Mice only.” → “Mice only; no human data.”" in response.content.decode()
    evidence.refresh_from_db()
    assert (evidence.stance, evidence.note) == ("qualifies", "Mice only; no human data.")


@pytest.mark.parametrize("model", [Article, Citation, ClaimGroup])
def test_other_records_refuse_a_forged_form_without_its_version(
    client, editor, article, citation, model
):
    record = {Article: article, Citation: citation}.get(model) or ClaimGroup.objects.create(
        slug="onset", name="Onset"
    )
    data = opened(client, editor, record)
    del data["seen_version"]
    response = client.post(change_url(record), data)
    assert response.status_code == 200
    assert "reload it" in response.content.decode()


def test_the_bulk_verdict_action_leaves_claims_saved_since_they_were_chosen(
    client, editor, claim, reviewed_claim
):
    client.force_login(editor)
    changelist = reverse("admin:claims_claim_changelist")
    chosen = {"action": "set_verdict", "_selected_action": [claim.pk, reviewed_claim.pk]}
    page = client.post(changelist, chosen)
    versions = {
        name: value
        for name, value in form_data_all(page).items()
        if name.startswith("seen_version_")
    }
    assert versions == {
        f"seen_version_{claim.pk}": str(claim.version),
        f"seen_version_{reviewed_claim.pk}": str(reviewed_claim.version),
    }
    # Someone saves one of them before the editor applies the bulk verdict.
    reviewed_claim.statement = "Ketamine triggers BDNF release in mice."
    reviewed_claim.save()
    apply = {
        **chosen,
        **versions,
        "apply": "1",
        "status": "unverifiable",
        "certainty": "",
        "rationale": "Cannot be checked.",
        "note": "Bulk.",
    }
    response = client.post(changelist, apply, follow=True)
    assert "Left alone, because someone saved them after you chose them: bdnf" in (
        response.content.decode()
    )
    assert Claim.objects.get(pk=claim.pk).status == "unverifiable"
    assert Claim.objects.get(pk=reviewed_claim.pk).status == "partly_supported"


def form_data_all(response):
    """All named inputs of the action's confirmation page (its form has no id)."""

    return dict(
        re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.content.decode()
        )
    )


RACES = 20


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_the_same_claim_at_once_lose_nothing(article):
    """RACES races: both read the same version and save at once; each time exactly one save
    lands and the other is refused, so no update is ever lost."""
    claim = Claim(article=article, slug="race", quote="It triggers BDNF release.", topic="efficacy")
    claim.statement = "Ketamine triggers BDNF release."
    claim.full_clean()
    claim.save()
    lost = 0
    for race in range(RACES):
        start = threading.Barrier(2, timeout=30)
        outcomes = []

        def save(statement, start=start, outcomes=outcomes):
            copy = Claim.objects.get(pk=claim.pk)
            copy.statement = statement
            start.wait()
            try:
                copy.save()
                outcomes.append(("saved", statement))
            except StaleEdit:
                outcomes.append(("refused", statement))
            finally:
                connection.close()

        threads = [
            threading.Thread(target=save, args=(f"Race {race}, editor {n}",)) for n in (1, 2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcome for outcome, _ in outcomes) == ["refused", "saved"]
        saved = next(statement for outcome, statement in outcomes if outcome == "saved")
        stored = Claim.objects.get(pk=claim.pk)
        lost += stored.statement != saved
        assert stored.version == race + 2
    assert lost == 0
