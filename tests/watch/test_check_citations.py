"""check_citations: Crossref's "updated-by" and PubMed's publication types, read from recorded
answers (never the network); notices recorded once, a second run changes nothing and asks
nobody (a day's cache); a service that cannot be reached is reported, not fatal."""

import io

import pytest
from django.core.management import CommandError, call_command

from claimtrack.claims.models import CitationNotice, Flag, NoticeKind, NoticeSource
from claimtrack.watch import updates

from ..conftest import recorded
from .conftest import CORRECTED_PMID, NOTICE_DATE, NOTICE_DOI, RETRACTED_DOI, RETRACTED_PMID


def run(**options):
    out = io.StringIO()
    call_command("check_citations", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.fixture
def answers(services):
    """Crossref and PubMed answer with the recorded records of the two test papers."""
    return [
        services.work(RETRACTED_DOI).respond(json=recorded("crossref_ct_retracted.json")),
        services.esummary(RETRACTED_PMID).respond(json=recorded("esummary_ct_retracted.json")),
        services.esummary(CORRECTED_PMID).respond(json=recorded("esummary_ct_corrected.json")),
    ]


def test_it_records_what_crossref_and_pubmed_say(
    answers, retracted_source, corrected_source, resting_claims
):
    out = run()
    notices = CitationNotice.objects.filter(citation=retracted_source).order_by("date")
    assert [(n.kind, n.date, n.notice_doi, n.learnt_from) for n in notices] == [
        (
            "correction",
            NOTICE_DATE.replace(2021, 6, 15),
            "10.5555/ct.correction-notice",
            "crossref",
        ),
        ("retraction", NOTICE_DATE, NOTICE_DOI, "crossref"),
    ]
    # PubMed's "Retracted Publication" is the retraction Crossref dated: nothing more.
    assert (
        "Checked 1 DOIs with Crossref and 2 PMIDs with PubMed: 2 new notices recorded, "
        "1 already on file." in out
    )
    assert not CitationNotice.objects.filter(citation=corrected_source).exists()
    assert Flag.objects.filter(reason__slug="cited-source-retracted").count() == 2
    assert Flag.objects.filter(reason__slug="cited-source-corrected").count() == 2
    # Polite: our name and contact address with every request.
    request = answers[0].calls[0].request
    assert "mailto:" in request.headers["User-Agent"] and "mailto" in request.url.params


def test_a_second_run_changes_nothing_and_asks_nobody(
    answers, retracted_source, corrected_source, resting_claims
):
    run()
    flags = list(Flag.objects.values_list("pk", "version"))
    out = run()
    assert "0 new notices recorded, 3 already on file" in out
    assert CitationNotice.objects.count() == 2
    assert list(Flag.objects.values_list("pk", "version")) == flags
    assert [route.call_count for route in answers] == [1, 1, 1]  # the day's cache answered


def test_a_retraction_watch_import_first_leaves_crossref_nothing_new(
    answers, retracted_source, resting_claims
):
    CitationNotice.objects.record(
        retracted_source,
        kind=NoticeKind.RETRACTION,
        learnt_from=NoticeSource.RETRACTION_WATCH,
        date=NOTICE_DATE,
        notice_doi=NOTICE_DOI,
    )
    out = run()
    assert "1 new notices recorded, 2 already on file" in out  # the correction is new
    assert CitationNotice.objects.get(kind="retraction").learnt_from == "retraction_watch"


def test_a_service_that_cannot_be_reached_is_reported(
    services, retracted_source, corrected_source, resting_claims
):
    services.work(RETRACTED_DOI).respond(503)
    services.esummary(RETRACTED_PMID).respond(json=recorded("esummary_ct_retracted.json"))
    services.esummary(CORRECTED_PMID).respond(json=recorded("esummary_ct_corrected.json"))
    out = run()
    assert "Could not be reached (try again later): 1" in out
    assert (
        "  tester2019 (DOI 10.5555/ct.retracted): Crossref could not be reached (it answered "
        "503).\n" in out
    )
    assert out.splitlines()[:2] == [
        "  tester2019: Retraction (PubMed)",
        "Checked 1 DOIs with Crossref and 2 PMIDs with PubMed: 1 new notices recorded, 0 already "
        "on file.",
    ]
    assert services.waits  # it retried before giving up
    # PubMed was reached: its retraction is recorded (undated), and the failure not cached.
    assert CitationNotice.objects.get().learnt_from == "pubmed"
    services.work(RETRACTED_DOI).respond(json=recorded("crossref_ct_retracted.json"))
    out = run()
    assert "Could not be reached" not in out
    retraction = CitationNotice.objects.get(kind="retraction")
    assert (retraction.date, retraction.notice_doi) == (NOTICE_DATE, NOTICE_DOI)  # completed


def test_it_fails_when_no_service_can_be_reached(services, retracted_source):
    services.work(RETRACTED_DOI).respond(503)
    services.esummary(RETRACTED_PMID).respond(503)
    with pytest.raises(CommandError, match="Neither Crossref nor PubMed could be reached"):
        run()


def test_an_unknown_doi_is_listed_as_not_found(services, retracted_source):
    services.work(RETRACTED_DOI).respond(404)
    services.esummary(RETRACTED_PMID).respond(json={"result": {"uids": []}})
    out = run()
    assert "Not found: 2" in out
    assert "tester2019: no DOI 10.5555/ct.retracted on Crossref" in out


def test_a_dry_run_records_nothing(answers, retracted_source, corrected_source, resting_claims):
    out = run(dry_run=True)
    # Each report is compared with the notices on file, not with the other reports: PubMed's
    # undated retraction counts too, though recording Crossref's first would absorb it.
    assert "3 new notices would be recorded" in out
    assert not CitationNotice.objects.exists()


def test_crossref_update_types_are_read_as_notices():
    work = {
        "updated-by": [
            {
                "type": "expression-of-concern",
                "DOI": "10.5555/a",
                "updated": {"date-parts": [[2022, 1, 2]]},
            },
            {"type": "partial_retraction", "DOI": "10.5555/b", "label": "Partial Retraction"},
            {"type": "addendum", "DOI": "10.5555/c"},
        ],
        "update-to": [{"type": "retraction", "DOI": "10.5555/d", "label": "Retraction"}],
    }
    found, remarks = updates.crossref_updates(work)
    assert [(u.kind, str(u.date), u.notice_doi, u.reason) for u in found] == [
        ("expression_of_concern", "2022-01-02", "10.5555/a", ""),
        ("correction", "None", "10.5555/b", "Partial Retraction"),
    ]
    assert remarks == ["is itself a notice (Retraction) about DOI 10.5555/d"]


def test_a_cited_pubmed_record_that_is_itself_a_notice_is_remarked():
    found, remarks = updates.pubmed_updates({"pubtype": ["Published Erratum"]})
    assert found == [] and remarks == ["is itself typed “Published Erratum” on PubMed"]


def test_requests_to_one_service_are_paced(monkeypatch):
    from claimtrack.watch.management.commands import check_citations

    clock, waits = [100.0], []
    monkeypatch.setattr(check_citations.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr("claimtrack.scholarly.client.sleep", waits.append)
    pacer = check_citations.Pacer({"Crossref": 0.2, "PubMed": 0.34})
    pacer.wait("Crossref")
    pacer.wait("PubMed")  # another service: no wait
    clock[0] += 0.05
    pacer.wait("Crossref")
    clock[0] += 1.0
    pacer.wait("Crossref")  # long enough since the last one
    assert [round(wait, 2) for wait in waits] == [0.15]
