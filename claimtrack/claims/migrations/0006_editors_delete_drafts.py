"""Editors may delete an unreviewed draft (a claim added by mistake). A claim that was ever
reviewed stays, whoever asks: Claim.delete and the admin refuse it (see the rules)."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    perm = Permission.objects.filter(content_type__app_label="claims", codename="delete_claim")
    if editors is not None and perm.exists():
        editors.permissions.add(*perm)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(*Permission.objects.filter(codename="delete_claim"))


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_record_what_is_stored")]

    operations = [migrations.RunPython(grant, revoke)]
