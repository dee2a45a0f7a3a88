"""Drafts and publishing. A claim is a draft until an editor publishes it. Claims that had a
verdict were public the moment it was saved, so they are published as of their review; their
history says so too. Reviewers may now draft claims (wording, verdict, evidence, new citations);
only editors publish, and changing a published claim's verdict still takes review_claim."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.db.models.functions import Coalesce

GRANTS = {
    "Editors": ["publish_claim"],
    "Reviewers": [
        "add_claim",
        "change_claim",
        "delete_claim",
        "add_evidence",
        "change_evidence",
        "delete_evidence",
        "add_citation",
    ],
}


def publish_reviewed(apps, schema_editor):
    for name in ("Claim", "HistoricalClaim"):
        model = apps.get_model("claims", name)
        reviewed = model.objects.exclude(status="unreviewed").filter(published_at__isnull=True)
        reviewed.update(published_at=Coalesce("reviewed_at", "created_at"))


def grant(apps, schema_editor):
    app_config = apps.get_app_config("claims")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            perms = Permission.objects.filter(
                content_type__app_label="claims", codename__in=codenames
            )
            group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            perms = Permission.objects.filter(
                content_type__app_label="claims", codename__in=codenames
            )
            group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_citation_identifiers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="claim",
            options={
                "ordering": ["article_id", "quote_start"],
                "permissions": [
                    ("review_claim", "Can change a published claim's verdict and evidence"),
                    ("publish_claim", "Can publish a drafted claim"),
                ],
            },
        ),
        migrations.AddField(
            model_name="claim",
            name="drafted_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="Empty for claims loaded from the editorial fixtures.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims_drafted",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="claim",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="drafted_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                help_text="Empty for claims loaded from the editorial fixtures.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("published_at__isnull", True),
                    models.Q(("status", "unreviewed"), _negated=True),
                    _connector="OR",
                ),
                name="claim_published_has_verdict",
            ),
        ),
        migrations.RunPython(publish_reviewed, migrations.RunPython.noop),
        migrations.RunPython(grant, revoke),
    ]
