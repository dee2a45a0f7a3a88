"""What changes the public version (models/freshness.py): every write to a row that the public
pages show, so that no reader is served a page from before the change once it has committed.

The house style says "no signals for business logic", and this is not business logic: it is
cache invalidation, and it must see every write path, those written after this module too: the
rules in models/, the admin's own saves of articles and citations, the desk, loaddata, deletes
and their cascades, the claim's reason tags (m2m). A bump called from each rule could be
forgotten by the next write path; receivers on every save and delete of the claims app's models
cannot. They run inside the writing transaction (Django sends post_save and post_delete before
the save's or delete's transaction commits), so the bump commits with the change.

It errs on the side of bumping: every model of the claims app, the history's tables included,
but for rows no public page shows (the version itself, the staff profiles' history). Staff
users count: the public pages name who reviewed and who changed a verdict; a login, which only
stamps last_login, does not. Staff profiles count too: their public name, bio and interests
are on the reviewer pages and beside every verdict they gave. Only their email setting shows
nowhere, so a save of that field alone (update_fields, as set_email_on_flags saves it) does not
bump; a whole-row save, as the admin makes, does, whatever changed.

Paths that send no signals must bump themselves, with PublicVersion.objects.bump() or
in_bulk(): QuerySet.update(), bulk_create() and raw SQL. The editorial models refuse the first
two (RecordedQuerySet); the seed loader uses in_bulk(); a restore brings its own version row.
"""

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from claimtrack.claims.models import PublicVersion

NOT_PUBLIC = {"historicalstaffprofile", "publicversion"}
# Fields of a public model that no public page shows: a save of these alone does not bump.
PRIVATE_FIELDS = {"staffprofile": {"email_on_flags", "email_digest"}}
M2M_WRITES = {"post_add", "post_remove", "post_clear"}


def is_public(model):
    """A model of the claims app that the public pages may show. Not the models a migration
    builds from its history (their writes run before this table may exist: post_migrate
    covers them)."""
    meta = model._meta
    return (
        meta.apps is global_apps
        and meta.app_label == "claims"
        and meta.model_name not in NOT_PUBLIC
    )


def names_may_have_changed(sender, update_fields):
    """A user saved, other than by a login (which only stamps last_login)."""
    return sender is get_user_model() and set(update_fields or ()) != {"last_login"}


def only_private_fields(sender, update_fields):
    private = PRIVATE_FIELDS.get(sender._meta.model_name)
    return bool(private and update_fields and set(update_fields) <= private)


def row_saved(sender, update_fields=None, **kwargs):
    if (
        is_public(sender) and not only_private_fields(sender, update_fields)
    ) or names_may_have_changed(sender, update_fields):
        PublicVersion.objects.bump()


def row_deleted(sender, **kwargs):
    if is_public(sender) or sender is get_user_model():
        PublicVersion.objects.bump()


def links_changed(sender, action, **kwargs):
    if action in M2M_WRITES and is_public(sender):
        PublicVersion.objects.bump()


def migrated(sender, using, **kwargs):
    """Data migrations write through models that send their signals to no one here; flush
    (tests) empties the table. Both end with post_migrate."""
    if PublicVersion._meta.db_table in connections[using].introspection.table_names():
        PublicVersion.objects.db_manager(using).bump()


def connect(app_config):
    post_save.connect(row_saved, dispatch_uid="claimtrack.freshness.saved")
    post_delete.connect(row_deleted, dispatch_uid="claimtrack.freshness.deleted")
    m2m_changed.connect(links_changed, dispatch_uid="claimtrack.freshness.links")
    post_migrate.connect(migrated, sender=app_config, dispatch_uid="claimtrack.freshness.migrated")
