"""The review queue (/watch/due/): who may see it, its orders (most flagged, most read, longest
overdue), its topic filter, its pages, its queries; counting reads of the public claim page;
and saying from the queue that a verdict stands."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claimtrack.claims.models import ChangeKind, Claim, Flag
from claimtrack.watch.due import count_read
from claimtrack.watch.models import ClaimReads

from .conftest import make_claim, make_user, raw_update, tag

QUEUE = "/watch/due/"
TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def due(article):
    """Three published claims due for review (b the longest overdue) and one not yet due."""
    claims = {}
    for name, due_on, topic in [
        ("a", days_ago(3), "efficacy"),
        ("b", days_ago(30), "safety"),
        ("c", TODAY, "efficacy"),
        ("later", TODAY + datetime.timedelta(days=9), "efficacy"),
    ]:
        claim = make_claim(
            article,
            slug=name,
            statement=f"Claim {name}.",
            status="unverifiable",
            rationale="No trial is named.",
        )
        raw_update(Claim.objects.filter(pk=claim.pk), review_due_on=due_on, topic=topic)
        claims[name] = claim
    return claims


def flag(claim, by, reason):
    return Flag.objects.raise_flag(claim=claim, by=by, reason=tag(reason))


def statements(response):
    page = response.context["page"]
    return [claim.slug for claim in page.object_list]


def test_visitors_are_sent_to_log_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_staff_who_may_not_see_claims_are_refused(client, db):
    client.force_login(make_user("stan", is_staff=True))
    assert client.get(QUEUE).status_code == 403


def test_the_queue_lists_due_claims_most_flagged_first(client, reviewer, editor, due):
    flag(due["c"], reviewer, "outdated")
    flag(due["c"], editor, "lacks-context")
    flag(due["a"], reviewer, "outdated")
    flag(due["later"], reviewer, "outdated")  # not due: not listed, however flagged
    client.force_login(reviewer)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert statements(response) == ["c", "a", "b"]
    page = response.content.decode()
    assert "<strong>Overdue</strong> since" in page and "<strong>Due today</strong>" in page


def test_the_queue_orders_by_reads_or_by_date(client, reviewer, due):
    for _ in range(3):
        count_read(due["a"].article.slug, "a")
    count_read(due["c"].article.slug, "c")
    ClaimReads.objects.create(claim=due["b"], day=days_ago(40), reads=99)  # too long ago
    client.force_login(reviewer)
    assert statements(client.get(QUEUE, {"sort": "read"})) == ["a", "c", "b"]
    assert statements(client.get(QUEUE, {"sort": "due"})) == ["b", "a", "c"]


def test_the_queue_filters_by_topic(client, reviewer, due):
    client.force_login(reviewer)
    assert statements(client.get(QUEUE, {"topic": "safety"})) == ["b"]
    response = client.get(QUEUE, {"topic": "history_regulation"})
    assert "No claim is due for review in this topic." in response.content.decode()


def test_the_queue_filters_by_spin_hint(client, reviewer, due):
    # Only a's words promise a time to effect, and only c's sell a cure.
    raw_update(Claim.objects.filter(pk__in=[c.pk for c in due.values()]), quote="Ketamine")
    for name, statement in [("a", "Relief within hours."), ("c", "A cure for depression.")]:
        raw_update(Claim.objects.filter(pk=due[name].pk), statement=statement)
    client.force_login(reviewer)
    assert statements(client.get(QUEUE, {"hint": "time-to-effect"})) == ["a"]
    assert statements(client.get(QUEUE, {"hint": "hype"})) == ["c"]
    assert client.get(QUEUE, {"hint": "spin"}).status_code == 400


@pytest.mark.parametrize(
    "query", [{"topic": "astrology"}, {"sort": "newest"}, {"hint": "spin"}, {"page": "x"}]
)
def test_a_bad_filter_or_page_is_a_400(client, reviewer, due, query):
    client.force_login(reviewer)
    response = client.get(QUEUE, query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_the_queue_is_paged_by_its_links(client, reviewer, due, monkeypatch):
    monkeypatch.setattr("claimtrack.watch.views.DUE_PER_PAGE", 2)
    client.force_login(reviewer)
    first = client.get(QUEUE, {"sort": "due"})
    assert statements(first) == ["b", "a"]
    cursor = first.context["page"].next_cursor
    assert cursor
    second = client.get(QUEUE, {"sort": "due", "page": 2, "after": cursor})
    assert statements(second) == ["c"]
    assert not second.context["page"].has_next()


def test_the_queue_runs_as_many_queries_for_more_claims(client, reviewer, due, article):
    client.force_login(reviewer)
    for sort in ("flagged", "read", "due"):
        with CaptureQueriesContext(connection) as few:
            assert client.get(QUEUE, {"sort": sort}).status_code == 200
        for i in range(6):
            claim = make_claim(
                article, slug=f"more-{sort}-{i}", status="unverifiable", rationale="Vague."
            )
            raw_update(Claim.objects.filter(pk=claim.pk), review_due_on=days_ago(i))
            flag(claim, reviewer, "outdated")
            count_read(article.slug, claim.slug)
        with CaptureQueriesContext(connection) as many:
            assert client.get(QUEUE, {"sort": sort}).status_code == 200
        assert len(many) == len(few)


def test_the_queue_costs_a_fixed_number_of_queries(
    client, reviewer, due, django_assert_num_queries
):
    client.force_login(reviewer)
    client.get(QUEUE)  # the session and the permissions, once warmed
    # The session, the user, the user's permissions and their groups', whether they have a
    # public profile (the admin's header), and one for the page of due claims with its counts.
    with django_assert_num_queries(6):
        assert client.get(QUEUE).status_code == 200


# Counting reads.


def test_a_read_is_counted_in_one_query(article, reviewed_claim, django_assert_num_queries):
    claim = reviewed_claim
    with django_assert_num_queries(1):
        count_read(article.slug, claim.slug)
    count_read(article.slug, claim.slug)
    count_read(article.slug, claim.slug, day=days_ago(1))
    rows = dict(ClaimReads.objects.filter(claim=claim).values_list("day", "reads"))
    assert rows == {TODAY: 2, days_ago(1): 1}


def test_reads_of_a_draft_or_a_missing_claim_count_nothing(article):
    draft = make_claim(article, status="unverifiable", rationale="Vague.", published_at=None)
    count_read(article.slug, draft.slug)
    count_read(article.slug, "no-such-claim")
    count_read("no-such-article", draft.slug)
    assert not ClaimReads.objects.exists()


def test_pages_served_from_the_cache_are_counted_too(client, reviewed_claim):
    url = reviewed_claim.get_absolute_url()
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert ClaimReads.objects.get(claim=reviewed_claim).reads == 3


def test_reading_does_not_make_the_cached_page_stale(client, reviewed_claim):
    from claimtrack.claims.models import PublicVersion

    version = PublicVersion.objects.current()
    client.get(reviewed_claim.get_absolute_url())
    assert PublicVersion.objects.current() == version


# The verdict stands.


def test_an_editor_says_a_verdict_stands_from_the_queue(client, editor, reviewed_claim):
    Claim.objects.filter(pk=reviewed_claim.pk).make_due(why="A cited source was retracted.")
    client.force_login(editor)
    assert "Verdict stands" in client.get(QUEUE).content.decode()
    response = client.post(f"{QUEUE}{reviewed_claim.pk}/confirm/", {"note": "Nothing new."})
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert not Claim.objects.due_for_review().exists()
    assert reviewed_claim.changes.filter(kind=ChangeKind.RECHECK, note="Nothing new.").exists()


def test_reviewers_may_not_confirm_a_verdict(client, reviewer, reviewed_claim):
    Claim.objects.filter(pk=reviewed_claim.pk).make_due(why="A cited source was retracted.")
    client.force_login(reviewer)
    assert "Verdict stands" not in client.get(QUEUE).content.decode()
    response = client.post(f"{QUEUE}{reviewed_claim.pk}/confirm/", {"note": "Nothing new."})
    assert response.status_code == 403
    assert Claim.objects.due_for_review().exists()


@pytest.mark.parametrize("note", ["", "x" * 1001])
def test_a_confirmation_without_a_fitting_note_is_a_400(client, editor, reviewed_claim, note):
    Claim.objects.filter(pk=reviewed_claim.pk).make_due(why="A cited source was retracted.")
    client.force_login(editor)
    response = client.post(f"{QUEUE}{reviewed_claim.pk}/confirm/", {"note": note})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Claim.objects.due_for_review().exists()


def test_my_work_links_to_the_queue(client, reviewer):
    client.force_login(reviewer)
    assert f'href="{QUEUE}"' in client.get("/desk/my-work/").content.decode()
