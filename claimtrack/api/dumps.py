"""Bulk data: every public claim, article, cited source and public change, as gzipped JSON Lines
and CSV files with a manifest, for people who want all of it rather than a page at a time.

What is public is what the site shows, read through the domain's QuerySet verbs
(Claim.objects.published(), Citation.objects.public(), ClaimChange.objects.public()); the claims
are written by claimtrack.claims.exports, the same rows as the site's exports. Never a draft, a
flag, a login name, an email address or a claim's search document.

Readers never see half of anything. A run writes a fresh generation, DIR/.tmp-…/, renames it
to DIR/<UTC time>/ once every file and the manifest are written and synced, and only then points
the symlink DIR/latest at it (a new link renamed over the old: one atomic step). So the files
under latest/ always match latest/manifest.json; a download begun before the switch reads the
older generation to its end, as long as it is kept (--keep). A failure removes the unfinished
generation and leaves latest where it was.

Memory stays flat however many claims there are: each table is read through one cursor a chunk
at a time (plain values, no model instances), each chunk's extras in one query, and the bytes
go straight through gzip and SHA-256 to the file. bench/dumps_bench.py measures it.
"""

import csv
import fcntl
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from claimtrack.claims import exports
from claimtrack.claims.models import (
    Article,
    Citation,
    CitationNotice,
    Claim,
    ClaimChange,
    Status,
    public_name_of,
)
from claimtrack.claims.templatetags.claims_extras import EDITORS

SCHEMA_VERSION = 1
LATEST = "latest"
LOCK = ".publish_dumps.lock"
TEMP_PREFIX = ".tmp-"
GENERATION_FORMAT = "%Y%m%dT%H%M%S.%fZ"  # fixed width: names sort as times do
GENERATION_NAME = re.compile(r"^\d{8}T\d{6}\.\d{6}Z$")
BOM = "\ufeff"
GZIP_LEVEL = 6  # gzip's own default: 9 takes twice as long for a file 3% smaller

# Rows per query.
ARTICLE_CHUNK = 500
CITATION_CHUNK = 500
CHANGE_CHUNK = 1000


class DumpError(Exception):
    """The directory cannot take a dump (one line, for the command to print)."""


def iso(value):
    return value.isoformat() if value is not None else None


def chunked(queryset, size):
    rows = queryset.iterator(chunk_size=size)
    while chunk := list(islice(rows, size)):
        yield chunk


def dumps(value):
    return json.dumps(value, ensure_ascii=False)


