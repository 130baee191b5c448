from enum import StrEnum


class PriorityEnum(StrEnum):
    IMMEDIATE_DANGER = "immediate_danger"
    ROUTINE = "routine"
    URGENT = "urgent"

    def __str__(self) -> str:
        return str(self.value)
