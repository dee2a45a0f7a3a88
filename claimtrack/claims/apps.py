from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claimtrack.claims"
    label = "claims"
    verbose_name = "Claims and evidence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from claimtrack.claims import freshness, review_schedule
        from claimtrack.claims.models import Topic

        freshness.connect(self)
        review_schedule.check_topics(Topic.values)
