"""Seed the two editorial roles and the reason-tag vocabulary.

Permissions are normally created after all migrations have run (post_migrate), so create them
here first; otherwise a fresh database would get empty groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "article",
    "claim",
    "claimgroup",
    "citation",
    "evidence",
    "reasontag",
    "flag",
    "claimchange",
]
EDITABLE = ["article", "claim", "claimgroup", "citation", "evidence", "reasontag"]

ROLES = {
    # Read everything in the admin, raise flags, change nothing else.
    "Reviewers": [f"view_{m}" for m in MODELS] + ["add_flag"],
    # Also edit content, change verdicts and settle flags. Claims, history and flags are never
    # deleted: a past verdict must not be lost.
    "Editors": [f"view_{m}" for m in MODELS]
    + [f"add_{m}" for m in EDITABLE]
    + [f"change_{m}" for m in EDITABLE]
    + [
        "delete_evidence",
        "delete_claimgroup",
        "add_flag",
        "change_flag",
        "review_claim",
        "settle_flag",
    ],
}

REASON_TAGS = [
    (
        "overstates-confidence",
        "Overstates scientific confidence",
        "Presents uncertain or preliminary findings as settled.",
    ),
    (
        "overstates-impact",
        "Overstates the impact of a finding",
        "Real finding, but its size, speed or reach is exaggerated.",
    ),
    (
        "inadequate-support",
        "Inadequate support",
        "The evidence offered, or available, is too weak to back the claim.",
    ),
    ("misrepresents-source", "Misrepresents source", "Says a source shows something it does not."),
    (
        "lacks-context",
        "Lacks context",
        "True in part, but leaves out what a reader needs to judge it.",
    ),
    ("cherry-picking", "Cherry-picking", "Cites the favourable evidence and leaves out the rest."),
    (
        "animal-extrapolation",
        "Extrapolates from animal studies",
        "Treats results in animals or cells as if shown in people.",
    ),
    (
        "unidentifiable-source",
        "Unidentifiable source",
        "Refers to a study or figure that cannot be identified or checked.",
    ),
    ("outdated", "Outdated", "Was once the best evidence, but newer findings changed the picture."),
]


def seed(apps, schema_editor):
    app_config = apps.get_app_config("claims")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        assert perms.count() == len(codenames), f"missing permissions for {name}"
        group.permissions.set(perms)

    ReasonTag = apps.get_model("claims", "ReasonTag")
    for slug, name, definition in REASON_TAGS:
        ReasonTag.objects.update_or_create(
            slug=slug, defaults={"name": name, "definition": definition}
        )


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
