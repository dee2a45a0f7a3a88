"""pg_trgm on PostgreSQL, for the similar claims an editor is shown (desk/similar.py). Nothing
happens on another database, which scores likeness in Python instead."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [TrigramExtension()]
