"""CSV and JSON exports of claims, streamed chunk by chunk.

The claims are read as plain values through one cursor (.iterator(chunk_size=...): a
server-side cursor on PostgreSQL), and each chunk's reason tags and evidence in one query each,
also as plain values. No model instances and no reverse() per row: at 100,000 claims those cost
more than the database does (an export of them took 90 s before, now a few seconds). Memory
holds one chunk, whatever the size of the export (bench/export_bench.py and
bench/serve_bench.py measure both).
"""

import csv
import io
import json
from collections import defaultdict
from itertools import islice

from django.db import connection
from django.db.models import Count, F, Lookup
from django.urls import reverse
from django.utils import timezone

from claimtrack.claims.models import Claim, Evidence

CHUNK_SIZE = 500  # claims: more per chunk hold more memory (2,000: 44 MB) and are no faster

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

# What a row needs, and not the article's text: texts run to tens of kilobytes.
CLAIM_VALUES = [
    "pk",
    "article__slug",
    "article__title",
    "slug",
    "quote",
    "statement",
    "topic",
    "status",
    "certainty",
    "rationale",
    "reviewed_at",
]
CITATION_FIELDS = ["slug", "kind", "authors", "title", "journal", "year", "doi", "pmid", "url"]


def claim_url_maker(build_absolute_uri):
    """A function (article slug, claim slug) → the claim page's absolute URL, made from one
    reverse(): slugs need no quoting, so the rest of the address is the same for every claim."""
    article, claim = "article-slug-here", "claim-slug-here"
    url = build_absolute_uri(reverse("claim_detail", args=[article, claim]))
    head, rest = url.rsplit(article, 1)
    middle, tail = rest.rsplit(claim, 1)
    return lambda article, claim: f"{head}{article}{middle}{claim}{tail}"


def chunks(queryset, size=None):
    """Lists of claims as tuples of CLAIM_VALUES, in the queryset's order, one cursor for all."""
    size = size or CHUNK_SIZE
    rows = queryset.values_list(*CLAIM_VALUES).iterator(chunk_size=size)
    while chunk := list(islice(rows, size)):
        yield chunk


class AnyOf(Lookup):
    """field = ANY(%s): the ids as one array parameter (PostgreSQL)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


def of_claims(queryset, ids):
    """The queryset's rows whose claim_id is one of ids. On PostgreSQL as one array: an IN list
    of hundreds of parameters takes longer to plan than the query takes to run (2,000 ids: 60
    ms against 10)."""
    if connection.vendor == "postgresql":
        return queryset.filter(AnyOf(F("claim_id"), ids))
    return queryset.filter(claim_id__in=ids)


def tags_of(ids):
    """{claim id: [reason tag slugs]} in the tags' order (by name), one query."""
    through = of_claims(Claim.reason_tags.through.objects, ids)
    tags = defaultdict(list)
    for claim_id, slug in through.order_by("reasontag__name").values_list(
        "claim_id", "reasontag__slug"
    ):
        tags[claim_id].append(slug)
    return tags


def evidence_counts(ids):
    rows = of_claims(Evidence.objects, ids).order_by().values_list("claim_id")
    return dict(rows.annotate(n=Count("pk")).values_list("claim_id", "n"))


def evidence_json(ids):
    """{claim id: [each evidence link as JSON]}, oldest citation first, one query. A few
    thousand sources stand behind 200,000 links: each citation is serialised once per chunk."""
    fields = ["claim_id", "stance", "note", "citation_id"]
    fields += [f"citation__{name}" for name in CITATION_FIELDS]
    rows = of_claims(Evidence.objects, ids).order_by("citation__year", "pk").values_list(*fields)
    citations, evidence = {}, defaultdict(list)
    for claim_id, stance, note, citation_id, *citation in rows:
        if citation_id not in citations:
            citations[citation_id] = dumps(citation_record(*citation))
        evidence[claim_id].append(
            f'{{"stance": {dumps(stance)}, "note": {dumps(note)}, '
            f'"citation": {citations[citation_id]}}}'
        )
    return evidence


def claim_record(row, url, tags):
    """Every public field of a claim (a tuple of CLAIM_VALUES), as plain values."""
    _, article, title, slug, quote, statement, topic, status, certainty, rationale, reviewed = row
    return {
        "article": article,
        "article_title": title,
        "claim": slug,
        "url": url(article, slug),
        "quote": quote,
        "statement": statement,
        "topic": topic,
        "status": status,
        "certainty": certainty,
        "rationale": rationale,
        "reason_tags": tags,
        "reviewed_at": reviewed.isoformat() if reviewed else None,
    }


def citation_record(slug, kind, authors, title, journal, year, doi, pmid, url):
    """A citation's public fields (CITATION_FIELDS), with doi_url and pubmed_url as Citation
    makes them."""
    return {
        "key": slug,
        "kind": kind,
        "authors": authors,
        "title": title,
        "journal": journal,
        "year": year,
        "doi": doi,
        "doi_url": f"https://doi.org/{doi}" if doi else "",
        "pmid": pmid,
        "pubmed_url": f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else "",
        "url": url,
    }


def dumps(value):
    return json.dumps(value, ensure_ascii=False)


def json_lines(queryset, build_absolute_uri):
    """Lists of claims as JSON objects (strings), a chunk at a time, each with its evidence:
    what json.dumps(record) would write, with the evidence's JSON spliced in."""
    url = claim_url_maker(build_absolute_uri)
    for chunk in chunks(queryset):
        ids = [row[0] for row in chunk]
        tags, evidence = tags_of(ids), evidence_json(ids)
        yield [
            dumps(claim_record(row, url, tags.get(row[0], [])))[:-1]
            + ', "evidence": ['
            + ", ".join(evidence.get(row[0], ()))
            + "]}"
            for row in chunk
        ]


# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell):
    """The cell as a spreadsheet will show it and never run it: OWASP's rule, a text cell that
    starts like a formula gets a leading apostrophe."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_row(row, url, tags, evidence_count):
    """A claim (a tuple of CLAIM_VALUES) as the values of CSV_COLUMNS, made inert."""
    _, article, title, slug, quote, statement, topic, status, certainty, rationale, reviewed = row
    cells = [
        article,
        title,
        slug,
        url(article, slug),
        quote,
        statement,
        topic,
        status,
        certainty,
        rationale,
        " ".join(tags),
        reviewed.isoformat() if reviewed else "",
        evidence_count,
    ]
    return [inert(cell) for cell in cells]


def csv_lines(queryset, build_absolute_uri):
    """The header, then one string per chunk of rows (fewer, larger writes)."""
    url = claim_url_maker(build_absolute_uri)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    for chunk in chunks(queryset):
        ids = [row[0] for row in chunk]
        tags, counts = tags_of(ids), evidence_counts(ids)
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(
            csv_row(row, url, tags.get(row[0], ()), counts.get(row[0], 0)) for row in chunk
        )
        yield buffer.getvalue()


def json_chunks(queryset, build_absolute_uri, filters):
    """One JSON document, {"generated_at", "filters", "claims": [...]}, a chunk of claims per
    string (one write each, not one per claim)."""
    head = {
        "source": "claimtrack",
        "generated_at": timezone.now().isoformat(),
        "filters": filters,
    }
    yield dumps(head)[:-1] + ', "claims": ['
    separator = "\n"
    for lines in json_lines(queryset, build_absolute_uri):
        yield separator + ",\n".join(lines)
        separator = ",\n"
    yield "\n]}\n"
