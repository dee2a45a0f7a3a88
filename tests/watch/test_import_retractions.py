"""import_retractions: Retraction Watch's CSV (its real header) is read as a stream, matched
against the cited DOIs and PMIDs however they are written, and each notice about a cited
source recorded once; malformed rows are counted, not fatal; a second run changes nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claimtrack.claims.models import CitationNotice, Flag, NoticeKind, NoticeSource
from claimtrack.watch import retractionwatch

from .conftest import NOTICE_DATE, NOTICE_DOI

SAMPLE = Path(__file__).parent.parent / "data" / "watch" / "retractions_sample.csv"


def run(*args, stdin=None, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_retractions", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_the_sample_has_retraction_watchs_real_header():
    assert SAMPLE.read_text().splitlines()[0] == retractionwatch.HEADER


def test_it_records_the_notices_of_cited_sources(
    retracted_source,
    corrected_source,
    resting_claims,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run(str(SAMPLE))
    assert out.splitlines()[:3] == [
        "  tester2019: Retraction 09 Mar 2024",
        "  corrector2020: Correction 20 Nov 2021",
        "Read 7 rows: 3 about cited sources, 2 new notices recorded, 0 already on file, "
        "3 malformed.",
    ]
    assert "line 6: it has a different number of columns from the header" in out
    assert "line 7: RetractionDate “sometime in spring” is not a date" in out
    # A comma unquoted shifts every column after it: refused, never read askew.
    assert "line 8: it has a different number of columns from the header" in out
    # Matched by a doi.org link in another case; the notice DOI, date and reasons as given.
    retraction = CitationNotice.objects.get(citation=retracted_source)
    assert (retraction.kind, retraction.date, retraction.notice_doi) == (
        NoticeKind.RETRACTION,
        NOTICE_DATE,
        NOTICE_DOI,
    )
    assert retraction.learnt_from == NoticeSource.RETRACTION_WATCH
    assert retraction.reason == (
        "Falsification/Fabrication of Data; Investigation by Journal/Publisher"
    )
    # Matched by its PMID alone ("unavailable" is no DOI); the notice's PMID kept.
    correction = CitationNotice.objects.get(citation=corrected_source)
    assert (correction.kind, correction.notice_doi, correction.notice_pmid) == (
        NoticeKind.CORRECTION,
        "",
        "999999903",
    )
    assert str(correction.date) == "2021-11-20"
    reasons = sorted(Flag.objects.values_list("claim__slug", "reason__slug"))
    assert reasons == [
        ("bdnf", "cited-source-corrected"),
        ("bdnf", "cited-source-retracted"),
        ("within-hours", "cited-source-retracted"),
    ]
    assert len(mailoutbox) == 3


def test_a_second_run_changes_nothing(
    retracted_source,
    corrected_source,
    resting_claims,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        run(str(SAMPLE))
    flags, sent = list(Flag.objects.values_list("pk", "version")), len(mailoutbox)
    assert sent == 3
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run(str(SAMPLE))
    assert "2 new" not in out
    assert "0 new notices recorded, 2 already on file" in out
    assert CitationNotice.objects.count() == 2
    assert list(Flag.objects.values_list("pk", "version")) == flags
    assert len(mailoutbox) == sent


def test_a_dry_run_records_nothing(retracted_source, corrected_source, resting_claims):
    out, _ = run(str(SAMPLE), dry_run=True)
    assert "2 new notices would be recorded" in out
    assert not CitationNotice.objects.exists() and not Flag.objects.exists()


def test_rows_about_no_cited_source_are_read_and_left(db):
    out, _ = run(str(SAMPLE))
    assert out.startswith("Read 7 rows: 0 about cited sources, 0 new notices recorded")
    assert "2 malformed" in out  # rows of the wrong shape, whoever they are about
    assert "line 7" not in out  # a bad date about no cited source is not looked at


def test_progress_is_written_on_stderr(retracted_source, tmp_path, monkeypatch):
    monkeypatch.setattr("claimtrack.watch.management.commands.import_retractions.PROGRESS_EVERY", 2)
    _, err = run(str(SAMPLE))
    assert err.splitlines() == ["2 rows read…", "4 rows read…", "6 rows read…"]
    _, quiet = run(str(SAMPLE), verbosity=0)
    assert quiet == ""


def test_a_file_that_is_not_the_export_is_refused(db, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("DOI,Title\n10.5555/x,Something\n")
    with pytest.raises(CommandError, match="not Retraction Watch's CSV: no RetractionDate"):
        run(str(other))


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*nothing.csv: No such file"):
        run(str(tmp_path / "nothing.csv"))


def test_it_reads_standard_input(retracted_source, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(SAMPLE.read_text()))
    out, _ = run("-")
    assert "1 new notices recorded" in out


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3/9/2024 0:00", "2024-03-09"), ("12/25/2021", "2021-12-25"), ("2020-01-02", "2020-01-02")],
)
def test_dates_are_read_month_first(value, expected):
    assert str(retractionwatch.parse_date(value)) == expected


@pytest.mark.parametrize("absent", ["", "0", "unavailable", "Unavailable", " 0 "])
def test_the_exports_placeholders_are_no_identifiers(absent):
    row = {"OriginalPaperDOI": absent, "OriginalPaperPubMedID": absent}
    assert retractionwatch.paper_doi(row) == retractionwatch.paper_pmid(row) == ""
