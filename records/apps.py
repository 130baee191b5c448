from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Records lifecycle: retention policies, legal holds, disposal with tombstones, accounting of disclosures."""

    name = "records"
    default_auto_field = "django.db.models.BigAutoField"
