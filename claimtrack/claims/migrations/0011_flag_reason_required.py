"""A flag's reason becomes a reason tag (3 of 3): the old reason and the tags column go, the tag
takes the reason's name and is required, and one open flag per reviewer, claim and reason holds
again (0010 mapped the old reasons one to one, so no two open flags collide)."""

import django.db.models.deletion
from django.db import migrations, models

OLD_REASONS = [
    ("unsupported", "Unsupported"),
    ("overstated", "Overstated"),
    ("misquoted", "Misquoted"),
    ("misrepresents_source", "Misrepresents source"),
    ("lacks_context", "Lacks context"),
    ("outdated", "Outdated"),
    ("other", "Other"),
]


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_flag_reasons_become_tags")]

    operations = [
        migrations.RemoveField(model_name="historicalflag_reason_tags", name="flag"),
        migrations.RemoveField(model_name="historicalflag_reason_tags", name="history"),
        migrations.RemoveField(model_name="historicalflag_reason_tags", name="reasontag"),
        migrations.DeleteModel(name="HistoricalFlag_reason_tags"),
        migrations.RemoveField(model_name="flag", name="reason_tags"),
        # A default for the old reason, so that migrating back can put the column in again
        # on rows that exist (0010 then gives each its old reason).
        *(
            migrations.AlterField(
                model_name=model_name,
                name="reason",
                field=models.CharField(choices=OLD_REASONS, default="other", max_length=30),
            )
            for model_name in ("flag", "historicalflag")
        ),
        migrations.RemoveField(model_name="flag", name="reason"),
        migrations.RemoveField(model_name="historicalflag", name="reason"),
        migrations.RenameField(model_name="flag", old_name="reason_tag", new_name="reason"),
        migrations.RenameField(
            model_name="historicalflag", old_name="reason_tag", new_name="reason"
        ),
        migrations.AlterField(
            model_name="flag",
            name="reason",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="flags",
                to="claims.reasontag",
            ),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "open")),
                fields=("claim", "raised_by", "reason"),
                name="flag_one_open_per_reviewer_claim_reason",
                violation_error_code="duplicate_flag",
                violation_error_message="You already have an open flag on this claim for this reason.",
            ),
        ),
    ]
