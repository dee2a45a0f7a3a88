"""The consistency report in the admin: a claim list filter and a group column."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claimtrack.claims import consistency
from claimtrack.claims.models import Article, ClaimGroup
from tests.conftest import make_claim

CLAIMS = reverse("admin:claims_claim_changelist")
GROUPS = reverse("admin:claims_claimgroup_changelist")

HOURS = "Ketamine relieves depression within hours."
FEW_HOURS = "Ketamine lifts depression within a few hours."
INSTANTLY = "Ketamine relieves depression instantly."
AFTER_A_DOSE = "Ketamine relieves depression within hours of a dose."
BLOOD_PRESSURE = "Ketamine raises blood pressure."
STATEMENTS = [HOURS, FEW_HOURS, INSTANTLY, AFTER_A_DOSE, BLOOD_PRESSURE]


@pytest.fixture
def news(db):
    return Article.objects.create(slug="news", title="News", text=" ".join(STATEMENTS))


def add(article, statement, status="supported", **fields):
    slug = f"c{STATEMENTS.index(statement)}"
    return make_claim(
        article,
        slug=slug,
        quote=statement,
        statement=statement,
        status=status,
        certainty="low",
        rationale="Two small trials.",
        **fields,
    )


@pytest.fixture
def review(news):
    """Group "onset": two supported, one overstated without a note; one look-alike outside it;
    one claim unlike any group."""
    onset = ClaimGroup.objects.create(slug="onset", name="Onset of effect")
    return {
        "hours": add(news, HOURS, group=onset),
        "few_hours": add(news, FEW_HOURS, group=onset),
        "instantly": add(news, INSTANTLY, "overstated", group=onset),
        "after_a_dose": add(news, AFTER_A_DOSE),
        "blood_pressure": add(news, BLOOD_PRESSURE),
    }


def listed(client, **params):
    response = client.get(CLAIMS, params)
    assert response.status_code == 200
    return {claim.slug for claim in response.context["cl"].result_list}


def test_the_filter_lists_verdicts_that_differ_without_a_note(client, superuser, review):
    client.force_login(superuser)
    assert listed(client, consistency="differs") == {review["instantly"].slug}
    review["instantly"].group_note = "Says “instantly”."
    review["instantly"].save()
    assert listed(client, consistency="differs") == set()


def test_the_filter_lists_claims_that_look_like_a_group_they_are_not_in(client, superuser, review):
    client.force_login(superuser)
    assert listed(client, consistency="lookalike") == {review["after_a_dose"].slug}
    review["after_a_dose"].group = review["hours"].group
    review["after_a_dose"].save()
    assert listed(client, consistency="lookalike") == set()


def test_without_the_filter_every_claim_is_listed(client, superuser, review):
    client.force_login(superuser)
    assert len(listed(client)) == 5
    page = client.get(CLAIMS).content.decode()
    assert "verdict differs from its group without a note" in page
    assert "in no group, but reads like one" in page


def test_the_filter_runs_each_check_once_even_with_facets(client, superuser, review, monkeypatch):
    calls = []
    real = consistency.unexplained_differences
    monkeypatch.setattr(consistency, "unexplained_differences", lambda: calls.append(1) or real())
    client.force_login(superuser)
    assert listed(client, consistency="differs", _facets="True") == {review["instantly"].slug}
    assert calls == [1]


def test_the_filtered_list_runs_the_same_queries_for_more_claims(client, superuser, review, news):
    client.force_login(superuser)
    with CaptureQueriesContext(connection) as few:
        client.get(CLAIMS, {"consistency": "differs"})
    onset = review["hours"].group
    for i in range(20):
        news.text += f" Claim {i}."
        news.save()
        make_claim(news, slug=f"x{i}", quote=f"Claim {i}.", group=onset if i % 2 else None)
    with CaptureQueriesContext(connection) as many:
        client.get(CLAIMS, {"consistency": "differs"})
    assert len(many) == len(few)


def test_the_group_list_says_whether_verdicts_agree(client, superuser, review, news):
    agreeing = ClaimGroup.objects.create(slug="bp", name="Blood pressure")
    review["blood_pressure"].group = agreeing
    review["blood_pressure"].save()
    ClaimGroup.objects.create(slug="empty", name="Empty")
    client.force_login(superuser)
    response = client.get(GROUPS)
    rows = {row.slug: row for row in response.context["cl"].result_list}
    assert (rows["onset"].status_count, rows["bp"].status_count, rows["empty"].status_count) == (
        2,
        1,
        0,
    )
    page = response.content.decode()
    onset = review["hours"].group
    assert (
        f'<a href="{CLAIMS}?group__id__exact={onset.pk}&amp;consistency=differs">'
        "differ without a note</a>"
    ) in page
    assert '<td class="field-verdicts">agree</td>' in page
    assert '<td class="field-verdicts">none yet</td>' in page


def test_a_group_whose_differences_are_noted_says_so(client, superuser, review):
    review["instantly"].group_note = "Says “instantly”."
    review["instantly"].save()
    client.force_login(superuser)
    page = client.get(GROUPS).content.decode()
    assert '<td class="field-verdicts">differ, each with a note</td>' in page


def test_the_group_list_runs_the_same_queries_for_more_groups(client, superuser, review, news):
    client.force_login(superuser)
    with CaptureQueriesContext(connection) as few:
        client.get(GROUPS)
    for i in range(10):
        group = ClaimGroup.objects.create(slug=f"g{i}", name=f"Group {i}")
        news.text += f" Claim {i}."
        news.save()
        make_claim(news, slug=f"x{i}", quote=f"Claim {i}.", group=group)
    with CaptureQueriesContext(connection) as many:
        client.get(GROUPS)
    assert len(many) == len(few)


def test_the_group_form_does_not_run_the_check(client, superuser, review, monkeypatch):
    monkeypatch.setattr(consistency, "unexplained_differences", lambda: pytest.fail("ran"))
    client.force_login(superuser)
    group = review["hours"].group
    assert client.get(reverse("admin:claims_claimgroup_change", args=[group.pk])).status_code == 200
    autocomplete = reverse("admin:autocomplete")
    params = {"app_label": "claims", "model_name": "claim", "field_name": "group", "term": "on"}
    assert client.get(autocomplete, params).status_code == 200
