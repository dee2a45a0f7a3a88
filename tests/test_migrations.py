"""Migrations bring a database made before them up to date, losing nothing: 0005 the record,
0008 drafts and publishing."""

import datetime

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


def test_claims_reviewed_before_drafts_are_published_as_of_their_review(migration_data):
    apps = migrate([("claims", "0007_citation_identifiers")])
    Article, Claim = apps.get_model("claims", "Article"), apps.get_model("claims", "Claim")
    HistoricalClaim = apps.get_model("claims", "HistoricalClaim")
    Group = apps.get_model("auth", "Group")
    assert not Group.objects.filter(name="Reviewers", permissions__codename="add_claim").exists()
    text = "Ketamine can relieve depression within hours. It triggers BDNF release. It is new."
    article = Article.objects.create(slug="news", title="Ketamine news", text=text)
    reviewed_on = datetime.datetime(2026, 11, 22, 9, tzinfo=datetime.UTC)
    created_on = datetime.datetime(2026, 10, 1, 8, tzinfo=datetime.UTC)

    def claim(slug, quote, **fields):
        start = text.index(quote)
        made = Claim.objects.create(
            article=article,
            slug=slug,
            quote=quote,
            quote_start=start,
            quote_end=start + len(quote),
            statement=quote,
            topic="efficacy",
            **fields,
        )
        stored = {f.attname: getattr(made, f.attname) for f in Claim._meta.concrete_fields}
        HistoricalClaim.objects.create(history_date=made.created_at, history_type="+", **stored)
        return made

    reviewed = claim(
        "hours",
        "relieve depression within hours",
        status="supported",
        rationale="Trials.",
        reviewed_at=reviewed_on,
    )
    undated = claim(  # a verdict loaded without a review date: public since it was stored
        "bdnf",
        "It triggers BDNF release.",
        status="unverifiable",
        rationale="Vague.",
        created_at=created_on,
    )
    unreviewed = claim("new", "It is new.")

    apps = migrate(latest())
    Claim = apps.get_model("claims", "Claim")
    HistoricalClaim = apps.get_model("claims", "HistoricalClaim")
    expected = {reviewed.pk: reviewed_on, undated.pk: created_on, unreviewed.pk: None}
    assert dict(Claim.objects.values_list("pk", "published_at")) == expected
    assert dict(HistoricalClaim.objects.values_list("id", "published_at")) == expected
    assert not Claim.objects.exclude(published_by=None).exists()  # nobody published them
    Group = apps.get_model("auth", "Group")
    granted = {
        name: set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        for name in ("Editors", "Reviewers")
    }
    assert "publish_claim" in granted["Editors"]
    assert {"add_claim", "change_claim", "add_evidence", "add_citation"} <= granted["Reviewers"]
    assert not {"publish_claim", "review_claim"} & granted["Reviewers"]
