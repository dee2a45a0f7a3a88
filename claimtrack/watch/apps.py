from django.apps import AppConfig


class WatchConfig(AppConfig):
    """The evidence watch: retractions, reviews coming due, spin hints (commands and rules that
    read the domain in claimtrack.claims; nothing there imports this)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "claimtrack.watch"
    verbose_name = "Evidence watch"
