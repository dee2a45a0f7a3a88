"""The claim list (/claims/) and a claim's page, as a reader sees them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from claimtrack.claims import views
from claimtrack.claims.models import (
    Article,
    Claim,
    ClaimGroup,
    Evidence,
    Flag,
    ReasonTag,
    StaffProfile,
    Status,
)
from tests.conftest import make_claim

from .conftest import raw_update, tag

# For an anonymous reader, each page first reads the public version it is cached under.
# The list runs: the version, the page of claims (one row more than a page, never a count),
# tag choices.
LIST_QUERIES = 3
# The claim page: the read counted (the review queue's "most read"), the version, claim (with
# its counts), tags, evidence with citations, the citations' notices (retractions, corrections),
# same group, history.
CLAIM_QUERIES = 8


UNVERIFIABLE = {"status": "unverifiable", "rationale": "No trial is named."}  # needs no evidence


def statements(response):
    return [claim.statement for claim in response.context["page"].object_list]


def test_the_list_shows_every_claim_with_its_quote_article_status_and_evidence(
    client, reviewed_claim, citation
):
    Evidence.objects.create(
        claim=reviewed_claim, citation=citation, stance="qualifies", note="In mice."
    )
    response = client.get("/claims/")
    assert response.status_code == 200
    assert statements(response) == ["Ketamine triggers BDNF release."]
    page = response.content.decode()
    assert "Ketamine triggers BDNF release." in page
    assert "“It triggers BDNF release.”" in page
    assert "Ketamine news" in page
    assert "Partly supported" in page
    assert "2 sources" in page  # autry2011 and murrough2013


def test_the_list_shortens_long_quotes(client, article):
    article.text += " " + "word " * 60
    article.save()
    make_claim(article, slug="long", quote=("word " * 60).strip(), **UNVERIFIABLE)
    page = client.get("/claims/").content.decode()
    assert "word word…”" in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=partly_supported", ["Ketamine triggers BDNF release."]),
        ("status=unverifiable", ["Ketamine relieves depression within hours."]),
        ("status=unreviewed", []),  # never public
        ("topic=efficacy", ["Ketamine relieves depression within hours."]),
        ("certainty=low", ["Ketamine triggers BDNF release."]),
        ("q=bdnf", ["Ketamine triggers BDNF release."]),
        ("flagged=true", ["Ketamine relieves depression within hours."]),
        ("flagged=false", ["Ketamine triggers BDNF release."]),
        ("tag=animal-extrapolation", ["Ketamine triggers BDNF release."]),
        ("q=ketamine&status=partly_supported&certainty=low", ["Ketamine triggers BDNF release."]),
        (
            "ordering=-statement",
            ["Ketamine triggers BDNF release.", "Ketamine relieves depression within hours."],
        ),
    ],
)
def test_each_filter_narrows_the_list(
    client, unverifiable_claim, reviewed_claim, reviewer, query, expected
):
    raw_update(Claim.objects.filter(pk=reviewed_claim.pk), topic="mechanism")
    reviewed_claim.reason_tags.add(ReasonTag.objects.get(slug="animal-extrapolation"))
    Flag.objects.raise_flag(claim=unverifiable_claim, by=reviewer, reason=tag("overstates-impact"))
    response = client.get(f"/claims/?{query}")
    assert response.status_code == 200
    if "ordering" in query:
        assert statements(response) == expected
    else:
        assert sorted(statements(response)) == sorted(expected)


def test_it_filters_by_article(client, unverifiable_claim):
    other = Article.objects.create(slug="other", title="Other news", text="Ketamine works fast.")
    make_claim(
        other,
        slug="fast",
        quote="Ketamine works fast.",
        statement="Ketamine works fast.",
        **UNVERIFIABLE,
    )
    response = client.get("/claims/?article=other")
    assert statements(response) == ["Ketamine works fast."]


def test_the_form_keeps_the_chosen_filters(client, unverifiable_claim):
    page = client.get("/claims/?status=unverifiable&q=hours").content.decode()
    assert '<option value="unverifiable" selected>' in page
    assert 'value="hours"' in page


def test_an_empty_result_says_so(client, unverifiable_claim):
    response = client.get("/claims/?status=contradicted")
    assert response.status_code == 200
    assert "No claims match these filters." in response.content.decode()


def test_the_list_says_so_when_there_are_no_claims(client, db):
    assert "No claims match these filters." in client.get("/claims/").content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ("status=maybe", "Status: Select a valid choice. maybe is not one of"),
        (f"article={'x' * 201}", "Article: Ensure this value has at most 200 characters"),
        ("tag=nope", "Reason tag: Select a valid choice."),
        ("flagged=yes", "Open flags: Select a valid choice. yes is not one of"),
        ("ordering=quote_start", "Order by: Select a valid choice. quote_start is not one of"),
        ("certainty=sure", "Certainty of evidence: Select a valid choice."),
        ("topic=astrology", "Topic: Select a valid choice."),
    ],
)
def test_a_bad_parameter_is_a_400_with_the_forms_message(client, claim, query, message):
    response = client.get(f"/claims/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "These filters cannot be used" in page
    assert message in page
    assert "page" not in response.context  # no claims listed for a filter we ignored


@pytest.fixture
def thirty_claims(article):
    words = [f"word{n:02d}" for n in range(30)]
    article.text = " ".join(words)
    article.save()
    return [
        make_claim(article, slug=word, quote=word, statement=f"Claim {word}.", **UNVERIFIABLE)
        for word in words
    ]


def test_the_list_is_paginated(client, thirty_claims):
    first = client.get("/claims/")
    assert statements(first) == [f"Claim word{n:02d}." for n in range(25)]
    assert "Page 1" in first.content.decode()
    assert "Claims 1–25" in first.content.decode()
    second = client.get("/claims/?page=2")
    assert statements(second) == [f"Claim word{n:02d}." for n in range(25, 30)]


def test_pagination_links_keep_the_filters(client, thirty_claims):
    page = client.get("/claims/?status=unverifiable&q=claim").content.decode()
    assert 'href="?status=unverifiable&amp;q=claim&amp;page=2&amp;after=' in page


def test_a_page_past_the_end_is_a_404_that_links_to_the_first(client, thirty_claims):
    response = client.get("/claims/?status=unverifiable&page=9")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no page 9 of this list." in page
    assert '<a href="?status=unverifiable">Go to the first page</a>' in page


@pytest.mark.parametrize(
    "number, message",
    [
        ("abc", "Page must be a whole number, not “abc”."),
        ("1.5", "Page must be a whole number"),
        ("0", "Page numbers start at 1."),
        ("-1", "Page numbers start at 1."),
    ],
)
def test_a_page_that_is_not_a_positive_number_is_a_400(client, thirty_claims, number, message):
    response = client.get(f"/claims/?page={number}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_empty_page_parameter_is_the_first_page(client, thirty_claims):
    assert client.get("/claims/?page=").context["page"].number == 1


def test_an_empty_list_has_one_page(client, db):
    assert client.get("/claims/?page=1").status_code == 200
    assert client.get("/claims/?page=3").status_code == 404


def test_the_list_links_to_exports_with_the_same_filters(client, unverifiable_claim):
    page = client.get("/claims/?status=unverifiable&page=1").content.decode()
    assert 'href="/claims/export.csv?status=unverifiable"' in page
    assert 'href="/claims/export.json?status=unverifiable"' in page


def test_the_list_runs_a_fixed_number_of_queries(
    client, seeded, django_assert_num_queries, monkeypatch
):
    # On PostgreSQL a search first asks whether it finds too many claims to rank.
    searching = LIST_QUERIES + (connection.vendor == "postgresql")
    with django_assert_num_queries(searching):
        client.get("/claims/?status=supported&q=ketamine")
    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 100)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/claims/")
    assert len(response.context["page"].object_list) == 100


def test_the_list_runs_as_many_queries_with_one_claim(
    client, unverifiable_claim, django_assert_num_queries
):
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/claims/")
    assert statements(response) == [unverifiable_claim.statement]


def test_the_list_runs_two_more_queries_for_a_logged_in_user(
    client, seeded, reviewer, django_assert_max_num_queries
):
    client.force_login(reviewer)
    # session and user, and not the public version: staff pages are never cached
    with django_assert_max_num_queries(LIST_QUERIES + 1):
        client.get("/claims/")


# The claim page


def test_the_claim_page_shows_statement_quote_in_context_and_verdict(client, evidenced_claim):
    response = client.get("/claims/ketamine-news/bdnf/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Ketamine triggers BDNF release.</h1>" in page
    # The quote within its surrounding sentence, as the article has it.
    assert (
        "Ketamine can relieve depression within hours. <mark>It triggers BDNF release.</mark>"
        in (page)
    )
    assert "Partly supported" in page
    assert (
        'Certainty of evidence: <strong><a class="certainty-link" '
        'href="/how-we-rate/#certainty-low">Low<span class="visually-hidden">: ' in page
    )
    assert "Shown in mice, not in people." in page


def test_the_claim_page_shows_reason_tags_with_their_definitions(client, evidenced_claim):
    page = client.get("/claims/ketamine-news/bdnf/").content.decode()
    assert "Extrapolates from animal studies" in page
    assert "Treats results in animals or cells as if shown in people." in page


def test_the_claim_page_says_editors_reviewed_a_fixture_verdict(client, evidenced_claim):
    page = client.get("/claims/ketamine-news/bdnf/").content.decode()
    assert "claimtrack editors" in page


def test_the_claim_page_names_the_reviewer(client, reviewed_claim, editor):
    StaffProfile.objects.make(editor, display_name="Edith Hale")
    reviewed_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice.", note="Mice only."
    )
    page = client.get("/claims/ketamine-news/bdnf/").content.decode()
    assert (
        'Reviewed by</dt><dd><a class="person" href="/reviewers/edith-hale/">Edith Hale</a>,'
        in page
    )


def test_the_claim_page_lists_evidence_with_doi_and_pubmed_links(client, evidenced_claim):
    page = client.get("/claims/ketamine-news/bdnf/").content.decode()
    assert '<a href="https://doi.org/10.1176/appi.ajp.2013.13030392">' in page
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/23982301/">' in page
    assert "Randomized trial" in page
    assert "Qualifies" in page
    assert "Mice only." in page


def test_the_claim_page_shows_the_history_with_who_and_why(client, reviewed_claim, editor):
    StaffProfile.objects.make(editor, display_name="Edith Hale")
    reviewed_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice.", note="Only in mice."
    )
    page = client.get("/claims/ketamine-news/bdnf/").content.decode()
    history = page[page.index('id="history"') :]
    assert "Only in mice." in history
    assert '— <a class="person" href="/reviewers/edith-hale/">Edith Hale</a>' in history
    assert history.index("Partly supported") < history.index("Overstated")


def test_the_claim_page_counts_open_flags(client, unverifiable_claim, reviewer, editor):
    Flag.objects.raise_flag(claim=unverifiable_claim, by=reviewer, reason=tag("overstates-impact"))
    Flag.objects.raise_flag(claim=unverifiable_claim, by=editor, reason=tag("overstates-impact"))
    page = client.get("/claims/ketamine-news/within-hours/").content.decode()
    assert "2 open flags waiting for the editors." in page


def test_the_claim_page_shows_the_same_claim_in_other_articles(
    client, unverifiable_claim, reviewed_claim
):
    claim = unverifiable_claim
    other = Article.objects.create(slug="other", title="Other news", text="Ketamine works fast.")
    sibling = make_claim(
        other,
        slug="fast",
        quote="Ketamine works fast.",
        statement="Ketamine works fast.",
        status="overstated",
        certainty="low",
        rationale="Hours, in some.",
    )
    group = ClaimGroup.objects.create(slug="onset", name="Onset of effect")
    raw_update(Claim.objects.filter(pk__in=[claim.pk, sibling.pk, reviewed_claim.pk]), group=group)
    page = client.get("/claims/ketamine-news/within-hours/").content.decode()
    elsewhere = page[page.index('id="elsewhere"') :]
    assert "Ketamine works fast." in elsewhere
    assert "Overstated" in elsewhere
    assert "Other news" in elsewhere
    assert "BDNF" not in elsewhere  # same article, not "elsewhere"


def test_the_claim_page_says_why_its_verdict_differs_from_its_group(client, reviewed_claim):
    reviewed_claim.group = ClaimGroup.objects.create(slug="bdnf", name="BDNF release")
    reviewed_claim.group_note = "Says it triggers release in people; the others say in mice."
    reviewed_claim.save()
    page = client.get("/claims/ketamine-news/bdnf/").content.decode()
    assert "Why this verdict differs from the same claim elsewhere:" in page
    assert "Says it triggers release in people; the others say in mice." in page


def test_a_claim_without_a_group_note_says_nothing_about_it(client, reviewed_claim):
    page = client.get("/claims/ketamine-news/bdnf/").content.decode()
    assert "Why this verdict differs" not in page


def test_an_unreviewed_claim_is_a_draft_and_not_public(client, claim):
    # Its preview says "Not reviewed yet." to staff (test_drafts.py).
    assert client.get("/claims/ketamine-news/within-hours/").status_code == 404
    assert client.post("/claims/ketamine-news/within-hours/flag/").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/claims/ketamine-news/nope/", "/claims/nope/within-hours/", "/claims/a/b/c/"],
)
def test_an_unknown_claim_is_a_404(client, unverifiable_claim, url):
    assert client.get(url).status_code == 404


def test_the_claim_page_runs_a_fixed_number_of_queries(client, seeded, django_assert_num_queries):
    busiest = Claim.objects.with_counts().order_by("-evidence_count").first()
    assert busiest.evidence_count > 2 and busiest.group_id
    url = busiest.get_absolute_url()
    with django_assert_num_queries(CLAIM_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def test_the_claim_page_runs_as_many_queries_with_little_data(
    client, evidenced_claim, django_assert_num_queries
):
    with django_assert_num_queries(CLAIM_QUERIES - 1):  # no group: no same-group query
        client.get("/claims/ketamine-news/bdnf/")


# Colours


def hex_luminance(color):
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    light, dark = sorted([hex_luminance(a), hex_luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_status_badge_colours_meet_wcag_aa():
    css = (Path(settings.BASE_DIR) / "static" / "claimtrack.css").read_text()
    colours = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6});", css))
    for status in Status:
        name = status.value.replace("_", "-")
        ratio = contrast(colours[f"{name}-fg"], colours[f"{name}-bg"])
        assert ratio >= 4.5, f"{name}: {ratio:.1f}"


def test_a_bare_page_number_past_offsets_limit_is_a_400_that_says_how_to_go_on(
    client, thirty_claims, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(views, "CLAIMS_PER_PAGE", 10)
    monkeypatch.setattr("claimtrack.claims.paginators.MAX_ROWS", 20)
    last = client.get("/claims/?page=2")
    assert 'rel="next"' in last.content.decode()  # by its cursor, page 3 is still there
    assert "&amp;after=" in last.content.decode()
    # The public version and the reason tags of the form; no claims are read.
    with django_assert_num_queries(2):
        response = client.get("/claims/?page=1000")
    assert response.status_code == 400
    assert "Pages stop after the first 20 rows of a list, at page 2" in response.content.decode()
    assert "follow the Next links" in response.content.decode()
