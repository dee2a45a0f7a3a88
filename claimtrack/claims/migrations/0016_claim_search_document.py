"""One search document per claim (claimtrack.claims.search), filled for the claims there are,
and on PostgreSQL the GIN index that full-text search of it uses.

The index is PostgreSQL's own kind over to_tsvector('english', search_document), so it is made
here, on PostgreSQL only, and not declared in Claim.Meta.indexes: SQLite, the embedded default,
could not build it, and would try to whenever it rebuilds the table. It must stay the very
expression ClaimQuerySet.search() queries (search.SEARCH_VECTOR), or PostgreSQL cannot use it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

from claimtrack.claims.search import write_documents

SEARCH_INDEX = GinIndex(
    SearchVector("search_document", config="english"), name="claim_search_document_gin"
)


def fill(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    write_documents(Claim._base_manager.using(schema_editor.connection.alias).all())


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("claims", "Claim"), SEARCH_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("claims", "Claim"), SEARCH_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_evidence_duplicate_message"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_document",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
