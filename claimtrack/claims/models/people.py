"""The staff behind the desk: what each of them wants to be told, and how the public meets them.

A staff member appears in public (who reviewed a claim, who changed a verdict) by their public
name, linked to their page (/reviewers/<slug>/): their role, a short bio and the interests they
declare. Never by their login name: the slug is made from the public name, never from it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .common import (
    NormalizedCharField,
    NormalizedTextField,
    choices_constraint,
    free_slug,
    renamed_from,
    slug_base,
)

PROFILE_SLUG = {"max_length": 70, "fallback": "reviewer"}

# The editorial groups made by migration 0002; a public role is named after them.
EDITORS, REVIEWERS = "Editors", "Reviewers"
# Shown for a staff member who gave no name at all (no display name, no first or last name).
UNNAMED = "A claimtrack reviewer"

# The account the evidence watch acts under (it raises flags when a cited source is retracted):
# made by migration 0021, inactive, with no usable password, so nobody can log in as it.
EVIDENCE_WATCH = "evidence-watch"
EVIDENCE_WATCH_NAME = ("Evidence", "watch")  # first and last name: "Evidence watch"


def evidence_watch():
    """The evidence watch's account (see EVIDENCE_WATCH)."""
    return get_user_model().objects.get(username=EVIDENCE_WATCH)


class Interests(models.TextChoices):
    """What a staff member says about their competing interests. Saying "none" is a statement;
    saying nothing is not, and the public page tells the two apart."""

    NOT_STATED = "not_stated", "Not stated"
    NONE = "none", "None declared"
    DECLARED = "declared", "Declared below"


class StaffProfileManager(models.Manager):
    def of(self, user):
        """The user's profile, or an unsaved one with the defaults: a profile is made on demand,
        the first time its owner changes a setting."""
        return self.filter(user=user).first() or self.model(user=user)

    def set_email_on_flags(self, user, wanted):
        return self.set_emails(user, email_on_flags=wanted)

    def set_emails(self, user, **wanted):
        """Set which emails user wants (email_on_flags, email_digest)."""
        profile = self.filter(user=user).first()
        if profile is None:
            return self.make(user, **wanted)
        for name, value in wanted.items():
            setattr(profile, name, value)
        # update_fields: freshness.py knows these settings show on no public page.
        profile.save(update_fields=list(wanted))
        return profile

    def make(self, user, **fields):
        """A new profile for user, with a public slug made from their name."""
        profile = self.model(user=user, **fields)
        profile.slug = self.free_slug(profile.public_name)
        profile.save()
        return profile

    def free_slug(self, name, exclude=None):
        """A slug made from the public name, unique among profiles ("-2", "-3" when taken). A
        slug a profile once had is taken too: its old links still lead to it (renamed_from).
        Never made from the login name, which stays private."""
        return free_slug(self, name, **PROFILE_SLUG, exclude=exclude)

    def renamed_from(self, slug):
        """The profile that once had this slug (the history remembers it), or None."""
        return renamed_from(self, slug)

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


def public_staff():
    """The staff the public may meet, as a User queryset: active staff who are in an editorial
    group, have reviewed a published claim or changed one in public, each with .is_editor.
    Never a user who is not staff. Select the profile with it (select_related("staff_profile"))
    to name them."""
    from .claims import Claim, ClaimChange  # claims.py imports this module

    User = get_user_model()
    in_group = User.groups.through.objects.filter(user=OuterRef("pk"))
    reviewed = Claim.objects.published().filter(reviewed_by=OuterRef("pk"))
    changed = ClaimChange.objects.public().filter(changed_by=OuterRef("pk"))
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Exists(in_group.filter(group__name__in=[EDITORS, REVIEWERS]))
            | Exists(reviewed)
            | Exists(changed)
        )
        .annotate(is_editor=Exists(in_group.filter(group__name=EDITORS)) | Q(is_superuser=True))
    )


