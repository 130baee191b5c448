from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "attachments"
    verbose_name = "Attachments"

    def ready(self) -> None:
        # Stored files are sealed under their referral's data key: they follow it through re-encryption.
        from attachments import services
        from attachments.sealing_v1 import V1_COLUMNS
        from referral_api.encryption import FileHook, register_file_hook, register_v1_columns

        register_v1_columns(V1_COLUMNS)
        register_file_hook(
            FileHook(
                name="attachments",
                reencrypt=services.attachments_reencrypt_referral,
                convert=services.attachments_convert_v1,
                legacy_count=services.attachments_v1_count,
            )
        )
