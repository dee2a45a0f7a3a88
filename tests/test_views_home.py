"""The home page: what claimtrack is, counts by status and article, recent reviews, articles."""

from claimtrack.claims.models import Article, Claim
from tests.conftest import make_claim

# The public version the page is cached under, counts per article and status, articles,
# recently reviewed claims.
HOME_QUERIES = 4


def test_it_says_what_claimtrack_is(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "grades it against the scientific literature" in response.content.decode()


def test_it_counts_claims_by_status(client, unverifiable_claim, reviewed_claim):
    response = client.get("/")
    assert response.context["totals"] == {"unverifiable": 1, "partly_supported": 1}
    page = response.content.decode()
    assert "Browse all 2 claims" in page
    assert 'href="/claims/?status=partly_supported"' in page


def test_it_has_a_table_of_counts_per_article_and_status(
    client, unverifiable_claim, reviewed_claim
):
    other = Article.objects.create(slug="other", title="Other news", text="Ketamine works fast.")
    make_claim(
        other, slug="fast", quote="Ketamine works fast.", status="unsupported", rationale="None."
    )
    page = client.get("/").content.decode()
    table = page[page.index('<table class="counts">') : page.index("</table>")]
    assert "<caption>Claims per article and status</caption>" in table
    assert (
        '<a href="/claims/?article=ketamine-news&amp;status=partly_supported" '
        'aria-label="1 partly supported in Ketamine news">1</a>'
    ) in table
    assert '<a href="/claims/?article=other">1</a>' in table
    assert '<a href="/claims/?article=ketamine-news">2</a>' in table


def test_it_lists_recently_reviewed_claims_newest_first(
    client, unverifiable_claim, reviewed_claim, editor
):
    claim = unverifiable_claim
    claim.change_verdict(
        by=editor, status="unsupported", certainty="low", rationale="Days.", note="Days."
    )
    recent = list(client.get("/").context["recent"])
    assert recent == [claim, reviewed_claim]


def test_unreviewed_claims_are_not_recently_reviewed(client, claim):
    response = client.get("/")
    assert list(response.context["recent"]) == []
    assert "No claim has been reviewed yet." in response.content.decode()


def test_it_shows_the_articles_with_their_scorecards(client, unverifiable_claim):
    page = client.get("/").content.decode()
    assert '<a href="/articles/ketamine-news/">Ketamine news</a>' in page
    assert '<figure class="scorecard">' in page


def test_it_documents_the_rating_scale(client, db):
    page = client.get("/").content.decode()
    assert "5 of 5" in page and "1 of 5" in page
    assert "not on the scale" in page


def test_the_home_page_runs_a_fixed_number_of_queries(client, seeded, django_assert_num_queries):
    assert Claim.objects.count() > 100
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")


def test_the_home_page_runs_as_many_queries_with_one_claim(
    client, reviewed_claim, django_assert_num_queries
):
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")


def test_the_stylesheet_is_served(client, db):
    response = client.get("/static/claimtrack.css")
    assert response.status_code == 200
    assert b"--supported-bg" in b"".join(response.streaming_content)
