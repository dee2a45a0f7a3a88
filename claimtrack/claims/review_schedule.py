"""When a verdict is next due for review: a number of months after it was reviewed, set per topic.

Cochrane re-checks its reviews on a schedule; claimtrack re-checks verdicts the same way. The
months are a setting (REVIEW_INTERVAL_MONTHS, and REVIEW_INTERVAL_MONTHS_BY_TOPIC for topics
that age faster or slower), not rows editable in the admin: an interval is editorial policy
that changes rarely, a change applies to the verdicts given from then on, and a setting keeps
the due date a plain stored date that the review queue reads off an index.

Pure functions (dates in, dates out): the models and the migration that dates the existing
verdicts (0022_review_due) both use them.
"""

import calendar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def add_months(day, months):
    """The same day of the month, months later; the month's last day where it is shorter
    (31 January + 1 month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def interval_months(topic):
    """How many months a verdict on this topic holds before it is due for review."""
    return settings.REVIEW_INTERVAL_MONTHS_BY_TOPIC.get(topic, settings.REVIEW_INTERVAL_MONTHS)


def due_after_review(reviewed_at, topic):
    """The date a verdict reviewed at reviewed_at (a datetime) is next due; None without one."""
    if reviewed_at is None:
        return None
    return add_months(timezone.localdate(reviewed_at), interval_months(topic))


def check_topics(topics):
    """Refuse a per-topic interval for a topic claimtrack does not have (a typo would silently
    leave that topic on the default). Called once the app is ready."""
    unknown = set(settings.REVIEW_INTERVAL_MONTHS_BY_TOPIC) - set(topics)
    if unknown:
        raise ImproperlyConfigured(
            f"REVIEW_INTERVAL_MONTHS_BY_TOPIC names unknown topics: {', '.join(sorted(unknown))}; "
            f"use some of: {', '.join(topics)}."
        )
