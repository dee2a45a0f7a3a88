import functools

from django.urls import path
from django.utils.cache import get_conditional_response, patch_cache_control

from claimtrack.api.views import api
from claimtrack.claims.pagecache import release


def by_release(view):
    """The OpenAPI document and the docs page change only with the code: their ETag is the
    release's, and a revalidation is a 304 without a query."""

    @functools.wraps(view)
    def conditional_view(request, *args, **kwargs):
        etag = f'"{release()}"'
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = view(request, *args, **kwargs)
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=3600)
        return response

    return conditional_view


# Not named app_name: Django reads a urls module's app_name as its namespace.
api_patterns, api_app, api_namespace = api.urls
for pattern in api_patterns:
    if pattern.name in ("openapi-json", "openapi-view"):
        pattern.callback = by_release(pattern.callback)

urlpatterns = [path("v1/", (api_patterns, api_app, api_namespace))]