def csv_text(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([exports.inert(cell) for cell in row] for row in rows)
    return buffer.getvalue()


# Each table gives its JSON Lines as lists of JSON strings (one per record, a chunk at a time)
# and its CSV as (text, number of records) pairs, the header first with 0 records.


class Claims:
    """The published claims (withdrawn ones too, as on the site), written by the exports."""

    name = "claims"

    def __init__(self, build_absolute_uri):
        self.build_absolute_uri = build_absolute_uri

    def queryset(self):
        return Claim.objects.published().order_by("pk")

    def jsonl(self):
        return exports.json_lines(self.queryset(), self.build_absolute_uri)

    def csv(self):
        """csv_lines' text, each piece with its rows counted (by parsing it: csv_lines says
        nothing of its records, and a quoted cell may hold line breaks); the header is its
        first row."""
        header = 1
        for text in exports.csv_lines(self.queryset(), self.build_absolute_uri):
            text = text.removeprefix(BOM)  # the file has one of its own, at its start
            if text:
                yield text, sum(1 for _ in csv.reader(io.StringIO(text))) - header
                header = 0


class Articles:
    """Every article (all are public: the article pages show them, draft claims or none), with
    its counts of published claims by status. Not its text: the article page shows it, but it is
    its outlet's to license, not ours (each claim carries its quote), as in the API."""

    name = "articles"
    FIELDS = ["pk", "slug", "title", "publisher", "author", "url", "published_on"]
    STATUSES = list(Status)
    CSV_COLUMNS = [
        "article",
        "title",
        "publisher",
        "author",
        "article_url",
        "published_on",
        "page_url",
        "claims",
        *(f"claims_{status.value}" for status in STATUSES),
    ]

    def __init__(self, build_absolute_uri):
        self.page_url = exports.url_maker("article_detail", build_absolute_uri)

    def queryset(self):
        return Article.objects.order_by("pk")

    def chunks(self):
        for chunk in chunked(self.queryset().values_list(*self.FIELDS), ARTICLE_CHUNK):
            yield chunk, self.counts([row[0] for row in chunk])

    @staticmethod
    def counts(ids):
        """{article id: Counter of published claims by status}, one grouped query."""
        rows = (
            Claim.objects.published()
            .filter(article_id__in=ids)
            .order_by()
            .values_list("article_id", "status")
            .annotate(n=Count("*"))
        )
        counts = defaultdict(Counter)
        for article_id, status, n in rows:
            counts[article_id][status] = n
        return counts

    def jsonl(self):
        for chunk, counts in self.chunks():
            yield [
                dumps(
                    {
                        "article": slug,
                        "title": title,
                        "publisher": publisher,
                        "author": author,
                        "article_url": url,
                        "published_on": iso(published_on),
                        "page_url": self.page_url(slug),
                        "claims": sum(counts[pk].values()),
                        "claims_by_status": dict(sorted(counts[pk].items())),
                    }
                )
                for pk, slug, title, publisher, author, url, published_on in chunk
            ]

    def csv(self):
        yield csv_text([self.CSV_COLUMNS]), 0
        for chunk, counts in self.chunks():
            rows = [
                [
                    slug,
                    title,
                    publisher,
                    author,
                    url,
                    iso(published_on) or "",
                    self.page_url(slug),
                    sum(counts[pk].values()),
                    *(counts[pk][status] for status in self.STATUSES),
                ]
                for pk, slug, title, publisher, author, url, published_on in chunk
            ]
            yield csv_text(rows), len(rows)


class Citations:
    """The sources published claims rest on (Citation.objects.public(), as the sources list),
    each with its count of published claims and its notices (retractions, corrections…) as the
    source's page shows them: kind, date, the notice's DOI or PMID, who reported it."""

    name = "citations"
    NOTICE_FIELDS = ["citation_id", "kind", "date", "notice_doi", "notice_pmid", "learnt_from"]
    CSV_COLUMNS = [
        "key",
        "kind",
        "authors",
        "title",
        "journal",
        "year",
        "doi",
        "pmid",
        "url",
        "doi_url",
        "pubmed_url",
        "page_url",
        "public_claims",
        "notices",
    ]

    def __init__(self, build_absolute_uri):
        self.page_url = exports.url_maker("source_detail", build_absolute_uri)

    def queryset(self):
        return Citation.objects.public().with_public_claims().order_by("pk")

    def chunks(self):
        rows = self.queryset().values_list("pk", *exports.CITATION_FIELDS, "public_claims")
        for chunk in chunked(rows, CITATION_CHUNK):
            yield chunk, self.notices([row[0] for row in chunk])

    def notices(self, ids):
        """{citation id: [notices as dicts]}, oldest first as the source's page lists them."""
        rows = (
            CitationNotice.objects.filter(citation_id__in=ids)
            .order_by("citation_id", F("date").asc(nulls_last=True), "pk")
            .values_list(*self.NOTICE_FIELDS)
        )
        notices = defaultdict(list)
        for citation_id, kind, date, doi, pmid, learnt_from in rows:
            url = f"https://doi.org/{doi}" if doi else ""
            url = url or (f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else "")
            notices[citation_id].append(
                {
                    "kind": kind,
                    "date": iso(date),
                    "notice_doi": doi,
                    "notice_pmid": pmid,
                    "notice_url": url,
                    "reported_by": learnt_from,
                }
            )
        return notices

    def records(self):
        for chunk, notices in self.chunks():
            yield [
                (
                    {
                        **exports.citation_record(*fields),
                        "page_url": self.page_url(fields[0]),
                        "public_claims": public_claims,
                    },
                    notices.get(pk, []),
                )
                for pk, *fields, public_claims in chunk
            ]

    def jsonl(self):
        for chunk in self.records():
            yield [dumps({**record, "notices": notices}) for record, notices in chunk]

    def csv(self):
        yield csv_text([self.CSV_COLUMNS]), 0
        for chunk in self.records():
            rows = [
                [
                    *(record[column] for column in self.CSV_COLUMNS[:-1]),
                    # "retraction 2010-02-06; correction": kinds, each with its date if known.
                    "; ".join(
                        " ".join(filter(None, [notice["kind"], notice["date"]]))
                        for notice in notices
                    ),
                ]
                for record, notices in chunk
            ]
            yield csv_text(rows), len(rows)


class Changes:
    """The public corrections log (ClaimChange.objects.public(), as /changes/ shows it), oldest
    first, each change signed with its author's public name, never a login name."""

    name = "changes"
    FIELDS = [
        "pk",
        "kind",
        "claim_id",
        "claim__article__slug",
        "claim__slug",
        "changed_at",
        "changed_by_id",
        "old_status",
        "new_status",
        "old_certainty",
        "new_certainty",
        "old_rationale",
        "new_rationale",
        "old_wording",
        "new_wording",
        "summary",
        "note",
    ]
    CSV_COLUMNS = [
        "id",
        "kind",
        "claim_id",
        "claim_url",
        "changed_at",
        "changed_by",
        *FIELDS[7:],
    ]

    def __init__(self, build_absolute_uri):
        self.claim_url = exports.claim_url_maker(build_absolute_uri)
        self.names = {None: EDITORS}  # staff are few: each is named once per run

    def queryset(self):
        return ClaimChange.objects.public().order_by("changed_at", "pk")

    def name_people(self, ids):
        """Learn the public names of the authors not met yet: one query, or none."""
        missing = set(ids) - set(self.names)
        if missing:
            users = get_user_model().objects.filter(pk__in=missing).select_related("staff_profile")
            self.names.update((user.pk, public_name_of(user)) for user in users)

    def records(self):
        for chunk in chunked(self.queryset().values_list(*self.FIELDS), CHANGE_CHUNK):
            self.name_people(row[6] for row in chunk)
            yield [
                {
                    "id": pk,
                    "kind": kind,
                    "claim_id": claim_id,
                    "claim_url": self.claim_url(article, claim),
                    "changed_at": iso(changed_at),
                    "changed_by": self.names[by],
                    **dict(zip(self.FIELDS[7:], rest, strict=True)),
                }
                for pk, kind, claim_id, article, claim, changed_at, by, *rest in chunk
            ]

    def jsonl(self):
        for chunk in self.records():
            yield [dumps(record) for record in chunk]

    def csv(self):
        yield csv_text([self.CSV_COLUMNS]), 0
        for chunk in self.records():
            rows = [[record[column] for column in self.CSV_COLUMNS] for record in chunk]
            yield csv_text(rows), len(rows)


TABLES = [Claims, Articles, Citations, Changes]
FILES = [f"{table.name}.{kind}.gz" for table in TABLES for kind in ("jsonl", "csv")]


def public_counts():
    """What a dump would hold, table by table (one COUNT each: for --dry-run, not the pages)."""
    return {
        "claims": Claim.objects.published().count(),
        "articles": Article.objects.count(),
        "citations": Citation.objects.public().count(),
        "changes": ClaimChange.objects.public().count(),
    }


class Sink:
    """A file that counts and hashes the bytes written to it: gzip writes through it."""

    def __init__(self, path):
        self.file = open(path, "xb")  # noqa: SIM115 (closed by close())
        self.sha256 = hashlib.sha256()
        self.bytes = 0

    def write(self, data):
        self.sha256.update(data)
        self.bytes += len(data)
        return self.file.write(data)

    def flush(self):
        self.file.flush()

    def close(self):
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()


@dataclass
class Written:
    name: str
    format: str
    table: str
    records: int = 0
    bytes: int = 0
    sha256: str = ""

    def entry(self):
        return {
            "name": self.name,
            "table": self.table,
            "format": self.format,
            "compression": "gzip",
            "records": self.records,
            "bytes": self.bytes,
            "sha256": self.sha256,
        }


def write_file(path, table, kind, mtime):
    """Stream one table into path as gzipped JSON Lines or CSV (UTF-8, with a byte-order mark
    inside the gzip for spreadsheets); returns what was written."""
    written = Written(name=path.name, format=kind, table=table.name)
    sink = Sink(path)
    try:
        with gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=GZIP_LEVEL, mtime=mtime) as gz:
            if kind == "jsonl":
                for lines in table.jsonl():
                    if lines:
                        gz.write(("\n".join(lines) + "\n").encode())
                        written.records += len(lines)
            else:
                gz.write(BOM.encode())
                for text, records in table.csv():
                    gz.write(text.encode())
                    written.records += records
    finally:
        sink.close()
    written.bytes, written.sha256 = sink.bytes, sink.sha256.hexdigest()
    return written


