"""A flag's reason becomes a reason tag (2 of 3): one vocabulary says why a claim is wrong.

Each old reason maps to the tag that says the same; "misquoted" and "other" had no tag and get
one (seed_tags, also what a new database gets; the tests' migration_data fixture runs it again).
The tags a flag carried besides its reason are written into its comment ("Also tagged: ..."),
so nothing the reviewer said is lost when the tags column goes in 0011. The flags' history
rows are rewritten the same way, each with the tags it had then: the history keeps reading like
the flag it records.

Migrating back gives each flag its old reason again (a tag with no old reason: "other"); the
"Also tagged" lines stay in the comments and the new tags stay in the vocabulary.
"""

from django.db import migrations
from django.utils import timezone

# The old FlagReason values, and the reason tag slug that says the same.
TAG_FOR_REASON = {
    "unsupported": "inadequate-support",
    "overstated": "overstates-impact",
    "misquoted": "misquoted",
    "misrepresents_source": "misrepresents-source",
    "lacks_context": "lacks-context",
    "outdated": "outdated",
    "other": "other",
}

NEW_TAGS = [
    (
        "misquoted",
        "Misquoted",
        "The quote or the statement does not match what the article says.",
    ),
    ("other", "Other", "Something else; the reviewer's comment says what."),
]

# The tags of migration 0002 the old reasons map to, made again should an editor have removed one.
SEEDED_TAGS = {
    "inadequate-support": (
        "Inadequate support",
        "The evidence offered, or available, is too weak to back the claim.",
    ),
    "overstates-impact": (
        "Overstates the impact of a finding",
        "Real finding, but its size, speed or reach is exaggerated.",
    ),
    "misrepresents-source": (
        "Misrepresents source",
        "Says a source shows something it does not.",
    ),
    "lacks-context": (
        "Lacks context",
        "True in part, but leaves out what a reader needs to judge it.",
    ),
    "outdated": (
        "Outdated",
        "Was once the best evidence, but newer findings changed the picture.",
    ),
}


def tag_named(apps, slug, name, definition):
    """The tag with this slug (or, renamed by an editor, this name); made when missing."""
    ReasonTag = apps.get_model("claims", "ReasonTag")
    tag = (
        ReasonTag.objects.filter(slug=slug).first()
        or ReasonTag.objects.filter(name__iexact=name).first()
    )
    if tag is None:
        tag = ReasonTag.objects.create(slug=slug, name=name, definition=definition)
        apps.get_model("claims", "HistoricalReasonTag").objects.create(
            id=tag.pk,
            version=tag.version,
            slug=slug,
            name=name,
            definition=definition,
            history_date=timezone.now(),
            history_type="+",
            history_change_reason="Added to the vocabulary: flags' reasons became reason tags.",
        )
    return tag


def seed_tags(apps, schema_editor):
    """The tags the old flag reasons had none for. Idempotent."""
    return {slug: tag_named(apps, slug, name, definition) for slug, name, definition in NEW_TAGS}


def folded(comment, names):
    if not names:
        return comment
    line = "Also tagged: " + ", ".join(names) + "."
    return f"{comment}\n\n{line}" if comment.strip() else line


def forwards(apps, schema_editor):
    tags = seed_tags(apps, schema_editor)
    for slug, (name, definition) in SEEDED_TAGS.items():
        tags[slug] = tag_named(apps, slug, name, definition)
    reason_tag = {reason: tags[slug] for reason, slug in TAG_FOR_REASON.items()}
    names = dict(apps.get_model("claims", "ReasonTag").objects.values_list("pk", "name"))

    def other_tags(reason, tag_ids):
        """The names of the tags besides the reason, by name; a tag since deleted by its id."""
        kept = {names.get(pk, f"a deleted tag (#{pk})") for pk in tag_ids if pk != reason.pk}
        return sorted(kept)

    Flag = apps.get_model("claims", "Flag")
    Links = Flag._meta.get_field("reason_tags").remote_field.through
    for flag in Flag.objects.order_by("pk"):
        reason = reason_tag.get(flag.reason, tags["other"])
        tag_ids = Links.objects.filter(flag_id=flag.pk).values_list("reasontag_id", flat=True)
        # update(): the row is carried over, not changed by anyone (no version, no history).
        Flag.objects.filter(pk=flag.pk).update(
            reason_tag=reason, comment=folded(flag.comment, other_tags(reason, tag_ids))
        )

    HistoricalFlag = apps.get_model("claims", "HistoricalFlag")
    HistoricalLinks = apps.get_model("claims", "HistoricalFlag_reason_tags")
    for record in HistoricalFlag.objects.order_by("history_id"):
        reason = reason_tag.get(record.reason, tags["other"])
        tag_ids = HistoricalLinks.objects.filter(history_id=record.history_id).values_list(
            "reasontag_id", flat=True
        )
        HistoricalFlag.objects.filter(history_id=record.history_id).update(
            reason_tag=reason, comment=folded(record.comment, other_tags(reason, tag_ids))
        )


def backwards(apps, schema_editor):
    old_reason = {slug: reason for reason, slug in TAG_FOR_REASON.items()}
    slugs = dict(apps.get_model("claims", "ReasonTag").objects.values_list("pk", "slug"))
    for name in ("Flag", "HistoricalFlag"):
        model = apps.get_model("claims", name)
        key = model._meta.pk.name
        for pk, tag_id in model.objects.values_list(key, "reason_tag_id"):
            reason = old_reason.get(slugs.get(tag_id), "other")
            model.objects.filter(**{key: pk}).update(reason=reason)


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_flag_reason_tag")]

    operations = [migrations.RunPython(forwards, backwards)]
