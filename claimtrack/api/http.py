"""What every API answer goes through: the rate limit, then the conditional GET and the cache.

Rate limit: ninja's sliding window (AnonRateThrottle) per client address as claimtrack.lib
reads it (TRUSTED_PROXIES), so that no client can pick its own address in X-Forwarded-For.
Counted before the cache answers: a cached answer is still a request.

The answer's ETag is the public version's page key (claims.pagecache): it changes the moment
any change to the public data commits, so a revalidation (If-None-Match) costs one small query
and answers 304 before anything is read or rendered. A 200 is filed in the page cache under the
same key, so a popular page is rendered once per version. Every answer says how long it may be
reused (API_MAX_AGE), publicly: the API reads no cookie and serves everyone the same data.
"""

import functools
import math

from django.conf import settings
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


def open_data(run):
    """Wrap an API operation (ninja's decorate_view): see the module docstring."""

    @functools.wraps(run)
    def answer(request, *args, **kwargs):
        if settings.API_RATE_LIMIT:
            throttle = ClientThrottle(settings.API_RATE_LIMIT)
            if not throttle.allow_request(request):
                return too_many_requests(throttle.wait())
        key = page_key(request, PublicVersion.objects.current())
        etag = f'"{key}"'
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = cached_page(key)
        if response is None:
            response = run(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                file_page(key, response)
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=settings.API_MAX_AGE)
        return response

    return answer
