"""Ask Crossref about every cited DOI and PubMed about every cited PMID whether the paper was
since retracted, corrected, withdrawn or given an expression of concern, and record what they
say: CitationNotice.objects.record(), which flags the claims resting on a source the first time
a notice about it is recorded and tells their reviewers.

Polite: the shared client (claimtrack.scholarly.client) names us and our contact address in
its User-Agent, gives up after a timeout and retries a few times; this command also paces its
requests (Crossref's and NCBI's published rate limits) and caches each answer for a day, so a
second run the same day asks nobody. A service that cannot be reached is listed at the end, not
fatal: the command exits 0 when it reached at least one service for one source, and fails
(exit 1) only when every request failed, which is a network or configuration problem to fix.
Running it twice changes nothing: every notice is found on file.
"""

import time

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from claimtrack.claims.models import Citation, CitationNotice, NoticeSource
from claimtrack.scholarly import client, crossref, pubmed
from claimtrack.scholarly.client import LookupFailed
from claimtrack.watch.updates import crossref_updates, pubmed_updates

CACHE_SECONDS = 24 * 60 * 60
# Seconds between two requests to one service: Crossref's public pool allows 5 a second,
# NCBI 3 a second without an API key.
INTERVALS = {"Crossref": 0.2, "PubMed": 0.34}
NOT_FOUND = "not-found"  # cached: the service answered that it has no such record


class Pacer:
    """Waits so that requests to one service are at least its interval apart."""

    def __init__(self, intervals):
        self.intervals, self.last = intervals, {}

    def wait(self, service):
        now = time.monotonic()
        last = self.last.get(service)
        if last is not None and now - last < self.intervals[service]:
            client.sleep(self.intervals[service] - (now - last))
        self.last[service] = time.monotonic()


class Command(BaseCommand):
    help = (
        "Ask Crossref (cited DOIs) and PubMed (cited PMIDs) for retractions, corrections and "
        "expressions of concern, and record them, flagging the claims resting on those sources."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be recorded (each report compared with the notices on file, "
            "not with the others); record nothing.",
        )

    def handle(self, *args, dry_run, verbosity, **options):
        self.pacer, self.dry_run, self.verbosity = Pacer(INTERVALS), dry_run, verbosity
        self.asked = self.reached = self.new = self.unchanged = 0
        self.unreachable, self.missing, self.remarks = [], [], []
        sources = (
            Citation.objects.exclude(Q(doi="") & Q(pmid=""))
            .only("slug", "doi", "pmid", "authors", "title", "year")
            .order_by("pk")
        )
        dois = pmids = 0
        for citation in sources.iterator():
            if citation.doi:
                dois += 1
                self.check(citation, "Crossref", f"DOI {citation.doi}", self.from_crossref)
            if citation.pmid:
                pmids += 1
                self.check(citation, "PubMed", f"PMID {citation.pmid}", self.from_pubmed)
        self.summarise(dois, pmids)
        if self.asked and not self.reached:
            raise CommandError("Neither Crossref nor PubMed could be reached for any source.")

    def check(self, citation, service, what, read):
        self.asked += 1
        try:
            updates, remarks = read(citation)
        except LookupFailed as error:
            # The shared client's message ends with advice for an editor at a form; keep what
            # happened, its first sentence.
            happened = str(error).split(". ")[0].rstrip(".")
            self.unreachable.append(f"{citation.slug} ({what}): {happened}.")
            return
        self.reached += 1
        if updates is None:
            self.missing.append(f"{citation.slug}: no {what} on {service}")
            return
        self.remarks += [f"{citation.slug} ({what}) {remark}" for remark in remarks]
        source = NoticeSource.CROSSREF if service == "Crossref" else NoticeSource.PUBMED
        for update in updates:
            self.record(citation, source, update)

    def from_crossref(self, citation):
        work = self.cached("crossref", citation.doi.lower(), crossref.fetch_work, citation.doi)
        return (None, []) if work is None else crossref_updates(work)

    def from_pubmed(self, citation):
        record = self.cached("pubmed", citation.pmid, pubmed.fetch_summary, citation.pmid)
        return (None, []) if record is None else pubmed_updates(record)

    def cached(self, service, key, fetch, identifier):
        """The service's record (None: it has none), from the cache when asked today. A
        failure is not cached: the next run asks again."""
        key = f"watch:{service}:{key}"
        found = cache.get(key)
        if found is None:
            self.pacer.wait("Crossref" if service == "crossref" else "PubMed")
            found = fetch(identifier)
            cache.set(key, NOT_FOUND if found is None else found, CACHE_SECONDS)
        return None if found == NOT_FOUND else found

    def record(self, citation, source, update):
        if self.dry_run:
            created = not citation.notices.same_as(
                kind=update.kind, notice_doi=update.notice_doi, date=update.date
            ).exists()
        else:
            try:
                _, created = CitationNotice.objects.record(
                    citation,
                    kind=update.kind,
                    learnt_from=source,
                    date=update.date,
                    notice_doi=update.notice_doi,
                    reason=update.reason,
                )
            except ValidationError as error:
                self.remarks.append(f"{citation.slug}: {' '.join(error.messages)}")
                return
        if not created:
            self.unchanged += 1
            return
        self.new += 1
        if self.verbosity:
            when = f" {update.date:%d %b %Y}" if update.date else ""
            self.stdout.write(f"  {citation.slug}: {update.kind.label}{when} ({source.label})")

    def summarise(self, dois, pmids):
        would = "would be " if self.dry_run else ""
        self.stdout.write(
            f"Checked {dois:,} DOIs with Crossref and {pmids:,} PMIDs with PubMed: "
            f"{self.new:,} new notices {would}recorded, {self.unchanged:,} already on file."
        )
        for title, lines in [
            ("Could not be reached (try again later)", self.unreachable),
            ("Not found", self.missing),
            ("To look at", self.remarks),
        ]:
            if lines:
                self.stdout.write(f"{title}: {len(lines):,}")
                for line in lines:
                    self.stdout.write(f"  {line}")
