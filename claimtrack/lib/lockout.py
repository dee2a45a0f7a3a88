"""What a throttled login gets (django-axes' AXES_LOCKOUT_CALLABLE): a 429 page that says why
and for how long, with Retry-After, for the login page and the admin's alike."""

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


def locked_out(request, credentials, *args, **kwargs):
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response = render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
