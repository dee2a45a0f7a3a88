"""An article's overall review: a takeaway and ten criteria, edited by editors in the admin with
its history, read by reviewers, shown at the top of the article page and in its JSON-LD."""

import json
import re
from datetime import date
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from claimtrack.claims.demo import SEED_FIXTURES
from claimtrack.claims.models import (
    Article,
    ArticleCriterionVerdict,
    ArticleReview,
    Criterion,
    Verdict,
)

from .conftest import form_data, raw_update

VERDICTS = {
    "benefits": ("not_satisfactory", "No response rates or effect sizes are given."),
    "harms": ("satisfactory", "It names dissociation and raised blood pressure."),
    "evidence": ("not_satisfactory", "The studies it cites are not named."),
    "costs": ("not_satisfactory", "It never mentions a price."),
    "alternatives": ("not_satisfactory", "It compares ketamine only with SSRIs."),
    "availability": ("satisfactory", "It says ketamine is used off-label."),
    "novelty": ("satisfactory", "It says ketamine is an old anaesthetic."),
    "sources": ("not_satisfactory", "It quotes no expert."),
    "disease_mongering": ("satisfactory", "It does not exaggerate depression."),
    "press_release": ("not_applicable", ""),
}


def write_review(article, by=None, takeaway="Fast, but the numbers are missing."):
    review = ArticleReview(article=article, takeaway=takeaway)
    review.save_edit(by=by, note="")
    for criterion, (verdict, why) in VERDICTS.items():
        item = ArticleCriterionVerdict(criterion=criterion, verdict=verdict, why=why)
        review.save_verdict(item, by=by, note="")
    return review


@pytest.fixture
def review(article):
    return write_review(article)


def ld_scripts(response):
    page = response.content.decode()
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(script) for script in found]


def article_review_ld(client, url):
    reviews = [data for data in ld_scripts(client.get(url)) if data["@type"] == "Review"]
    assert len(reviews) == 1
    return reviews[0]


# The rules, in the database and in the model.


def test_an_article_has_one_review(review, article):
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleReview.objects.create(article=article, takeaway="A second opinion.")


def test_a_review_answers_each_criterion_once(review):
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleCriterionVerdict.objects.create(
            review=review, criterion="harms", verdict="satisfactory", why="Again."
        )


@pytest.mark.parametrize("field, value", [("verdict", "so-so"), ("criterion", "vibes")])
def test_verdict_and_criterion_choices_are_enforced_by_the_database(review, field, value):
    rows = ArticleCriterionVerdict.objects.filter(review=review, criterion="harms")
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update(rows, **{field: value})


def test_a_verdict_that_applies_must_say_why(review):
    rows = ArticleCriterionVerdict.objects.filter(review=review, criterion="harms")
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update(rows, why="")
    # Not applicable needs no sentence (the press-release criterion has none).
    assert review.verdicts.get(criterion="press_release").why == ""


def test_full_clean_says_why_is_missing_on_the_field(review):
    verdict = review.verdicts.get(criterion="costs")
    verdict.why = "  "
    with pytest.raises(ValidationError) as error:
        verdict.full_clean()
    assert "why" in error.value.message_dict


def test_only_editors_write_reviews(article, reviewer, editor):
    with pytest.raises(PermissionDenied):
        ArticleReview(article=article, takeaway="Mine.").save_edit(by=reviewer, note="")
    assert not ArticleReview.objects.exists()
    write_review(article, by=editor)
    assert ArticleReview.objects.get().reviewer == editor


def test_changing_a_saved_review_needs_a_why_and_records_who(review, editor):
    review.takeaway = "Better with numbers."
    with pytest.raises(ValidationError, match="Say why"):
        review.save_edit(by=editor, note=" ")
    review.save_edit(by=editor, note="Read the trials again.")
    latest = review.history.latest("history_id")
    assert (latest.takeaway, latest.history_user, latest.history_change_reason) == (
        "Better with numbers.",
        editor,
        "Read the trials again.",
    )
    assert review.reviewer == editor


def test_the_criteria_are_ten_each_with_a_public_question():
    assert len(Criterion) == 10
    assert all(c.question.endswith("?") for c in Criterion)
    assert len({c.question for c in Criterion}) == 10


# The admin.


