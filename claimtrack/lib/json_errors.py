"""Errors in JSON for whoever asked for JSON: the API (/api/), the .json exports and lookups,
and any client whose Accept header prefers it. Everyone else gets the site's error pages.

Django's error handlers (handler400, handler403, handler404, handler500 in claimtrack.urls) and
the outage page (database_down) ask wants_json() first: an address that matches no route, a
request refused by a middleware, a server error, all then answer as the API's own errors do:
{"error": "...", "errors": {}}.
"""

from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def wants_json(request):
    if request.path.startswith(API_PREFIX) or request.path.endswith(".json"):
        return True
    accept = request.headers.get("Accept", "")
    return accept.startswith("application/json")


def json_error(message, status):
    return JsonResponse({"error": message, "errors": {}}, status=status)


def bad_request(request, exception):
    if wants_json(request):
        return json_error(f"Bad request: {exception}" if str(exception) else "Bad request.", 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if wants_json(request):
        return json_error("Forbidden.", 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if wants_json(request):
        return json_error("Not found.", 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if wants_json(request):
        return json_error("Server error: it is logged, and we will look into it.", 500)
    return defaults.server_error(request)
