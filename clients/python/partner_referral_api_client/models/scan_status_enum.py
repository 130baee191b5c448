from enum import StrEnum


class ScanStatusEnum(StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"

    def __str__(self) -> str:
        return str(self.value)
