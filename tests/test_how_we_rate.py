"""How we rate: the public definition of every verdict and certainty level, linked from the site."""

from django.utils.html import escape

from claimtrack.claims.models import Certainty, Status

URL = "/how-we-rate/"
RATINGS = {
    Status.SUPPORTED: "5 of 5",
    Status.PARTLY_SUPPORTED: "4 of 5",
    Status.OVERSTATED: "3 of 5",
    Status.UNSUPPORTED: "2 of 5",
    Status.CONTRADICTED: "1 of 5",
    Status.UNVERIFIABLE: "none: the review names the verdict only",
    Status.UNREVIEWED: "no ClaimReview is published",
}


def scale_rows(page):
    """The scale table's rows, in order, as text."""
    body = page[page.index('<table class="rating-scale">') : page.index("</table>")]
    return body.split('<tr id="status-')[1:]


def test_it_defines_every_status_with_its_badge_and_rating(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    rows = scale_rows(response.content.decode())
    assert len(rows) == len(Status)
    for status, row in zip(RATINGS, rows, strict=True):
        assert row.startswith(f'{status.value}">'), row[:40]
        assert f'<span class="badge status-{status.value.replace("_", "-")}">' in row
        assert f'<td data-label="Rating">{RATINGS[status]}</td>' in row
        assert escape(status.description) in row


def test_ratings_on_the_page_are_the_ones_claimreview_publishes():
    for status, text in RATINGS.items():
        if status.rating_value:
            assert text == f"{status.rating_value} of 5"


def test_it_defines_every_certainty_level(client, db):
    page = client.get(URL).content.decode()
    for certainty in Certainty:
        assert f'<div id="certainty-{certainty.value}">' in page
        assert escape(certainty.description) in page


def test_it_says_what_a_rationale_groups_and_identifiers_are_for(client, db):
    page = client.get(URL).content.decode()
    for heading in [
        "What a rationale says",
        "The same claim, the same verdict",
        "How sources are identified",
    ]:
        assert heading in page
    assert "not only among the sources we already have on file" in page


def test_the_navigation_links_to_it_and_marks_it_current(client, db):
    home = client.get("/").content.decode()
    nav = home[home.index('<nav class="site-nav"') : home.index("</nav>")]
    assert f'<a href="{URL}">How we rate</a>' in nav
    page = client.get(URL).content.decode()
    assert f'<a href="{URL}" aria-current="page">How we rate</a>' in page


def test_the_home_page_links_to_it_from_the_rating_scale(client, db):
    home = client.get("/").content.decode()
    scale = home[home.index('<h2 id="scale">') :]
    assert f'<a href="{URL}">How we rate</a>' in scale


def test_a_claims_badge_links_to_its_verdicts_definition(client, reviewed_claim):
    page = client.get(reviewed_claim.get_absolute_url()).content.decode()
    assert f'href="{URL}#status-partly_supported"' in page
    assert f'href="{URL}#certainty-low"' in page


def test_it_runs_no_queries(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(URL)
