from enum import StrEnum


class EventTypeEnum(StrEnum):
    REFERRAL_ATTACHMENT_ADDED = "referral.attachment_added"
    REFERRAL_CREATED = "referral.created"
    REFERRAL_DISPOSED = "referral.disposed"
    REFERRAL_NOTE_ADDED = "referral.note_added"
    REFERRAL_OVERDUE = "referral.overdue"
    REFERRAL_STATUS_CHANGED = "referral.status_changed"
    REFERRAL_UPDATED = "referral.updated"

    def __str__(self) -> str:
        return str(self.value)
