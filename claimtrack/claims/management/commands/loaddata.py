"""Django's loaddata, holding claimtrack fixtures to the rules the admin enforces.

Django's loaddata saves rows raw, bypassing model methods and the history. Here every claimtrack
object is first put through full_clean(): choices, identifier formats, uniqueness, a reviewed
claim's rationale, and a quote that must stand in its article (which also pins the quote and
its context). A failure names the object and, because Django loads inside one transaction,
leaves the database as it was.

Then each object is saved like any other write: its version is checked and its history
(django-simple-history) records it, marked "Loaded from fixture <name>", by no user, dated by
the fixture's own dates (a claim's review date). A row the fixture does not change is not
saved at all, so reloading an unchanged fixture records nothing, and a fixture that overwrites
an editor's verdict leaves the editor's version in the history. Seed loading is never a public
correction: nothing is written to the corrections log. The public version is bumped once for the
whole load, not once a row (PublicVersion.objects.in_bulk()).

--keep-existing loads only the claimtrack rows that are not in the database yet, so that the
demo set-up adds new seed claims without undoing what editors have changed since.

A fixture in the wrong shape (not a list of objects with a "model" and their "fields"), with a
value of the wrong type, a field or model that does not exist or a reference to a missing row is
refused with one line naming the fixture and the object, as a CommandError, not a traceback;
nothing of the load is kept.

Last, in the same transaction, the search documents of every claim whose searched text a saved
row changed (the claim itself, its article, its evidence, a cited source, a reason tag) are
rewritten: claims are saved before their tags and evidence, so the rules cannot do it row by row.
"""

import json
from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError
from django.db.models import Q

from claimtrack.claims.models import (
    Article,
    ArticleCriterionVerdict,
    ArticleReview,
    Citation,
    Claim,
    Evidence,
    PublicVersion,
    ReasonTag,
)


def describe(instance):
    key = instance.natural_key() if hasattr(instance, "natural_key") else (instance.pk,)
    return f"{instance._meta.label_lower} {'/'.join(str(part) for part in key)}"


def keep_bookkeeping(instance, stored):
    """Fixtures carry what editors write; the fields the code keeps (version, where a quote
    stands, withdrawal, creation time) are the stored row's."""
    for field in instance._meta.concrete_fields:
        if not field.editable and not field.primary_key:
            setattr(instance, field.attname, getattr(stored, field.attname))


def differs(instance, stored, m2m_data):
    fields = [f.attname for f in instance._meta.concrete_fields if f.name != "version"]
    if any(getattr(instance, name) != getattr(stored, name) for name in fields):
        return True
    return any(
        {str(pk) for pk in pks}
        != {str(pk) for pk in getattr(stored, name).values_list("pk", flat=True)}
        for name, pks in (m2m_data or {}).items()
    )


# For each model whose rows claims' search documents hold, the claims that hold a row of it.
HOLDING_CLAIMS = {
    Claim: "pk__in",
    Evidence: "evidence__in",
    Article: "article__in",
    Citation: "evidence__citation__in",
    ReasonTag: "reason_tags__in",
}


# What bad data raises on its way through Django's deserializers and the final constraint check.
BAD_DATA = (
    DeserializationError,
    FieldDoesNotExist,
    ObjectDoesNotExist,
    ValidationError,
    IntegrityError,
    LookupError,
    TypeError,
    ValueError,
)


def check_shape(path):
    """Refuse a JSON fixture that is not a list of {"model": "...", "fields": {...}} objects:
    Django's deserializer would fail on it with a bare KeyError or AttributeError."""
    try:
        with open(path, encoding="utf-8") as file:
            objects = json.load(file)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"Fixture {path} is not valid JSON: {error}.") from None
    if not isinstance(objects, list):
        raise CommandError(f"Fixture {path} must hold a list of objects.")
    for number, item in enumerate(objects, start=1):
        where = f"Fixture {path}, object {number}"
        if not isinstance(item, dict):
            raise CommandError(f"{where} is not an object.")
        if not isinstance(item.get("model"), str):
            raise CommandError(f'{where} has no "model" (as "app_label.model_name").')
        if not isinstance(item.get("fields"), dict):
            raise CommandError(f'{where} ({item["model"]}) has no "fields" object.')


def fixture_date(instance):
    if isinstance(instance, Claim):
        return instance.reviewed_at or instance.created_at
    if isinstance(instance, Evidence):
        return instance.claim.reviewed_at
    if isinstance(instance, ArticleReview):
        return instance.reviewed_at
    if isinstance(instance, ArticleCriterionVerdict):
        return instance.review.reviewed_at
    return getattr(instance, "created_at", None)


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
        try:
            with PublicVersion.objects.in_bulk():
                return super().handle(*fixture_labels, **options)
        except BAD_DATA as error:  # Django names the fixture in the message
            raise CommandError(" ".join(str(error).split())) from error

    def loaddata(self, fixture_labels):
        self.saved = defaultdict(set)  # model: primary keys of the rows saved
        super().loaddata(fixture_labels)
        self.refresh_search_documents()

    def refresh_search_documents(self):
        holding = Q(pk__in=[])
        for model, pks in self.saved.items():
            if model in HOLDING_CLAIMS:
                holding |= Q(**{HOLDING_CLAIMS[model]: pks})
        changed = Claim.objects.filter(holding).using(self.using).refresh_search_documents()
        if self.verbosity >= 2:
            self.stdout.write(f"Rewrote the search documents of {changed} claim(s).")

    def load_label(self, fixture_label):
        self.fixture_label = fixture_label
        for path, _, _ in self.find_fixtures(fixture_label):
            if str(path).endswith(".json"):
                check_shape(path)
        return super().load_label(fixture_label)

    def date_next_review(self, claim, stored):
        """Date a fixture claim's next review from its review (new, or reviewed again in the
        fixture); otherwise it keeps the stored date, which make_due() may have brought
        forward. Returns the fields to save: a whole-row save of a claim leaves the due date
        out (Claim._do_update), so an update names every field."""
        if stored is None:
            claim.schedule_review()
            return None
        if (claim.reviewed_at, claim.topic) != (stored.reviewed_at, stored.topic):
            claim.schedule_review()
        return [f.name for f in claim._meta.concrete_fields if not f.primary_key]

    def save_obj(self, obj):
        instance = obj.object
        if instance._meta.app_label != "claims":
            return super().save_obj(obj)
        model = type(instance)
        stored = model.objects.filter(pk=instance.pk).first() if instance.pk else None
        if stored is not None and self.keep_existing:
            return False
        # A row found by natural key is an update: uniqueness checks must not count it twice.
        instance._state.adding = stored is None
        if stored is not None:
            keep_bookkeeping(instance, stored)
        try:
            instance.full_clean()
        except ValidationError as error:
            raise CommandError(f"{describe(instance)}: {' '.join(error.messages)}") from None
        if stored is not None and not differs(instance, stored, obj.m2m_data):
            return False
        instance._history_user = None
        instance._change_reason = f"Loaded from fixture {self.fixture_label}."
        when = fixture_date(instance)
        if when is not None:
            instance._history_date = when
        update_fields = None
        if isinstance(instance, Claim):
            update_fields = self.date_next_review(instance, stored)
        instance.save(using=self.using, update_fields=update_fields)
        for name, pks in (obj.m2m_data or {}).items():
            getattr(instance, name).set(pks)
        obj.m2m_data = None
        self.saved[model].add(instance.pk)
        self.models.add(model)
        if obj.deferred_fields:
            self.objs_with_deferred_fields.append(obj)
        return True
