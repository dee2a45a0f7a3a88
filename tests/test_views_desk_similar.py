"""The desk's similar-claims lookup (/desk/similar/): JSON for the claim workspace, staff only."""

import pytest
from django.db import connection
from django.urls import reverse

from claimtrack.claims.models import Claim

URL = reverse("desk:similar")


@pytest.fixture
def staff_client(client, editor):
    client.force_login(editor)
    return client


def test_it_answers_the_similar_claims_best_first_with_what_the_workspace_shows(
    seeded, staff_client
):
    response = staff_client.get(URL, {"statement": "Ketamine relieves depression within hours"})
    assert response.status_code == 200
    claims = response.json()["claims"]
    assert len(claims) == 5
    first = claims[0]
    claim = Claim.objects.select_related("article", "group").get(pk=first["id"])
    assert first == {
        "id": claim.pk,
        "statement": claim.statement,
        "article": claim.article.title,
        "status": claim.status,
        "status_label": claim.get_status_display(),
        "group": {"id": claim.group.pk, "name": "Onset of antidepressant effect"},
        "url": f"/admin/claims/claim/{claim.pk}/change/",
        "score": first["score"],
    }
    scores = [found["score"] for found in claims]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1


def test_a_claim_without_a_group_has_group_null(seeded, staff_client):
    claim = Claim.objects.filter(group=None).first()
    response = staff_client.get(URL, {"statement": claim.statement})
    [found] = [found for found in response.json()["claims"] if found["id"] == claim.pk]
    assert found["group"] is None


def test_it_leaves_out_the_claim_being_edited(seeded, staff_client):
    claim = Claim.objects.get(statement="Ketamine is a dissociative anesthetic.")
    response = staff_client.get(URL, {"statement": claim.statement, "exclude": claim.pk})
    assert claim.pk not in [found["id"] for found in response.json()["claims"]]


def test_unrelated_text_finds_no_claims(seeded, staff_client):
    response = staff_client.get(URL, {"statement": "The weather in Paris is sunny today"})
    assert response.status_code == 200
    assert response.json() == {"claims": []}


def test_it_reads_the_claims_in_a_pinned_number_of_queries(
    seeded, staff_client, django_assert_num_queries
):
    # The session and the user, their permissions (their own, their groups'), then the claims:
    # one query on PostgreSQL, two elsewhere.
    with django_assert_num_queries(5 if connection.vendor == "postgresql" else 6):
        staff_client.get(URL, {"statement": "Ketamine relieves depression within hours"})


@pytest.mark.parametrize(
    "query, message",
    [
        ({}, "This field is required."),
        ({"statement": "   "}, "This field is required."),
        ({"statement": "ketamine works"}, "Type at least 3 words to look for similar claims."),
        ({"statement": "x" * 1001}, "Ensure this value has at most 1000 characters"),
        (
            {"statement": "Ketamine relieves depression", "exclude": "abc"},
            "Enter a whole number.",
        ),
    ],
)
def test_it_rejects_a_missing_short_or_malformed_query_with_a_json_error(
    db, staff_client, query, message
):
    response = staff_client.get(URL, query)
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)


def test_it_rejects_a_user_who_is_not_staff(db, client, outsider):
    client.force_login(outsider)
    response = client.get(URL, {"statement": "Ketamine relieves depression within hours"})
    assert response.status_code == 403
    assert response.json() == {"error": "Only editors and reviewers can look up similar claims."}


def test_it_rejects_an_anonymous_visitor(db, client):
    response = client.get(URL, {"statement": "Ketamine relieves depression within hours"})
    assert response.status_code == 403


def test_it_rejects_a_post(db, staff_client):
    response = staff_client.post(URL, {"statement": "Ketamine relieves depression within hours"})
    assert response.status_code == 405
