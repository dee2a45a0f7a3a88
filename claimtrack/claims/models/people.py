"""The staff behind the desk: what each of them wants to be told."""

from django.conf import settings
from django.db import models


class StaffProfileManager(models.Manager):
    def of(self, user):
        """The user's profile, or an unsaved one with the defaults: a profile is made on demand,
        the first time its owner changes a setting."""
        return self.filter(user=user).first() or self.model(user=user)

    def set_email_on_flags(self, user, wanted):
        profile, _ = self.update_or_create(user=user, defaults={"email_on_flags": wanted})
        return profile

    def to_email_about_flags(self, users, *, actor):
        """Of users (None allowed), those to email about a flag, each once, in order: nobody is
        told of their own action (actor), nor without an email address, nor inactive, nor
        after turning these emails off. One query."""
        candidates = []
        for user in users:
            if user is None or (actor is not None and user.pk == actor.pk):
                continue
            if user.email and user.is_active and user not in candidates:
                candidates.append(user)
        if not candidates:
            return []
        opted_out = set(
            self.filter(user__in=candidates, email_on_flags=False).values_list("user", flat=True)
        )
        return [user for user in candidates if user.pk not in opted_out]


class StaffProfile(models.Model):
    """One person's settings. Made on demand (StaffProfile.objects.of): no row, the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    email_on_flags = models.BooleanField(
        "email me about flags",
        default=True,
        help_text="When a flag is raised on a claim I reviewed, and when a flag is assigned to "
        "me (never about my own actions).",
    )

    objects = StaffProfileManager()

    class Meta:
        verbose_name = "staff profile"

    def __str__(self):
        return f"Settings of {self.user.get_username()}"
