from enum import StrEnum


class EventTypeEnum(StrEnum):
    REFERRAL_ATTACHMENT_ADDED = "referral.attachment_added"
    REFERRAL_CONTINUED_PRESENCE_EXPIRING = "referral.continued_presence_expiring"
    REFERRAL_CREATED = "referral.created"
    REFERRAL_DISPOSED = "referral.disposed"
    REFERRAL_FORWARDED = "referral.forwarded"
    REFERRAL_HHS_NOTIFICATION_OVERDUE = "referral.hhs_notification_overdue"
    REFERRAL_HHS_NOTIFIED = "referral.hhs_notified"
    REFERRAL_NOTE_ADDED = "referral.note_added"
    REFERRAL_OVERDUE = "referral.overdue"
    REFERRAL_PROTECTION_CHANGED = "referral.protection_changed"
    REFERRAL_RECALLED = "referral.recalled"
    REFERRAL_STATUS_CHANGED = "referral.status_changed"
    REFERRAL_UPDATED = "referral.updated"

    def __str__(self) -> str:
        return str(self.value)
