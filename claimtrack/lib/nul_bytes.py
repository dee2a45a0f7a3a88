"""Refuse a request whose query, form or cookies hold a NUL character: a 400, before any view.

PostgreSQL cannot store or compare text holding NUL (psycopg raises DataError, a 500), and no
honest client sends one. Forms already refuse it field by field (Django's CharField), but the
admin's list filters, its search and the session cookie reach the database without a form.
"""

from django.core.exceptions import BadRequest

NUL = "\x00"


def holds_nul(pairs):
    return any(NUL in key or NUL in value for key, value in pairs)


class RefuseNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forms = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        sent = [(key, value) for data in forms for key, values in data.lists() for value in values]
        if holds_nul(sent) or holds_nul(request.COOKIES.items()):
            raise BadRequest("A parameter holds a NUL character.")
        return self.get_response(request)
