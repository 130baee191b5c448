from enum import StrEnum


class InformationSourceEnum(StrEnum):
    LAW_ENFORCEMENT = "law_enforcement"
    OTHER = "other"
    SUSPECTED_PERPETRATOR = "suspected_perpetrator"
    THIRD_PARTY = "third_party"
    VICTIM = "victim"

    def __str__(self) -> str:
        return str(self.value)
