"""How we rate: the public definition of every verdict and certainty level, each with an example
claim from the site, the reason tags, how claims are reviewed and corrected; linked from every
badge and certainty label."""

import datetime

from django.utils import timezone
from django.utils.html import escape

from claimtrack.claims.models import Certainty, Claim, ReasonTag, Status

from .conftest import make_claim, raw_update

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


def example_cell(page, status):
    row = page[page.index(f'<tr id="status-{status}">') :]
    row = row[: row.index("</tr>")]
    return row[row.index('class="example"') :]


def certainty_entry(page, certainty):
    entry = page[page.index(f'<div id="certainty-{certainty}">') :]
    return entry[: entry.index("</div>")]


def test_each_verdict_and_certainty_has_an_example_from_the_site(client, seeded):
    page = client.get(URL).content.decode()
    public = Claim.objects.published().filter(withdrawn_at__isnull=True)
    for status in Status:
        newest = public.filter(status=status).order_by("-reviewed_at", "-pk").first()
        cell = example_cell(page, status.value)
        if newest is None:
            assert "<a " not in cell.split("</td>")[0].split("All ")[0]
        else:
            assert f'<a href="{newest.get_absolute_url()}">' in cell, status
    for certainty in Certainty:
        newest = public.filter(certainty=certainty).order_by("-reviewed_at", "-pk").first()
        entry = certainty_entry(page, certainty.value)
        if newest is not None:
            assert f'<a href="{newest.get_absolute_url()}">' in entry, certainty
            assert f"#status-{newest.status}" in entry  # the example's verdict, linked


def test_the_example_is_the_most_recently_reviewed_public_claim(client, article):
    older = make_claim(
        article, slug="older", status="supported", certainty="moderate", rationale="Trials."
    )
    newer = make_claim(
        article,
        slug="newer",
        quote="It triggers BDNF release.",
        status="supported",
        certainty="high",
        rationale="Trials.",
    )
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    raw_update(Claim.objects.filter(pk=older.pk), reviewed_at=an_hour_ago)
    raw_update(Claim.objects.filter(pk=newer.pk), reviewed_at=timezone.now())
    page = client.get(URL).content.decode()
    assert f'<a href="{newer.get_absolute_url()}">' in example_cell(page, "supported")
    assert f'<a href="{older.get_absolute_url()}">' in certainty_entry(page, "moderate")
    # Withdrawn or still a draft, a claim is no example.
    raw_update(Claim.objects.filter(pk=newer.pk), withdrawn_at=timezone.now(), withdrawal_note="x")
    page = client.get(URL).content.decode()
    assert f'<a href="{older.get_absolute_url()}">' in example_cell(page, "supported")
    assert "no published claim has this certainty yet" in certainty_entry(page, "high")


def test_without_claims_it_says_there_is_no_example_yet(client, db):
    page = client.get(URL).content.decode()
    assert "No published claim has this verdict yet." in example_cell(page, "contradicted")
    assert "a claim is published only once it has a verdict" in example_cell(page, "unreviewed")
    assert "no published claim has this certainty yet" in certainty_entry(page, "low")


def test_it_defines_the_reason_tags(client, db):
    page = client.get(URL).content.decode()
    section = page[page.index('<h2 id="reasons">') :]
    tags = list(ReasonTag.objects.all())
    assert tags
    for reason in tags:
        assert f'<div id="tag-{reason.slug}">' in section
        assert f'href="/claims/?tag={reason.slug}">{escape(reason.name)}</a>' in section
        assert escape(reason.definition) in section


def test_it_says_how_claims_are_reviewed_and_corrected(client, db):
    page = client.get(URL).content.decode()
    reviewing = page[page.index('<h2 id="reviewing">') : page.index('<h2 id="rationale">')]
    assert '<a href="/reviewers/">Our reviewers</a>' in reviewing
    corrections = page[page.index('<h2 id="corrections">') :]
    assert '<a href="/changes/">corrections log</a>' in corrections


def test_its_queries_are_pinned_whatever_the_number_of_claims(
    client, seeded, django_assert_num_queries
):
    """The version (the page is cached under it), the examples, the reason tags."""
    with django_assert_num_queries(3):
        assert client.get(URL).status_code == 200
