"""The article list and an article's page: scorecards and the text with its claims marked."""

import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from claimtrack.claims.article_layout import blocks
from claimtrack.claims.models import Article, Claim
from tests.conftest import make_claim

from .conftest import raw_update

# For an anonymous reader, each page first reads the public version it is cached under.
# The article page runs: the version, the article, its claims, its text revisions (history),
# its overall review (the ten verdicts with their review and reviewer joined, one query whether
# or not there is a review: ArticleReviewQuerySet.for_page).
ARTICLE_QUERIES = 5
# The article list runs: the version, counts per article and status, articles.
ARTICLE_LIST_QUERIES = 3
VOID_ELEMENTS = {"meta", "link", "input", "br", "img", "hr", "rect"}


class TagBalance(HTMLParser):
    """Fails on a closing tag that does not close the innermost open element."""

    def __init__(self):
        super().__init__()
        self.open = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-3:]}"
        self.open.pop()


def assert_well_formed(html):
    parser = TagBalance()
    parser.feed(html)
    parser.close()
    assert parser.open == []


def scorecard_rows(page):
    """(status, numbers) for each row of the page's scorecards, in order."""
    return re.findall(
        r'<span class="scorecard__label">(?:<a [^>]*>)?([^<]+)(?:</a>)?</span>\s*'
        r'<span class="scorecard__numbers">([^<]+)</span>',
        page,
    )


def text_section(response):
    page = response.content.decode()
    start = page.index('<section class="article__text"')
    return page[start : page.index("</section>", start) + len("</section>")]


