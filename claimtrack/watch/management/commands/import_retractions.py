"""Read Retraction Watch's database (the CSV Crossref distributes) and record, for every cited
source it names, the notices it lists: CitationNotice.objects.record(), which flags the claims
resting on a source the first time a notice about it is recorded and tells their reviewers.

Why a command: the file is some 60 MB and grows; it is read as a stream (csv.DictReader over
the open file, a row at a time), matched against the cited DOIs and PMIDs held in two sets,
so memory stays bounded whatever its size. Each notice is recorded in its own transaction (the
rule's): an import never holds one long transaction, and a second run finds every notice on
file and changes nothing. Rows that cannot be read are counted and listed, never fatal.
"""

import csv
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claimtrack.claims.models import Citation, CitationNotice, NoticeSource
from claimtrack.watch import retractionwatch

PROGRESS_EVERY = 10_000  # rows between two progress lines
MALFORMED_LISTED = 20


class Command(BaseCommand):
    help = (
        "Import Retraction Watch's CSV (from Crossref): record the retractions, corrections and "
        "expressions of concern of cited sources, flagging the claims resting on them."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The Retraction Watch CSV; - reads standard input.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be recorded; record nothing."
        )

    def handle(self, *args, file, dry_run, verbosity, **options):
        self.verbosity = verbosity
        cited = CitedIdentifiers.load()
        if file == "-":
            totals = self.read(sys.stdin, cited, dry_run)
        else:
            try:
                with open(file, newline="", encoding="utf-8", errors="replace") as stream:
                    totals = self.read(stream, cited, dry_run)
            except OSError as error:
                raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        self.summarise(totals, dry_run)

    def read(self, stream, cited, dry_run):
        # utf-8-sig would be wrong for stdin; a byte-order mark is stripped from the header.
        reader = csv.DictReader(stream)
        header = [name.lstrip("\ufeff").strip() for name in (reader.fieldnames or [])]
        missing = [name for name in retractionwatch.COLUMNS if name not in header]
        if missing:
            raise CommandError(
                f"This is not Retraction Watch's CSV: no {', '.join(missing)} column. Its "
                f"header starts “{retractionwatch.HEADER[:60]}…”."
            )
        reader.fieldnames = header
        totals = Totals()
        for row in reader:
            totals.rows += 1
            if self.verbosity and totals.rows % PROGRESS_EVERY == 0:
                self.stderr.write(f"{totals.rows:,} rows read…")
            line = reader.line_num
            if None in row or any(row.get(name) is None for name in retractionwatch.COLUMNS):
                # More fields than the header names (a comma unquoted: the columns shifted),
                # or cut short before a column the import reads.
                totals.malformed(line, "it has a different number of columns from the header")
                continue
            citation_id = cited.match(row)
            if citation_id is None:
                continue
            totals.matched += 1
            try:
                found = retractionwatch.notice(row)
            except retractionwatch.Malformed as error:
                totals.malformed(line, str(error))
                continue
            self.record(citation_id, found, line, totals, dry_run)
        return totals

    def record(self, citation_id, found, line, totals, dry_run):
        citation = Citation.objects.get(pk=citation_id)
        if dry_run:
            known = citation.notices.same_as(
                kind=found.kind, notice_doi=found.notice_doi, date=found.date
            ).exists()
            totals.count(citation, found, created=not known, verbosity=self.verbosity, out=self)
            return
        try:
            _, created = CitationNotice.objects.record(
                citation,
                kind=found.kind,
                learnt_from=NoticeSource.RETRACTION_WATCH,
                date=found.date,
                notice_doi=found.notice_doi,
                notice_pmid=found.notice_pmid,
                reason=found.reason,
            )
        except ValidationError as error:
            totals.malformed(line, " ".join(error.messages))
            return
        totals.count(citation, found, created=created, verbosity=self.verbosity, out=self)

    def summarise(self, totals, dry_run):
        would = "would be " if dry_run else ""
        self.stdout.write(
            f"Read {totals.rows:,} rows: {totals.matched:,} about cited sources, "
            f"{totals.new:,} new notices {would}recorded, {totals.unchanged:,} already on file, "
            f"{len(totals.problems):,} malformed."
        )
        for line, problem in totals.problems[:MALFORMED_LISTED]:
            self.stdout.write(f"  line {line}: {problem}")
        if len(totals.problems) > MALFORMED_LISTED:
            self.stdout.write(f"  … and {len(totals.problems) - MALFORMED_LISTED:,} more.")


class CitedIdentifiers:
    """The cited DOIs (in lower case) and PMIDs, each with its citation's id: all the import
    keeps in memory besides the row it reads."""

    def __init__(self, dois, pmids):
        self.dois, self.pmids = dois, pmids

    @classmethod
    def load(cls):
        dois, pmids = {}, {}
        for pk, doi, pmid in Citation.objects.values_list("pk", "doi", "pmid").iterator():
            if doi:
                dois[doi.lower()] = pk
            if pmid:
                pmids[pmid] = pk
        return cls(dois, pmids)

    def match(self, row):
        """The id of the cited source this row is about, or None."""
        doi = retractionwatch.paper_doi(row)
        if doi and doi.lower() in self.dois:
            return self.dois[doi.lower()]
        pmid = retractionwatch.paper_pmid(row)
        return self.pmids.get(pmid) if pmid else None


class Totals:
    def __init__(self):
        self.rows = self.matched = self.new = self.unchanged = 0
        self.problems = []

    def malformed(self, line, problem):
        self.problems.append((line, problem))

    def count(self, citation, found, *, created, verbosity, out):
        if created:
            self.new += 1
            if verbosity:
                when = f" {found.date:%d %b %Y}" if found.date else ""
                out.stdout.write(f"  {citation.slug}: {found.kind.label}{when}")
        else:
            self.unchanged += 1
