"""One search document per claim (claimtrack.claims.search), filled for the claims there are,
and on PostgreSQL what full-text search of it uses: a tsvector column PostgreSQL generates
from the document and the statement (weighted A, so that the ranking puts the claims that say
the words first), and a GIN index over it.

Both are PostgreSQL's own kinds, made here on PostgreSQL only and not declared on Claim:
SQLite, the embedded default, has no tsvector. A stored column, not an index over an
expression: the search ranks what it finds, and at 100,000 claims parsing every matched
document again for its rank took seconds. The column follows the document and the statement
by itself; changing either column's type means dropping it first.
"""

from django.db import migrations, models

from claimtrack.claims.search import write_documents

VECTOR_SQL = """
    ALTER TABLE claims_claim ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(statement, '')), 'A')
        || setweight(to_tsvector('english', coalesce(search_document, '')), 'D')
    ) STORED
"""
INDEX_SQL = "CREATE INDEX claim_search_vector_gin ON claims_claim USING gin (search_vector)"
DROP_SQL = "ALTER TABLE claims_claim DROP COLUMN search_vector"  # and its index


def fill(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    write_documents(Claim._base_manager.using(schema_editor.connection.alias).all())


def add_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(VECTOR_SQL)
        schema_editor.execute(INDEX_SQL)


def drop_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0015_public_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_document",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(add_vector, drop_vector),
    ]
