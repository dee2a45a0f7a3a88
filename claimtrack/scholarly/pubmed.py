"""PubMed, through NCBI's E-utilities: a PMID's summary (esummary), a DOI's PMID (esearch).

NCBI asks every client to name itself (`tool`) and give a contact (`email`).
"""

from django.conf import settings

from .client import NotFound, get_json
from .reference import (
    BOOK,
    CASE_REPORT,
    GUIDELINE,
    NARRATIVE_REVIEW,
    OTHER,
    RANDOMIZED_TRIAL,
    SYSTEMATIC_REVIEW,
    Reference,
    author_list,
    journal_line,
    year_of,
)

# PubMed publication types, most telling first: a meta-analysis is also typed "Review", a
# guideline often is too, and "case report and review of the literature" is a case report.
KIND_OF_TYPE = [
    ({"Meta-Analysis", "Systematic Review"}, SYSTEMATIC_REVIEW),
    ({"Randomized Controlled Trial"}, RANDOMIZED_TRIAL),
    ({"Practice Guideline", "Guideline"}, GUIDELINE),
    ({"Case Reports"}, CASE_REPORT),
    ({"Review"}, NARRATIVE_REVIEW),
]


def params(**extra):
    return {"tool": "claimtrack", "email": settings.SCHOLARLY_CONTACT_EMAIL, **extra}


def fetch(pmid):
    """The Reference for a PMID; LookupFailed when PubMed has none or cannot be asked."""
    url = f"{settings.NCBI_EUTILS_URL}/esummary.fcgi"
    data = get_json("PubMed", url, params(db="pubmed", id=pmid, retmode="json"))
    # An unknown PMID is a 200 whose record carries an "error" (or is missing).
    record = ((data or {}).get("result") or {}).get(pmid)
    if not isinstance(record, dict) or "error" in record:
        raise NotFound(f"No PMID {pmid} on PubMed – check it, or fill in the fields by hand.")
    return reference(record, pmid)


def fetch_summary(pmid):
    """PubMed's summary record for a PMID (a dict, with its "pubtype" list), or None when
    PubMed has none; LookupFailed when it cannot be asked."""
    url = f"{settings.NCBI_EUTILS_URL}/esummary.fcgi"
    data = get_json("PubMed", url, params(db="pubmed", id=pmid, retmode="json"))
    record = ((data or {}).get("result") or {}).get(pmid)
    if not isinstance(record, dict) or "error" in record:
        return None
    return record


def find_pmid(doi):
    """The PMID of the one PubMed record with this DOI, or "" (none, or several)."""
    url = f"{settings.NCBI_EUTILS_URL}/esearch.fcgi"
    data = get_json("PubMed", url, params(db="pubmed", term=f"{doi}[doi]", retmode="json"))
    found = ((data or {}).get("esearchresult") or {}).get("idlist") or []
    return found[0] if len(found) == 1 else ""


def reference(record, pmid):
    is_book = record.get("doctype") in ("book", "chapter")
    if is_book:
        where = ", ".join(
            filter(None, [record.get("publishername"), record.get("publisherlocation")])
        )
    else:
        where = journal_line(
            record.get("fulljournalname") or record.get("source", ""),
            record.get("volume", ""),
            record.get("issue", ""),
            full_pages(record.get("pages", "")),
        )
    return Reference(
        authors=author_list(author.get("name", "") for author in record.get("authors") or []),
        title=(record.get("title") or record.get("booktitle") or "").strip().removesuffix("."),
        journal=where,
        year=year_of(record.get("pubdate")) or year_of(record.get("sortpubdate")),
        kind=BOOK if is_book else kind_of(record.get("pubtype") or []),
        doi=doi_of(record),
        pmid=pmid,
    )


def kind_of(publication_types):
    types = set(publication_types)
    return next((kind for names, kind in KIND_OF_TYPE if types & names), OTHER)


def doi_of(record):
    ids = record.get("articleids") or []
    return next((i.get("value", "") for i in ids if i.get("idtype") == "doi"), "")


def full_pages(pages):
    """PubMed shortens page ranges: "1134-42" -> "1134-1142", as the citations write them."""
    start, _, end = pages.partition("-")
    if start.isdigit() and end.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return f"{start}-{end}" if end else start
