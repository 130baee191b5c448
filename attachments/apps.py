import logging

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
        # An I-918 Supplement B's usability is one of the deadlines of its referral (deadline_before filter).
        from attachments.selectors import i918b_unusable_by
        from referrals.deadlines import register_record_deadline

        register_record_deadline(i918b_unusable_by)
        register_file_hook(
            FileHook(
                name="attachments",
                reencrypt=services.attachments_reencrypt_referral,
                convert=services.attachments_convert_v1,
                legacy_count=services.attachments_v1_count,
            )
        )

        from django.conf import settings

        if settings.ATTACHMENT_SCANNER == settings.ACCEPT_ALL_SCANNER and not settings.DEBUG:
            # Allowed only because ATTACHMENT_SCANNER names it explicitly (settings.py): said once at start.
            logging.getLogger("attachments.scanning").warning(
                "uploads are not scanned for malware: ATTACHMENT_SCANNER names the accept-all scanner",
                extra={"attachment_scanner": settings.ATTACHMENT_SCANNER},
            )
