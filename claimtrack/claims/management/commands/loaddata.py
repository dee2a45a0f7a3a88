"""Django's loaddata, holding claimtrack fixtures to the rules the admin enforces.

loaddata saves rows raw, bypassing model methods. Here every claimtrack object is first put
through full_clean(): choices, identifier formats, uniqueness, a reviewed claim's rationale, and a
quote that must stand in its article (which also stores the quote's offsets). A failure names
the object and, because Django loads inside one transaction, leaves the database as it was.
Verdicts and evidence that a fixture adds or changes are written to the claim's history, so
reloading an unchanged fixture records nothing and a reverted edit is never silently lost.

--keep-existing loads only the claimtrack rows that are not in the database yet, so that the
demo set-up adds new seed claims without undoing what editors have changed since.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata

from claimtrack.claims.models import Claim, Evidence

FIXTURE_NOTE = "Loaded from the editorial fixtures."


def describe(instance):
    key = instance.natural_key() if hasattr(instance, "natural_key") else (instance.pk,)
    return f"{instance._meta.label_lower} {'/'.join(str(part) for part in key)}"


class Command(loaddata.Command):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="Leave claimtrack rows that already exist as they are; add only new ones.",
        )

    def handle(self, *fixture_labels, **options):
        self.keep_existing = options["keep_existing"]
        return super().handle(*fixture_labels, **options)

    def save_obj(self, obj):
        instance = obj.object
        if instance._meta.app_label != "claims":
            return super().save_obj(obj)
        model = type(instance)
        before = model.objects.filter(pk=instance.pk).first() if instance.pk else None
        if before is not None and self.keep_existing:
            return False
        # A row found by natural key is an update: uniqueness checks must not count it twice.
        instance._state.adding = before is None
        try:
            instance.full_clean()
        except ValidationError as error:
            raise CommandError(f"{describe(instance)}: {' '.join(error.messages)}") from None
        saved = super().save_obj(obj)
        if isinstance(instance, Claim):
            old_verdict = before.verdict if before else ("", "", "")
            if before is None or old_verdict != instance.verdict:
                instance.record_verdict_change(old_verdict, None, FIXTURE_NOTE)
        elif isinstance(instance, Evidence):
            if before is None:
                instance.claim.record_evidence_change(
                    None, f"Added evidence: {instance}", FIXTURE_NOTE
                )
            elif (before.stance, before.note) != (instance.stance, instance.note):
                instance.claim.record_evidence_change(
                    None, f"Revised evidence: {instance}", FIXTURE_NOTE
                )
        return saved
