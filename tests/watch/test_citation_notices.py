"""A cited source's notices (retractions, corrections...): CitationNotice.objects.record()
stores a new one, flags every claim resting on the source (by the evidence watch's account),
makes them due for review and emails the claims' reviewers once; the same notice again changes
nothing. The constraints bite, and the public claim and source pages show each notice beside
the source."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from claimtrack.claims.models import (
    EVIDENCE_WATCH,
    CitationNotice,
    Claim,
    Flag,
    NoticeKind,
    NoticeSource,
    evidence_watch,
    public_name_of,
)

from ..conftest import raw_update
from .conftest import NOTICE_DATE, NOTICE_DOI


def retract(source, **extra):
    fields = {
        "kind": NoticeKind.RETRACTION,
        "learnt_from": NoticeSource.RETRACTION_WATCH,
        "date": NOTICE_DATE,
        "notice_doi": NOTICE_DOI,
        "reason": "Falsification/Fabrication of Data",
        **extra,
    }
    return CitationNotice.objects.record(source, **fields)


def test_the_evidence_watch_is_an_account_nobody_logs_in_as(db):
    watch = evidence_watch()
    assert watch.username == EVIDENCE_WATCH
    assert not watch.is_active and not watch.has_usable_password() and not watch.is_staff
    assert public_name_of(watch) == "Evidence watch"


def test_a_new_notice_flags_every_claim_resting_on_the_source(
    retracted_source, resting_claims, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice, created = retract(retracted_source)
    assert created and notice.pk and notice.history.count() == 1
    flags = Flag.objects.order_by("claim__slug")
    # The withdrawn claim is left alone; the two published ones are flagged.
    assert [flag.claim.slug for flag in flags] == ["bdnf", "within-hours"]
    for flag in flags:
        assert flag.is_open and flag.raised_by == evidence_watch()
        assert flag.reason.slug == "cited-source-retracted"
        assert "Tester et al. 2019" not in flag.comment  # two authors: "Tester and Checker"
        assert "Tester and Checker 2019" in flag.comment
        assert "Retracted on 09 Mar 2024" in flag.comment
        assert f"https://doi.org/{NOTICE_DOI}" in flag.comment
    # Rita reviewed both: one email for each flag, each naming the source and the notice.
    assert [mail.to for mail in mailoutbox] == [["rita@example.org"]] * 2
    assert "Evidence watch flagged a claim" in mailoutbox[0].body
    assert "cited source retracted" in mailoutbox[0].subject
    assert "Retracted on 09 Mar 2024" in mailoutbox[0].body


def test_a_new_notice_makes_the_claims_resting_on_the_source_due_today(
    retracted_source, resting_claims
):
    today = timezone.localdate()
    published = Claim.objects.citing(retracted_source).published().filter(withdrawn_at=None)
    assert published.count() == 2
    assert not published.filter(review_due_on__lte=today).exists()
    retract(retracted_source)
    for claim in published:
        assert claim.review_due_on == today
        assert "Retracted on 09 Mar 2024" in claim.due_reason
    history = {claim.pk: claim.history.count() for claim in published}
    retract(retracted_source)  # the same notice again: no new history row
    assert {claim.pk: claim.history.count() for claim in published} == history


def test_the_same_notice_again_changes_nothing_and_tells_nobody(
    retracted_source, resting_claims, mailoutbox, django_capture_on_commit_callbacks
):
    first, _ = retract(retracted_source)
    with django_capture_on_commit_callbacks(execute=True):
        again, created = retract(retracted_source, notice_doi=NOTICE_DOI.upper())
    assert not created and again == first
    assert CitationNotice.objects.count() == 1 and Flag.objects.count() == 2
    assert mailoutbox == []
    assert first.history.count() == 1


def test_a_retraction_pubmed_reports_first_is_completed_not_repeated(
    retracted_source, resting_claims
):
    undated, created = retract(
        retracted_source, learnt_from=NoticeSource.PUBMED, date=None, notice_doi="", reason=""
    )
    assert created and Flag.objects.count() == 2
    full, created = retract(retracted_source, learnt_from=NoticeSource.CROSSREF)
    assert not created and full.pk == undated.pk
    full.refresh_from_db()
    assert (full.notice_doi, full.date) == (NOTICE_DOI, NOTICE_DATE)
    assert full.learnt_from == NoticeSource.PUBMED  # who told us first
    assert full.history.first().history_change_reason == "Completed from Crossref."
    # PubMed saying it again matches the dated notice: nothing new.
    assert not retract(retracted_source, learnt_from=NoticeSource.PUBMED, date=None)[1]
    assert CitationNotice.objects.count() == 1 and Flag.objects.count() == 2


def test_another_kind_of_notice_is_another_flag(retracted_source, resting_claims):
    retract(retracted_source)
    concern, created = retract(
        retracted_source,
        kind=NoticeKind.EXPRESSION_OF_CONCERN,
        notice_doi="10.5555/ct.concern",
        date=datetime.date(2023, 1, 5),
    )
    assert created
    reasons = sorted(Flag.objects.values_list("reason__slug", flat=True))
    assert reasons == ["cited-source-concern"] * 2 + ["cited-source-retracted"] * 2


def test_a_second_notice_of_a_kind_does_not_pile_up_open_flags(retracted_source, resting_claims):
    retract(retracted_source, kind=NoticeKind.CORRECTION, notice_doi="10.5555/ct.c1")
    _, created = retract(retracted_source, kind=NoticeKind.CORRECTION, notice_doi="10.5555/ct.c2")
    assert created and CitationNotice.objects.count() == 2
    # The open flag for "cited source corrected" already says enough.
    assert Flag.objects.count() == 2


def test_a_notice_with_a_bad_doi_is_refused(retracted_source):
    with pytest.raises(ValidationError) as refused:
        retract(retracted_source, notice_doi="not a doi")
    assert "notice_doi" in refused.value.message_dict
    assert not CitationNotice.objects.exists()


@pytest.mark.parametrize(
    "duplicate",
    [
        {"notice_doi": NOTICE_DOI.upper(), "date": None},  # same DOI, any case
        {"notice_doi": "", "date": NOTICE_DATE},
        {"notice_doi": "", "date": None},
    ],
    ids=["doi", "date", "undated"],
)
def test_the_database_refuses_a_second_copy_of_a_notice(retracted_source, duplicate):
    original = {**duplicate, "notice_doi": duplicate["notice_doi"].lower()}
    CitationNotice.objects.create(
        citation=retracted_source, kind="retraction", learnt_from="crossref", **original
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CitationNotice.objects.create(
            citation=retracted_source, kind="retraction", learnt_from="pubmed", **duplicate
        )
    # Another kind is another notice.
    CitationNotice.objects.create(
        citation=retracted_source, kind="correction", learnt_from="pubmed", **duplicate
    )


@pytest.mark.parametrize("field", ["kind", "learnt_from"])
def test_the_database_refuses_an_unknown_kind_or_source(retracted_source, field):
    notice = CitationNotice.objects.create(
        citation=retracted_source, kind="retraction", learnt_from="crossref", date=NOTICE_DATE
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update(CitationNotice.objects.filter(pk=notice.pk), **{field: "rumour"})


def test_the_claim_page_shows_the_notice_beside_the_source(
    client, retracted_source, resting_claims
):
    retract(retracted_source)
    page = client.get(resting_claims["bdnf"].get_absolute_url()).content.decode()
    assert '<li class="source-notice source-notice--retraction">' in page
    assert '<strong class="source-notice__kind">Retracted</strong> on ' in page
    assert '<time datetime="2024-03-09">9 March 2024</time>' in page
    assert f'<a href="https://doi.org/{NOTICE_DOI}" rel="noopener">' in page
    assert "Read the retraction notice (DOI 10.5555/ct.retraction-notice)" in page
    assert "Reported by Retraction Watch." in page
    # Only beside the retracted source: the corrected one has no notice.
    assert page.count('class="source-notice ') == 1


def test_the_source_page_shows_its_notices(client, retracted_source, resting_claims):
    no_notice = client.get(retracted_source.get_absolute_url()).content.decode()
    assert "Retractions and corrections" not in no_notice
    retract(retracted_source)
    retract(
        retracted_source,
        kind=NoticeKind.CORRECTION,
        learnt_from=NoticeSource.PUBMED,
        notice_doi="",
        notice_pmid="999999903",
        date=None,
    )
    page = client.get(retracted_source.get_absolute_url()).content.decode()
    assert '<h2 id="notices" class="source-page__subhead">Retractions and corrections</h2>' in page
    assert '<strong class="source-notice__kind">Retracted</strong>' in page
    assert '<strong class="source-notice__kind">Corrected</strong>.' in page  # undated
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/999999903/"' in page
    assert "(PMID 999999903)" in page


def test_the_evidence_watch_account_is_made_again_by_the_migration_data(migration_data):
    User = get_user_model()
    assert User.objects.filter(username=EVIDENCE_WATCH, is_active=False).count() == 1


def test_the_admin_shows_a_sources_notices_to_editors_and_reviewers(
    client, retracted_source, rita, editor
):
    retract(retracted_source)
    for user in [rita, editor]:
        client.force_login(user)
        page = client.get(f"/admin/claims/citation/{retracted_source.pk}/change/")
        assert page.status_code == 200
        assert "notices (from the evidence watch)" in page.content.decode().lower()
        assert NOTICE_DOI in page.content.decode()
