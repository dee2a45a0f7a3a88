"""Bring stored rows into the record (migration 0004 added versions, history and anchors):

- text normalised as every write now normalises it (LF newlines, Unicode NFC, no NUL);
- each quote's surrounding text stored, so the passage can be found after a correction;
- the rows that fixture loading used to write into the public corrections log removed (a seed
  load is not a correction; the internal history records it from now on);
- one "history began" version of every editorial row, dated by the row's own dates.
"""

from django.db import migrations
from django.utils import timezone

from claimtrack.claims.anchoring import context_of
from claimtrack.claims.text import normalize_text

FIXTURE_NOTE = "Loaded from the editorial fixtures."
TEXT_FIELDS = {
    "article": ["title", "publisher", "author", "text"],
    "claimgroup": ["name", "description"],
    "reasontag": ["name", "definition"],
    "citation": ["authors", "title", "journal", "identifiers_checked"],
    "claim": ["quote", "statement", "rationale", "group_note"],
    "evidence": ["note"],
    "flag": ["comment", "resolution_note"],
}
M2M = {"claim": "reason_tags", "flag": "reason_tags"}


def forwards(apps, schema_editor):
    for model_name, fields in TEXT_FIELDS.items():
        model = apps.get_model("claims", model_name)
        for row in model.objects.all():
            changed = {f: normalize_text(getattr(row, f)) for f in fields}
            changed = {f: v for f, v in changed.items() if v != getattr(row, f)}
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)

    Claim = apps.get_model("claims", "Claim")
    for claim in Claim.objects.select_related("article"):
        text = claim.article.text
        start = text.find(claim.quote, max(claim.quote_start - 200, 0))
        start = start if start >= 0 else text.find(claim.quote)
        if start < 0:
            continue  # check_quotes reports it; nothing to pin here
        prefix, suffix = context_of(text, start, start + len(claim.quote))
        Claim.objects.filter(pk=claim.pk).update(
            quote_start=start,
            quote_end=start + len(claim.quote),
            quote_prefix=prefix,
            quote_suffix=suffix,
        )

    ClaimChange = apps.get_model("claims", "ClaimChange")
    ClaimChange.objects.filter(changed_by__isnull=True, note=FIXTURE_NOTE).delete()

    for model_name in TEXT_FIELDS:
        model = apps.get_model("claims", model_name)
        historical = apps.get_model("claims", f"historical{model_name}")
        attnames = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.all():
            if historical.objects.filter(id=row.pk).exists():
                continue
            when = getattr(row, "reviewed_at", None) or getattr(row, "created_at", None)
            record = historical(
                **{name: getattr(row, name) for name in attnames},
                history_date=when or timezone.now(),
                history_type="+",
                history_change_reason="History began: the row as stored then.",
            )
            record.save()
            if model_name in M2M:
                links = model._meta.get_field(M2M[model_name]).remote_field.through
                historical_links = apps.get_model(
                    "claims", f"historical{model_name}_{M2M[model_name]}"
                )
                for link in links.objects.filter(**{model_name: row}):
                    historical_links.objects.create(
                        history=record,
                        id=link.pk,
                        **{f"{model_name}_id": row.pk, "reasontag_id": link.reasontag_id},
                    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_the_record")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
