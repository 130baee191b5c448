from enum import StrEnum


class ReferralTypeEnum(StrEnum):
    CONTINUED_PRESENCE = "continued_presence"
    IMMIGRATION_RELIEF_SCREENING = "immigration_relief_screening"
    INFORMATION_REQUEST = "information_request"
    INVESTIGATIVE_LEAD = "investigative_lead"
    VICTIM_ASSISTANCE = "victim_assistance"

    def __str__(self) -> str:
        return str(self.value)