def role_of(user):
    """ "Editor" or "Reviewer": the public role, from the editorial groups (public_staff() has
    annotated is_editor; otherwise this reads the groups, a query)."""
    is_editor = getattr(user, "is_editor", None)
    if is_editor is None:
        is_editor = user.is_superuser or user.groups.filter(name=EDITORS).exists()
    return "Editor" if is_editor else "Reviewer"


def public_name_of(user):
    """The name the public sees for a staff member, never their login name. Reads
    user.staff_profile: select_related it, or this costs a query."""
    try:
        return user.staff_profile.public_name
    except StaffProfile.DoesNotExist:
        return user.get_full_name() or UNNAMED


class StaffProfile(models.Model):
    """One person's settings and public profile. Made on demand (StaffProfile.objects.of): no
    row, the defaults, and no public page until one is made (the admin's "My public profile",
    or StaffProfile.objects.make)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    email_on_flags = models.BooleanField(
        "email me about flags",
        default=True,
        help_text="When a flag is raised on a claim I reviewed, and when a flag is assigned to "
        "me (never about my own actions).",
    )
    email_digest = models.BooleanField(
        "email me the weekly digest",
        default=True,
        help_text="Once a week, the claims whose review is due or overdue, mine first.",
    )
    display_name = NormalizedCharField(
        "public name",
        max_length=100,
        blank=True,
        help_text="How the public sees you. Leave empty to use your first and last name. "
        "Your login name is never shown.",
    )
    slug = models.SlugField(
        "address",
        max_length=80,
        unique=True,
        help_text="Your page's address, /reviewers/<address>/, made from your public name.",
    )
    bio = NormalizedTextField(
        "short bio",
        max_length=1000,
        blank=True,
        help_text="Public: your qualifications and what you review, in a few sentences.",
    )
    interests = models.CharField(
        "declared interests",
        max_length=10,
        choices=Interests.choices,
        default=Interests.NOT_STATED,
        help_text="Competing interests: funding, employment, shares, fees, advocacy.",
    )
    interests_statement = NormalizedTextField(
        "interests declared",
        max_length=1000,
        blank=True,
        help_text="Public: the interests you declare (when you declare some).",
    )

    objects = StaffProfileManager()
    # Who changed a public bio, and when; the email setting is nobody's business.
    history = HistoricalRecords(excluded_fields=["email_on_flags", "email_digest"])

    class Meta:
        verbose_name = "staff profile"
        constraints = [
            choices_constraint("interests", Interests, "staffprofile_interests_valid"),
            # "Declared below" says something below; the others say nothing there.
            models.CheckConstraint(
                condition=Q(interests=Interests.DECLARED, interests_statement__gt="")
                | (~Q(interests=Interests.DECLARED) & Q(interests_statement="")),
                name="staffprofile_interests_stated",
            ),
        ]

    def __str__(self):
        return self.public_name

    def get_absolute_url(self):
        return reverse("reviewer_detail", args=[self.slug])

    @property
    def public_name(self):
        """The display name, else the first and last name; reads self.user."""
        return self.display_name or self.user.get_full_name() or UNNAMED

    def clean(self):
        if self.interests == Interests.DECLARED and not self.interests_statement:
            raise ValidationError(
                {"interests_statement": "Say which interests you declare."}, code="required"
            )
        if self.interests != Interests.DECLARED and self.interests_statement:
            raise ValidationError(
                {"interests": "Choose “Declared below” to publish the interests you wrote."},
                code="not_declared",
            )

    def follow_name(self):
        """Give the page an address made from the public name, if it has none or the name
        changed since. The old address keeps leading here (renamed_from)."""
        base = slug_base(self.public_name, **PROFILE_SLUG)
        if not self.slug or not (
            self.slug == base or self.slug.removeprefix(base).lstrip("-").isdigit()
        ):
            self.slug = StaffProfile.objects.free_slug(self.public_name, exclude=self)
