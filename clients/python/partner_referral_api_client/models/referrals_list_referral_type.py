from enum import StrEnum


class ReferralsListReferralType(StrEnum):
    CERTIFICATION_VERIFICATION = "certification_verification"
    CONTINUED_PRESENCE = "continued_presence"
    CONTINUED_PRESENCE_EXTENSION = "continued_presence_extension"
    IMMIGRATION_RELIEF_SCREENING = "immigration_relief_screening"
    INFORMATION_REQUEST = "information_request"
    INVESTIGATIVE_LEAD = "investigative_lead"
    RELIEF_SUPPORT = "relief_support"
    VICTIM_ASSISTANCE = "victim_assistance"

    def __str__(self) -> str:
        return str(self.value)
