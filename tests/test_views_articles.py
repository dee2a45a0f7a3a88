"""The article list and an article's page: scorecards and the text with its claims marked."""

from html.parser import HTMLParser

import pytest

from claimtrack.claims.models import Article
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
    assert "<svg" in page
    assert "Partly supported 1, Unverifiable 1" in page  # the chart's text alternative
    assert "2 claims" in page


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
    assert '<text x="0" y="15" class="scorecard__label">Partly supported</text>' in page
    assert '<text x="0" y="37" class="scorecard__label">Unverifiable</text>' in page


def test_the_article_page_marks_every_claim_in_place(client, unverifiable_claim, reviewed_claim):
    html = text_section(client.get("/articles/ketamine-news/"))
    assert (
        "<p>Ketamine can "
        '<mark class="claim status-unverifiable"><a href="/claims/ketamine-news/within-hours/" '
        'title="Ketamine relieves depression within hours.">relieve depression within hours</a>'
        "</mark>"
    ) in html
    assert '<mark class="claim status-partly-supported">' in html
    assert_well_formed(html)


def test_each_mark_names_its_status_in_words(client, reviewed_claim):
    html = text_section(client.get("/articles/ketamine-news/"))
    assert (
        '<a class="claim-label status-partly-supported" href="/claims/ketamine-news/bdnf/" '
        'aria-label="Claim: Ketamine triggers BDNF release. (Partly supported)">'
        "Partly supported</a>"
    ) in html


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
        html = text_section(client.get(f"/articles/{article.slug}/"))
        assert_well_formed(html)
        for claim in article.claims.all():
            assert f'href="/claims/{article.slug}/{claim.slug}/"' in html
