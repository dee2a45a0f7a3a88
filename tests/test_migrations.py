"""Migration 0005 brings a database made before the record into it, losing nothing."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("claims", "0004_the_record")]


def latest():
    """The newest migration of every app: where the rest of the suite expects the schema."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_stored_rows_are_normalised_pinned_and_given_a_first_history(migration_data):
    apps = migrate(BEFORE)
    Article, Claim = apps.get_model("claims", "Article"), apps.get_model("claims", "Claim")
    ClaimChange, ReasonTag = (
        apps.get_model("claims", "ClaimChange"),
        apps.get_model("claims", "ReasonTag"),
    )
    text = "Ketamine news\r\n\r\nKetamine can relieve depression within hours.\r\n"
    article = Article.objects.create(slug="news", title="Ketamine news", text=text)
    start = text.index("relieve")
    claim = Claim.objects.create(
        article=article,
        slug="hours",
        quote="relieve depression within hours",
        quote_start=start,
        quote_end=start + 31,
        statement="Fast relief.",
        topic="efficacy",
        status="supported",
        rationale="Trials.",
    )
    claim.reason_tags.add(ReasonTag.objects.get(slug="outdated"))
    ClaimChange.objects.create(
        claim=claim,
        kind="verdict",
        new_status="supported",
        note="Loaded from the editorial fixtures.",
    )
    ClaimChange.objects.create(claim=claim, kind="verdict", new_status="supported", note="Editor.")

    apps = migrate(latest())
    Article, Claim = apps.get_model("claims", "Article"), apps.get_model("claims", "Claim")
    article = Article.objects.get()
    assert article.text == "Ketamine news\n\nKetamine can relieve depression within hours.\n"
    claim = Claim.objects.get()
    assert article.text[claim.quote_start : claim.quote_end] == claim.quote
    assert claim.quote_prefix.endswith("Ketamine can ") and claim.quote_suffix.startswith(".")
    notes = apps.get_model("claims", "ClaimChange").objects.values_list("note", flat=True)
    assert list(notes) == ["Editor."]  # the seed load was never a correction
    first = apps.get_model("claims", "HistoricalClaim").objects.get()
    assert (first.history_type, first.status) == ("+", "supported")
    tags = apps.get_model("claims", "HistoricalClaim_reason_tags").objects.filter(history=first)
    assert [tag.reasontag.slug for tag in tags] == ["outdated"]
