from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The open data: the read-only JSON API under /api/v1/ and the nightly bulk dumps. It reads
    the public claims through the QuerySets of claimtrack.claims; nothing there imports from
    here."""

    name = "claimtrack.api"
    label = "api"
    verbose_name = "Open data API"
    default_auto_field = "django.db.models.BigAutoField"
