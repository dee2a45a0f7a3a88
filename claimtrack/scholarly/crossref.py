"""Crossref: who registered a DOI says what it names (https://api.crossref.org/works/{doi})."""

import html
from urllib.parse import quote

from django.conf import settings
from django.utils.html import strip_tags

from .client import LookupFailed, NotFound, get_json
from .reference import BOOK, OTHER, Reference, author_list, initials, journal_line, year_of

# Crossref's types for books and their parts (https://api.crossref.org/types).
BOOK_TYPES = {
    "book",
    "book-chapter",
    "book-part",
    "book-section",
    "book-series",
    "book-set",
    "book-track",
    "edited-book",
    "monograph",
    "reference-book",
}


def fetch(doi):
    """The Reference for a DOI; LookupFailed when Crossref has none or cannot be asked."""
    url = f"{settings.CROSSREF_API_URL}/works/{quote(doi, safe='/()')}"
    data = get_json("Crossref", url, {"mailto": settings.SCHOLARLY_CONTACT_EMAIL})
    if data is None:
        raise NotFound(f"No DOI {doi} on Crossref – check it, or fill in the fields by hand.")
    work = data.get("message") if isinstance(data, dict) else None
    if not isinstance(work, dict):
        raise LookupFailed(
            f"Crossref's answer for {doi} could not be read. Fill in the fields by hand."
        )
    return reference(work, doi)


def fetch_work(doi):
    """Crossref's whole work record for a DOI (its "message"), or None when Crossref has no
    such DOI; LookupFailed when it cannot be asked or answers what cannot be read."""
    url = f"{settings.CROSSREF_API_URL}/works/{quote(doi, safe='/()')}"
    data = get_json("Crossref", url, {"mailto": settings.SCHOLARLY_CONTACT_EMAIL})
    if data is None:
        return None
    work = data.get("message") if isinstance(data, dict) else None
    if not isinstance(work, dict):
        raise LookupFailed(f"Crossref's answer for {doi} could not be read.")
    return work


def reference(work, doi):
    kind = BOOK if work.get("type") in BOOK_TYPES else OTHER
    if kind == BOOK:
        # A book's "journal or publisher" is its publisher, as in "Basic Books, New York".
        where = ", ".join(filter(None, [work.get("publisher"), work.get("publisher-location")]))
    else:
        where = journal_line(
            first(work.get("container-title")),
            work.get("volume", ""),
            work.get("issue", ""),
            work.get("page", ""),
        )
    return Reference(
        authors=author_list(
            person_name(person) for person in work.get("author") or work.get("editor") or []
        ),
        title=title(work),
        journal=plain(where),
        year=year_of(first(first(date_of(work).get("date-parts")))),
        kind=kind,
        doi=doi,
    )


def person_name(person):
    """ "Murrough JW", "Zarate CA Jr"; an organisation by its name."""
    if not person.get("family"):
        return plain(person.get("name", ""))
    name = " ".join(filter(None, [person["family"], initials(person.get("given", ""))]))
    suffix = person.get("suffix", "").rstrip(".")
    return plain(f"{name} {suffix}" if suffix else name)


def title(work):
    text = plain(first(work.get("title")))
    subtitle = plain(first(work.get("subtitle")))
    if subtitle and subtitle.lower() not in text.lower():
        text = f"{text}: {subtitle}"
    return text


def date_of(work):
    """The first of Crossref's dates that has a year ("issued" is the one it recommends)."""
    for key in ["issued", "published-print", "published-online", "published", "created"]:
        date = work.get(key) or {}
        if first(first(date.get("date-parts"))):
            return date
    return {}


def first(values):
    return values[0] if isinstance(values, list) and values else ""


def plain(text):
    """Crossref titles may carry markup ("<i>N</i>-methyl") and entities; spaces collapsed."""
    return " ".join(html.unescape(strip_tags(str(text or ""))).split())
