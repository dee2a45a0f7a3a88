"""CSV and JSON exports of claims, streamed chunk by chunk.

The claims are read as plain values through one cursor (.iterator(chunk_size=...): a
server-side cursor on PostgreSQL), with their article and group joined, and each chunk's reason
tags, evidence and open-flag counts in one query each, also as plain values. No model instances
and no reverse() per row: at 100,000 claims those cost more than the database does (an export
of them took 90 s before, now a few seconds). Memory holds one chunk, whatever the size of the
export (bench/export_bench.py and bench/serve_bench.py measure both).
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

from claimtrack.claims.models import Claim, Evidence, Flag

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
    # Appended (never inserted), so that programs reading columns by position keep working.
    "id",
    "group",
    "group_name",
    "article_url",
    "dois",
    "pmids",
    "open_flags",
    "withdrawn_at",
    "withdrawal_note",
]

# A spreadsheet reads a CSV without a byte-order mark in the computer's legacy encoding
# (Excel on Windows: cp1252), garbling ’ “ ” and every accent; with it, as UTF-8. Programs may
# ask for ?bom=0.
BOM = "\ufeff"

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
    "group__slug",
    "group__name",
    "article__url",
    "withdrawn_at",
    "withdrawal_note",
]
CITATION_FIELDS = ["slug", "kind", "authors", "title", "journal", "year", "doi", "pmid", "url"]


def url_maker(name, build_absolute_uri, arity=1):
    """A function (slugs or ids) → the absolute URL of the named page, made from one reverse():
    slugs and ids need no quoting, so every address is the first one's with the values put in.
    reverse() per row costs more than the database does at this scale."""
    marks = [f"9{i}8{i}7{i}" for i in range(arity)]  # digits: every path converter takes them
    rest = build_absolute_uri(reverse(name, args=marks))
    pieces = []
    for mark in reversed(marks):
        rest, after = rest.rsplit(mark, 1)
        pieces.insert(0, after)
    head = rest
    return lambda *values: (
        head + "".join(f"{v}{after}" for v, after in zip(values, pieces, strict=True))
    )


def claim_url_maker(build_absolute_uri):
    """A function (article slug, claim slug) → the claim page's absolute URL."""
    return url_maker("claim_detail", build_absolute_uri, arity=2)


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


def evidence_identifiers(ids):
    """{claim id: [(doi, pmid) of each source cited as evidence]}, oldest citation first (the
    JSON's evidence order), one query: the CSV's evidence count, DOIs and PMIDs."""
    rows = of_claims(Evidence.objects, ids).order_by("citation__year", "pk")
    identifiers = defaultdict(list)
    for claim_id, doi, pmid in rows.values_list("claim_id", "citation__doi", "citation__pmid"):
        identifiers[claim_id].append((doi, pmid))
    return identifiers


def open_flag_counts(ids):
    """{claim id: number of open flags}, claims without any left out, one query (read off
    flag_claim_state_idx)."""
    rows = of_claims(Flag.objects.open(), ids).order_by().values_list("claim_id")
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


def isoformat(moment):
    return moment.isoformat() if moment else None


def claim_record(row, url, tags, open_flags=0):
    """Every public field of a claim (a tuple of CLAIM_VALUES), as plain values."""
    (pk, article, title, slug, quote, statement, topic, status, certainty, rationale, reviewed) = (
        row[:11]
    )
    group_slug, group_name, article_url, withdrawn, withdrawal_note = row[11:]
    return {
        "id": pk,
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
        "reviewed_at": isoformat(reviewed),
        "group": {"slug": group_slug, "name": group_name} if group_slug else None,
        "article_url": article_url,
        "open_flags": open_flags,
        "withdrawn_at": isoformat(withdrawn),
        "withdrawal_note": withdrawal_note,
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
        tags, evidence, flags = tags_of(ids), evidence_json(ids), open_flag_counts(ids)
        yield [
            dumps(claim_record(row, url, tags.get(row[0], []), flags.get(row[0], 0)))[:-1]
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


def csv_row(row, url, tags, identifiers, open_flags=0):
    """A claim (a tuple of CLAIM_VALUES) as the values of CSV_COLUMNS, made inert. identifiers:
    (doi, pmid) of each source cited as evidence, in the evidence's order."""
    (pk, article, title, slug, quote, statement, topic, status, certainty, rationale, reviewed) = (
        row[:11]
    )
    group_slug, group_name, article_url, withdrawn, withdrawal_note = row[11:]
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
        isoformat(reviewed) or "",
        len(identifiers),
        pk,
        group_slug or "",
        group_name or "",
        article_url,
        " ".join(doi for doi, _ in identifiers if doi),
        " ".join(pmid for _, pmid in identifiers if pmid),
        open_flags,
        isoformat(withdrawn) or "",
        withdrawal_note,
    ]
    return [inert(cell) for cell in cells]


def csv_lines(queryset, build_absolute_uri):
    """The header, then one string per chunk of rows (fewer, larger writes). No byte-order
    mark: the view puts it first (csv_with_bom), where the reader wants one."""
    url = claim_url_maker(build_absolute_uri)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    for chunk in chunks(queryset):
        ids = [row[0] for row in chunk]
        tags, identifiers = tags_of(ids), evidence_identifiers(ids)
        flags = open_flag_counts(ids)
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(
            csv_row(
                row, url, tags.get(row[0], ()), identifiers.get(row[0], ()), flags.get(row[0], 0)
            )
            for row in chunk
        )
        yield buffer.getvalue()


def csv_with_bom(lines):
    """The CSV's strings with a UTF-8 byte-order mark before the header (in its write)."""
    yield BOM + next(lines)
    yield from lines


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
