"""What every editorial model shares: permissions, choice constraints, natural keys."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

# Permissions, granted to the groups made in migration 0002.
REVIEW_CLAIM = "claims.review_claim"  # change what the public is told: verdict and evidence
RAISE_FLAG = "claims.add_flag"
SETTLE_FLAG = "claims.settle_flag"


def require_permission(user, perm, action):
    """user None is the system itself (fixture loading, data migrations)."""
    if user is not None and not user.has_perm(perm):
        raise PermissionDenied(f"You are not allowed to {action}.")


def choices_constraint(field, choices, name, allow_blank=False):
    values = list(choices.values) + ([""] if allow_blank else [])
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)


class SlugKeyManager(models.Manager):
    """Fixtures refer to these rows by slug, so loading them twice updates instead of copying."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)
