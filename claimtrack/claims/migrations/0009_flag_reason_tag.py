"""A flag's reason becomes a reason tag (1 of 3): a column for the tag beside the old reason.

The constraints on the old column go first, so that migrating back puts them on again only
after 0010 has given every flag its old reason back.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_drafts_and_publishing")]

    operations = [
        migrations.RemoveConstraint(
            model_name="flag", name="flag_one_open_per_reviewer_claim_reason"
        ),
        migrations.RemoveConstraint(model_name="flag", name="flag_reason_valid"),
        migrations.AddField(
            model_name="flag",
            name="reason_tag",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="claims.reasontag",
            ),
        ),
        migrations.AddField(
            model_name="historicalflag",
            name="reason_tag",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="claims.reasontag",
            ),
        ),
    ]