def test_the_article_list_shows_each_article_with_its_scorecard(
    client, unverifiable_claim, reviewed_claim
):
    response = client.get("/articles/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="/articles/ketamine-news/">Ketamine news</a>' in page
    assert "Claims by status: 2 claims" in page
    # The counts and their shares written out, one status a row.
    assert scorecard_rows(page) == [
        ("Partly supported", "1 of 2 · 50%"),
        ("Unverifiable", "1 of 2 · 50%"),
    ]


def test_the_article_list_says_so_when_empty(client, db):
    assert "No articles yet." in client.get("/articles/").content.decode()


def test_the_article_page_shows_metadata_and_a_scorecard(
    client, article, unverifiable_claim, reviewed_claim
):
    raw_update(
        Article.objects.filter(pk=article.pk),
        publisher="Daily Health",
        author="A. Writer",
        url="https://example.org/ketamine",
    )
    response = client.get("/articles/ketamine-news/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Ketamine news</h1>" in page
    assert "Daily Health · A. Writer" in page
    assert 'href="https://example.org/ketamine"' in page
    assert scorecard_rows(page) == [
        ("Partly supported", "1 of 2 · 50%"),
        ("Unverifiable", "1 of 2 · 50%"),
    ]


def test_the_article_page_marks_every_claim_in_place(client, unverifiable_claim, reviewed_claim):
    html = text_section(client.get("/articles/ketamine-news/"))
    assert (
        '<p>Ketamine can <span class="claim-passage" id="claim-within-hours">'
        '<mark class="claim status-unverifiable"><a href="/claims/ketamine-news/within-hours/" '
        'title="Ketamine relieves depression within hours.">relieve depression within hours</a>'
        "</mark>"
    ) in html
    assert '<mark class="claim status-partly-supported">' in html
    assert_well_formed(html)


def test_each_mark_names_its_status_in_words(client, reviewed_claim):
    html = text_section(client.get("/articles/ketamine-news/"))
    # The label's accessible name starts with the words it shows (no aria-label replaces
    # them), then says which claim it is the verdict on.
    assert (
        '<a class="claim-label status-partly-supported" href="/claims/ketamine-news/bdnf/">'
        "Partly supported"
        '<span class="visually-hidden">: the verdict on “Ketamine triggers BDNF release.”</span>'
        "</a>"
    ) in html
    assert " aria-label=" not in html


def test_overlapping_and_nested_claims_keep_the_html_well_formed(client, article):
    article.text = "One two three four five six seven.\n\nEight nine."
    article.save()
    verdict = {"status": "unverifiable", "rationale": "No trial is named."}
    make_claim(
        article, slug="outer", quote="two three four five", status="unsupported", rationale="x"
    )
    make_claim(article, slug="inner", quote="three four", **verdict)
    make_claim(article, slug="overlap", quote="five six seven.\n\nEight", **verdict)
    make_claim(article, slug="same-as-inner", quote="three four", statement="Twin.", **verdict)
    html = text_section(client.get("/articles/ketamine-news/"))
    assert_well_formed(html)
    # Every claim is reachable, even one lying exactly under another.
    for slug in ["outer", "inner", "overlap", "same-as-inner"]:
        assert f'href="/claims/ketamine-news/{slug}/"' in html
    # The piece covered by outer and inner links to the innermost.
    assert 'class="claim status-unverifiable claim-nested"' in html
    assert ">three four</a></mark>" in html
    # A quote across a paragraph break is marked on both sides of it.
    assert "seven.</a></mark>" in html
    assert (
        '</p>\n<p><mark class="claim status-unverifiable"><a href="/claims/ketamine-news/overlap/"'
        in (html)
    )
    # Each claim's passage has its anchor, once; the overlapping one's stops where the claim
    # around it does, to keep the HTML well formed.
    for slug in ["outer", "inner", "overlap", "same-as-inner"]:
        assert html.count(f'id="claim-{slug}"') == 1


def test_the_article_page_keeps_paragraph_breaks(client, article):
    article.text = "First paragraph.\n\nSecond paragraph.\nThird line."
    article.save()
    html = text_section(client.get("/articles/ketamine-news/"))
    assert "<p>First paragraph.</p>\n<p>Second paragraph.</p>\n<p>Third line.</p>" in html


def test_the_article_text_is_escaped(client, article):
    article.text = "Ketamine <script>alert(1)</script> & more."
    article.save()
    make_claim(article, slug="amp", quote="& more", status="unverifiable", rationale="Vague.")
    html = text_section(client.get("/articles/ketamine-news/"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert ">&amp; more</a></mark>" in html


def test_an_unknown_article_is_a_404(client, db):
    assert client.get("/articles/nope/").status_code == 404


def test_the_article_page_runs_a_fixed_number_of_queries(client, seeded, django_assert_num_queries):
    busiest = max(Article.objects.all(), key=lambda a: a.claims.count())
    assert busiest.claims.count() > 30
    with django_assert_num_queries(ARTICLE_QUERIES):
        response = client.get(f"/articles/{busiest.slug}/")
    assert response.status_code == 200
    page = response.content.decode()
    # One sentence may carry several claims: each is reached from its highlight or its label.
    assert all(claim.get_absolute_url() in page for claim in busiest.claims.all())
    assert page.count('<mark class="claim') >= len({c.quote for c in busiest.claims.all()})


def test_the_article_page_runs_as_many_queries_with_one_claim(
    client, unverifiable_claim, django_assert_num_queries
):
    with django_assert_num_queries(ARTICLE_QUERIES):
        response = client.get("/articles/ketamine-news/")
    assert unverifiable_claim.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize("fixture", ["unverifiable_claim", "seeded"])
def test_the_article_list_runs_a_fixed_number_of_queries(
    client, db, request, fixture, django_assert_num_queries
):
    request.getfixturevalue(fixture)
    with django_assert_num_queries(ARTICLE_LIST_QUERIES):
        client.get("/articles/")


def test_every_seed_article_renders_well_formed(client, seeded):
    for article in Article.objects.all():
        page = client.get(f"/articles/{article.slug}/").content.decode()
        html = text_section_of(page)
        assert_well_formed(html)
        for claim in article.claims.all():
            assert f'href="/claims/{article.slug}/{claim.slug}/"' in html
            # Every claim's passage has one anchor, for its claim page to link to.
            assert html.count(f'id="claim-{claim.slug}"') == 1
        ids = re.findall(r'id="([^"]+)"', page)
        assert len(ids) == len(set(ids))  # no anchor id used twice on the page


def text_section_of(page):
    start = page.index('<section class="article__text"')
    return page[start : page.index("</section>", start) + len("</section>")]


HEADED_TEXT = (
    "Ketamine News\n\n"  # the title again, as copied texts often repeat it
    "Ketamine can relieve depression within hours.\n\n"
    "How It Works\n\n"
    "It triggers BDNF release. There is a long history of positive drug use.\n"
    "Side effects include:\n"
    "  • Headaches"
)


def test_subheadings_are_h3_and_the_repeated_title_is_not_shown_again(client, article):
    article.text = HEADED_TEXT
    article.save()
    make_claim(article, slug="hours", status="unverifiable", rationale="No trial is named.")
    html = text_section(client.get("/articles/ketamine-news/"))
    assert_well_formed(html)
    assert "Ketamine News" not in html  # the <h1> says it: not twice
    assert "<h3>How It Works</h3>" in html  # under the section's <h2>
    assert re.findall(r"<h3>(.*?)</h3>", html) == ["How It Works"]
    assert "<p>Side effects include:</p>" in html
    assert "<p>  • Headaches</p>" in html
    assert '<p>Ketamine can <span class="claim-passage" id="claim-hours">' in html


def test_a_claim_quoted_from_a_subheading_or_the_title_is_still_highlighted(client, article):
    article.text = HEADED_TEXT
    article.save()
    verdict = {"status": "unverifiable", "rationale": "Vague."}
    make_claim(article, slug="works", quote="It Works", statement="It works.", **verdict)
    make_claim(article, slug="news", quote="Ketamine News", statement="News.", **verdict)
    html = text_section(client.get("/articles/ketamine-news/"))
    assert_well_formed(html)
    assert (
        '<h3>How <span class="claim-passage" id="claim-works"><mark class="claim '
        'status-unverifiable"><a href="/claims/ketamine-news/works/"'
    ) in html
    # The title repeat carries a claim, so it is shown, as a heading, with its highlight.
    assert '<h3><span class="claim-passage" id="claim-news">' in html


def test_the_seed_articles_show_their_title_once_and_subheadings_as_h3(client, seeded):
    for article in Article.objects.all():
        html = text_section(client.get(f"/articles/{article.slug}/"))
        headings = [b for b in blocks(article.text, article.title) if b.kind == "heading"]
        assert html.count("<h3>") == len(headings) > 3, article.slug
        assert f">{article.title}<" not in html
    first = Article.objects.get(slug="ketamine-psychedelic-substance")
    html = text_section(client.get(first.get_absolute_url()))
    assert "<h3>The Nature of Ketamine</h3>" in html
    assert first.title not in html  # the text repeats it twice; neither is shown
    assert first.text.count(first.title) == 2


def test_the_claim_page_links_to_its_passage_in_the_article(client, unverifiable_claim):
    page = client.get(unverifiable_claim.get_absolute_url()).content.decode()
    assert '<a href="/articles/ketamine-news/#claim-within-hours">See it in the article</a>' in page
    article_page = client.get("/articles/ketamine-news/").content.decode()
    assert article_page.count('id="claim-within-hours"') == 1


LONG_TEXT = "\n\n".join(
    [
        "Paragraph one.",
        "Paragraph two.",
        "Paragraph three.",
        "What It Does",
        "First sentence. Second sentence. Ketamine can relieve depression within hours. "
        "Fourth sentence. Fifth sentence.",
        "Paragraph after.",
        "Second after.",
        "Third after.",
    ]
)


def test_the_claim_page_widens_the_quotes_context_in_place(client, article):
    article.text = LONG_TEXT
    article.save()
    claim = make_claim(article, status="unverifiable", rationale="No trial is named.")
    page = client.get(claim.get_absolute_url()).content.decode()
    said = page[page.index('id="said"') : page.index('id="verdict"')]
    short, wide = said.split('<details class="quote-more">')
    # A sentence either side at first...
    assert (
        "<p>… Second sentence. <mark>relieve depression within hours</mark>. Fourth sentence. …</p>"
    ) in short.replace("Ketamine can ", "")
    assert "First sentence" not in short
    # ...and, folded under a <details> that opens without JavaScript, the whole paragraph with
    # two more either side, a subheading among them in bold.
    assert "<summary>Show more of the article around it</summary>" in wide
    assert '<p class="quote-more__heading">What It Does</p>' in wide
    for shown in ["Paragraph three.", "First sentence.", "Fifth sentence.", "Second after."]:
        assert shown in wide
    for left_out in ["Paragraph two.", "Third after."]:
        assert left_out not in wide
    assert wide.count('<p class="quote-more__cut">…</p>') == 2


def test_a_short_article_has_nothing_more_to_show(client, unverifiable_claim):
    page = client.get(unverifiable_claim.get_absolute_url()).content.decode()
    assert "Show more of the article around it" not in page


def test_a_claim_whose_passage_changed_keeps_its_explanation_and_no_link_to_it(
    client, unverifiable_claim
):
    raw_update(
        Claim.objects.filter(pk=unverifiable_claim.pk),
        anchor="detached",
        passage_changed_at=timezone.now(),
    )
    page = client.get(unverifiable_claim.get_absolute_url()).content.decode()
    assert "This passage was changed or removed from the article on" in page
    assert "See it in the article" not in page
    assert "Show more of the article around it" not in page
    article_page = client.get("/articles/ketamine-news/").content.decode()
    assert 'id="claim-within-hours"' not in article_page
