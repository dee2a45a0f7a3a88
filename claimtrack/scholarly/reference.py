"""A paper's details as a claimtrack citation records them, whichever service told us.

The house format is the one in fixtures/citations.json: authors as "Murrough JW, Iosifescu DV",
the journal with its volume, issue and pages ("American Journal of Psychiatry 170(10):1134-1142").
"""

import re
from dataclasses import dataclass

# The values of claimtrack.claims.models.CitationKind. scholarly does not import the domain;
# tests/test_scholarly_lookup.py checks that these stay among its values.
SYSTEMATIC_REVIEW = "systematic_review"
RANDOMIZED_TRIAL = "randomized_trial"
CASE_REPORT = "case_report"
NARRATIVE_REVIEW = "narrative_review"
GUIDELINE = "guideline"
BOOK = "book"
OTHER = "other"
KINDS = [SYSTEMATIC_REVIEW, RANDOMIZED_TRIAL, CASE_REPORT, NARRATIVE_REVIEW, GUIDELINE, BOOK, OTHER]

AUTHORS_MAX_LENGTH = 1000  # Citation.authors


@dataclass(frozen=True)
class Reference:
    authors: str = ""
    title: str = ""
    journal: str = ""
    year: int | None = None
    kind: str = OTHER
    doi: str = ""
    pmid: str = ""
    url: str = ""


def combine(crossref, pubmed):
    """One Reference from both services' records (either may be None), each field from the one
    that states it the house way: PubMed's authors and sentence-case titles, Crossref's journal
    names ("American Journal of Psychiatry", not "The American journal of psychiatry") and full
    page ranges, PubMed's publication types (Crossref only knows "journal-article")."""
    crossref, pubmed = crossref or Reference(), pubmed or Reference()
    return Reference(
        authors=pubmed.authors or crossref.authors,
        title=pubmed.title or crossref.title,
        journal=crossref.journal or pubmed.journal,
        year=crossref.year or pubmed.year,
        kind=pubmed.kind if pubmed.kind != OTHER else crossref.kind,
        doi=crossref.doi or pubmed.doi,
        pmid=pubmed.pmid,
        url=crossref.url or pubmed.url,
    )


def initials(given):
    """ "James W." -> "JW", "Jean-Pierre" -> "JP", "R. K." -> "RK", "CA" -> "CA"."""
    letters = ""
    for part in re.findall(r"[^\s.\-]+", given or ""):
        # A part in capitals of up to three letters is initials already.
        letters += part if part.isupper() and len(part) <= 3 else part[0].upper()
    return letters


def author_list(names):
    """ "Murrough JW, Iosifescu DV, …", shortened with "et al." to fit the field."""
    names = [name for name in names if name]
    text = ", ".join(names)
    while len(text) > AUTHORS_MAX_LENGTH:
        names = names[:-1]
        text = ", ".join(names) + ", et al."
    return text


def journal_line(name, volume="", issue="", pages=""):
    """ "American Journal of Psychiatry 170(10):1134-1142"; without a volume, the name alone
    (an article online before its issue)."""
    if not volume:
        return name
    return f"{name} {volume}" + (f"({issue})" if issue else "") + (f":{pages}" if pages else "")


def year_of(text):
    """The year at the start of a date such as "2013 Oct 1", or None."""
    match = re.match(r"\s*(\d{4})", str(text or ""))
    return int(match[1]) if match else None
