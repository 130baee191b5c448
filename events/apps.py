from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events and webhooks"

    def ready(self):
        # The sweeper runs on Celery beat (``celery -A referral_api worker -B`` or a separate ``beat``).
        from events.tasks import beat_schedule
        from referral_api.celery import app

        schedule = dict(app.conf.beat_schedule or {})
        for name, entry in beat_schedule().items():
            schedule.setdefault(name, entry)
        app.conf.beat_schedule = schedule

        # Webhook signing secrets belong to no referral: Fernet tokens under the KEKs, re-encrypted on KEK rotation.
        from referral_api.encryption import register_kek_columns

        register_kek_columns("events.WebhookSubscription", "secret_encrypted", "previous_secret_encrypted")
