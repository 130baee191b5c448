from enum import StrEnum


class RoleEnum(StrEnum):
    POTENTIAL_VICTIM = "potential_victim"
    SUSPECT = "suspect"
    VICTIM = "victim"
    WITNESS = "witness"

    def __str__(self) -> str:
        return str(self.value)
