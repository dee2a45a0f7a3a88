"""Anonymous readers get public pages from the cache, and never a page from before a change."""

import json
import socket

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claimtrack.claims import pagecache
from claimtrack.claims.models import (
    Citation,
    Claim,
    Flag,
    PublicVersion,
    StaffProfile,
    Status,
)
from claimtrack.desk.models import DismissedSentence

from .conftest import form_data, make_claim, tag

CLAIM = "/claims/ketamine-news/bdnf/"
PAGES = [
    "/",
    "/claims/",
    "/claims/?status=partly_supported&ordering=-reviewed",
    CLAIM,
    "/articles/",
    "/articles/ketamine-news/",
    "/articles/ketamine-news/changes/",
    "/changes/",
    "/claims/feed/",
]
EXPORTS = ["/claims/export.csv", "/claims/export.json?status=partly_supported"]


def version():
    return PublicVersion.objects.current()


def counting(url):
    """The claim page also counts its read (the review queue's "most read"): one query more,
    before the cache answers."""
    return 1 if url == CLAIM else 0


def page(client, url=CLAIM):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_the_second_read_is_served_from_the_cache_for_one_query(
    client, reviewed_claim, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    with django_assert_num_queries(1 + counting(url)):  # the public version
        second = client.get(url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]
    assert "no-cache" in second["Cache-Control"] and "Cookie" in second["Vary"]


def test_how_we_rate_is_filed_under_the_version(client, reviewed_claim, django_assert_num_queries):
    """It shows an example claim of each verdict: a new verdict can change it."""
    first = client.get("/how-we-rate/")
    with django_assert_num_queries(1):  # the version, then the 304
        second = client.get("/how-we-rate/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert first.status_code == 200 and second.status_code == 304
    reviewed_claim.change_verdict(
        by=None, status="overstated", certainty="low", rationale="Mice.", note="Mice only."
    )
    assert client.get("/how-we-rate/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_same_path_on_another_host_is_another_page(client, reviewed_claim):
    """The claim's structured data names the host it was asked for."""
    here = client.get(CLAIM, HTTP_HOST="localhost")
    there = client.get(CLAIM, HTTP_HOST="127.0.0.1")
    assert here["ETag"] != there["ETag"]
    assert "http://127.0.0.1/claims/ketamine-news/bdnf/" in there.content.decode()


# Every write to what the public is shown makes the next read fresh.


def test_a_verdict_change_is_seen_at_once(client, editor, reviewed_claim):
    before = client.get(CLAIM)
    assert Status.OVERSTATED.label not in before.content.decode()
    reviewed_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Weaker.", note="Checked."
    )
    after = client.get(CLAIM)
    assert Status.OVERSTATED.label in after.content.decode()
    assert after["ETag"] != before["ETag"]
    assert Status.OVERSTATED.label in page(client, "/claims/")
    assert "Checked." in page(client, "/changes/")
    assert "Checked." in page(client, "/claims/feed/")


def test_new_evidence_is_seen_at_once(client, editor, reviewed_claim, citation):
    assert citation.title not in page(client)
    reviewed_claim.add_evidence(by=editor, citation=citation, stance="supports", note="Trial.")
    assert citation.title in page(client)


def test_removed_evidence_is_gone_at_once(client, editor, reviewed_claim):
    evidence = reviewed_claim.evidence.get()
    assert evidence.citation.title in page(client)
    reviewed_claim.remove_evidence(evidence, by=editor, why="Wrong paper.")
    assert evidence.citation.title not in page(client)


def test_a_flag_is_seen_at_once(client, reviewer, reviewed_claim):
    assert "No open flags." in page(client)
    Flag.objects.raise_flag(claim=reviewed_claim, by=reviewer, reason=tag("lacks-context"))
    assert "1 open flag waiting" in page(client)


def test_a_reason_tag_added_to_a_claim_is_seen_at_once(client, reviewed_claim):
    reason = tag("animal-extrapolation")
    assert reason.name not in page(client)
    reviewed_claim.reason_tags.add(reason)
    assert reason.name in page(client)


def test_an_article_edited_in_the_admin_is_seen_at_once(client, editor, reviewed_claim):
    article = reviewed_claim.article
    assert "Ketamine news, corrected" not in page(client, "/articles/")
    staff = Client()
    staff.force_login(editor)
    url = reverse("admin:claims_article_change", args=[article.pk])
    data = form_data(staff.get(url), "article_form")
    data.update(title="Ketamine news, corrected")
    assert staff.post(url, data).status_code == 302
    assert "Ketamine news, corrected" in page(client, "/articles/")
    assert "Ketamine news, corrected" in page(client)


def test_a_deleted_draft_is_gone_at_once(client, article):
    draft = make_claim(article, slug="draft", quote="It triggers BDNF release.")
    make_claim(article, status="unverifiable", rationale="No trial is named.")
    assert Claim.objects.filter(pk=draft.pk).exists()
    before = version()
    draft.delete()
    assert version() != before


def test_loaddata_makes_the_next_read_fresh_with_one_bump(client, tmp_path, reviewed_claim):
    fixture = tmp_path / "retitle.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "claims.article",
                    "fields": {
                        "slug": "ketamine-news",
                        "title": "Ketamine news, from the fixture",
                        "text": reviewed_claim.article.text,
                    },
                }
            ]
        )
    )
    assert "from the fixture" not in page(client, "/articles/")
    call_command("loaddata", str(fixture), verbosity=0)
    assert "from the fixture" in page(client, "/articles/")


