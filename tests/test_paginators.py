"""paginators.py: pages that never count the whole table, and the admin's estimated count."""

import pytest
from django.db import connection

from claimtrack.claims import paginators
from claimtrack.claims.models import Article, ClaimChange
from claimtrack.claims.paginators import (
    BadPage,
    EstimatedCountPaginator,
    PastTheEnd,
    estimated_count,
    page_number,
    peek_page,
)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the planner's estimates are PostgreSQL's"
)


@pytest.mark.parametrize("raw, number", [(None, 1), ("", 1), ("1", 1), (" 7 ", 7)])
def test_a_page_number_is_a_positive_whole_number(raw, number):
    assert page_number(raw) == number


@pytest.mark.parametrize(
    "raw, message",
    [
        ("abc", "Page must be a whole number, not “abc”."),
        ("1.5", "Page must be a whole number"),
        ("٣", "Page must be a whole number"),  # a digit, but not one a URL means
        ("0", "Page numbers start at 1."),
        ("-2", "Page numbers start at 1."),
    ],
)
def test_anything_else_is_a_bad_page(raw, message):
    with pytest.raises(BadPage, match=message):
        page_number(raw)


@pytest.fixture
def five(db):
    return [Article.objects.create(slug=f"a{n}", title=f"A{n}", text="Text.").pk for n in range(5)]


def test_a_page_knows_whether_another_follows_without_counting(five, django_assert_num_queries):
    articles = Article.objects.order_by("pk")
    with django_assert_num_queries(1):
        first = peek_page(articles, 1, 2)
        assert [a.pk for a in first.object_list] == five[:2]
    assert first.has_next() and not first.has_previous()
    assert (first.start_index(), first.end_index()) == (1, 2)
    last = peek_page(articles, 3, 2)
    assert [a.pk for a in last.object_list] == five[4:]
    assert not last.has_next() and last.has_previous() and last.previous_page_number() == 2
    assert (last.start_index(), last.end_index()) == (5, 5)
    # Exactly full: the row read ahead is not there, so no next page.
    assert not peek_page(articles, 1, 5).has_next()


def test_a_page_after_the_last_is_past_the_end(five):
    with pytest.raises(PastTheEnd, match="There is no page 4 of this list."):
        peek_page(Article.objects.order_by("pk"), 4, 2)


def test_an_empty_list_has_an_empty_first_page(db):
    page = peek_page(Article.objects.order_by("pk"), 1, 2)
    assert page.object_list == [] and not page.has_other_pages()


def test_the_admin_count_is_exact_below_the_threshold(five, django_assert_num_queries):
    paginator = EstimatedCountPaginator(Article.objects.order_by("pk"), 2)
    assert paginator.count == 5
    assert paginator.num_pages == 3


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite keeps no estimate")
def test_sqlite_has_no_estimate_and_always_counts(five, monkeypatch):
    assert estimated_count(Article.objects.all()) is None
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 0)
    assert EstimatedCountPaginator(Article.objects.order_by("pk"), 2).count == 5


@on_postgresql
def test_above_the_threshold_the_whole_table_is_estimated_from_pg_class(
    five, monkeypatch, django_assert_num_queries
):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_article")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 1)
    paginator = EstimatedCountPaginator(Article.objects.order_by("pk"), 2)
    with django_assert_num_queries(1) as queries:
        assert paginator.count == 5  # what ANALYZE found
    assert "reltuples" in queries.captured_queries[0]["sql"]
    assert "COUNT" not in queries.captured_queries[0]["sql"].upper()


@on_postgresql
def test_a_filtered_list_is_estimated_by_the_planner(five, monkeypatch, django_assert_num_queries):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_article")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 1)
    filtered = Article.objects.filter(title__startswith="A").order_by("pk")
    with django_assert_num_queries(1) as queries:
        estimate = EstimatedCountPaginator(filtered, 2).count
    assert queries.captured_queries[0]["sql"].startswith("EXPLAIN (FORMAT JSON)")
    assert 1 <= estimate <= 5


@on_postgresql
def test_a_small_estimate_is_counted_exactly(five, django_assert_num_queries):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claimchange")
    with django_assert_num_queries(2):  # the estimate says small: then the exact count
        assert EstimatedCountPaginator(ClaimChange.objects.order_by("pk"), 2).count == 0


def test_pages_stop_after_max_rows_without_a_query(five, django_assert_num_queries):
    articles = Article.objects.order_by("pk")
    last = peek_page(articles, 2, 2, max_rows=4)
    assert [a.pk for a in last.object_list] == five[2:4]
    assert not last.has_next() and last.capped  # a fifth row exists, past the last page
    with (
        django_assert_num_queries(0),
        pytest.raises(BadPage, match="at page 2, when asked for by number: follow the Next"),
    ):
        peek_page(articles, 3, 2, max_rows=4)
    assert not peek_page(articles, 3, 2, max_rows=6).capped  # the list ends before the cap


@on_postgresql
def test_a_list_that_can_match_nothing_is_counted_without_sql(five, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert EstimatedCountPaginator(Article.objects.filter(pk__in=[]), 2).count == 0


@pytest.mark.parametrize("raw", ["0" * 10_000, "9" * 5_000, "-" + "1" * 4_400])
def test_a_page_number_of_thousands_of_digits_is_a_bad_page_not_a_crash(raw):
    with pytest.raises(paginators.BadPage):
        paginators.page_number(raw)


def test_leading_zeros_still_read_as_the_number():
    assert paginators.page_number("0002") == 2
