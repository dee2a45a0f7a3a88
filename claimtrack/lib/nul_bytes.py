"""Refuse a request whose query or cookies hold a NUL character: a 400, before any view.

PostgreSQL cannot store or compare text holding NUL (psycopg raises DataError, a 500), and no
honest link or browser sends one. The admin's list filters, its search and the session cookie
reach the database without a form, so they are checked here. Posted forms are left to their
fields, which strip NUL from pasted text (an article copied from a PDF may hold one) or refuse
it with a message on the field (Django's CharField).
"""

from django.core.exceptions import BadRequest

NUL = "\x00"


def holds_nul(pairs):
    return any(NUL in key or NUL in value for key, value in pairs)


class RefuseNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = [(key, value) for key, values in request.GET.lists() for value in values]
        if holds_nul(query) or holds_nul(request.COOKIES.items()):
            raise BadRequest("A parameter holds a NUL character.")
        return self.get_response(request)
