from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Records lifecycle: retention policies, legal holds, disposal with tombstones, accounting of disclosures."""

    name = "records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from referral_api.encryption import register_kek_columns

        # The legal hold's matter is a Fernet token under the key-encryption keys: rotated with them.
        register_kek_columns("records.LegalHold", "matter_encrypted")
