from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "Agencies and API clients"

    def ready(self):
        # Revoking or deactivating a client or agency invalidates its cached tokens at once. Imported here, the
        # place Django gives for connecting signals: apps.py is loaded before any model module may be.
        from agencies.tokens import connect_signals

        connect_signals(agency_model=self.get_model("Agency"), client_model=self.get_model("Client"))

        # Agency and office codes are published (GET /agencies/): error messages may name them.
        from agencies.selectors import agency_and_office_codes
        from referral_api import codes

        codes.register(agency_and_office_codes)
