"""Pages of long lists that never count the whole table, and deep pages as cheap as the first.

The public lists (claims, the corrections log, articles) read one row more than a page holds,
to know whether a next page exists: one query per page, no COUNT(*). They link to the previous
and next pages and name the page they show, never "of M".

The Next and Previous links carry a cursor: the sort key of the page's last (or first) row, in
the list's own order (keyset pagination). The next page is then the rows after that key, read
from where an index puts them, so page 1,000 reached by its links costs what page 1 costs.
A bare ?page=N has no cursor and is read with OFFSET, which reads and drops every row before
the page: it stops at MAX_ROWS (a 400 that says to follow the links or narrow the filters).

The admin's changelists have to show a count. Below EstimatedCountPaginator.exact_below rows
it is exact; above, on PostgreSQL, it is the planner's estimate: pg_class.reltuples for the
whole table, the row estimate of EXPLAIN for a filtered list. SQLite is always counted exactly
(its tables here are small, and it keeps no estimate).
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, OrderBy, Q
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
    # Python refuses to read a number of more than 4,300 digits (ValueError); far fewer
    # already name a page past any list, which the caller turns into its "past the end".
    digits = raw.lstrip("-").lstrip("0") or "0"
    if len(digits) > 18:
        raise BadPage("That page number is too large.")
    number = -int(digits) if raw.startswith("-") else int(digits)
    if number < 1:
        raise BadPage("Page numbers start at 1.")
    return number


class PeekPage:
    """One page of a list, read with one row more to know whether another page follows."""

    def __init__(self, object_list, number, per_page, has_next, capped=False, has_previous=None):
        self.object_list, self.number, self.per_page = object_list, number, per_page
        self._has_next = has_next
        self._has_previous = number > 1 if has_previous is None else has_previous
        self.capped = capped  # more rows follow, past the last page a list has
        self.next_cursor = self.previous_cursor = ""  # set by keyset_page()

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self._has_previous

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
            f"{-(-max_rows // per_page)}, when asked for by number: follow the Next links "
            "from there, or narrow the filters, to reach the others."
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


# Keyset pagination: the sort key of a row, carried in the page links as a cursor.


@dataclass(frozen=True)
class SortKey:
    """One term of a list's ORDER BY: a field path, its direction, and whether it may be NULL
    (then NULLs come last both ways, as NullsLastOrderingFilter orders them)."""

    name: str
    descending: bool
    nullable: bool

    def value(self, row):
        value = row
        for part in self.name.split("__"):
            value = getattr(value, part)
        return value

    def after(self, value):
        """Rows past value in this key's order (NULLs last)."""
        if value is None:
            return Q(pk__in=[])  # nothing comes after the NULLs
        past = Q(**{f"{self.name}__{'lt' if self.descending else 'gt'}": value})
        return past | Q(**{f"{self.name}__isnull": True}) if self.nullable else past

    def before(self, value):
        """Rows ahead of value in this key's order."""
        if value is None:
            return Q(**{f"{self.name}__isnull": False})
        return Q(**{f"{self.name}__{'gt' if self.descending else 'lt'}": value})

    def equal(self, value):
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def order(self, reverse=False):
        """The ORDER BY term for this key, or for reading the list backwards."""
        descending = self.descending != reverse
        field = F(self.name)
        if not self.nullable:
            return field.desc() if descending else field.asc()
        # NULLs last in the list's order, so first when it is read backwards.
        if reverse:
            return field.desc(nulls_first=True) if descending else field.asc(nulls_first=True)
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)


def sort_keys(queryset):
    """The queryset's ORDER BY as SortKeys, ending with the primary key (added if missing), or
    None when a term is not a plain field or annotation (then pages fall back to OFFSET)."""
    keys = []
    for term in queryset.query.order_by or queryset.model._meta.ordering:
        if isinstance(term, str):
            descending, name = term.startswith("-"), term.removeprefix("-")
            nulls_last = False
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            descending, name = term.descending, term.expression.name
            nulls_last = bool(term.nulls_last)
        else:
            return None
        name = "pk" if name == queryset.model._meta.pk.name else name
        nullable = nulls_last or is_nullable(queryset.model, name)
        keys.append(SortKey(name, descending, nullable))
        if name == "pk":
            return keys
    return [*keys, SortKey("pk", False, False)]


def is_nullable(model, path):
    """Whether the field at path may be NULL. An annotation (a search's rank) may not."""
    for name in path.split("__"):
        if name == "pk":
            return False
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if field.null:
            return True
        model = field.related_model or model
    return False


DAMAGED = "This page link is damaged: start again from the first page."


def encode_cursor(keys, row):
    values = [key.value(row) for key in keys]
    text = json.dumps(
        [v.isoformat() if isinstance(v, datetime.date) else v for v in values],
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(keys, cursor):
    """The values a cursor carries, one per key; BadPage when it is not one of ours."""
    damaged = BadPage(DAMAGED)
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        raise damaged from None
    if not isinstance(values, list) or len(values) != len(keys):
        raise damaged
    if not all(v is None or isinstance(v, str | int | float) for v in values):
        raise damaged
    return values


def past(keys, values, backwards=False):
    """Rows strictly after (or before, backwards) the row whose sort key is values."""
    condition, same = Q(pk__in=[]), Q()
    for key, value in zip(keys, values, strict=True):
        step = key.before(value) if backwards else key.after(value)
        condition |= same & step
        same &= key.equal(value)
    first, value = keys[0], values[0]
    if value is not None and not first.nullable:
        # The same bound again, alone: an index on the first key is then read from there on.
        look = "lte" if first.descending != backwards else "gte"
        condition &= Q(**{f"{first.name}__{look}": value})
    return condition


def keyset_page(queryset, number, per_page, after=None, before=None):
    """Page `number` of the ordered queryset: the rows after the cursor `after` (or before
    `before`), in one query, whatever the depth. Falls back to peek_page (OFFSET) without a
    cursor or for an ordering it cannot follow. Sets the page's next and previous cursors."""
    keys = sort_keys(queryset)
    if keys is None or not (after or before):
        page = peek_page(queryset, number, per_page)
    else:
        values = decode_cursor(keys, after or before)
        backwards = bool(before) and not after
        try:
            rows = queryset.filter(past(keys, values, backwards))
            if backwards:
                rows = rows.order_by(*(key.order(reverse=True) for key in keys))
            rows = list(rows[: per_page + 1])
        except (ValidationError, ValueError, TypeError):
            raise BadPage(DAMAGED) from None  # values of the wrong kind for the keys
        more = len(rows) > per_page
        rows = rows[:per_page]
        if backwards:
            rows.reverse()
            page = PeekPage(rows, number, per_page, has_next=True, has_previous=more)
        else:
            if not rows and number > 1:
                raise PastTheEnd(f"There is no page {number} of this list.")
            page = PeekPage(rows, number, per_page, has_next=more, has_previous=True)
    if keys is not None and page.object_list:
        if page.has_next():
            page.next_cursor = encode_cursor(keys, page.object_list[-1])
        if page.has_previous() and number > 2:
            page.previous_cursor = encode_cursor(keys, page.object_list[0])
    if keys is not None and page.capped:
        page._has_next, page.capped = True, False  # past OFFSET's end, the links go on
        page.next_cursor = encode_cursor(keys, page.object_list[-1])
    return page


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