def test_a_bulk_load_bumps_once_as_it_starts(db):
    before = version()
    with PublicVersion.objects.in_bulk():
        during = version()
        assert during != before
        with CaptureQueriesContext(connection) as queries:
            Citation.objects.create(slug="y2020", kind="randomized_trial", title="Y", year=2020)
            PublicVersion.objects.bump()
        assert queries and not [q for q in queries if "publicversion" in q["sql"].lower()]
    assert version() == during


def test_what_no_public_page_shows_does_not_bump(article, editor, client):
    StaffProfile.objects.make(editor)
    before = version()
    StaffProfile.objects.set_email_on_flags(editor, False)
    DismissedSentence.objects.create(article=article, sentence="Not a claim.", dismissed_by=editor)
    client.force_login(editor)  # stamps last_login only
    assert version() == before


def test_a_staff_member_renamed_is_seen_at_once(editor):
    """The public pages name who reviewed a claim and who changed a verdict."""
    before = version()
    editor.first_name = "Edith"
    editor.save()
    assert version() != before


def test_the_version_row_comes_back_when_the_table_was_emptied(db):
    PublicVersion.objects.all().delete()
    token = version()
    assert token and PublicVersion.objects.get().token == token
    PublicVersion.objects.all().delete()
    PublicVersion.objects.bump()
    assert PublicVersion.objects.get().token != token


def test_there_is_one_version_row(db):
    with pytest.raises(IntegrityError, match="public_version_one_row"):
        PublicVersion.objects.create(id=2, token="second")


# Staff and anonymous readers never see each other's pages.


def test_a_logged_in_page_is_never_cached_nor_served_to_anonymous(
    client, reviewer, reviewed_claim, django_assert_max_num_queries
):
    staff = Client()
    staff.force_login(reviewer)
    mine = staff.get(CLAIM)
    assert "rita" in mine.content.decode() and "flag-form" in mine.content.decode()
    assert not mine.has_header("ETag") and "private" in mine["Cache-Control"]
    assert "Cookie" in mine["Vary"]
    theirs = page(client)
    assert (
        "rita" not in theirs and "flag-form" not in theirs and "csrfmiddlewaretoken" not in theirs
    )


