from enum import StrEnum


class ReasonCodeEnum(StrEnum):
    DUPLICATE = "duplicate"
    INSUFFICIENT_INFORMATION = "insufficient_information"
    NOT_IN_JURISDICTION = "not_in_jurisdiction"
    NO_TRAFFICKING_INDICATORS = "no_trafficking_indicators"
    OTHER = "other"
    PERSON_DECLINED = "person_declined"

    def __str__(self) -> str:
        return str(self.value)
