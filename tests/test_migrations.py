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


BEFORE_TAG_REASONS = [("claims", "0007_citation_identifiers")]

# Each reason a flag could have before 0010, and the reason tag it became.
TAG_FOR_OLD_REASON = {
    "unsupported": "inadequate-support",
    "overstated": "overstates-impact",
    "misquoted": "misquoted",
    "misrepresents_source": "misrepresents-source",
    "lacks_context": "lacks-context",
    "outdated": "outdated",
    "other": "other",
}


def test_flag_reasons_become_reason_tags_and_the_other_tags_go_into_the_comment(migration_data):
    apps = migrate(BEFORE_TAG_REASONS)
    ReasonTag = apps.get_model("claims", "ReasonTag")
    ReasonTag.objects.filter(slug__in=["misquoted", "other"]).delete()  # as before 0010
    tags = {tag.slug: tag for tag in ReasonTag.objects.all()}
    article = apps.get_model("claims", "Article").objects.create(
        slug="news", title="News", text="Ketamine works."
    )
    claim = apps.get_model("claims", "Claim").objects.create(
        article=article,
        slug="works",
        quote="Ketamine works.",
        quote_start=0,
        quote_end=15,
        statement="Ketamine works.",
        topic="efficacy",
    )
    rita = apps.get_model("auth", "User").objects.create(username="rita")
    Flag = apps.get_model("claims", "Flag")
    flags = {
        reason: Flag.objects.create(
            claim=claim, raised_by=rita, reason=reason, comment=f"About {reason}."
        ).pk
        for reason in TAG_FOR_OLD_REASON
    }
    lacks_context = Flag.objects.get(pk=flags["lacks_context"])
    lacks_context.reason_tags.add(tags["outdated"], tags["lacks-context"], tags["cherry-picking"])
    Flag.objects.filter(pk=flags["outdated"]).update(comment="")
    Flag.objects.get(pk=flags["outdated"]).reason_tags.add(tags["animal-extrapolation"])
    # The overstated flag's first version, as django-simple-history recorded it with its tags.
    overstated = Flag.objects.get(pk=flags["overstated"])
    first = apps.get_model("claims", "HistoricalFlag").objects.create(
        **{f.attname: getattr(overstated, f.attname) for f in Flag._meta.concrete_fields},
        history_date=overstated.created_at,
        history_type="+",
    )
    apps.get_model("claims", "HistoricalFlag_reason_tags").objects.create(
        history=first, id=1, flag=overstated, reasontag=tags["cherry-picking"]
    )

    apps = migrate(latest())
    Flag = apps.get_model("claims", "Flag")
    reasons = dict(Flag.objects.values_list("pk", "reason__slug"))
    assert reasons == {pk: TAG_FOR_OLD_REASON[reason] for reason, pk in flags.items()}
    comments = dict(Flag.objects.values_list("pk", "comment"))
    assert comments[flags["lacks_context"]] == (
        "About lacks_context.\n\nAlso tagged: Cherry-picking, Outdated."
    )
    assert comments[flags["outdated"]] == "Also tagged: Extrapolates from animal studies."
    assert comments[flags["other"]] == "About other."
    first = apps.get_model("claims", "HistoricalFlag").objects.get(id=flags["overstated"])
    assert (first.reason.slug, first.comment) == (
        "overstates-impact",
        "About overstated.\n\nAlso tagged: Cherry-picking.",
    )
    ReasonTag = apps.get_model("claims", "ReasonTag")
    assert dict(
        ReasonTag.objects.filter(slug__in=["misquoted", "other"]).values_list("slug", "definition")
    ) == {
        "misquoted": "The quote or the statement does not match what the article says.",
        "other": "Something else; the reviewer's comment says what.",
    }
    assert apps.get_model("claims", "HistoricalReasonTag").objects.filter(slug="other").exists()
    with pytest.raises(LookupError):
        apps.get_model("claims", "HistoricalFlag_reason_tags")
    assert not hasattr(Flag, "reason_tags")


def test_migrating_back_gives_flags_their_old_reasons(migration_data):
    apps = migrate(latest())
    rita = apps.get_model("auth", "User").objects.create(username="rita")
    article = apps.get_model("claims", "Article").objects.create(slug="n", title="N", text="Yes.")
    claim = apps.get_model("claims", "Claim").objects.create(
        article=article, slug="y", quote="Yes.", quote_end=4, statement="Yes.", topic="other"
    )
    Flag, ReasonTag = apps.get_model("claims", "Flag"), apps.get_model("claims", "ReasonTag")
    for slug in ["overstates-impact", "misquoted", "cherry-picking"]:
        Flag.objects.create(claim=claim, raised_by=rita, reason=ReasonTag.objects.get(slug=slug))
    try:
        apps = migrate(BEFORE_TAG_REASONS)
        reasons = apps.get_model("claims", "Flag").objects.values_list("reason", flat=True)
        assert sorted(reasons) == ["misquoted", "other", "overstated"]  # no old reason: "other"
    finally:
        migrate(latest())


def test_staff_the_public_may_meet_get_a_profile_and_an_address(migration_data):
    """0019: everyone in an editorial group, or who reviewed a published claim, gets a profile
    whose address is made from their name, never from their login name."""
    apps = migrate([("claims", "0018_article_review")])
    User, Group = apps.get_model("auth", "User"), apps.get_model("auth", "Group")
    StaffProfile = apps.get_model("claims", "StaffProfile")
    named = User.objects.create(username="an-login", first_name="Ana", last_name="Bell")
    named.is_staff = True
    named.save()
    named.groups.add(Group.objects.get(name="Reviewers"))
    nameless = User.objects.create(username="nl-login", is_staff=True)
    nameless.groups.add(Group.objects.get(name="Editors"))
    StaffProfile.objects.create(user=nameless, email_on_flags=False)
    User.objects.create(username="reader-login")  # not staff: no profile

    apps = migrate(latest())
    StaffProfile = apps.get_model("claims", "StaffProfile")
    slugs = dict(StaffProfile.objects.values_list("user__username", "slug"))
    assert slugs == {"an-login": "ana-bell", "nl-login": "a-claimtrack-reviewer"}
    assert StaffProfile.objects.get(user__username="nl-login").email_on_flags is False
    granted = set(
        apps.get_model("auth", "Group")
        .objects.get(name="Reviewers")
        .permissions.values_list("codename", flat=True)
    )
    assert {"view_staffprofile", "change_staffprofile"} <= granted
