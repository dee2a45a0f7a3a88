"""The desk's intake page: an editor pastes or fetches an article, previews it, saves it.
respx answers every fetch; none reaches the network."""

import re
from html import unescape

import httpx
import pytest
from django.test import Client
from django.urls import reverse

from claimtrack.claims.models import Article

from .conftest import form_data
from .test_intake_fetch import ARTICLE_URL, answer, seed_paragraphs

INTAKE = reverse("desk:intake")
FORM = "intake_form"


@pytest.fixture(autouse=True)
def no_network(respx_mock):
    return respx_mock


def blank(**fields):
    """The intake form as posted, with these fields typed."""
    data = dict.fromkeys(
        ["fetch_url", "title", "author", "publisher", "published_on", "url", "slug", "text"], ""
    )
    return {**data, **fields}


def page_text(response):
    return unescape(response.content.decode())


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def test_it_sends_anonymous_visitors_to_the_admin_login(client):
    response = client.get(INTAKE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login") + "?next=")


def test_it_refuses_a_reviewer_who_may_not_add_articles(client, reviewer):
    client.force_login(reviewer)
    assert client.get(INTAKE).status_code == 403
    response = client.post(INTAKE, blank(title="T", text="Some text.", action="save"))
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_it_shows_the_form_in_the_admin_with_a_label_for_every_field(desk):
    response = desk.get(INTAKE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="breadcrumbs">' in html
    for name in ["fetch_url", "author", "publisher", "published_on", "url", "slug"]:
        assert re.search(rf'<label for="id_{name}">\w[^<]+:</label>', html), name
    assert '<label for="id_title" class="required">Title:</label>' in html
    assert '<label for="id_text" class="required">Text:</label>' in html
    for button in ["Fetch from URL", "Preview", "Save article"]:
        assert f">{button}</button>" in html


def test_it_has_no_inline_script(desk):
    html = desk.get(INTAKE).content.decode()
    assert re.findall(r"<script\b[^>]*>", html)  # the admin's own, from files
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)  # no event handler attributes either


def test_fetch_fills_the_empty_fields_and_keeps_what_was_typed(desk, respx_mock):
    answer(respx_mock, ARTICLE_URL, "science-behind-ketamine.html")
    response = desk.post(
        INTAKE, blank(fetch_url=ARTICLE_URL, title="Ketamine in therapy", action="fetch")
    )
    assert response.status_code == 200
    data = form_data(response, FORM)
    assert data["title"] == "Ketamine in therapy"  # typed, so kept
    assert data["author"] == "Helen Marsh"
    assert data["publisher"] == "Mind & Body Today"
    assert data["published_on"] == "2023-04-14"
    assert data["url"] == ARTICLE_URL
    assert data["text"].split("\n\n") == seed_paragraphs()
    assert f"Read {len(data['text'].split())} words from" in page_text(response)
    assert not Article.objects.exists()


def test_fetch_keeps_a_text_already_pasted(desk, respx_mock):
    answer(respx_mock, ARTICLE_URL, "science-behind-ketamine.html")
    response = desk.post(INTAKE, blank(fetch_url=ARTICLE_URL, text="My own text.", action="fetch"))
    assert form_data(response, FORM)["text"] == "My own text."
    assert "Your own text is kept in the text box." in page_text(response)


def test_a_failed_fetch_keeps_everything_typed_and_says_why(desk, respx_mock):
    respx_mock.get(ARTICLE_URL).respond(403)
    typed = blank(fetch_url=ARTICLE_URL, title="Ketamine", author="H. Marsh", text="Half a text")
    response = desk.post(INTAKE, {**typed, "action": "fetch"})
    assert response.status_code == 200
    data = form_data(response, FORM)
    assert {name: data[name] for name in typed} == typed
    assert (
        "news.example.com refused to give the page (HTTP 403). The article is probably behind a "
        "paywall, or the site blocks automated readers: paste the text instead."
    ) in page_text(response)
    assert response.context["form"].has_error("fetch_url", "refused")


def test_a_timeout_is_shown_on_the_form(desk, respx_mock):
    respx_mock.get(ARTICLE_URL).mock(side_effect=httpx.ReadTimeout)
    response = desk.post(INTAKE, blank(fetch_url=ARTICLE_URL, action="fetch"))
    assert "news.example.com did not answer in time." in page_text(response)


def test_a_paywall_is_shown_on_the_form(desk, respx_mock):
    answer(respx_mock, "https://ledger.example.org/a", "paywalled.html")
    response = desk.post(INTAKE, blank(fetch_url="https://ledger.example.org/a", action="fetch"))
    assert (
        "This page seems to be behind a paywall: only 62 words could be read. Paste the full "
        "text instead."
    ) in page_text(response)


def test_fetch_without_an_address_asks_for_one(desk):
    response = desk.post(INTAKE, blank(title="Ketamine", action="fetch"))
    assert "Enter the article&#x27;s web address to fetch it." in response.content.decode()
    assert form_data(response, FORM)["title"] == "Ketamine"


def test_fetch_refuses_a_private_address_without_a_request(desk, respx_mock):
    response = desk.post(INTAKE, blank(fetch_url="http://127.0.0.1:8000/admin/", action="fetch"))
    assert "127.0.0.1 is a local or private address" in page_text(response)
    assert respx_mock.calls.call_count == 0


PASTED = "Ketamine and mood\r\n\r\nCafe\u0301 owners  say\u00a0so. \r\n\r\n\r\nA second one.\r\n"
STORED = "Ketamine and mood\n\nCafé owners  say\u00a0so.\n\nA second one."


def test_preview_shows_the_text_as_it_will_be_stored_and_saves_nothing(desk):
    typed = blank(title="Ketamine", author="Helen Marsh", publisher="Mind", text=PASTED)
    response = desk.post(INTAKE, {**typed, "published_on": "2023-04-14", "action": "preview"})
    assert response.status_code == 200
    assert response.context["preview"].text == STORED
    html = response.content.decode()
    assert "<p>Ketamine and mood</p><p>Café owners  say\u00a0so.</p><p>A second one.</p>" in html
    assert "By Helen Marsh · Mind · 14 April 2023" in page_text(response)
    assert "Its page here: /articles/ketamine/" in html
    assert not Article.objects.exists()
    assert not Article.history.exists()
    # The form is still there to edit, with what was typed.
    assert form_data(response, FORM)["title"] == "Ketamine"


def test_preview_of_an_incomplete_form_shows_the_errors_and_no_preview(desk):
    response = desk.post(INTAKE, blank(action="preview"))
    assert response.context["preview"] is None
    html = response.content.decode()
    assert "Give the article&#x27;s title." in html
    assert "Paste the article&#x27;s text, or fetch it from its address." in html


def test_save_adds_one_article_recorded_as_the_editors(desk, editor):
    typed = blank(title="Ketamine and mood", author="Helen Marsh", url=ARTICLE_URL, text=PASTED)
    response = desk.post(INTAKE, {**typed, "action": "save"})
    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("desk:workspace", args=[article.slug])
    assert (article.slug, article.title) == ("ketamine-and-mood", "Ketamine and mood")
    assert article.text == STORED
    assert (article.author, article.url, article.version) == ("Helen Marsh", ARTICLE_URL, 1)
    (record,) = article.history.all()
    assert record.history_user == editor
    assert record.history_change_reason == "Added through the desk"
    shown = desk.get(response.url)
    assert "The article “Ketamine and mood” was added." in page_text(shown)


def test_a_fetched_article_saves_as_fetched(desk, respx_mock):
    answer(respx_mock, ARTICLE_URL, "science-behind-ketamine.html")
    fetched = desk.post(INTAKE, blank(fetch_url=ARTICLE_URL, action="fetch"))
    desk.post(INTAKE, {**form_data(fetched, FORM), "action": "save"})
    article = Article.objects.get()
    assert article.title == "The Science Behind Ketamine and Its Use in Psychotherapy"
    assert article.slug == "the-science-behind-ketamine-and-its-use-in-psychotherapy"
    assert article.published_on.isoformat() == "2023-04-14"
    assert article.text.split("\n\n") == seed_paragraphs()


def test_save_makes_a_slug_no_other_article_has(desk, article):
    desk.post(INTAKE, blank(title=article.title, text="Another text.", action="save"))
    desk.post(INTAKE, blank(title=article.title, text="A third text.", action="save"))
    slugs = Article.objects.order_by("pk").values_list("slug", flat=True)
    assert list(slugs) == ["ketamine-news", "ketamine-news-2", "ketamine-news-3"]


def test_save_does_not_take_a_slug_an_article_once_had(desk, article):
    # Links to /articles/ketamine-news/ still lead to the renamed article.
    article.slug = "renamed"
    article.save()
    desk.post(INTAKE, blank(title="Ketamine news", text="Another text.", action="save"))
    assert Article.objects.exclude(pk=article.pk).get().slug == "ketamine-news-2"


def test_save_refuses_a_slug_typed_that_is_taken(desk, article):
    response = desk.post(
        INTAKE, blank(title="New", slug="ketamine-news", text="Text.", action="save")
    )
    assert response.status_code == 400
    assert "Another article already has this slug" in page_text(response)
    assert Article.objects.count() == 1


def test_save_requires_a_text_and_a_title(desk):
    response = desk.post(INTAKE, blank(title="Ketamine", text=" \r\n \r\n", action="save"))
    assert response.context["form"].has_error("text", "required")
    response = desk.post(INTAKE, blank(text="Some text.", action="save"))
    assert response.context["form"].has_error("title", "required")
    assert not Article.objects.exists()


def test_a_post_without_the_csrf_token_changes_nothing(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(INTAKE, blank(title="Forged", text="Forged.", action="save"))
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_an_unknown_action_changes_nothing(desk):
    response = desk.post(INTAKE, blank(title="T", text="Text.", action="delete"))
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_fields_not_on_the_form_are_ignored(desk, article):
    forged = {"id": article.pk, "version": 7, "created_at": "2000-01-01T00:00:00Z"}
    desk.post(INTAKE, {**blank(title="New", text="Text.", action="save"), **forged})
    article.refresh_from_db()
    assert (article.title, article.version) == ("Ketamine news", 1)
    new = Article.objects.get(title="New")
    assert new.pk != article.pk and new.version == 1 and new.created_at.year > 2000


def test_the_admins_add_article_button_leads_to_the_intake_page(desk):
    response = desk.get(reverse("admin:claims_article_add"))
    assert response.status_code == 302
    assert response.url == INTAKE


def test_the_admins_add_article_popup_stays_in_the_admin(desk):
    response = desk.get(reverse("admin:claims_article_add"), {"_popup": "1"})
    assert response.status_code == 200
    assert "article_form" in response.content.decode()
