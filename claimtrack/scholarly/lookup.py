"""A paper's details from its DOI or PMID, for a citation form to fill in.

    lookup("https://doi.org/10.1176/appi.ajp.2013.13030392") -> Reference(authors=..., pmid=...)

A DOI is asked of Crossref, then of PubMed for its PMID and publication types; a PMID is asked of
PubMed, then of Crossref for the DOI it gives. The second service is a bonus: when it fails, the
first one's answer is returned without it (and not cached, so the next try may complete it).
Answers are cached for a day, by the identifier as stored.
"""

from dataclasses import asdict

from django.core.cache import cache

from . import crossref, pubmed
from .client import LookupFailed, NotFound
from .identifiers import parse_identifier
from .reference import Reference, combine

__all__ = ["LookupFailed", "NotFound", "Reference", "lookup"]

CACHE_SECONDS = 24 * 60 * 60


def lookup(identifier_text):
    """A Reference for a pasted DOI or PMID (link or prefix allowed); LookupFailed otherwise."""
    parsed = parse_identifier(identifier_text)
    if parsed is None:
        raise LookupFailed(
            f"“{identifier_text.strip()}” is neither a DOI (10.…/…) nor a PMID (a number). "
            "Paste one of them, or fill in the fields by hand."
        )
    scheme, value = parsed
    key = cache_key(scheme, value)
    cached = cache.get(key)
    if cached is not None:
        return Reference(**cached)
    found, complete = by_doi(value) if scheme == "doi" else by_pmid(value)
    if complete:
        cache.set(key, asdict(found), CACHE_SECONDS)
    return found


def cache_key(scheme, value):
    return f"scholarly:{scheme}:{value.lower()}"  # a DOI's case does not matter


def by_doi(doi):
    """(Reference, complete): Crossref's record, with PubMed's when one names this DOI."""
    work = crossref.fetch(doi)
    try:
        pmid = pubmed.find_pmid(doi)
        record = pubmed.fetch(pmid) if pmid else None
    except NotFound:
        record = None
    except LookupFailed:
        return combine(work, None), False
    if record and record.doi.lower() != doi.lower():
        record = None  # PubMed's record names another DOI: never pair them on a guess
    return combine(work, record), True


def by_pmid(pmid):
    """(Reference, complete): PubMed's record, with Crossref's for the DOI it names."""
    record = pubmed.fetch(pmid)
    if not record.doi:
        return combine(None, record), True
    try:
        work = crossref.fetch(record.doi)
    except NotFound:
        work = None
    except LookupFailed:
        return combine(None, record), False
    return combine(work, record), True
