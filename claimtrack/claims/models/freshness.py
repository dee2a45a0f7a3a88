"""The public version: one row whose token changes whenever anything the public pages show
changes, so that a page cached under the old token is never served again.

It lives in the database, not in the cache, and changes with one UPDATE in the transaction that
changes the data: the new token becomes visible exactly when the change commits, to every app
process, whatever the cache backend (a worker's local-memory cache that never saw the change
would otherwise go on serving the old verdict). claimtrack.claims.freshness bumps it on every
write to an editorial row; claimtrack.claims.pagecache reads it once per anonymous request.

The token is random, not a counter: a transaction that rolls back, or a database restored from
an older dump, would bring a counter back to a value some cached page was already filed under
with other data.
"""

import secrets
import threading
from contextlib import contextmanager

from django.db import connections, models, transaction
from django.db.models import Q

THE_ROW = 1
_bulk = threading.local()


def new_token():
    return secrets.token_hex(8)


class PublicVersionManager(models.Manager):
    def current(self):
        """The token to file pages under. One query (two the first time after the table was
        emptied, e.g. by a test's flush: the row is made again). Plain SQL: every anonymous
        request reads it, and a 304 is little else (the ORM's query building cost as much as
        the query)."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"SELECT token FROM {self.model._meta.db_table} WHERE id = %s", [THE_ROW]
            )
            row = cursor.fetchone()
        token = row[0] if row else None
        if token is None:
            token = self.get_or_create(pk=THE_ROW, defaults={"token": new_token()})[0].token
        return token

    def bump(self):
        """A new token, in the current transaction: call it in the transaction that changes what
        the public is shown (freshness.py does for every save and delete). Skipped inside
        in_bulk(), which bumped once for all its writes."""
        if getattr(_bulk, "depth", 0):
            return
        token = new_token()
        if self.filter(pk=THE_ROW).update(token=token):
            return
        # No row (the table was emptied). Someone may make it at the same moment: then set ours.
        _, created = self.get_or_create(pk=THE_ROW, defaults={"token": token})
        if not created:
            self.filter(pk=THE_ROW).update(token=token)

    @contextmanager
    def in_bulk(self):
        """Thousands of writes (loading fixtures), one bump: the block runs in one transaction
        that bumps as it starts, so the new token is visible when, and only when, all the
        block's writes are. Writes that bypass signals (bulk_create) are covered too."""
        with transaction.atomic():
            self.bump()
            _bulk.depth = getattr(_bulk, "depth", 0) + 1
            try:
                yield
            finally:
                _bulk.depth -= 1


class PublicVersion(models.Model):
    """The version of everything public (see the module docstring). Exactly one row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=THE_ROW, editable=False)
    token = models.CharField(max_length=32)

    objects = PublicVersionManager()

    class Meta:
        constraints = [
            # bump() updates the row by its key: a second row would be a second version that
            # nobody reads.
            models.CheckConstraint(condition=Q(id=THE_ROW), name="public_version_one_row"),
        ]

    def __str__(self):
        return f"public version {self.token}"
