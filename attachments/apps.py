import logging

from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "attachments"
    verbose_name = "Attachments"

    def ready(self):
        from django.conf import settings

        if settings.ATTACHMENT_SCANNER == settings.ACCEPT_ALL_SCANNER and not settings.DEBUG:
            # Allowed only because ATTACHMENT_SCANNER names it explicitly (settings.py): said once at start.
            logging.getLogger("attachments.scanning").warning(
                "uploads are not scanned for malware: ATTACHMENT_SCANNER names the accept-all scanner",
                extra={"attachment_scanner": settings.ATTACHMENT_SCANNER},
            )
