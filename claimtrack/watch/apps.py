from django.apps import AppConfig


class WatchConfig(AppConfig):
    """The evidence watch: reviews that come due, sources retracted or corrected, spin hints.
    It calls the rules of claimtrack.claims; nothing there imports from here."""

    name = "claimtrack.watch"
    label = "watch"
    verbose_name = "Evidence watch"
    default_auto_field = "django.db.models.BigAutoField"
