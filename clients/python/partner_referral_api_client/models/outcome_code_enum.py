from enum import StrEnum


class OutcomeCodeEnum(StrEnum):
    CASE_OPENED = "case_opened"
    CONTINUED_PRESENCE_DENIED = "continued_presence_denied"
    CONTINUED_PRESENCE_GRANTED = "continued_presence_granted"
    INFORMATION_PROVIDED = "information_provided"
    NO_ACTION = "no_action"
    OTHER = "other"
    PERSON_DECLINED = "person_declined"
    REFERRED_ELSEWHERE = "referred_elsewhere"
    SCREENED_ELIGIBLE = "screened_eligible"
    SCREENED_NOT_ELIGIBLE = "screened_not_eligible"
    SERVICES_PROVIDED = "services_provided"
    UNABLE_TO_CONTACT = "unable_to_contact"

    def __str__(self) -> str:
        return str(self.value)
