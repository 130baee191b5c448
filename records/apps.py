from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Records lifecycle: retention policies, legal holds, disposal with tombstones, accounting of disclosures."""

    name = "records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from records.tasks import beat_schedule
        from referral_api.celery import app

        schedule = dict(app.conf.beat_schedule or {})
        schedule.update(beat_schedule())
        app.conf.beat_schedule = schedule
