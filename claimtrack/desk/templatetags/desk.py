"""The desk's corner of the admin's front page: the queue of flags, at a glance."""

from django import template

from claimtrack.claims.models import Flag

register = template.Library()


@register.simple_tag(takes_context=True)
def flag_queue(context):
    """{"open", "unassigned", "overdue", "mine"} for those who may see flags, else None
    (one query)."""
    user = context["request"].user
    if not user.has_perm("claims.view_flag"):
        return None
    return Flag.objects.queue_counts(user)
