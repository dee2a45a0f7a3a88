"""Spin hints where reviewers work: the claim's admin page, the desk's claim panel, and the
admin review queue's "Spin hint" filter."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from claimtrack.claims.admin import ClaimAdmin
from claimtrack.claims.models import Article, Citation, Claim, Evidence
from claimtrack.watch import spin

from .conftest import make_claim

CLAIMS = reverse("admin:claims_claim_changelist")

TEXT = (
    "Ketamine is a miracle cure for depression. "
    "Ketamine use prevents suicide, an observational study found. "
    "It relieves depression in patients. "
    "A trial found that ketamine prevents relapse. "
    "It is given as an infusion."
)


def source(slug, kind):
    return Citation.objects.create(slug=slug, kind=kind, authors=f"{slug} A", title=slug)


def claim_with(article, slug, quote, statement, kinds=()):
    claim = make_claim(article, slug=slug, quote=quote, statement=statement)
    for kind in kinds:
        Evidence.objects.create(
            claim=claim, citation=source(f"{slug}-{kind}", kind), stance="supports", note="x"
        )
    return claim


@pytest.fixture
def spun(db):
    """Five draft claims: hype, causal wording on an observational study, a human benefit on a
    mouse study, causal wording on a trial, and one with nothing to hint."""
    article = Article.objects.create(slug="spun", title="Spun", text=TEXT)
    return {
        "hype": claim_with(
            article, "miracle", "Ketamine is a miracle cure for depression.", "Ketamine is a cure."
        ),
        "causal": claim_with(
            article,
            "suicide",
            "Ketamine use prevents suicide",
            "Ketamine prevents suicide.",
            ["observational"],
        ),
        "animal": claim_with(
            article,
            "patients",
            "It relieves depression in patients.",
            "Ketamine relieves depression in patients.",
            ["preclinical", "narrative_review"],
        ),
        "trial": claim_with(
            article,
            "relapse",
            "ketamine prevents relapse",
            "Ketamine prevents relapse.",
            ["randomized_trial", "observational"],
        ),
        "plain": claim_with(
            article, "infusion", "It is given as an infusion.", "Ketamine is given by infusion."
        ),
    }


def listed(client, **params):
    response = client.get(CLAIMS, params)
    assert response.status_code == 200
    return sorted(claim.slug for claim in response.context["cl"].result_list)


def test_the_watch_replaces_the_claim_admin_with_a_subclass():
    model_admin = admin.site._registry[Claim]
    assert isinstance(model_admin, ClaimAdmin) and type(model_admin) is not ClaimAdmin


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_the_claim_admin_page_shows_each_hint_with_its_words_and_explanation(
    client, request, spun, persona
):
    client.force_login(request.getfixturevalue(persona))
    claim = spun["hype"]
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    start = claim.quote.index("miracle")
    where = f"(in the quote, characters {start}–{start + 7})"
    assert (
        f'<strong>Hype word</strong>: “miracle” <span class="spin-where">{where}</span>, “cure”'
        in page
    )
    assert escape(spin.HYPE.explanation) in page
    assert "they are not a verdict" in page


def test_the_claim_admin_page_shows_evidence_rules_from_the_sources_kinds(client, editor, spun):
    client.force_login(editor)
    pages = {
        name: client.get(reverse("admin:claims_claim_change", args=[spun[name].pk])).content
        for name in ("causal", "animal", "trial", "plain")
    }
    assert b"Causal wording, observational evidence" in pages["causal"]
    assert b"Human benefit, animal or cell evidence" in pages["animal"]
    assert b"Causal wording" not in pages["trial"]  # a trial backs it
    assert b"No spin hints." in pages["plain"]


@pytest.mark.parametrize(
    "rule, expected",
    [
        ("hype", ["miracle"]),
        ("causal-from-observational", ["suicide"]),
        ("animal-to-human", ["patients"]),
        ("advice-outruns-evidence", []),
        ("no-such-rule", ["infusion", "miracle", "patients", "relapse", "suicide"]),
    ],
)
def test_the_review_queue_is_filtered_by_spin_hint(client, editor, spun, rule, expected):
    client.force_login(editor)
    assert listed(client, spin=rule) == expected


def test_the_spin_filter_lists_every_rule_and_combines_with_the_others(client, editor, spun):
    client.force_login(editor)
    response = client.get(CLAIMS)
    for rule in spin.RULES:
        assert f"?spin={rule.id}" in response.content.decode()
        assert escape(rule.name) in response.content.decode()
    assert listed(client, spin="animal-to-human", status__exact="unreviewed") == ["patients"]
    assert listed(client, spin="animal-to-human", status__exact="supported") == []
    assert listed(client, spin="hype", q="relapse") == []


def test_the_spin_filter_runs_the_same_queries_for_more_claims(client, editor, spun):
    client.force_login(editor)
    with CaptureQueriesContext(connection) as few:
        assert listed(client, spin="causal-from-observational") == ["suicide"]
    article = spun["causal"].article
    for i in range(12):
        quote = "Ketamine use prevents suicide"
        claim_with(article, f"more-{i}", quote, "It prevents.", ["observational"])
    with CaptureQueriesContext(connection) as many:
        assert len(listed(client, spin="causal-from-observational")) == 13
    assert len(many) == len(few)


def test_the_candidates_are_bounded(spun):
    """Past the limit only the newest candidates are read, and the caller is told."""
    claims = Claim.objects.all()
    assert spin.claims_with_hint(claims, spin.HYPE, limit=1) == ([spun["hype"].pk], True)
    again = claim_with(spun["hype"].article, "again", spun["hype"].quote, "A miracle.")
    both = [again.pk, spun["hype"].pk]
    assert spin.claims_with_hint(claims, spin.HYPE, limit=2) == (both, True)
    assert spin.claims_with_hint(claims, spin.HYPE, limit=1) == ([again.pk], False)


def test_the_queue_says_when_it_read_only_the_newest_candidates(client, editor, spun, monkeypatch):
    client.force_login(editor)
    monkeypatch.setattr(spin, "CANDIDATE_LIMIT", 1)
    response = client.get(CLAIMS, {"spin": "hype"})
    assert listed(client, spin="hype") == ["miracle"]
    assert "read only the newest" not in response.content.decode()
    claim_with(spun["hype"].article, "again", spun["hype"].quote, "A miracle.")
    response = client.get(CLAIMS, {"spin": "hype"}, follow=True)
    assert [c.slug for c in response.context["cl"].result_list] == ["again"]
    assert "read only the newest 1 claims that might get this hint" in response.content.decode()


def test_the_desk_panel_shows_the_claims_hints(client, editor, spun):
    client.force_login(editor)
    claim = spun["animal"]
    url = reverse("desk:workspace", args=[claim.article.slug])
    page = client.get(url, {"claim": claim.pk}).content.decode()
    assert '<h3 id="spin-heading">Spin hints</h3>' in page
    assert "<strong>Human benefit, animal or cell evidence</strong>: “relieves”" in page
    assert "(in the statement, characters 9–17)" in page  # "relieves" in the statement
    assert escape(spin.ANIMAL.explanation) in page
    plain = client.get(url, {"claim": spun["plain"].pk}).content.decode()
    assert "No spin hints." in plain


def test_the_desk_panel_reads_the_hints_without_another_query(client, editor, spun):
    """The hints are read from the evidence the panel lists anyway."""
    client.force_login(editor)
    url = reverse("desk:workspace", args=[spun["plain"].article.slug])
    with CaptureQueriesContext(connection) as no_evidence:
        client.get(url, {"claim": spun["plain"].pk})
    with CaptureQueriesContext(connection) as two_sources:
        client.get(url, {"claim": spun["animal"].pk})
    assert len(two_sources) == len(no_evidence)


@pytest.mark.parametrize(
    "stems, expected",
    [
        (["%"], ["percent"]),  # a stem is matched literally: % and _ are not wildcards
        (["0_"], []),
        (["miracle cure", "nothing"], ["miracle"]),
        (["ketamine prevents"], ["relapse", "suicide"]),  # quote or statement, any case
    ],
)
def test_the_database_looks_for_stems_literally(spun, stems, expected):
    article = spun["hype"].article
    article.text += " Relapses were 50% less frequent."
    article.save()
    claim_with(article, "percent", "50% less frequent", "Relapses fell.")
    found = Claim.objects.filter(spin.MentionsAny(spin.spin_text(), stems))
    assert sorted(found.values_list("slug", flat=True)) == expected
