"""Pages of long lists that never count the whole table.

The public lists (claims, the corrections log, articles) read one row more than a page holds,
to know whether a next page exists: one query per page, no COUNT(*). They link to the previous
and next pages and name the page they show, never "of M".

The admin's changelists have to show a count. Below EstimatedCountPaginator.exact_below rows
it is exact; above, on PostgreSQL, it is the planner's estimate: pg_class.reltuples for the
whole table, the row estimate of EXPLAIN for a filtered list. SQLite is always counted exactly
(its tables here are small, and it keeps no estimate).
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


class BadPage(Exception):
    """A page parameter that is not a page number: a 400 with this message."""


class PastTheEnd(Exception):
    """A page number after the last page: a 404 that links back to the first."""


def page_number(raw):
    """The page number a GET parameter asks for: empty is 1; else BadPage."""
    raw = (raw or "1").strip()
    if not raw.isascii() or not raw.lstrip("-").isdigit():
        raise BadPage(f"Page must be a whole number, not “{raw[:20]}”.")
    number = int(raw)
    if number < 1:
        raise BadPage("Page numbers start at 1.")
    return number


class PeekPage:
    """One page of a list, read with one row more to know whether another page follows."""

    def __init__(self, object_list, number, per_page, has_next):
        self.object_list, self.number, self.per_page = object_list, number, per_page
        self._has_next = has_next

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_previous() or self.has_next()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    def start_index(self):
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self):
        return (self.number - 1) * self.per_page + len(self.object_list)


def peek_page(queryset, number, per_page):
    """Page `number` of the ordered queryset, in one query (OFFSET and LIMIT per_page + 1).

    An empty first page is a page (an empty list); an empty later page raises PastTheEnd."""
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    if not rows and number > 1:
        raise PastTheEnd(f"There is no page {number} of this list.")
    return PeekPage(rows[:per_page], number, per_page, has_next=len(rows) > per_page)


def estimated_count(queryset):
    """The planner's estimate of the rows in queryset, or None where there is none (SQLite, a
    table never analysed). Reads no rows."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        if not queryset.query.where:
            # The whole table: what ANALYZE and autovacuum last found.
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [connection.ops.quote_name(queryset.model._meta.db_table)],
            )
            row = cursor.fetchone()
            if row and row[0] >= 0:
                return int(row[0])
        sql, params = queryset.order_by().query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """The admin's paginator: counts exactly up to exact_below rows, estimates beyond.

    Counting a big table scans all of it on every page view; an admin list needs only the
    size of the list, not the last row of it. Whether the list is small is told by the
    estimate, so a big table is never counted."""

    exact_below = 10_000

    @cached_property
    def count(self):
        estimate = estimated_count(self.object_list)
        if estimate is not None and estimate >= self.exact_below:
            return estimate
        return super().count
