from enum import StrEnum


class OutcomeCodeEnum(StrEnum):
    CASE_OPENED = "case_opened"
    CERTIFICATION_CONFIRMED = "certification_confirmed"
    CERTIFICATION_NOT_CONFIRMED = "certification_not_confirmed"
    CERTIFICATION_SIGNED = "certification_signed"
    CONTINUED_PRESENCE_DENIED = "continued_presence_denied"
    CONTINUED_PRESENCE_GRANTED = "continued_presence_granted"
    DECLARATION_SIGNED = "declaration_signed"
    DECLINED_TO_CERTIFY = "declined_to_certify"
    INFORMATION_PROVIDED = "information_provided"
    NOTED_ON_APPLICATION = "noted_on_application"
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
