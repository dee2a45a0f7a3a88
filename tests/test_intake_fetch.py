"""Fetching an article for the desk (claimtrack.desk.intake): its main text and metadata, and a
clear message for each way a fetch can fail. respx answers every request; none reaches the
network (respx_mock refuses any request that no route answers)."""

import datetime
import json
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from claimtrack.desk import intake
from claimtrack.desk.intake import (
    FetchFailed,
    clean_text,
    fetch_article,
    is_public_host,
    tidy_pasted,
)

PAGES = Path(__file__).parent / "data" / "pages"
SEED = Path(settings.BASE_DIR) / "fixtures" / "article_3_science-behind-ketamine-psychotherapy.json"
ARTICLE_URL = "https://news.example.com/health/2023/04/14/science-behind-ketamine-psychotherapy/"
PAYWALLED_URL = "https://ledger.example.org/health/ketamine-clinics"


def html_page(name):
    return (PAGES / name).read_text(encoding="utf-8")


def seed_text():
    (article,) = [row for row in json.loads(SEED.read_text()) if row["model"] == "claims.article"]
    return article["fields"]["text"]


def seed_paragraphs():
    """The seed article's paragraphs (its text in fixtures/) as its page holds them in the
    article body (tests/data/pages/science-behind-ketamine.html). The seed's first two are the
    headline and the dateline, which come back as the title and the date; its second "How
    Ketamine Works" is the caption of the article's one image, not text of the article."""
    paragraphs = seed_text().split("\n\n")
    headline, dateline, *body = paragraphs
    assert (headline, dateline) == (
        "The Science Behind Ketamine and Its Use in Psychotherapy",
        "April 14, 2023",
    )
    caption = [i for i, p in enumerate(body) if p == "How Ketamine Works"][1]
    return body[:caption] + body[caption + 1 :]


def answer(respx_mock, url, name, **headers):
    return respx_mock.get(url).respond(
        200, html=html_page(name), headers={"content-type": "text/html; charset=utf-8", **headers}
    )


@pytest.fixture(autouse=True)
def no_network(respx_mock):
    """Every test here runs under respx: a request no route answers fails the test."""
    return respx_mock


def test_it_reads_the_title_byline_date_and_the_articles_paragraphs(respx_mock):
    route = answer(respx_mock, ARTICLE_URL, "science-behind-ketamine.html")
    article = fetch_article(ARTICLE_URL)
    assert article.title == "The Science Behind Ketamine and Its Use in Psychotherapy"
    assert article.author == "Helen Marsh"
    assert article.published_on == datetime.date(2023, 4, 14)
    assert article.publisher == "Mind & Body Today"
    assert article.url == ARTICLE_URL
    assert article.text.split("\n\n") == seed_paragraphs()
    assert route.calls.last.request.headers["user-agent"] == settings.INTAKE_USER_AGENT


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Mental health",  # the site's navigation
        "Advertisement",
        "Sleep better tonight",
        "Share on Facebook",
        "You might also like",
        "changed her life",  # a reader's comment
        "Leave a Comment",
        "Privacy policy",
        "All rights reserved",
    ],
)
def test_it_leaves_out_navigation_ads_sharing_comments_and_footer(respx_mock, boilerplate):
    answer(respx_mock, ARTICLE_URL, "science-behind-ketamine.html")
    assert boilerplate not in fetch_article(ARTICLE_URL).text


def test_it_follows_redirects_to_the_article(respx_mock):
    short = "http://news.example.com/s/ketamine"
    respx_mock.get(short).respond(301, headers={"location": ARTICLE_URL})
    answer(respx_mock, ARTICLE_URL, "science-behind-ketamine.html")
    assert fetch_article(short).url == ARTICLE_URL


def test_it_refuses_a_redirect_to_a_private_address(respx_mock):
    respx_mock.get("https://news.example.com/go").respond(
        302, headers={"location": "http://169.254.169.254/latest/meta-data/"}
    )
    with pytest.raises(FetchFailed) as failure:
        fetch_article("https://news.example.com/go")
    assert failure.value.code == "private_address"
    assert respx_mock.calls.call_count == 1  # the redirect, and nothing after it


