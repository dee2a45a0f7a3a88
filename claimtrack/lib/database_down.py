"""While the database cannot be reached, readers get a page that says so (503, try again
shortly) instead of the generic error page, and nothing is logged as a bug: it is an outage.
An address ending in .json (the JSON export, the article suggestions) is asked for by a
program: it gets the same 503 as JSON, {"error": "database unavailable", "message": ...}.

Connections are health-checked before reuse (CONN_HEALTH_CHECKS), so the first request after the
database is back opens a new one: the app recovers with no restart.
"""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.shortcuts import render

from claimtrack.lib.json_errors import json_error, wants_json

logger = logging.getLogger("claimtrack.database")
RETRY_AFTER_SECONDS = 30


def database_answers():
    """Whether the database answers now: OperationalError is also what a refused query raises
    (SQLite's "LIKE or GLOB pattern too complex"), which is no outage."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)) or database_answers():
            return None  # a bug or a query the database refused: the server error it is
        reason = (str(exception).strip().splitlines() or [type(exception).__name__])[0]
        logger.error("database unavailable: %s", reason)
        if wants_json(request):
            response = json_error("The database cannot be reached: try again shortly.", 503)
        else:
            response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
