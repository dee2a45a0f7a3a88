"""Article corrections that claims survive, text as published, and links that outlive a rename."""

import pytest
from django.urls import reverse

from claimtrack.claims.models import AnchorState, Article, Claim, ClaimChange

from .conftest import form_data, make_claim

TEXT = (
    "Ketamine news\n\n"
    "Ketamine can relieve depression within hours. It triggers BDNF release.\n\n"
    "Side effects include dissociation and raised blood pressure."
)


@pytest.fixture
def news(db):
    return Article.objects.create(slug="news", title="Ketamine news", text=TEXT)


@pytest.fixture
def claims(news):
    return {
        "hours": make_claim(news, slug="hours", quote="relieve depression within hours"),
        "bdnf": make_claim(
            news,
            slug="bdnf",
            quote="It triggers BDNF release.",
            status="partly_supported",
            certainty="low",
            rationale="Mice only.",
        ),
        "side": make_claim(news, slug="side", quote="raised blood pressure"),
    }


def correct(client, editor, article, text, note="Publisher's correction."):
    url = reverse("admin:claims_article_change", args=[article.pk])
    client.force_login(editor)
    data = form_data(client.get(url), "article_form")
    data.update(text=text, change_note=note)
    return client.post(url, data, follow=True)


def test_a_correction_is_saved_at_once_and_every_claim_finds_its_passage(
    client, editor, news, claims
):
    corrected = (
        TEXT.replace("Ketamine news\n\n", "Ketamine news\n\nUpdated 2 May.\n\n")  # moves all
        .replace("relieve depression within hours", "relieve depression within a few hours", 1)
        .replace("It triggers BDNF release.", "")  # the passage is gone
    )
    response = correct(client, editor, news, corrected)
    assert "The text was saved." in response.content.decode()
    news.refresh_from_db()
    assert news.text == corrected

    side, hours, bdnf = (Claim.objects.get(slug=slug) for slug in ("side", "hours", "bdnf"))
    assert side.anchor == AnchorState.ANCHORED
    assert corrected[side.quote_start : side.quote_end] == "raised blood pressure"
    assert hours.anchor == AnchorState.PROPOSED
    assert hours.proposed_quote == "relieve depression within a few hours"
    assert corrected[hours.proposed_start : hours.proposed_end] == hours.proposed_quote
    assert hours.quote == "relieve depression within hours"  # unchanged until confirmed
    assert bdnf.anchor == AnchorState.DETACHED
    assert (bdnf.quote, bdnf.status) == ("It triggers BDNF release.", "partly_supported")
    passage = ClaimChange.objects.get(claim=bdnf)
    assert passage.kind == "passage" and passage.old_wording == "It triggers BDNF release."


def test_a_detached_claim_says_so_and_is_highlighted_nowhere(client, editor, news, claims):
    correct(client, editor, news, TEXT.replace(" It triggers BDNF release.", ""))
    client.logout()
    page = client.get(claims["bdnf"].get_absolute_url()).content.decode()
    assert "This passage was changed or removed from the article on" in page
    assert "<mark>It triggers BDNF release.</mark>" in page  # the original quote
    article_page = client.get(news.get_absolute_url()).content.decode()
    assert claims["bdnf"].get_absolute_url() + '" title' not in article_page  # no highlight
    assert "Claims whose passage changed" in article_page
    assert "The text was last changed on" in article_page


def test_editors_list_and_confirm_a_reworded_passage_in_one_click(client, editor, news, claims):
    correct(client, editor, news, TEXT.replace("raised blood pressure", "high blood pressure"))
    claims_admin = reverse("admin:claims_claim_changelist")
    listed = client.get(claims_admin, {"passage": "changed"}).context["cl"].result_list
    assert [claim.slug for claim in listed] == ["side"]
    side = Claim.objects.get(slug="side")
    assert side.anchor == AnchorState.PROPOSED
    change_page = client.get(reverse("admin:claims_claim_change", args=[side.pk]))
    assert "Confirm it" in change_page.content.decode()

    confirm = reverse("admin:claims_claim_confirm_quote", args=[side.pk])
    client.post(confirm)
    side.refresh_from_db()
    assert (side.anchor, side.quote) == (AnchorState.ANCHORED, "high blood pressure")
    assert news.__class__.objects.get(pk=news.pk).text[side.quote_start : side.quote_end] == (
        "high blood pressure"
    )


def test_a_repeated_quote_follows_the_occurrence_it_was_pinned_to(client, editor, news):
    text = TEXT + "\n\nKetamine can relieve depression within hours, the authors repeat."
    news.text = text
    news.save()
    second = text.rindex("relieve depression within hours")
    claim = Claim(article=news, slug="repeat", quote="relieve depression within hours")
    claim.topic, claim.statement = "efficacy", "Fast relief."
    claim.pin(second)
    claim.save()
    correct(client, editor, news, "Intro added.\n\n" + text)  # both occurrences move
    claim.refresh_from_db()
    assert claim.anchor == AnchorState.ANCHORED
    assert claim.quote_start == second + len("Intro added.\n\n")


def test_the_public_can_read_what_changed_between_revisions(client, editor, news, claims):
    correct(client, editor, news, TEXT.replace("raised blood pressure", "high blood pressure"))
    client.logout()
    page = client.get(reverse("article_revisions", args=[news.slug])).content.decode()
    assert "<del>raised</del>" in page and "<ins>high</ins>" in page


def test_text_is_stored_as_published_whatever_the_browser_sends(client, editor, news, claims):
    with_crlf = TEXT.replace("\n", "\r\n") + "\r\nCafe\u0301 owners\x00 agree."
    correct(client, editor, news, with_crlf)
    news.refresh_from_db()
    assert "\r" not in news.text and "\x00" not in news.text
    assert news.text.endswith("\nCafé owners agree.")
    assert Claim.objects.get(slug="side").anchor == AnchorState.ANCHORED


def test_saving_an_unchanged_article_form_writes_no_revision(client, editor, news, claims):
    before = news.history.count()
    correct(client, editor, news, TEXT.replace("\n", "\r\n"), note="")
    assert news.history.count() == before
    assert len(news.text_revisions()) == 1


def test_renamed_article_and_claim_keep_their_old_links(client, news, claims):
    old_claim_url = claims["bdnf"].get_absolute_url()
    news.slug = "ketamine-news-2024"
    news.save()
    bdnf = Claim.objects.get(slug="bdnf")
    bdnf.slug = "bdnf-release"
    bdnf.save()
    response = client.get(reverse("article_detail", args=["news"]))
    assert (response.status_code, response["Location"]) == (301, "/articles/ketamine-news-2024/")
    response = client.get(old_claim_url)
    assert response.status_code == 301
    assert response["Location"] == "/claims/ketamine-news-2024/bdnf-release/"
    assert client.get("/claims/news/never-was/").status_code == 404
    assert client.get("/articles/never-was/").status_code == 404
