"""Pages of long lists that never count the whole table.

The public lists (claims, the corrections log, articles) read one row more than a page holds,
to know whether a next page exists: one query per page, no COUNT(*). They link to the previous
and next pages and name the page they show, never "of M". Pages stop after the first MAX_ROWS
rows (OFFSET reads and drops every row before the page, so a deep page would cost as many
times a first page as it is deep): a reader narrows the filters or turns the order around to
reach the rest, and ?page=1000 is answered at once with a 400 that says so.

The admin's changelists have to show a count. Below EstimatedCountPaginator.exact_below rows
it is exact; above, on PostgreSQL, it is the planner's estimate: pg_class.reltuples for the
whole table, the row estimate of EXPLAIN for a filtered list. SQLite is always counted exactly
(its tables here are small, and it keeps no estimate).
"""

import json

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

MAX_ROWS = 1000


class BadPage(Exception):
    """A page parameter that is not a page number, or past MAX_ROWS: a 400 with this message."""


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

    def __init__(self, object_list, number, per_page, has_next, capped=False):
        self.object_list, self.number, self.per_page = object_list, number, per_page
        self._has_next = has_next
        self.capped = capped  # more rows follow, past the last page a list has

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


def peek_page(queryset, number, per_page, max_rows=None):
    """Page `number` of the ordered queryset, in one query (OFFSET and LIMIT per_page + 1).

    An empty first page is a page (an empty list); an empty later page raises PastTheEnd; a
    page starting past max_rows raises BadPage without a query."""
    max_rows = max_rows or MAX_ROWS
    offset = (number - 1) * per_page
    if offset >= max_rows:
        raise BadPage(
            f"Pages stop after the first {max_rows:,} rows of a list, at page "
            f"{-(-max_rows // per_page)}: narrow the filters, or turn the order around, to "
            "reach the others."
        )
    rows = list(queryset[offset : offset + per_page + 1])
    if not rows and number > 1:
        raise PastTheEnd(f"There is no page {number} of this list.")
    more = len(rows) > per_page
    last_allowed = offset + per_page >= max_rows
    return PeekPage(
        rows[:per_page],
        number,
        per_page,
        has_next=more and not last_allowed,
        capped=more and last_allowed,
    )


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
        try:
            sql, params = queryset.order_by().query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing (pk__in=[]): no SQL at all
            return 0
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