def review_url(review):
    return reverse("admin:claims_articlereview_change", args=[review.pk])


def test_editor_writes_a_review_in_the_admin_and_it_is_recorded(client, editor, article):
    client.force_login(editor)
    add = reverse("admin:claims_articlereview_add")
    data = form_data(client.get(f"{add}?article={article.pk}"), "articlereview_form")
    # The ten criteria come prefilled, in order, for the editor to judge.
    assert [data[f"verdicts-{n}-criterion"] for n in range(10)] == list(Criterion.values)
    assert data["article"] == str(article.pk)
    data["takeaway"] = "Quick relief, no numbers."
    for n, criterion in enumerate(Criterion.values):
        verdict, why = VERDICTS[criterion]
        data.update({f"verdicts-{n}-verdict": verdict, f"verdicts-{n}-why": why})
    response = client.post(add, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    review = ArticleReview.objects.get(article=article)
    assert (review.takeaway, review.reviewer) == ("Quick relief, no numbers.", editor)
    assert review.verdicts.count() == 10
    first = review.verdicts.get(criterion="benefits").history.get()
    assert first.history_user == editor and first.history_change_reason == "First review."


def test_a_review_missing_a_criterion_is_refused(client, editor, article):
    client.force_login(editor)
    add = reverse("admin:claims_articlereview_add")
    data = form_data(client.get(f"{add}?article={article.pk}"), "articlereview_form")
    data["takeaway"] = "Half done."
    for n, criterion in enumerate(Criterion.values):
        verdict, why = VERDICTS[criterion]
        data.update({f"verdicts-{n}-verdict": verdict, f"verdicts-{n}-why": why})
    data["verdicts-9-criterion"] = "benefits"  # twice, and press_release never
    response = client.post(add, data)
    assert response.status_code == 200
    assert not ArticleReview.objects.exists()


def test_editor_changes_a_verdict_with_a_why_and_the_history_says_who(client, editor, review):
    client.force_login(editor)
    data = form_data(client.get(review_url(review)), "articlereview_form")
    costs = next(n for n in range(10) if data[f"verdicts-{n}-criterion"] == "costs")
    data[f"verdicts-{costs}-verdict"] = "satisfactory"
    data[f"verdicts-{costs}-why"] = "It says insurance rarely pays."
    # Without a why, nothing is saved and the editor is told.
    response = client.post(review_url(review), data)
    assert response.status_code == 200 and "Say why the review changes" in response.content.decode()
    assert review.verdicts.get(criterion="costs").verdict == "not_satisfactory"

    data["change_note"] = "Missed the paragraph on insurance."
    response = client.post(review_url(review), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    verdict = review.verdicts.get(criterion="costs")
    assert verdict.verdict == "satisfactory"
    latest = verdict.history.latest("history_id")
    assert latest.history_user == editor
    assert latest.history_change_reason == "Missed the paragraph on insurance."
    review.refresh_from_db()
    assert review.reviewer == editor  # who last changed what the public is told, and when
    assert review.history.latest("history_id").history_change_reason == (
        "Missed the paragraph on insurance."
    )
    # The admin's History page lists the change with its reason.
    history = client.get(reverse("admin:claims_articlereview_history", args=[review.pk]))
    assert "Missed the paragraph on insurance." in history.content.decode()


def test_saving_an_unchanged_review_records_nothing(client, editor, review):
    client.force_login(editor)
    data = form_data(client.get(review_url(review)), "articlereview_form")
    before = ArticleReview.history.count(), ArticleCriterionVerdict.history.count()
    assert client.post(review_url(review), data).status_code == 302
    assert (ArticleReview.history.count(), ArticleCriterionVerdict.history.count()) == before


def test_reviewer_reads_a_review_but_cannot_change_or_add_one(client, reviewer, review):
    client.force_login(reviewer)
    assert client.get(reverse("admin:claims_articlereview_changelist")).status_code == 200
    page = client.get(review_url(review))
    assert page.status_code == 200 and review.takeaway in page.content.decode()
    assert 'name="takeaway"' not in page.content.decode()
    response = client.post(review_url(review), {"takeaway": "Mine now.", "change_note": "x"})
    assert response.status_code == 403
    assert ArticleReview.objects.get().takeaway == review.takeaway
    assert client.get(reverse("admin:claims_articlereview_add")).status_code == 403


def test_nobody_deletes_a_review(client, editor, superuser, review):
    for user in (editor, superuser):
        client.force_login(user)
        url = reverse("admin:claims_articlereview_delete", args=[review.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
    assert ArticleReview.objects.filter(pk=review.pk).exists()


@pytest.mark.parametrize("name", ["changelist", "add"])
def test_anonymous_visitor_is_sent_to_login(client, name):
    response = client.get(reverse(f"admin:claims_articlereview_{name}"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_article_admin_leads_to_the_review_or_to_writing_one(client, editor, article):
    client.force_login(editor)
    url = reverse("admin:claims_article_change", args=[article.pk])
    add = reverse("admin:claims_articlereview_add")
    assert f"{add}?article={article.pk}" in client.get(url).content.decode()
    review = write_review(article)
    assert review_url(review) in client.get(url).content.decode()


# The public page.


def test_the_article_page_shows_the_review_first(client, review, article):
    page = client.get(article.get_absolute_url()).content.decode()
    section = page[page.index('<section class="article-review"') :]
    section = section[: section.index("</section>")]
    assert review.takeaway in section
    assert "It meets <strong>4 of the 9</strong> criteria that apply to it." in section
    for criterion in Criterion:
        assert criterion.question in unescape(section)
    # Each verdict is a word, in the criteria's order, with its sentence why.
    labels = re.findall(r'class="review-verdict[^"]*">([^<]+)<', section)
    assert labels == [Verdict(VERDICTS[c][0]).label for c in Criterion.values]
    assert "No response rates or effect sizes are given." in section
    assert "Reviewed by claimtrack editors" in section
    # Before the article's text and scorecard, and the headings go down one level at a time.
    assert page.index("article-review") < page.index('id="scorecard-heading"')
    levels = [int(n) for n in re.findall(r"<h([1-6])", page)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_the_review_names_its_editor(client, editor, article):
    editor.first_name, editor.last_name = "Edna", "Ward"
    editor.save()
    write_review(article, by=editor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Reviewed by Edna Ward" in page


def test_an_article_without_a_review_shows_none(client, article):
    response = client.get(article.get_absolute_url())
    assert "article-review" not in response.content.decode()
    assert ld_scripts(response) == []


def test_an_incomplete_review_is_not_shown(client, review, article):
    ArticleCriterionVerdict.objects.filter(review=review, criterion="costs").delete()
    assert "article-review" not in client.get(article.get_absolute_url()).content.decode()


# The JSON-LD.


def test_the_article_page_embeds_a_review_of_the_article(client, review, article):
    data = article_review_ld(client, article.get_absolute_url())
    assert data["@context"] == "https://schema.org"
    assert data["url"] == "http://testserver/articles/ketamine-news/"
    assert data["reviewBody"] == review.takeaway
    assert data["datePublished"] == review.reviewed_at.date().isoformat()
    assert (
        data["author"]
        == data["publisher"]
        == {
            "@type": "Organization",
            "name": "claimtrack",
            "url": "http://testserver/",
        }
    )
    assert data["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 9,
        "worstRating": 0,
        "ratingExplanation": "Meets 4 of the 9 criteria that apply to it.",
    }
    positive = [item["name"] for item in data["positiveNotes"]["itemListElement"]]
    negative = [item["name"] for item in data["negativeNotes"]["itemListElement"]]
    assert positive[0] == "Harms: It names dissociation and raised blood pressure."
    assert len(positive) == 4 and len(negative) == 5  # not applicable is neither


def test_the_item_reviewed_is_the_article_as_published(client, review, article):
    raw_update(
        Article.objects.filter(pk=article.pk),
        publisher="Daily Health",
        author="Jane Writer",
        url="https://example.org/ketamine",
        published_on=date(2024, 3, 1),
    )
    item = article_review_ld(client, article.get_absolute_url())["itemReviewed"]
    assert item == {
        "@type": "Article",
        "headline": "Ketamine news",
        "url": "https://example.org/ketamine",
        "publisher": {"@type": "Organization", "name": "Daily Health"},
        "author": {"@type": "Person", "name": "Jane Writer"},
        "datePublished": "2024-03-01",
    }


def test_an_article_without_an_address_is_reviewed_without_one(client, review, article):
    item = article_review_ld(client, article.get_absolute_url())["itemReviewed"]
    assert "url" not in item
    assert item["description"] == (
        "The original web address of this article is not on file at claimtrack."
    )


def test_a_named_editor_is_the_author(client, editor, article):
    write_review(article, by=editor)
    data = article_review_ld(client, article.get_absolute_url())
    assert data["author"] == {"@type": "Person", "name": "ed"}
    assert data["publisher"]["name"] == "claimtrack"


# The seed reviews.


def test_each_seed_article_has_its_review_with_all_ten_criteria(seeded):
    for article in Article.objects.all():
        review = ArticleReview.objects.get(article=article)
        assert review.takeaway.strip() and review.reviewer is None
        verdicts = {v.criterion: v for v in review.verdicts.all()}
        assert set(verdicts) == set(Criterion.values)
        for verdict in verdicts.values():
            assert verdict.why.strip(), (article.slug, verdict.criterion)


def test_loading_the_seeds_again_duplicates_no_review(seeded):
    before = (
        ArticleReview.objects.count(),
        ArticleCriterionVerdict.objects.count(),
        ArticleReview.history.count(),
        ArticleCriterionVerdict.history.count(),
    )
    assert before[:2] == (5, 50)
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    after = (
        ArticleReview.objects.count(),
        ArticleCriterionVerdict.objects.count(),
        ArticleReview.history.count(),
        ArticleCriterionVerdict.history.count(),
    )
    assert after == before


def test_the_seed_reviews_are_recorded_as_loaded(seeded):
    loaded = ArticleCriterionVerdict.history.filter(
        history_change_reason__startswith="Loaded from fixture article_"
    )
    assert loaded.count() == 50 and not loaded.exclude(history_user=None).exists()


def test_every_seed_article_page_shows_its_review_and_embeds_it(client, seeded):
    for article in Article.objects.all():
        response = client.get(article.get_absolute_url())
        assert "Our review of this article" in response.content.decode()
        data = article_review_ld(client, article.get_absolute_url())
        assert data["itemReviewed"]["headline"] == article.title
        assert data["reviewBody"] == ArticleReview.objects.get(article=article).takeaway


# In the browser (Debian's Chromium; see tests/test_browser.py for the set-up).


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_the_review_reads_well_and_passes_axe_on_any_screen(request, width):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    reader = request.getfixturevalue("persona")()
    reader.set_viewport_size({"width": width, "height": 900})
    reader.goto("/articles/ketamine-benefits-and-risks/")
    review = reader.locator(".article-review")
    expect(review.get_by_role("heading", name="Our review of this article")).to_be_visible()
    expect(review.locator(".review-criterion")).to_have_count(10)
    assert reader.evaluate("document.documentElement.scrollWidth") <= width
    # The verdict labels are words, set apart by their border too, not by colour alone.
    styles = review.locator(".review-verdict").evaluate_all(
        "els => els.map(e => getComputedStyle(e).borderTopStyle)"
    )
    assert {"solid", "dashed", "dotted"} <= set(styles)
    size = review.locator(".review-criterion__answer").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 16
    results = Axe().run(reader, context=".article-review")
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_changes_a_verdict_in_the_admin(request):
    from playwright.sync_api import expect

    from tests.conftest import run_axe
    from tests.test_browser import admin_log_in

    editor = request.getfixturevalue("persona")()  # the site, with the seed reviews loaded
    review = ArticleReview.objects.get(article__slug="ketamine-benefits-and-risks")
    admin_log_in(editor, "ed", review_url(review))
    costs = editor.locator(
        ".inline-related", has=editor.locator("select option[value=costs][selected]")
    )
    costs.get_by_label("Satisfactory", exact=True).check()
    costs.locator("textarea").fill("It says insurance rarely pays.")
    editor.get_by_label("Why the review changes").fill("Reread the article.")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    verdict = review.verdicts.get(criterion="costs")
    assert (verdict.verdict, verdict.history.latest("history_id").history_user.username) == (
        "satisfactory",
        "ed",
    )
    editor.goto(review_url(review))
    assert editor.evaluate("document.documentElement.scrollWidth") <= 1280
    results = run_axe(editor, context="#content-main")
    assert results.violations_count == 0, results.generate_report()
