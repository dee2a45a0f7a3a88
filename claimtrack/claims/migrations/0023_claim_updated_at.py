"""Claim.updated_at, for the open data API's incremental sync, dated for the claims already
there by the last change the public log records, else their publication or creation."""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def date_existing_claims(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    ClaimChange = apps.get_model("claims", "ClaimChange")
    last_change = (
        ClaimChange.objects.filter(claim=OuterRef("pk"))
        .order_by("-changed_at")
        .values("changed_at")[:1]
    )
    Claim.objects.update(updated_at=Coalesce(Subquery(last_change), "published_at", "created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0022_review_due"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(date_existing_claims, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("published_at__isnull", False)),
                fields=["updated_at", "id"],
                name="claim_published_updated_idx",
            ),
        ),
    ]
