"""Retraction Watch's database as Crossref distributes it: one CSV, a row per notice.

Get it from https://api.labs.crossref.org/data/retractionwatch?<your email> (or the Crossref
Labs page, https://www.crossref.org/labs/retraction-watch/); some 60 MB and growing. Its header:

    Record ID,Title,Subject,Institution,Journal,Publisher,Country,Author,URLS,ArticleType,
    RetractionDate,RetractionDOI,RetractionPubMedID,OriginalPaperDate,OriginalPaperDOI,
    OriginalPaperPubMedID,RetractionNature,Reason,Paywalled,Notes,

(one line; the live export ends it with a comma, an unnamed empty column). Dates are written
"3/9/2026 0:00" (month first); a missing identifier is "unavailable" (a DOI) or "0" (a PMID);
the reasons are a list such as "+Error in Data;+Retract and Replace;".
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from claimtrack.claims.models import NoticeKind
from claimtrack.scholarly.identifiers import normalize_doi, normalize_pmid

# The columns the import reads; a file without them is not the Retraction Watch export.
COLUMNS = [
    "RetractionDate",
    "RetractionDOI",
    "RetractionPubMedID",
    "OriginalPaperDOI",
    "OriginalPaperPubMedID",
    "RetractionNature",
    "Reason",
]
HEADER = (
    "Record ID,Title,Subject,Institution,Journal,Publisher,Country,Author,URLS,ArticleType,"
    "RetractionDate,RetractionDOI,RetractionPubMedID,OriginalPaperDate,OriginalPaperDOI,"
    "OriginalPaperPubMedID,RetractionNature,Reason,Paywalled,Notes,"
)
# RetractionNature as Retraction Watch writes it (any case).
KIND_OF_NATURE = {
    "retraction": NoticeKind.RETRACTION,
    "correction": NoticeKind.CORRECTION,
    "expression of concern": NoticeKind.EXPRESSION_OF_CONCERN,
    "reinstatement": NoticeKind.REINSTATEMENT,
}
# What the export writes where it has no identifier: not identifiers, whatever their case.
ABSENT = {"", "0", "unavailable", "none", "n/a", "na"}
DATE_FORMATS = ["%m/%d/%Y %H:%M", "%m/%d/%Y", "%Y-%m-%d"]
REASON_LENGTH = 2000


class Malformed(ValueError):
    """A row the import cannot read; the message says which column and why."""


@dataclass(frozen=True)
class Notice:
    kind: str
    date: date | None
    notice_doi: str
    notice_pmid: str
    reason: str


def paper_doi(row):
    """The retracted (or corrected) paper's DOI, bare, or ""."""
    return identifier(row.get("OriginalPaperDOI"), normalize_doi)


def paper_pmid(row):
    return identifier(row.get("OriginalPaperPubMedID"), normalize_pmid)


def identifier(value, normalize):
    value = (value or "").strip()
    if value.lower() in ABSENT:
        return ""
    return normalize(value)


def notice(row):
    """The notice a row reports (Notice); Malformed when a column cannot be read."""
    nature = (row.get("RetractionNature") or "").strip()
    kind = KIND_OF_NATURE.get(nature.lower())
    if kind is None:
        raise Malformed(f"RetractionNature “{nature}” is none of {', '.join(KIND_OF_NATURE)}.")
    return Notice(
        kind=kind,
        date=parse_date(row.get("RetractionDate")),
        notice_doi=identifier(row.get("RetractionDOI"), normalize_doi),
        notice_pmid=identifier(row.get("RetractionPubMedID"), normalize_pmid),
        reason=reasons(row.get("Reason")),
    )


def parse_date(value):
    value = (value or "").strip()
    if not value:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise Malformed(f"RetractionDate “{value}” is not a date such as 3/9/2026 0:00.")


def reasons(value):
    """ "+Error in Data;+Retract and Replace;" -> "Error in Data; Retract and Replace"."""
    parts = [part.strip().lstrip("+").strip() for part in re.split(r";", value or "")]
    return "; ".join(part for part in parts if part)[:REASON_LENGTH]