def test_an_anonymous_page_is_never_served_to_staff(client, reviewer, reviewed_claim):
    assert "rita" not in page(client)  # now cached
    staff = Client()
    staff.force_login(reviewer)
    mine = staff.get(CLAIM)
    assert "rita" in mine.content.decode() and "flag-form" in mine.content.decode()
    assert staff.get(CLAIM, HTTP_IF_NONE_MATCH=client.get(CLAIM)["ETag"]).status_code == 200


def test_a_reader_with_a_message_waiting_is_not_served_from_the_cache(
    client, reviewed_claim, django_assert_max_num_queries
):
    cached = client.get(CLAIM)
    client.cookies["messages"] = "anything"
    response = client.get(CLAIM)
    assert response.status_code == 200 and not response.has_header("ETag")
    assert response.context is not None  # rendered, not read from the cache
    assert cached.context is not None


# Conditional GET: a revalidation of an unchanged page is a 304.


@pytest.mark.parametrize("url", PAGES + EXPORTS)
def test_a_revalidation_is_a_304_after_reading_the_version_only(
    client, reviewed_claim, url, django_assert_num_queries
):
    etag = client.get(url)["ETag"]
    client.get(url)
    with django_assert_num_queries(1 + counting(url)):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag


@pytest.mark.parametrize("url", PAGES + EXPORTS)
def test_after_a_change_the_revalidation_gets_the_new_page(client, editor, reviewed_claim, url):
    etag = client.get(url)["ETag"]
    reviewed_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Weaker.", note="Checked."
    )
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_exports_carry_a_weak_etag_even_for_staff(client, editor, reviewed_claim):
    """An export is the same for everyone (published claims) but stamped with its time."""
    client.force_login(editor)
    response = client.get("/claims/export.csv")
    assert response["ETag"].startswith('W/"')
    again = client.get("/claims/export.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_new_release_changes_every_etag(client, reviewed_claim, monkeypatch):
    etag = client.get(CLAIM)["ETag"]
    monkeypatch.setattr(pagecache, "release", lambda: "another-release")
    response = client.get(CLAIM, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


# Bad input keeps its 400 and is never cached.


@pytest.mark.parametrize(
    "url", ["/claims/?page=x", "/claims/?status=bogus", "/changes/?since=yesterday"]
)
def test_bad_input_is_a_400_every_time_and_never_cached(client, reviewed_claim, url):
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 400 and not response.has_header("ETag")
        assert response.context is not None  # rendered each time


@pytest.mark.parametrize(
    "url", ["/claims/export.csv?status=bogus", "/claims/export.json?flagged=maybe"]
)
def test_a_bad_export_is_a_400_without_an_etag(client, reviewed_claim, url):
    response = client.get(url)
    assert response.status_code == 400 and not response.has_header("ETag")


def test_a_cache_that_does_not_answer_is_a_miss_not_an_error(client, reviewed_claim, caplog):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    away = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    with override_settings(CACHES={"default": away}):
        for _ in range(2):
            response = client.get(CLAIM)
            assert response.status_code == 200 and reviewed_claim.statement in page(client)
    assert "The page cache did not answer" in caplog.text


def test_a_redirect_from_an_old_slug_is_not_cached(client, editor, reviewed_claim):
    """Only a page as it stands is cached; a redirect is worked out each time."""
    article = reviewed_claim.article
    response = client.get("/articles/ketamine-news/")
    assert response.status_code == 200
    article.slug = "ketamine-news-2"
    article.save()
    moved = client.get("/articles/ketamine-news/")
    assert moved.status_code == 301 and not moved.has_header("ETag")
    assert client.get("/articles/ketamine-news-2/").status_code == 200


def test_a_new_citation_on_file_bumps_the_version(db):
    before = version()
    Citation.objects.create(
        slug="x2020", kind="randomized_trial", authors="X", title="X", year=2020
    )
    assert version() != before


def test_a_user_deleted_bumps_the_version(db):
    user = User.objects.create_user("gone")
    before = version()
    user.delete()
    assert version() != before