@dataclass
class Generation:
    path: Path
    manifest: dict
    written: list = field(default_factory=list)
    pruned: list = field(default_factory=list)


def generations(directory):
    """The complete generations in directory, oldest first (their names sort as times)."""
    return sorted(
        path.name
        for path in directory.iterdir()
        if GENERATION_NAME.match(path.name) and path.is_dir() and not path.is_symlink()
    )


def latest_of(directory):
    """The generation name DIR/latest points to, or None."""
    link = directory / LATEST
    return os.readlink(link) if link.is_symlink() else None


def writable_directory(directory):
    """The directory, made if need be; DumpError in one line when it cannot take the dump."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise DumpError(f"{directory} is not a directory.")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DumpError(f"{directory} cannot be made: {error.strerror}.") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise DumpError(f"{directory} is not writable.")
    link = directory / LATEST
    if link.exists() and not link.is_symlink():
        raise DumpError(f"{link} is not a symlink: move it away first.")
    return directory


def locked(directory):
    """An exclusive lock on the directory for this run (two at once would prune each other's
    work); DumpError when another run holds it. Close the file to let go."""
    lock = open(directory / LOCK, "a")  # noqa: SIM115 (the caller closes it)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise DumpError(f"Another publish_dumps is writing to {directory}.") from None
    return lock


@contextmanager
def snapshot():
    """On PostgreSQL, a read-only REPEATABLE READ transaction: every table is read as of one
    moment, so the files agree with each other (a change's claim is in claims.jsonl.gz), and
    no row is locked. Inside a transaction begun elsewhere (a test), that one's reads are used
    as they are. Not on SQLite: its transactions here begin IMMEDIATE (settings.py), which
    would hold the write lock, and every editor's save, for the whole run."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def sync_directory(path):
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def publish(directory, *, keep=3, tables=None, progress=None):
    """Write a new generation of every table's files and its manifest.json into directory,
    point directory/latest at it, and remove the oldest generations beyond keep (never the one
    latest points to). Returns the Generation. On any error the unfinished generation is
    removed, latest is left as it was, and the error is raised."""
    if keep < 1:
        raise DumpError("--keep must be at least 1: latest's generation is always kept.")
    directory = writable_directory(directory)
    build_absolute_uri = lambda path: settings.SITE_URL + path  # noqa: E731
    tables = tables or [table(build_absolute_uri) for table in TABLES]
    lock = locked(directory)
    try:
        # Only this run may write here now: a .tmp- directory left is a crashed run's.
        for stale in [
            *directory.glob(TEMP_PREFIX + "*"),
            *directory.glob(LATEST + TEMP_PREFIX + "*"),
        ]:
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale)
            else:
                stale.unlink()
        started = timezone.now()
        try:
            work = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=directory))
        except OSError as error:
            raise DumpError(f"{directory} is not writable: {error.strerror}.") from None
        name = started.astimezone(UTC).strftime(GENERATION_FORMAT)
        while (directory / name).exists():  # a clock set back: never write over a generation
            name = timezone.now().astimezone(UTC).strftime(GENERATION_FORMAT)
        try:
            generation = write_generation(work, name, tables, started, progress)
            os.chmod(work, 0o755)  # mkdtemp made it private; the web server reads it
            os.rename(work, directory / name)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        generation.path = directory / name
        point_latest(directory, name)
        generation.pruned = prune(directory, keep)
        return generation
    finally:
        lock.close()


