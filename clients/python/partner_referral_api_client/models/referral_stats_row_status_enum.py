from enum import StrEnum


class ReferralStatsRowStatusEnum(StrEnum):
    ACCEPTED = "accepted"
    ACKNOWLEDGED = "acknowledged"
    COMPLETED = "completed"
    INFO_REQUESTED = "info_requested"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    RECALLED = "recalled"
    REJECTED = "rejected"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"

    def __str__(self) -> str:
        return str(self.value)
