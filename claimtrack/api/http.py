"""What every API answer goes through: the rate limit, then the conditional GET and the cache.

Rate limit: ninja's sliding window (AnonRateThrottle) per client address as claimtrack.lib
reads it (TRUSTED_PROXIES), so that no client can pick its own address in X-Forwarded-For.
Counted before the cache answers: a cached answer is still a request.

The answer's ETag is the public version's page key (claims.pagecache): it changes the moment
any change to the public data commits, so a revalidation (If-None-Match) costs one small query
and answers 304 before anything is read or rendered. A 200 is filed in the page cache under the
same key, so a popular page is rendered once per version. Every answer says how long it may be
reused (API_MAX_AGE), publicly: the API reads no cookie and serves everyone the same data.

A revalidation is answered earlier still, by RevalidationMiddleware, before the parts of the
stack a 304 does not need: it costs about what /healthz does (make bench).
"""

import functools
import math

from django.conf import settings
from django.db import DatabaseError
from django.http import JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from ninja.throttling import AnonRateThrottle

from claimtrack.claims.models import PublicVersion
from claimtrack.claims.pagecache import cached_page, file_page, page_key
from claimtrack.lib.client_ip import client_ip


class ClientThrottle(AnonRateThrottle):
    cache_format = "api-rate:%(ident)s"

    def get_ident(self, request):
        return client_ip(request)

    def get_cache_key(self, request):
        return self.cache_format % {"ident": self.get_ident(request)}


def too_many_requests(wait):
    seconds = max(1, math.ceil(wait or 1))
    response = JsonResponse(
        {
            "error": f"Too many requests from your address: at most {settings.API_RATE_LIMIT}. "
            f"Try again in {seconds} seconds, or use the bulk data files for everything at once."
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    patch_cache_control(response, no_store=True)
    return response


def refused(request):
    """A 429 when the client is past the rate limit, else None. Counts the request once,
    however many times it is asked (the revalidation middleware, then the operation)."""
    if not settings.API_RATE_LIMIT:
        return None
    if not hasattr(request, "_api_refusal"):
        throttle = ClientThrottle(settings.API_RATE_LIMIT)
        allowed = throttle.allow_request(request)
        request._api_refusal = None if allowed else too_many_requests(throttle.wait())
    return request._api_refusal


def etag_of(request):
    """The answer's ETag: the page key at the current public version (one query, once)."""
    if not hasattr(request, "_api_etag"):
        request._api_etag = f'"{page_key(request, PublicVersion.objects.current())}"'
    return request._api_etag


def reusable(response, etag):
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.API_MAX_AGE)
    return response


def open_data(run):
    """Wrap an API operation (ninja's decorate_view): see the module docstring."""

    @functools.wraps(run)
    def answer(request, *args, **kwargs):
        if refusal := refused(request):
            return refusal
        etag = etag_of(request)
        key = etag.strip('"')
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = cached_page(key)
        if response is None:
            response = run(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                file_page(key, response)
        return reusable(response, etag)

    return answer


class RevalidationMiddleware:
    """A revalidation of an API answer (If-None-Match) answered as early as it can be: after
    the CORS headers, before sessions, CSRF, authentication, URL resolving and ninja, none of
    which a 304 needs. The rate limit counts it all the same. Anything else, or a database that
    does not answer, goes on to the operation (open_data), which says the same or more."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and "HTTP_IF_NONE_MATCH" in request.META
            and request.path.startswith("/api/v1/")
            and not request.path.endswith(("/openapi.json", "/docs"))  # by release (urls.py)
        ):
            if refusal := refused(request):
                return refusal
            try:
                etag = etag_of(request)
            except DatabaseError:
                return self.get_response(request)  # the outage page, from the operation
            if response := get_conditional_response(request, etag=etag):
                return reusable(response, etag)
        return self.get_response(request)
