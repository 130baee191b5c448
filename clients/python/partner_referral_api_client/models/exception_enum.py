from enum import StrEnum


class ExceptionEnum(StrEnum):
    B2_LAW_ENFORCEMENT = "b2_law_enforcement"
    B4_WAIVER = "b4_waiver"
    B5_BENEFITS = "b5_benefits"
    B6_VICTIM_SERVICES = "b6_victim_services"

    def __str__(self) -> str:
        return str(self.value)
