"""Pages of the API's lists: keyset pagination, never OFFSET.

A page is the rows after a cursor, in the list's own stable order (ending with the primary
key), read where an index puts them: the ten-thousandth page costs what the first does. The
cursor is the sort key of the page's last row (claims.paginators), opaque to clients; one made
for another list or order, or forged, is a 400, never a wrong page.
"""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError

from claimtrack.claims.paginators import (
    BadPage,
    decode_cursor,
    encode_cursor,
    past,
    sort_keys,
)

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


class BadCursor(Exception):
    """A cursor that is not one of this list's: a 400."""


def keyset(queryset, cursor, limit):
    """(rows, next cursor or None): up to limit rows of the ordered queryset after cursor. One
    query: it reads limit + 1 rows to know whether another page follows."""
    keys = sort_keys(queryset)
    if cursor:
        try:
            values = decode_cursor(keys, cursor)
            queryset = queryset.filter(past(keys, values))
            rows = list(queryset[: limit + 1])
        except (BadPage, ValidationError, ValueError, TypeError):
            raise BadCursor(
                "This cursor is damaged, or belongs to another list or order: "
                "start again without it."
            ) from None
    else:
        rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(keys, rows[-1])


def next_link(request, cursor):
    """The request's own address with the next page's cursor, or None on the last page."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")
