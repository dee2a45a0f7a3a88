"""A citation from its DOI or PMID: the one already on file, or the fields for a new one.

The citation form's "Look up" asks this, with JavaScript through the desk's JSON endpoint and
without it through the admin; both answer the same way.
"""

from dataclasses import asdict, dataclass, field

from claimtrack.scholarly.identifiers import parse_identifier
from claimtrack.scholarly.lookup import LookupFailed, NotFound, lookup

from .models import REVIEW_CLAIM, Citation

# Who may look citations up: editors, and whoever reviews claims.
LOOKUP_PERMISSIONS = ["claims.add_citation", "claims.change_citation", REVIEW_CLAIM]


def may_look_up_citations(user):
    return (
        user.is_active
        and user.is_staff
        and any(user.has_perm(permission) for permission in LOOKUP_PERMISSIONS)
    )


@dataclass
class CitationLookup:
    fields: dict = field(default_factory=dict)  # only what was found: nothing typed is blanked
    existing: Citation | None = None
    error: str = ""
    problem: str = ""  # with an error: "invalid", "not_found" or "unavailable"


def look_up_citation(text, editing=None):
    """What a pasted DOI or PMID names. `editing` is the pk of the citation being edited, which
    is not "already on file" for its own identifiers."""
    text = (text or "").strip()
    parsed = parse_identifier(text)
    if parsed is None:
        message = (
            "Type or paste a DOI or PMID (or its link) in the DOI or PMID field first."
            if not text
            else f"“{text}” is neither a DOI (10.…/…) nor a PMID (a number). Check it."
        )
        return CitationLookup(error=message, problem="invalid")
    on_file = Citation.objects.exclude(pk=editing) if editing else Citation.objects.all()
    # Asked before and after the lookup: a PMID's paper may be on file under its DOI.
    existing = on_file.on_file(**{parsed[0]: parsed[1]}).first()
    if existing:
        return CitationLookup(existing=existing)
    try:
        found = lookup(text)
    except NotFound as failed:
        return CitationLookup(error=str(failed), problem="not_found")
    except LookupFailed as failed:
        return CitationLookup(error=str(failed), problem="unavailable")
    existing = on_file.on_file(doi=found.doi, pmid=found.pmid).first()
    if existing:
        return CitationLookup(existing=existing)
    return CitationLookup(fields={k: v for k, v in asdict(found).items() if v not in ("", None)})
