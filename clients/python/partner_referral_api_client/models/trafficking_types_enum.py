from enum import StrEnum


class TraffickingTypesEnum(StrEnum):
    LABOR = "labor"
    SEX = "sex"

    def __str__(self) -> str:
        return str(self.value)
