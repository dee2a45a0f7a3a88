"""The home page: what claimtrack is, counts by status, recent reviews, the most flagged claims,
the newest articles. A bounded page: never a block per article."""

from datetime import timedelta

from django.utils import timezone

from claimtrack.claims import views
from claimtrack.claims.models import Article, Claim, Flag
from tests.conftest import make_claim, raw_update, tag

# The public version the page is cached under, totals by status, recently reviewed, most
# flagged, the newest articles, their counts.
HOME_QUERIES = 6


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


def test_it_shows_the_newest_articles_each_linking_to_its_claims(
    client, unverifiable_claim, reviewed_claim
):
    other = Article.objects.create(slug="other", title="Other news", text="Ketamine works fast.")
    make_claim(
        other, slug="fast", quote="Ketamine works fast.", status="unsupported", rationale="None."
    )
    page = client.get("/").content.decode()
    section = page[page.index('id="articles"') :]
    assert section.index("Other news") < section.index("Ketamine news")  # newest first
    # The link's accessible name starts with the words it shows (axe's
    # label-content-name-mismatch), then says which article.
    assert (
        '<a href="/claims/?article=ketamine-news">List its claims<span class="visually-hidden">: '
        "2 claims of “Ketamine news”</span></a>"
    ) in section
    assert 'List its claims<span class="visually-hidden">: 1 claim of “Other news”' in section
    assert '<a href="/articles/">All articles</a>' in section


def test_it_shows_a_handful_of_articles_not_every_one(client, db):
    for n in range(views.RECENT_ARTICLES + 3):
        Article.objects.create(slug=f"a{n}", title=f"Article {n:02d}", text="Text.")
    raw_update(Article.objects.filter(slug="a0"), created_at=timezone.now() + timedelta(days=1))
    response = client.get("/")
    shown = [article.slug for article in response.context["articles"]]
    assert len(shown) == views.RECENT_ARTICLES
    assert shown[0] == "a0"
    assert "Article 01" not in response.content.decode()  # among the oldest


def test_it_lists_the_most_flagged_claims_most_flags_first(
    client, unverifiable_claim, reviewed_claim, reviewer, editor
):
    for reason in ["overstates-impact", "other"]:
        Flag.objects.raise_flag(claim=reviewed_claim, by=reviewer, reason=tag(reason), comment="x")
    Flag.objects.raise_flag(claim=unverifiable_claim, by=reviewer, reason=tag("overstates-impact"))
    settled = Flag.objects.raise_flag(
        claim=unverifiable_claim, by=editor, reason=tag("other"), comment="y"
    )
    settled.dismiss(by=editor, note="No.")
    response = client.get("/")
    flagged = list(response.context["most_flagged"])
    assert flagged == [reviewed_claim, unverifiable_claim]
    assert [claim.open_flag_count for claim in flagged] == [2, 1]
    page = response.content.decode()
    assert "2 open flags" in page
    assert '<a href="/claims/?flagged=true">All claims with open flags</a>' in page


def test_without_open_flags_the_most_flagged_says_so(client, reviewed_claim):
    assert "No claim has an open flag." in client.get("/").content.decode()


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
