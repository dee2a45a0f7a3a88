"""Scorecards that compare across articles: counts and shares written out, every bar on the
one 0-100% scale, no bar for a handful of claims, and a list a screen reader reads as text."""

import re

import pytest
from django.template import Context, Template

from claimtrack.claims.templatetags.claims_extras import (
    SCORECARD_MIN_FOR_BARS,
    percent,
    scorecard,
)
from tests.conftest import make_claim

from .test_views_articles import scorecard_rows


def render(counts, **options):
    template = Template(
        "{% load claims_extras %}{% scorecard counts title='Claims' " + options_of(options) + "%}"
    )
    return template.render(Context({"counts": counts}))


def options_of(options):
    return "".join(f"{name}={value} " for name, value in options.items())


def widths(html):
    return re.findall(r'class="scorecard__bar status-([a-z-]+)" width="([0-9.]+)"', html)


def test_counts_and_shares_are_written_out():
    card = scorecard({"supported": 14, "partly_supported": 20, "unsupported": 6})
    assert card["total"] == 40
    assert [(row["label"], row["count"], row["percent"]) for row in card["rows"]] == [
        ("Supported", 14, "35%"),
        ("Partly supported", 20, "50%"),
        ("Unsupported", 6, "15%"),
    ]
    html = render({"supported": 14, "partly_supported": 20, "unsupported": 6})
    assert scorecard_rows(html) == [
        ("Supported", "14 of 40 · 35%"),
        ("Partly supported", "20 of 40 · 50%"),
        ("Unsupported", "6 of 40 · 15%"),
    ]
    assert "<figcaption" in html and "Claims: 40 claims" in html
    # The chart is the list itself, text; the bars are hidden decoration carrying no words.
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", html)
    assert svgs and all('aria-hidden="true"' in svg and "<text" not in svg for svg in svgs)


def test_bars_are_shares_on_one_scale_not_scaled_to_the_largest():
    # Before, each scorecard stretched its largest bar to full width: 14 of 40 and 20 of 20
    # drew the same. Now a bar is its share of its own article's claims, 0 to 100%.
    assert widths(render({"supported": 14, "unsupported": 26})) == [
        ("supported", "35.0"),
        ("unsupported", "65.0"),
    ]
    assert widths(render({"supported": 20})) == [("supported", "100.0")]
    assert widths(render({"supported": 21, "overstated": 9})) == [
        ("supported", "70.0"),
        ("overstated", "30.0"),
    ]
    assert "from 0 to 100%, the one scale of every scorecard" in render({"supported": 20})


@pytest.mark.parametrize("counts", [{"supported": 1}, {"supported": 2, "overstated": 2}])
def test_a_handful_of_claims_gets_no_bars_only_the_numbers(counts):
    assert sum(counts.values()) < SCORECARD_MIN_FOR_BARS
    html = render(counts)
    assert widths(html) == []  # a single claim never draws a full bar
    assert "scorecard__bar" not in html
    assert "No bars: with fewer than 5 claims, a share says little." in html
    assert scorecard_rows(html)[0] == (
        "Supported",
        f"{counts['supported']} of "
        f"{sum(counts.values())} · "
        f"{percent(counts['supported'], sum(counts.values()))}",
    )


def test_shares_are_never_rounded_to_none_or_all():
    assert percent(0, 40) == "0%"
    assert percent(1, 1000) == "<1%"
    assert percent(999, 1000) == ">99%"
    assert percent(1000, 1000) == "100%"
    assert percent(1, 3) == "33%"
    assert percent(0, 0) == "0%"


def test_every_status_can_be_listed_and_linked():
    html = render({"supported": 3, "contradicted": 2}, every_status=True, link_statuses=True)
    rows = scorecard_rows(html)
    assert len(rows) == 7
    assert ("Overstated", "0 of 5 · 0%") in rows
    assert '<a href="/claims/?status=contradicted">Contradicted</a>' in html
    assert widths(html) == [("supported", "60.0"), ("contradicted", "40.0")]  # none for 0


def test_no_claims_no_chart():
    assert "No claims yet." in render({})


def test_the_article_page_compares_on_the_shared_scale(client, article):
    article.text = " ".join(f"Sentence number {n} is here." for n in range(10))
    article.save()
    for n in range(10):
        status = "supported" if n < 3 else "unsupported"
        quote = f"Sentence number {n} is here."
        make_claim(article, slug=f"s{n}", quote=quote, status=status, rationale="Because.")
    page = client.get("/articles/ketamine-news/").content.decode()
    aside = page[page.index('id="scorecard-heading"') : page.index('id="text-heading"')]
    assert scorecard_rows(aside) == [
        ("Supported", "3 of 10 · 30%"),
        ("Unsupported", "7 of 10 · 70%"),
    ]
    assert widths(aside) == [("supported", "30.0"), ("unsupported", "70.0")]


def test_the_home_page_chart_shares_the_scale_and_links_each_status(
    client, unverifiable_claim, reviewed_claim
):
    page = client.get("/").content.decode()
    section = page[page.index('id="by-status"') : page.index('id="recent"')]
    rows = scorecard_rows(section)
    assert ("Unverifiable", "1 of 2 · 50%") in rows
    assert ("Supported", "0 of 2 · 0%") in rows
    assert len(rows) == 7  # every status, those with none too
    assert 'href="/claims/?status=partly_supported"' in section