def test_it_gives_up_after_a_few_redirects(respx_mock):
    respx_mock.get("https://news.example.com/loop").respond(
        302, headers={"location": "https://news.example.com/loop"}
    )
    with pytest.raises(FetchFailed, match="redirects more than 5 times") as failure:
        fetch_article("https://news.example.com/loop")
    assert failure.value.code == "redirects"
    assert respx_mock.calls.call_count == intake.MAX_REDIRECTS + 1


def test_it_calls_a_teaser_with_a_subscription_prompt_a_paywall(respx_mock):
    answer(respx_mock, PAYWALLED_URL, "paywalled.html")
    with pytest.raises(FetchFailed) as failure:
        fetch_article(PAYWALLED_URL)
    assert failure.value.code == "paywall"
    # The two paragraphs of the teaser, and not a word of the subscription prompt.
    assert str(failure.value) == (
        "This page seems to be behind a paywall: only 62 words could be read. "
        "Paste the full text instead."
    )


def test_it_calls_a_longer_teaser_a_paywall_when_the_page_asks_to_subscribe(respx_mock):
    # Three paragraphs of the seed article (more than a teaser's few words), cut off by a
    # subscription prompt.
    paragraphs = "".join(f"<p>{p}</p>" for p in seed_paragraphs()[1:6:2])
    html = (
        "<html><head><title>Ketamine</title></head><body><article><h1>Ketamine</h1>"
        f"{paragraphs}<div class='prompt'>Subscribe to keep reading.</div></article></body></html>"
    )
    respx_mock.get(ARTICLE_URL).respond(200, html=html)
    with pytest.raises(FetchFailed, match=r"behind a paywall: only 184 words") as failure:
        fetch_article(ARTICLE_URL)
    assert failure.value.code == "paywall"
    assert intake.MIN_WORDS < 184 < intake.TEASER_WORDS


@pytest.mark.parametrize("status", [401, 402, 403, 451])
def test_it_says_a_refusal_is_likely_a_paywall_or_a_robot_block(respx_mock, status):
    respx_mock.get(ARTICLE_URL).respond(status, html="<html><body>No.</body></html>")
    with pytest.raises(FetchFailed) as failure:
        fetch_article(ARTICLE_URL)
    assert failure.value.code == "refused"
    assert str(failure.value) == (
        f"news.example.com refused to give the page (HTTP {status}). The article is probably "
        "behind a paywall, or the site blocks automated readers: paste the text instead."
    )


@pytest.mark.parametrize(
    "status, code, message",
    [
        (404, "not_found", "There is no page at this address (HTTP 404). Check the address."),
        (410, "not_found", "There is no page at this address (HTTP 410). Check the address."),
        (
            503,
            "http_error",
            "news.example.com answered with an error (HTTP 503). Try again later, or paste the "
            "text instead.",
        ),
    ],
)
def test_it_explains_an_error_status(respx_mock, status, code, message):
    respx_mock.get(ARTICLE_URL).respond(status)
    with pytest.raises(FetchFailed) as failure:
        fetch_article(ARTICLE_URL)
    assert (failure.value.code, str(failure.value)) == (code, message)


@pytest.mark.parametrize(
    "error, code, message",
    [
        (
            httpx.ConnectTimeout,
            "timeout",
            "news.example.com did not answer in time. Try again later, or paste the text instead.",
        ),
        (
            httpx.ReadTimeout,
            "timeout",
            "news.example.com did not answer in time. Try again later, or paste the text instead.",
        ),
        (
            httpx.ConnectError,
            "unreachable",
            "news.example.com could not be reached (ConnectError). Check the address, or paste "
            "the text instead.",
        ),
    ],
)
def test_it_explains_a_site_that_does_not_answer(respx_mock, error, code, message):
    respx_mock.get(ARTICLE_URL).mock(side_effect=error)
    with pytest.raises(FetchFailed) as failure:
        fetch_article(ARTICLE_URL)
    assert (failure.value.code, str(failure.value)) == (code, message)


