"""What Crossref and PubMed say happened to a paper after it was published.

Crossref: a work's "updated-by" lists the notices that update it, each with its DOI, its type
and when it was published ("updated": {"date-parts": [[2010, 2, 6]]}); Crossref carries
Retraction Watch's notices there too ("source": "retraction-watch"). A work's own "update-to"
says the work is itself such a notice, about another DOI: a remark for the editors, not a
notice about the cited paper.

PubMed: a paper's summary lists its publication types; "Retracted Publication" says it was
retracted (the notice itself is typed "Retraction of Publication", "Expression of Concern",
"Published Erratum": a citation of one of those cites a notice, again a remark).
"""

from dataclasses import dataclass
from datetime import date

from claimtrack.claims.models import NoticeKind

# Crossref's update types (https://www.crossref.org/documentation/crossmark/), and the notice
# each is to a reader; the others (addendum, clarification, new_version...) change no verdict.
KIND_OF_UPDATE = {
    "retraction": NoticeKind.RETRACTION,
    "withdrawal": NoticeKind.WITHDRAWAL,
    "removal": NoticeKind.WITHDRAWAL,
    "expression_of_concern": NoticeKind.EXPRESSION_OF_CONCERN,
    "correction": NoticeKind.CORRECTION,
    "corrigendum": NoticeKind.CORRECTION,
    "erratum": NoticeKind.CORRECTION,
    "partial_retraction": NoticeKind.CORRECTION,  # a part withdrawn: the paper still stands
    "reinstatement": NoticeKind.REINSTATEMENT,
}
# PubMed's publication type on a retracted paper, and those of the notices themselves.
RETRACTED_PUBLICATION = "Retracted Publication"
NOTICE_TYPES = {
    "Retraction of Publication",
    "Expression of Concern",
    "Published Erratum",
    "Retraction and Republication",
}


@dataclass(frozen=True)
class Update:
    kind: str
    date: date | None
    notice_doi: str
    reason: str


def crossref_updates(work):
    """(updates, remarks): the notices Crossref lists in work["updated-by"], and lines about
    what else it said (the work is itself a notice)."""
    updates, remarks = [], []
    for entry in work.get("updated-by") or []:
        if not isinstance(entry, dict):
            continue
        kind = KIND_OF_UPDATE.get(str(entry.get("type", "")).lower().replace("-", "_"))
        if kind is None:
            continue
        label = str(entry.get("label") or "").strip()
        reason = label if label and label.lower() != kind.label.lower() else ""
        updates.append(
            Update(
                kind=kind,
                date=full_date(entry.get("updated")),
                notice_doi=str(entry.get("DOI") or "").strip(),
                reason=reason,
            )
        )
    for entry in work.get("update-to") or []:
        if isinstance(entry, dict):
            what = entry.get("label") or entry.get("type") or "update"
            remarks.append(f"is itself a notice ({what}) about DOI {entry.get('DOI', '?')}")
    return updates, remarks


def full_date(value):
    """Crossref's {"date-parts": [[2010, 2, 6]]} as a date; None unless year, month and day."""
    parts = ((value or {}).get("date-parts") or [[]])[0] or []
    try:
        return date(*(int(part) for part in parts[:3])) if len(parts) >= 3 else None
    except (TypeError, ValueError):
        return None


def pubmed_updates(record):
    """(updates, remarks) from a PubMed summary record's publication types."""
    types = set(record.get("pubtype") or [])
    updates = []
    if RETRACTED_PUBLICATION in types:
        updates.append(Update(kind=NoticeKind.RETRACTION, date=None, notice_doi="", reason=""))
    remarks = [f"is itself typed “{kind}” on PubMed" for kind in sorted(types & NOTICE_TYPES)]
    return updates, remarks
