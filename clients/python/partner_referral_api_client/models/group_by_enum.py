from enum import StrEnum


class GroupByEnum(StrEnum):
    COUNTERPART = "counterpart"
    DIRECTION = "direction"
    MONTH = "month"
    PRIORITY = "priority"
    REFERRAL_TYPE = "referral_type"
    STATUS = "status"
    WEEK = "week"

    def __str__(self) -> str:
        return str(self.value)
