from enum import StrEnum


class MethodEnum(StrEnum):
    BACKUP_FORM = "backup_form"
    PHONE = "phone"
    SHEPHERD = "shepherd"

    def __str__(self) -> str:
        return str(self.value)
