"""What every editorial model shares: permissions, choice constraints, natural keys, versions
that refuse lost updates, querysets that keep the history whole, and text as published."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import OrderBy, Q
from django.utils.text import slugify

from claimtrack.claims.text import normalize_text

# Permissions, granted to the groups made in migration 0002.
REVIEW_CLAIM = "claims.review_claim"  # change what the public is told: verdict and evidence
PUBLISH_CLAIM = "claims.publish_claim"  # put a drafted claim before the public
DRAFT_CLAIM = "claims.change_claim"  # draft a claim: its wording, verdict and evidence
RAISE_FLAG = "claims.add_flag"
SETTLE_FLAG = "claims.settle_flag"


def require_permission(user, perm, action):
    """user None is the system itself (fixture loading, data migrations)."""
    if user is not None and not user.has_perm(perm):
        raise PermissionDenied(f"You are not allowed to {action}.")


def choices_constraint(field, choices, name, allow_blank=False):
    values = list(choices.values) + ([""] if allow_blank else [])
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)


class StaleEdit(Exception):
    """Someone saved the record after this copy of it was read: saving it would undo their work."""

    def __init__(self, instance, seen_version, current_version):
        self.instance = instance
        self.seen_version, self.current_version = seen_version, current_version
        super().__init__(
            f"{instance._meta.verbose_name.capitalize()} “{instance}” was saved by someone else "
            f"(version {current_version}) after you opened it (version {seen_version})."
        )


class NullsLastIndex(models.Index):
    """An index in the order the lists sort newest first: F(...).desc(nulls_last=True).

    PostgreSQL needs the index to say DESC NULLS LAST to read a DESC NULLS LAST ordering off it;
    SQLite cannot say NULLS LAST in an index, and needs not: its DESC already puts NULLs last."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "sqlite":
            plain = [
                OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
                for e in self.expressions
            ]
            index = models.Index(*plain, name=self.name)
            return index.create_sql(model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


class Versioned(models.Model):
    """Optimistic locking, on every save: write version + 1 only where the row still has the
    version this copy was read at. A stale copy raises StaleEdit instead of overwriting a newer
    save (the lost update). One conditional UPDATE, so it holds on SQLite and PostgreSQL alike."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        field = self._meta.get_field("version")
        seen = self.version
        values = [value for value in values if value[0] is not field] + [(field, None, seen + 1)]
        if base_qs.filter(pk=pk_val, version=seen)._update(values) > 0:
            self.version = seen + 1
            return True
        current = base_qs.filter(pk=pk_val).values_list("version", flat=True).first()
        if current is None:
            return False  # no such row: Django inserts it, as for any model
        raise StaleEdit(self, seen, current)


class RecordedQuerySet(models.QuerySet):
    """Editorial rows change one save() at a time: the history (django-simple-history, on
    post_save) and the version see every change. A bulk write would skip both, so it is refused."""

    def update(self, **kwargs):
        raise TypeError(
            f"{self.model.__name__} rows change through save(), which records their history; "
            "QuerySet.update() would skip it."
        )

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError(
            f"{self.model.__name__} rows change through save(), which records their history; "
            "bulk_update() would skip it."
        )

    def bulk_create(self, objs, *args, **kwargs):
        raise TypeError(
            f"{self.model.__name__} rows are created with save(), which records their history; "
            "bulk_create() would skip it."
        )


def slug_base(text, *, max_length, fallback):
    """The slug text gives before any "-2" is added to make it unique."""
    return slugify(text)[:max_length].rstrip("-") or fallback


def free_slug(rows, text, *, max_length, fallback, exclude=None):
    """A slug made from text, unique among rows (a queryset of a model with history) and every
    slug they once had ("-2", "-3" when taken), so that a renamed row's old links still lead to
    it (renamed_from). exclude: the row being renamed, which may keep its own slugs."""
    base = slug_base(text, max_length=max_length, fallback=fallback)
    rows, history = rows.all(), rows.model.history.all()
    if exclude is not None and exclude.pk:
        rows, history = rows.exclude(pk=exclude.pk), history.exclude(id=exclude.pk)
    taken = set(rows.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= set(history.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def renamed_from(rows, slug):
    """The row of rows that once had this slug (its history remembers it), or None."""
    once = rows.model.history.filter(slug=slug).order_by("-history_date").values("id")[:1]
    return rows.filter(pk__in=once).first()


class SlugKeyManager(models.Manager.from_queryset(RecordedQuerySet)):
    """Fixtures refer to these rows by slug, so loading them twice updates instead of copying."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class NormalizingFormField(forms.CharField):
    """A form field that puts what was typed into the form its model field stores, so that
    validation, has_changed() and the saved value all see the same thing."""

    def __init__(self, *, normalize, **kwargs):
        self.normalize = normalize
        super().__init__(**kwargs)

    def to_python(self, value):
        return self.normalize(super().to_python(value))


class NormalizedText:
    """Text stored as published (see claimtrack.claims.text): normalised when a form or
    full_clean() reads it, and again on the way to the database, whatever the write path."""

    def to_python(self, value):
        return normalize_text(super().to_python(value))

    def get_prep_value(self, value):
        return super().get_prep_value(normalize_text(value))

    def formfield(self, **kwargs):
        if not self.choices:
            kwargs.setdefault("form_class", NormalizingFormField)
            kwargs.setdefault("normalize", normalize_text)
        return super().formfield(**kwargs)


class NormalizedCharField(NormalizedText, models.CharField):
    pass


class NormalizedTextField(NormalizedText, models.TextField):
    pass
