from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events and webhooks"

    def ready(self):
        # Webhook signing secrets belong to no referral: Fernet tokens under the KEKs, re-encrypted on KEK rotation.
        from referral_api.encryption import register_kek_columns

        register_kek_columns("events.WebhookSubscription", "secret_encrypted", "previous_secret_encrypted")
