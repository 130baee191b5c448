from enum import StrEnum


class SexEnum(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"
    X = "x"

    def __str__(self) -> str:
        return str(self.value)