def test_it_passes_the_timeout_from_the_settings(respx_mock, settings):
    settings.INTAKE_TIMEOUT = 3
    route = answer(respx_mock, ARTICLE_URL, "science-behind-ketamine.html")
    fetch_article(ARTICLE_URL)
    timeouts = route.calls.last.request.extensions["timeout"]
    assert set(timeouts.values()) == {3}


@pytest.mark.parametrize("charset", ["", "; charset=utf-8", "; charset=no-such-charset"])
def test_it_reads_the_page_whatever_charset_the_server_names(respx_mock, charset):
    html = html_page("science-behind-ketamine.html").encode()
    respx_mock.get(ARTICLE_URL).respond(200, content=html, content_type=f"text/html{charset}")
    assert fetch_article(ARTICLE_URL).text.split("\n\n") == seed_paragraphs()


def test_it_refuses_what_is_not_a_web_page(respx_mock):
    respx_mock.get(ARTICLE_URL).respond(200, content=b"%PDF-1.7", content_type="application/pdf")
    with pytest.raises(FetchFailed) as failure:
        fetch_article(ARTICLE_URL)
    assert failure.value.code == "not_html"
    assert str(failure.value) == (
        "This address gives application/pdf, not a web page. Paste the text instead."
    )


def test_it_stops_reading_a_page_too_large_for_an_article(respx_mock, monkeypatch):
    monkeypatch.setattr(intake, "MAX_BYTES", 50_000)
    # No Content-Length: the cap holds while the body streams in.
    chunks = (b"<p>" + b"word " * 1000 + b"</p>" for _ in range(100))
    page = httpx.Response(200, headers={"content-type": "text/html"}, content=chunks)
    respx_mock.get(ARTICLE_URL).mock(return_value=page)
    with pytest.raises(FetchFailed) as failure:
        fetch_article(ARTICLE_URL)
    assert failure.value.code == "too_large"


def test_it_says_when_a_page_has_no_article_text(respx_mock):
    # A page built in the browser by a script: its HTML holds no text.
    html = "<html><head><title>News</title></head><body><div id='app'></div></body></html>"
    respx_mock.get(ARTICLE_URL).respond(200, html=html)
    with pytest.raises(FetchFailed) as failure:
        fetch_article(ARTICLE_URL)
    assert failure.value.code == "empty"
    assert "paste the text instead" in str(failure.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/admin/",
        "http://LOCALHOST.:8000/",
        "http://db.localhost/",
        "http://127.0.0.1:8000/admin/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/router",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://2130706433/",  # 127.0.0.1 as one number
        "http://0x7f.1/",
        "http://127.1/",
    ],
)
def test_it_refuses_local_and_private_hosts_without_a_request(respx_mock, url):
    with pytest.raises(FetchFailed) as failure:
        fetch_article(url)
    assert failure.value.code == "private_address"
    assert "only fetches public web pages" in str(failure.value)
    assert respx_mock.calls.call_count == 0


@pytest.mark.parametrize(
    "url", ["ftp://example.com/article", "file:///etc/passwd", "news.example.com", "http://", ""]
)
def test_it_fetches_only_web_addresses(respx_mock, url):
    with pytest.raises(FetchFailed) as failure:
        fetch_article(url)
    assert failure.value.code == "bad_address"
    assert respx_mock.calls.call_count == 0


@pytest.mark.parametrize("host", ["news.example.com", "93.184.215.14", "[2606:4700::1111]"])
def test_public_hosts_may_be_fetched(host):
    assert is_public_host(host)


def test_fetched_text_keeps_one_paragraph_per_line_and_non_breaking_spaces():
    text = "  What  Is\tKetamine? \n\nIt is\u00a010\u00a0mg.\r\nCafe\u0301 talk.\n"
    assert clean_text(text) == "What Is Ketamine?\n\nIt is\u00a010\u00a0mg.\n\nCafé talk."


def test_pasted_text_is_normalised_and_otherwise_left_as_typed():
    pasted = "\r\n\r\nTitle  line \r\n\r\n\r\n\r\n  \u2022 Depression:\u00a0rapid."
    pasted += "\r\nCafe\u0301 \r\n \r\n"
    assert tidy_pasted(pasted) == "Title  line\n\n  \u2022 Depression:\u00a0rapid.\nCafé"
