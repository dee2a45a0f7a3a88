"""The address a request came from, for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

Served directly, that is REMOTE_ADDR, which no client can forge. Behind TRUSTED_PROXIES proxies
(a load balancer, then nginx: 2), REMOTE_ADDR is the last proxy's, and the client's is the entry
that the first trusted proxy appended to X-Forwarded-For: the N-th from the right. Entries left
of it were sent by the client and may say anything, so they are never read.
"""

from django.conf import settings


def client_ip(request):
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
