from enum import StrEnum


class MatchEnum(StrEnum):
    A_NUMBER = "a_number"
    NAME_AND_DATE_OF_BIRTH = "name_and_date_of_birth"

    def __str__(self) -> str:
        return str(self.value)
