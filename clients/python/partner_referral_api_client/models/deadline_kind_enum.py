from enum import StrEnum


class DeadlineKindEnum(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    CONTINUED_PRESENCE_EXPIRY = "continued_presence_expiry"
    HHS_NOTICE = "hhs_notice"
    I918_SUPPLEMENT_B_USABILITY = "i918_supplement_b_usability"
    PROTECTION_1367_END = "protection_1367_end"

    def __str__(self) -> str:
        return str(self.value)
