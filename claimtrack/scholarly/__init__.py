"""Outside scholarly services: identifiers (identifiers.py) and lookups by DOI or PMID on
Crossref and PubMed (lookup.py, over crossref.py, pubmed.py and client.py). No views, no models:
nothing here imports claimtrack.claims or the desk; they import this."""
