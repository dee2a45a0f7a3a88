"""The corrections log (/changes/) and its Atom feed (/claims/feed/)."""

import xml.etree.ElementTree as ET

import pytest

from claimtrack.claims import views
from claimtrack.claims.models import Claim, ClaimChange, Flag, StaffProfile

from .conftest import tag

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def corrected(reviewed_claim, editor):
    StaffProfile.objects.make(editor, display_name="Edith Hale")
    reviewed_claim.record_verdict_change(("", "", ""), None, "Loaded from the editorial fixtures.")
    reviewed_claim.change_verdict(
        by=editor,
        status="overstated",
        certainty="very_low",
        rationale="Shown in mice only.",
        note="No human data.",
    )
    return reviewed_claim


def test_the_log_lists_every_change_newest_first(client, corrected):
    response = client.get("/changes/")
    assert response.status_code == 200
    entries = list(response.context["page"].object_list)
    assert [(c.old_status, c.new_status) for c in entries] == [
        ("partly_supported", "overstated"),
        ("", "partly_supported"),
    ]


def test_the_log_shows_what_it_was_before_and_why(client, corrected):
    page = client.get("/changes/").content.decode()
    newest = page[page.index('<li class="change"') :]
    newest = newest[: newest.index("</li>")]
    assert '<a href="/claims/ketamine-news/bdnf/">Ketamine triggers BDNF release.</a>' in newest
    assert newest.index("Partly supported") < newest.index("Overstated")
    certainty = newest[newest.index("certainty") :]
    assert certainty.index('href="/how-we-rate/#certainty-low">Low') < certainty.index(
        'href="/how-we-rate/#certainty-very_low">Very low'
    )
    assert "No human data." in newest
    assert '— <a class="person" href="/reviewers/edith-hale/">Edith Hale</a>' in newest


def test_a_system_change_is_by_the_editors(client, corrected):
    page = client.get("/changes/").content.decode()
    assert 'Loaded from the editorial fixtures. <span class="muted">— claimtrack editors' in page


def test_evidence_changes_are_logged_too(client, reviewed_claim, citation, editor):
    reviewed_claim.add_evidence(
        by=editor, citation=citation, stance="qualifies", note="Mice.", why="New review."
    )
    page = client.get("/changes/").content.decode()
    assert "Added evidence: Murrough and Iosifescu 2013 (qualifies)" in page
    assert "murrough2013" not in page  # a source by its authors and year, not a key
    assert "New review." in page


def test_an_empty_log_says_so(client, db):
    assert "No corrections match." in client.get("/changes/").content.decode()


def test_the_log_is_paginated(client, corrected, monkeypatch):
    monkeypatch.setattr(views, "CHANGES_PER_PAGE", 1)
    first = client.get("/changes/")
    assert first.context["page"].object_list[0].new_status == "overstated"
    assert 'href="?page=2&amp;after=' in first.content.decode()  # with the page's cursor
    second = client.get("/changes/?page=2")
    assert second.context["page"].object_list[0].new_status == "partly_supported"
    past = client.get("/changes/?page=9")
    assert past.status_code == 404
    assert "There is no page 9 of this list." in past.content.decode()
    assert 'href="/changes/">Go to the first page' in past.content.decode()


@pytest.mark.parametrize("number", ["x", "0"])
def test_a_bad_page_is_a_400(client, corrected, number):
    response = client.get(f"/changes/?page={number}")
    assert response.status_code == 400
    assert "Go to the first page" in response.content.decode()


def test_the_log_runs_a_fixed_number_of_queries(client, seeded, editor, django_assert_num_queries):
    for claim in Claim.objects.filter(status="supported")[: views.CHANGES_PER_PAGE + 5]:
        claim.change_verdict(
            by=editor, status="overstated", certainty="low", rationale="Less.", note="Review."
        )
    assert ClaimChange.objects.count() > views.CHANGES_PER_PAGE
    # the public version, then the page of changes with claims and people: no count, no list
    # of articles
    with django_assert_num_queries(2):
        client.get("/changes/")


def test_seed_loading_is_never_presented_as_a_correction(client, seeded):
    assert "No corrections match." in client.get("/changes/").content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=verdict", 2),
        ("kind=evidence", 1),
        ("kind=correction", 0),
        ("article=ketamine-news", 3),
        ("article=ketamine-news&kind=evidence", 1),
        ("since=2000-01-01", 3),
        ("until=2000-01-01", 0),
    ],
)
def test_the_log_filters_by_kind_article_and_date(
    client, corrected, citation, editor, query, expected
):
    corrected.add_evidence(by=editor, citation=citation, stance="qualifies", note="n=73")
    response = client.get(f"/changes/?{query}")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == expected


@pytest.mark.parametrize(
    "query", ["kind=rumour", f"article={'x' * 201}", "since=yesterday", "until=2026-13-01"]
)
def test_a_bad_log_filter_is_a_400_that_says_what_is_wrong(client, corrected, query):
    response = client.get(f"/changes/?{query}")
    assert response.status_code == 400
    assert "These filters cannot be used" in response.content.decode()


def test_an_article_no_title_matches_lists_no_change_and_says_so(client, corrected):
    response = client.get("/changes/?article=no-such-article")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "No article matches ‘no-such-article’" in response.content.decode()


def test_the_log_finds_an_article_by_words_of_its_title(client, corrected):
    response = client.get("/changes/?article=KETAMINE")
    assert len(response.context["page"].object_list) == 2


def test_an_upheld_flag_is_told_in_plain_words(client, reviewed_claim, reviewer, editor):
    flag = Flag.objects.raise_flag(
        claim=reviewed_claim, by=reviewer, reason=tag("overstates-impact")
    )
    flag.uphold(by=editor, note="Mice only.", status="overstated")
    page = client.get("/changes/").content.decode()
    assert (
        "A reviewer&#x27;s flag (overstates the impact of a finding) was upheld: Mice only." in page
    )
    assert "Flag #" not in page


def test_the_feed_is_atom_with_one_entry_per_change(client, corrected):
    response = client.get("/claims/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text == "claimtrack: corrections log"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Now rated Overstated (was Partly supported): Ketamine triggers BDNF release.",
        "Rated Partly supported: Ketamine triggers BDNF release.",
    ]
    newest = entries[0]
    assert newest.find(f"{ATOM}summary").text == "No human data."
    assert newest.find(f"{ATOM}author/{ATOM}name").text == "Edith Hale"
    assert newest.find(f"{ATOM}author/{ATOM}uri").text == "http://testserver/reviewers/edith-hale/"
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == 2
    assert (
        newest.find(f"{ATOM}link")
        .get("href")
        .startswith("http://testserver/claims/ketamine-news/bdnf/#change-")
    )


def test_the_feed_is_discoverable(client, db):
    page = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in page


def test_the_feed_runs_two_queries(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(2):  # the public version, the changes
        client.get("/claims/feed/")


def test_the_feed_declares_notes_as_text_so_markup_in_them_is_never_run(
    client, reviewed_claim, editor
):
    hostile = '<img src=x onerror="alert(1)"> <b>bold</b>'
    reviewed_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice only.", note=hostile
    )
    response = client.get("/claims/feed/")
    summary = ET.fromstring(response.content).find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == hostile  # shown as the words it is
    assert b'type="html"' not in response.content
