import secrets

from django.db import migrations, models


def make_the_row(apps, schema_editor):
    PublicVersion = apps.get_model("claims", "PublicVersion")
    PublicVersion.objects.get_or_create(pk=1, defaults={"token": secrets.token_hex(8)})


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_evidence_duplicate_message"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicVersion",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(
                        default=1, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="public_version_one_row"
                    )
                ],
            },
        ),
        migrations.RunPython(make_the_row, migrations.RunPython.noop),
    ]
