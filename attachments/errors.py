"""What the attachment services refuse with: kinds of ``referral_api.errors``, mapped to HTTP in one table
(``referral_api.problems.DOMAIN_ERRORS``)."""

from __future__ import annotations

from referral_api.errors import Corrupt, InvalidTransition, NotVisible, Unavailable, UnsupportedContent, WrongSide


class ContentDiscarded(NotVisible):
    """The malware scanner flagged the file: its content was discarded and is never served."""

    default_detail = "This attachment was flagged by the malware scanner; its content was discarded."


class ContentWithheld(WrongSide):
    """The sender recalled the referral (sent in error): its attachments' content is withheld from the receiver
    (domain.md, "Sent in error")."""

    default_detail = "The sender recalled this referral; its attachments are no longer available to your agency."


class AttachmentCorrupt(Corrupt):
    """The stored object does not decrypt or does not match its SHA-256; nothing of it is served."""

    default_detail = "The stored file failed its integrity check and cannot be served. It has been reported."


class NotAcceptedContent(UnsupportedContent):
    """The file's content is not one of the accepted types (whatever its name or declared type)."""

    default_detail = "Only PDF, PNG, JPEG and plain UTF-8 text files are accepted."


class ScannerUnavailable(Unavailable):
    """The malware scanner could not answer; nothing was stored."""

    default_detail = "The file could not be scanned for malware; nothing was stored. Retry shortly."


__all__ = [
    "AttachmentCorrupt",
    "ContentDiscarded",
    "ContentWithheld",
    "InvalidTransition",
    "NotAcceptedContent",
    "NotVisible",
    "ScannerUnavailable",
]
