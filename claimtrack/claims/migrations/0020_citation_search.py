"""The public sources list and pages: indexes for their sorts and filters, and on PostgreSQL
the trigram indexes their search reads words through.

The search looks for each word inside lower(authors || ' ' || title || ' ' || journal)
(citations.SourceText), the journal filter inside lower(journal): LIKE '%word%', which a
btree cannot serve. Unindexed, PostgreSQL's case-folding scan of 20,000 sources took 100 to
330 ms. pg_trgm's GIN indexes (PostgreSQL's own kind, made here on PostgreSQL only and not
declared on Citation) serve it. Their expressions must stay the very ones the queries
compile to, or PostgreSQL will not use them (tests/test_views_sources.py checks the plan).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import claimtrack.claims.models.common

TRIGRAM_INDEXES = {
    "citation_text_trgm": "lower(authors || ' ' || title || ' ' || journal)",
    "citation_journal_trgm": "lower(journal)",
}


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX {name} ON claims_citation USING gin (({expression}) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class KeepTrigramExtension(TrigramExtension):
    """pg_trgm, on PostgreSQL only (CREATE EXTENSION IF NOT EXISTS: the desk's similar claims
    make it too, and the claims app does not depend on the desk). Kept when this is undone,
    since the desk still needs it."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0019_staff_public_profile"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="citation",
            index=models.Index(fields=["title", "id"], name="citation_title_idx"),
        ),
        migrations.AddIndex(
            model_name="citation",
            index=models.Index(fields=["year", "title", "id"], name="citation_year_idx"),
        ),
        migrations.AddIndex(
            model_name="citation",
            index=claimtrack.claims.models.common.NullsLastIndex(
                models.OrderBy(models.F("year"), descending=True, nulls_last=True),
                models.F("title"),
                models.F("id"),
                name="citation_newest_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("published_at__isnull", False)),
                fields=["id"],
                name="claim_published_pk_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(fields=["citation", "claim"], name="evidence_citation_claim_idx"),
        ),
        KeepTrigramExtension(),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes),
    ]
