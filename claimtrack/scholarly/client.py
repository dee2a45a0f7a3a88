"""One polite, patient GET for the scholarly services (Crossref, NCBI).

An editor is waiting on the page, so patience is short: a few attempts, a short wait between
them, and a server's Retry-After honoured only up to a few seconds. Whatever still fails becomes
LookupFailed, in words an editor can act on.
"""

from importlib.metadata import PackageNotFoundError, version
from time import sleep

import httpx
from django.conf import settings

ATTEMPTS = 3
BACKOFF = 0.5  # seconds before the second attempt, doubled before each one after
RETRY_AFTER_CAP = 5.0  # seconds: a longer wait is not worth an editor's time; they retry later

try:
    VERSION = version("claimtrack")
except PackageNotFoundError:  # a checkout run without installing it
    VERSION = "dev"


class LookupFailed(Exception):
    """The lookup found nothing usable. The message says what happened and what to do."""


class NotFound(LookupFailed):
    """The service answered, and has no such record (unlike a failure, worth remembering)."""


def user_agent():
    contact = f"mailto:{settings.SCHOLARLY_CONTACT_EMAIL}"
    about = (
        f"+{settings.SCHOLARLY_PROJECT_URL}; {contact}"
        if settings.SCHOLARLY_PROJECT_URL
        else contact
    )
    return f"claimtrack/{VERSION} ({about})"


def retry_after(response, default):
    """The server's requested wait in seconds (capped), or the default backoff."""
    try:
        seconds = float(response.headers.get("Retry-After", ""))
    except ValueError:
        return default  # absent, or an HTTP date: not worth parsing for a short wait
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def get_json(service, url, params):
    """GET url and return its JSON; None when the service answers 404 (no such record).

    `service` names it in the messages ("Crossref", "PubMed")."""
    headers = {"User-Agent": user_agent(), "Accept": "application/json"}
    wait, problem = BACKOFF, ""
    with httpx.Client(timeout=settings.SCHOLARLY_TIMEOUT, headers=headers) as client:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = client.get(url, params=params)
            except httpx.TimeoutException:
                problem, pause = "timed out", wait
            except httpx.TransportError:
                problem, pause = "no connection", wait
            else:
                if response.status_code == 404:
                    return None
                if response.status_code == 429 or response.status_code >= 500:
                    problem = f"it answered {response.status_code}"
                    pause = retry_after(response, wait)
                elif response.is_success:
                    return read_json(service, response)
                else:
                    raise LookupFailed(
                        f"{service} refused the lookup (it answered {response.status_code}). "
                        "Check the identifier, or fill in the fields by hand."
                    )
            if attempt < ATTEMPTS:
                sleep(pause)
                wait *= 2
    raise LookupFailed(
        f"{service} could not be reached ({problem}). Fill in the fields by hand or try again."
    )


def read_json(service, response):
    try:
        return response.json()
    except ValueError:
        raise LookupFailed(
            f"{service} sent an answer that could not be read. "
            "Fill in the fields by hand or try again later."
        ) from None
