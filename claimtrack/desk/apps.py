from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "claimtrack.desk"
    verbose_name = "Editorial desk"
    default_auto_field = "django.db.models.BigAutoField"
