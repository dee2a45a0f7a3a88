"""Whole public pages for anonymous readers from the cache, and conditional GET.

An anonymous reader of a public page (no login, no message waiting) is served the page as it
was rendered at the current public version (models/freshness.py), filed in the cache under the
version, this release of the code and the page's full address. Every write to a verdict,
evidence, flag or article bumps the version in its own transaction (freshness.py), so the first
request after the change commits finds no page under the new version, in any app process,
whichever cache they share or not. A deploy starts a new release, so no page rendered by old
templates outlives it. Reading the version costs one small query; a page from the cache costs
nothing more.

The same key, as the ETag, answers a revalidation (If-None-Match) with a 304 before the page is
rendered or even read from the cache.

Staff are never served a cached page and their pages are never cached: they carry the user's
name, CSRF tokens, the flag form. Every response of these views says Vary: Cookie, so a shared
cache between here and the reader keeps them apart too.
"""

import functools
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from redis.exceptions import RedisError

import claimtrack
from claimtrack.claims.models import PublicVersion

# Pages of versions that are no longer current are never asked for again: they expire.
PAGE_SECONDS = 60 * 60
KEY_PREFIX = "page:"

logger = logging.getLogger(__name__)


@functools.cache
def release():
    """A digest of the code, templates and static files this process serves: after a deploy
    that changed any of them, pages are filed under new keys and old ETags no longer match.
    Read once per process (about a megabyte)."""
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    roots = [Path(claimtrack.__file__).parent, *settings.TEMPLATES[0]["DIRS"]]
    for root in [*roots, *settings.STATICFILES_DIRS]:
        for path in sorted(Path(root).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def page_key(request, version):
    """The page's key, for the cache and the ETag. The address is the absolute one: the page's
    links and structured data name the host it was asked for."""
    material = f"{release()}\n{version}\n{request.build_absolute_uri()}"
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def for_everyone(request):
    """Whether the request gets the page every anonymous reader gets. No query unless the
    request carries a session cookie."""
    return (
        request.method in ("GET", "HEAD")
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.user.is_authenticated
        and SessionStorage.session_key not in request.session
    )


def storable(request, response):
    """A page as any anonymous reader would get it: not an error or a redirect, not a stream,
    setting no cookie (a CSRF token, a session)."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def cached_page(key):
    """The page filed under key, or None. A cache that does not answer is a miss, not an error
    page: the site stays up, rendering every page, while Redis is away. With PAGE_CACHE off
    (the benchmark's uncached rows), always a miss: every page is rendered, ETags still hold."""
    if not settings.PAGE_CACHE:
        return None
    try:
        return cache.get(KEY_PREFIX + key)
    except RedisError as error:
        logger.warning("The page cache did not answer: %s", error)
        return None


def file_page(key, response):
    if not settings.PAGE_CACHE:
        return
    try:
        cache.set(KEY_PREFIX + key, response, PAGE_SECONDS)
    except RedisError as error:
        logger.warning("The page cache did not answer: %s", error)


def public_page(view=None, *, reads_data=True, by_day=False):
    """Serve the view's page to anonymous readers from the cache (see the module docstring).
    reads_data=False: the page shows no data, only the code's, so its key needs
    no version and costs no query. by_day=True: the page also says something about today (a
    claim's review is overdue once its date has passed, with no write to tell the version), so
    its key holds today's date: each day's first reader gets it rendered afresh."""
    if view is None:
        return functools.partial(public_page, reads_data=reads_data, by_day=by_day)

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if not for_everyone(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ["Cookie"])
            return response
        version = PublicVersion.objects.current() if reads_data else ""
        if by_day:
            version = f"{version} {timezone.localdate().isoformat()}"
        key = page_key(request, version)
        etag = f'"{key}"'
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = cached_page(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if not storable(request, response):
                patch_vary_headers(response, ["Cookie"])
                return response
            file_page(key, response)
        response["ETag"] = etag
        patch_cache_control(response, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
        return response

    return cached_view


def conditional_export(view):
    """A 304 for a revalidated export whose claims have not changed since. Exports are streamed
    (never cached) and the same for every reader, staff included (published claims only), so
    every reader gets the ETag. It is weak: each download is stamped with its date and time."""

    @functools.wraps(view)
    def conditional_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        etag = f'W/"{page_key(request, PublicVersion.objects.current())}"'
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
        response["ETag"] = etag
        patch_cache_control(response, no_cache=True)
        return response

    return conditional_view
