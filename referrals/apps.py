from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        # Where this app's values were before per-referral data keys (manage.py encryption_convert reads it).
        from referral_api.encryption import register_v1_columns
        from referrals.sealing_v1 import V1_COLUMNS

        register_v1_columns(V1_COLUMNS)
