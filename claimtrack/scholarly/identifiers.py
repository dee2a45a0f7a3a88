"""DOIs and PMIDs as editors paste them, made canonical.

People copy identifiers from anywhere: a doi.org link, a "doi:" prefix, a reference list that
ends the DOI with a full stop, a PubMed address. Stored as pasted, the same paper could be cited
twice and no link would resolve. These functions return the bare identifier; what they cannot
make sense of comes back trimmed, for the field's validator to refuse with its message.
"""

import re
from urllib.parse import unquote

DOI_PREFIX = re.compile(
    r"^(?:https?://)?(?:(?:dx\.)?doi\.org/|doi:\s*)|^doi\s+", flags=re.IGNORECASE
)
PUBMED_PREFIX = re.compile(
    r"^(?:https?://)?(?:(?:www\.|pubmed\.)?ncbi\.nlm\.nih\.gov/(?:pubmed/)?|pubmed/)"
    r"|^pmid:?\s*",
    flags=re.IGNORECASE,
)
# A bare identifier, as stored (the citation fields validate against these).
DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
PMID_PATTERN = r"^[1-9]\d{0,8}$"
# What a sentence or a reference list puts around an identifier; never part of one at its ends.
SURROUNDING = " \t\r\n.,;:<>\"'“”‘’()[]"


def normalize_doi(value):
    """ "https://doi.org/10.1176/APPI.ajp.2013.13030392." -> "10.1176/APPI.ajp.2013.13030392".

    A DOI's case does not matter (compare them with lower()); it is kept as given."""
    value = (value or "").strip().strip(SURROUNDING)
    value = unquote(DOI_PREFIX.sub("", value)) if DOI_PREFIX.match(value) else value
    return value.strip().strip(SURROUNDING)


def normalize_pmid(value):
    """ "https://pubmed.ncbi.nlm.nih.gov/23982301/" or "PMID: 23982301" -> "23982301"."""
    value = (value or "").strip().strip(SURROUNDING + "/")
    value = PUBMED_PREFIX.sub("", value).strip().strip(SURROUNDING + "/")
    return value.split("?")[0].split("#")[0].rstrip("/")


def parse_identifier(text):
    """Which identifier was pasted: ("doi", bare DOI), ("pmid", bare PMID), or None.

    A bare number is a PMID; a DOI is told by its "10." prefix, however it was wrapped."""
    doi = normalize_doi(text)
    if re.match(DOI_PATTERN, doi):
        return ("doi", doi)
    pmid = normalize_pmid(text)
    if re.match(PMID_PATTERN, pmid):
        return ("pmid", pmid)
    return None
