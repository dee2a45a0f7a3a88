"""Article intake: fetch the page an editor names and keep its main text, title, byline and date.

The server fetches a URL typed by a member of staff, so it fetches carefully: http(s) only, no
host that names this machine or a private network by address, a bounded number of redirects
(each checked again), a size cap read as it streams, and timeouts. Host names are not resolved
here: a public name that points at a private address is the network's to refuse.

Every failure is a FetchFailed whose message tells the editor what happened and what to do;
pasting the text by hand always works.
"""

import datetime
import ipaddress
import re
import time
from dataclasses import dataclass

import httpx
import trafilatura
from django.conf import settings

from claimtrack.claims.text import normalize_text

MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
HTML_TYPES = {"text/html", "application/xhtml+xml"}
# Sites answer these to readers they will not serve: paywalls, and sites that block robots.
REFUSALS = {401, 402, 403, 451}
# Fewer words than this is a teaser, not an article.
MIN_WORDS = 150
# A longer teaser is still one when the page asks the reader to subscribe to read on.
TEASER_WORDS = 400
PAYWALL_MARKERS = re.compile(
    r"(subscribe|subscription|sign in|log in|register) to (continue|keep) reading"
    r"|to (continue|keep) reading,? (please )?(subscribe|sign in|log in|register)"
    r"|already a subscriber"
    r"|(available|exclusive(ly)?|only) (to|for) subscribers"
    # Google's markup for paywalled articles, in the page's JSON-LD.
    r"|\"isaccessibleforfree\"\s*:\s*\"?false",
    re.IGNORECASE,
)
# Whitespace other than the non-breaking spaces, which the record keeps as published.
STRAY_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")


class FetchFailed(Exception):
    """The page could not be taken in; str() is the message for the editor."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FetchedArticle:
    url: str  # where the page was found, after redirects
    title: str
    author: str
    publisher: str
    published_on: datetime.date | None
    text: str  # paragraphs separated by a blank line, as Article.text


def fetch_article(url):
    """The article at url, reduced to its main text and metadata, or FetchFailed."""
    page_url, html = fetch_page(url)
    found = trafilatura.bare_extraction(
        html,
        url=str(page_url),
        with_metadata=True,
        include_comments=False,
        include_images=False,
        # Only dates the page declares: a date guessed from the text would mislead.
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    text = clean_text(found.text if found else "")
    if not text:
        raise FetchFailed(
            "No article text could be found on this page: it may not be the article itself "
            "(a home or list page), or be built by a script in the browser. Check the address, "
            "or paste the text instead.",
            "empty",
        )
    words = len(text.split())
    page = html if isinstance(html, str) else html.decode("utf-8", errors="replace")
    teaser = words < TEASER_WORDS and PAYWALL_MARKERS.search(page)
    if words < MIN_WORDS or teaser:
        raise FetchFailed(
            f"This page seems to be behind a paywall: only {words} words could be read. "
            "Paste the full text instead.",
            "paywall",
        )
    return FetchedArticle(
        url=str(page_url),
        title=clean_line(found.title),
        author=clean_line(found.author),
        publisher=clean_line(found.sitename),
        published_on=parse_date(found.date),
        text=text,
    )


def fetch_page(url):
    """(final URL, HTML as str or bytes) for url, following redirects by hand so that each
    hop is checked like the first."""
    url = checked_url(url)
    deadline = time.monotonic() + 2 * settings.INTAKE_TIMEOUT
    headers = {"User-Agent": settings.INTAKE_USER_AGENT, "Accept": "text/html,*/*;q=0.5"}
    with httpx.Client(timeout=settings.INTAKE_TIMEOUT, headers=headers) as client:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                with client.stream("GET", url) as response:
                    if response.is_redirect and response.next_request is not None:
                        url = checked_url(response.next_request.url)
                        continue
                    check_response(response)
                    return url, read_html(response, deadline)
            except httpx.TimeoutException:
                raise FetchFailed(
                    f"{url.host} did not answer in time. Try again later, or paste the text "
                    "instead.",
                    "timeout",
                ) from None
            except httpx.HTTPError as error:
                raise FetchFailed(
                    f"{url.host} could not be reached ({type(error).__name__}). Check the "
                    "address, or paste the text instead.",
                    "unreachable",
                ) from None
    raise FetchFailed(
        f"The address redirects more than {MAX_REDIRECTS} times. Open it in a browser and use "
        "the address the article ends up at, or paste the text instead.",
        "redirects",
    )


def checked_url(url):
    """url as an httpx.URL, if it is a web address this server may fetch."""
    try:
        url = httpx.URL(str(url).strip())
    except httpx.InvalidURL:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise FetchFailed(
            "Enter a full web address, starting with http:// or https://.", "bad_address"
        )
    if not is_public_host(url.host):
        raise FetchFailed(
            f"{url.host} is a local or private address: the desk only fetches public web "
            "pages. Paste the text instead.",
            "private_address",
        )
    return url


def is_public_host(host):
    """False for localhost and for an IP address that is not on the public internet. Names are
    not resolved: they are taken as public."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        # No top-level domain is a number: "2130706433" or "0x7f.1" is an address in disguise.
        return not re.fullmatch(r"(0x[0-9a-f]*|[0-9]+)", host.rsplit(".", 1)[-1])
    return address.is_global and not address.is_multicast


def check_response(response):
    status, host = response.status_code, response.url.host
    if status in REFUSALS:
        raise FetchFailed(
            f"{host} refused to give the page (HTTP {status}). The article is probably behind "
            "a paywall, or the site blocks automated readers: paste the text instead.",
            "refused",
        )
    if status in (404, 410):
        raise FetchFailed(
            f"There is no page at this address (HTTP {status}). Check the address.",
            "not_found",
        )
    if status >= 400:
        raise FetchFailed(
            f"{host} answered with an error (HTTP {status}). Try again later, or paste the text "
            "instead.",
            "http_error",
        )
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in HTML_TYPES:
        raise FetchFailed(
            f"This address gives {kind or 'a file of unknown type'}, not a web page. Paste "
            "the text instead.",
            "not_html",
        )
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise too_large()


def read_html(response, deadline):
    """The body, read as it streams until MAX_BYTES or the deadline: as str when the server
    names its encoding, else as bytes for trafilatura to decode (it reads <meta charset>)."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > MAX_BYTES:
            raise too_large()
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("too slow", request=response.request)
    try:
        return body.decode(response.charset_encoding, errors="replace")
    except (TypeError, LookupError):  # no charset named, or one Python does not know
        return bytes(body)


def too_large():
    return FetchFailed(
        f"This page is larger than {MAX_BYTES // (1024 * 1024)} MB, too large for an article. "
        "Paste the text instead.",
        "too_large",
    )


def clean_text(text):
    """Paragraphs as Article.text holds them: one per block of the page, separated by a blank
    line, each on one line (in HTML a line break in the source is just a space)."""
    lines = (clean_line(line) for line in normalize_text(text or "").split("\n"))
    return "\n\n".join(line for line in lines if line)


def tidy_pasted(text):
    """Pasted text as the record keeps it: normalize_text, no spaces at line ends, paragraphs
    separated by one blank line. Nothing else changes: a quote copied from the page must still
    be found in it."""
    lines = (line.rstrip(" \t") for line in normalize_text(text or "").split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def clean_line(value):
    return STRAY_SPACE.sub(" ", normalize_text(value or "")).strip(" ")


def parse_date(value):
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None
