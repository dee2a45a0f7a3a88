"""CSV and JSON exports of claims, streamed row by row.

The claims are read with .iterator(chunk_size=...) and their tags and evidence prefetched one
chunk at a time, so an export of any size holds one chunk in memory, not the whole table
(bench/export_bench.py measures it).
"""

import csv
import json

from django.db.models import Prefetch
from django.utils import timezone

from claimtrack.claims.models import Evidence

CHUNK_SIZE = 500

CSV_COLUMNS = [
    "article",
    "article_title",
    "claim",
    "url",
    "quote",
    "statement",
    "topic",
    "status",
    "certainty",
    "rationale",
    "reason_tags",
    "reviewed_at",
    "evidence_count",
]


def export_queryset(queryset):
    """Everything a row needs, in a fixed number of queries per chunk. Not the article's text:
    each row gets its own copy of its article, and texts run to tens of kilobytes."""
    evidence = Evidence.objects.select_related("citation").order_by("citation__year", "pk")
    return (
        queryset.select_related("article")
        .defer("article__text")
        .prefetch_related("reason_tags", Prefetch("evidence", queryset=evidence))
    )


def claim_record(claim, build_absolute_uri):
    """Every public field of a claim, as plain values."""
    return {
        "article": claim.article.slug,
        "article_title": claim.article.title,
        "claim": claim.slug,
        "url": build_absolute_uri(claim.get_absolute_url()),
        "quote": claim.quote,
        "statement": claim.statement,
        "topic": claim.topic,
        "status": claim.status,
        "certainty": claim.certainty,
        "rationale": claim.rationale,
        "reason_tags": [tag.slug for tag in claim.reason_tags.all()],
        "reviewed_at": claim.reviewed_at.isoformat() if claim.reviewed_at else None,
    }


def evidence_record(evidence):
    citation = evidence.citation
    return {
        "stance": evidence.stance,
        "note": evidence.note,
        "citation": {
            "key": citation.slug,
            "kind": citation.kind,
            "authors": citation.authors,
            "title": citation.title,
            "journal": citation.journal,
            "year": citation.year,
            "doi": citation.doi,
            "doi_url": citation.doi_url,
            "pmid": citation.pmid,
            "pubmed_url": citation.pubmed_url,
            "url": citation.url,
        },
    }


class Echo:
    """A file-like object whose write() hands back the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_lines(queryset, build_absolute_uri):
    writer = csv.writer(Echo())
    yield writer.writerow(CSV_COLUMNS)
    for claim in export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE):
        record = claim_record(claim, build_absolute_uri)
        record["reason_tags"] = " ".join(record["reason_tags"])
        record["reviewed_at"] = record["reviewed_at"] or ""
        record["evidence_count"] = len(claim.evidence.all())
        yield writer.writerow([record[column] for column in CSV_COLUMNS])


def json_chunks(queryset, build_absolute_uri, filters):
    """One JSON document, {"generated_at", "filters", "claims": [...]}, written claim by claim."""
    head = {
        "source": "claimtrack",
        "generated_at": timezone.now().isoformat(),
        "filters": filters,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "claims": ['
    separator = "\n"
    for claim in export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE):
        record = claim_record(claim, build_absolute_uri)
        record["evidence"] = [evidence_record(e) for e in claim.evidence.all()]
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"