def write_generation(work, name, tables, started, progress):
    written = []
    mtime = int(started.timestamp())
    with snapshot():
        for table in tables:
            for kind in ("jsonl", "csv"):
                item = write_file(work / f"{table.name}.{kind}.gz", table, kind, mtime)
                written.append(item)
                if progress:
                    progress(item)
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": started.isoformat(),
        # Where these very files stay until pruned (DIR/<generation>/), whatever latest becomes.
        "generation": name,
        "site": settings.SITE_URL,
        "licence": {"name": settings.DATA_LICENSE_NAME, "url": settings.DATA_LICENSE_URL},
        "files": [item.entry() for item in written],
    }
    with open(work / "manifest.json", "x", encoding="utf-8") as file:
        file.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        file.flush()
        os.fsync(file.fileno())
    sync_directory(work)
    return Generation(path=work, manifest=manifest, written=written)


def point_latest(directory, name):
    """Point directory/latest at the generation: a new link renamed over the old one, which a
    reader sees switch from one complete generation to the other, never missing."""
    temporary = directory / f"{LATEST}{TEMP_PREFIX}{os.urandom(6).hex()}"
    os.symlink(name, temporary)  # relative: the directory can move, nginx can alias it
    try:
        os.replace(temporary, directory / LATEST)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_directory(directory)


def prune(directory, keep):
    """Remove the oldest generations beyond keep, never the one latest points to; their names."""
    current = latest_of(directory)
    old = [name for name in generations(directory) if name != current]
    doomed = old[: max(0, len(old) - (keep - 1))] if current else old[: max(0, len(old) - keep)]
    for name in doomed:
        shutil.rmtree(directory / name)
    return doomed
