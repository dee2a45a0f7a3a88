from django.apps import AppConfig


class WatchConfig(AppConfig):
    """The evidence watch: retractions and corrections of cited sources (commands that call
    the domain's rules in claimtrack.claims; nothing there imports this app)."""

    name = "claimtrack.watch"
    verbose_name = "Evidence watch"
    default_auto_field = "django.db.models.BigAutoField"
