"""Finding an article by words or slug: the claim list's and the log's article filter, the
suggestions behind it, and the article list's search, sort and pages."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claimtrack.claims import views
from claimtrack.claims.models import Article
from tests.conftest import make_claim, raw_update

UNVERIFIABLE = {"status": "unverifiable", "rationale": "No trial is named."}


def add_article(slug, title, **fields):
    return Article.objects.create(slug=slug, title=title, text="Ketamine works fast.", **fields)


def with_claim(article, statement):
    make_claim(
        article, slug="fast", quote="Ketamine works fast.", statement=statement, **UNVERIFIABLE
    )
    return article


@pytest.fixture
def catalogue(db):
    """Three articles about ketamine, one about psilocybin; one slug is also a title word."""
    return [
        with_claim(add_article("ketamine-news", "Ketamine news"), "From the news."),
        with_claim(add_article("ketamine-clinics", "Ketamine clinics boom"), "From clinics."),
        with_claim(add_article("news", "Ketamine in the news again"), "From news again."),
        with_claim(add_article("psilocybin", "Psilocybin trial", author="Jo Smith"), "Mushroom."),
    ]


def slugs(queryset):
    return sorted(article.slug for article in queryset)


# The rule, in the model


def test_a_slug_selects_exactly_its_article(catalogue):
    assert slugs(Article.objects.matching("ketamine-news")) == ["ketamine-news"]
    # "news" is a slug, and a word of two titles: the slug wins.
    assert slugs(Article.objects.matching("news")) == ["news"]


def test_otherwise_every_word_must_be_in_the_title(catalogue):
    assert slugs(Article.objects.matching("KETAMINE")) == [
        "ketamine-clinics",
        "ketamine-news",
        "news",
    ]
    assert slugs(Article.objects.matching("ketamine  clinics")) == ["ketamine-clinics"]
    assert slugs(Article.objects.matching("ketamine psilocybin")) == []


def test_the_byline_counts_only_when_asked(catalogue):
    assert slugs(Article.objects.matching("smith")) == []
    assert slugs(Article.objects.matching("smith", byline=True)) == ["psilocybin"]


# The claim list's filter


def statements(response):
    return sorted(claim.statement for claim in response.context["page"].object_list)


def test_old_slug_links_keep_selecting_one_article(client, catalogue):
    response = client.get("/claims/?article=news")
    assert statements(response) == ["From news again."]
    assert "Articles matching" not in response.content.decode()


def test_words_select_the_claims_of_every_article_they_match(client, catalogue):
    response = client.get("/claims/?article=ketamine&status=unverifiable")
    assert response.status_code == 200
    assert statements(response) == ["From clinics.", "From news again.", "From the news."]
    page = response.content.decode()
    assert "Articles matching ‘ketamine’" in page
    # Each link narrows the list to one article and keeps the other filters.
    assert (
        '<a href="?article=ketamine-clinics&amp;status=unverifiable">Ketamine clinics boom</a>'
        in (page)
    )


def test_words_that_fit_one_article_list_no_choice(client, catalogue):
    response = client.get("/claims/?article=clinics")
    assert statements(response) == ["From clinics."]
    assert "Articles matching" not in response.content.decode()


def test_words_that_fit_no_article_say_so(client, catalogue):
    response = client.get("/claims/?article=aspirin")
    assert response.status_code == 200
    assert statements(response) == []
    assert "No article matches ‘aspirin’" in response.content.decode()


def test_the_matching_articles_are_bounded(client, db, monkeypatch):
    monkeypatch.setattr(views, "ARTICLE_MATCHES", 3)
    for n in range(5):
        add_article(f"k{n}", f"Ketamine {n}")
    response = client.get("/claims/?article=ketamine")
    assert len(response.context["article_matches"]) == 3
    assert "More articles match: add words to narrow the search." in response.content.decode()


def test_the_article_field_is_a_search_box_with_suggestions(client, catalogue):
    page = client.get("/claims/").content.decode()
    assert '<select name="article"' not in page
    assert 'name="article"' in page and 'list="article-suggestions"' in page
    assert 'data-suggest-url="/articles/suggest.json"' in page
    assert '<datalist id="article-suggestions"></datalist>' in page
    assert '<script src="/static/claims/article_suggest.js" defer></script>' in page


def test_the_suggestions_script_is_served(client, db):
    response = client.get("/static/claims/article_suggest.js")
    assert response.status_code == 200
    assert b"suggest" in b"".join(response.streaming_content)


# The suggestions


def test_suggestions_are_titles_and_slugs_as_json(client, catalogue):
    response = client.get("/articles/suggest.json?q=ketamine cli")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "articles": [{"title": "Ketamine clinics boom", "slug": "ketamine-clinics"}]
    }


def test_suggestions_are_at_most_ten(client, db):
    for n in range(12):
        add_article(f"k{n}", f"Ketamine {n:02d}")
    articles = client.get("/articles/suggest.json?q=ket").json()["articles"]
    assert [a["slug"] for a in articles] == [f"k{n}" for n in range(10)]


def test_one_letter_suggests_nothing(client, catalogue):
    assert client.get("/articles/suggest.json?q=k").json() == {"articles": []}
    assert client.get("/articles/suggest.json").json() == {"articles": []}


def test_an_overlong_suggestion_request_is_a_400(client, db):
    response = client.get("/articles/suggest.json?q=" + "x" * 201)
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()


# The article list


def listed(response):
    return [article.slug for article in response.context["page"].object_list]


def test_the_article_list_is_searchable_by_words_byline_or_slug(client, catalogue):
    assert sorted(listed(client.get("/articles/?q=ketamine"))) == [
        "ketamine-clinics",
        "ketamine-news",
        "news",
    ]
    assert listed(client.get("/articles/?q=smith")) == ["psilocybin"]
    assert listed(client.get("/articles/?q=news")) == ["news"]
    page = client.get("/articles/?q=aspirin").content.decode()
    assert "No article matches “aspirin”." in page


def test_the_article_list_sorts(client, catalogue):
    raw_update(Article.objects.filter(slug="psilocybin"), published_on=date(2024, 5, 1))
    raw_update(Article.objects.filter(slug="news"), published_on=date(2023, 5, 1))
    make_claim(catalogue[0], slug="more", quote="works", statement="More.", **UNVERIFIABLE)
    assert listed(client.get("/articles/")) == [
        "ketamine-clinics",
        "news",
        "ketamine-news",
        "psilocybin",
    ]
    assert listed(client.get("/articles/?sort=newest"))[:2] == ["psilocybin", "news"]
    assert listed(client.get("/articles/?sort=claims"))[0] == "ketamine-news"


def test_the_article_list_is_paginated(client, db, monkeypatch):
    monkeypatch.setattr(views, "ARTICLES_PER_PAGE", 2)
    for n in range(3):
        add_article(f"a{n}", f"Article {n}")
    first = client.get("/articles/")
    assert listed(first) == ["a0", "a1"]
    assert 'href="?page=2&amp;after=' in first.content.decode()  # with the page's cursor
    assert listed(client.get("/articles/?page=2")) == ["a2"]
    past = client.get("/articles/?page=3")
    assert past.status_code == 404
    assert "Go to the first page" in past.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ("sort=random", "Order by: Select a valid choice. random is not one of"),
        ("page=x", "Page must be a whole number, not “x”."),
        ("page=0", "Page numbers start at 1."),
        ("q=" + "x" * 201, "Search articles: Ensure this value has at most 200 characters"),
    ],
)
def test_bad_article_list_input_is_a_400_that_says_why(client, catalogue, query, message):
    response = client.get(f"/articles/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_article_list_counts_only_its_page(client, db, monkeypatch):
    monkeypatch.setattr(views, "ARTICLES_PER_PAGE", 1)
    with_claim(add_article("a", "A"), "One.")
    with_claim(add_article("b", "B"), "Two.")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/articles/")
    [article] = response.context["page"].object_list
    assert article.claim_count == 1
    assert "1 claim" in response.content.decode()
    [counting] = [q["sql"] for q in queries if "COUNT" in q["sql"].upper()]
    assert f"IN ({article.pk})" in counting  # this page's article, not every article
