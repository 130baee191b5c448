from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "Agencies and API clients"

    def ready(self):
        # Revoking or deactivating a client or agency invalidates its cached tokens at once.
        from agencies import signals

        signals.install()
