from enum import StrEnum


class WithheldEnum(StrEnum):
    RECALL = "recall"
    VALUE_0 = "1367"

    def __str__(self) -> str:
        return str(self.value)
