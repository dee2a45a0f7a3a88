"""The corrections log (/changes/) and its Atom feed (/claims/feed/)."""

import xml.etree.ElementTree as ET

import pytest

from claimtrack.claims import views
from claimtrack.claims.models import ClaimChange

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def corrected(reviewed_claim, editor):
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
    assert "certainty low → very low" in newest
    assert "No human data." in newest
    assert "— ed" in newest


def test_a_system_change_is_by_the_editors(client, corrected):
    page = client.get("/changes/").content.decode()
    assert 'Loaded from the editorial fixtures. <span class="muted">— claimtrack editors' in page


def test_evidence_changes_are_logged_too(client, reviewed_claim, citation, editor):
    reviewed_claim.add_evidence(
        by=editor, citation=citation, stance="qualifies", note="Mice.", why="New review."
    )
    page = client.get("/changes/").content.decode()
    assert "Added evidence: murrough2013 (qualifies)" in page
    assert "New review." in page


def test_an_empty_log_says_so(client, db):
    assert "Nothing has been reviewed yet." in client.get("/changes/").content.decode()


def test_the_log_is_paginated(client, corrected, monkeypatch):
    monkeypatch.setattr(views, "CHANGES_PER_PAGE", 1)
    first = client.get("/changes/")
    assert first.context["page"].object_list[0].new_status == "overstated"
    assert 'href="?page=2"' in first.content.decode()
    second = client.get("/changes/?page=2")
    assert second.context["page"].object_list[0].new_status == "partly_supported"
    assert client.get("/changes/?page=9").context["page"].number == 2


@pytest.mark.parametrize("number", ["x", "0"])
def test_a_bad_page_is_a_400(client, corrected, number):
    response = client.get(f"/changes/?page={number}")
    assert response.status_code == 400
    assert "Go to the first page" in response.content.decode()


def test_the_log_runs_a_fixed_number_of_queries(client, seeded, django_assert_num_queries):
    assert ClaimChange.objects.count() > views.CHANGES_PER_PAGE
    with django_assert_num_queries(2):  # count, page of changes with claims and people
        client.get("/changes/")


def test_the_feed_is_atom_with_one_entry_per_change(client, corrected):
    response = client.get("/claims/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text == "claimtrack: corrections log"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Partly supported → Overstated: Ketamine triggers BDNF release.",
        "new → Partly supported: Ketamine triggers BDNF release.",
    ]
    newest = entries[0]
    assert newest.find(f"{ATOM}summary").text == "No human data."
    assert newest.find(f"{ATOM}author/{ATOM}name").text == "ed"
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


def test_the_feed_runs_one_query(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/claims/feed/")
